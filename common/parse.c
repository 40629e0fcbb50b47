#define _GNU_SOURCE
#include "common/parse.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

int check_hostname(const char *name)
{
	size_t len = strlen(name);

	if (len == 0) {
		errno = EINVAL;
		return -1;
	}
	if (len > HOST_NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}
