#define _GNU_SOURCE
/*
 * step04-user: adds a user namespace; from here on it runs unprivileged.
 * New here: CLONE_NEWUSER, the uid_map/gid_map handshake, setgroups,
 * newuidmap/newgidmap for ranges, becoming root inside, /sys from the host.
 * Read: user_namespaces(7), capabilities(7), newuidmap(1), subuid(5).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "common/file.h"
#include "common/hints.h"
#include "common/idmap.h"
#include "common/parse.h"
#include "common/process.h"
#include "common/rootfs.h"
#include "common/sync.h"
#include "common/syscalls.h"

/* What the command line asked for. */
struct config {
	const char *hostname;	/* -n: the hostname inside */
	bool init;		/* --init: a tiny init runs COMMAND */
	const char *rootfs;	/* -r: the root filesystem */
	struct id_map uid_map[ID_MAP_MAX_LINES + 1]; /* --uid-map lines */
	int uid_lines;
	struct id_map gid_map[ID_MAP_MAX_LINES + 1]; /* --gid-map lines */
	int gid_lines;
	bool use_helpers;	/* write the maps with newuidmap/newgidmap */
	char **command;		/* COMMAND and its arguments, NULL-terminated */
};

/* Options with no short form. */
enum { OPT_INIT = 256, OPT_UID_MAP, OPT_GID_MAP };

static char *default_command[] = { "/bin/sh", NULL };

/* The child's stack: see main(). */
#define STACK_SIZE (1024 * 1024)

/* The child waits on this pipe until the parent has set things up. */
static struct sync_pipe sync_pipe;

/* The signals we pass on to the container, as `docker run` does. */
static const int forwarded_signals[] = { SIGINT,  SIGTERM, SIGHUP,
					 SIGQUIT, SIGUSR1, SIGUSR2 };
static volatile pid_t forward_to;	/* 0: forward nothing */

static void usage(void)
{
	printf("Usage: container [OPTION]... [--] [COMMAND [ARG]...]\n"
	       "Run COMMAND (default: /bin/sh) in new namespaces.\n"
	       "\n"
	       "  -n, --hostname NAME   hostname inside (default: container)\n"
	       "      --init            run COMMAND under a tiny init as PID 1\n"
	       "  -r, --rootfs DIR      root filesystem (default: ./rootfs)\n"
	       "      --uid-map IN:OUT:COUNT  map uids IN.. inside to OUT.. outside\n"
	       "      --gid-map IN:OUT:COUNT  the same for gids (both repeatable;\n"
	       "                        default: root inside is you, or 100000\n"
	       "                        and up when you are root)\n"
	       "  -v, --verbose         narrate each kernel call on stderr\n"
	       "  -h, --help            print this help and exit\n"
	       "\n"
	       "Exit status: COMMAND's; 128+N if it was killed by signal N;\n"
	       "125 if the container could not be set up; 126 if COMMAND\n"
	       "cannot be executed; 127 if it was not found.\n");
}

/*
 * Refuse a root filesystem we cannot safely use, before anything is
 * created: missing, not a directory, the host's "/" itself, or with a
 * symbolic link where we mount (mount(2) follows it: a rootfs whose "proc"
 * points at /etc would get procfs mounted over the host's /etc).
 */
static void check_rootfs(struct config *cfg)
{
	const char *make = "build one with 'make rootfs', or point --rootfs "
			   "at a root filesystem";
	const char *bad;

	if (rootfs_check(cfg->rootfs, &bad) == -1) {
		if (errno == EBUSY)
			die(0, make, "--rootfs %s: the host's own root cannot "
			    "be the container's", cfg->rootfs);
		if (errno == ELOOP)
			die(0, "make it a plain directory: mount(2) follows "
			    "symbolic links, possibly out of the rootfs",
			    "--rootfs %s: %s is a symbolic link", cfg->rootfs,
			    bad);
		if (bad != NULL)
			die(errno, make, "--rootfs %s: %s", cfg->rootfs, bad);
		die(errno, make, "--rootfs %s", cfg->rootfs);
	}
	/* COMMAND is looked up inside the rootfs, as execvp will do there. */
	if (rootfs_find_command(cfg->rootfs, cfg->command[0],
				getenv("PATH")) == 0)
		return;
	if (cfg->command == default_command)
		die(errno, make, "--rootfs %s: no %s in it", cfg->rootfs,
		    cfg->command[0]);
	report(errno, errno == ENOENT ? "COMMAND is looked up inside the "
	       "rootfs, not on the host" : NULL, "%s (in %s)", cfg->command[0],
	       cfg->rootfs);
	exit(exec_failure_code(errno));
}

/* One --uid-map or --gid-map line, checked as the kernel will. */
static void add_id_map(const char *option, const char *text,
		       struct id_map *map, int *lines)
{
	if (*lines == ID_MAP_MAX_LINES)
		die(0, NULL, "%s: more than %d lines (the kernel's limit)",
		    option, ID_MAP_MAX_LINES);
	if (parse_id_map(text, &map[*lines]) == -1)
		die(0, NULL, "%s '%s': %s", option, text,
		    errno == EDOM     ? "COUNT must be at least 1"
		    : errno == ERANGE ? "the range runs past 4294967294"
				      : "expected INSIDE:OUTSIDE:COUNT");
	(*lines)++;
	if (check_id_maps(map, *lines) == -1)
		die(0, NULL, "%s '%s': overlaps an earlier line", option, text);
}

/* Is map the single line "0 ID 1" (or no map, which will become that)? */
static bool only_own_id(const struct id_map *map, int lines, unsigned id)
{
	return lines == 0 ||
	       (lines == 1 && map[0].outside == id && map[0].count == 1);
}

/*
 * The default maps (root inside is you, or 100000.. when you are root),
 * and how they will be written. The kernel lets an unprivileged process
 * write only one line, mapping its own ID (user_namespaces(7)); for more,
 * rootless engines call the setuid helpers newuidmap/newgidmap, which
 * allow the ranges /etc/subuid and /etc/subgid give the user.
 */
static void choose_id_maps(struct config *cfg)
{
	bool root = geteuid() == 0;

	if (cfg->uid_lines == 0)
		cfg->uid_map[cfg->uid_lines++] = (struct id_map){
			0, root ? 100000 : geteuid(), root ? 65536 : 1 };
	if (cfg->gid_lines == 0)
		cfg->gid_map[cfg->gid_lines++] = (struct id_map){
			0, root ? 100000 : getegid(), root ? 65536 : 1 };
	cfg->use_helpers = !root &&
		(!only_own_id(cfg->uid_map, cfg->uid_lines, geteuid()) ||
		 !only_own_id(cfg->gid_map, cfg->gid_lines, getegid()));
	if (cfg->use_helpers && (rootfs_find_command("/", "newuidmap",
						      getenv("PATH")) == -1 ||
				 rootfs_find_command("/", "newgidmap",
						     getenv("PATH")) == -1))
		die(0, "install newuidmap and newgidmap (Debian/Ubuntu: "
		    "sudo apt-get install uidmap), or map only your own ID",
		    "--uid-map/--gid-map: an unprivileged user can map only "
		    "its own ID without newuidmap/newgidmap");
}

/* Read the options; refuse bad input now, before anything is created. */
static void parse_args(int argc, char **argv, struct config *cfg)
{
	static const struct option options[] = {
		{ "hostname", required_argument, NULL, 'n' },
		{ "init", no_argument, NULL, OPT_INIT },
		{ "rootfs", required_argument, NULL, 'r' },
		{ "uid-map", required_argument, NULL, OPT_UID_MAP },
		{ "gid-map", required_argument, NULL, OPT_GID_MAP },
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
	while ((opt = getopt_long(argc, argv, "+:n:r:vh", options, NULL)) != -1) {
		switch (opt) {
		case 'n':
			cfg->hostname = optarg;
			break;
		case OPT_INIT:
			cfg->init = true;
			break;
		case 'r':
			cfg->rootfs = optarg;
			break;
		case OPT_UID_MAP:
			add_id_map("--uid-map", optarg, cfg->uid_map,
				   &cfg->uid_lines);
			break;
		case OPT_GID_MAP:
			add_id_map("--gid-map", optarg, cfg->gid_map,
				   &cfg->gid_lines);
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
	check_rootfs(cfg);
	choose_id_maps(cfg);
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
		"SIGUSR1, SIGUSR2 to %d", pid);
}

/*
 * --init: a tiny init as PID 1, as tini and `docker run --init` are. The
 * kernel gives PID 1 two jobs (pid_namespaces(7)): orphans are reparented
 * to it, so it must reap them or they stay zombies; and it receives only
 * the signals it has a handler for, so a COMMAND that is PID 1 ignores
 * SIGTERM and Ctrl-C. Here COMMAND runs as our child; we forward signals
 * to it, reap every child, and leave with COMMAND's status.
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

/* The host's device nodes a container gets, bind-mounted (see mount_dev). */
static const char *const dev_nodes[] = { "null",   "zero",    "full",
					 "random", "urandom", "tty" };

/* Paths of /proc a container may read but not write, as runc's defaults. */
static const char *const proc_readonly[] = { "proc/bus", "proc/fs", "proc/irq",
					     "proc/sys", "proc/sysrq-trigger" };

/* ...and paths it should not see at all: kernel memory, keyrings, timers. */
static const char *const masked[] = {
	"proc/acpi",	      "proc/asound",	  "proc/kcore",
	"proc/keys",	      "proc/latency_stats", "proc/timer_list",
	"proc/sched_debug",   "proc/scsi",	  "sys/firmware",
};

#define N(array) (sizeof(array) / sizeof((array)[0]))

/*
 * A fresh procfs for our PID namespace: it shows only our processes.
 * Then make parts of it read-only (bind it onto itself, remount read-only)
 * and hide others (/dev/null over a file, an empty read-only tmpfs over a
 * directory). Paths this kernel does not have (ENOENT) are skipped; any
 * other error stops the setup, or a path would stay open unprotected.
 */
static void mount_proc(void)
{
	size_t i;

	must(mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		   NULL), "mount(proc)");
	for (i = 0; i < N(proc_readonly); i++) {
		if (access(proc_readonly[i], F_OK) == -1) {
			if (errno == ENOENT)
				continue;
			die(errno, NULL, "access(%s)", proc_readonly[i]);
		}
		must(mount(proc_readonly[i], proc_readonly[i], NULL,
			   MS_BIND | MS_REC, NULL), "mount(%s, MS_BIND)",
		     proc_readonly[i]);
		must(mount(NULL, proc_readonly[i], NULL,
			   MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID |
				   MS_NODEV | MS_NOEXEC, NULL),
		     "mount(%s, MS_REMOUNT|MS_RDONLY)", proc_readonly[i]);
	}
}

/* Hide the masked paths of /proc and /sys (after both are mounted). */
static void mask_paths(void)
{
	struct stat st;
	size_t i;

	for (i = 0; i < N(masked); i++) {
		if (stat(masked[i], &st) == -1) {
			if (errno == ENOENT)
				continue;
			die(errno, NULL, "stat(%s)", masked[i]);
		}
		if (S_ISDIR(st.st_mode))
			must(mount("tmpfs", masked[i], "tmpfs", MS_RDONLY, NULL),
			     "mount(tmpfs on %s)", masked[i]);
		else
			must(mount("/dev/null", masked[i], NULL, MS_BIND, NULL),
			     "mount(/dev/null on %s)", masked[i]);
	}
}

/*
 * /dev: a small tmpfs holding the few device nodes a program expects,
 * bind-mounted from the host's /dev. (From step 4 on we could not mknod
 * them: a user namespace may not create device nodes.) Plus the usual
 * symbolic links, a private devpts for terminals, and /dev/shm.
 */
static void mount_dev(void)
{
	char host[64], path[64];
	size_t i;
	int fd;

	must(mount("tmpfs", "dev", "tmpfs", MS_NOSUID | MS_NOEXEC,
		   "mode=755,size=64k"), "mount(tmpfs on dev)");
	for (i = 0; i < N(dev_nodes); i++) {
		snprintf(host, sizeof(host), "/dev/%s", dev_nodes[i]);
		snprintf(path, sizeof(path), "dev/%s", dev_nodes[i]);
		/* A bind mount needs something to mount on: an empty file. */
		fd = must(open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0666),
			  "open(%s, O_CREAT)", path);
		close(fd);
		must(mount(host, path, NULL, MS_BIND, NULL),
		     "mount(%s on %s, MS_BIND)", host, path);
	}
	must(symlink("/proc/self/fd", "dev/fd"), "symlink(dev/fd)");
	must(symlink("/proc/self/fd/0", "dev/stdin"), "symlink(dev/stdin)");
	must(symlink("/proc/self/fd/1", "dev/stdout"), "symlink(dev/stdout)");
	must(symlink("/proc/self/fd/2", "dev/stderr"), "symlink(dev/stderr)");
	must(symlink("pts/ptmx", "dev/ptmx"), "symlink(dev/ptmx)");
	must(mkdir("dev/pts", 0755), "mkdir(dev/pts)");
	must(mount("devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		   "newinstance,ptmxmode=0666,mode=0620"), "mount(devpts)");
	must(mkdir("dev/shm", 01777), "mkdir(dev/shm)");
	must(mount("shm", "dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		   "mode=1777"), "mount(tmpfs on dev/shm)");
}

/*
 * /sys: sysfs shows the network devices of the network namespace that
 * mounts it, so a user namespace may mount it only if it owns the network
 * namespace too; that comes in step 5. Until then, bind the host's /sys,
 * read-only. A remount inside a user namespace must keep the flags the
 * host set (nosuid, nodev, noexec, atime): they are locked, and changing
 * one fails with EPERM (mount_namespaces(7)). mount_flags_of() reads them.
 */
static void bind_sys(void)
{
	unsigned long flags;

	must(mount("/sys", "sys", NULL, MS_BIND | MS_REC, NULL),
	     "mount(/sys on sys, MS_BIND|MS_REC)");
	must(mount_flags_of("sys", &flags), "statvfs(sys)");
	must(mount(NULL, "sys", NULL, flags | MS_BIND | MS_REMOUNT | MS_RDONLY,
		   NULL), "mount(sys, MS_REMOUNT|MS_RDONLY)");
}

/*
 * Make rootfs our "/", with fresh /proc, /dev, /sys and /tmp, and leave
 * the host's file tree behind. The order matters; each step says why.
 */
static void setup_rootfs(const char *rootfs)
{
	unsigned long flags;

	/*
	 * The new mount namespace starts as a copy of the host's, and on a
	 * systemd machine "/" is a shared mount: our mounts would propagate
	 * back to the host, and pivot_root(2) refuses (EINVAL) a shared
	 * parent. So first make every mount private (mount_namespaces(7)).
	 */
	must(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL),
	     "mount(/, MS_REC|MS_PRIVATE)");

	/*
	 * pivot_root needs new_root to be a mount point: bind it on itself.
	 * We are root inside, but to the host's files we are the outside uid
	 * of the map, which must be able to reach the rootfs.
	 */
	if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) == -1)
		die(errno, errno == EACCES ? "the container's root is the "
		    "first outside ID of --uid-map on the host: every directory "
		    "above the rootfs must let it in (check: namei -l ROOTFS)"
		    : NULL, "mount(%s, MS_BIND)", rootfs);
	narrate("mount(%s, MS_BIND) = 0", rootfs);
	/*
	 * The rootfs is often someone else's image: set-user-ID programs and
	 * device nodes in it must not work (nosuid, nodev). A remount sets
	 * the flags of the bind mount; it keeps those it has, which inside a
	 * user namespace (step 4) it may not drop (mount_flags_of). It acts on
	 * this mount only: one below the rootfs (MS_REC) keeps its own flags.
	 */
	must(mount_flags_of(rootfs, &flags), "statvfs(%s)", rootfs);
	must(mount(NULL, rootfs, NULL, flags | MS_BIND | MS_REMOUNT | MS_NOSUID |
		   MS_NODEV, NULL), "mount(%s, MS_REMOUNT|MS_NOSUID|MS_NODEV)",
	     rootfs);
	must(chdir(rootfs), "chdir(%s)", rootfs);

	/*
	 * Mount /proc while the host's /proc is still in our tree: from step
	 * 4 on, inside a user namespace, the kernel lets us mount procfs only
	 * if a fully visible one is there (mount_too_revealing() in the
	 * kernel's fs/namespace.c).
	 */
	mount_proc();
	mount_dev();
	bind_sys();
	mask_paths();
	must(mount("tmpfs", "tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777"),
	     "mount(tmpfs on tmp)");

	/*
	 * pivot_root(".", ".") (see pivot_root(2), NOTES): the rootfs
	 * becomes "/", and the old root is stacked on top of it, where
	 * umount2 detaches it. No put_old directory is needed in the rootfs.
	 * MNT_DETACH, because the host's tree is busy: we cannot wait for it.
	 */
	if (sys_pivot_root(".", ".") == -1)
		die(errno, errno == EINVAL ? "is / a shared mount? (findmnt -o "
		    "TARGET,PROPAGATION /)" : NULL, "pivot_root(%s)", rootfs);
	narrate("pivot_root(., .) = 0");
	must(umount2(".", MNT_DETACH), "umount2(old root, MNT_DETACH)");
	must(chdir("/"), "chdir(/)");
}

/* Run a map helper (newuidmap PID IN OUT COUNT...) and wait for it. */
static void run_map_helper(const char *helper, pid_t pid,
			   const struct id_map *map, int lines)
{
	char args[ID_MAP_MAX_LINES * 3 + 2][16];
	char *argv[ID_MAP_MAX_LINES * 3 + 4];
	int i, n = 0, status;
	pid_t child;

	argv[n++] = (char *)helper;
	snprintf(args[0], sizeof(args[0]), "%d", pid);
	argv[n++] = args[0];
	for (i = 0; i < lines; i++) {
		snprintf(args[3 * i + 1], 16, "%u", map[i].inside);
		snprintf(args[3 * i + 2], 16, "%u", map[i].outside);
		snprintf(args[3 * i + 3], 16, "%u", map[i].count);
		argv[n++] = args[3 * i + 1];
		argv[n++] = args[3 * i + 2];
		argv[n++] = args[3 * i + 3];
	}
	argv[n] = NULL;
	fflush(NULL);
	child = must(fork(), "fork()");
	if (child == 0) {
		execvp(helper, argv);
		report(errno, NULL, "execvp(%s)", helper);
		_exit(127);
	}
	must(wait_for(child, &status), "waitpid(%s)", helper);
	if (exit_code_of(status) != 0)
		die(0, "/etc/subuid and /etc/subgid must give you these ranges "
		    "(see subuid(5)), e.g. a line YOURNAME:100000:65536",
		    "%s %d ...: exit status %d", helper, pid,
		    exit_code_of(status));
	narrate("%s %d ... = 0", helper, pid);
}

/* Write one map file of the child, as a single write(2). */
static void write_map(pid_t pid, const char *file, const struct id_map *map,
		      int lines)
{
	char path[64], text[4096], shown[4096], *p;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	if (format_id_maps(map, lines, text, sizeof(text)) == -1)
		die(errno, NULL, "%s: the map is longer than the kernel takes",
		    file);
	/* For messages, the lines on one line: "0 1000 1, 1 100000 65536". */
	snprintf(shown, sizeof(shown), "%s", text);
	for (p = shown; (p = strchr(p, '\n')) != NULL; p++)
		*p = p[1] != '\0' ? ',' : '\0';
	if (write_file(path, text) == -1)
		die(errno, errno == EPERM ? "the outside IDs must exist where "
		    "the runtime runs (see /proc/self/uid_map) and, unless you "
		    "are root, be your own ID" : NULL, "write %s '%s'", path,
		    shown);
	narrate("write %s '%s' = 0", path, shown);
}

/*
 * The parent's side of the handshake (user_namespaces(7)): the child was
 * born in the new user namespace as "nobody" (uid 65534: unmapped), with
 * every capability there, and waits until we map its IDs. The rules:
 * each map is written once, whole, by a process with the right to the
 * outside IDs; and an unprivileged writer must first write "deny" to
 * setgroups, or a gid_map would let it drop groups it was denied files
 * by (CVE-2014-8989).
 */
static void write_id_maps(pid_t pid, struct config *cfg)
{
	char path[64];

	if (cfg->use_helpers) {
		run_map_helper("newuidmap", pid, cfg->uid_map, cfg->uid_lines);
		run_map_helper("newgidmap", pid, cfg->gid_map, cfg->gid_lines);
		return;
	}
	write_map(pid, "uid_map", cfg->uid_map, cfg->uid_lines);
	if (geteuid() != 0) {
		snprintf(path, sizeof(path), "/proc/%d/setgroups", pid);
		must(write_file(path, "deny"), "write %s 'deny'", path);
	}
	write_map(pid, "gid_map", cfg->gid_map, cfg->gid_lines);
}

/*
 * In the child, once the maps are written: become root of the namespace.
 * Our IDs did not change when the maps appeared: a root caller's uid 0
 * is not in the map (so it shows as 65534); switch to 0, which the map
 * makes the first outside ID. Drop supplementary groups where allowed.
 */
static void become_root(void)
{
	must(setresgid(0, 0, 0), "setresgid(0, 0, 0)");
	if (setgroups(0, NULL) == -1 && errno != EPERM)
		die(errno, NULL, "setgroups(0)");
	must(setresuid(0, 0, 0), "setresuid(0, 0, 0)");
	/*
	 * Changing credentials clears the parent-death signal (prctl(2)):
	 * set it again, then make sure the parent did not die in between.
	 */
	must(prctl(PR_SET_PDEATHSIG, SIGKILL), "prctl(PR_SET_PDEATHSIG)");
	if (!sync_parent_alive(&sync_pipe))
		_exit(EXIT_SETUP_FAILED);
}

/* The child: it starts in the new namespaces and becomes COMMAND. */
static int child_main(void *arg)
{
	struct config *cfg = arg;
	int err;

	set_role("child");

	/*
	 * Die with the runtime: if it is SIGKILLed, the kernel sends us
	 * SIGKILL, and when PID 1 dies the kernel kills every process of the
	 * namespace. The runtime might have died before this prctl(2): then
	 * the wait below sees the pipe closed, and we leave.
	 */
	must(prctl(PR_SET_PDEATHSIG, SIGKILL), "prctl(PR_SET_PDEATHSIG)");
	if (sync_wait(&sync_pipe) == -1) {
		/* ECANCELED: the runtime failed (and said why) or died. */
		if (errno != ECANCELED)
			report(errno, NULL, "read(sync pipe)");
		_exit(EXIT_SETUP_FAILED);
	}
	handle_signals(SIG_DFL);
	become_root();

	/* Our own UTS namespace: the host's hostname does not change. */
	if (sethostname(cfg->hostname, strlen(cfg->hostname)) == -1) {
		err = errno; /* before userns_hint(), which reads files */
		die(err, err == EPERM ? userns_hint("/proc/sys") : NULL,
		    "sethostname(%s)", cfg->hostname);
	}
	narrate("sethostname(%s) = 0", cfg->hostname);

	/* Our own mount namespace: mounts made here stay here. */
	setup_rootfs(cfg->rootfs);

	if (cfg->init)
		_exit(run_init(cfg->command));
	exec_command(cfg->command);
}

int main(int argc, char **argv)
{
	struct config cfg = { .hostname = "container", .rootfs = "./rootfs" };
	/*
	 * CLONE_NEWUSER in the same call as the others: the kernel creates
	 * the user namespace first and makes it the owner of the others, so
	 * root inside has power over them (and only them).
	 */
	int flags = CLONE_NEWUSER | CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWNS;
	/*
	 * clone(2) runs the child on a stack we hand it. Without CLONE_VM the
	 * child gets its own copy of our memory, so a buffer on our own stack
	 * will do (and keeps AddressSanitizer, which watches stacks, happy).
	 */
	char child_stack[STACK_SIZE] __attribute__((aligned(16)));
	char names[128];
	int status, err;
	pid_t pid;

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
	if (pid == -1) {
		err = errno; /* before userns_hint(), which reads files */
		die(err, userns_hint("/proc/sys"), "clone(%s)", names);
	}
	narrate("clone(%s|SIGCHLD) = %d", names, pid);
	/*
	 * What we do to the child from here fails too if it died of its own
	 * set-up error, which it reported: then we leave without a second
	 * report (common/error.h).
	 */
	watch_child(pid);

	/*
	 * From here a Ctrl-C or a `kill` of the runtime goes to the container.
	 * Then let the child go on.
	 */
	forward_signals_to(pid);
	write_id_maps(pid, &cfg);
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
