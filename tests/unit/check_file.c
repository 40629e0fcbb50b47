#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "common/file.h"
#include "unit.h"

static char path[128];

static void setup(void)
{
	snprintf(path, sizeof(path), "%s/file", make_tmpdir());
}

static void teardown(void)
{
	char dir[128];

	unlink(path);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	rmdir(dir);
}

static void create(const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(write_replaces_content)
{
	char buf[64];

	create("old content that is longer");
	ck_assert_int_eq(write_file(path, "0 1000 1\n"), 0);
	/* write_file does not truncate: /proc files need no truncation. */
	ck_assert_int_gt(read_file(path, buf, sizeof(buf)), 0);
	ck_assert(strncmp(buf, "0 1000 1\n", 9) == 0);
}
END_TEST

START_TEST(write_missing_file_fails)
{
	ck_assert_int_eq(write_file(path, "x"), -1);
	ck_assert_msg(errno == ENOENT, "errno %d, want ENOENT", errno);
}
END_TEST

START_TEST(write_directory_fails)
{
	char dir[128];

	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	ck_assert_int_eq(write_file(dir, "x"), -1);
	ck_assert_msg(errno == EISDIR, "errno %d, want EISDIR", errno);
}
END_TEST

START_TEST(write_reports_kernel_refusal)
{
	/* The kernel refuses this value: write_file must pass the error on. */
	ck_assert_int_eq(write_file("/proc/self/oom_score_adj", "not a number"), -1);
	ck_assert_msg(errno == EINVAL, "errno %d, want EINVAL", errno);
}
END_TEST

START_TEST(read_whole_file)
{
	char buf[64];

	create("hello\nworld\n");
	ck_assert_int_eq(read_file(path, buf, sizeof(buf)), 12);
	ck_assert_str_eq(buf, "hello\nworld\n");
}
END_TEST

START_TEST(read_empty_file)
{
	char buf[8] = "junk";

	create("");
	ck_assert_int_eq(read_file(path, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(read_too_big_fails)
{
	char buf[8];

	create("more than eight bytes");
	ck_assert_int_eq(read_file(path, buf, sizeof(buf)), -1);
	ck_assert_msg(errno == EFBIG, "errno %d, want EFBIG", errno);
}
END_TEST

START_TEST(read_exact_fit_fails)
{
	/* 8 bytes of text leave no room for the NUL in an 8-byte buffer. */
	char buf[8];

	create("12345678");
	ck_assert_int_eq(read_file(path, buf, sizeof(buf)), -1);
	ck_assert_msg(errno == EFBIG, "errno %d, want EFBIG", errno);
}
END_TEST

START_TEST(read_missing_fails)
{
	char buf[8];

	ck_assert_int_eq(read_file(path, buf, sizeof(buf)), -1);
	ck_assert_msg(errno == ENOENT, "errno %d, want ENOENT", errno);
}
END_TEST

START_TEST(read_zero_size_fails)
{
	char buf[1];

	create("x");
	ck_assert_int_eq(read_file(path, buf, 0), -1);
	ck_assert_msg(errno == EINVAL, "errno %d, want EINVAL", errno);
}
END_TEST

START_TEST(read_proc_file)
{
	char buf[4096];

	ck_assert_int_gt(read_file("/proc/self/status", buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "Pid:"));
}
END_TEST

static Suite *file_suite(void)
{
	Suite *s = suite_create("file");
	TCase *tc;

	tc = tcase_create("write_file");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, write_replaces_content);
	tcase_add_test(tc, write_missing_file_fails);
	tcase_add_test(tc, write_directory_fails);
	tcase_add_test(tc, write_reports_kernel_refusal);
	suite_add_tcase(s, tc);

	tc = tcase_create("read_file");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, read_whole_file);
	tcase_add_test(tc, read_empty_file);
	tcase_add_test(tc, read_too_big_fails);
	tcase_add_test(tc, read_exact_fit_fails);
	tcase_add_test(tc, read_missing_fails);
	tcase_add_test(tc, read_zero_size_fails);
	tcase_add_test(tc, read_proc_file);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(file_suite());
}
