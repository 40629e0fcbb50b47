#define _GNU_SOURCE
#include "common/caps.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>

#include "common/error.h"

uint64_t caps_all(void)
{
	/* The kernel's count: CAP_LAST_CAP + 1 (libcap reads it at start). */
	unsigned bits = cap_max_bits();

	return bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
}

/* What a capability's name is made of: no digits, no lists. */
#define LETTERS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"

/* cap_from_name(3) reads a prefix ("sys_admin2" is SYS_ADMIN): is name all of cap's? */
static bool same_name(cap_value_t cap, const char *name)
{
	char *text = cap_to_name(cap);
	bool same = text != NULL && strcasecmp(text, name) == 0;

	cap_free(text);
	return same;
}

void cap_option(bool add, const char *arg, struct cap_choice *c)
{
	const char *option = add ? "--cap-add" : "--cap-drop";
	char name[64];
	cap_value_t cap;

	if (strcasecmp(arg, "ALL") == 0) {
		if (add)
			c->add_all = true;
		else
			c->drop_all = true;
		return;
	}
	/*
	 * cap_from_name(3) takes "cap_chown" in any case, and numbers too;
	 * Docker takes names only, with or without the prefix.
	 */
	snprintf(name, sizeof(name), "%s%s",
		 strncasecmp(arg, "CAP_", 4) == 0 ? "" : "cap_", arg);
	if (arg[0] == '\0' || strspn(arg, LETTERS) != strlen(arg) ||
	    strlen(arg) >= sizeof(name) - 4 ||
	    cap_from_name(name, &cap) == -1 || !same_name(cap, name))
		die(0, NULL,
		    "%s '%s': not a capability (names as in capabilities(7), "
		    "such as NET_ADMIN, or ALL)",
		    option, arg);
	if ((unsigned)cap >= (unsigned)cap_max_bits())
		die(0, NULL, "%s '%s': this kernel has no such capability",
		    option, arg);
	if (add)
		c->add |= 1ULL << cap;
	else
		c->drop |= 1ULL << cap;
}

uint64_t caps_chosen(uint64_t defaults, const struct cap_choice *c)
{
	if (c->add_all)
		return caps_all() & ~c->drop;
	if (c->drop_all)
		return c->add;
	return (defaults & ~c->drop) | c->add;
}
