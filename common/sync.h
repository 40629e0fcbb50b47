/*
 * sync.h - make the child wait until the parent has set things up for it.
 *
 * A pipe, as in the man-pages examples: the child blocks reading it; the
 * parent writes one byte to say "go on", or closes it without writing to
 * say "give up". If the parent dies, the kernel closes its end too, so the
 * child sees end-of-file instead of waiting forever.
 *
 *	parent                            child
 *	sync_init(&s)
 *	clone(...) ---------------------> sync_wait(&s)    (blocks)
 *	write uid_map, create veth, ...
 *	sync_release(&s) ---------------> returns 0: go on
 */
#ifndef COMMON_SYNC_H
#define COMMON_SYNC_H

struct sync_pipe {
	int wait_fd;	/* the child reads here */
	int release_fd; /* the parent writes here */
};

/* Create the pipe, close-on-exec so COMMAND never inherits it. */
int sync_init(struct sync_pipe *s);

/*
 * In the child: close the parent's end (or the child itself would keep
 * the pipe open and never see end-of-file), then block. Returns 0 when
 * released, -1 with errno ECANCELED when the parent gave up or died.
 * When the read itself fails, it still waits (poll(2)) for the release or
 * the parent's end before returning -1 with the read's errno, or
 * ECANCELED if the parent ended: the child reports and leaves only once
 * the parent is done acting on it.
 */
int sync_wait(struct sync_pipe *s);

/*
 * In the parent: send "go on", then close the child's end. A child that
 * died before does not make it fail (no SIGPIPE): waiting for the child
 * tells. The parent keeps its own end open for as long as it lives, so
 * the child can still ask...
 */
int sync_release(struct sync_pipe *s);

/*
 * ...in the child, after sync_wait: is the parent still alive? 1 or 0, or
 * -1 with errno when poll(2) fails (then nobody knows: leave).
 */
int sync_parent_alive(struct sync_pipe *s);

/* Close whatever is still open: in the parent, this cancels the child. */
void sync_close(struct sync_pipe *s);

#endif
