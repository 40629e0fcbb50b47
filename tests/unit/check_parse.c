#define _GNU_SOURCE
#include <arpa/inet.h>
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

START_TEST(cidr_ok)
{
	struct in_addr a;
	int prefix = -1;

	ck_assert_int_eq(parse_ipv4_cidr("10.99.0.5/24", &a, &prefix), 0);
	ck_assert_int_eq(prefix, 24);
	ck_assert_uint_eq(ntohl(a.s_addr), 0x0a630005);
	ck_assert_int_eq(parse_ipv4_cidr("0.0.0.0/0", &a, &prefix), 0);
	ck_assert_int_eq(prefix, 0);
	ck_assert_int_eq(parse_ipv4_cidr("255.255.255.255/32", &a, &prefix), 0);
	ck_assert_int_eq(prefix, 32);
}
END_TEST

START_TEST(cidr_malformed)
{
	static const char *const bad[] = { "", "/", "/24", "10.99.0.5", "10.99.0.5/",
					   "10.99.0.5/33", "10.99.0.5/-1", "10.99.0.5/+1",
					   "10.99.0.5/24x", "10.99.0.5/ 24", "10.99.0.256/24",
					   "10.99.0/24", "10.99.0.5.1/24", "x/24", "10.99.0.5//24",
					   "10.99.0.5/024", "::1/128", " 10.99.0.5/24",
					   "10.99.0.5/24/1" };
	struct in_addr a;
	int prefix;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_msg(parse_ipv4_cidr(bad[i], &a, &prefix) == -1, "'%s' accepted", bad[i]);
		ck_assert_msg(errno == EINVAL, "'%s': errno %d, want EINVAL", bad[i], errno);
	}
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

	tc = tcase_create("parse_ipv4_cidr");
	tcase_add_test(tc, cidr_ok);
	tcase_add_test(tc, cidr_malformed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(parse_suite());
}
