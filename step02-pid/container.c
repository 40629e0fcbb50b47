#define _GNU_SOURCE
/*
 * step02-pid: adds a PID namespace; COMMAND is PID 1 of its own process tree.
 * New here: CLONE_NEWPID, signal forwarding, PR_SET_PDEATHSIG, the pipe the
 * child waits on, and --init, a tiny init that reaps orphans.
 * Read: pid_namespaces(7), prctl(2) (PR_SET_PDEATHSIG), sigaction(2), wait(2).
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "common/error.h"
#include "common/hints.h"
#include "common/parse.h"
#include "common/process.h"
#include "common/sync.h"

/* What the command line asked for. */
struct config {
	const char *hostname; /* -n: the hostname inside */
	bool init;	      /* --init: a tiny init runs COMMAND */
	char **command;	      /* COMMAND and its arguments, NULL-terminated */
};

/* Options with no short form. */
enum { OPT_INIT = 256 };

static char *default_command[] = { "/bin/sh", NULL };

/* The child's stack: see main(). */
#define STACK_SIZE (1024 * 1024)

/* The child waits on this pipe until the parent has set things up. */
static struct sync_pipe sync_pipe;

/* The signals we pass on to the container, as `docker run` does. */
static const int forwarded_signals[] = { SIGINT,  SIGTERM, SIGHUP,
					 SIGQUIT, SIGUSR1, SIGUSR2 };
static volatile pid_t forward_to; /* 0: forward nothing */

static void usage(void)
{
	printf("Usage: container [OPTION]... [--] [COMMAND [ARG]...]\n"
	       "Run COMMAND (default: /bin/sh) in new namespaces.\n"
	       "\n"
	       "  -n, --hostname NAME   hostname inside (default: container)\n"
	       "      --init            run COMMAND under a tiny init as PID 1\n"
	       "  -v, --verbose         narrate each kernel call on stderr\n"
	       "  -h, --help            print this help and exit\n"
	       "\n"
	       "Exit status: COMMAND's; 128+N if it was killed by signal N;\n"
	       "125 if the container could not be set up; 126 if COMMAND\n"
	       "cannot be executed; 127 if it was not found.\n");
}

/* Read the options; refuse bad input now, before anything is created. */
static void parse_args(int argc, char **argv, struct config *cfg)
{
	static const struct option opts[] = {
		{ "hostname", required_argument, NULL, 'n' },
		{ "init", no_argument, NULL, OPT_INIT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	/*
	 * "+" stops at the first word that is not an option, so in
	 * "container ls -l" the -l belongs to ls. ":" makes a missing
	 * argument return ':', and opterr = 0 lets us print the one error
	 * line ourselves.
	 */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:n:vh", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			cfg->hostname = optarg;
			break;
		case OPT_INIT:
			cfg->init = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage();
			exit(0);
		case ':':
			die(0, NULL, "%s: missing argument (see --help)",
			    argv[optind - 1]);
		default:
			if (optopt != 0)
				die(0, NULL, "-%c: unknown option (see --help)",
				    optopt);
			die(0, NULL, "%s: unknown option (see --help)",
			    argv[optind - 1]);
		}
	}
	cfg->command = optind < argc ? &argv[optind] : default_command;

	if (check_hostname(cfg->hostname) == -1)
		die(0, NULL, "--hostname '%s': %s", cfg->hostname,
		    errno == EINVAL ? "must not be empty"
				    : "longer than 64 bytes");
}

/*
 * Become COMMAND. execvp(3) returns only when it failed: leave with 127
 * (not found) or 126 (cannot execute), as shells do, and with _exit(2),
 * since this is a child and must not run the parent's exit handlers.
 */
__attribute__((noreturn)) static void exec_command(char **command)
{
	int err;

	/*
	 * Descriptors the caller left open would reach COMMAND: a door to
	 * the host (runc leaked one to /sys/fs/cgroup, CVE-2024-21626).
	 */
	must(cloexec_from(3), "close_range(3, ~0U, CLOSE_RANGE_CLOEXEC)");
	narrate("execvp(%s)", command[0]);
	execvp(command[0], command);
	err = errno;
	report(err, NULL, "execvp(%s)", command[0]);
	_exit(exec_failure_code(err));
}

static void forward_signal(int sig)
{
	int saved = errno; /* a handler must leave errno as it found it */

	if (forward_to > 0)
		kill(forward_to, sig);
	errno = saved;
}

/*
 * Set what the forwarded signals do: forward_signal to pass them on, or
 * SIG_DFL. An ignored signal stays ignored across execve(2) (a shell
 * ignores SIGINT for its background jobs), so COMMAND gets SIG_DFL.
 */
static void handle_signals(void (*handler)(int))
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_RESTART };
	size_t i;

	for (i = 0; i < sizeof(forwarded_signals) / sizeof(int); i++)
		if (sigaction(forwarded_signals[i], &sa, NULL) == -1)
			die(errno, NULL, "sigaction(%s)",
			    strsignal(forwarded_signals[i]));
}

/* From now on, pass the signals a user sends us on to pid. */
static void forward_signals_to(pid_t pid)
{
	forward_to = pid;
	handle_signals(forward_signal);
	narrate("sigaction(): forwarding SIGINT, SIGTERM, SIGHUP, SIGQUIT, "
		"SIGUSR1, SIGUSR2 to %d",
		pid);
}

/*
 * --init: a tiny init as PID 1, as tini and `docker run --init` are. The
 * kernel gives PID 1 two jobs (pid_namespaces(7)): orphans are reparented
 * to it, so it must reap them or they stay zombies; and it receives only
 * the signals it has a handler for, so a COMMAND that is PID 1 ignores
 * SIGTERM and Ctrl-C. Here COMMAND runs as our child; we forward signals
 * to it, reap every child, and leave with COMMAND's status.
 *
 * Exercise 2.1 (pid): as PID 1 (--init): fork COMMAND, forward signals to
 * it (forward_signals_to), and reap every child, the orphans the kernel
 * hands PID 1 too (reap), until COMMAND ends; return its exit status
 * (exit_code_of). Read pid_namespaces(7), wait(2). The pid tests check
 * that orphans are reaped and signals reach COMMAND.
 */
static int run_init(char **command)
{
	int status;
	pid_t cmd, pid;

	set_role("init");
	/*
	 * init never calls execve(2), so close-on-exec never fires for it:
	 * what the runtime had open, and whatever its caller leaked, would
	 * stay open in PID 1 for the container's whole life. Keep only
	 * stdin, stdout and stderr. COMMAND needs no such care: its execve
	 * closes them (exec_command).
	 */
	must(close_from(3), "close_range(3, ~0U, 0)");
	/*
	 * Nor is it dumpable: it stays the runtime's image, and root in the
	 * container could open its /proc/1/exe, the runtime's binary on the
	 * host (runc's CVE-2019-5736), and read its /proc/1/environ.
	 */
	must(prctl(PR_SET_DUMPABLE, 0), "prctl(PR_SET_DUMPABLE, 0)");
	fflush(NULL);
	cmd = fork();
	if (cmd == -1)
		die(errno, NULL, "fork()");
	if (cmd == 0) {
		set_role("command");
		exec_command(command);
	}
	narrate("fork() = %d", cmd);
	forward_signals_to(cmd);
	for (;;) {
		/* Any child: COMMAND, or an orphan the kernel gave us. */
		pid = must(reap(-1, &status, &forward_to), "wait()");
		if (pid == cmd)
			break;
		narrate("reaped orphan %d", pid);
	}
	narrate("COMMAND ended, exit status %d", exit_code_of(status));
	return exit_code_of(status);
}

/*
 * The child: it starts in the new namespaces and becomes COMMAND.
 *
 * Exercise 1.1 (uts): in the new UTS namespace, set the hostname
 * (cfg->hostname) with sethostname(2), then become COMMAND (exec_command).
 * Read uts_namespaces(7). The uts tests check the hostname inside, and
 * that the host keeps its own.
 */
static int child_main(void *arg)
{
	struct config *cfg = arg;
	int pdeath, pdeath_err;

	set_role("child");

	/*
	 * Die with the runtime: if it is SIGKILLed, the kernel sends us
	 * SIGKILL, and when PID 1 dies the kernel kills every process of the
	 * namespace. Asked for before the wait, so that it holds while we
	 * wait; had the runtime died before this prctl(2), the wait sees its
	 * end of the pipe close. A failure is told after the wait: until the
	 * release the parent acts on us, and would only echo our end.
	 */
	pdeath = prctl(PR_SET_PDEATHSIG, SIGKILL);
	pdeath_err = errno;
	/* Wait until the runtime has set us up; if it fails or dies, leave. */
	if (sync_wait(&sync_pipe) == -1) {
		if (errno != ECANCELED)
			report(errno, NULL, "read(sync pipe)");
		_exit(EXIT_SETUP_FAILED);
	}
	errno = pdeath_err;
	must(pdeath, "prctl(PR_SET_PDEATHSIG)");
	handle_signals(SIG_DFL);

	/* Our own UTS namespace: the host's hostname does not change. */
	must(sethostname(cfg->hostname, strlen(cfg->hostname)),
	     "sethostname(%s)", cfg->hostname);

	if (cfg->init)
		_exit(run_init(cfg->command));
	exec_command(cfg->command);
}

int main(int argc, char **argv)
{
	struct config cfg = { .hostname = "container" };
	int flags = CLONE_NEWUTS | CLONE_NEWPID;
	/*
	 * clone(2) runs the child on a stack we hand it. Without CLONE_VM the
	 * child gets its own copy of our memory, so a buffer on our own stack
	 * will do (and keeps AddressSanitizer, which watches stacks, happy).
	 */
	char child_stack[STACK_SIZE] __attribute__((aligned(16)));
	char names[128];
	int status;
	pid_t pid;

	/*
	 * A SIGCHLD our caller ignores stays ignored across execve(2), and
	 * then the kernel reaps our child itself: waitpid(2) would find none
	 * (ECHILD, wait(2), NOTES). Back to the default.
	 */
	signal(SIGCHLD, SIG_DFL);
	parse_args(argc, argv, &cfg);
	clone_flag_names(flags, names, sizeof(names));
	must(sync_init(&sync_pipe), "pipe2()");

	/*
	 * Flush stdio before clone: the child gets a copy of our buffers and
	 * would print anything still in them a second time.
	 */
	fflush(NULL);

	/*
	 * clone(2) starts child_main in a new process, inside the new
	 * namespaces that the CLONE_NEW* flags ask for. The low byte is the
	 * signal we get when the child ends: with anything but SIGCHLD,
	 * waitpid(2) would not see the child without __WALL. Stacks grow
	 * down (except on PA-RISC), so we pass the top of ours.
	 */
	pid = clone(child_main, child_stack + STACK_SIZE, flags | SIGCHLD,
		    &cfg);
	must_hint(pid, hint_needs_root, "clone(%s|SIGCHLD)", names);

	/*
	 * From here a Ctrl-C or a `kill` of the runtime goes to the container.
	 * Then let the child go on.
	 */
	forward_signals_to(pid);
	must(sync_release(&sync_pipe), "sync_release()");

	/*
	 * Wait for COMMAND and hand on its exit status. reap() stops the
	 * forwarding before it reaps the child: from then on its PID may be
	 * another process's.
	 */
	must(reap(pid, &status, &forward_to), "waitpid(%d)", pid);
	narrate("child %d ended, exit status %d", pid, exit_code_of(status));
	return exit_code_of(status);
}
