/*
 * check_options.c - the limit options: good values returned, bad ones exit
 * 125; and the options that cannot go together (step 9).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <sys/wait.h>

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
BAD(seccomp_unknown, seccomp_option("default"))
BAD(seccomp_empty, seccomp_option(""))

START_TEST(seccomp_unconfined)
{
	ck_assert(seccomp_option("unconfined"));
}
END_TEST

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

/* A table as a step's parse_args has one: short, long-only, -v. */
enum { OPT_INIT = 256, OPT_MEMORY, OPT_EXEC };
static const struct option opts[] = {
	{ "hostname", required_argument, NULL, 'n' },
	{ "rootfs", required_argument, NULL, 'r' },
	{ "init", no_argument, NULL, OPT_INIT },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "exec", required_argument, NULL, OPT_EXEC },
	{ "verbose", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 },
};
static const int refused[] = { 'n', 'r', OPT_INIT, OPT_MEMORY, 0 };

START_TEST(option_bit_per_entry)
{
	/* One bit per entry of opts[], by its position. */
	ck_assert_uint_eq(option_bit(opts, 'n'), 1UL << 0);
	ck_assert_uint_eq(option_bit(opts, 'r'), 1UL << 1);
	ck_assert_uint_eq(option_bit(opts, OPT_INIT), 1UL << 2);
	ck_assert_uint_eq(option_bit(opts, OPT_EXEC), 1UL << 4);
	ck_assert_uint_eq(option_bit(opts, 'v'), 1UL << 5);
}
END_TEST

START_TEST(option_bit_unknown)
{
	/* What getopt_long returns for no entry: '?', ':', a stray value. */
	ck_assert_uint_eq(option_bit(opts, '?'), 0);
	ck_assert_uint_eq(option_bit(opts, ':'), 0);
	ck_assert_uint_eq(option_bit(opts, 'x'), 0);
	ck_assert_uint_eq(option_bit(opts, 0), 0);
}
END_TEST

START_TEST(refuse_given_passes)
{
	unsigned long given = option_bit(opts, OPT_EXEC) |
			      option_bit(opts, 'v');

	/* Given but not refused (--exec, -v); refused but not given. */
	refuse_given(opts, given, refused, "--exec", "why");
	refuse_given(opts, 0, refused, "--exec", "why");
	/* A value that getopt_long never maps to an entry gives no bit. */
	given |= option_bit(opts, '?');
	refuse_given(opts, given, refused, "--exec", "why");
}
END_TEST

START_TEST(refuse_given_dies)
{
	silence_stderr();
	refuse_given(opts, option_bit(opts, OPT_MEMORY), refused, "--exec",
		     "why");
}
END_TEST

/* The error line of refuse_given, as a child prints it, and its status. */
static void refuse_given_line(unsigned long given, const char *want)
{
	char buf[256] = "";
	int fds[2], status;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		refuse_given(opts, given, refused, "--exec",
			     "it joins a running container as it is");
		_exit(0);
	}
	close(fds[1]);
	ck_assert_int_gt(read(fds[0], buf, sizeof(buf) - 1), 0);
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(status), 125);
	ck_assert_str_eq(buf, want);
}

START_TEST(refuse_given_error_line)
{
	refuse_given_line(option_bit(opts, 'r') | option_bit(opts, OPT_EXEC),
			  "container: --rootfs cannot be used with --exec (it "
			  "joins a running container as it is)\n");
	/* Two refused: the first of opts[] is named, once. */
	refuse_given_line(option_bit(opts, OPT_INIT) | option_bit(opts, 'n'),
			  "container: --hostname cannot be used with --exec "
			  "(it joins a running container as it is)\n");
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
	tcase_add_test(tc, seccomp_unconfined);
	tcase_add_exit_test(tc, seccomp_unknown, 125);
	tcase_add_exit_test(tc, seccomp_empty, 125);
	tcase_add_test(tc, error_line);
	suite_add_tcase(s, tc);

	tc = tcase_create("option_bit");
	tcase_add_test(tc, option_bit_per_entry);
	tcase_add_test(tc, option_bit_unknown);
	suite_add_tcase(s, tc);

	tc = tcase_create("refuse_given");
	tcase_add_test(tc, refuse_given_passes);
	tcase_add_exit_test(tc, refuse_given_dies, 125);
	tcase_add_test(tc, refuse_given_error_line);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(options_suite());
}
