#define _GNU_SOURCE
#include <errno.h>

#include "common/parse.h"
#include "unit.h"

START_TEST(hostname_ok)
{
	ck_assert_int_eq(check_hostname("container"), 0);
	ck_assert_int_eq(check_hostname("a"), 0);
	/* 64 bytes: exactly HOST_NAME_MAX. */
	ck_assert_int_eq(check_hostname("0123456789012345678901234567890123456789"
					"012345678901234567890123"), 0);
}
END_TEST

START_TEST(hostname_empty)
{
	ck_assert_int_eq(check_hostname(""), -1);
	ck_assert_msg(errno == EINVAL, "errno %d, want EINVAL", errno);
}
END_TEST

START_TEST(hostname_too_long)
{
	ck_assert_int_eq(check_hostname("0123456789012345678901234567890123456789"
					"0123456789012345678901234"), -1);
	ck_assert_msg(errno == ENAMETOOLONG, "errno %d, want ENAMETOOLONG", errno);
}
END_TEST

static Suite *parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc;

	tc = tcase_create("check_hostname");
	tcase_add_test(tc, hostname_ok);
	tcase_add_test(tc, hostname_empty);
	tcase_add_test(tc, hostname_too_long);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(parse_suite());
}
