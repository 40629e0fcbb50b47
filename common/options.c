#define _GNU_SOURCE
#include "common/options.h"

#include <errno.h>
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
