/*
 * process.h - waiting for a child and turning its end into an exit status.
 */
#ifndef COMMON_PROCESS_H
#define COMMON_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* waitpid(2) for pid, retried when a signal handler interrupts it. */
pid_t wait_for(pid_t pid, int *status);

/*
 * Wait for pid (-1: any child), and stop forwarding signals to it before
 * it is reaped. waitid(2) with WNOWAIT sees the child end but leaves it a
 * zombie, whose PID no new process can take; *forward_to is set to 0 if
 * it is that child; only then does waitpid(2) reap it. So a signal
 * forwarded by PID never reaches a process that got the PID later.
 * Returns the reaped PID, or -1 with errno.
 */
pid_t reap(pid_t pid, int *status, volatile pid_t *forward_to);

/*
 * The shell's convention, which the runtime passes on: the exit status
 * of a child that exited, or 128+N for one killed by signal N.
 */
int exit_code_of(int status);

/* Status for a failed execve(2): 127 "not found", 126 "cannot execute". */
int exec_failure_code(int err);

/*
 * Spell clone(2)/unshare(2) namespace flags for --verbose:
 * "CLONE_NEWUTS|CLONE_NEWPID". Unknown bits are shown in hex.
 */
const char *clone_flag_names(unsigned long flags, char *buf, size_t size);

/*
 * Mark every file descriptor from lowfd up close-on-exec, so that none
 * the caller left open reaches the program exec'd next. close_range(2)
 * with CLOSE_RANGE_CLOEXEC (Linux 5.11); before it, one fcntl(2) per
 * descriptor listed in /proc/self/fd. Returns 0, or -1 with errno.
 */
int cloexec_from(int lowfd);

/*
 * Close every file descriptor from lowfd up, for a process that goes on
 * running without execve(2), where close-on-exec never fires (the tiny
 * init). close_range(2) (Linux 5.9); before it, one close(2) per
 * descriptor listed in /proc/self/fd. Returns 0, or -1 with errno.
 */
int close_from(int lowfd);

/*
 * Start a child in new namespaces (flags: CLONE_NEW*), as fork(2) does:
 * returns 0 in the child, its PID in the parent, -1 with errno. With
 * cgroup_fd (>= 0), the child starts right in that cgroup v2 directory:
 * clone3(2) with CLONE_INTO_CGROUP (Linux 5.7), so it never runs outside
 * its limits. Where the kernel lacks it, clone3 without it; where there
 * is no clone3 (before Linux 5.3, or under valgrind), clone(2) with no
 * stack, as fork(2). *placed says whether the child is in the cgroup
 * already (if not, the caller moves it, cgroups_add); call receives the
 * call made, for messages: "clone3(CLONE_NEWUSER|...|CLONE_INTO_CGROUP)".
 */
pid_t clone_into_cgroup(unsigned long flags, int cgroup_fd, bool *placed,
			char *call, size_t size);

#endif
