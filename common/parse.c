#define _GNU_SOURCE
#include "common/parse.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Decimal digits at *p, as a number; advances *p. -1 on no digit or overflow. */
static int digits(const char **p, unsigned long long *value)
{
	unsigned long long v = 0;

	if (**p < '0' || **p > '9')
		return -1;
	for (; **p >= '0' && **p <= '9'; (*p)++) {
		if (v > (UINT64_MAX - (unsigned)(**p - '0')) / 10) {
			errno = ERANGE;
			return -1;
		}
		v = v * 10 + (unsigned)(**p - '0');
	}
	*value = v;
	return 0;
}

/* Decimal digits and nothing else: EINVAL when malformed, ERANGE on overflow. */
static int whole_number(const char *text, unsigned long long *value)
{
	const char *p = text;

	errno = EINVAL;
	if (digits(&p, value) == -1)
		return -1;
	if (*p != '\0') {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int parse_size(const char *text, unsigned long long *bytes)
{
	const char *p = text;
	unsigned long long v, unit = 1;

	errno = EINVAL;
	if (digits(&p, &v) == -1)
		return -1;
	switch (*p) {
	case 'K':
	case 'k':
		unit = 1ULL << 10;
		p++;
		break;
	case 'M':
	case 'm':
		unit = 1ULL << 20;
		p++;
		break;
	case 'G':
	case 'g':
		unit = 1ULL << 30;
		p++;
		break;
	}
	if (*p != '\0') {
		errno = EINVAL;
		return -1;
	}
	if (v > UINT64_MAX / unit) {
		errno = ERANGE;
		return -1;
	}
	*bytes = v * unit;
	return 0;
}

int parse_count(const char *text, unsigned long max, unsigned long *count)
{
	unsigned long long v;

	if (whole_number(text, &v) == -1)
		return -1;
	if (v == 0 || v > max) {
		errno = ERANGE;
		return -1;
	}
	*count = (unsigned long)v;
	return 0;
}

int parse_cpus(const char *text, unsigned long *millicpus)
{
	const char *p = text;
	unsigned long long whole, frac = 0;
	int decimals = 0;

	errno = EINVAL;
	if (digits(&p, &whole) == -1)
		return -1;
	if (*p == '.') {
		p++;
		for (; *p >= '0' && *p <= '9' && decimals < 3; p++, decimals++)
			frac = frac * 10 + (unsigned)(*p - '0');
		if (decimals == 0)
			return -1;
		for (; decimals < 3; decimals++)
			frac *= 10;
	}
	if (*p != '\0') {
		errno = EINVAL;
		return -1;
	}
	if (whole > 1000000 || whole * 1000 + frac == 0) {
		errno = ERANGE;
		return -1;
	}
	*millicpus = (unsigned long)(whole * 1000 + frac);
	return 0;
}

int parse_seconds(const char *text, long long max, long long *seconds)
{
	bool negative = text[0] == '-';
	unsigned long long v;

	if (whole_number(negative ? text + 1 : text, &v) == -1)
		return -1;
	if (max < 0 || v > (unsigned long long)max) {
		errno = ERANGE;
		return -1;
	}
	*seconds = negative ? -(long long)v : (long long)v;
	return 0;
}
