/*
 * idmap.h - uid and gid maps for a user namespace (user_namespaces(7)).
 *
 * A map line says: IDs INSIDE..INSIDE+COUNT-1 in the namespace are
 * OUTSIDE..OUTSIDE+COUNT-1 in the parent namespace. On the command line a
 * line is written INSIDE:OUTSIDE:COUNT; in /proc/PID/uid_map, with spaces.
 */
#ifndef COMMON_IDMAP_H
#define COMMON_IDMAP_H

#include <stddef.h>
#include <stdint.h>

/* Lines the kernel accepts in one map since Linux 4.15 (5 before). */
#define ID_MAP_MAX_LINES 340

struct id_map {
	uint32_t inside;
	uint32_t outside;
	uint32_t count;
};

/*
 * Parse "INSIDE:OUTSIDE:COUNT" (decimal). Returns 0, or -1 with errno:
 * EINVAL  malformed;  EDOM  COUNT is 0;
 * ERANGE  a range runs past 4294967294 ((uid_t)-1 is never a valid ID).
 */
int parse_id_map(const char *text, struct id_map *map);

/*
 * Check a whole map as the kernel will: at most ID_MAP_MAX_LINES lines
 * (E2BIG), no two inside ranges or two outside ranges overlapping
 * (EEXIST). Returns 0 or -1 with errno.
 */
int check_id_maps(const struct id_map *maps, int n);

/*
 * Write maps in the /proc/PID/uid_map format ("0 100000 65536\n" per
 * line). Returns the length, or -1 with E2BIG when it does not fit in buf;
 * the kernel takes less than one page in a single write.
 */
int format_id_maps(const struct id_map *maps, int n, char *buf, size_t size);

#endif
