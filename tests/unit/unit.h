/* unit.h - shared bits of the check suites: capture what a call prints on stderr. */
#ifndef TESTS_UNIT_H
#define TESTS_UNIT_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Redirect stderr to a temporary file; stderr_text() returns what was written. */
static int saved_stderr = -1;
static FILE *captured;

static inline void capture_stderr(void)
{
	fflush(stderr);
	captured = tmpfile();
	ck_assert_ptr_nonnull(captured);
	saved_stderr = dup(STDERR_FILENO);
	dup2(fileno(captured), STDERR_FILENO);
}

static inline const char *stderr_text(void)
{
	static char text[4096];
	size_t n;

	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	rewind(captured);
	n = fread(text, 1, sizeof(text) - 1, captured);
	text[n] = '\0';
	fclose(captured);
	return text;
}

/* For tests that exit: send what they print to /dev/null. */
static inline void silence_stderr(void)
{
	FILE *null = fopen("/dev/null", "w");

	if (null != NULL)
		dup2(fileno(null), STDERR_FILENO);
}

/* A temporary directory for file tests, removed by the caller with rm_tree(). */
static inline char *make_tmpdir(void)
{
	static char dir[64];

	strcpy(dir, "/tmp/check-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	return dir;
}

static inline int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
