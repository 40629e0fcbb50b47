#define _GNU_SOURCE
#include "common/network.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/error.h"
#include "common/parse.h"

struct in_addr ipv4(const char *quad)
{
	struct in_addr a;

	inet_pton(AF_INET, quad, &a);
	return a;
}

int claim_address(struct in_addr ip)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, len;

	/* sun_path[0] stays '\0': that makes the name abstract. */
	len = snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1,
		       "mini-container/ip/%s", inet_ntoa(ip));
	fd = must(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0),
		  "socket(AF_UNIX)");
	if (bind(fd, (struct sockaddr *)&sa,
		 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
			     len)) == -1) {
		close(fd);
		return -1;
	}
	narrate("bind(@%s) = 0", sa.sun_path + 1);
	return fd;
}

bool choose_network(const char *ip_arg, bool no_net, struct in_addr *ip,
		    int *claim)
{
	uint32_t subnet = ntohl(ipv4(SUBNET).s_addr), host, a;
	int prefix;

	if (no_net) {
		if (ip_arg != NULL)
			die(0, NULL, "--ip and --no-net exclude each other");
		return false;
	}
	if (geteuid() != 0) {
		if (ip_arg != NULL)
			die(0,
			    "rootless engines reach the network through "
			    "slirp4netns or pasta",
			    "--ip: a veth on the host "
			    "needs root");
		notice("network: loopback only (a veth on the host needs root; "
		       "rootless engines use slirp4netns or pasta)");
		return false;
	}
	if (ip_arg == NULL) {
		/* .1 is the gateway, .255 the broadcast address. */
		for (host = 2; host < 255; host++) {
			ip->s_addr = htonl(subnet + host);
			*claim = claim_address(*ip);
			if (*claim != -1)
				return true;
		}
		die(0, NULL, "no free address left in %s/%d", SUBNET, PREFIX);
	}
	if (parse_ipv4_cidr(ip_arg, ip, &prefix) == -1)
		die(0, NULL,
		    "--ip '%s': expected ADDR/PREFIX, e.g. 10.99.0.5/24",
		    ip_arg);
	a = ntohl(ip->s_addr);
	if (prefix != PREFIX || (a & ~0xffu) != subnet)
		die(0, NULL, "--ip '%s': not in the bridge's subnet %s/%d",
		    ip_arg, SUBNET, PREFIX);
	if ((a & 0xff) == 0 || (a & 0xff) == 255)
		die(0, NULL, "--ip '%s': the %s address of the subnet", ip_arg,
		    (a & 0xff) == 0 ? "network" : "broadcast");
	if (ip->s_addr == ipv4(GATEWAY).s_addr)
		die(0, NULL, "--ip '%s': the gateway's address (the bridge)",
		    ip_arg);
	*claim = claim_address(*ip);
	if (*claim == -1)
		die(errno, NULL, "--ip '%s': in use by another container",
		    ip_arg);
	return true;
}
