/*
 * hints.h - what the machine says about a failure it caused on purpose.
 */
#ifndef COMMON_HINTS_H
#define COMMON_HINTS_H

/*
 * When unprivileged user namespaces are switched off, which switch it is
 * and the command that turns it on; NULL when none is set. proc_sys is
 * "/proc/sys" (another directory in tests). The switches:
 *   kernel.unprivileged_userns_clone = 0        (Debian before 11, older distros)
 *   user.max_user_namespaces = 0                (any kernel)
 *   kernel.apparmor_restrict_unprivileged_userns = 1   (Ubuntu 23.10 and later)
 */
const char *userns_hint(const char *proc_sys);

/*
 * The hints of the known pitfalls, as functions of the failed call's
 * errno for must_hint() (common/error.h); NULL when none applies.
 */
const char *hint_needs_root(int err);	/* EPERM: steps 1-3 need root */
const char *hint_userns(int err);	/* clone: which switch is off, if any */
const char *hint_userns_eperm(int err); /* the same, for EPERM only */
const char *hint_rootfs_access(int err); /* EACCES binding the rootfs */
const char *hint_pivot_root(int err);	 /* EINVAL: a shared "/" */
const char *hint_id_map(int err);	 /* EPERM writing uid_map/gid_map */
const char *hint_controllers(int err);	 /* EBUSY: no internal processes */

#endif
