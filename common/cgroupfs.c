#define _GNU_SOURCE
#include "common/cgroupfs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		if ((p == list || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
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
	snprintf(buf, size, "%s%s", m->dir, strcmp(path + len, "/") == 0 ? "" : path + len);
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
