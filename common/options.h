/*
 * options.h - the options whose values need more than a parse: each reads
 * OPTION's value, refuses a bad one with the one error line of
 * common/error.h (exit 125), and returns it.
 */
#ifndef COMMON_OPTIONS_H
#define COMMON_OPTIONS_H

#include <stdbool.h>

/* Below this not even a shell starts (Docker's minimum too). */
#define MEMORY_MIN (6 << 20)

/* --memory SIZE: bytes, or with K, M, G; at least MEMORY_MIN. */
unsigned long long memory_option(const char *arg);

/* --pids N: 1 to PID_MAX_LIMIT (4194304): no machine has more PIDs. */
unsigned long pids_option(const char *arg);

/*
 * --cpus X: thousandths of a CPU, from 0.01 (the kernel's smallest quota
 * is 1 ms per period) to the CPUs this machine has.
 */
unsigned long cpus_option(const char *arg);

/* --seccomp VALUE: "unconfined" (no filter: true) is the only value. */
bool seccomp_option(const char *arg);

/*
 * Options that cannot go together (step 9). getopt_long(3) says which
 * option it found, not whether one came before: the caller keeps a bit
 * per opts[] entry, given |= option_bit(opts, opt).
 */
struct option;
unsigned long option_bit(const struct option *opts, int val);

/*
 * If an option in vals (0-terminated) was given, die naming it:
 * "--OPTION cannot be used with WITH (WHY)".
 */
void refuse_given(const struct option *opts, unsigned long given,
		  const int *vals, const char *with, const char *why);

#endif
