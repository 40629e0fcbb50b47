#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <time.h>

#include "common/sync.h"
#include "unit.h"

START_TEST(init_is_cloexec)
{
	struct sync_pipe s;

	ck_assert_int_eq(sync_init(&s), 0);
	ck_assert(fcntl(s.wait_fd, F_GETFD) & FD_CLOEXEC);
	ck_assert(fcntl(s.release_fd, F_GETFD) & FD_CLOEXEC);
	sync_close(&s);
	ck_assert_int_eq(s.wait_fd, -1);
	ck_assert_int_eq(s.release_fd, -1);
}
END_TEST

/* Fork a child that waits; return its exit status (0 released, 1 canceled). */
static pid_t fork_waiter(struct sync_pipe *s)
{
	pid_t pid = fork();

	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		if (sync_wait(s) == 0)
			_exit(0);
		_exit(errno == ECANCELED ? 1 : 2);
	}
	return pid;
}

START_TEST(release_lets_child_go)
{
	struct sync_pipe s;
	int status;
	pid_t pid;

	ck_assert_int_eq(sync_init(&s), 0);
	pid = fork_waiter(&s);
	ck_assert_int_eq(sync_release(&s), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

START_TEST(child_blocks_until_released)
{
	struct sync_pipe s;
	int status;
	pid_t pid;

	ck_assert_int_eq(sync_init(&s), 0);
	pid = fork_waiter(&s);
	usleep(100 * 1000);
	ck_assert_int_eq(waitpid(pid, &status, WNOHANG), 0);
	ck_assert_int_eq(sync_release(&s), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
}
END_TEST

START_TEST(close_cancels_child)
{
	struct sync_pipe s;
	int status;
	pid_t pid;

	ck_assert_int_eq(sync_init(&s), 0);
	pid = fork_waiter(&s);
	sync_close(&s);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WEXITSTATUS(status) == 1, "sync_wait should fail with ECANCELED");
}
END_TEST

START_TEST(parent_death_cancels_child)
{
	/* A middle process creates the pipe, forks the waiter and dies. */
	int report[2], status;
	char result = '?';
	pid_t middle;

	ck_assert_int_eq(pipe(report), 0);
	middle = fork();
	if (middle == 0) {
		struct sync_pipe s;

		sync_init(&s);
		if (fork() == 0) {
			int ret = sync_wait(&s);

			result = (ret == -1 && errno == ECANCELED) ? 'c' : 'x';
			if (write(report[1], &result, 1) != 1)
				_exit(3);
			_exit(0);
		}
		_exit(0);
	}
	close(report[1]);
	waitpid(middle, &status, 0);
	ck_assert_int_eq(read(report[0], &result, 1), 1);
	ck_assert_msg(result == 'c', "waiter should see ECANCELED, got %c", result);
}
END_TEST

START_TEST(release_after_child_died)
{
	struct sync_pipe s;
	int status;
	pid_t pid;

	/*
	 * The child gives up before the release (a failed setup step): the
	 * write must neither fail nor raise SIGPIPE, which would kill us
	 * (SIGPIPE is left at its default here).
	 */
	ck_assert_int_eq(sync_init(&s), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0)
		_exit(125);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(sync_release(&s), 0);
	ck_assert_int_eq(s.wait_fd, -1);
	sync_close(&s);
}
END_TEST

START_TEST(wait_on_closed_pipe_fails)
{
	struct sync_pipe s = { .wait_fd = -1, .release_fd = -1 };

	ck_assert_int_eq(sync_wait(&s), -1);
	ck_assert_msg(errno == EBADF, "errno %d, want EBADF", errno);
}
END_TEST

/*
 * A read that fails, again and again, still waits for the release: here
 * the "pipe" is an eventfd, whose read(2) of one byte fails (EINVAL) but
 * which poll(2) finds readable only once a child writes to it, 200 ms on.
 */
START_TEST(failed_read_still_waits_for_release)
{
	struct sync_pipe s = { .release_fd = -1 };
	struct timespec t0, t1;
	uint64_t one = 1;
	long ms;
	pid_t pid;

	s.wait_fd = eventfd(0, EFD_CLOEXEC);
	ck_assert_int_ge(s.wait_fd, 0);
	pid = fork();
	if (pid == 0) {
		usleep(200000);
		_exit(write(s.wait_fd, &one, sizeof(one)) == sizeof(one) ? 0 : 1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(sync_wait(&s), -1);
	ck_assert_msg(errno == EINVAL, "errno %d, want the read's EINVAL", errno);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	ck_assert_msg(ms >= 150, "returned after %ld ms, before the release", ms);
	waitpid(pid, NULL, 0);
	sync_close(&s);
}
END_TEST

START_TEST(parent_alive_while_open)
{
	struct sync_pipe s;
	int status;
	pid_t pid;

	ck_assert_int_eq(sync_init(&s), 0);
	pid = fork();
	if (pid == 0) {
		if (sync_wait(&s) == -1)
			_exit(2);
		/* Released, and the parent still holds its end: alive. */
		_exit(sync_parent_alive(&s) ? 0 : 1);
	}
	ck_assert_int_eq(sync_release(&s), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	sync_close(&s);
}
END_TEST

START_TEST(parent_gone_after_release)
{
	/*
	 * A middle process releases the waiter, closes its end of the sync
	 * pipe, then says so; the waiter checks. An exiting process's
	 * descriptors are released in no promised order, so the middle one
	 * closes them itself, in the order the check needs: the sync pipe
	 * first, then "go", whose EOF tells the waiter the first is closed.
	 */
	int report[2], status;
	char result = '?';
	pid_t middle;

	ck_assert_int_eq(pipe(report), 0);
	middle = fork();
	if (middle == 0) {
		struct sync_pipe s;
		int go[2];

		sync_init(&s);
		if (pipe(go) == -1)
			_exit(3);
		if (fork() == 0) {
			char c;

			close(go[1]);
			sync_wait(&s);
			/* Wait until the middle process has closed its end. */
			if (read(go[0], &c, 1) != 0)
				_exit(3);
			result = sync_parent_alive(&s) ? 'a' : 'g';
			if (write(report[1], &result, 1) != 1)
				_exit(3);
			_exit(0);
		}
		close(go[0]);
		sync_release(&s);
		sync_close(&s);
		close(go[1]);
		_exit(0);
	}
	close(report[1]);
	waitpid(middle, &status, 0);
	ck_assert_int_eq(read(report[0], &result, 1), 1);
	ck_assert_msg(result == 'g', "waiter should see the parent gone, got %c", result);
}
END_TEST

static Suite *sync_suite(void)
{
	Suite *s = suite_create("sync");
	TCase *tc;

	tc = tcase_create("sync_init");
	tcase_add_test(tc, init_is_cloexec);
	suite_add_tcase(s, tc);

	tc = tcase_create("sync_release");
	tcase_add_test(tc, release_lets_child_go);
	tcase_add_test(tc, child_blocks_until_released);
	tcase_add_test(tc, release_after_child_died);
	suite_add_tcase(s, tc);

	tc = tcase_create("sync_wait");
	tcase_add_test(tc, close_cancels_child);
	tcase_add_test(tc, parent_death_cancels_child);
	tcase_add_test(tc, wait_on_closed_pipe_fails);
	tcase_add_test(tc, failed_read_still_waits_for_release);
	suite_add_tcase(s, tc);

	tc = tcase_create("sync_parent_alive");
	tcase_add_test(tc, parent_alive_while_open);
	tcase_add_test(tc, parent_gone_after_release);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(sync_suite());
}
