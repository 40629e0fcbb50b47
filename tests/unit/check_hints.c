#define _GNU_SOURCE
#include <errno.h>
#include <sys/stat.h>

#include "common/hints.h"
#include "unit.h"

static char dir[128];

static void setup(void)
{
	char path[256];

	snprintf(dir, sizeof(dir), "%s", make_tmpdir());
	snprintf(path, sizeof(path), "%s/kernel", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/user", dir);
	mkdir(path, 0755);
}

static void teardown(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void set(const char *name, const char *value)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(value, f);
	fclose(f);
}

START_TEST(no_switch_no_hint)
{
	ck_assert_ptr_null(userns_hint(dir));
	set("user/max_user_namespaces", "15000\n");
	set("kernel/unprivileged_userns_clone", "1\n");
	set("kernel/apparmor_restrict_unprivileged_userns", "0\n");
	ck_assert_ptr_null(userns_hint(dir));
}
END_TEST

START_TEST(debian_switch)
{
	set("kernel/unprivileged_userns_clone", "0\n");
	ck_assert_ptr_nonnull(strstr(userns_hint(dir), "kernel.unprivileged_userns_clone=1"));
}
END_TEST

START_TEST(limit_zero)
{
	set("user/max_user_namespaces", "0\n");
	ck_assert_ptr_nonnull(strstr(userns_hint(dir), "user.max_user_namespaces="));
}
END_TEST

START_TEST(apparmor_switch)
{
	set("kernel/apparmor_restrict_unprivileged_userns", "1\n");
	ck_assert_ptr_nonnull(strstr(userns_hint(dir), "kernel.apparmor_restrict_unprivileged_userns=0"));
}
END_TEST

START_TEST(missing_dir)
{
	ck_assert_ptr_null(userns_hint("/no/such/dir"));
}
END_TEST

START_TEST(real_proc_sys)
{
	/* Whatever this machine says, the call must not fail. */
	const char *hint = userns_hint("/proc/sys");

	ck_assert(hint == NULL || strstr(hint, "sysctl") != NULL);
}
END_TEST

/* Each errno hint answers its own errno only. */
START_TEST(errno_hints)
{
	ck_assert_ptr_nonnull(strstr(hint_pivot_root(EINVAL), "shared mount"));
	ck_assert_ptr_null(hint_pivot_root(EPERM));
	ck_assert_ptr_nonnull(strstr(hint_rootfs_access(EACCES), "namei -l"));
	ck_assert_ptr_null(hint_rootfs_access(ENOENT));
	ck_assert_ptr_nonnull(strstr(hint_id_map(EPERM), "/proc/self/uid_map"));
	ck_assert_ptr_null(hint_id_map(EINVAL));
	ck_assert_ptr_nonnull(strstr(hint_controllers(EBUSY), "systemd-run"));
	ck_assert_ptr_null(hint_controllers(EACCES));
	/* On this machine no switch is off: no userns hint, for any errno. */
	ck_assert_ptr_eq(hint_userns_eperm(EINVAL), NULL);
	ck_assert_ptr_eq(hint_userns(EPERM), userns_hint("/proc/sys"));
}
END_TEST

static Suite *hints_suite(void)
{
	Suite *s = suite_create("hints");
	TCase *tc = tcase_create("userns_hint");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, no_switch_no_hint);
	tcase_add_test(tc, debian_switch);
	tcase_add_test(tc, limit_zero);
	tcase_add_test(tc, apparmor_switch);
	tcase_add_test(tc, missing_dir);
	tcase_add_test(tc, real_proc_sys);
	suite_add_tcase(s, tc);
	tc = tcase_create("errno hints");
	tcase_add_test(tc, errno_hints);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(hints_suite());
}
