/*
 * check_environ.c - COMMAND's environment: built from scratch, with the
 * caller's TERM and the --env values only; bad --env values exit 125.
 */
#define _GNU_SOURCE
#include <sys/wait.h>

#include "common/environ.h"
#include "unit.h"

/* env as one string, "A=1 B=2 ", to compare whole. */
static const char *joined(char **env)
{
	static char text[4096];

	text[0] = '\0';
	for (; *env != NULL; env++) {
		strcat(text, *env);
		strcat(text, " ");
	}
	return text;
}

START_TEST(from_scratch)
{
	struct env_adds adds = { .count = 0 };
	char want[512], host[65] = "";

	ck_assert_int_eq(clearenv(), 0);
	setenv("SECRET_TOKEN", "s3cret", 1);
	setenv("SSH_AUTH_SOCK", "/tmp/agent", 1);
	ck_assert_int_eq(gethostname(host, sizeof(host) - 1), 0);
	snprintf(want, sizeof(want),
		 "PATH=" CONTAINER_PATH " HOME=/root HOSTNAME=%s "
		 "container=mini-container ",
		 host);
	ck_assert_str_eq(joined(container_env(&adds)), want);
}
END_TEST

/*
 * The caller's TERM, when it has one. A test of its own: container_env()
 * is made to be called once, before execve(2) (its entries live in a
 * static array), and each test runs in a process of its own.
 */
START_TEST(caller_term)
{
	struct env_adds adds = { .count = 0 };
	char want[512], host[65] = "";

	ck_assert_int_eq(clearenv(), 0);
	ck_assert_int_eq(gethostname(host, sizeof(host) - 1), 0);
	setenv("TERM", "xterm-test", 1);
	snprintf(want, sizeof(want),
		 "PATH=" CONTAINER_PATH " HOME=/root HOSTNAME=%s "
		 "TERM=xterm-test container=mini-container ",
		 host);
	ck_assert_str_eq(joined(container_env(&adds)), want);
}
END_TEST

START_TEST(adds_set_copy_and_replace)
{
	struct env_adds adds = { .count = 0 };
	char want[512], host[65] = "";

	ck_assert_int_eq(clearenv(), 0);
	setenv("COPIED", "yes", 1);
	ck_assert_int_eq(gethostname(host, sizeof(host) - 1), 0);
	env_option("FOO=bar", &adds);
	env_option("COPIED", &adds);	   /* the caller's */
	env_option("ABSENT", &adds);	   /* the caller has none: nothing */
	env_option("HOME=/home/x", &adds); /* replaces the default */
	env_option("FOO=baz", &adds);	   /* the last one wins */
	env_option("EMPTY=", &adds);
	snprintf(want, sizeof(want),
		 "PATH=" CONTAINER_PATH " HOME=/home/x HOSTNAME=%s "
		 "container=mini-container FOO=baz COPIED=yes EMPTY= ",
		 host);
	ck_assert_str_eq(joined(container_env(&adds)), want);
}
END_TEST

START_TEST(at_most_env_adds_max)
{
	struct env_adds adds = { .count = 0 };
	int i;

	for (i = 0; i < ENV_ADDS_MAX; i++)
		env_option("A=1", &adds);
	ck_assert_int_eq(adds.count, ENV_ADDS_MAX);
	silence_stderr();
	env_option("A=1", &adds); /* one too many: exits 125 */
}
END_TEST

#define BAD(name, arg)                                 \
	START_TEST(name)                               \
	{                                              \
		struct env_adds adds = { .count = 0 }; \
		silence_stderr();                      \
		env_option(arg, &adds);                \
	}                                              \
	END_TEST
BAD(empty, "")
BAD(no_key, "=value")

START_TEST(error_line)
{
	char buf[256] = "";
	int fds[2], status;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		struct env_adds adds = { .count = 0 };

		dup2(fds[1], STDERR_FILENO);
		env_option("=x", &adds);
		_exit(0);
	}
	close(fds[1]);
	ck_assert_int_gt(read(fds[0], buf, sizeof(buf) - 1), 0);
	ck_assert_str_eq(buf,
			 "container: --env '=x': expected KEY=VALUE or KEY\n");
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(status), 125);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("environ");
	TCase *tc = tcase_create("environ");

	tcase_add_test(tc, from_scratch);
	tcase_add_test(tc, caller_term);
	tcase_add_test(tc, adds_set_copy_and_replace);
	tcase_add_exit_test(tc, at_most_env_adds_max, 125);
	tcase_add_exit_test(tc, empty, 125);
	tcase_add_exit_test(tc, no_key, 125);
	tcase_add_test(tc, error_line);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
