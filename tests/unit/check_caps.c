/*
 * check_caps.c - --cap-add and --cap-drop: names as capabilities(7) has
 * them, with or without CAP_, in any case; ALL; bad names exit 125; and
 * the kept set computed as Docker computes it.
 */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <sys/wait.h>

#include "common/caps.h"
#include "unit.h"

#define BIT(cap) (1ULL << (cap))

START_TEST(names_in_every_spelling)
{
	struct cap_choice c = { 0 };

	cap_option(true, "chown", &c);
	cap_option(true, "CAP_NET_RAW", &c);
	cap_option(true, "cap_sys_admin", &c);
	cap_option(false, "Kill", &c);
	ck_assert_uint_eq(c.add, BIT(CAP_CHOWN) | BIT(CAP_NET_RAW) |
					 BIT(CAP_SYS_ADMIN));
	ck_assert_uint_eq(c.drop, BIT(CAP_KILL));
	ck_assert(!c.add_all && !c.drop_all);
	cap_option(true, "all", &c);
	cap_option(false, "ALL", &c);
	ck_assert(c.add_all && c.drop_all);
}
END_TEST

START_TEST(docker_arithmetic)
{
	uint64_t defaults = BIT(CAP_CHOWN) | BIT(CAP_KILL);
	struct cap_choice c = { 0 };

	/* Nothing asked: the defaults. */
	ck_assert_uint_eq(caps_chosen(defaults, &c), defaults);
	/* Defaults, less the dropped, plus the added. */
	c.drop = BIT(CAP_KILL);
	c.add = BIT(CAP_NET_ADMIN);
	ck_assert_uint_eq(caps_chosen(defaults, &c),
			  BIT(CAP_CHOWN) | BIT(CAP_NET_ADMIN));
	/* A capability both added and dropped is added, as in Docker. */
	c.drop = c.add = BIT(CAP_KILL);
	ck_assert_uint_eq(caps_chosen(defaults, &c), defaults);
	/* --cap-drop ALL: only what is added. */
	c = (struct cap_choice){ .drop_all = true, .add = BIT(CAP_MKNOD) };
	ck_assert_uint_eq(caps_chosen(defaults, &c), BIT(CAP_MKNOD));
	/* --cap-add ALL: every one the kernel has, less what is dropped. */
	c = (struct cap_choice){ .add_all = true, .drop = BIT(CAP_SYS_ADMIN) };
	ck_assert_uint_eq(caps_chosen(defaults, &c),
			  caps_all() & ~BIT(CAP_SYS_ADMIN));
}
END_TEST

START_TEST(all_is_the_kernels)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "r");
	int last = -1;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%d", &last), 1);
	fclose(f);
	ck_assert_uint_eq(caps_all(), (BIT(last + 1) - 1));
}
END_TEST

#define BAD(name, add, arg)                  \
	START_TEST(name)                     \
	{                                    \
		struct cap_choice c = { 0 }; \
		silence_stderr();            \
		cap_option(add, arg, &c);    \
	}                                    \
	END_TEST
BAD(unknown_name, true, "FLY")
BAD(empty_name, false, "")
BAD(number, true, "21")
BAD(prefix_only, true, "CAP_")
BAD(trailing_digit, true, "sys_admin2")
BAD(a_list, true, "chown,sys_admin")
BAD(two_words, false, "chown kill")
BAD(too_long, false,
    "CAP_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")

START_TEST(error_line)
{
	char buf[256] = "";
	int fds[2], status;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		struct cap_choice c = { 0 };

		dup2(fds[1], STDERR_FILENO);
		cap_option(false, "sys_fly", &c);
		_exit(0);
	}
	close(fds[1]);
	ck_assert_int_gt(read(fds[0], buf, sizeof(buf) - 1), 0);
	ck_assert_str_eq(buf,
			 "container: --cap-drop 'sys_fly': not a capability "
			 "(names as in capabilities(7), such as "
			 "NET_ADMIN, or ALL)\n");
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(status), 125);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("caps");
	TCase *tc = tcase_create("caps");

	tcase_add_test(tc, names_in_every_spelling);
	tcase_add_test(tc, docker_arithmetic);
	tcase_add_test(tc, all_is_the_kernels);
	tcase_add_exit_test(tc, unknown_name, 125);
	tcase_add_exit_test(tc, empty_name, 125);
	tcase_add_exit_test(tc, number, 125);
	tcase_add_exit_test(tc, prefix_only, 125);
	tcase_add_exit_test(tc, trailing_digit, 125);
	tcase_add_exit_test(tc, a_list, 125);
	tcase_add_exit_test(tc, two_words, 125);
	tcase_add_exit_test(tc, too_long, 125);
	tcase_add_test(tc, error_line);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
