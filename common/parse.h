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

/*
 * A size in bytes with an optional K, M or G suffix (powers of 1024):
 * "64M" is 67108864. EINVAL when malformed (negative, no digits, another
 * suffix), ERANGE when it does not fit in 64 bits.
 */
int parse_size(const char *text, unsigned long long *bytes);

/*
 * A positive count: decimal digits only, 1 to max. EINVAL when malformed,
 * ERANGE when 0 or above max.
 */
int parse_count(const char *text, unsigned long max, unsigned long *count);

/*
 * A number of CPUs, whole or with up to three decimals ("2", "0.5",
 * "1.25"), as thousandths of a CPU: "0.5" is 500. EINVAL when malformed
 * (negative, more decimals, other characters), ERANGE when 0 or too big.
 */
int parse_cpus(const char *text, unsigned long *millicpus);

/*
 * Whole seconds, possibly negative: "86400", "-3600". An optional minus
 * sign, then decimal digits only. EINVAL when malformed (no digits, a
 * plus sign, a fraction, other characters), ERANGE when beyond max either
 * way (|seconds| <= max).
 */
int parse_seconds(const char *text, long long max, long long *seconds);

#endif
