/*
 * idmap.h - uid and gid maps for a user namespace (user_namespaces(7)).
 *
 * A map line says: IDs INSIDE..INSIDE+COUNT-1 in the namespace are
 * OUTSIDE..OUTSIDE+COUNT-1 in the parent namespace. On the command line a
 * line is written INSIDE:OUTSIDE:COUNT; in /proc/PID/uid_map, with spaces.
 */
#ifndef COMMON_IDMAP_H
#define COMMON_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Lines the kernel accepts in one map since Linux 4.15 (5 before). */
#define ID_MAP_MAX_LINES 340

struct id_map {
	uint32_t inside;
	uint32_t outside;
	uint32_t count;
};

/* A container's two maps, and how they will be written. */
struct id_maps {
	struct id_map uid[ID_MAP_MAX_LINES + 1]; /* --uid-map lines */
	int uid_lines;
	struct id_map gid[ID_MAP_MAX_LINES + 1]; /* --gid-map lines */
	int gid_lines;
	bool use_helpers; /* written by newuidmap/newgidmap */
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

/*
 * One --uid-map or --gid-map line (option names it in messages), checked
 * as the kernel will, added to map[*lines]: bad input dies, exit 125.
 */
void add_id_map(const char *option, const char *text, struct id_map *map,
		int *lines);

/*
 * The default maps where none was given (root inside is you, or 100000..
 * when you are root), and how they will be written: true when
 * the setuid helpers newuidmap/newgidmap must write them (sets
 * maps->use_helpers). The kernel lets
 * an unprivileged process write only one line, mapping its own ID
 * (user_namespaces(7)); for more, rootless engines call the helpers,
 * which allow the ranges /etc/subuid and /etc/subgid give the user
 * (subuid(5)). Dies when the helpers are needed but not installed.
 */
void choose_id_maps(struct id_maps *maps);

/*
 * For messages: the map text on one line, "0 1000 1,1 100000 65536".
 * Returns a static buffer.
 */
const char *id_maps_on_one_line(const char *text);

/*
 * Run helper (newuidmap or newgidmap) as "helper PID IN OUT COUNT..."
 * and wait for it; its failure dies with the /etc/subuid hint.
 */
void run_map_helper(const char *helper, pid_t pid, const struct id_map *map,
		    int lines);

#endif
