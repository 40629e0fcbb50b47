#define _GNU_SOURCE
#include "common/rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "common/error.h"
#include "common/process.h"
#include "common/syscalls.h"

const char *const rootfs_mount_points[] = { "proc", "dev", "sys", "tmp", NULL };

int rootfs_check(const char *dir, const char **bad)
{
	struct stat st, root;
	char path[4096];
	int i;

	*bad = NULL;
	if (stat(dir, &st) == -1)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	/* A check that cannot be made fails: never take dir for safe unseen. */
	if (stat("/", &root) == -1)
		return -1;
	if (st.st_dev == root.st_dev && st.st_ino == root.st_ino) {
		errno = EBUSY;
		return -1;
	}
	for (i = 0; rootfs_mount_points[i] != NULL; i++) {
		*bad = rootfs_mount_points[i];
		snprintf(path, sizeof(path), "%s/%s", dir, *bad);
		if (lstat(path, &st) == -1)
			return -1;
		if (S_ISLNK(st.st_mode)) {
			errno = ELOOP;
			return -1;
		}
		if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			return -1;
		}
	}
	*bad = NULL;
	return 0;
}

/*
 * 0 if path, resolved inside rootfd, is an executable regular file.
 * RESOLVE_IN_ROOT makes "/" and ".." and absolute symlinks stay inside the
 * rootfs, as they will after pivot_root (openat2(2)). openat2 came in
 * Linux 5.6; where it is missing (ENOSYS: an older kernel, or valgrind),
 * the check is skipped and execvp inside the container has the last word.
 */
static int executable_in(int rootfd, const char *path)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT };
	struct stat st;
	int fd, ret;

	fd = sys_openat2(rootfd, path, &how);
	if (fd == -1 && errno == ENOSYS)
		return 0;
	if (fd == -1)
		return -1;
	ret = fstat(fd, &st);
	close(fd);
	if (ret == -1)
		return -1;
	if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111)) {
		errno = EACCES;
		return -1;
	}
	return 0;
}

int rootfs_find_command(const char *dir, const char *command, const char *path)
{
	char candidate[4096];
	const char *p, *end;
	int rootfd, ret = -1, err = ENOENT;

	if (command[0] == '\0') {
		errno = ENOENT;
		return -1;
	}
	rootfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd == -1)
		return -1;
	if (strchr(command, '/') != NULL) {
		ret = executable_in(rootfd, command);
		err = errno;
	} else {
		if (path == NULL)
			path = "/bin:/usr/bin";
		for (p = path; ret == -1 && *p != '\0';
		     p = *end ? end + 1 : end) {
			end = strchrnul(p, ':');
			/* An empty entry means the current directory, "/" here. */
			snprintf(candidate, sizeof(candidate), "%.*s/%s",
				 (int)(end - p), end == p ? "." : p, command);
			ret = executable_in(rootfd, candidate);
			/* Like execvp: "not executable" wins over "not found". */
			if (ret == -1 && errno == EACCES)
				err = EACCES;
		}
	}
	close(rootfd);
	if (ret == -1)
		errno = err;
	return ret;
}

int mount_flags_of(const char *path, unsigned long *flags)
{
	static const struct {
		unsigned long st, ms;
	} map[] = {
		{ ST_RDONLY, MS_RDONLY },     { ST_NOSUID, MS_NOSUID },
		{ ST_NODEV, MS_NODEV },	      { ST_NOEXEC, MS_NOEXEC },
		{ ST_NOATIME, MS_NOATIME },   { ST_NODIRATIME, MS_NODIRATIME },
		{ ST_RELATIME, MS_RELATIME },
	};
	struct statvfs sv;
	size_t i;

	if (statvfs(path, &sv) == -1)
		return -1;
	*flags = 0;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (sv.f_flag & map[i].st)
			*flags |= map[i].ms;
	return 0;
}

void check_rootfs(const char *rootfs, char *const *command, bool is_default)
{
	const char *make = "build one with 'make rootfs', or point --rootfs "
			   "at a root filesystem";
	const char *bad;

	if (rootfs_check(rootfs, &bad) == -1) {
		if (errno == EBUSY)
			die(0, make,
			    "--rootfs %s: the host's own root cannot "
			    "be the container's",
			    rootfs);
		if (errno == ELOOP)
			die(0,
			    "make it a plain directory: mount(2) follows "
			    "symbolic links, possibly out of the rootfs",
			    "--rootfs %s: %s is a symbolic link", rootfs, bad);
		if (bad != NULL)
			die(errno, make, "--rootfs %s: %s", rootfs, bad);
		die(errno, make, "--rootfs %s", rootfs);
	}
	/* COMMAND is looked up inside the rootfs, as execvp will do there. */
	if (rootfs_find_command(rootfs, command[0], getenv("PATH")) == 0)
		return;
	if (is_default)
		die(errno, make, "--rootfs %s: no %s in it", rootfs,
		    command[0]);
	report(errno,
	       errno == ENOENT ? "COMMAND is looked up inside the "
				 "rootfs, not on the host"
			       : NULL,
	       "%s (in %s)", command[0], rootfs);
	exit(exec_failure_code(errno));
}
