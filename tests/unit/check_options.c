/* check_options.c - the limit options: good values returned, bad ones exit 125. */
#define _GNU_SOURCE
#include <errno.h>
#include "common/options.h"
#include "unit.h"

START_TEST(good_values)
{
	ck_assert_uint_eq(memory_option("64M"), 64ull << 20);
	ck_assert_uint_eq(memory_option("6M"), MEMORY_MIN);
	ck_assert_uint_eq(pids_option("1"), 1);
	ck_assert_uint_eq(pids_option("4194304"), 4194304);
	ck_assert_uint_eq(cpus_option("0.5"), 500);
	ck_assert_uint_eq(cpus_option("0.01"), 10);
	ck_assert_uint_eq(cpus_option("1"), 1000);
}
END_TEST

/* One exit test per bad value: each must leave with 125. */
#define BAD(name, call)                  \
	START_TEST(name)                 \
	{                                \
		silence_stderr();        \
		call;                    \
	}                                \
	END_TEST
BAD(memory_too_small, memory_option("5M"))
BAD(memory_malformed, memory_option("64Q"))
BAD(memory_too_large, memory_option("99999999999G"))
BAD(pids_zero, pids_option("0"))
BAD(pids_too_many, pids_option("4194305"))
BAD(pids_malformed, pids_option("-3"))
BAD(cpus_too_small, cpus_option("0.001"))
BAD(cpus_malformed, cpus_option("half"))
BAD(cpus_more_than_machine, cpus_option("100000"))

START_TEST(error_line)
{
	char buf[256] = "";
	int fds[2];
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		pids_option("0");
		_exit(0);
	}
	close(fds[1]);
	ck_assert_int_gt(read(fds[0], buf, sizeof(buf) - 1), 0);
	ck_assert_str_eq(buf, "container: --pids '0': must be 1 to 4194304\n");
}
END_TEST

static Suite *options_suite(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("limits");

	tcase_add_test(tc, good_values);
	tcase_add_exit_test(tc, memory_too_small, 125);
	tcase_add_exit_test(tc, memory_malformed, 125);
	tcase_add_exit_test(tc, memory_too_large, 125);
	tcase_add_exit_test(tc, pids_zero, 125);
	tcase_add_exit_test(tc, pids_too_many, 125);
	tcase_add_exit_test(tc, pids_malformed, 125);
	tcase_add_exit_test(tc, cpus_too_small, 125);
	tcase_add_exit_test(tc, cpus_malformed, 125);
	tcase_add_exit_test(tc, cpus_more_than_machine, 125);
	tcase_add_test(tc, error_line);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(options_suite());
}
