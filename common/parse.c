#define _GNU_SOURCE
#include "common/parse.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

int check_hostname(const char *name)
{
	size_t len = strlen(name);

	if (len == 0) {
		errno = EINVAL;
		return -1;
	}
	if (len > HOST_NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int parse_ipv4_cidr(const char *text, struct in_addr *addr, int *prefix)
{
	const char *slash = strchr(text, '/');
	char quad[INET_ADDRSTRLEN];
	size_t len;
	int n = 0;

	if (slash == NULL)
		goto bad;
	len = (size_t)(slash - text);
	if (len == 0 || len >= sizeof(quad))
		goto bad;
	memcpy(quad, text, len);
	quad[len] = '\0';
	if (inet_pton(AF_INET, quad, addr) != 1)
		goto bad;
	/* One or two digits, 0 to 32, and nothing after. */
	if (slash[1] < '0' || slash[1] > '9')
		goto bad;
	if (sscanf(slash + 1, "%2d%n", prefix, &n) != 1 ||
	    slash[1 + n] != '\0' || *prefix > 32)
		goto bad;
	return 0;
bad:
	errno = EINVAL;
	return -1;
}
