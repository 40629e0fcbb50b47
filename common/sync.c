#define _GNU_SOURCE
#include "common/sync.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

int sync_init(struct sync_pipe *s)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) == -1)
		return -1;
	s->wait_fd = fds[0];
	s->release_fd = fds[1];
	return 0;
}

int sync_wait(struct sync_pipe *s)
{
	struct pollfd pfd = { .fd = s->wait_fd, .events = POLLIN };
	char byte;
	ssize_t n;
	int err;

	close_fd(&s->release_fd);
	do
		n = read(s->wait_fd, &byte, 1);
	while (n == -1 && errno == EINTR);
	if (n == 1)
		return 0;
	if (n == 0) {
		errno = ECANCELED;
		return -1;
	}
	/*
	 * The read failed: the child will report it and leave. Not yet: the
	 * parent may be writing our uid_map or moving a veth into our
	 * namespace, and would fail on a child that is gone, and report that
	 * too, a second error that only echoes ours. Wait for the release
	 * (the pipe readable) or the parent's end (it hangs up); poll(2)
	 * waits even when reading fails again. Hung up with nothing to read,
	 * the parent failed and said why: leave without a word (ECANCELED).
	 */
	err = errno;
	if (err == EBADF) /* no pipe at all: nothing to wait for */
		return -1;
	while (poll(&pfd, 1, -1) == -1 && errno == EINTR)
		;
	errno = (pfd.revents & POLLHUP) && !(pfd.revents & POLLIN) ? ECANCELED
								   : err;
	return -1;
}

int sync_release(struct sync_pipe *s)
{
	ssize_t n;
	int err;

	/*
	 * Write first, then close the child's end: while we hold it, the
	 * pipe has a reader even when the child has died already, so the
	 * write cannot raise SIGPIPE (pipe(7)), which would kill the runtime
	 * before it cleans up. The child's exit status tells the rest.
	 */
	do
		n = write(s->release_fd, "g", 1);
	while (n == -1 && errno == EINTR);
	err = errno;
	close_fd(&s->wait_fd);
	errno = err;
	return n == 1 ? 0 : -1;
}

int sync_parent_alive(struct sync_pipe *s)
{
	struct pollfd pfd = { .fd = s->wait_fd, .events = POLLIN };
	int n;

	/* The parent's end closes when it dies: the pipe then "hangs up". */
	do
		n = poll(&pfd, 1, 0);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1; /* not known: the caller says why and leaves */
	return !(pfd.revents & (POLLHUP | POLLNVAL));
}

void sync_close(struct sync_pipe *s)
{
	close_fd(&s->wait_fd);
	close_fd(&s->release_fd);
}
