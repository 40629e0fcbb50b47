/* check_network.c - the address plan: parsing, claims, and what --ip may be. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include "common/network.h"
#include "unit.h"

/*
 * Abstract socket names belong to the network namespace: as root, each
 * test claims addresses in a namespace of its own (check forks per test),
 * never seeing a running container's claims, nor leaving any.
 */
static void own_netns(void)
{
	if (geteuid() == 0)
		ck_assert_int_eq(unshare(CLONE_NEWNET), 0);
}

START_TEST(dotted_quad)
{
	ck_assert_uint_eq(ntohl(ipv4("10.99.0.1").s_addr), 0x0a630001);
}
END_TEST

START_TEST(claim_is_exclusive)
{
	int a, b;

	own_netns();
	a = claim_address(ipv4("10.99.0.77"));
	ck_assert_int_ge(a, 0);
	b = claim_address(ipv4("10.99.0.77"));
	ck_assert_int_eq(b, -1);
	ck_assert_int_eq(errno, EADDRINUSE);
	/* Closed, the name is free again: nothing to clean up. */
	close(a);
	b = claim_address(ipv4("10.99.0.77"));
	ck_assert_int_ge(b, 0);
	close(b);
}
END_TEST

START_TEST(no_net_is_loopback)
{
	struct in_addr ip;
	int claim = -1;

	ck_assert(!choose_network(NULL, true, &ip, &claim));
	ck_assert_int_eq(claim, -1);
}
END_TEST

START_TEST(first_free_address)
{
	struct in_addr ip;
	int held, claim = -1;

	if (geteuid() != 0) { /* a veth needs root: unprivileged, loopback */
		fprintf(stderr, "check_network: first_free_address skipped: "
				"needs root\n");
		return;
	}
	own_netns();
	held = claim_address(ipv4("10.99.0.2"));
	ck_assert(choose_network(NULL, false, &ip, &claim));
	ck_assert_str_eq(inet_ntoa(ip), "10.99.0.3");
	ck_assert_int_ge(claim, 0);
	close(held);
}
END_TEST

START_TEST(given_address)
{
	struct in_addr ip;
	int claim = -1;

	if (geteuid() != 0) {
		fprintf(stderr, "check_network: given_address skipped: needs "
				"root\n");
		return;
	}
	own_netns();
	ck_assert(choose_network("10.99.0.42/24", false, &ip, &claim));
	ck_assert_str_eq(inet_ntoa(ip), "10.99.0.42");
}
END_TEST

/* Bad --ip values die with 125 (exit tests). */
static void bad_ip(const char *arg, bool no_net)
{
	struct in_addr ip;
	int claim = -1;

	own_netns();
	silence_stderr();
	choose_network(arg, no_net, &ip, &claim);
}

START_TEST(ip_with_no_net) { bad_ip("10.99.0.5/24", true); }
END_TEST
START_TEST(ip_outside_subnet) { bad_ip(geteuid() == 0 ? "10.98.0.5/24" : "x", false); }
END_TEST
START_TEST(ip_gateway) { bad_ip(geteuid() == 0 ? "10.99.0.1/24" : "x", false); }
END_TEST
START_TEST(ip_broadcast) { bad_ip(geteuid() == 0 ? "10.99.0.255/24" : "x", false); }
END_TEST
START_TEST(ip_wrong_prefix) { bad_ip(geteuid() == 0 ? "10.99.0.5/16" : "x", false); }
END_TEST
START_TEST(ip_malformed) { bad_ip("10.99.0.5", false); }
END_TEST

START_TEST(ip_in_use)
{
	struct in_addr ip;
	int held, claim = -1;

	if (geteuid() != 0)
		exit(125); /* unprivileged, any --ip is refused anyway */
	own_netns();
	held = claim_address(ipv4("10.99.0.9"));
	ck_assert_int_ge(held, 0);
	silence_stderr();
	choose_network("10.99.0.9/24", false, &ip, &claim);
}
END_TEST

static Suite *network_suite(void)
{
	Suite *s = suite_create("network");
	TCase *tc = tcase_create("plan");

	tcase_add_test(tc, dotted_quad);
	tcase_add_test(tc, claim_is_exclusive);
	tcase_add_test(tc, no_net_is_loopback);
	tcase_add_test(tc, first_free_address);
	tcase_add_test(tc, given_address);
	tcase_add_exit_test(tc, ip_with_no_net, 125);
	tcase_add_exit_test(tc, ip_outside_subnet, 125);
	tcase_add_exit_test(tc, ip_gateway, 125);
	tcase_add_exit_test(tc, ip_broadcast, 125);
	tcase_add_exit_test(tc, ip_wrong_prefix, 125);
	tcase_add_exit_test(tc, ip_malformed, 125);
	tcase_add_exit_test(tc, ip_in_use, 125);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(network_suite());
}
