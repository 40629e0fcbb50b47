/*
 * names.h - finding a running container by name (step 9), the way a
 * joiner can trust: no file with a PID in it, but a unix socket per name,
 * on which the container's runtime hands out a pidfd of the container's
 * PID 1 (and its cgroup directories) over SCM_RIGHTS, to callers of its
 * own uid only.
 *
 * Why a pidfd and not a PID: a PID names whichever process has it now. If
 * the container ends and its PID is given to a new process, a joiner
 * holding the number would enter that process's namespaces. A pidfd names
 * one process for as long as it is open; once that process is gone,
 * setns(2) on it fails with ESRCH (setns(2), ERRORS).
 *
 * Where the sockets live: a directory only the caller can enter (0700),
 * so nobody else can take, block or reach a name:
 *
 *	root                 /run/mini-container/names/NAME
 *	anyone else          $XDG_RUNTIME_DIR/mini-container/names/NAME
 *	  (no XDG_RUNTIME_DIR) /tmp/mini-container-UID/names/NAME
 *
 * Everything here dies (common/error.h) on a failure.
 */
#ifndef COMMON_NAMES_H
#define COMMON_NAMES_H

#include <stdbool.h>

#include "common/cgroups.h"

#define NAME_MAX_LEN 63 /* Docker's limit (a DNS label's) */

/*
 * Check a container name as Docker does: [a-zA-Z0-9][a-zA-Z0-9_.-]*, at
 * most NAME_MAX_LEN characters. Dies naming option (e.g. "--name") if not.
 */
void check_name(const char *option, const char *name);

/*
 * Claim name for this runtime: check it (check_name), bind and listen on
 * its socket, and have it removed at exit. Under a lock on the directory: first every socket
 * nobody listens on any more (its runtime was SIGKILLed) is removed, then
 * a name still in use is refused. Returns the listening socket.
 */
int name_claim(const char *name);

/*
 * Until the container's PID 1, pid (our child), ends, answer every caller
 * of our uid on sock with a pidfd of pid and a descriptor of each of the
 * container's cgroup directories (cg may have none). The pidfd is opened
 * first: pidfd_open(2) on a child not yet waited for names that child for
 * sure; poll(2) sees it readable when the child ends. Signals that
 * interrupt the wait are handled, and the wait goes on.
 */
void name_serve(int sock, pid_t pid, const struct cgroups *cg);

/*
 * Answer one caller waiting on sock, as name_serve does, with pidfd (a
 * pidfd of the container's PID 1); for a loop that waits on more than
 * sock (common/console.h).
 */
void name_answer(int sock, int pidfd, const struct cgroups *cg);

/* What name_lookup finds: descriptors the caller owns (close-on-exec). */
struct running {
	int pidfd;			 /* the container's PID 1 */
	int cgroup_fds[MAX_HIERARCHIES]; /* its cgroup directories */
	int cgroups;			 /* how many */
	bool v2;			 /* cgroup_fds[0] is a cgroup v2 one */
};

/*
 * Find the running container name (option says who asks, for the error
 * line): connect to its socket, check that the runtime there is of our
 * uid (SO_PEERCRED, unix(7)), and receive its answer. Dies with "no
 * container of that name is running" if there is none.
 */
void name_lookup(const char *option, const char *name, struct running *c);

/* Close what name_lookup gave. */
void running_close(struct running *c);

#endif
