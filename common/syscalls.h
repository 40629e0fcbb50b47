/*
 * syscalls.h - system calls that glibc has no wrapper for, one small
 * function each, called through syscall(2).
 */
#ifndef COMMON_SYSCALLS_H
#define COMMON_SYSCALLS_H

#include <linux/openat2.h>
#include <linux/sched.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * pivot_root(2): make new_root the root of this mount namespace and move
 * the old root to put_old. glibc has never wrapped it.
 */
static inline int sys_pivot_root(const char *new_root, const char *put_old)
{
	return (int)syscall(SYS_pivot_root, new_root, put_old);
}

/*
 * openat2(2) (Linux 5.6): openat with a struct open_how, whose resolve
 * flags can confine path lookup, e.g. RESOLVE_IN_ROOT treats dirfd as the
 * root for "/" and "..", absolute symlinks included. No glibc wrapper.
 */
static inline int sys_openat2(int dirfd, const char *path, struct open_how *how)
{
	return (int)syscall(SYS_openat2, dirfd, path, how, sizeof(*how));
}

/*
 * clone3(2) (Linux 5.3): clone with its arguments in a struct clone_args,
 * which has room for what clone(2) cannot say, such as CLONE_INTO_CGROUP.
 * glibc has no wrapper for it. With args->stack 0 the child runs on a
 * copy of the caller's stack and returns 0 from here, as from fork(2).
 */
static inline pid_t sys_clone3(struct clone_args *args)
{
	return (pid_t)syscall(SYS_clone3, args, sizeof(*args));
}

/*
 * clone(2) the system call, with no stack: like fork(2), the child runs on
 * a copy of the caller's stack and returns 0 from here. For where clone3
 * answers ENOSYS (a kernel before 5.3, or valgrind, which does not know
 * it). The remaining arguments (parent_tid, child_tid, tls) are unused and
 * 0; only their order differs between architectures (clone(2), NOTES).
 */
static inline pid_t sys_clone_fork(unsigned long flags)
{
	return (pid_t)syscall(SYS_clone, flags, NULL, NULL, NULL, 0);
}

/*
 * pidfd_open(2) (Linux 5.3): a file descriptor that names the process pid
 * itself, not its number: setns(2) takes it (Linux 5.8), poll(2) sees it
 * readable when the process ends. glibc wraps it only since 2.36.
 */
static inline int sys_pidfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

/*
 * pidfd_send_signal(2) (Linux 5.1): kill(2) through a pidfd. Signal 0
 * sends nothing and only asks whether the process is still there.
 */
static inline int sys_pidfd_send_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}
#endif
