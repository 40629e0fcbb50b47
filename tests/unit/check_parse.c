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

START_TEST(size_ok)
{
	unsigned long long b;

	ck_assert_int_eq(parse_size("0", &b), 0);
	ck_assert_uint_eq(b, 0);
	ck_assert_int_eq(parse_size("4096", &b), 0);
	ck_assert_uint_eq(b, 4096);
	ck_assert_int_eq(parse_size("64K", &b), 0);
	ck_assert_uint_eq(b, 65536);
	ck_assert_int_eq(parse_size("64m", &b), 0);
	ck_assert_uint_eq(b, 64ULL << 20);
	ck_assert_int_eq(parse_size("2G", &b), 0);
	ck_assert_uint_eq(b, 2ULL << 30);
	ck_assert_int_eq(parse_size("17179869183G", &b), 0);
}
END_TEST

START_TEST(size_bad)
{
	static const char *const bad[] = { "", "M", "-1", "-64M", "+64M", "64X", "64MB",
					   "64 M", " 64M", "6.4M", "0x10", "64Mi", "1e6" };
	unsigned long long b;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_msg(parse_size(bad[i], &b) == -1, "'%s' accepted", bad[i]);
		ck_assert_msg(errno == EINVAL, "'%s': errno %d, want EINVAL", bad[i], errno);
	}
}
END_TEST

START_TEST(size_overflow)
{
	unsigned long long b;

	ck_assert_int_eq(parse_size("18446744073709551616", &b), -1);
	ck_assert_msg(errno == ERANGE, "errno %d, want ERANGE", errno);
	ck_assert_int_eq(parse_size("17179869184G", &b), -1);
	ck_assert_msg(errno == ERANGE, "errno %d, want ERANGE", errno);
	ck_assert_int_eq(parse_size("99999999999999999999999K", &b), -1);
	ck_assert_msg(errno == ERANGE, "errno %d, want ERANGE", errno);
}
END_TEST

START_TEST(count_ok)
{
	unsigned long n;

	ck_assert_int_eq(parse_count("12", 4194304, &n), 0);
	ck_assert_uint_eq(n, 12);
	ck_assert_int_eq(parse_count("4194304", 4194304, &n), 0);
}
END_TEST

START_TEST(count_bad)
{
	static const char *const bad[] = { "", "x", "-1", "+1", "1.5", "12a", " 1", "0x1" };
	unsigned long n;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_msg(parse_count(bad[i], 100, &n) == -1, "'%s' accepted", bad[i]);
		ck_assert_msg(errno == EINVAL, "'%s': errno %d, want EINVAL", bad[i], errno);
	}
	ck_assert_int_eq(parse_count("0", 100, &n), -1);
	ck_assert_msg(errno == ERANGE, "errno %d, want ERANGE", errno);
	ck_assert_int_eq(parse_count("101", 100, &n), -1);
	ck_assert_msg(errno == ERANGE, "errno %d, want ERANGE", errno);
	ck_assert_int_eq(parse_count("99999999999999999999999", 100, &n), -1);
	ck_assert_msg(errno == ERANGE, "errno %d, want ERANGE", errno);
}
END_TEST

START_TEST(seconds_ok)
{
	long long v;

	ck_assert_int_eq(parse_seconds("86400", 1000000, &v), 0);
	ck_assert_int_eq(v, 86400);
	ck_assert_int_eq(parse_seconds("-3600", 1000000, &v), 0);
	ck_assert_int_eq(v, -3600);
	ck_assert_int_eq(parse_seconds("0", 10, &v), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(parse_seconds("-10", 10, &v), 0);
	ck_assert_int_eq(v, -10);
}
END_TEST

START_TEST(seconds_bad)
{
	static const char *const bad[] = { "", "-", "+5", "1.5", "1e3", " 1", "1 ",
					   "--1", "x", "0x10", "5s" };
	long long v;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_msg(parse_seconds(bad[i], 100, &v) == -1, "'%s' accepted", bad[i]);
		ck_assert_msg(errno == EINVAL, "'%s': errno %d, want EINVAL", bad[i], errno);
	}
	ck_assert_int_eq(parse_seconds("101", 100, &v), -1);
	ck_assert_msg(errno == ERANGE, "errno %d, want ERANGE", errno);
	ck_assert_int_eq(parse_seconds("-101", 100, &v), -1);
	ck_assert_msg(errno == ERANGE, "errno %d, want ERANGE", errno);
	ck_assert_int_eq(parse_seconds("99999999999999999999999", 100, &v), -1);
	ck_assert_msg(errno == ERANGE, "errno %d, want ERANGE", errno);
}
END_TEST

START_TEST(cpus_ok)
{
	unsigned long m;

	ck_assert_int_eq(parse_cpus("2", &m), 0);
	ck_assert_uint_eq(m, 2000);
	ck_assert_int_eq(parse_cpus("0.5", &m), 0);
	ck_assert_uint_eq(m, 500);
	ck_assert_int_eq(parse_cpus("1.25", &m), 0);
	ck_assert_uint_eq(m, 1250);
	ck_assert_int_eq(parse_cpus("0.001", &m), 0);
	ck_assert_uint_eq(m, 1);
	ck_assert_int_eq(parse_cpus("3.0", &m), 0);
	ck_assert_uint_eq(m, 3000);
}
END_TEST

START_TEST(cpus_bad)
{
	static const char *const bad[] = { "", ".5", "0.", "-1", "-0.5", "+1", "1.2345",
					   "1,5", "one", "1e3", " 1", "0.5x" };
	unsigned long m;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_msg(parse_cpus(bad[i], &m) == -1, "'%s' accepted", bad[i]);
		ck_assert_msg(errno == EINVAL, "'%s': errno %d, want EINVAL", bad[i], errno);
	}
	ck_assert_int_eq(parse_cpus("0", &m), -1);
	ck_assert_msg(errno == ERANGE, "errno %d, want ERANGE", errno);
	ck_assert_int_eq(parse_cpus("0.000", &m), -1);
	ck_assert_msg(errno == ERANGE, "errno %d, want ERANGE", errno);
	ck_assert_int_eq(parse_cpus("99999999", &m), -1);
	ck_assert_msg(errno == ERANGE, "errno %d, want ERANGE", errno);
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

	tc = tcase_create("parse_size");
	tcase_add_test(tc, size_ok);
	tcase_add_test(tc, size_bad);
	tcase_add_test(tc, size_overflow);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse_count");
	tcase_add_test(tc, count_ok);
	tcase_add_test(tc, count_bad);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse_seconds");
	tcase_add_test(tc, seconds_ok);
	tcase_add_test(tc, seconds_bad);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse_cpus");
	tcase_add_test(tc, cpus_ok);
	tcase_add_test(tc, cpus_bad);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(parse_suite());
}
