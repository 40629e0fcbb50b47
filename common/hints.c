#define _GNU_SOURCE
#include "common/hints.h"

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
	if (sysctl_value(proc_sys, "kernel/apparmor_restrict_unprivileged_userns") == 1)
		return "AppArmor restricts unprivileged user namespaces (Ubuntu "
		       "23.10+): sudo sysctl -w "
		       "kernel.apparmor_restrict_unprivileged_userns=0, or give "
		       "this program an AppArmor profile that allows 'userns,'";
	return NULL;
}
