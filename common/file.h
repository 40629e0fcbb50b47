/*
 * file.h - small files: /proc and /sys knobs, cgroup files, the rootfs.
 */
#ifndef COMMON_FILE_H
#define COMMON_FILE_H

#include <sys/types.h>

/*
 * Write text to an existing file with a single write(2). Files such as
 * /proc/PID/uid_map must get their whole content in one write, and a
 * partial write is reported as an error (EIO), never ignored.
 */
int write_file(const char *path, const char *text);

/*
 * Read a whole small file into buf and NUL-terminate it. Returns the
 * length, or -1 with errno set (EFBIG when it does not fit in buf).
 */
ssize_t read_file(const char *path, char *buf, size_t size);

#endif
