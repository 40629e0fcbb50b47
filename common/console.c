#define _GNU_SOURCE
#include "common/console.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "common/error.h"
#include "common/names.h"
#include "common/syscalls.h"

int console_send(int sock, int fd)
{
	char data = 'c';
	union { /* aligned for a cmsghdr, as in cmsg(3) */
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control = { 0 };
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = control.buf,
			      .msg_controllen = sizeof(control.buf) };
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == -1 ? -1 : 0;
}

int console_open(int console[2])
{
	console[0] = console[1] = -1;
	if (!isatty(STDIN_FILENO))
		return 0;
	return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, console);
}

int console_make(int sock)
{
	struct winsize size;
	int master, slave = -1, err;

	master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master == -1)
		return -1;
	if (unlockpt(master) == 0)
		slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	/*
	 * The caller's window size, from our stdin (still the caller's
	 * terminal), now: COMMAND may ask for it before the runtime's relay
	 * starts, and a new pty is 0 by 0 (ioctl_tty(2), TIOCGWINSZ).
	 */
	if (slave >= 0 && ioctl(STDIN_FILENO, TIOCGWINSZ, &size) == 0)
		ioctl(master, TIOCSWINSZ, &size);
	if (slave >= 0 && console_send(sock, master) == -1) {
		err = errno;
		close(slave);
		errno = err;
		slave = -1;
	}
	err = errno;
	close(master);
	close(sock);
	errno = err;
	return slave;
}

int console_receive(int sock)
{
	char data;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = control.buf,
			      .msg_controllen = sizeof(control.buf) };
	struct cmsghdr *cmsg;
	ssize_t got;
	int fd;

	do
		got = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (got == -1 && errno == EINTR);
	if (got == -1)
		return -1;
	cmsg = got > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (cmsg == NULL || cmsg->cmsg_level != SOL_SOCKET ||
	    cmsg->cmsg_type != SCM_RIGHTS ||
	    cmsg->cmsg_len != CMSG_LEN(sizeof(int))) {
		errno = ENODATA;
		return -1;
	}
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

/* The caller's terminal as it was, restored at exit. */
static struct termios saved;
static bool raw;
static volatile sig_atomic_t resized;

static void restore_terminal(void)
{
	if (raw && tcsetattr(STDIN_FILENO, TCSADRAIN, &saved) == 0)
		raw = false;
}

static void note_resize(int sig)
{
	resized = 1;
}

/* Give master our window's size (TIOCGWINSZ, TIOCSWINSZ: ioctl_tty(2)). */
static void pass_size(int master)
{
	struct winsize size;

	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &size) == 0)
		ioctl(master, TIOCSWINSZ, &size);
}

/* Raw mode (termios(3), cfmakeraw): bytes pass as typed, unechoed. */
static void make_raw(int master)
{
	struct sigaction sa = { .sa_handler = note_resize };
	struct termios t;

	pass_size(master);
	must(sigaction(SIGWINCH, &sa, NULL), "sigaction(SIGWINCH)");
	if (tcgetattr(STDIN_FILENO, &saved) == -1)
		return; /* stdin is no terminal after all: nothing to restore */
	t = saved;
	cfmakeraw(&t);
	if (tcsetattr(STDIN_FILENO, TCSADRAIN, &t) == -1)
		die(errno, NULL, "tcsetattr(stdin, raw)");
	if (!raw) /* once: atexit(3) would run it as often as registered */
		atexit(restore_terminal);
	raw = true;
}

/* Write all of buf to fd; false if fd is gone. */
static bool write_all(int fd, const char *buf, ssize_t len)
{
	ssize_t done;

	while (len > 0) {
		done = write(fd, buf, (size_t)len);
		if (done == -1 && errno == EINTR)
			continue;
		if (done <= 0)
			return false;
		buf += done;
		len -= done;
	}
	return true;
}

/* Copy what from has to to; false at its end (or to's). */
static bool relay(int from, int to)
{
	char buf[4096];
	ssize_t got = read(from, buf, sizeof(buf));

	if (got == -1 && (errno == EINTR || errno == EAGAIN))
		return true;
	return got > 0 && write_all(to, buf, got);
}

/* What was typed for the container and waits for room in its terminal. */
struct pending {
	char buf[4096];
	size_t off, len;
};

/*
 * Move typed input on: read stdin when nothing waits, write to master as
 * much as it takes. False when stdin has ended (what waits is dropped
 * with it only if master is gone).
 */
static bool pass_input(struct pending *in, int master, short in_events,
		       short master_events)
{
	ssize_t n;

	if (in->len == 0 && in_events != 0) {
		n = read(STDIN_FILENO, in->buf, sizeof(in->buf));
		if (n == 0 || (n == -1 && errno != EINTR && errno != EAGAIN))
			return false;
		in->off = 0;
		in->len = n > 0 ? (size_t)n : 0;
	}
	if (in->len > 0 && (master_events & POLLOUT)) {
		n = write(master, in->buf + in->off, in->len);
		if (n > 0) {
			in->off += (size_t)n;
			in->len -= (size_t)n;
		}
	}
	return true;
}

int console_serve(int master, int name_sock, pid_t pid,
		  const struct cgroups *cg)
{
	int pidfd = (int)must(sys_pidfd_open(pid, 0), "pidfd_open(%d)", pid);
	struct pollfd fds[4] = {
		{ .fd = pidfd, .events = POLLIN },
		{ .fd = name_sock, .events = POLLIN },
		{ .fd = -1, .events = POLLIN }, /* stdin, when it is read */
		{ .fd = master, .events = POLLIN },
	};
	bool stdin_open = master >= 0;
	struct pending in = { .len = 0 };
	sigset_t winch, old, during;
	int drained;

	if (master >= 0) {
		make_raw(master);
		/*
		 * Never blocked by the container: a master we cannot write to
		 * just now (it does not read its terminal) keeps what was typed
		 * waiting, while its output goes on being relayed. Blocked in
		 * write(2), we would stop reading it, and it would stop in its
		 * own write: for ever.
		 */
		must(fcntl(master, F_SETFL,
			   fcntl(master, F_GETFL) | O_NONBLOCK),
		     "fcntl(pty master, O_NONBLOCK)");
	}
	/*
	 * A stdout that is gone (`container -- yes | head -1`) must not kill
	 * us with SIGPIPE, which would leave the terminal raw: write(2) fails
	 * with EPIPE instead, and then the master is closed (the container's
	 * terminal hangs up, as a closed terminal window's does).
	 */
	must(sigaction(SIGPIPE, &(struct sigaction){ .sa_handler = SIG_IGN },
		       NULL),
	     "sigaction(SIGPIPE, SIG_IGN)");
	/*
	 * SIGWINCH is let in only while ppoll(2) waits: one that came between
	 * the check of resized and the wait would wait for the next event.
	 */
	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	must(sigprocmask(SIG_BLOCK, &winch, &old), "sigprocmask()");
	during = old;
	sigdelset(&during, SIGWINCH);
	/* poll(2) skips an entry whose fd is negative: one loop for all. */
	for (;;) {
		if (resized) {
			resized = 0;
			pass_size(master);
		}
		fds[2].fd = stdin_open && in.len == 0 ? STDIN_FILENO : -1;
		fds[3].events = POLLIN | (in.len > 0 ? POLLOUT : 0);
		if (ppoll(fds, 4, NULL, &during) == -1) {
			if (errno == EINTR) /* SIGWINCH, or one we forwarded */
				continue;
			die(errno, NULL, "ppoll()");
		}
		if (fds[3].fd >= 0 &&
		    !pass_input(&in, master, fds[2].revents, fds[3].revents))
			stdin_open =
				false; /* ours ended: the container's stays */
		if ((fds[3].revents & ~POLLOUT) != 0 &&
		    !relay(master, STDOUT_FILENO)) {
			/* Its end (EIO), or our stdout's: hang it up. */
			fds[3].fd = -1;
			stdin_open = false;
			close(master);
			master = -1;
		}
		if (fds[1].revents & POLLIN)
			name_answer(name_sock, pidfd, cg);
		if (fds[0].revents != 0) /* the child has ended */
			break;
	}
	/*
	 * What it wrote last may still wait in the terminal: take it, but do
	 * not wait for more (a process it left may hold the terminal on), and
	 * not for ever (one that writes on and on).
	 */
	fds[3].events = POLLIN;
	for (drained = 0;
	     fds[3].fd >= 0 && drained < 256 && poll(&fds[3], 1, 0) == 1 &&
	     relay(master, STDOUT_FILENO);
	     drained++)
		;
	must(sigprocmask(SIG_SETMASK, &old, NULL), "sigprocmask()");
	close(pidfd);
	restore_terminal();
	return master;
}

void console_attach(int console[2], int name_sock, pid_t pid,
		    const struct cgroups *cg)
{
	int master = -1;

	if (console[1] >= 0)
		close(console[1]);
	console[1] = -1;
	if (console[0] >= 0) {
		master = console_receive(console[0]);
		if (master == -1 && errno != ENODATA)
			die(errno, NULL, "recvmsg(pty master)");
		close(console[0]);
		console[0] = -1;
	}
	if (master >= 0 || name_sock >= 0)
		master = console_serve(master, name_sock, pid, cg);
	if (master >= 0)
		close(master);
}
