/*
 * console.h - the runtime's side of a container's terminal (step 10).
 *
 * The container makes its pseudo-terminal itself, inside, on its own
 * devpts (pty(7)), and sends the master end here over a unix socket
 * (SCM_RIGHTS, unix(7)), as runc's --console-socket does. The runtime
 * then puts the caller's terminal in raw mode, so that every key (Ctrl-C
 * too) goes to the container's terminal and is interpreted there, and
 * relays bytes both ways and the window size, until the container ends.
 */
#ifndef COMMON_CONSOLE_H
#define COMMON_CONSOLE_H

#include <sys/types.h>

#include "common/cgroups.h"

/*
 * If stdin is a terminal, make console a socketpair (close-on-exec) for
 * the child to send its terminal over; otherwise set it to -1, -1.
 */
int console_open(int console[2]);

/*
 * In the container, after the mounts: make a pseudo-terminal of its devpts
 * (open /dev/pts/ptmx, unlockpt, and the slave by TIOCGPTPEER, never by a
 * path that could be swapped: ioctl_tty(2)), give it the window size of
 * stdin (the caller's terminal), send its master over sock, close the
 * master and sock. Returns the slave, or -1 (errno set).
 */
int console_make(int sock);

/* Send fd over the unix socket sock (one byte of data, fd in SCM_RIGHTS). */
int console_send(int sock, int fd);

/*
 * Receive what console_send sent: a descriptor (close-on-exec), or -1
 * with errno ENODATA if the sender closed its end first (it failed).
 */
int console_receive(int sock);

/*
 * Until the process pid (our child) ends: relay our stdin to master and
 * master to our stdout, with our terminal in raw mode and its window size
 * passed on at each SIGWINCH (master -1: no terminal to relay); and
 * answer --name callers on name_sock (-1: none; common/names.h), with cg.
 * The terminal is restored before it returns, and at exit. SIGPIPE is
 * ignored from then on: a write to a stdout that is gone fails, and the
 * master is closed. Returns master, or -1 if it was closed.
 */
int console_serve(int master, int name_sock, pid_t pid,
		  const struct cgroups *cg);

/*
 * The runtime's side, once the child is released: close the child's end
 * console[1]; if console[0] is open, take the master the child sends over
 * it (none if the child failed first); then console_serve until pid ends,
 * if there is a master to relay or a name_sock to answer on.
 */
void console_attach(int console[2], int name_sock, pid_t pid,
		    const struct cgroups *cg);

#endif
