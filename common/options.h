/*
 * options.h - the options whose values need more than a parse: each reads
 * OPTION's value, refuses a bad one with the one error line of
 * common/error.h (exit 125), and returns it.
 */
#ifndef COMMON_OPTIONS_H
#define COMMON_OPTIONS_H

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

#endif
