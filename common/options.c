#define _GNU_SOURCE
#include "common/options.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "common/error.h"
#include "common/parse.h"

unsigned long long memory_option(const char *arg)
{
	unsigned long long bytes;

	if (parse_size(arg, &bytes) == -1)
		die(0, NULL, "--memory '%s': %s", arg,
		    errno == ERANGE ? "too large"
				    : "expected a size such as 64M "
				      "(suffixes K, M, G)");
	if (bytes < MEMORY_MIN)
		die(0, NULL,
		    "--memory '%s': at least 6M: less cannot even "
		    "start a shell",
		    arg);
	return bytes;
}

bool seccomp_option(const char *arg)
{
	if (strcmp(arg, "unconfined") != 0)
		die(0, NULL,
		    "--seccomp '%s': the only value is unconfined (no filter)",
		    arg);
	return true;
}

unsigned long pids_option(const char *arg)
{
	unsigned long pids;

	if (parse_count(arg, 4194304, &pids) == -1)
		die(0, NULL, "--pids '%s': %s", arg,
		    errno == ERANGE ? "must be 1 to 4194304"
				    : "expected a whole number");
	return pids;
}

unsigned long cpus_option(const char *arg)
{
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned long millicpus = 0;

	if (parse_cpus(arg, &millicpus) == -1 && errno == EINVAL)
		die(0, NULL, "--cpus '%s': expected a number such as 0.5 or 2",
		    arg);
	if (millicpus < 10 || millicpus > 1000 * (unsigned long)ncpus)
		die(0, NULL,
		    "--cpus '%s': must be from 0.01 to %ld (the CPUs "
		    "this machine has)",
		    arg, ncpus);
	return millicpus;
}

unsigned long option_bit(const struct option *opts, int val)
{
	int i;

	for (i = 0; opts[i].name != NULL; i++)
		if (opts[i].val == val)
			return 1UL << i;
	return 0;
}

void refuse_given(const struct option *opts, unsigned long given,
		  const int *vals, const char *with, const char *why)
{
	int i, v;

	for (i = 0; opts[i].name != NULL; i++)
		for (v = 0; vals[v] != 0; v++)
			if (opts[i].val == vals[v] && (given & (1UL << i)))
				die(0, NULL, "--%s cannot be used with %s (%s)",
				    opts[i].name, with, why);
}
