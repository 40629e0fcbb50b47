/*
 * mounts.h - the parts of a container's file tree that every runtime
 * builds the same way: a minimal /dev, and the paths of /proc and /sys a
 * container must not write or see (runc's defaults). Each works on the
 * directory it is called in, the new root before pivot_root(2), and dies
 * (common/error.h) on any failure: a path left unprotected is no option.
 */
#ifndef COMMON_MOUNTS_H
#define COMMON_MOUNTS_H

/*
 * In ./proc, a fresh procfs: make proc/sys, proc/sysrq-trigger and the
 * like read-only (a bind mount of each on itself, remounted MS_RDONLY).
 */
void protect_proc(void);

/*
 * Hide what a container should not see at all (kernel memory, keyrings,
 * timers, firmware): /dev/null over a file, an empty read-only tmpfs over
 * a directory. After ./proc and ./sys are mounted.
 */
void mask_paths(void);

/*
 * ./dev: a small tmpfs holding the device nodes programs expect, bound
 * from the host's /dev (a user namespace may not mknod them), the usual
 * symbolic links, a devpts of its own for terminals, and /dev/shm.
 */
void mount_dev(void);

/* Paths a kernel may lack (ENOENT) are skipped by both lists' users. */
extern const char *const proc_readonly_paths[];
extern const char *const masked_paths[];

#endif
