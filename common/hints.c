#define _GNU_SOURCE
#include "common/hints.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/file.h"

/* The number in proc_sys/name, or -1 when there is no such file. */
static long sysctl_value(const char *proc_sys, const char *name)
{
	char path[256], buf[32];

	snprintf(path, sizeof(path), "%s/%s", proc_sys, name);
	if (read_file(path, buf, sizeof(buf)) == -1)
		return -1;
	return strtol(buf, NULL, 10);
}

const char *userns_hint(const char *proc_sys)
{
	if (sysctl_value(proc_sys, "kernel/unprivileged_userns_clone") == 0)
		return "unprivileged user namespaces are off: "
		       "sudo sysctl -w kernel.unprivileged_userns_clone=1";
	if (sysctl_value(proc_sys, "user/max_user_namespaces") == 0)
		return "user namespaces are limited to 0: "
		       "sudo sysctl -w user.max_user_namespaces=15000";
	if (sysctl_value(proc_sys,
			 "kernel/apparmor_restrict_unprivileged_userns") == 1)
		return "AppArmor restricts unprivileged user namespaces (Ubuntu "
		       "23.10+): sudo sysctl -w "
		       "kernel.apparmor_restrict_unprivileged_userns=0, or give "
		       "this program an AppArmor profile that allows 'userns,'";
	return NULL;
}

/* For hint_fn users (must_hint): the functions below take the errno. */
const char *hint_userns(int err)
{
	return userns_hint("/proc/sys");
}

const char *hint_userns_eperm(int err)
{
	return err == EPERM ? userns_hint("/proc/sys") : NULL;
}

const char *hint_rootfs_access(int err)
{
	return err == EACCES ? "the container's root is the first outside ID "
			       "of --uid-map on the host: every directory "
			       "above the rootfs must let it in (check: namei "
			       "-l ROOTFS)"
			     : NULL;
}

const char *hint_pivot_root(int err)
{
	return err == EINVAL ? "is / a shared mount? (findmnt -o "
			       "TARGET,PROPAGATION /)"
			     : NULL;
}

const char *hint_id_map(int err)
{
	return err == EPERM ? "the outside IDs must exist where the runtime "
			      "runs (see /proc/self/uid_map) and, unless you "
			      "are root, be your own ID"
			    : NULL;
}

const char *hint_controllers(int err)
{
	return err == EBUSY ? "a cgroup with processes cannot give controllers "
			      "to its children: run the runtime alone in its "
			      "cgroup (systemd-run --scope)"
			    : NULL;
}

const char *hint_needs_root(int err)
{
	return err == EPERM ? "creating namespaces needs root: run it with "
			      "sudo (from step 4 on it works unprivileged)"
			    : NULL;
}
