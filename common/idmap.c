#define _GNU_SOURCE
#include "common/idmap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/error.h"
#include "common/process.h"
#include "common/rootfs.h"

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

void add_id_map(const char *option, const char *text, struct id_map *map,
		int *lines)
{
	if (*lines == ID_MAP_MAX_LINES)
		die(0, NULL, "%s: more than %d lines (the kernel's limit)",
		    option, ID_MAP_MAX_LINES);
	if (parse_id_map(text, &map[*lines]) == -1)
		die(0, NULL, "%s '%s': %s", option, text,
		    errno == EDOM     ? "COUNT must be at least 1"
		    : errno == ERANGE ? "the range runs past 4294967294"
				      : "expected INSIDE:OUTSIDE:COUNT");
	(*lines)++;
	if (check_id_maps(map, *lines) == -1)
		die(0, NULL, "%s '%s': overlaps an earlier line", option, text);
}

/* Is map the single line "0 ID 1" (or no map, which will become that)? */
static bool only_own_id(const struct id_map *map, int lines, unsigned id)
{
	return lines == 0 ||
	       (lines == 1 && map[0].outside == id && map[0].count == 1);
}

void choose_id_maps(struct id_maps *maps)
{
	bool root = geteuid() == 0;

	if (maps->uid_lines == 0)
		maps->uid[maps->uid_lines++] =
			(struct id_map){ 0, root ? 100000 : geteuid(),
					 root ? 65536 : 1 };
	if (maps->gid_lines == 0)
		maps->gid[maps->gid_lines++] =
			(struct id_map){ 0, root ? 100000 : getegid(),
					 root ? 65536 : 1 };
	maps->use_helpers =
		!root && (!only_own_id(maps->uid, maps->uid_lines, geteuid()) ||
			  !only_own_id(maps->gid, maps->gid_lines, getegid()));
	if (maps->use_helpers &&
	    (rootfs_find_command("/", "newuidmap", getenv("PATH")) == -1 ||
	     rootfs_find_command("/", "newgidmap", getenv("PATH")) == -1))
		die(0,
		    "install newuidmap and newgidmap (Debian/Ubuntu: "
		    "sudo apt-get install uidmap), or map only your own ID",
		    "--uid-map/--gid-map: an unprivileged user can map only "
		    "its own ID without newuidmap/newgidmap");
}

const char *id_maps_on_one_line(const char *text)
{
	static char shown[4096];
	char *p;

	snprintf(shown, sizeof(shown), "%s", text);
	for (p = shown; (p = strchr(p, '\n')) != NULL; p++)
		*p = p[1] != '\0' ? ',' : '\0';
	return shown;
}

void run_map_helper(const char *helper, pid_t pid, const struct id_map *map,
		    int lines)
{
	char args[ID_MAP_MAX_LINES * 3 + 2][16];
	char *argv[ID_MAP_MAX_LINES * 3 + 4];
	int i, n = 0, status;
	pid_t child;

	argv[n++] = (char *)helper;
	snprintf(args[0], sizeof(args[0]), "%d", pid);
	argv[n++] = args[0];
	for (i = 0; i < lines; i++) {
		snprintf(args[3 * i + 1], 16, "%u", map[i].inside);
		snprintf(args[3 * i + 2], 16, "%u", map[i].outside);
		snprintf(args[3 * i + 3], 16, "%u", map[i].count);
		argv[n++] = args[3 * i + 1];
		argv[n++] = args[3 * i + 2];
		argv[n++] = args[3 * i + 3];
	}
	argv[n] = NULL;
	fflush(NULL);
	child = must(fork(), "fork()");
	if (child == 0) {
		execvp(helper, argv);
		report(errno, NULL, "execvp(%s)", helper);
		_exit(127);
	}
	must(wait_for(child, &status), "waitpid(%s)", helper);
	if (exit_code_of(status) != 0)
		die(0,
		    "/etc/subuid and /etc/subgid must give you these ranges "
		    "(see subuid(5)), e.g. a line YOURNAME:100000:65536",
		    "%s %d ...: exit status %d", helper, pid,
		    exit_code_of(status));
	narrate("%s %d ... = 0", helper, pid);
}
