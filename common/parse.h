/*
 * parse.h - checking command-line values before anything is created.
 * Each returns 0, or -1 with errno saying what is wrong.
 */
#ifndef COMMON_PARSE_H
#define COMMON_PARSE_H

/*
 * A hostname the kernel will take: 1 to HOST_NAME_MAX (64) bytes
 * (sethostname(2)). EINVAL when empty, ENAMETOOLONG when too long.
 */
int check_hostname(const char *name);

/*
 * "ADDR/PREFIX" for IPv4, e.g. "10.99.0.5/24": a dotted quad as
 * inet_pton(3) reads it, a slash, and a prefix length 0-32 in decimal.
 * EINVAL when malformed.
 */
struct in_addr;
int parse_ipv4_cidr(const char *text, struct in_addr *addr, int *prefix);

#endif
