/*
 * check_console.c - a container's terminal, the runtime's side: the
 * socketpair only when stdin is a terminal, the pty made and its master
 * passed over SCM_RIGHTS, the relay until the child ends, and the
 * caller's terminal restored afterwards.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <pty.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>

#include "common/console.h"
#include "unit.h"

/* Make stdin a new pty's slave; returns its master. */
static int stdin_on_pty(void)
{
	int master, slave;

	ck_assert_int_eq(openpty(&master, &slave, NULL, NULL, NULL), 0);
	ck_assert_int_eq(dup2(slave, STDIN_FILENO), STDIN_FILENO);
	close(slave);
	return master;
}

START_TEST(no_terminal_no_socket)
{
	int console[2] = { 7, 7 };
	int null = open("/dev/null", O_RDONLY);

	ck_assert_int_eq(dup2(null, STDIN_FILENO), STDIN_FILENO);
	ck_assert_int_eq(console_open(console), 0);
	ck_assert_int_eq(console[0], -1);
	ck_assert_int_eq(console[1], -1);
}
END_TEST

START_TEST(terminal_socketpair_cloexec)
{
	int console[2];

	stdin_on_pty();
	ck_assert_int_eq(console_open(console), 0);
	ck_assert_int_ge(console[0], 0);
	ck_assert_int_ge(console[1], 0);
	ck_assert_int_eq(fcntl(console[0], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_int_eq(fcntl(console[1], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
}
END_TEST

START_TEST(make_sends_master)
{
	int sv[2], slave, master;
	char buf[16] = "";

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	slave = console_make(sv[1]); /* closes sv[1] */
	ck_assert_int_ge(slave, 0);
	ck_assert(isatty(slave));
	master = console_receive(sv[0]);
	ck_assert_int_ge(master, 0);
	ck_assert_int_eq(fcntl(master, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	/* The two ends of one pty: what the slave writes, the master reads. */
	ck_assert_int_eq(write(slave, "hi\n", 3), 3);
	ck_assert_int_gt(read(master, buf, sizeof(buf) - 1), 0);
	ck_assert_ptr_nonnull(strstr(buf, "hi"));
	/* sv[1] was closed: nothing more comes. */
	ck_assert_int_eq(console_receive(sv[0]), -1);
	ck_assert_int_eq(errno, ENODATA);
}
END_TEST

START_TEST(receive_from_a_sender_that_failed)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	close(sv[1]);
	ck_assert_int_eq(console_receive(sv[0]), -1);
	ck_assert_int_eq(errno, ENODATA);
}
END_TEST

/*
 * The whole runtime side: a child makes the pty and writes on it; the
 * relay copies it to our stdout (a pipe here) until the child ends, and
 * leaves our terminal (stdin, a pty) in the mode it found it.
 */
START_TEST(attach_relays_and_restores)
{
	int console[2], out[2], ours;
	struct termios before, after;
	char buf[256] = "";
	ssize_t got, all = 0;
	pid_t pid;

	ours = stdin_on_pty();
	ck_assert_int_eq(tcgetattr(STDIN_FILENO, &before), 0);
	ck_assert_int_eq(console_open(console), 0);
	ck_assert_int_eq(pipe(out), 0);
	pid = fork();
	if (pid == 0) {
		int tty = console_make(console[1]);

		if (tty < 0)
			_exit(1);
		dprintf(tty, "from the container\n");
		_exit(0);
	}
	ck_assert_int_eq(dup2(out[1], STDOUT_FILENO), STDOUT_FILENO);
	close(out[1]);
	console_attach(console, -1, pid, NULL);
	ck_assert_int_eq(console[0], -1);
	ck_assert_int_eq(console[1], -1);
	close(STDOUT_FILENO);
	while ((got = read(out[0], buf + all, sizeof(buf) - 1 - all)) > 0)
		all += got;
	ck_assert_ptr_nonnull(strstr(buf, "from the container"));
	ck_assert_int_eq(tcgetattr(STDIN_FILENO, &after), 0);
	/*
	 * Field by field: glibc's tcgetattr(3) fills the fields, not the
	 * struct's padding, which holds whatever the stack held.
	 */
	ck_assert_uint_eq(before.c_iflag, after.c_iflag);
	ck_assert_uint_eq(before.c_oflag, after.c_oflag);
	ck_assert_uint_eq(before.c_cflag, after.c_cflag);
	ck_assert_uint_eq(before.c_lflag, after.c_lflag);
	ck_assert_mem_eq(before.c_cc, after.c_cc, sizeof(before.c_cc));
	close(ours);
	waitpid(pid, NULL, 0);
}
END_TEST

/*
 * The container does not read its terminal and writes a lot to it, while
 * much is typed for it: the relay must go on relaying its output with
 * input waiting, or both block in write(2) for ever (check's timeout
 * fails the test then).
 */
START_TEST(no_deadlock_with_input_waiting)
{
	int console[2], out[2], in[2];
	static char chunk[65536];
	size_t total = 0;
	ssize_t got;
	pid_t pid, feeder, reader;
	int status;

	memset(chunk, 'x', sizeof(chunk));
	stdin_on_pty(); /* console_open wants a terminal on stdin */
	ck_assert_int_eq(console_open(console), 0);
	/* Then stdin becomes a pipe with 2 MiB typed into it. */
	ck_assert_int_eq(pipe(in), 0);
	feeder = fork();
	if (feeder == 0) {
		int i;

		close(in[0]);
		for (i = 0; i < 32; i++)
			if (write(in[1], chunk, sizeof(chunk)) == -1)
				break;
		_exit(0);
	}
	close(in[1]);
	ck_assert_int_eq(dup2(in[0], STDIN_FILENO), STDIN_FILENO);
	ck_assert_int_eq(pipe(out), 0);
	pid = fork();
	if (pid == 0) {
		int tty = console_make(console[1]), i;

		if (tty < 0)
			_exit(1);
		sleep(1); /* let what is typed fill the terminal's buffer */
		for (i = 0; i < 8; i++)
			if (write(tty, chunk, sizeof(chunk)) == -1)
				_exit(2);
		_exit(0);
	}
	/* A reader of our stdout, which counts what the container wrote. */
	reader = fork();
	if (reader == 0) {
		char buf[65536];

		close(out[1]);
		while ((got = read(out[0], buf, sizeof(buf))) > 0)
			total += (size_t)got;
		_exit(total >= 8 * sizeof(chunk) ? 0 : 1);
	}
	close(out[0]);
	ck_assert_int_eq(dup2(out[1], STDOUT_FILENO), STDOUT_FILENO);
	close(out[1]);
	console_attach(console, -1, pid, NULL);
	close(STDOUT_FILENO);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(status, 0);
	ck_assert_int_eq(waitpid(reader, &status, 0), reader);
	ck_assert_int_eq(status, 0); /* all 512 KiB came through */
	kill(feeder, SIGKILL);
	waitpid(feeder, NULL, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("console");
	TCase *tc = tcase_create("console");

	tcase_add_test(tc, no_terminal_no_socket);
	tcase_add_test(tc, terminal_socketpair_cloexec);
	tcase_add_test(tc, make_sends_master);
	tcase_add_test(tc, receive_from_a_sender_that_failed);
	tcase_add_test(tc, attach_relays_and_restores);
	tcase_add_test(tc, no_deadlock_with_input_waiting);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
