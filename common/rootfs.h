/*
 * rootfs.h - checking a root filesystem before a container is made in it.
 */
#ifndef COMMON_ROOTFS_H
#define COMMON_ROOTFS_H

#include <stdbool.h>
#include <stddef.h>

/* The directories the runtime mounts on, relative to the rootfs. */
extern const char *const rootfs_mount_points[];

/*
 * Check that dir can be a container's root: a directory, not the host's
 * "/" itself, in which every rootfs_mount_points entry is a real directory.
 * Returns 0, or -1 with errno and *bad (the mount point at fault, or NULL
 * when dir itself is):
 *   ENOENT   missing;  ENOTDIR  not a directory;  EBUSY  dir is "/";
 *   ELOOP    a mount point is a symbolic link (mount(2) would follow it,
 *            possibly out of the rootfs).
 */
int rootfs_check(const char *dir, const char **bad);

/*
 * Look COMMAND up as execvp(3) will once dir is "/": a name with a slash
 * is a path, a bare name is searched in each directory of path (the
 * PATH variable; NULL means execvp's default "/bin:/usr/bin"). Symbolic
 * links resolve inside dir (openat2 RESOLVE_IN_ROOT). Returns 0 when found
 * and executable, or -1 with errno ENOENT (not found) or EACCES (found,
 * not an executable file). Without openat2 (before Linux 5.6) it cannot
 * look, and returns 0.
 */
int rootfs_find_command(const char *dir, const char *command, const char *path);

/*
 * The flags of the mount at path, as mount(2) spells them: MS_RDONLY,
 * MS_NOSUID, MS_NODEV, MS_NOEXEC and the atime flags, read with
 * statvfs(3). A remount (MS_REMOUNT|MS_BIND) replaces a mount's flags;
 * inside a user namespace, those that a more privileged namespace set are
 * locked, and a remount that drops one fails with EPERM
 * (mount_namespaces(7)): OR these into the new flags. Returns 0, or -1
 * with errno.
 */
int mount_flags_of(const char *path, unsigned long *flags);

/*
 * Refuse, before anything is created, a root filesystem we cannot safely
 * use (rootfs_check), with the error line and hint of each case, exit 125;
 * and a COMMAND not found in it (rootfs_find_command), exit 127 or 126 as
 * a shell would. is_default: COMMAND is the default /bin/sh, so a missing
 * one means a rootfs that is not one.
 */
void check_rootfs(const char *rootfs, char *const *command, bool is_default);

#endif
