#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cgroupfs.h"
#include "unit.h"

static char dir[128], file[256];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "%s", make_tmpdir());
	snprintf(file, sizeof(file), "%s/f", dir);
}

static void teardown(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* Today's distributions: one cgroup2 mount. */
static const char v2_mountinfo[] =
	"22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
	"30 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n";

/* A hybrid machine, like this project's CI host. */
static const char hybrid_mountinfo[] =
	"25 24 0:22 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	"26 25 0:23 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
	"27 25 0:24 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
	"28 25 0:25 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
	"29 25 0:26 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
	"30 25 0:27 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset\n"
	"31 25 0:28 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

START_TEST(mounts_v2)
{
	struct cgroup_mounts m;

	write_text(file, v2_mountinfo);
	ck_assert_int_eq(find_cgroup_mounts(file, &m), 0);
	ck_assert_str_eq(m.v2.dir, "/sys/fs/cgroup");
	ck_assert_str_eq(m.v2.root, "/");
	ck_assert_str_eq(m.memory.dir, "");
	ck_assert_str_eq(m.pids.dir, "");
	ck_assert_str_eq(m.cpu.dir, "");
}
END_TEST

START_TEST(mounts_hybrid)
{
	struct cgroup_mounts m;

	write_text(file, hybrid_mountinfo);
	ck_assert_int_eq(find_cgroup_mounts(file, &m), 0);
	ck_assert_str_eq(m.v2.dir, "/sys/fs/cgroup/unified");
	ck_assert_str_eq(m.memory.dir, "/sys/fs/cgroup/memory");
	ck_assert_str_eq(m.pids.dir, "/sys/fs/cgroup/pids");
	/* "cpuacct" and "cpuset" must not be taken for "cpu". */
	ck_assert_str_eq(m.cpu.dir, "/sys/fs/cgroup/cpu");
}
END_TEST

START_TEST(mounts_combined_v1)
{
	struct cgroup_mounts m;

	write_text(file, "26 25 0:23 /docker/abc /sys/fs/cgroup/cpu,cpuacct ro - cgroup cgroup rw,cpu,cpuacct\n");
	ck_assert_int_eq(find_cgroup_mounts(file, &m), 0);
	ck_assert_str_eq(m.cpu.dir, "/sys/fs/cgroup/cpu,cpuacct");
	ck_assert_str_eq(m.cpu.root, "/docker/abc");
	ck_assert_str_eq(m.v2.dir, "");
}
END_TEST

START_TEST(mounts_missing_file)
{
	struct cgroup_mounts m;

	ck_assert_int_eq(find_cgroup_mounts("/no/such/mountinfo", &m), -1);
	ck_assert_msg(errno == ENOENT, "errno %d, want ENOENT", errno);
}
END_TEST

START_TEST(mounts_read_error)
{
	struct cgroup_mounts m;

	/* A directory opens, but reading it fails: an error, not an empty file. */
	ck_assert_int_eq(find_cgroup_mounts("/", &m), -1);
	ck_assert_msg(errno == EISDIR, "errno %d, want EISDIR", errno);
}
END_TEST

START_TEST(mounts_real)
{
	struct cgroup_mounts m;

	ck_assert_int_eq(find_cgroup_mounts("/proc/self/mountinfo", &m), 0);
	ck_assert(m.v2.dir[0] != '\0' || m.memory.dir[0] != '\0');
}
END_TEST

static const char hybrid_cgroup[] =
	"9:name=systemd:/\n8:pids:/user.slice\n4:memory:/process_api/abc\n"
	"1:cpu:/\n2:cpuacct:/x\n0::/user.slice/session-1.scope\n";

START_TEST(own_v2)
{
	char path[256];

	write_text(file, hybrid_cgroup);
	ck_assert_int_eq(own_cgroup(file, NULL, path, sizeof(path)), 0);
	ck_assert_str_eq(path, "/user.slice/session-1.scope");
}
END_TEST

START_TEST(own_v1)
{
	char path[256];

	write_text(file, hybrid_cgroup);
	ck_assert_int_eq(own_cgroup(file, "memory", path, sizeof(path)), 0);
	ck_assert_str_eq(path, "/process_api/abc");
	ck_assert_int_eq(own_cgroup(file, "pids", path, sizeof(path)), 0);
	ck_assert_str_eq(path, "/user.slice");
	ck_assert_int_eq(own_cgroup(file, "cpu", path, sizeof(path)), 0);
	ck_assert_str_eq(path, "/");
}
END_TEST

START_TEST(own_missing)
{
	char path[256];

	write_text(file, "0::/\n");
	ck_assert_int_eq(own_cgroup(file, "memory", path, sizeof(path)), -1);
	ck_assert_msg(errno == ENOENT, "errno %d, want ENOENT", errno);
	write_text(file, "4:memory:/\n");
	ck_assert_int_eq(own_cgroup(file, NULL, path, sizeof(path)), -1);
	ck_assert_msg(errno == ENOENT, "errno %d, want ENOENT", errno);
	ck_assert_int_eq(own_cgroup("/no/such/file", NULL, path, sizeof(path)), -1);
	ck_assert_msg(errno == ENOENT, "errno %d, want ENOENT", errno);
}
END_TEST

START_TEST(dir_paths)
{
	struct cgroup_mount m = { "/sys/fs/cgroup", "/" };
	struct cgroup_mount sub = { "/sys/fs/cgroup", "/docker/abc" };
	char buf[256];

	ck_assert_int_eq(cgroup_dir(&m, "/user.slice", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "/sys/fs/cgroup/user.slice");
	ck_assert_int_eq(cgroup_dir(&m, "/", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "/sys/fs/cgroup");
	ck_assert_int_eq(cgroup_dir(&sub, "/docker/abc/x", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "/sys/fs/cgroup/x");
	ck_assert_int_eq(cgroup_dir(&sub, "/docker/abc", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "/sys/fs/cgroup");
	ck_assert_int_eq(cgroup_dir(&sub, "/docker/abcd", buf, sizeof(buf)), -1);
	ck_assert_msg(errno == EXDEV, "errno %d, want EXDEV", errno);
	ck_assert_int_eq(cgroup_dir(&sub, "/other", buf, sizeof(buf)), -1);
}
END_TEST

START_TEST(controllers)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
	write_text(path, "cpuset cpu io memory pids\n");
	ck_assert_int_eq(cgroup_has_controller(dir, "memory"), 1);
	ck_assert_int_eq(cgroup_has_controller(dir, "pids"), 1);
	ck_assert_int_eq(cgroup_has_controller(dir, "cpu"), 1);
	ck_assert_int_eq(cgroup_has_controller(dir, "hugetlb"), 0);
	write_text(path, "cpuset io\n");
	ck_assert_int_eq(cgroup_has_controller(dir, "cpu"), 0);
	write_text(path, "");
	ck_assert_int_eq(cgroup_has_controller(dir, "memory"), 0);
	ck_assert_int_eq(cgroup_has_controller("/no/such/dir", "memory"), 0);
}
END_TEST

START_TEST(controllers_read_error)
{
	char path[256];

	/* A cgroup.controllers that cannot be read is an error, not "none". */
	snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(cgroup_has_controller(dir, "memory"), -1);
	ck_assert_msg(errno == EISDIR, "errno %d, want EISDIR", errno);
}
END_TEST

START_TEST(filesystems)
{
	write_text(file, "nodev\tsysfs\nnodev\tcgroup\nnodev\tcgroup2\n\text4\n");
	ck_assert_int_eq(cgroup2_supported(file), 1);
	write_text(file, "nodev\tsysfs\nnodev\tcgroup\n\text4\n");
	ck_assert_int_eq(cgroup2_supported(file), 0);
	ck_assert_int_eq(cgroup2_supported("/no/such/file"), 0);
}
END_TEST

/* 1 if DIR/NAME exists. */
static int exists(const char *parent, const char *name)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", parent, name);
	return access(path, F_OK) == 0;
}

/* Another open file of DIR/NAME: can it take the lock? (0 or errno) */
static int try_lock(const char *parent, const char *name)
{
	char path[512];
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%s", parent, name);
	fd = open(path, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(fd, 0);
	if (flock(fd, LOCK_EX | LOCK_NB) == -1)
		err = errno;
	close(fd);
	return err;
}

START_TEST(create_locked)
{
	char a[64], b[64], prefix[32];
	int fa, fb;

	fa = cgroup_create_locked(dir, a, sizeof(a));
	fb = cgroup_create_locked(dir, b, sizeof(b));
	ck_assert_int_ge(fa, 0);
	ck_assert_int_ge(fb, 0);
	snprintf(prefix, sizeof(prefix), "ctr-%d-", (int)getpid());
	ck_assert_msg(strncmp(a, prefix, strlen(prefix)) == 0 &&
		      strlen(a) == strlen(prefix) + 8, "name %s", a);
	ck_assert_str_ne(a, b);
	ck_assert(exists(dir, a) && exists(dir, b));
	/* Held: another open file of it cannot lock it, until it closes. */
	ck_assert_int_eq(try_lock(dir, a), EWOULDBLOCK);
	ck_assert_int_eq(fcntl(fa, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	close(fa);
	ck_assert_int_eq(try_lock(dir, a), 0);
	close(fb);
}
END_TEST

START_TEST(create_locked_no_parent)
{
	char parent[256], name[64];

	snprintf(parent, sizeof(parent), "%s/gone", dir);
	ck_assert_int_eq(cgroup_create_locked(parent, name, sizeof(name)), -1);
	ck_assert_msg(errno == ENOENT, "errno %d, expected ENOENT", errno);
}
END_TEST

START_TEST(remove_stale)
{
	char t0[256], t1[256], live[64], stale[64], busy[64], stuck[64], path[512];
	const char *parents[] = { t0, t1 };
	int held, fd;

	/* Two trees, as cgroup v1's memory and pids, with the same names. */
	snprintf(t0, sizeof(t0), "%s/memory", dir);
	snprintf(t1, sizeof(t1), "%s/pids", dir);
	ck_assert_int_eq(mkdir(t0, 0755), 0);
	ck_assert_int_eq(mkdir(t1, 0755), 0);
	held = cgroup_create_locked(t0, live, sizeof(live));
	ck_assert_int_ge(held, 0);
	fd = cgroup_create_locked(t0, stale, sizeof(stale));
	ck_assert_int_ge(fd, 0);
	close(fd); /* as a SIGKILLed runtime's lock goes */
	fd = cgroup_create_locked(t0, busy, sizeof(busy));
	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/%s", t1, live);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/%s", t1, stale);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	/* Not empty: rmdir fails, as for a cgroup with processes. */
	snprintf(path, sizeof(path), "%s/%s/child", t0, busy);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	/* Leaves of delegated runtimes: one whose ctr-ID is gone, one live. */
	snprintf(path, sizeof(path), "%s/runtime-1-deadbeef", t0);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/runtime-%s", t0, live + 4);
	ck_assert_int_eq(mkdir(path, 0755), 0);

	/* Stale, but busy in the second tree: the first tree's copy stays. */
	fd = cgroup_create_locked(t0, stuck, sizeof(stuck));
	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/%s", t1, stuck);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/%s/child", t1, stuck);
	ck_assert_int_eq(mkdir(path, 0755), 0);

	ck_assert_int_eq(cgroup_remove_stale(parents, 2), 1);
	ck_assert(exists(t0, stuck) && exists(t1, stuck));
	ck_assert(!exists(t0, stale) && !exists(t1, stale));
	ck_assert(exists(t0, live) && exists(t1, live));
	ck_assert(exists(t0, busy));
	ck_assert(!exists(t0, "runtime-1-deadbeef"));
	snprintf(path, sizeof(path), "runtime-%s", live + 4);
	ck_assert(exists(t0, path));
	close(held);
}
END_TEST

START_TEST(remove_stale_no_parent)
{
	char parent[256];
	const char *parents[] = { parent };

	snprintf(parent, sizeof(parent), "%s/gone", dir);
	ck_assert_int_eq(cgroup_remove_stale(parents, 1), -1);
	ck_assert_msg(errno == ENOENT, "errno %d, expected ENOENT", errno);
}
END_TEST

START_TEST(filesystems_read_error)
{
	/* A directory opens, but reading it fails: an error, not "unknown". */
	ck_assert_int_eq(cgroup2_supported(dir), -1);
	ck_assert_msg(errno == EISDIR, "errno %d, want EISDIR", errno);
}
END_TEST

static Suite *cgroupfs_suite(void)
{
	Suite *s = suite_create("cgroupfs");
	TCase *tc;

	tc = tcase_create("find_cgroup_mounts");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, mounts_v2);
	tcase_add_test(tc, mounts_hybrid);
	tcase_add_test(tc, mounts_combined_v1);
	tcase_add_test(tc, mounts_missing_file);
	tcase_add_test(tc, mounts_read_error);
	tcase_add_test(tc, mounts_real);
	suite_add_tcase(s, tc);

	tc = tcase_create("own_cgroup");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, own_v2);
	tcase_add_test(tc, own_v1);
	tcase_add_test(tc, own_missing);
	suite_add_tcase(s, tc);

	tc = tcase_create("cgroup_dir");
	tcase_add_test(tc, dir_paths);
	suite_add_tcase(s, tc);

	tc = tcase_create("cgroup_has_controller");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, controllers);
	tcase_add_test(tc, controllers_read_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("cgroup2_supported");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, filesystems);
	tcase_add_test(tc, filesystems_read_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("cgroup_create_locked");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, create_locked);
	tcase_add_test(tc, create_locked_no_parent);
	suite_add_tcase(s, tc);

	tc = tcase_create("cgroup_remove_stale");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, remove_stale);
	tcase_add_test(tc, remove_stale_no_parent);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(cgroupfs_suite());
}
