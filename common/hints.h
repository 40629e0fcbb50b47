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

#endif
