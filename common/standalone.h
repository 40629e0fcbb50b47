/*
 * standalone.h - a die/must pair for a lesson function copied into a
 * program of your own, in place of common/error.h: the same calls, the
 * same report ("container: WHAT: WHY", then "hint: ..."), exit 125.
 * narrate() says nothing. Include it in the one file that holds the
 * copied function; the common/ helpers it needs keep their own.
 */
#ifndef COMMON_STANDALONE_H
#define COMMON_STANDALONE_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The status of a set-up that failed, as docker and podman return it. */
#define EXIT_SETUP_FAILED 125

#define narrate(...) ((void)0)

/* Print "container: WHAT[: strerror(err)]" and the hint, if any; exit 125. */
__attribute__((noreturn, format(printf, 3, 4))) static void
die(int err, const char *hint, const char *fmt, ...)
{
	va_list ap;

	fputs("container: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (err != 0)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
	if (hint != NULL)
		fprintf(stderr, "hint: %s\n", hint);
	exit(EXIT_SETUP_FAILED);
}

/* For a call that must succeed: die naming it when it returns -1. */
#define must(ret, ...) must_hint(ret, NULL, __VA_ARGS__)

/* The same, with a hint worked out from the errno of the failure. */
#define must_hint(ret, hint, ...)                                     \
	({                                                            \
		long ret_ = (ret);                                    \
		int err_ = errno;                                     \
		const char *(*hint_)(int) = (hint);                   \
		if (ret_ == -1)                                       \
			die(err_, hint_ != NULL ? hint_(err_) : NULL, \
			    __VA_ARGS__);                             \
		ret_;                                                 \
	})

#endif
