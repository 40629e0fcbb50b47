#define _GNU_SOURCE
#include "common/environ.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/error.h"

void env_option(const char *arg, struct env_adds *adds)
{
	if (arg[0] == '\0' || arg[0] == '=')
		die(0, NULL, "--env '%s': expected KEY=VALUE or KEY", arg);
	if (adds->count == ENV_ADDS_MAX)
		die(0, NULL, "--env '%s': at most %d --env options", arg,
		    ENV_ADDS_MAX);
	adds->args[adds->count++] = arg;
}

/* Set name=value in env (of *n entries), replacing one of that name. */
static void env_set(char **env, int *n, char *entry)
{
	size_t len = strcspn(entry, "=");
	int i;

	for (i = 0; i < *n; i++)
		if (strncmp(env[i], entry, len) == 0 && env[i][len] == '=') {
			env[i] = entry;
			return;
		}
	env[(*n)++] = entry;
}

/* "KEY=VALUE", in memory that lives until exec (held by the static env). */
static char *entry(const char *key, const char *value)
{
	char *text;

	if (asprintf(&text, "%s=%s", key, value) == -1)
		die(errno, NULL, "asprintf(%s)", key);
	return text;
}

char **container_env(const struct env_adds *adds)
{
	static char *env[5 + ENV_ADDS_MAX + 1];
	char hostname[HOST_NAME_MAX + 1] = ""; /* gethostname(2), NOTES */
	const char *value;
	int n = 0, i;

	env_set(env, &n, "PATH=" CONTAINER_PATH);
	env_set(env, &n, "HOME=/root");
	must(gethostname(hostname, sizeof(hostname)), "gethostname()");
	env_set(env, &n, entry("HOSTNAME", hostname));
	value = getenv("TERM");
	if (value != NULL)
		env_set(env, &n, entry("TERM", value));
	env_set(env, &n, "container=mini-container");
	for (i = 0; i < adds->count; i++) {
		value = strchr(adds->args[i], '=') ? NULL
						   : getenv(adds->args[i]);
		if (value != NULL)
			env_set(env, &n, entry(adds->args[i], value));
		else if (strchr(adds->args[i], '=') != NULL)
			env_set(env, &n, (char *)adds->args[i]);
	}
	env[n] = NULL;
	return env;
}
