/*
 * environ.h - the environment COMMAND starts with (step 10): a clean one,
 * as docker run and podman give, and not the caller's. A runtime run from
 * a developer's shell has tokens, SSH_AUTH_SOCK and the like in its own
 * environment; none of it is the container's business.
 */
#ifndef COMMON_ENVIRON_H
#define COMMON_ENVIRON_H

/* Docker's PATH for a container whose image sets none. */
#define CONTAINER_PATH \
	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

#define ENV_ADDS_MAX 64

/* The --env options, in the order given. */
struct env_adds {
	const char *args[ENV_ADDS_MAX]; /* KEY=VALUE, or KEY */
	int count;
};

/*
 * Keep one --env value: KEY=VALUE sets KEY, KEY alone copies the caller's
 * KEY (nothing if the caller has none), as docker run -e does. Dies with
 * one line for an empty KEY, and after ENV_ADDS_MAX of them.
 */
void env_option(const char *arg, struct env_adds *adds);

/*
 * The environment for COMMAND, built from scratch: PATH, HOME=/root,
 * HOSTNAME (what gethostname(2) says now: call it inside), TERM when the
 * caller has one, container=mini-container (as systemd-nspawn and podman
 * set), then adds, each replacing a variable of its name. Read the
 * caller's TERM and KEYs from environ: call it before replacing environ.
 * Returns a static array, NULL-terminated, for one execve(2): a second
 * call overwrites it, and the entries it allocated are lost.
 */
char **container_env(const struct env_adds *adds);

#endif
