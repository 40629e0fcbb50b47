#define _GNU_SOURCE
#include "common/process.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/syscalls.h"

pid_t wait_for(pid_t pid, int *status)
{
	pid_t ret;

	do
		ret = waitpid(pid, status, 0);
	while (ret == -1 && errno == EINTR);
	return ret;
}

pid_t reap(pid_t pid, int *status, volatile pid_t *forward_to)
{
	siginfo_t info;
	int ret;

	do {
		info.si_pid = 0;
		ret = waitid(pid == -1 ? P_ALL : P_PID,
			     pid == -1 ? 0 : (id_t)pid, &info,
			     WEXITED | WNOWAIT);
	} while (ret == -1 && errno == EINTR);
	if (ret == -1)
		return -1;
	if (*forward_to == info.si_pid)
		*forward_to = 0;
	return wait_for(info.si_pid, status);
}

int exit_code_of(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 125;
}

int exec_failure_code(int err)
{
	return (err == ENOENT || err == ENOTDIR) ? 127 : 126;
}

/* CLONE_NEWTIME is missing from older headers; its value is fixed by the kernel ABI. */
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const struct {
	unsigned long flag;
	const char *name;
} clone_flags[] = {
	{ CLONE_NEWUTS, "CLONE_NEWUTS" },
	{ CLONE_NEWPID, "CLONE_NEWPID" },
	{ CLONE_NEWNS, "CLONE_NEWNS" },
	{ CLONE_NEWUSER, "CLONE_NEWUSER" },
	{ CLONE_NEWNET, "CLONE_NEWNET" },
	{ CLONE_NEWCGROUP, "CLONE_NEWCGROUP" },
	{ CLONE_NEWTIME, "CLONE_NEWTIME" },
	{ CLONE_NEWIPC, "CLONE_NEWIPC" },
	{ CLONE_INTO_CGROUP, "CLONE_INTO_CGROUP" },
};

const char *clone_flag_names(unsigned long flags, char *buf, size_t size)
{
	size_t len = 0, i;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < sizeof(clone_flags) / sizeof(clone_flags[0]); i++) {
		if (!(flags & clone_flags[i].flag))
			continue;
		flags &= ~clone_flags[i].flag;
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0,
					"%s%s", len ? "|" : "",
					clone_flags[i].name);
	}
	if (flags != 0 || len == 0)
		snprintf(buf + len, len < size ? size - len : 0, "%s%#lx",
			 len ? "|" : "", flags);
	return buf;
}

/*
 * Every descriptor from lowfd up: closed (close_it) or marked
 * close-on-exec. close_range(2) (Linux 5.11 for CLOSE_RANGE_CLOEXEC, 5.9
 * for the call) does it in one call; before it, one descriptor at a time,
 * as /proc/self/fd lists them.
 */
static int each_fd_from(int lowfd, bool close_it)
{
	struct dirent *d;
	DIR *dir;
	int fd, ret = 0;

	if (syscall(SYS_close_range, lowfd, ~0U,
		    close_it ? 0 : CLOSE_RANGE_CLOEXEC) == 0)
		return 0;
	if (errno != ENOSYS && errno != EINVAL)
		return -1;
	dir = opendir("/proc/self/fd");
	if (dir == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL) {
		fd = atoi(d->d_name);
		if (d->d_name[0] == '.' || fd < lowfd || fd == dirfd(dir))
			continue;
		if (close_it ? close(fd) == -1 && errno != EBADF
			     : fcntl(fd, F_SETFD,
				     fcntl(fd, F_GETFD) | FD_CLOEXEC) == -1)
			ret = -1;
	}
	closedir(dir);
	return ret;
}

int cloexec_from(int lowfd)
{
	return each_fd_from(lowfd, false);
}

int close_from(int lowfd)
{
	return each_fd_from(lowfd, true);
}

pid_t clone_into_cgroup(unsigned long flags, int cgroup_fd, bool *placed,
			char *call, size_t size)
{
	struct clone_args args = { .flags = flags, .exit_signal = SIGCHLD };
	const char *name = "clone3";
	char names[160];
	pid_t pid;
	int err;

	if (cgroup_fd >= 0) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = (unsigned)cgroup_fd;
	}
	pid = sys_clone3(&args);
	if (pid == -1 && (args.flags & CLONE_INTO_CGROUP) &&
	    (errno == E2BIG || errno == EINVAL)) {
		/* A kernel before 5.7: the caller places the child by hand. */
		args.flags &= ~CLONE_INTO_CGROUP;
		pid = sys_clone3(&args);
	}
	if (pid == -1 && errno == ENOSYS) {
		/* No clone3 (before 5.3, or valgrind): clone(2) as fork(2). */
		name = "clone";
		args.flags &= ~CLONE_INTO_CGROUP;
		pid = sys_clone_fork(args.flags | SIGCHLD);
	}
	if (pid == 0)
		return 0;
	err = errno; /* for the caller, past the snprintf below */
	*placed = (args.flags & CLONE_INTO_CGROUP) != 0;
	snprintf(call, size, "%s(%s)", name,
		 clone_flag_names(args.flags, names, sizeof(names)));
	errno = err;
	return pid;
}
