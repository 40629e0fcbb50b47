#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include "common/error.h"
#include "unit.h"

START_TEST(format_with_errno)
{
	char buf[256];
	int n = format_error(buf, sizeof(buf), ENOENT, NULL, "open(/x)");

	ck_assert_str_eq(buf, "container: open(/x): No such file or directory\n");
	ck_assert_int_eq(n, (int)strlen(buf));
}
END_TEST

START_TEST(format_without_errno)
{
	char buf[256];

	format_error(buf, sizeof(buf), 0, NULL, "--hostname '': must not be empty");
	ck_assert_str_eq(buf, "container: --hostname '': must not be empty\n");
}
END_TEST

START_TEST(format_with_hint)
{
	char buf[256];

	format_error(buf, sizeof(buf), EPERM, "run it with sudo", "clone(CLONE_NEWUTS)");
	ck_assert_str_eq(buf, "container: clone(CLONE_NEWUTS): Operation not permitted\n"
			      "hint: run it with sudo\n");
	format_error(buf, sizeof(buf), 0, "make rootfs", "./rootfs: missing");
	ck_assert_str_eq(buf, "container: ./rootfs: missing\nhint: make rootfs\n");
}
END_TEST

START_TEST(format_truncates_safely)
{
	char buf[16];
	int n = format_error(buf, sizeof(buf), EPERM, NULL, "a very long message");

	ck_assert_uint_eq(strlen(buf), sizeof(buf) - 1);
	ck_assert_int_gt(n, (int)sizeof(buf));
}
END_TEST

START_TEST(report_prints_one_report)
{
	capture_stderr();
	report(EACCES, "a hint", "open(%s)", "/etc/shadow");
	ck_assert_str_eq(stderr_text(),
			 "container: open(/etc/shadow): Permission denied\nhint: a hint\n");
}
END_TEST

START_TEST(die_exits_125)
{
	silence_stderr();
	die(EINVAL, NULL, "pivot_root(%s)", "./rootfs");
}
END_TEST

START_TEST(die_in_child_exits_125)
{
	set_role("child");
	silence_stderr();
	die(0, NULL, "bad");
}
END_TEST

START_TEST(must_returns_value)
{
	ck_assert_int_eq(must(42, "call"), 42);
	ck_assert_int_eq(must(0, "call"), 0);
}
END_TEST

START_TEST(must_dies_on_minus_one)
{
	silence_stderr();
	errno = EBADF;
	must(-1, "close(%d)", 99);
}
END_TEST

START_TEST(must_reports_errno)
{
	/* Run must(-1) in a child and read what it printed. */
	int fds[2];
	char buf[256] = "";
	int status;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		errno = EBADF;
		must(-1, "close(%d)", 99);
	}
	close(fds[1]);
	ck_assert_int_gt(read(fds[0], buf, sizeof(buf) - 1), 0);
	waitpid(pid, &status, 0);
	ck_assert_str_eq(buf, "container: close(99): Bad file descriptor\n");
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == EXIT_SETUP_FAILED);
}
END_TEST

/* A hint that, as real ones do, changes errno while it works it out. */
static bool hint_called;

static const char *hint_of_test(int err)
{
	hint_called = true;
	errno = ENOENT;
	return err == EINVAL ? "is / a shared mount?" : NULL;
}

/* Run must_hint(-1) with errno err in a child; what did it print? */
static const char *must_hint_output(int err, char *buf, size_t size)
{
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		errno = err;
		must_hint(-1, hint_of_test, "pivot_root(%s)", ".");
	}
	close(fds[1]);
	n = read(fds[0], buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == EXIT_SETUP_FAILED);
	return buf;
}

START_TEST(must_hint_saves_errno_before_the_hint)
{
	char buf[256];

	/* The hint sees the call's errno, and the report too, though the hint changed it. */
	ck_assert_str_eq(must_hint_output(EINVAL, buf, sizeof(buf)),
			 "container: pivot_root(.): Invalid argument\n"
			 "hint: is / a shared mount?\n");
	/* No hint for this errno: the error line alone. */
	ck_assert_str_eq(must_hint_output(ENOENT, buf, sizeof(buf)),
			 "container: pivot_root(.): No such file or directory\n");
}
END_TEST

START_TEST(must_hint_returns_value)
{
	hint_called = false;
	ck_assert_int_eq(must_hint(7, hint_of_test, "call"), 7);
	ck_assert(!hint_called); /* computed only on failure */
}
END_TEST

/*
 * die() reports and exits, and does nothing to other processes: a child
 * of the dying parent is still running when the parent is gone.
 */
START_TEST(die_leaves_other_processes_alone)
{
	int fds[2], status;
	pid_t parent, child;
	char buf[16] = "";

	ck_assert_int_eq(pipe(fds), 0);
	fflush(NULL);
	parent = fork();
	if (parent == 0) {
		child = fork();
		if (child == 0) {
			close(fds[0]);
			/* Still alive after the parent's die(): say so. */
			while (getppid() == parent)
				usleep(1000);
			if (write(fds[1], "alive", 5) < 0)
				_exit(1);
			_exit(0);
		}
		close(fds[1]);
		silence_stderr();
		die(0, NULL, "a failure in the parent");
	}
	close(fds[1]);
	waitpid(parent, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == EXIT_SETUP_FAILED);
	ck_assert_int_eq(read(fds[0], buf, sizeof(buf) - 1), 5);
	ck_assert_str_eq(buf, "alive");
	close(fds[0]);
}
END_TEST

START_TEST(narrate_only_when_verbose)
{
	capture_stderr();
	verbose = false;
	narrate("quiet %d", 1);
	ck_assert_str_eq(stderr_text(), "");

	capture_stderr();
	verbose = true;
	set_role("child");
	narrate("sethostname(%s)", "box");
	must(0, "mount(%s)", "proc");
	verbose = false;
	ck_assert_str_eq(stderr_text(), "container[child]: sethostname(box)\n"
					"container[child]: mount(proc) = 0\n");
}
END_TEST

START_TEST(notice_always_prints)
{
	capture_stderr();
	notice("network: loopback only");
	ck_assert_str_eq(stderr_text(), "container: notice: network: loopback only\n");
}
END_TEST

static Suite *error_suite(void)
{
	Suite *s = suite_create("error");
	TCase *tc;

	tc = tcase_create("format_error");
	tcase_add_test(tc, format_with_errno);
	tcase_add_test(tc, format_without_errno);
	tcase_add_test(tc, format_with_hint);
	tcase_add_test(tc, format_truncates_safely);
	suite_add_tcase(s, tc);

	tc = tcase_create("report");
	tcase_add_test(tc, report_prints_one_report);
	suite_add_tcase(s, tc);

	tc = tcase_create("die");
	tcase_add_exit_test(tc, die_exits_125, EXIT_SETUP_FAILED);
	tcase_add_exit_test(tc, die_in_child_exits_125, EXIT_SETUP_FAILED);
	suite_add_tcase(s, tc);

	tc = tcase_create("must");
	tcase_add_test(tc, must_returns_value);
	tcase_add_exit_test(tc, must_dies_on_minus_one, EXIT_SETUP_FAILED);
	tcase_add_test(tc, must_reports_errno);
	tcase_add_test(tc, must_hint_saves_errno_before_the_hint);
	tcase_add_test(tc, must_hint_returns_value);
	tcase_add_test(tc, die_leaves_other_processes_alone);
	suite_add_tcase(s, tc);

	tc = tcase_create("narrate");
	tcase_add_test(tc, narrate_only_when_verbose);
	tcase_add_test(tc, notice_always_prints);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(error_suite());
}
