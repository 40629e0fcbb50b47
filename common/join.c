#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/error.h"
#include "common/file.h"
#include "common/join.h"
#include "common/syscalls.h"

/*
 * The order we enter them in. The user namespace comes first: setns(2)
 * into any other namespace asks for CAP_SYS_ADMIN both in the user
 * namespace that owns it and in the caller's own (setns(2); e.g.
 * netns_install() in net/core/net_namespace.c). An ordinary user has it
 * in neither until it has entered the container's user namespace, which
 * gives it every capability there (user_namespaces(7)). util-linux's
 * nsenter enters it last when it can, for a root caller joining
 * namespaces its user namespace does not own; the container's are all
 * owned by the container's user namespace, so first works for both.
 */
static const struct {
	int flag;
	const char *name;
} namespaces[] = {
	{ CLONE_NEWUSER, "user" },     { CLONE_NEWNS, "mnt" },
	{ CLONE_NEWUTS, "uts" },       { CLONE_NEWIPC, "ipc" },
	{ CLONE_NEWNET, "net" },       { CLONE_NEWPID, "pid" },
	{ CLONE_NEWCGROUP, "cgroup" }, { CLONE_NEWTIME, "time" },
};
#define NAMESPACES (int)(sizeof(namespaces) / sizeof(namespaces[0]))

/* The PID of a pidfd's process, in our PID namespace: fdinfo's "Pid:". */
static pid_t pid_of(int pidfd)
{
	char path[64], text[1024], *line;
	int pid;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	if (read_file(path, text, sizeof(text)) == -1)
		return -1;
	line = strstr(text, "\nPid:");
	if (line == NULL || sscanf(line, "\nPid: %d", &pid) != 1 || pid <= 0) {
		errno = ESRCH; /* -1: the process has ended */
		return -1;
	}
	return pid;
}

/* Has it ended? A pidfd is readable once its process has (pidfd_open(2)). */
static bool ended(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

int join_by_files(int pidfd, int flags)
{
	int fds[NAMESPACES], i, err = 0;
	char path[64];
	pid_t pid = pid_of(pidfd);

	if (pid == -1)
		return -1;
	for (i = 0; i < NAMESPACES; i++) {
		fds[i] = -1;
		if (!(flags & namespaces[i].flag) || err)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid,
			 namespaces[i].name);
		fds[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (fds[i] == -1)
			err = errno;
	}
	/*
	 * If it has ended, say so as setns(2) on its pidfd would: ESRCH. A
	 * zombie keeps its PID but has no namespaces left, their files are
	 * gone (ENOENT); once reaped, its PID may be another's (EACCES).
	 */
	if (err && ended(pidfd))
		err = ESRCH;
	/*
	 * Still alive now, so PID was its number when we opened the files:
	 * they are the container's, not those of a process that took the
	 * number after it.
	 */
	if (!err && sys_pidfd_send_signal(pidfd, 0) == -1)
		err = errno;
	for (i = 0; i < NAMESPACES && !err; i++)
		if (fds[i] >= 0) {
			if (setns(fds[i], namespaces[i].flag) == -1)
				err = errno;
			else
				narrate("setns(/proc/%d/ns/%s) = 0", pid,
					namespaces[i].name);
		}
	for (i = 0; i < NAMESPACES; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	errno = err;
	return err ? -1 : 0;
}

void cgroup_fds_add(const int *fds, int count, pid_t pid)
{
	char text[32];
	int i, fd;

	snprintf(text, sizeof(text), "%d", pid);
	for (i = 0; i < count; i++) {
		fd = openat(fds[i], "cgroup.procs", O_WRONLY | O_CLOEXEC);
		if (fd == -1 || write(fd, text, strlen(text)) == -1)
			die(errno, NULL, "move %d into the container's cgroup",
			    pid);
		close(fd);
	}
}
