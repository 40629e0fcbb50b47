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

/*
 * What die() in the parent prints once a watched child has exited with
 * child_status (-1: a child still alive): run in a forked "parent", its
 * stderr read through a pipe.
 */
static const char *die_after_child_exit(int child_status, char *buf, size_t size)
{
	int fds[2], status;
	pid_t parent, child;
	ssize_t n;

	ck_assert_int_eq(pipe(fds), 0);
	fflush(NULL);
	parent = fork();
	if (parent == 0) {
		siginfo_t info;

		child = fork();
		if (child == 0) {
			if (child_status < 0) /* still waiting for its parent */
				pause();
			_exit(child_status);
		}
		/* Once it has exited (WNOWAIT: still there to be waited for). */
		if (child_status >= 0)
			waitid(P_PID, (id_t)child, &info, WEXITED | WNOWAIT);
		watch_child(child);
		dup2(fds[1], STDERR_FILENO);
		errno = ESRCH;
		must(-1, "open(/proc/%d/uid_map)", (int)child);
	}
	close(fds[1]);
	n = read(fds[0], buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	waitpid(parent, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == EXIT_SETUP_FAILED);
	return buf;
}

START_TEST(no_echo_of_a_child_that_reported)
{
	char buf[256];

	/* The child exited 125, after its own report: no second one. */
	ck_assert_str_eq(die_after_child_exit(EXIT_SETUP_FAILED, buf, sizeof(buf)), "");
	/* Any other end of the child: the parent's report is all there is. */
	ck_assert_str_ne(die_after_child_exit(0, buf, sizeof(buf)), "");
	ck_assert_ptr_nonnull(strstr(buf, "No such process"));
	/* A child still alive is ended (it would die with us), and we report. */
	ck_assert_ptr_nonnull(strstr(die_after_child_exit(-1, buf, sizeof(buf)),
				     "No such process"));
}
END_TEST

/* In the parent that dies: is its child still there to be waited for? */
static pid_t watched;
static int status_fd;

static void child_still_waitable(void)
{
	siginfo_t info = { 0 };

	if (waitid(P_PID, (id_t)watched, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
	    info.si_pid == watched && write(status_fd, "zombie", 6) < 0)
		_exit(3);
}

START_TEST(reported_child_stays_a_zombie)
{
	char buf[32] = "";
	int fds[2], status;
	pid_t parent;
	ssize_t n;

	/*
	 * die() leaves the child unreaped: its PID stays taken until the
	 * runtime exits, so a signal forwarded by PID during the cleanup
	 * (atexit handlers) cannot reach a process that took the PID.
	 */
	ck_assert_int_eq(pipe(fds), 0);
	fflush(NULL);
	parent = fork();
	if (parent == 0) {
		close(fds[0]);
		status_fd = fds[1];
		watched = fork();
		if (watched == 0)
			pause();
		watch_child(watched);
		atexit(child_still_waitable);
		silence_stderr();
		die(0, NULL, "a failure in the parent");
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	waitpid(parent, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == EXIT_SETUP_FAILED);
	ck_assert_str_eq(buf, "zombie");
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
	tcase_add_test(tc, no_echo_of_a_child_that_reported);
	tcase_add_test(tc, reported_child_stays_a_zombie);
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
