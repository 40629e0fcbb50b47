/*
 * caps.h - the --cap-add and --cap-drop options of step 10, read as
 * Docker reads them, with libcap's names (cap_from_name(3)).
 *
 * The result is a mask: bit N set keeps capability N (capabilities(7)
 * numbers them: CAP_CHOWN is 0, CAP_SYS_ADMIN 21). A mask, rather than a
 * cap_t, because the step needs it once per set and once for the bounding
 * set.
 */
#ifndef COMMON_CAPS_H
#define COMMON_CAPS_H

#include <stdbool.h>
#include <stdint.h>

/* What --cap-add and --cap-drop asked for, before the defaults are known. */
struct cap_choice {
	uint64_t add, drop;	/* named capabilities */
	bool add_all, drop_all; /* ALL was named */
};

/*
 * Read the value of --cap-add (add) or --cap-drop: ALL, or a name as
 * capabilities(7) writes it, with or without CAP_, in any case (chown,
 * CAP_NET_RAW). Dies with one line for a name this kernel does not know.
 */
void cap_option(bool add, const char *arg, struct cap_choice *c);

/* Every capability this kernel knows (cap_max_bits(3)), as a mask. */
uint64_t caps_all(void);

/*
 * The capabilities to keep, as Docker computes them (TweakCapabilities in
 * moby's oci/caps): with --cap-add ALL, all but those dropped; with
 * --cap-drop ALL, only those added; otherwise defaults, less those
 * dropped, plus those added.
 */
uint64_t caps_chosen(uint64_t defaults, const struct cap_choice *c);

#endif
