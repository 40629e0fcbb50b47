#define _GNU_SOURCE
#include "common/cgroupfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/file.h"

static void set_mount(struct cgroup_mount *m, const char *dir, const char *root)
{
	if (m->dir[0] != '\0')
		return;
	snprintf(m->dir, sizeof(m->dir), "%s", dir);
	snprintf(m->root, sizeof(m->root), "%s", root);
}

/* 1 if the comma-separated list has word. */
static int has_word(const char *list, const char *word)
{
	size_t len = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == list || p[-1] == ',') &&
		    (p[len] == ',' || p[len] == '\0'))
			return 1;
		p += len;
	}
	return 0;
}

int find_cgroup_mounts(const char *mountinfo, struct cgroup_mounts *m)
{
	char line[4096], root[PATH_MAX], dir[PATH_MAX], type[64], opts[1024];
	const char *sep;
	FILE *f;
	int err;

	memset(m, 0, sizeof(*m));
	f = fopen(mountinfo, "re");
	if (f == NULL)
		return -1;
	/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPEROPTIONS */
	while (fgets(line, sizeof(line), f) != NULL) {
		sep = strstr(line, " - ");
		if (sep == NULL ||
		    sscanf(line, "%*s %*s %*s %4095s %4095s", root, dir) != 2 ||
		    sscanf(sep + 3, "%63s %*s %1023s", type, opts) != 2)
			continue;
		if (strcmp(type, "cgroup2") == 0) {
			set_mount(&m->v2, dir, root);
		} else if (strcmp(type, "cgroup") == 0) {
			if (has_word(opts, "memory"))
				set_mount(&m->memory, dir, root);
			if (has_word(opts, "pids"))
				set_mount(&m->pids, dir, root);
			if (has_word(opts, "cpu"))
				set_mount(&m->cpu, dir, root);
		}
	}
	/* fgets(3) returns NULL on a read error too: not the end of the file. */
	if (ferror(f)) {
		err = errno;
		fclose(f);
		errno = err;
		return -1;
	}
	fclose(f);
	return 0;
}

int own_cgroup(const char *proc_cgroup, const char *controller, char *path,
	       size_t size)
{
	char line[4096], *id, *list, *cgroup;
	FILE *f;

	f = fopen(proc_cgroup, "re");
	if (f == NULL)
		return -1;
	/* HIERARCHY-ID:CONTROLLER-LIST:PATH, and "0::PATH" for v2. */
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		id = line;
		list = strchr(id, ':');
		if (list == NULL)
			continue;
		*list++ = '\0';
		cgroup = strchr(list, ':');
		if (cgroup == NULL)
			continue;
		*cgroup++ = '\0';
		if (controller == NULL ? strcmp(id, "0") == 0 && *list == '\0'
				       : has_word(list, controller)) {
			fclose(f);
			snprintf(path, size, "%s", cgroup);
			return 0;
		}
	}
	fclose(f);
	errno = ENOENT;
	return -1;
}

int cgroup_dir(const struct cgroup_mount *m, const char *path, char *buf,
	       size_t size)
{
	size_t len = strlen(m->root);

	if (strcmp(m->root, "/") == 0)
		len = 0;
	else if (strncmp(path, m->root, len) != 0 ||
		 (path[len] != '/' && path[len] != '\0')) {
		errno = EXDEV;
		return -1;
	}
	snprintf(buf, size, "%s%s", m->dir,
		 strcmp(path + len, "/") == 0 ? "" : path + len);
	return 0;
}

int cgroup_has_controller(const char *dir, const char *controller)
{
	char path[PATH_MAX], list[1024];
	char *word, *save;

	snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
	if (read_file(path, list, sizeof(list)) == -1)
		return errno == ENOENT ? 0 : -1;
	for (word = strtok_r(list, " \n", &save); word != NULL;
	     word = strtok_r(NULL, " \n", &save))
		if (strcmp(word, controller) == 0)
			return 1;
	return 0;
}

int cgroup2_supported(const char *filesystems)
{
	char text[8192];

	if (read_file(filesystems, text, sizeof(text)) == -1)
		return errno == ENOENT ? 0 : -1;
	return strstr(text, "\tcgroup2\n") != NULL;
}

/* 32 random bits, from getrandom(2); the clock where there is none. */
static unsigned random_bits(void)
{
	struct timespec now;
	unsigned r;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) == (ssize_t)sizeof(r))
		return r;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (unsigned)now.tv_nsec ^ ((unsigned)getpid() << 16);
}

int cgroup_create_locked(const char *parent, char *name, size_t size)
{
	char path[PATH_MAX];
	struct stat held, there;
	int fd, tries, err;

	for (tries = 0; tries < 16; tries++) {
		snprintf(name, size, "ctr-%d-%08x", (int)getpid(),
			 random_bits());
		if (snprintf(path, sizeof(path), "%s/%s", parent, name) >=
		    (int)sizeof(path)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (mkdir(path, 0755) == -1) {
			if (errno == EEXIST)
				continue;
			return -1;
		}
		/*
		 * Between our mkdir and our flock, another runtime may take the
		 * empty, unlocked cgroup for a stale one and remove it (it holds
		 * the lock meanwhile: EWOULDBLOCK). Locked, it is ours only if
		 * it is still there.
		 */
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd == -1)
			goto failed;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0 &&
		    fstat(fd, &held) == 0 && stat(path, &there) == 0) {
			if (held.st_ino == there.st_ino &&
			    held.st_dev == there.st_dev)
				return fd;
			errno = ENOENT;
		}
		err = errno;
		close(fd);
		errno = err;
failed:
		if (errno == EWOULDBLOCK) {
			/* A scanner removes it, or someone only holds it: ours goes. */
			rmdir(path);
			continue;
		}
		if (errno != ENOENT) {
			err = errno;
			rmdir(path);
			errno = err;
			return -1;
		}
	}
	errno = EAGAIN;
	return -1;
}

/*
 * rmdir parent/name in each of the n trees, the first tree last: if one
 * fails, the first tree's stays, for a later run to find (ENOENT is fine).
 */
static void remove_everywhere(const char *const *parents, int n,
			      const char *name)
{
	char path[PATH_MAX];
	int i;

	for (i = n - 1; i >= 0; i--) {
		snprintf(path, sizeof(path), "%s/%s", parents[i], name);
		if (rmdir(path) == -1 && errno != ENOENT)
			return;
	}
}

int cgroup_remove_stale(const char *const *parents, int n)
{
	char path[PATH_MAX], leaf[NAME_MAX + 16];
	struct dirent *d;
	int fd, removed = 0;
	DIR *dp;

	dp = opendir(parents[0]);
	if (dp == NULL)
		return -1;
	while ((d = readdir(dp)) != NULL) {
		/*
		 * A runtime-ID leaf outlives its ctr-ID by a moment: the
		 * runtime sits in it until it exits. Without its ctr-ID it is
		 * stale, and rmdir fails while the runtime is still in it.
		 */
		if (strncmp(d->d_name, "runtime-", 8) == 0) {
			snprintf(path, sizeof(path), "%s/ctr-%s", parents[0],
				 d->d_name + 8);
			if (access(path, F_OK) == -1 && errno == ENOENT)
				remove_everywhere(parents, 1, d->d_name);
			continue;
		}
		if (strncmp(d->d_name, "ctr-", 4) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", parents[0], d->d_name);
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd == -1)
			continue;
		/* Held by its runtime: alive. Ours for a moment: stale. */
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			snprintf(leaf, sizeof(leaf), "runtime-%s",
				 d->d_name + 4);
			remove_everywhere(parents, n, d->d_name);
			remove_everywhere(parents, 1, leaf);
			if (access(path, F_OK) == -1)
				removed++;
		}
		close(fd);
	}
	closedir(dp);
	return removed;
}
