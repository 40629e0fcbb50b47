/*
 * syscalls.h - system calls that glibc has no wrapper for, one small
 * function each, called through syscall(2).
 */
#ifndef COMMON_SYSCALLS_H
#define COMMON_SYSCALLS_H

#include <linux/openat2.h>
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

#endif
