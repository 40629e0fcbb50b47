/*
 * join.h - joining a running container (step 9): the namespaces one by
 * one where setns(2) takes no pidfd, and its cgroups by descriptor.
 */
#ifndef COMMON_JOIN_H
#define COMMON_JOIN_H

#include <sys/types.h>

/*
 * setns(2) with a pidfd and several CLONE_NEW* flags arrived in Linux 5.8.
 * Before it, each namespace of a process is a file, /proc/PID/ns/NAME,
 * and setns takes one at a time. This opens every file first, checks that
 * the pidfd's process still lives (so PID was still its number when they
 * were opened), then enters them, the user namespace first. Returns 0, or
 * -1 with errno (ESRCH: the process has ended).
 */
int join_by_files(int pidfd, int flags);

/*
 * Move pid into the cgroups whose directories fds[0..count) are open,
 * writing its PID to each cgroup.procs: where the child could not be
 * started right in its cgroup (cgroup v1, or no CLONE_INTO_CGROUP).
 */
void cgroup_fds_add(const int *fds, int count, pid_t pid);

#endif
