/*
 * check_cgroups.c - the cgroup housekeeping against the machine's own
 * trees, as the runtime uses them: as root, below the project's parent
 * cgroup (mini-container), which the tests leave as they found it.
 * Unprivileged, the tests say so and check nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "common/cgroups.h"
#include "common/file.h"
#include "unit.h"

static bool as_root(void)
{
	if (geteuid() == 0)
		return true;
	fprintf(stderr, "check_cgroups: skipped: needs root to make cgroups\n");
	return false;
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Is pid listed in dir/cgroup.procs? */
static bool holds(const char *dir, pid_t pid)
{
	char path[PATH_MAX + 200], procs[4096], want[32];

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(want, sizeof(want), "%d\n", pid);
	if (read_file(path, procs, sizeof(procs)) <= 0)
		return false;
	/* At the start, or after another line's newline. */
	if (strncmp(procs, want, strlen(want)) == 0)
		return true;
	snprintf(want, sizeof(want), "\n%d\n", pid);
	return strstr(procs, want) != NULL;
}

START_TEST(make_add_remove)
{
	struct cgroups cg = { .fd = -1 };
	int i, status;
	pid_t child;

	if (!as_root())
		return;
	choose_cgroups(&cg, true, false);
	ck_assert_int_gt(cg.count, 0);
	cgroups_make(&cg, false);
	ck_assert_int_ge(cg.fd, 0);
	ck_assert_int_eq(strncmp(cg.name, "ctr-", 4), 0);
	for (i = 0; i < cg.count; i++)
		ck_assert_msg(exists(cg.dirs[i]), "%s missing", cg.dirs[i]);
	/* A process placed in them, as the child that clone3 could not place. */
	child = fork();
	if (child == 0) {
		/* Never outlive the test, nor a minute, whatever fails. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		alarm(60);
		pause();
		_exit(0);
	}
	cgroups_add(&cg, child);
	for (i = 0; i < cg.count; i++)
		ck_assert_msg(holds(cg.dirs[i], child), "%d not in %s", child,
			      cg.dirs[i]);
	/* Removal kills what is left, then the directories go. */
	cgroups_remove(&cg);
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	for (i = 0; i < cg.count; i++)
		ck_assert_msg(!exists(cg.dirs[i]), "%s left", cg.dirs[i]);
}
END_TEST

START_TEST(write_and_read_back)
{
	struct cgroups cg = { .fd = -1 };
	char path[PATH_MAX + 200], text[64];

	if (!as_root())
		return;
	choose_cgroups(&cg, true, false);
	cgroups_make(&cg, false);
	/* pids.max: the same name on v1 (its pids tree) and v2. */
	ck_assert_int_eq(cgroup_write(cg.dirs[cg.v2 ? 0 : 1], "pids.max", "42"), 0);
	snprintf(path, sizeof(path), "%s/pids.max", cg.dirs[cg.v2 ? 0 : 1]);
	ck_assert_int_gt(read_file(path, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "42\n");
	ck_assert_int_eq(cgroup_write(cg.dirs[0], "no.such.knob", "1"), -1);
	cgroups_remove(&cg);
}
END_TEST

START_TEST(v1_limits)
{
	struct cgroups cg = { .fd = -1 };
	char path[PATH_MAX + 200], text[64];

	if (!as_root())
		return;
	choose_cgroups(&cg, true, false);
	if (cg.v2) {
		fprintf(stderr, "check_cgroups: v1_limits skipped: cgroup v2 here\n");
		return;
	}
	cgroups_make(&cg, false);
	cgroup_v1_set_limits(&cg, 64 << 20, 10, 0);
	snprintf(path, sizeof(path), "%s/memory.limit_in_bytes", cg.dirs[0]);
	ck_assert_int_gt(read_file(path, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "67108864\n");
	snprintf(path, sizeof(path), "%s/pids.max", cg.dirs[1]);
	ck_assert_int_gt(read_file(path, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "10\n");
	cgroups_remove(&cg);
}
END_TEST

static Suite *cgroups_suite(void)
{
	Suite *s = suite_create("cgroups");
	TCase *tc = tcase_create("housekeeping");

	tcase_add_test(tc, make_add_remove);
	tcase_add_test(tc, write_and_read_back);
	tcase_add_test(tc, v1_limits);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(cgroups_suite());
}
