/*
 * error.h - how every step reports: one error line, an optional hint, exit 125.
 *
 *   container: WHAT: WHY          (WHY is strerror(errno) when a call failed)
 *   hint: what to do about it      (only for the known pitfalls)
 *
 * With --verbose, narrate() tells each kernel call and its result, tagged
 * with the process that made it: container[parent], container[child], ...
 */
#ifndef COMMON_ERROR_H
#define COMMON_ERROR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The status a runtime returns when the container could not be set up (as docker, podman). */
#define EXIT_SETUP_FAILED 125

extern bool verbose;

/*
 * Tag later messages with the process that prints them ("parent", "child",
 * "init"). A non-parent role also makes die() leave with _exit(2): after
 * clone(2) or fork(2) the child must not run the parent's atexit handlers.
 * That is all die() does besides reporting: what happens to other
 * processes on a failure is decided where it happens.
 */
void set_role(const char *role);

/* With --verbose only: "container[ROLE]: MESSAGE" on stderr. */
void narrate(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Always: "container: notice: MESSAGE" on stderr, for something skipped on purpose. */
void notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Format the error report into buf: "container: WHAT[: strerror(err)]\n"
 * and, when hint is not NULL, "hint: HINT\n". err is an errno value, or 0
 * when no call failed (bad input). Returns the length, as snprintf(3).
 */
int format_error(char *buf, size_t size, int err, const char *hint,
		 const char *what);

/* Print the report (see format_error) on stderr, in one write(2). */
__attribute__((format(printf, 3, 4))) void report(int err, const char *hint,
						  const char *fmt, ...);

/* Print the report and exit 125. */
__attribute__((noreturn, format(printf, 3, 4))) void
die(int err, const char *hint, const char *fmt, ...);

/*
 * For a system call that must succeed: if ret is -1, die naming the call
 * (errno says why); otherwise narrate "CALL = ret" and return ret.
 *
 *	must(sethostname(name, len), "sethostname(\"%s\")", name);
 */
__attribute__((format(printf, 2, 3))) long must(long ret, const char *fmt, ...);

/*
 * What to do about a failure whose cause is a known pitfall: a function of
 * the errno, returning the hint line or NULL (common/hints.h has them).
 */
typedef const char *hint_fn(int err);

/*
 * must(), with a hint: on failure, errno is saved first, then hint(errno)
 * says what to do (it may read files, which would change errno).
 *
 *	must_hint(sys_pivot_root(".", "."), hint_pivot_root, "pivot_root(.)");
 */
__attribute__((format(printf, 3, 4))) long must_hint(long ret, hint_fn *hint,
						     const char *fmt, ...);

#endif
