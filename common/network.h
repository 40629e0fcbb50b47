/*
 * network.h - the containers' network plan, decided before anything is
 * created: the bridge, its subnet, and which address each container gets.
 */
#ifndef COMMON_NETWORK_H
#define COMMON_NETWORK_H

#include <netinet/in.h>
#include <stdbool.h>

/*
 * The bridge every container's veth is plugged into, as Docker's docker0
 * or Podman's podman0, and its subnet, with the gateway on the bridge.
 * Change them here if 10.99.0.0/24 is already in use where you are.
 */
#define BRIDGE	"mini0"
#define SUBNET	"10.99.0.0"
#define PREFIX	24
#define GATEWAY "10.99.0.1"

/* A dotted quad constant as a struct in_addr. */
struct in_addr ipv4(const char *quad);

/*
 * Hold an address for as long as we run, leaving nothing to clean up if
 * we die: bind a Unix socket in the abstract namespace (unix(7)) named
 * after it. The kernel frees the name when the socket closes, however the
 * runtime ends, and a second runtime binding it gets EADDRINUSE. Abstract
 * names belong to the network namespace, like the bridge. (ss -xl lists
 * them.) Returns the socket, or -1 with errno.
 */
int claim_address(struct in_addr ip);

/*
 * The network, decided before anything is created: a veth to the bridge
 * when we are root (returns true), loopback only with --no-net or when we
 * are not (the host's end of a veth needs CAP_NET_ADMIN in the host's
 * network namespace). The address (--ip, ip_arg) is checked against the
 * bridge's subnet, then claimed; without one, the first free one is
 * taken. Sets *ip and *claim, the socket that holds it, only when it
 * returns true: start *claim at -1. Bad input dies.
 */
bool choose_network(const char *ip_arg, bool no_net, struct in_addr *ip,
		    int *claim);

#endif
