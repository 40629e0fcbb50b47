/*
 * cgroupfs.h - where the cgroup hierarchies are, read from /proc.
 *
 * cgroup v2 is one tree (a "cgroup2" mount, usually /sys/fs/cgroup); v1
 * is one tree per controller ("cgroup" mounts such as /sys/fs/cgroup/memory).
 * A hybrid machine has both: v1 controllers and a cgroup2 mount without
 * them. We detect which, never assume (see cgroups(7)).
 */
#ifndef COMMON_CGROUPFS_H
#define COMMON_CGROUPFS_H

#include <limits.h>
#include <stddef.h>

/* A mounted hierarchy: where it is mounted, and which cgroup is its root. */
struct cgroup_mount {
	char dir[PATH_MAX];  /* mount point, "" when not mounted */
	char root[PATH_MAX]; /* the cgroup shown at dir, usually "/" */
};

struct cgroup_mounts {
	struct cgroup_mount v2;	    /* the cgroup2 hierarchy */
	struct cgroup_mount memory; /* the v1 hierarchies we use */
	struct cgroup_mount pids;
	struct cgroup_mount cpu;
};

/*
 * Fill m from a mountinfo file (/proc/self/mountinfo). The first cgroup2
 * mount is taken as v2; a v1 "cgroup" mount counts for each controller in
 * its options. Returns 0, or -1 with errno (the file could not be read).
 */
int find_cgroup_mounts(const char *mountinfo, struct cgroup_mounts *m);

/*
 * This process's cgroup in one hierarchy, from a cgroup file
 * (/proc/self/cgroup): controller NULL for v2 (the "0::" line), else a v1
 * controller name ("memory"). Returns 0, or -1 with ENOENT when the file
 * has no such line.
 */
int own_cgroup(const char *proc_cgroup, const char *controller, char *path,
	       size_t size);

/*
 * The directory of cgroup path (as /proc/self/cgroup names it) under
 * mount m, in buf: m->dir plus the part of path below m->root. Returns 0,
 * or -1 with EXDEV when path is not below the mount's root.
 */
int cgroup_dir(const struct cgroup_mount *m, const char *path, char *buf,
	       size_t size);

/*
 * 1 if the cgroup v2 directory dir lists controller in cgroup.controllers,
 * 0 if not or if there is no such file; -1 with errno if it cannot be read.
 */
int cgroup_has_controller(const char *dir, const char *controller);

/*
 * 1 if the kernel knows the cgroup2 filesystem (a filesystems file), 0 if
 * not or if there is no such file; -1 with errno if it cannot be read.
 */
int cgroup2_supported(const char *filesystems);

/*
 * A container's cgroup, and how runtimes tell a live one from one left by
 * a SIGKILLed runtime. A PID cannot tell: runtimes in different PID
 * namespaces may share one cgroup tree, and PIDs come round again. So the
 * name is "ctr-PID-RANDOM", which no other runtime picks, and a live
 * runtime holds an exclusive flock(2) on its cgroup's directory, which the
 * kernel drops when the runtime dies, however it dies.
 */

/*
 * Make a new cgroup "ctr-PID-RANDOM" below parent, and lock it. name gets
 * the name. Returns the open, locked directory (O_CLOEXEC), or -1 with
 * errno (ENOENT: parent is gone).
 */
int cgroup_create_locked(const char *parent, char *name, size_t size);

/*
 * Remove what runtimes that were SIGKILLed left below the n parents (one
 * per cgroup tree, the same names in each): every ctr-ID of parents[0]
 * that nobody holds, in every tree, and a runtime-ID leaf (of a
 * delegated cgroup) whose ctr-ID is gone. Only rmdir(2): a cgroup that still has
 * processes is not ours to kill, and the kernel refuses to remove it
 * (EBUSY). Returns how many ctr-ID were removed, or -1 with errno when
 * parents[0] cannot be read.
 */
int cgroup_remove_stale(const char *const *parents, int n);

#endif
