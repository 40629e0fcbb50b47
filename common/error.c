#define _GNU_SOURCE
#include "common/error.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool verbose;

static const char *role = "parent";
static bool in_child;

void set_role(const char *name)
{
	role = name;
	in_child = strcmp(name, "parent") != 0;
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

	va_start(ap, fmt);
	vreport(err, hint, fmt, ap);
	va_end(ap);
	leave();
}

static long vmust(long ret, hint_fn *hint, const char *fmt, va_list ap)
{
	int err = errno; /* before hint(), which may read files */

	if (ret == -1) {
		vreport(err, hint != NULL ? hint(err) : NULL, fmt, ap);
		leave();
	}
	if (verbose) {
		char suffix[32];

		snprintf(suffix, sizeof(suffix), " = %ld", ret);
		vsay(suffix, fmt, ap);
	}
	return ret;
}

long must(long ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ret = vmust(ret, NULL, fmt, ap);
	va_end(ap);
	return ret;
}

long must_hint(long ret, hint_fn *hint, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ret = vmust(ret, hint, fmt, ap);
	va_end(ap);
	return ret;
}
