#define _GNU_SOURCE
#include "common/cgroups.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "common/file.h"
#include "common/hints.h"

void choose_cgroups(struct cgroups *cg, bool limits, bool cpu)
{
	struct cgroup_mounts m;
	char systemd_run[PATH_MAX + 128];
	char own[PATH_MAX], dir[PATH_MAX], path[PATH_MAX + 32];

	/* The hint names this very runtime, as it was started. */
	snprintf(systemd_run, sizeof(systemd_run),
		 "run it in a cgroup delegated to you: systemd-run --user "
		 "--scope -p Delegate=yes %s ...",
		 program_invocation_name);
	must(find_cgroup_mounts("/proc/self/mountinfo", &m),
	     "read /proc/self/mountinfo");
	/* A file that cannot be read is an error, not a "no": must() says why. */
	cg->v2 = m.v2.dir[0] != '\0' &&
		 must(cgroup2_supported("/proc/filesystems"),
		      "read /proc/filesystems") &&
		 must(cgroup_has_controller(m.v2.dir, "memory"),
		      "read %s/cgroup.controllers", m.v2.dir) &&
		 must(cgroup_has_controller(m.v2.dir, "pids"),
		      "read %s/cgroup.controllers", m.v2.dir);
	if (!cg->v2 && (m.memory.dir[0] == '\0' || m.pids.dir[0] == '\0')) {
		if (limits)
			die(0,
			    m.v2.dir[0] == '\0' && m.memory.dir[0] == '\0'
				    ? "no cgroup tree is mounted here: `ip netns exec` "
				      "remounts /sys and hides them; enter a network "
				      "namespace with nsenter --net=/run/netns/NAME instead"
				    : "mount the memory and pids controllers (cgroups(7))",
			    "--memory/--pids/--cpus: no cgroup tree with the "
			    "memory and pids controllers");
		return;
	}
	if (cpu && (cg->v2 ? !must(cgroup_has_controller(m.v2.dir, "cpu"),
				   "read %s/cgroup.controllers", m.v2.dir)
			   : m.cpu.dir[0] == '\0'))
		die(0, NULL, "--cpus: this machine has no cpu controller");

	/*
	 * Root may write at the top of each tree (a "root" inside a user
	 * namespace may not: the host's cgroupfs is not its own).
	 */
	if (access(cg->v2 ? m.v2.dir : m.memory.dir, W_OK) == 0) {
		/* The top of each tree: "mini-container/ctr-PID-RANDOM" below it. */
		snprintf(cg->parents[0], sizeof(cg->parents[0]), "%s/%s",
			 cg->v2 ? m.v2.dir : m.memory.dir, CGROUP_PARENT);
		cg->count = cg->trees = 1;
		if (!cg->v2) {
			snprintf(cg->parents[1], sizeof(cg->parents[0]),
				 "%s/%s", m.pids.dir, CGROUP_PARENT);
			cg->count = cg->trees = 2;
			/*
			 * The cpu tree only for --cpus; its parent is known
			 * all the same, to sweep what a run with --cpus left.
			 */
			if (m.cpu.dir[0] != '\0') {
				snprintf(cg->parents[2], sizeof(cg->parents[0]),
					 "%s/%s", m.cpu.dir, CGROUP_PARENT);
				cg->trees = 3;
				cg->count = cpu ? 3 : 2;
			}
		}
		return;
	}
	if (!limits)
		return;
	/*
	 * Unprivileged: our own cgroup must be a v2 cgroup delegated to us,
	 * that is, we may write its cgroup.procs and cgroup.subtree_control.
	 * Only EACCES says the tree is not ours; EROFS and others are errors.
	 */
	if (errno != EACCES || !cg->v2)
		die(errno,
		    errno == EACCES ? "cgroup v1 cannot be delegated to "
				      "a user: run it as root"
				    : NULL,
		    "--memory/--pids/--cpus: access(%s, W_OK)",
		    cg->v2 ? m.v2.dir : m.memory.dir);
	if (own_cgroup("/proc/self/cgroup", NULL, own, sizeof(own)) == -1 ||
	    cgroup_dir(&m.v2, own, dir, sizeof(dir)) == -1)
		die(errno, NULL, "/proc/self/cgroup: no cgroup v2 line");
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", dir);
	if (access(path, W_OK) == -1)
		die(0, systemd_run,
		    "--memory/--pids/--cpus: cgroup %s is not "
		    "delegated to you",
		    own);
	snprintf(cg->parents[0], sizeof(cg->parents[0]), "%s/%s", dir,
		 CGROUP_PARENT);
	cg->count = cg->trees = 1;
	cg->delegated = true;
}

int cgroup_write(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX + 192];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (write_file(path, text) == -1)
		return -1;
	narrate("write %s '%s' = 0", path, text);
	return 0;
}

static bool remove_cgroup(const char *dir)
{
	char path[PATH_MAX + 192], procs[4096], *line, *save;
	int i;

	for (i = 0; i < 500; i++) {
		if (rmdir(dir) == 0 || errno == ENOENT) {
			narrate("rmdir(%s) = 0", dir);
			return true;
		}
		if (errno != EBUSY)
			break;
		snprintf(path, sizeof(path), "%s/cgroup.kill", dir);
		if (write_file(path, "1") == -1) {
			snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
			if (read_file(path, procs, sizeof(procs)) > 0)
				for (line = strtok_r(procs, "\n", &save); line;
				     line = strtok_r(NULL, "\n", &save))
					kill(atoi(line), SIGKILL);
		}
		usleep(10000);
	}
	report(errno, NULL, "rmdir(%s)", dir);
	return false;
}

void cgroups_remove(struct cgroups *cg)
{
	bool others_gone = true;
	int i;

	/*
	 * The first tree's cgroup last, and only when the others are gone:
	 * it is the one a later run's cgroup_remove_stale looks for.
	 */
	for (i = cg->count - 1; i >= 0; i--) {
		if (cg->dirs[i][0] != '\0' && (i > 0 || others_gone))
			others_gone = remove_cgroup(cg->dirs[i]) && others_gone;
		/*
		 * Fails while other containers use it, as it should. One that
		 * is starting may have no cgroup in it yet: it makes
		 * mini-container again (make_container_cgroup).
		 */
		if (!cg->delegated && rmdir(cg->parents[i]) == 0)
			narrate("rmdir(%s) = 0", cg->parents[i]);
	}
	/* A tree we made nothing in: what a SIGKILLed run with --cpus left. */
	for (i = cg->count; i < cg->trees; i++)
		if (!cg->delegated && rmdir(cg->parents[i]) == 0)
			narrate("rmdir(%s) = 0", cg->parents[i]);
	if (cg->fd >= 0)
		close(cg->fd);
}

static void make_container_cgroup(struct cgroups *cg, int i)
{
	char path[sizeof(cg->dirs[0])];
	int tries, ret;

	for (tries = 0; tries < 100; tries++) {
		if (mkdir(cg->parents[i], 0755) == -1 && errno != EEXIST)
			die(errno, NULL, "mkdir(%s)", cg->parents[i]);
		if (i == 0) {
			cg->fd = cgroup_create_locked(cg->parents[0], cg->name,
						      sizeof(cg->name));
			ret = cg->fd;
		} else {
			snprintf(path, sizeof(path), "%s/%s", cg->parents[i],
				 cg->name);
			ret = mkdir(path, 0755);
		}
		if (ret != -1 || errno != ENOENT)
			break;
	}
	if (ret == -1)
		die(errno, NULL, "mkdir(%s/%s)", cg->parents[i],
		    i == 0 ? "ctr-PID-RANDOM" : cg->name);
	/* Ours now: remove_cgroups removes it at exit. */
	snprintf(cg->dirs[i], sizeof(cg->dirs[i]), "%s/%s", cg->parents[i],
		 cg->name);
}

void cgroups_make(struct cgroups *cg, bool cpu)
{
	char top[PATH_MAX + 64], leaf[PATH_MAX + 128], text[64];
	const char *stale[MAX_HIERARCHIES] = { cg->parents[0], cg->parents[1],
					       cg->parents[2] };
	int i, err;

	for (i = 0; i < cg->count; i++) {
		/* mkdir -p mini-container/ctr-PID-RANDOM, then enable controllers. */
		make_container_cgroup(cg, i);
		if (!cg->v2)
			continue;
		snprintf(top, sizeof(top), "%s", cg->parents[i]);
		*strrchr(top, '/') = '\0';
		if (cg->delegated) {
			snprintf(leaf, sizeof(leaf), "%s/runtime-%s",
				 cg->parents[i], cg->name + 4);
			if (mkdir(leaf, 0755) == -1 && errno != EEXIST)
				die(errno, NULL, "mkdir(%s)", leaf);
			snprintf(text, sizeof(text), "%d", getpid());
			if (cgroup_write(leaf, "cgroup.procs", text) == -1)
				die(errno, NULL, "move the runtime to %s",
				    leaf);
		}
		/*
		 * echo +memory +pids +cpu > cgroup.subtree_control, above and in
		 * mini-container (one with children may still enable them).
		 */
		if (cgroup_write(top, "cgroup.subtree_control",
				 cpu ? "+memory +pids +cpu"
				     : "+memory +pids") == -1 ||
		    cgroup_write(cg->parents[i], "cgroup.subtree_control",
				 cpu ? "+memory +pids +cpu"
				     : "+memory +pids") == -1) {
			err = errno;
			die(err, hint_controllers(err),
			    "enable controllers below %s", top);
		}
	}
	narrate("mkdir(%s) = 0", cg->dirs[0]);
	/*
	 * What SIGKILLed runtimes left, they could not remove: the empty
	 * cgroups that no runtime holds.
	 */
	cgroup_remove_stale(stale, cg->trees);
}

void cgroup_v1_set_limits(const struct cgroups *cg, unsigned long long memory,
			  unsigned long pids, unsigned long millicpus)
{
	/* One tree per controller: memory, pids, cpu (choose_cgroups). */
	const char *mem = cg->dirs[0], *pid = cg->dirs[1], *cpu = cg->dirs[2];
	char text[64];
	int err;

	if (memory) {
		snprintf(text, sizeof(text), "%llu", memory);
		if (cgroup_write(mem, "memory.limit_in_bytes", text) == -1)
			die(errno, NULL, "set memory.limit_in_bytes");
		/* memory+swap, where swap accounting is on: again, no swap. */
		err = cgroup_write(mem, "memory.memsw.limit_in_bytes", text);
		if (err == -1 && errno != ENOENT)
			die(errno, NULL, "set memory.memsw.limit_in_bytes");
	}
	if (pids) {
		snprintf(text, sizeof(text), "%lu", pids);
		if (cgroup_write(pid, "pids.max", text) == -1)
			die(errno, NULL, "set pids.max");
	}
	if (millicpus) {
		snprintf(text, sizeof(text), "%d", CPU_PERIOD);
		if (cgroup_write(cpu, "cpu.cfs_period_us", text) == -1)
			die(errno, NULL, "set cpu.cfs_period_us");
		snprintf(text, sizeof(text), "%lu",
			 millicpus * CPU_PERIOD / 1000);
		if (cgroup_write(cpu, "cpu.cfs_quota_us", text) == -1)
			die(errno, NULL, "set cpu.cfs_quota_us");
	}
}

void cgroups_add(const struct cgroups *cg, pid_t pid)
{
	char text[32];
	int i;

	snprintf(text, sizeof(text), "%d", pid);
	for (i = 0; i < cg->count; i++)
		if (cgroup_write(cg->dirs[i], "cgroup.procs", text) == -1)
			die(errno, NULL, "move %d into %s", pid, cg->dirs[i]);
}
