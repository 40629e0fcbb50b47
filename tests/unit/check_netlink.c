/*
 * check_netlink.c - the libnl helpers, against the kernel: as root, each
 * test in a network namespace of its own (check forks per test), so the
 * host's links are never touched. Unprivileged, the tests say so and pass
 * nothing off as checked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include "common/error.h"
#include "common/netlink.h"
#include "common/network.h"
#include "unit.h"

static bool in_own_netns(void)
{
	if (geteuid() != 0) {
		fprintf(stderr, "check_netlink: skipped: needs root for a "
				"network namespace\n");
		return false;
	}
	ck_assert_int_eq(unshare(CLONE_NEWNET), 0);
	return true;
}

/* Is link name up, as SIOCGIFFLAGS (netdevice(7)) says? */
static bool is_up(const char *name)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ck_assert_int_eq(ioctl(fd, SIOCGIFFLAGS, &ifr), 0);
	close(fd);
	return ifr.ifr_flags & IFF_UP;
}

START_TEST(loopback_up_and_addressed)
{
	struct nl_sock *sk;
	int lo;

	if (!in_own_netns())
		return;
	sk = netlink_open();
	lo = link_index(sk, "lo");
	ck_assert_int_eq(lo, (int)if_nametoindex("lo"));
	ck_assert(!is_up("lo")); /* a new namespace's loopback is down */
	link_up(sk, "lo");
	ck_assert(is_up("lo"));
	ck_assert_int_eq(add_address(sk, lo, ipv4("10.99.0.7"), 24), 0);
	/* The same address again: libnl's code for EEXIST, not a death. */
	ck_assert_int_eq(add_address(sk, lo, ipv4("10.99.0.7"), 24), -NLE_EXIST);
	nl_socket_free(sk);
}
END_TEST

START_TEST(missing_link_dies)
{
	struct nl_sock *sk;

	if (!in_own_netns())
		exit(125);
	sk = netlink_open();
	silence_stderr();
	link_index(sk, "no-such-link");
}
END_TEST

START_TEST(nl_must_reports)
{
	capture_stderr();
	verbose = true;
	nl_must(0, "ip link set %s up", "lo");
	verbose = false;
	ck_assert_str_eq(stderr_text(), "container[parent]: netlink: ip link set lo up = 0\n");
}
END_TEST

static Suite *netlink_suite(void)
{
	Suite *s = suite_create("netlink");
	TCase *tc = tcase_create("helpers");

	tcase_add_test(tc, loopback_up_and_addressed);
	tcase_add_exit_test(tc, missing_link_dies, 125);
	tcase_add_test(tc, nl_must_reports);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(netlink_suite());
}
