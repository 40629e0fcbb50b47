#define _GNU_SOURCE
#include "common/netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/ioctl.h>

#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>

#include "common/error.h"

void nl_must(int err, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (err < 0)
		die(0, NULL, "netlink: %s: %s", what, nl_geterror(err));
	narrate("netlink: %s = 0", what);
}

struct nl_sock *netlink_open(void)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (sk == NULL)
		die(ENOMEM, NULL, "nl_socket_alloc()");
	nl_must(nl_connect(sk, NETLINK_ROUTE), "connect(NETLINK_ROUTE)");
	return sk;
}

int link_index(struct nl_sock *sk, const char *name)
{
	struct ifreq ifr = { 0 };

	/*
	 * Not rtnl_link_get_kernel(3): it asks for an ACK after the answer,
	 * and does not check that it read it. netdevice(7): SIOCGIFINDEX
	 * works on any socket of the namespace, this one too.
	 */
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	must(ioctl(nl_socket_get_fd(sk), SIOCGIFINDEX, &ifr),
	     "ioctl(SIOCGIFINDEX, \"%s\")", name);
	return ifr.ifr_ifindex;
}

void link_up(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *link = rtnl_link_alloc(), *change = rtnl_link_alloc();

	/* link has no index: the kernel finds it by change's name. */
	rtnl_link_set_name(change, name);
	rtnl_link_set_flags(change, IFF_UP);
	nl_must(rtnl_link_change(sk, link, change, 0), "ip link set %s up",
		name);
	rtnl_link_put(change);
	rtnl_link_put(link);
}

int add_address(struct nl_sock *sk, int index, struct in_addr ip, int prefix)
{
	struct rtnl_addr *addr = rtnl_addr_alloc();
	struct nl_addr *local = nl_addr_build(AF_INET, &ip, sizeof(ip));
	int err;

	nl_addr_set_prefixlen(local, prefix);
	rtnl_addr_set_ifindex(addr, index);
	rtnl_addr_set_local(addr, local);
	err = rtnl_addr_add(sk, addr, 0);
	nl_addr_put(local);
	rtnl_addr_put(addr);
	return err;
}

int make_bridge(struct nl_sock *sk, const char *name, struct in_addr gateway,
		int prefix)
{
	struct rtnl_link *bridge = rtnl_link_alloc();
	int err, index;

	/* ip link add NAME type bridge; EEXIST: another runtime made it. */
	rtnl_link_set_name(bridge, name);
	rtnl_link_set_type(bridge, "bridge");
	err = rtnl_link_add(sk, bridge, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(bridge);
	nl_must(err == -NLE_EXIST ? 0 : err, "ip link add %s type bridge",
		name);
	index = link_index(sk, name);
	/* ip addr add GATEWAY/PREFIX dev NAME; EEXIST: it has it already. */
	err = add_address(sk, index, gateway, prefix);
	nl_must(err == -NLE_EXIST ? 0 : err, "ip addr add %s/%d dev %s",
		inet_ntoa(gateway), prefix, name);
	link_up(sk, name);
	return index;
}

void add_default_route(struct nl_sock *sk, int index, const char *name,
		       struct in_addr gateway)
{
	struct rtnl_route *route = rtnl_route_alloc();
	struct rtnl_nexthop *hop = rtnl_route_nh_alloc();
	struct nl_addr *dst, *via;

	nl_addr_parse("0.0.0.0/0", AF_INET, &dst);
	via = nl_addr_build(AF_INET, &gateway, sizeof(gateway));
	rtnl_route_set_family(route, AF_INET);
	rtnl_route_set_dst(route, dst);
	rtnl_route_nh_set_ifindex(hop, index);
	rtnl_route_nh_set_gateway(hop, via);
	rtnl_route_add_nexthop(route, hop); /* the route owns hop now */
	nl_must(rtnl_route_add(sk, route, NLM_F_CREATE),
		"ip route add default via %s dev %s", inet_ntoa(gateway), name);
	nl_addr_put(via);
	nl_addr_put(dst);
	rtnl_route_put(route);
}
