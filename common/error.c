#define _GNU_SOURCE
#include "common/error.h"
#include "common/syscalls.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

bool verbose;

static const char *role = "parent";
static bool in_child;
static int child_pidfd = -1;	/* see watch_child() */

void set_role(const char *name)
{
	role = name;
	in_child = strcmp(name, "parent") != 0;
}

void watch_child(pid_t pid)
{
	/* -1 (no pidfd_open before Linux 5.3): no watching, two reports. */
	child_pidfd = sys_pidfd_open(pid);
}

/*
 * Did the watched child exit 125, after reporting a failure of its own?
 * It dies with us anyway (PR_SET_PDEATHSIG), so we end it now and see how
 * it ended: exited 125 means it stopped first, and said why; killed by
 * our SIGKILL means it was still waiting for us, and our report is the
 * one. Through its pidfd, signal and wait reach that very child, even
 * after a waitpid(2) reaped it and its PID went to another process
 * (pidfd_send_signal(2), waitid(2) with P_PIDFD).
 */
static bool child_reported_first(void)
{
	siginfo_t info = { 0 };

	if (in_child || child_pidfd < 0)
		return false;
	sys_pidfd_send_signal(child_pidfd, SIGKILL);
	/*
	 * WNOWAIT: we look, and leave it a zombie. Reaped, its PID would be
	 * free for another process while our signal handlers may still
	 * forward a Ctrl-C to it by PID, during the cleanup after this report.
	 */
	if (waitid(IDTYPE_PIDFD, (id_t)child_pidfd, &info, WEXITED | WNOWAIT) == -1)
		return false; /* reaped already: COMMAND ran */
	return info.si_code == CLD_EXITED && info.si_status == EXIT_SETUP_FAILED;
}

/* "container[ROLE]: MESSAGE[SUFFIX]\n" in one write(2), so that lines
 * from the parent and the child never interleave. */
static void vsay(const char *suffix, const char *fmt, va_list ap)
{
	char line[1024];
	int n;

	n = snprintf(line, sizeof(line), "container[%s]: ", role);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if ((size_t)n >= sizeof(line) - 32)
		n = sizeof(line) - 32;
	n += snprintf(line + n, sizeof(line) - (size_t)n, "%s\n", suffix);
	if (write(STDERR_FILENO, line, (size_t)n) < 0) {
		/* Nowhere left to report to. */
	}
}

void narrate(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	vsay("", fmt, ap);
	va_end(ap);
}

void notice(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("container: notice: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int format_error(char *buf, size_t size, int err, const char *hint,
		 const char *what)
{
	if (err != 0 && hint != NULL)
		return snprintf(buf, size, "container: %s: %s\nhint: %s\n",
				what, strerror(err), hint);
	if (err != 0)
		return snprintf(buf, size, "container: %s: %s\n", what,
				strerror(err));
	if (hint != NULL)
		return snprintf(buf, size, "container: %s\nhint: %s\n", what,
				hint);
	return snprintf(buf, size, "container: %s\n", what);
}

static void vreport(int err, const char *hint, const char *fmt, va_list ap)
{
	char what[512], line[1024];

	vsnprintf(what, sizeof(what), fmt, ap);
	format_error(line, sizeof(line), err, hint, what);
	/* One write(2), so lines from parent and child never interleave. */
	if (write(STDERR_FILENO, line, strlen(line)) < 0) {
		/* Nowhere left to report to. */
	}
}

void report(int err, const char *hint, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(err, hint, fmt, ap);
	va_end(ap);
}

__attribute__((noreturn)) static void leave(void)
{
	if (in_child)
		_exit(EXIT_SETUP_FAILED);
	exit(EXIT_SETUP_FAILED);
}

void die(int err, const char *hint, const char *fmt, ...)
{
	va_list ap;

	if (child_reported_first())
		leave();
	va_start(ap, fmt);
	vreport(err, hint, fmt, ap);
	va_end(ap);
	leave();
}

long must(long ret, const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	va_start(ap, fmt);
	if (ret == -1) {
		if (!child_reported_first())
			vreport(err, NULL, fmt, ap);
		va_end(ap);
		leave();
	}
	if (verbose) {
		char suffix[32];

		snprintf(suffix, sizeof(suffix), " = %ld", ret);
		vsay(suffix, fmt, ap);
	}
	va_end(ap);
	return ret;
}
