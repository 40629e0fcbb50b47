#define _GNU_SOURCE
/*
 * step01-uts: the smallest container, a process with a hostname of its own.
 * New here: clone(2) with CLONE_NEWUTS, sethostname(2), execvp(3), waitpid(2).
 * Read: namespaces(7), uts_namespaces(7), clone(2), sethostname(2).
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/error.h"
#include "common/hints.h"
#include "common/parse.h"
#include "common/process.h"

/* What the command line asked for. */
struct config {
	const char *hostname; /* -n: the hostname inside */
	char **command;	      /* COMMAND and its arguments, NULL-terminated */
};

static char *default_command[] = { "/bin/sh", NULL };

/* The child's stack: see main(). */
#define STACK_SIZE (1024 * 1024)

static void usage(void)
{
	printf("Usage: container [OPTION]... [--] [COMMAND [ARG]...]\n"
	       "Run COMMAND (default: /bin/sh) in new namespaces.\n"
	       "\n"
	       "  -n, --hostname NAME   hostname inside (default: container)\n"
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

	set_role("child");

	/* Our own UTS namespace: the host's hostname does not change. */
	must(sethostname(cfg->hostname, strlen(cfg->hostname)),
	     "sethostname(%s)", cfg->hostname);

	exec_command(cfg->command);
}

int main(int argc, char **argv)
{
	struct config cfg = { .hostname = "container" };
	int flags = CLONE_NEWUTS;
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

	/* Wait for COMMAND and hand on its exit status. */
	must(wait_for(pid, &status), "waitpid(%d)", pid);
	narrate("child %d ended, exit status %d", pid, exit_code_of(status));
	return exit_code_of(status);
}
