#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "common/process.h"
#include "unit.h"

static void on_alarm(int sig)
{
	(void)sig;
}

START_TEST(wait_for_survives_signals)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	int status;
	pid_t pid;

	/* No SA_RESTART: waitpid would fail with EINTR without the retry. */
	sigaction(SIGALRM, &sa, NULL);
	pid = fork();
	if (pid == 0) {
		usleep(300 * 1000);
		_exit(7);
	}
	ualarm(50 * 1000, 50 * 1000);
	ck_assert_int_eq(wait_for(pid, &status), pid);
	ualarm(0, 0);
	ck_assert_int_eq(exit_code_of(status), 7);
}
END_TEST

START_TEST(wait_for_no_child)
{
	int status;

	ck_assert_int_eq(wait_for(1, &status), -1);
	ck_assert_msg(errno == ECHILD, "errno %d, want ECHILD", errno);
}
END_TEST

START_TEST(exit_code_of_exit)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(42);
	wait_for(pid, &status);
	ck_assert_int_eq(exit_code_of(status), 42);
}
END_TEST

START_TEST(exit_code_of_signal)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		raise(SIGKILL);
		_exit(0);
	}
	wait_for(pid, &status);
	ck_assert_int_eq(exit_code_of(status), 128 + SIGKILL);
}
END_TEST

START_TEST(exec_failure_codes)
{
	ck_assert_int_eq(exec_failure_code(ENOENT), 127);
	ck_assert_int_eq(exec_failure_code(ENOTDIR), 127);
	ck_assert_int_eq(exec_failure_code(EACCES), 126);
	ck_assert_int_eq(exec_failure_code(ENOEXEC), 126);
}
END_TEST

START_TEST(flag_names)
{
	char buf[128];

	ck_assert_str_eq(clone_flag_names(CLONE_NEWUTS, buf, sizeof(buf)), "CLONE_NEWUTS");
	ck_assert_str_eq(clone_flag_names(CLONE_NEWUTS | CLONE_NEWPID, buf, sizeof(buf)),
			 "CLONE_NEWUTS|CLONE_NEWPID");
	ck_assert_str_eq(clone_flag_names(0, buf, sizeof(buf)), "0");
	ck_assert_str_eq(clone_flag_names(CLONE_NEWNS | 0x1, buf, sizeof(buf)),
			 "CLONE_NEWNS|0x1");
}
END_TEST

START_TEST(flag_names_truncate)
{
	char buf[8];

	clone_flag_names(CLONE_NEWUTS | CLONE_NEWPID, buf, sizeof(buf));
	ck_assert_uint_eq(strlen(buf), sizeof(buf) - 1);
}
END_TEST

START_TEST(cloexec_from_marks_high_fds_only)
{
	int low[2], high;

	ck_assert_int_eq(pipe(low), 0); /* no O_CLOEXEC */
	high = fcntl(low[0], F_DUPFD, 100);
	ck_assert_int_ge(high, 100);
	ck_assert_int_eq(cloexec_from(100), 0);
	ck_assert_int_eq(fcntl(high, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_int_eq(fcntl(low[0], F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_int_eq(fcntl(low[1], F_GETFD) & FD_CLOEXEC, 0);
	close(high);
	close(low[0]);
	close(low[1]);
}
END_TEST

START_TEST(cloexec_from_survives_exec)
{
	int fds[2], status;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		/* The shell sees the pipe's descriptor only if it survived. */
		char path[64];

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[1]);
		if (cloexec_from(3) == -1)
			_exit(2);
		execl("/bin/sh", "sh", "-c", "test ! -e \"$0\"", path, (char *)NULL);
		_exit(3);
	}
	ck_assert_int_eq(wait_for(pid, &status), pid);
	ck_assert_int_eq(exit_code_of(status), 0);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

START_TEST(close_from_closes_high_fds_only)
{
	int low[2], high, higher;

	ck_assert_int_eq(pipe(low), 0);
	high = fcntl(low[0], F_DUPFD, 100);
	higher = fcntl(low[0], F_DUPFD, 200);
	ck_assert_int_ge(high, 100);
	ck_assert_int_ge(higher, 200);
	ck_assert_int_eq(close_from(100), 0);
	ck_assert_msg(fcntl(high, F_GETFD) == -1 && errno == EBADF,
		      "fd %d still open (errno %d)", high, errno);
	ck_assert_msg(fcntl(higher, F_GETFD) == -1 && errno == EBADF,
		      "fd %d still open (errno %d)", higher, errno);
	ck_assert_int_ne(fcntl(low[0], F_GETFD), -1);
	ck_assert_int_ne(fcntl(low[1], F_GETFD), -1);
	close(low[0]);
	close(low[1]);
}
END_TEST

START_TEST(reap_stops_forwarding_to_that_child_only)
{
	volatile pid_t forward_to;
	int status;
	pid_t a, b;

	a = fork();
	if (a == 0)
		_exit(3);
	b = fork();
	if (b == 0) {
		pause();
		_exit(0);
	}
	/* Waiting for a, while signals go to b: b stays the target. */
	forward_to = b;
	ck_assert_int_eq(reap(a, &status, &forward_to), a);
	ck_assert_int_eq(exit_code_of(status), 3);
	ck_assert_int_eq(forward_to, b);
	/* Any child; the one that ends is b, the target: forwarding stops. */
	ck_assert_int_eq(kill(b, SIGKILL), 0);
	ck_assert_int_eq(reap(-1, &status, &forward_to), b);
	ck_assert_int_eq(exit_code_of(status), 128 + SIGKILL);
	ck_assert_int_eq(forward_to, 0);
	/* No child left: -1 with ECHILD, the target untouched. */
	forward_to = 42;
	ck_assert_int_eq(reap(-1, &status, &forward_to), -1);
	ck_assert_msg(errno == ECHILD, "errno %d, expected ECHILD", errno);
	ck_assert_int_eq(forward_to, 42);
}
END_TEST

/* No namespaces, no cgroup: the child goes on from the call, as after fork(2). */
START_TEST(clone_as_fork)
{
	char call[192];
	bool placed = true;
	int status;
	pid_t pid;

	pid = clone_into_cgroup(0, -1, &placed, call, sizeof(call));
	if (pid == 0)
		_exit(7);
	ck_assert_int_gt(pid, 0);
	ck_assert(!placed);
	/* clone3 where the kernel has it; clone(2) otherwise. */
	ck_assert_msg(strncmp(call, "clone3(", 7) == 0 ||
		      strncmp(call, "clone(", 6) == 0, "%s", call);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 7);
}
END_TEST

/* With a cgroup v2 directory, the child starts in it (Linux 5.7). */
START_TEST(clone_into_a_cgroup)
{
	const char *top = access("/sys/fs/cgroup/unified/cgroup.procs", F_OK) == 0
				  ? "/sys/fs/cgroup/unified"
				  : "/sys/fs/cgroup";
	char dir[256], call[192], line[512];
	bool placed = false;
	int fd, status;
	FILE *f;
	pid_t pid;

	if (geteuid() != 0 || access(top, W_OK) == -1) {
		fprintf(stderr, "check_process: clone_into_a_cgroup skipped: "
				"needs root and a cgroup2 tree\n");
		return;
	}
	snprintf(dir, sizeof(dir), "%s/check-clone-%d", top, getpid());
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	pid = clone_into_cgroup(0, fd, &placed, call, sizeof(call));
	if (pid == 0) {
		/* The v2 line of /proc/self/cgroup, "0::/PATH", names dir. */
		f = fopen("/proc/self/cgroup", "r");
		while (f != NULL && fgets(line, sizeof(line), f) != NULL)
			if (strncmp(line, "0::", 3) == 0 && strstr(line, "/check-clone-"))
				_exit(0);
		_exit(1);
	}
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	close(fd);
	rmdir(dir);
	if (!placed) { /* a kernel before 5.7, or no clone3: nothing to check */
		fprintf(stderr, "check_process: %s: no CLONE_INTO_CGROUP here\n", call);
		return;
	}
	ck_assert_msg(strstr(call, "CLONE_INTO_CGROUP") != NULL, "%s", call);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
END_TEST

static Suite *process_suite(void)
{
	Suite *s = suite_create("process");
	TCase *tc;

	tc = tcase_create("wait_for");
	tcase_add_test(tc, wait_for_survives_signals);
	tcase_add_test(tc, wait_for_no_child);
	suite_add_tcase(s, tc);

	tc = tcase_create("reap");
	tcase_add_test(tc, reap_stops_forwarding_to_that_child_only);
	tcase_add_test(tc, clone_as_fork);
	tcase_add_test(tc, clone_into_a_cgroup);
	suite_add_tcase(s, tc);

	tc = tcase_create("exit_code_of");
	tcase_add_test(tc, exit_code_of_exit);
	tcase_add_test(tc, exit_code_of_signal);
	suite_add_tcase(s, tc);

	tc = tcase_create("exec_failure_code");
	tcase_add_test(tc, exec_failure_codes);
	suite_add_tcase(s, tc);

	tc = tcase_create("clone_flag_names");
	tcase_add_test(tc, flag_names);
	tcase_add_test(tc, flag_names_truncate);
	suite_add_tcase(s, tc);

	tc = tcase_create("cloexec_from");
	tcase_add_test(tc, cloexec_from_marks_high_fds_only);
	tcase_add_test(tc, cloexec_from_survives_exec);
	suite_add_tcase(s, tc);

	tc = tcase_create("close_from");
	tcase_add_test(tc, close_from_closes_high_fds_only);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(process_suite());
}
