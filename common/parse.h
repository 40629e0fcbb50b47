/*
 * parse.h - checking command-line values before anything is created.
 * Each returns 0, or -1 with errno saying what is wrong.
 */
#ifndef COMMON_PARSE_H
#define COMMON_PARSE_H

/*
 * A hostname the kernel will take: 1 to HOST_NAME_MAX (64) bytes
 * (sethostname(2)). EINVAL when empty, ENAMETOOLONG when too long.
 */
int check_hostname(const char *name);

#endif
