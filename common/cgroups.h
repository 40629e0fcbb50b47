/*
 * cgroups.h - the housekeeping around a container's cgroups: which tree
 * (cgroup v2, or the v1 controller trees of a hybrid machine), the
 * project's parent cgroup, a cgroup of our own that survives nobody,
 * delegation to an unprivileged user, and removal. The limits themselves,
 * and the cgroup namespace, are step 6's lesson, in its container.c.
 * Everything here dies (common/error.h) on a failure.
 */
#ifndef COMMON_CGROUPS_H
#define COMMON_CGROUPS_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "common/cgroupfs.h"

/*
 * The container's cgroup: one directory in the cgroup2 tree, or one per
 * v1 controller tree, each below a parent cgroup named after the project.
 */
#define CGROUP_PARENT	"mini-container"
#define CPU_PERIOD	100000 /* microseconds: a --cpus share is of each 100 ms */
#define MAX_HIERARCHIES 3

struct cgroups {
	bool v2;   /* the cgroup2 tree, or v1 trees */
	int count; /* directories in dirs[]; 0: no cgroup of our own */
	int trees; /* parents[] set: count, and on v1 the cpu tree without --cpus */
	char parents[MAX_HIERARCHIES]
		    [PATH_MAX + 64]; /* mini-container in each tree */
	char dirs[MAX_HIERARCHIES][PATH_MAX + 128]; /* the container's cgroups */
	char name[32];	/* their name, ctr-PID-RANDOM, in every tree */
	int fd;		/* dirs[0], locked: see cgroup_create_locked */
	bool delegated; /* unprivileged, in a cgroup delegated to us */
};

/*
 * Which cgroup tree, decided before anything is created. Detect, never
 * assume: cgroup v2 if the cgroup2 tree has the memory and pids
 * controllers; else the v1 trees (a hybrid machine's cgroup2 mount has no
 * controllers). As root we make cgroups at the top of the tree. Anyone
 * else may only use a cgroup delegated to them, as
 * systemd-run --user -p Delegate=yes gives; without one, limits are
 * refused (limits: some are asked for; cpu: --cpus is), and the container
 * still gets its cgroup namespace. Sets cg->count to 0 when the container
 * gets no cgroup of its own. On v1 the container's cgroups are in the
 * memory and pids trees, and in the cpu tree only for --cpus: each tree
 * costs a mkdir(2) and an rmdir(2) of its own on every run.
 */
void choose_cgroups(struct cgroups *cg, bool limits, bool cpu);

/*
 * Make the container's cgroups: mkdir mini-container/ctr-PID-RANDOM in
 * each tree (the first one held locked by cg->fd for the runtime's life,
 * cgroup_create_locked), and on cgroup v2 give them the memory, pids and
 * (cpu) cpu controllers. cgroup v2 has a rule v1 has not: a cgroup with
 * processes cannot hand controllers to its children ("no internal
 * processes", cgroup-v2.rst). As root we avoid it by working at the top
 * of the tree, which is exempt, in mini-container, which holds no
 * process. In a cgroup delegated to an unprivileged user, the runtime
 * itself is in the way: it first moves itself into a leaf of its own,
 * runtime-PID-RANDOM. Last, what SIGKILLed runtimes left and nobody holds
 * is removed (cgroup_remove_stale).
 */
void cgroups_make(struct cgroups *cg, bool cpu);

/* Write text to the file name in cgroup directory dir: 0, or -1 with errno. */
int cgroup_write(const char *dir, const char *name, const char *text);

/*
 * The limits on cgroup v1, where each controller has a tree of its own
 * and the files their own names (0: no limit). Swap is limited with
 * memory where swap accounting is on.
 */
void cgroup_v1_set_limits(const struct cgroups *cg, unsigned long long memory,
			  unsigned long pids, unsigned long millicpus);

/*
 * Without CLONE_INTO_CGROUP (cgroup v1, or a kernel before 5.7): move pid
 * into the container's cgroups while it waits on the sync pipe, before it
 * runs a single instruction of the container's own.
 */
void cgroups_add(const struct cgroups *cg, pid_t pid);

/*
 * Kill what is left in the container's cgroups (cgroup.kill, Linux 5.14;
 * or SIGKILL to each PID in cgroup.procs), remove them, and the project's
 * parent cgroup when no other container uses it. The first tree's cgroup
 * goes last, and only when the others are gone: it is the one a later
 * run's cgroup_remove_stale looks for.
 */
void cgroups_remove(struct cgroups *cg);

#endif
