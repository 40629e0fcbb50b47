/*
 * netlink.h - the few rtnetlink(7) requests every step from 5 on makes,
 * through libnl-route-3 (the library `ip` is not, but speaks the same
 * protocol). Each says which `ip` command it is. libnl returns 0 or a
 * negative NLE_ code, which nl_geterror() spells; these helpers die
 * (common/error.h) on a failure.
 */
#ifndef COMMON_NETLINK_H
#define COMMON_NETLINK_H

#include <netinet/in.h>

#include <netlink/netlink.h>

/*
 * For a libnl call that must succeed: if err is negative, die with
 * "netlink: WHAT: nl_geterror(err)"; else narrate "netlink: WHAT = 0".
 */
__attribute__((format(printf, 2, 3))) void nl_must(int err, const char *fmt,
						   ...);

/* A NETLINK_ROUTE socket of the caller's network namespace. */
struct nl_sock *netlink_open(void);

/* The interface index of link name, or die (ip link show NAME). */
int link_index(struct nl_sock *sk, const char *name);

/* ip link set NAME up */
void link_up(struct nl_sock *sk, const char *name);

/* ip addr add ADDR/PREFIX dev (link index): 0 or a negative NLE_ code. */
int add_address(struct nl_sock *sk, int index, struct in_addr ip, int prefix);

/*
 * The bridge the containers' veths plug into (ip link add NAME type
 * bridge; ip addr add GATEWAY/PREFIX dev NAME; ip link set NAME up),
 * made by the first runtime and shared: one that exists already is
 * taken as it is. Returns its interface index.
 */
int make_bridge(struct nl_sock *sk, const char *name, struct in_addr gateway,
		int prefix);

/* ip route add default via GATEWAY dev NAME (its link index) */
void add_default_route(struct nl_sock *sk, int index, const char *name,
		       struct in_addr gateway);

#endif
