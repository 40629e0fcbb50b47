#define _GNU_SOURCE
#include "common/idmap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One decimal field ending at `end` (':' or NUL); 0..UINT32_MAX. */
static int parse_field(const char **p, char end, uint32_t *out)
{
	unsigned long long v;
	char *stop;

	if (**p < '0' || **p > '9')
		return -1;
	errno = 0;
	v = strtoull(*p, &stop, 10);
	if (errno != 0 || *stop != end || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	*p = stop + (end != '\0');
	return 0;
}

int parse_id_map(const char *text, struct id_map *map)
{
	const char *p = text;

	if (parse_field(&p, ':', &map->inside) == -1 ||
	    parse_field(&p, ':', &map->outside) == -1 ||
	    parse_field(&p, '\0', &map->count) == -1) {
		errno = EINVAL;
		return -1;
	}
	if (map->count == 0) {
		errno = EDOM;
		return -1;
	}
	/* The kernel refuses a range whose end wraps past 2^32 - 1. */
	if ((uint64_t)map->inside + map->count > UINT32_MAX ||
	    (uint64_t)map->outside + map->count > UINT32_MAX) {
		errno = ERANGE;
		return -1;
	}
	return 0;
}

static int overlap(uint32_t a, uint32_t b, uint32_t count_a, uint32_t count_b)
{
	return (uint64_t)a < (uint64_t)b + count_b &&
	       (uint64_t)b < (uint64_t)a + count_a;
}

int check_id_maps(const struct id_map *maps, int n)
{
	int i, j;

	if (n > ID_MAP_MAX_LINES) {
		errno = E2BIG;
		return -1;
	}
	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++) {
			if (overlap(maps[i].inside, maps[j].inside,
				    maps[i].count, maps[j].count) ||
			    overlap(maps[i].outside, maps[j].outside,
				    maps[i].count, maps[j].count)) {
				errno = EEXIST;
				return -1;
			}
		}
	}
	return 0;
}

int format_id_maps(const struct id_map *maps, int n, char *buf, size_t size)
{
	size_t len = 0;
	int i, w;

	if (size > 0)
		buf[0] = '\0';
	for (i = 0; i < n; i++) {
		w = snprintf(buf + len, size - len, "%u %u %u\n",
			     maps[i].inside, maps[i].outside, maps[i].count);
		if (w < 0 || (size_t)w >= size - len) {
			errno = E2BIG;
			return -1;
		}
		len += (size_t)w;
	}
	return (int)len;
}
