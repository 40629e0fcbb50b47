/*
 * check_mounts.c - a container's /dev, and /proc's read-only and hidden
 * paths, built for real: as root, each test in a mount namespace of its
 * own (check forks per test) on a scratch directory, so nothing reaches
 * the host's tree. Unprivileged, the tests say so and check nothing.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <linux/magic.h>

#include "common/mounts.h"
#include "unit.h"

/* A new mount namespace, private, in a scratch rootfs with proc mounted. */
static bool in_scratch_root(void)
{
	char *dir;

	if (geteuid() != 0) {
		fprintf(stderr, "check_mounts: skipped: needs root for a mount "
				"namespace\n");
		return false;
	}
	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	/* A tmpfs over /tmp, ours alone: whatever the test makes goes with it. */
	ck_assert_int_eq(mount("tmpfs", "/tmp", "tmpfs", 0, NULL), 0);
	dir = make_tmpdir();
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(mkdir("proc", 0755), 0);
	ck_assert_int_eq(mkdir("sys", 0755), 0);
	ck_assert_int_eq(mkdir("dev", 0755), 0);
	ck_assert_int_eq(mount("proc", "proc", "proc", 0, NULL), 0);
	return true;
}

START_TEST(dev_has_nodes_links_pts_shm)
{
	struct stat st, host;
	struct statfs fs;
	char target[64];
	ssize_t n;

	if (!in_scratch_root())
		return;
	mount_dev();
	/* dev/null is the host's /dev/null, bound. */
	ck_assert_int_eq(stat("dev/null", &st), 0);
	ck_assert_int_eq(stat("/dev/null", &host), 0);
	ck_assert(S_ISCHR(st.st_mode) && st.st_rdev == host.st_rdev);
	ck_assert_int_eq(access("dev/urandom", R_OK), 0);
	n = readlink("dev/ptmx", target, sizeof(target) - 1);
	ck_assert_int_gt(n, 0);
	target[n] = '\0';
	ck_assert_str_eq(target, "pts/ptmx");
	ck_assert_int_eq(statfs("dev/pts", &fs), 0);
	ck_assert_int_eq(fs.f_type, DEVPTS_SUPER_MAGIC);
	ck_assert_int_eq(statfs("dev/shm", &fs), 0);
	ck_assert_int_eq(fs.f_type, TMPFS_MAGIC);
}
END_TEST

START_TEST(proc_sys_read_only)
{
	int fd;

	if (!in_scratch_root())
		return;
	/* Writable before... */
	fd = open("proc/sys/kernel/hostname", O_WRONLY);
	ck_assert_int_ge(fd, 0);
	close(fd);
	protect_proc();
	/* ...and read-only after: EROFS, not a permission question. */
	ck_assert_int_eq(open("proc/sys/kernel/hostname", O_WRONLY), -1);
	ck_assert_int_eq(errno, EROFS);
	/* proc/sysrq-trigger, where this kernel has one. */
	if (access("proc/sysrq-trigger", F_OK) == 0) {
		ck_assert_int_eq(open("proc/sysrq-trigger", O_WRONLY), -1);
		ck_assert_int_eq(errno, EROFS);
	}
}
END_TEST

START_TEST(masked_paths_hidden)
{
	struct stat st, null;
	DIR *d;
	struct dirent *e;
	int entries = 0;

	if (!in_scratch_root())
		return;
	ck_assert_int_eq(mount("sysfs", "sys", "sysfs", MS_RDONLY, NULL), 0);
	mask_paths();
	/* A file (every kernel has proc/keys): /dev/null over it. */
	ck_assert_int_eq(stat("proc/keys", &st), 0);
	ck_assert_int_eq(stat("/dev/null", &null), 0);
	ck_assert(S_ISCHR(st.st_mode) && st.st_rdev == null.st_rdev);
	/* A directory: an empty tmpfs over it. */
	d = opendir("sys/firmware");
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		entries += e->d_name[0] != '.';
	closedir(d);
	ck_assert_int_eq(entries, 0);
}
END_TEST

/* Every path of both lists is relative to the new root, none absolute. */
START_TEST(lists_are_relative)
{
	const char *const *p;

	for (p = masked_paths; *p != NULL; p++)
		ck_assert_msg((*p)[0] != '/', "%s is absolute", *p);
	for (p = proc_readonly_paths; *p != NULL; p++)
		ck_assert_msg(strncmp(*p, "proc/", 5) == 0, "%s", *p);
}
END_TEST

static Suite *mounts_suite(void)
{
	Suite *s = suite_create("mounts");
	TCase *tc = tcase_create("container tree");

	tcase_add_test(tc, dev_has_nodes_links_pts_shm);
	tcase_add_test(tc, proc_sys_read_only);
	tcase_add_test(tc, masked_paths_hidden);
	tcase_add_test(tc, lists_are_relative);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(mounts_suite());
}
