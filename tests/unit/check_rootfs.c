#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "common/rootfs.h"
#include "unit.h"

static char dir[128];

static void touch(const char *rel, mode_t mode)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fd = open(path, O_CREAT | O_WRONLY, mode);
	ck_assert_int_ge(fd, 0);
	close(fd);
	chmod(path, mode);
}

static void mkdir_in(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	ck_assert_int_eq(mkdir(path, 0755), 0);
}

static void link_in(const char *target, const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	ck_assert_int_eq(symlink(target, path), 0);
}

/* A minimal good rootfs: the mount points, bin/tool, bin/sh -> tool. */
static void setup(void)
{
	snprintf(dir, sizeof(dir), "%s", make_tmpdir());
	mkdir_in("proc");
	mkdir_in("dev");
	mkdir_in("sys");
	mkdir_in("tmp");
	mkdir_in("bin");
	touch("bin/tool", 0755);
	touch("bin/data", 0644);
	link_in("tool", "bin/sh");
	/* An absolute link must resolve inside the rootfs, not on the host. */
	link_in("/bin/tool", "bin/abs");
	link_in("/etc/passwd", "bin/hostlink");
}

static void teardown(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(check_good_rootfs)
{
	const char *bad = "x";

	ck_assert_int_eq(rootfs_check(dir, &bad), 0);
	ck_assert_ptr_null(bad);
}
END_TEST

START_TEST(check_missing)
{
	char path[256];
	const char *bad;

	snprintf(path, sizeof(path), "%s/nope", dir);
	ck_assert_int_eq(rootfs_check(path, &bad), -1);
	ck_assert_msg(errno == ENOENT, "errno %d, want ENOENT", errno);
	ck_assert_ptr_null(bad);
}
END_TEST

START_TEST(check_not_directory)
{
	char path[256];
	const char *bad;

	snprintf(path, sizeof(path), "%s/bin/tool", dir);
	ck_assert_int_eq(rootfs_check(path, &bad), -1);
	ck_assert_msg(errno == ENOTDIR, "errno %d, want ENOTDIR", errno);
}
END_TEST

START_TEST(check_host_root)
{
	const char *bad;

	ck_assert_int_eq(rootfs_check("/", &bad), -1);
	ck_assert_msg(errno == EBUSY, "errno %d, want EBUSY", errno);
	ck_assert_int_eq(rootfs_check("/.", &bad), -1);
	ck_assert_msg(errno == EBUSY, "errno %d, want EBUSY", errno);
}
END_TEST

START_TEST(check_symlinked_mount_point)
{
	char path[256];
	const char *bad;

	snprintf(path, sizeof(path), "%s/proc", dir);
	rmdir(path);
	link_in("/etc", "proc");
	ck_assert_int_eq(rootfs_check(dir, &bad), -1);
	ck_assert_msg(errno == ELOOP, "errno %d, want ELOOP", errno);
	ck_assert_str_eq(bad, "proc");
}
END_TEST

START_TEST(check_missing_mount_point)
{
	char path[256];
	const char *bad;

	snprintf(path, sizeof(path), "%s/dev", dir);
	rmdir(path);
	ck_assert_int_eq(rootfs_check(dir, &bad), -1);
	ck_assert_msg(errno == ENOENT, "errno %d, want ENOENT", errno);
	ck_assert_str_eq(bad, "dev");
}
END_TEST

START_TEST(check_mount_point_is_file)
{
	char path[256];
	const char *bad;

	snprintf(path, sizeof(path), "%s/tmp", dir);
	rmdir(path);
	touch("tmp", 0644);
	ck_assert_int_eq(rootfs_check(dir, &bad), -1);
	ck_assert_msg(errno == ENOTDIR, "errno %d, want ENOTDIR", errno);
	ck_assert_str_eq(bad, "tmp");
}
END_TEST

START_TEST(find_by_path)
{
	ck_assert_int_eq(rootfs_find_command(dir, "/bin/tool", NULL), 0);
	ck_assert_int_eq(rootfs_find_command(dir, "bin/tool", NULL), 0);
	ck_assert_int_eq(rootfs_find_command(dir, "/bin/sh", NULL), 0);
}
END_TEST

START_TEST(find_in_path)
{
	ck_assert_int_eq(rootfs_find_command(dir, "tool", "/usr/bin:/bin"), 0);
	/* NULL path: execvp's default, /bin:/usr/bin. */
	ck_assert_int_eq(rootfs_find_command(dir, "sh", NULL), 0);
}
END_TEST

START_TEST(find_follows_links_inside)
{
	/* /bin/abs -> /bin/tool must mean the rootfs's /bin/tool. */
	ck_assert_int_eq(rootfs_find_command(dir, "/bin/abs", NULL), 0);
	/* /bin/hostlink -> /etc/passwd: exists on the host, not in the rootfs. */
	ck_assert_int_eq(rootfs_find_command(dir, "/bin/hostlink", NULL), -1);
	ck_assert_msg(errno == ENOENT, "errno %d, want ENOENT", errno);
}
END_TEST

START_TEST(find_cannot_leave_with_dotdot)
{
	ck_assert_int_eq(rootfs_find_command(dir, "/../../../../bin/tool", NULL), 0);
	ck_assert_int_eq(rootfs_find_command(dir, "/../../../../usr/bin/env", NULL), -1);
	ck_assert_msg(errno == ENOENT, "errno %d, want ENOENT", errno);
}
END_TEST

START_TEST(find_not_found)
{
	ck_assert_int_eq(rootfs_find_command(dir, "nope", "/bin"), -1);
	ck_assert_msg(errno == ENOENT, "errno %d, want ENOENT", errno);
	ck_assert_int_eq(rootfs_find_command(dir, "/bin/nope", NULL), -1);
	ck_assert_msg(errno == ENOENT, "errno %d, want ENOENT", errno);
	ck_assert_int_eq(rootfs_find_command(dir, "", NULL), -1);
	ck_assert_msg(errno == ENOENT, "errno %d, want ENOENT", errno);
	/* Found on the host's PATH, but not in the rootfs. */
	ck_assert_int_eq(rootfs_find_command(dir, "env", "/usr/bin"), -1);
	ck_assert_msg(errno == ENOENT, "errno %d, want ENOENT", errno);
}
END_TEST

START_TEST(find_not_executable)
{
	ck_assert_int_eq(rootfs_find_command(dir, "/bin/data", NULL), -1);
	ck_assert_msg(errno == EACCES, "errno %d, want EACCES", errno);
	ck_assert_int_eq(rootfs_find_command(dir, "/bin", NULL), -1);
	ck_assert_msg(errno == EACCES, "errno %d, want EACCES", errno);
	/* Not executable in one PATH entry beats not found in the others. */
	ck_assert_int_eq(rootfs_find_command(dir, "data", "/nope:/bin"), -1);
	ck_assert_msg(errno == EACCES, "errno %d, want EACCES", errno);
}
END_TEST

START_TEST(find_bad_rootfs)
{
	ck_assert_int_eq(rootfs_find_command("/no/such/rootfs", "sh", NULL), -1);
	ck_assert_msg(errno == ENOENT, "errno %d, want ENOENT", errno);
}
END_TEST

/* The flags findmnt(8) reads from /proc/self/mountinfo for path's mount. */
static unsigned long findmnt_flags(const char *path)
{
	static const struct {
		const char *word;
		unsigned long ms;
	} map[] = {
		{ "ro", MS_RDONLY },	   { "nosuid", MS_NOSUID },
		{ "nodev", MS_NODEV },	   { "noexec", MS_NOEXEC },
		{ "noatime", MS_NOATIME }, { "nodiratime", MS_NODIRATIME },
		{ "relatime", MS_RELATIME },
	};
	char cmd[1280], line[1024], *word, *save;
	unsigned long flags = 0;
	size_t i;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "findmnt -n -o VFS-OPTIONS -T '%s'", path);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_int_eq(pclose(f), 0);
	line[strcspn(line, "\n")] = '\0';
	for (word = strtok_r(line, ",", &save); word; word = strtok_r(NULL, ",", &save))
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (strcmp(word, map[i].word) == 0)
				flags |= map[i].ms;
	return flags;
}

START_TEST(flags_as_findmnt_says)
{
	char target[1024];
	unsigned long flags, want;
	int checked = 0;
	FILE *f;

	/* Every mount of this machine, whatever flags they have. */
	f = popen("findmnt -rn -o TARGET", "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(target, sizeof(target), f) != NULL) {
		target[strcspn(target, "\n")] = '\0';
		/* Escaped names (spaces), and mounts we may not look at. */
		if (strchr(target, '\\') != NULL ||
		    mount_flags_of(target, &flags) == -1)
			continue;
		want = findmnt_flags(target);
		ck_assert_msg(flags == want, "%s: %#lx, findmnt says %#lx",
			      target, flags, want);
		checked++;
	}
	ck_assert_int_eq(pclose(f), 0);
	ck_assert_int_ge(checked, 3);
}
END_TEST

START_TEST(flags_of_missing)
{
	unsigned long flags = 42;

	ck_assert_int_eq(mount_flags_of("/no/such/path", &flags), -1);
	ck_assert_msg(errno == ENOENT, "errno %d, want ENOENT", errno);
	ck_assert_int_eq(flags, 42);
}
END_TEST

/* check_rootfs(): a good rootfs and a found COMMAND return... */
START_TEST(refuse_nothing_good)
{
	char *command[] = { "tool", NULL };

	setenv("PATH", "/bin", 1);
	check_rootfs(dir, command, false);
}
END_TEST

/* ...a missing rootfs dies with 125 (an exit test)... */
START_TEST(refuse_missing_rootfs)
{
	char *command[] = { "/bin/sh", NULL };

	silence_stderr();
	check_rootfs("/nonexistent/rootfs", command, true);
}
END_TEST

/* ...as does a rootfs without the default /bin/sh... */
START_TEST(refuse_rootfs_without_shell)
{
	char *command[] = { "/bin/nosuchshell", NULL };

	silence_stderr();
	check_rootfs(dir, command, true);
}
END_TEST

/* ...while a COMMAND not found leaves 127, and one not executable 126, as a shell. */
START_TEST(refuse_missing_command)
{
	char *command[] = { "nosuch", NULL };

	setenv("PATH", "/bin", 1);
	silence_stderr();
	check_rootfs(dir, command, false);
}
END_TEST

START_TEST(refuse_data_file)
{
	char *command[] = { "/bin/data", NULL };

	silence_stderr();
	check_rootfs(dir, command, false);
}
END_TEST

static Suite *rootfs_suite(void)
{
	Suite *s = suite_create("rootfs");
	TCase *tc;

	tc = tcase_create("rootfs_check");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, check_good_rootfs);
	tcase_add_test(tc, check_missing);
	tcase_add_test(tc, check_not_directory);
	tcase_add_test(tc, check_host_root);
	tcase_add_test(tc, check_symlinked_mount_point);
	tcase_add_test(tc, check_missing_mount_point);
	tcase_add_test(tc, check_mount_point_is_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("rootfs_find_command");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, find_by_path);
	tcase_add_test(tc, find_in_path);
	tcase_add_test(tc, find_follows_links_inside);
	tcase_add_test(tc, find_cannot_leave_with_dotdot);
	tcase_add_test(tc, find_not_found);
	tcase_add_test(tc, find_not_executable);
	tcase_add_test(tc, find_bad_rootfs);
	suite_add_tcase(s, tc);

	/* Unchecked: the exit tests leave without a checked teardown. */
	tc = tcase_create("check_rootfs");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, refuse_nothing_good);
	tcase_add_exit_test(tc, refuse_missing_rootfs, 125);
	tcase_add_exit_test(tc, refuse_rootfs_without_shell, 125);
	tcase_add_exit_test(tc, refuse_missing_command, 127);
	tcase_add_exit_test(tc, refuse_data_file, 126);
	suite_add_tcase(s, tc);

	tc = tcase_create("mount_flags_of");
	tcase_add_test(tc, flags_as_findmnt_says);
	tcase_add_test(tc, flags_of_missing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(rootfs_suite());
}
