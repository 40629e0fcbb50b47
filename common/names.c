#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/error.h"
#include "common/names.h"
#include "common/syscalls.h"

#ifdef __SANITIZE_ADDRESS__ /* make SAN=1 */
#include <sanitizer/lsan_interface.h>
#endif

/* The socket of the name this runtime holds, removed at exit. */
static char claimed[sizeof(((struct sockaddr_un *)0)->sun_path)];

static bool name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') ||
	       (!first && (c == '_' || c == '.' || c == '-'));
}

void check_name(const char *option, const char *name)
{
	size_t i, len = strlen(name);

	for (i = 0; i < len && name_char(name[i], i == 0); i++)
		;
	if (len == 0 || i < len || len > NAME_MAX_LEN)
		die(0, NULL,
		    "%s '%s': names are letters, digits, '_', '.' and '-', "
		    "starting with a letter or digit, at most %d characters",
		    option, name, NAME_MAX_LEN);
}

/*
 * Make dir (0700) unless it is there, and check that it is a directory of
 * ours that nobody else may enter: in /tmp, another user could have made
 * it first, to read or plant sockets.
 */
static void private_dir(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		die(errno, NULL, "mkdir(%s)", dir);
	if (lstat(dir, &st) == -1)
		die(errno, NULL, "stat(%s)", dir);
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077) != 0)
		die(0,
		    "remove it, or set XDG_RUNTIME_DIR to a directory of your "
		    "own (systemd's /run/user/UID)",
		    "%s: not a directory of uid %u's alone (mode 0700): "
		    "names cannot live there",
		    dir, (unsigned)geteuid());
}

/* The directory of the caller's names (names.h); made if create. */
static void names_dir(char *dir, size_t size, bool create)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	char base[PATH_MAX];

	if (geteuid() == 0)
		snprintf(base, sizeof(base), "/run/mini-container");
	else if (xdg && xdg[0] == '/' && strlen(xdg) < PATH_MAX - 32)
		snprintf(base, sizeof(base), "%s/mini-container", xdg);
	else
		snprintf(base, sizeof(base), "/tmp/mini-container-%u",
			 (unsigned)geteuid());
	if ((size_t)snprintf(dir, size, "%s/names", base) >= size)
		die(ENAMETOOLONG, "set XDG_RUNTIME_DIR to a shorter path",
		    "%s/names", base);
	if (create) {
		private_dir(base);
		private_dir(dir);
	}
}

/* The address of name's socket (it must fit in sun_path, unix(7)). */
static void name_address(const char *name, bool create,
			 struct sockaddr_un *addr)
{
	char dir[PATH_MAX];

	names_dir(dir, sizeof(dir), create);
	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	if ((size_t)snprintf(addr->sun_path, sizeof(addr->sun_path), "%s/%s",
			     dir, name) >= sizeof(addr->sun_path))
		die(ENAMETOOLONG, "set XDG_RUNTIME_DIR to a shorter path",
		    "socket %s/%s", dir, name);
}

static int unix_socket(int flags)
{
	return (int)must(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | flags, 0),
			 "socket(AF_UNIX)");
}

/*
 * Does a runtime still listen on the socket at addr? Asked without
 * blocking: a runtime that is stopped, its backlog full, would make a
 * blocking connect(2) wait as long as it does (connect(2): EAGAIN, for a
 * nonblocking UNIX domain socket that cannot connect at once). Busy is
 * in use.
 */
static bool listening(const struct sockaddr_un *addr)
{
	int fd = unix_socket(SOCK_NONBLOCK), ret, err;

	ret = connect(fd, (const struct sockaddr *)addr, sizeof(*addr));
	err = errno;
	close(fd);
	if (ret == -1 && err != ECONNREFUSED && err != ENOENT && err != EAGAIN)
		die(err, NULL, "connect(%s)", addr->sun_path);
	return ret == 0 || err == EAGAIN;
}

/*
 * Remove the sockets nobody listens on: their runtimes were SIGKILLed
 * and could not. The caller holds the directory's lock, so no runtime is
 * between its check and its bind(2) meanwhile.
 */
static void remove_stale(int dirfd, const char *dir)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct dirent *entry;
	struct stat st;
	DIR *d;

	d = fdopendir((int)must(dup(dirfd), "dup()"));
	if (d == NULL)
		die(errno, NULL, "opendir(%s)", dir);
	while ((errno = 0, entry = readdir(d)) != NULL) {
		if (entry->d_name[0] == '.') /* ".", "..": no name starts so */
			continue;
		if (fstatat(dirfd, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) ==
			    -1 ||
		    !S_ISSOCK(st.st_mode))
			continue;
		if ((size_t)snprintf(addr.sun_path, sizeof(addr.sun_path),
				     "%s/%s", dir,
				     entry->d_name) >= sizeof(addr.sun_path) ||
		    listening(&addr))
			continue; /* too long to be one of ours, or in use */
		if (unlinkat(dirfd, entry->d_name, 0) == -1 && errno != ENOENT)
			die(errno, NULL, "unlink(%s)", addr.sun_path);
		narrate("removed the stale name %s", addr.sun_path);
	}
	if (errno != 0)
		die(errno, NULL, "readdir(%s)", dir);
	closedir(d);
}

static void unclaim(void)
{
	if (claimed[0] != '\0')
		unlink(claimed);
}

int name_claim(const char *name)
{
	struct sockaddr_un addr;
	char dir[PATH_MAX];
	int dirfd, sock;

	check_name("--name", name);
	/*
	 * Joiners get a pidfd (names.h): without pidfd_open(2) there is none
	 * to give. Ask now, on ourselves, before anything is made.
	 */
	sock = sys_pidfd_open(getpid(), 0);
	if (sock == -1)
		die(errno,
		    errno == ENOSYS ? "pidfd_open(2) needs Linux 5.3 or later"
				    : NULL,
		    "--name '%s': pidfd_open()", name);
	close(sock);
	name_address(name, true, &addr);
	names_dir(dir, sizeof(dir), false);
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd == -1)
		die(errno, NULL, "open(%s)", dir);
	must(flock(dirfd, LOCK_EX), "flock(%s, LOCK_EX)", dir);
	remove_stale(dirfd, dir);

	sock = unix_socket(0);
	if (bind(sock, (struct sockaddr *)&addr, sizeof(addr)) == -1) {
		if (errno == EADDRINUSE)
			die(0, NULL,
			    "--name '%s': a container of that name is running",
			    name);
		die(errno, NULL, "bind(%s)", addr.sun_path);
	}
	memcpy(claimed, addr.sun_path, sizeof(claimed));
	atexit(unclaim);
	must(listen(sock, 16), "listen(%s)", addr.sun_path);
	close(dirfd); /* and with it the lock */
	return sock;
}

/*
 * One caller: if it runs as our uid, send it the pidfd and a descriptor
 * of each cgroup directory, opened afresh (the runtime's own cg->fd
 * carries its lock). One byte of data says which cgroup tree: '2' for
 * cgroup v2, '1' for v1.
 */
void name_answer(int sock, int pidfd, const struct cgroups *cg)
{
	int fds[1 + MAX_HIERARCHIES], n = 1, conn, i;
	char data = cg->v2 ? '2' : '1';
	union { /* aligned for a cmsghdr, as in cmsg(3) */
		char buf[CMSG_SPACE(sizeof(fds))];
		struct cmsghdr align;
	} control = { 0 };
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = control.buf };
	struct cmsghdr *cmsg;
	struct ucred peer;
	socklen_t len = sizeof(peer);

	conn = accept4(sock, NULL, NULL, SOCK_CLOEXEC);
	if (conn == -1) /* the caller gave up already */
		return;
	/*
	 * The directory keeps everybody else out; check anyway. Inside a
	 * pod's user namespace (--pod), uids it does not map all read as
	 * 65534 (user_namespaces(7)): there only the directory tells.
	 */
	if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &peer, &len) == -1 ||
	    peer.uid != geteuid()) {
		close(conn);
		return;
	}
	fds[0] = pidfd;
	for (i = 0; i < cg->count; i++) {
		fds[n] = open(cg->dirs[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fds[n] >= 0)
			n++;
	}
	if (n == 1 + cg->count) {
		msg.msg_controllen = CMSG_SPACE(n * sizeof(int));
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(n * sizeof(int));
		memcpy(CMSG_DATA(cmsg), fds, n * sizeof(int));
		if (sendmsg(conn, &msg, MSG_NOSIGNAL) == -1)
			narrate("sendmsg() to a caller: %s", strerror(errno));
	}
	while (n > 1)
		close(fds[--n]);
	close(conn);
}

void name_serve(int sock, pid_t pid, const struct cgroups *cg)
{
	int pidfd = (int)must(sys_pidfd_open(pid, 0), "pidfd_open(%d)", pid);
	struct pollfd fds[2] = { { .fd = pidfd, .events = POLLIN },
				 { .fd = sock, .events = POLLIN } };

	for (;;) {
		if (poll(fds, 2, -1) == -1) {
			if (errno == EINTR) /* a signal we forwarded */
				continue;
			die(errno, NULL, "poll()");
		}
		if (fds[0].revents != 0) { /* PID 1 has ended */
			close(pidfd);
			return;
		}
		if (fds[1].revents & POLLIN)
			name_answer(sock, pidfd, cg);
	}
}

__attribute__((noreturn)) static void not_running(const char *option,
						  const char *name)
{
	die(0, NULL, "%s '%s': no container of that name is running", option,
	    name);
}

void name_lookup(const char *option, const char *name, struct running *c)
{
	int fds[1 + MAX_HIERARCHIES], n, fd, i;
	char data;
	union {
		char buf[CMSG_SPACE(sizeof(fds))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = control.buf,
			      .msg_controllen = sizeof(control.buf) };
	struct sockaddr_un addr;
	struct cmsghdr *cmsg;
	struct ucred peer;
	socklen_t len = sizeof(peer);
	ssize_t got;

	check_name(option, name);
	name_address(name, false, &addr);
	fd = unix_socket(0);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == -1) {
		/* No socket, or nobody listens on it: not running. */
		if (errno == ENOENT || errno == ECONNREFUSED)
			not_running(option, name);
		die(errno, NULL, "connect(%s)", addr.sun_path);
	}
	must(getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &len),
	     "getsockopt(SO_PEERCRED)");
	if (peer.uid != geteuid())
		die(0, NULL, "%s '%s': %s is held by uid %u, not by you",
		    option, name, addr.sun_path, (unsigned)peer.uid);
	got = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
	/*
	 * Nothing, or ECONNRESET: the container ended while we asked (its
	 * runtime exited, our call still waiting to be accepted).
	 */
	if (got == -1 && errno != ECONNRESET)
		die(errno, NULL, "recvmsg(%s)", addr.sun_path);
	cmsg = got > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (cmsg == NULL || cmsg->cmsg_level != SOL_SOCKET ||
	    cmsg->cmsg_type != SCM_RIGHTS)
		not_running(option, name);
	n = (int)((cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int));
	/* What came is closed by our exit (die()): received O_CLOEXEC. */
	if ((msg.msg_flags & MSG_CTRUNC) || n < 1 || n > 1 + MAX_HIERARCHIES)
		die(0, NULL, "%s '%s': the runtime sent %s than expected",
		    option, name, n < 1 ? "less" : "more");
	memcpy(fds, CMSG_DATA(cmsg), n * sizeof(int));
	close(fd);
	c->pidfd = fds[0];
	c->cgroups = n - 1;
	for (i = 1; i < n; i++)
		c->cgroup_fds[i - 1] = fds[i];
	c->v2 = data == '2';
	narrate("%s: pidfd %d, %d cgroup directories", addr.sun_path, c->pidfd,
		c->cgroups);
#ifdef __SANITIZE_ADDRESS__
	/*
	 * A sanitizer build only. LeakSanitizer checks at exit by stopping
	 * our threads, found in /proc/PID/task by our host PID; --exec is
	 * about to enter the container's mount namespace, whose /proc does not
	 * know that PID, and the check at exit would spin there for ever. So
	 * --exec checks now, which also turns the check at exit off.
	 */
	if (strcmp(option, "--exec") == 0)
		__lsan_do_leak_check();
#endif
}

void running_close(struct running *c)
{
	while (c->cgroups > 0)
		close(c->cgroup_fds[--c->cgroups]);
	close(c->pidfd);
	c->pidfd = -1;
}
