#define _GNU_SOURCE
/*
 * step06-cgroup: adds a cgroup namespace, and limits through cgroups.
 * New here: a cgroup per container (v2 or v1) with memory, pids and cpu
 * limits; clone3(2) with CLONE_INTO_CGROUP; CLONE_NEWCGROUP after the
 * child is in its cgroup; a read-only cgroup2 at /sys/fs/cgroup; cleanup.
 * Read: cgroups(7), cgroup_namespaces(7), clone(2) (clone3), the kernel's
 * Documentation/admin-guide/cgroup-v2.rst.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>

#include "common/cgroupfs.h"
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
	const char *ip_arg;	/* --ip ADDR/PREFIX, as given */
	bool no_net;		/* --no-net: loopback only */
	bool veth;		/* cable the container to the bridge */
	struct in_addr ip;	/* the container's address on the bridge */
	int claim;		/* the socket that holds ip (claim_address) */
	unsigned long long memory; /* --memory in bytes; 0: no limit */
	unsigned long pids;	/* --pids; 0: no limit */
	unsigned long millicpus; /* --cpus in thousandths of a CPU; 0: none */
	char **command;		/* COMMAND and its arguments, NULL-terminated */
};

/* Options with no short form. */
enum { OPT_INIT = 256, OPT_UID_MAP, OPT_GID_MAP, OPT_IP, OPT_NO_NET,
       OPT_MEMORY, OPT_PIDS, OPT_CPUS };

/*
 * The bridge every container's veth is plugged into, as Docker's docker0
 * or Podman's podman0, and its subnet, with the gateway on the bridge.
 * Change them here if 10.99.0.0/24 is already in use where you are.
 */
#define BRIDGE "mini0"
#define SUBNET "10.99.0.0"
#define PREFIX 24
#define GATEWAY "10.99.0.1"

/*
 * The container's cgroup: one directory in the cgroup2 tree, or one per
 * v1 controller tree, each below a parent cgroup named after the project.
 */
#define CGROUP_PARENT "mini-container"
#define MEMORY_MIN (6 << 20) /* below this not even a shell starts (Docker's minimum too) */
#define CPU_PERIOD 100000    /* microseconds: a --cpus share is of each 100 ms */
#define MAX_HIERARCHIES 3

static struct {
	bool v2;		/* the cgroup2 tree, or v1 trees */
	int count;		/* directories in dirs[]; 0: no cgroup of our own */
	char parents[MAX_HIERARCHIES][PATH_MAX + 64]; /* mini-container in each tree */
	char dirs[MAX_HIERARCHIES][PATH_MAX + 128];   /* the container's cgroups */
	char name[32];		/* their name, ctr-PID-RANDOM, in every tree */
	int fd;			/* dirs[0], locked: see cgroup_create_locked */
	bool delegated;		/* unprivileged, in a cgroup delegated to us */
} cgroup = { .fd = -1 };

static char *default_command[] = { "/bin/sh", NULL };


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
	       "      --ip ADDR/PREFIX  address on the bridge " BRIDGE " (default: a\n"
	       "                        free one in " SUBNET "/24; needs root)\n"
	       "      --no-net          a network namespace with loopback only\n"
	       "      --memory SIZE     memory limit, in bytes or with K, M, G\n"
	       "      --pids N          at most N processes\n"
	       "      --cpus X          at most X CPUs' time (e.g. 0.5 or 2)\n"
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

/* A dotted quad constant as a struct in_addr. */
static struct in_addr ipv4(const char *quad)
{
	struct in_addr a;

	inet_pton(AF_INET, quad, &a);
	return a;
}

/*
 * Hold an address for as long as we run, leaving nothing to clean up if
 * we die: bind a Unix socket in the abstract namespace (unix(7)) named
 * after it. The kernel frees the name when the socket closes, however the
 * runtime ends, and a second runtime binding it gets EADDRINUSE. Abstract
 * names belong to the network namespace, like the bridge. (ss -xl lists
 * them.) Returns the socket, or -1 with errno.
 */
static int claim_address(struct in_addr ip)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, len;

	/* sun_path[0] stays '\0': that makes the name abstract. */
	len = snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1,
		       "mini-container/ip/%s", inet_ntoa(ip));
	fd = must(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0),
		  "socket(AF_UNIX)");
	if (bind(fd, (struct sockaddr *)&sa,
		 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len)) == -1) {
		close(fd);
		return -1;
	}
	narrate("bind(@%s) = 0", sa.sun_path + 1);
	return fd;
}

/*
 * The network, decided before anything is created: a veth to the bridge
 * when we are root, loopback only with --no-net or when we are not (the
 * host's end of a veth needs CAP_NET_ADMIN in the host's network
 * namespace). The address is checked against the bridge's subnet, then
 * claimed; without --ip, the first free one is taken.
 */
static void choose_network(struct config *cfg)
{
	uint32_t subnet = ntohl(ipv4(SUBNET).s_addr), host, a;
	int prefix;

	if (cfg->no_net) {
		if (cfg->ip_arg != NULL)
			die(0, NULL, "--ip and --no-net exclude each other");
		return;
	}
	if (geteuid() != 0) {
		if (cfg->ip_arg != NULL)
			die(0, "rootless engines reach the network through "
			    "slirp4netns or pasta", "--ip: a veth on the host "
			    "needs root");
		notice("network: loopback only (a veth on the host needs root; "
		       "rootless engines use slirp4netns or pasta)");
		return;
	}
	cfg->veth = true;
	if (cfg->ip_arg == NULL) {
		/* .1 is the gateway, .255 the broadcast address. */
		for (host = 2; host < 255; host++) {
			cfg->ip.s_addr = htonl(subnet + host);
			cfg->claim = claim_address(cfg->ip);
			if (cfg->claim != -1)
				return;
		}
		die(0, NULL, "no free address left in %s/%d", SUBNET, PREFIX);
	}
	if (parse_ipv4_cidr(cfg->ip_arg, &cfg->ip, &prefix) == -1)
		die(0, NULL, "--ip '%s': expected ADDR/PREFIX, e.g. 10.99.0.5/24",
		    cfg->ip_arg);
	a = ntohl(cfg->ip.s_addr);
	if (prefix != PREFIX || (a & ~0xffu) != subnet)
		die(0, NULL, "--ip '%s': not in the bridge's subnet %s/%d",
		    cfg->ip_arg, SUBNET, PREFIX);
	if ((a & 0xff) == 0 || (a & 0xff) == 255)
		die(0, NULL, "--ip '%s': the %s address of the subnet",
		    cfg->ip_arg, (a & 0xff) == 0 ? "network" : "broadcast");
	if (cfg->ip.s_addr == ipv4(GATEWAY).s_addr)
		die(0, NULL, "--ip '%s': the gateway's address (the bridge)",
		    cfg->ip_arg);
	cfg->claim = claim_address(cfg->ip);
	if (cfg->claim == -1)
		die(errno, NULL, "--ip '%s': in use by another container",
		    cfg->ip_arg);
}

static bool wants_limits(const struct config *cfg)
{
	return cfg->memory || cfg->pids || cfg->millicpus;
}

/*
 * Which cgroup tree, decided before anything is created. Detect, never
 * assume: cgroup v2 if the cgroup2 tree has the memory and pids
 * controllers; else the v1 trees (a hybrid machine's cgroup2 mount has no
 * controllers). As root we make cgroups at the top of the tree. Anyone
 * else may only use a cgroup delegated to them, as
 * systemd-run --user -p Delegate=yes gives; without one, limits are
 * refused, and the container still gets its cgroup namespace.
 */
static void choose_cgroups(struct config *cfg)
{
	const char *systemd_run = "run it in a cgroup delegated to you: "
				  "systemd-run --user --scope -p Delegate=yes "
				  "./step06-cgroup/container ...";
	struct cgroup_mounts m;
	char own[PATH_MAX], dir[PATH_MAX], path[PATH_MAX + 32];

	must(find_cgroup_mounts("/proc/self/mountinfo", &m),
	     "read /proc/self/mountinfo");
	/* A file that cannot be read is an error, not a "no": must() says why. */
	cgroup.v2 = m.v2.dir[0] != '\0' &&
		    must(cgroup2_supported("/proc/filesystems"),
			 "read /proc/filesystems") &&
		    must(cgroup_has_controller(m.v2.dir, "memory"),
			 "read %s/cgroup.controllers", m.v2.dir) &&
		    must(cgroup_has_controller(m.v2.dir, "pids"),
			 "read %s/cgroup.controllers", m.v2.dir);
	if (!cgroup.v2 && (m.memory.dir[0] == '\0' || m.pids.dir[0] == '\0')) {
		if (wants_limits(cfg))
			die(0, m.v2.dir[0] == '\0' && m.memory.dir[0] == '\0' ?
			    "no cgroup tree is mounted here: `ip netns exec` "
			    "remounts /sys and hides them; enter a network "
			    "namespace with nsenter --net=/run/netns/NAME instead"
			    : "mount the memory and pids controllers (cgroups(7))",
			    "--memory/--pids/--cpus: no cgroup tree with the "
			    "memory and pids controllers");
		return;
	}
	if (cfg->millicpus &&
	    (cgroup.v2 ? !must(cgroup_has_controller(m.v2.dir, "cpu"),
			       "read %s/cgroup.controllers", m.v2.dir)
		       : m.cpu.dir[0] == '\0'))
		die(0, NULL, "--cpus: this machine has no cpu controller");

	/*
	 * Root may write at the top of each tree (a "root" inside a user
	 * namespace may not: the host's cgroupfs is not its own).
	 */
	if (access(cgroup.v2 ? m.v2.dir : m.memory.dir, W_OK) == 0) {
		/* The top of each tree: "mini-container/ctr-PID-RANDOM" below it. */
		snprintf(cgroup.parents[0], sizeof(cgroup.parents[0]), "%s/%s",
			 cgroup.v2 ? m.v2.dir : m.memory.dir, CGROUP_PARENT);
		cgroup.count = 1;
		if (!cgroup.v2) {
			snprintf(cgroup.parents[1], sizeof(cgroup.parents[0]), "%s/%s",
				 m.pids.dir, CGROUP_PARENT);
			cgroup.count = 2;
			if (m.cpu.dir[0] != '\0')
				snprintf(cgroup.parents[cgroup.count++],
					 sizeof(cgroup.parents[0]), "%s/%s", m.cpu.dir,
					 CGROUP_PARENT);
		}
		return;
	}
	if (!wants_limits(cfg))
		return;
	/*
	 * Unprivileged: our own cgroup must be a v2 cgroup delegated to us,
	 * that is, we may write its cgroup.procs and cgroup.subtree_control.
	 * Only EACCES says the tree is not ours; EROFS and others are errors.
	 */
	if (errno != EACCES || !cgroup.v2)
		die(errno, errno == EACCES ? "cgroup v1 cannot be delegated to "
		    "a user: run it as root" : NULL,
		    "--memory/--pids/--cpus: access(%s, W_OK)",
		    cgroup.v2 ? m.v2.dir : m.memory.dir);
	if (own_cgroup("/proc/self/cgroup", NULL, own, sizeof(own)) == -1 ||
	    cgroup_dir(&m.v2, own, dir, sizeof(dir)) == -1)
		die(errno, NULL, "/proc/self/cgroup: no cgroup v2 line");
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", dir);
	if (access(path, W_OK) == -1)
		die(0, systemd_run, "--memory/--pids/--cpus: cgroup %s is not "
		    "delegated to you", own);
	snprintf(cgroup.parents[0], sizeof(cgroup.parents[0]), "%s/%s", dir, CGROUP_PARENT);
	cgroup.count = 1;
	cgroup.delegated = true;
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
		{ "ip", required_argument, NULL, OPT_IP },
		{ "no-net", no_argument, NULL, OPT_NO_NET },
		{ "memory", required_argument, NULL, OPT_MEMORY },
		{ "pids", required_argument, NULL, OPT_PIDS },
		{ "cpus", required_argument, NULL, OPT_CPUS },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
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
		case OPT_IP:
			cfg->ip_arg = optarg;
			break;
		case OPT_NO_NET:
			cfg->no_net = true;
			break;
		case OPT_MEMORY:
			if (parse_size(optarg, &cfg->memory) == -1)
				die(0, NULL, "--memory '%s': %s", optarg,
				    errno == ERANGE ? "too large"
						    : "expected a size such as 64M "
						      "(suffixes K, M, G)");
			if (cfg->memory < MEMORY_MIN)
				die(0, NULL, "--memory '%s': at least 6M: less "
				    "cannot even start a shell", optarg);
			break;
		case OPT_PIDS:
			/* PID_MAX_LIMIT: no machine has more PIDs than this. */
			if (parse_count(optarg, 4194304, &cfg->pids) == -1)
				die(0, NULL, "--pids '%s': %s", optarg,
				    errno == ERANGE ? "must be 1 to 4194304"
						    : "expected a whole number");
			break;
		case OPT_CPUS:
			if (parse_cpus(optarg, &cfg->millicpus) == -1 &&
			    errno == EINVAL)
				die(0, NULL, "--cpus '%s': expected a number such "
				    "as 0.5 or 2", optarg);
			/* The kernel's smallest quota is 1 ms per period: 0.01. */
			if (cfg->millicpus < 10 ||
			    cfg->millicpus > 1000 * (unsigned long)ncpus)
				die(0, NULL, "--cpus '%s': must be from 0.01 to %ld "
				    "(the CPUs this machine has)", optarg, ncpus);
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
	choose_cgroups(cfg);
	choose_network(cfg);
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
	/*
	 * Our user namespace owns our network namespace now, so we may mount
	 * a sysfs of our own, and its /sys/class/net shows our interfaces.
	 */
	must(mount("sysfs", "sys", "sysfs",
		   MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL),
	     "mount(sysfs, MS_RDONLY)");
	/*
	 * On cgroup v2, the cgroup tree as our cgroup namespace sees it: our
	 * own cgroup is its root. Read-only, as runc mounts it: a writable
	 * cgroupfs let root in a container set release_agent in a v1 tree it
	 * had mounted, and so run a program on the host (CVE-2022-0492).
	 */
	if (cgroup.v2)
		must(mount("cgroup2", "sys/fs/cgroup", "cgroup2",
			   MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL),
		     "mount(cgroup2 on sys/fs/cgroup, MS_RDONLY)");
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

/*
 * Netlink (rtnetlink(7)) is how `ip` talks to the kernel about links,
 * addresses and routes; libnl-route-3 builds and parses its messages.
 * Each call below says which `ip` command it is. libnl returns 0 or a
 * negative NLE_ code, which nl_geterror() spells.
 */
static void nl_must(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void nl_must(int err, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (err < 0)
		die(0, NULL, "netlink: %s: %s", what, nl_geterror(err));
	narrate("netlink: %s = 0", what);
}

static struct nl_sock *netlink_open(void)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (sk == NULL)
		die(ENOMEM, NULL, "nl_socket_alloc()");
	nl_must(nl_connect(sk, NETLINK_ROUTE), "connect(NETLINK_ROUTE)");
	return sk;
}

/*
 * The interface index of link name (ip link show NAME). A failure stops
 * here: going on with no index would leave the unread answer in the
 * socket, for libnl to take as the answer to the next request.
 */
static int link_index(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *link;
	int index;

	nl_must(rtnl_link_get_kernel(sk, 0, name, &link), "ip link show %s",
		name);
	index = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return index;
}

/* ip link set NAME up */
static void link_up(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *link, *change;

	nl_must(rtnl_link_get_kernel(sk, 0, name, &link), "ip link show %s",
		name);
	change = rtnl_link_alloc();
	rtnl_link_set_flags(change, IFF_UP);
	nl_must(rtnl_link_change(sk, link, change, 0), "ip link set %s up",
		name);
	rtnl_link_put(change);
	rtnl_link_put(link);
}

/* ip addr add ADDR/PREFIX dev (link index): 0 or a negative NLE_ code. */
static int add_address(struct nl_sock *sk, int index, struct in_addr ip)
{
	struct rtnl_addr *addr = rtnl_addr_alloc();
	struct nl_addr *local = nl_addr_build(AF_INET, &ip, sizeof(ip));
	int err;

	nl_addr_set_prefixlen(local, PREFIX);
	rtnl_addr_set_ifindex(addr, index);
	rtnl_addr_set_local(addr, local);
	err = rtnl_addr_add(sk, addr, 0);
	nl_addr_put(local);
	rtnl_addr_put(addr);
	return err;
}

/*
 * The host's side, in the parent: the bridge (made by the first runtime,
 * then shared), and a veth pair, a virtual cable whose two ends are
 * network interfaces. One end is created right inside the child's network
 * namespace as eth0 (there, the name cannot clash with the host's eth0);
 * the other stays here, plugged into the bridge.
 */
static void connect_to_bridge(pid_t pid)
{
	struct nl_sock *sk = netlink_open();
	struct rtnl_link *bridge, *veth, *peer;
	int err, bridge_index;

	/* ip link add mini0 type bridge; EEXIST: another runtime made it. */
	bridge = rtnl_link_alloc();
	rtnl_link_set_name(bridge, BRIDGE);
	rtnl_link_set_type(bridge, "bridge");
	err = rtnl_link_add(sk, bridge, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(bridge);
	nl_must(err == -NLE_EXIST ? 0 : err, "ip link add %s type bridge",
		BRIDGE);
	bridge_index = link_index(sk, BRIDGE);

	/* ip addr add 10.99.0.1/24 dev mini0: the containers' gateway. */
	err = add_address(sk, bridge_index, ipv4(GATEWAY));
	nl_must(err == -NLE_EXIST ? 0 : err, "ip addr add %s/%d dev %s",
		GATEWAY, PREFIX, BRIDGE);
	link_up(sk, BRIDGE);

	/*
	 * ip link add veth%d master mini0 up type veth peer name eth0 netns
	 * PID: both ends in one message. The kernel deletes the pair when the
	 * child's namespace goes away, so we never delete it ourselves (that
	 * would block us for tens of milliseconds). The host's end is named
	 * by the kernel: "%d" becomes the first free number (dev_alloc_name()
	 * in net/core/dev.c). A name of our own, such as vethPID, could clash:
	 * a PID is only unique in its PID namespace, and a veth outlives its
	 * container for a moment.
	 */
	veth = rtnl_link_veth_alloc();
	rtnl_link_set_name(veth, "veth%d");
	rtnl_link_set_master(veth, bridge_index);
	rtnl_link_set_flags(veth, IFF_UP);
	peer = rtnl_link_veth_get_peer(veth);
	rtnl_link_set_name(peer, "eth0");
	rtnl_link_set_ns_pid(peer, pid);
	nl_must(rtnl_link_add(sk, veth, NLM_F_CREATE | NLM_F_EXCL),
		"ip link add veth%%d master %s up type veth peer name eth0 "
		"netns %d", BRIDGE, pid);
	rtnl_link_put(peer);
	rtnl_link_veth_release(veth);
	nl_socket_free(sk);
}

/*
 * The child's side, in its own network namespace: a new namespace has
 * only a loopback interface, and it is down. Bring it up; with a veth,
 * give eth0 our address and route everything else through the bridge.
 */
static void configure_network(struct config *cfg)
{
	struct nl_sock *sk = netlink_open();
	struct rtnl_route *route;
	struct rtnl_nexthop *hop;
	struct nl_addr *dst, *gateway;
	struct in_addr gw = ipv4(GATEWAY);
	int eth0;

	link_up(sk, "lo");
	if (cfg->veth) {
		eth0 = link_index(sk, "eth0");
		nl_must(add_address(sk, eth0, cfg->ip),
			"ip addr add %s/%d dev eth0", inet_ntoa(cfg->ip), PREFIX);
		link_up(sk, "eth0");

		/* ip route add default via 10.99.0.1 dev eth0 */
		route = rtnl_route_alloc();
		hop = rtnl_route_nh_alloc();
		nl_addr_parse("0.0.0.0/0", AF_INET, &dst);
		gateway = nl_addr_build(AF_INET, &gw, sizeof(gw));
		rtnl_route_set_family(route, AF_INET);
		rtnl_route_set_dst(route, dst);
		rtnl_route_nh_set_ifindex(hop, eth0);
		rtnl_route_nh_set_gateway(hop, gateway);
		rtnl_route_add_nexthop(route, hop); /* the route owns hop now */
		nl_must(rtnl_route_add(sk, route, NLM_F_CREATE),
			"ip route add default via %s dev eth0", GATEWAY);
		nl_addr_put(gateway);
		nl_addr_put(dst);
		rtnl_route_put(route);
	}
	nl_socket_free(sk);
}

/* Write text to the file name in cgroup directory dir. */
static int cgroup_write(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX + 192];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (write_file(path, text) == -1)
		return -1;
	narrate("write %s '%s' = 0", path, text);
	return 0;
}

/*
 * Kill everything in a cgroup, wait until it is empty, and remove it
 * (true), or say why not (false).
 * cgroup.kill (Linux 5.14) kills the whole cgroup at once; before it, we
 * SIGKILL each PID in cgroup.procs until none is left.
 */
static bool remove_cgroup(const char *dir)
{
	char path[PATH_MAX + 192], procs[4096], *line, *save;
	int i;

	for (i = 0; i < 500; i++) {
		if (rmdir(dir) == 0 || errno == ENOENT) {
			narrate("rmdir(%s) = 0", dir);
			return true;
		}
		if (errno != EBUSY)
			break;
		snprintf(path, sizeof(path), "%s/cgroup.kill", dir);
		if (write_file(path, "1") == -1) {
			snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
			if (read_file(path, procs, sizeof(procs)) > 0)
				for (line = strtok_r(procs, "\n", &save); line;
				     line = strtok_r(NULL, "\n", &save))
					kill(atoi(line), SIGKILL);
		}
		usleep(10000);
	}
	report(errno, NULL, "rmdir(%s)", dir);
	return false;
}

/*
 * Remove the container's cgroups, and the project's parent cgroup when no
 * other container uses it. Registered with atexit(3), so that it runs on
 * every way the runtime leaves: COMMAND's end, a setup failure, a signal
 * it forwarded. Only a SIGKILLed runtime cannot; the next run removes its
 * cgroups (cgroup_remove_stale).
 */
static void remove_cgroups(void)
{
	bool others_gone = true;
	int i;

	/*
	 * The first tree's cgroup last, and only when the others are gone:
	 * it is the one a later run's cgroup_remove_stale looks for.
	 */
	for (i = cgroup.count - 1; i >= 0; i--) {
		if (cgroup.dirs[i][0] != '\0' && (i > 0 || others_gone))
			others_gone = remove_cgroup(cgroup.dirs[i]) && others_gone;
		/*
		 * Fails while other containers use it, as it should. One that
		 * is starting may have no cgroup in it yet: it makes
		 * mini-container again (make_container_cgroup).
		 */
		if (!cgroup.delegated && rmdir(cgroup.parents[i]) == 0)
			narrate("rmdir(%s) = 0", cgroup.parents[i]);
	}
	if (cgroup.fd >= 0)
		close(cgroup.fd);
}

/*
 * mkdir -p mini-container/NAME in tree i; in the first tree, a new
 * "ctr-PID-RANDOM" that we hold locked (cgroup_create_locked), its name
 * then used in the others. The last container to end removes
 * mini-container (remove_cgroups), and may do so right between our two
 * mkdirs: then the second fails with ENOENT, and we make both again. Once
 * our cgroup exists, mini-container stays: rmdir(2) of a cgroup that has
 * children fails with EBUSY (cgroups(7)).
 */
static void make_container_cgroup(int i)
{
	char path[sizeof(cgroup.dirs[0])];
	int tries, ret;

	for (tries = 0; tries < 100; tries++) {
		if (mkdir(cgroup.parents[i], 0755) == -1 && errno != EEXIST)
			die(errno, NULL, "mkdir(%s)", cgroup.parents[i]);
		if (i == 0) {
			cgroup.fd = cgroup_create_locked(cgroup.parents[0],
							 cgroup.name,
							 sizeof(cgroup.name));
			ret = cgroup.fd;
		} else {
			snprintf(path, sizeof(path), "%s/%s", cgroup.parents[i],
				 cgroup.name);
			ret = mkdir(path, 0755);
		}
		if (ret != -1 || errno != ENOENT)
			break;
	}
	if (ret == -1)
		die(errno, NULL, "mkdir(%s/%s)", cgroup.parents[i],
		    i == 0 ? "ctr-PID-RANDOM" : cgroup.name);
	/* Ours now: remove_cgroups removes it at exit. */
	snprintf(cgroup.dirs[i], sizeof(cgroup.dirs[i]), "%s/%s",
		 cgroup.parents[i], cgroup.name);
}

/*
 * Make the container's cgroups and write its limits, before the child
 * exists, so that no process of the container ever runs unlimited.
 *
 * cgroup v2 has a rule v1 has not: a cgroup with processes cannot hand
 * controllers to its children ("no internal processes",
 * cgroup-v2.rst). As root we avoid it by working at the top of the tree,
 * which is exempt, in mini-container, which holds no process. In a
 * cgroup delegated to an unprivileged user, the runtime itself is in the
 * way: it first moves itself into a leaf of its own, runtime-PID-RANDOM.
 */
static void make_cgroups(const struct config *cfg)
{
	char top[PATH_MAX + 64], leaf[PATH_MAX + 128], text[64];
	const char *stale[MAX_HIERARCHIES] = { cgroup.parents[0],
					       cgroup.parents[1],
					       cgroup.parents[2] };
	int i, err;

	/*
	 * From here on, whatever happens, the cgroups are removed at exit,
	 * those of a setup that failed half-way too.
	 */
	atexit(remove_cgroups);
	for (i = 0; i < cgroup.count; i++) {
		/* mkdir -p mini-container/ctr-PID-RANDOM, then enable controllers. */
		make_container_cgroup(i);
		if (!cgroup.v2)
			continue;
		snprintf(top, sizeof(top), "%s", cgroup.parents[i]);
		*strrchr(top, '/') = '\0';
		if (cgroup.delegated) {
			snprintf(leaf, sizeof(leaf), "%s/runtime-%s",
				 cgroup.parents[i], cgroup.name + 4);
			if (mkdir(leaf, 0755) == -1 && errno != EEXIST)
				die(errno, NULL, "mkdir(%s)", leaf);
			snprintf(text, sizeof(text), "%d", getpid());
			if (cgroup_write(leaf, "cgroup.procs", text) == -1)
				die(errno, NULL, "move the runtime to %s", leaf);
		}
		/*
		 * echo +memory +pids +cpu > cgroup.subtree_control, above and in
		 * mini-container (one with children may still enable them).
		 */
		if (cgroup_write(top, "cgroup.subtree_control",
				 cfg->millicpus ? "+memory +pids +cpu"
						: "+memory +pids") == -1 ||
		    cgroup_write(cgroup.parents[i], "cgroup.subtree_control",
				 cfg->millicpus ? "+memory +pids +cpu"
						: "+memory +pids") == -1) {
			err = errno;
			die(err, err == EBUSY ? "a cgroup with processes cannot "
			    "give controllers to its children: run the runtime "
			    "alone in its cgroup (systemd-run --scope)" : NULL,
			    "enable controllers below %s", top);
		}
	}
	narrate("mkdir(%s) = 0", cgroup.dirs[0]);
	/*
	 * What SIGKILLed runtimes left, they could not remove: the empty
	 * cgroups that no runtime holds.
	 */
	cgroup_remove_stale(stale, cgroup.count);

	/* The limits: v2 has one file per knob; v1 its own names. */
	if (cgroup.v2) {
		if (cfg->memory) {
			snprintf(text, sizeof(text), "%llu", cfg->memory);
			if (cgroup_write(cgroup.dirs[0], "memory.max", text) == -1)
				die(errno, NULL, "set memory.max");
			/* No swap: the limit cannot be dodged by swapping out. */
			if (cgroup_write(cgroup.dirs[0], "memory.swap.max", "0") == -1 &&
			    errno != ENOENT)
				die(errno, NULL, "set memory.swap.max");
		}
		if (cfg->pids) {
			snprintf(text, sizeof(text), "%lu", cfg->pids);
			if (cgroup_write(cgroup.dirs[0], "pids.max", text) == -1)
				die(errno, NULL, "set pids.max");
		}
		if (cfg->millicpus) {
			snprintf(text, sizeof(text), "%lu %d",
				 cfg->millicpus * CPU_PERIOD / 1000, CPU_PERIOD);
			if (cgroup_write(cgroup.dirs[0], "cpu.max", text) == -1)
				die(errno, NULL, "set cpu.max");
		}
		return;
	}
	if (cfg->memory) {
		snprintf(text, sizeof(text), "%llu", cfg->memory);
		if (cgroup_write(cgroup.dirs[0], "memory.limit_in_bytes", text) == -1)
			die(errno, NULL, "set memory.limit_in_bytes");
		/* memory+swap, where swap accounting is on: again, no swap. */
		if (cgroup_write(cgroup.dirs[0], "memory.memsw.limit_in_bytes",
				 text) == -1 && errno != ENOENT)
			die(errno, NULL, "set memory.memsw.limit_in_bytes");
	}
	if (cfg->pids) {
		snprintf(text, sizeof(text), "%lu", cfg->pids);
		if (cgroup_write(cgroup.dirs[1], "pids.max", text) == -1)
			die(errno, NULL, "set pids.max");
	}
	if (cfg->millicpus) {
		snprintf(text, sizeof(text), "%d", CPU_PERIOD);
		if (cgroup_write(cgroup.dirs[2], "cpu.cfs_period_us", text) == -1)
			die(errno, NULL, "set cpu.cfs_period_us");
		snprintf(text, sizeof(text), "%lu", cfg->millicpus * CPU_PERIOD / 1000);
		if (cgroup_write(cgroup.dirs[2], "cpu.cfs_quota_us", text) == -1)
			die(errno, NULL, "set cpu.cfs_quota_us");
	}
}

/*
 * Without CLONE_INTO_CGROUP (cgroup v1, or a kernel before 5.7): move the
 * child into its cgroups while it waits on the pipe, before it runs a
 * single instruction of the container's own.
 */
static void place_in_cgroups(pid_t pid)
{
	char text[32];
	int i;

	snprintf(text, sizeof(text), "%d", pid);
	for (i = 0; i < cgroup.count; i++)
		if (cgroup_write(cgroup.dirs[i], "cgroup.procs", text) == -1)
			die(errno, NULL, "move %d into %s", pid, cgroup.dirs[i]);
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
static int child_main(struct config *cfg)
{
	int err;

	set_role("child");
	/*
	 * First close what is the host's and not ours to keep: the socket
	 * that claims our address (the runtime holds it for us), and the
	 * directory of our cgroup (the runtime's lock on it, and on cgroup v2
	 * the target of CLONE_INTO_CGROUP). An open directory of the host is
	 * a way out of any root we pivot into (CVE-2024-21626).
	 */
	if (cfg->claim >= 0)
		close(cfg->claim);
	cfg->claim = -1;
	if (cgroup.fd >= 0)
		close(cgroup.fd);
	cgroup.fd = -1;

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

	/* Our own network namespace: the parent has plugged in the cable. */
	configure_network(cfg);

	/*
	 * Our own cgroup namespace, only now that we are in our cgroup: the
	 * namespace's root is the cgroup we are in when we create it, so
	 * /proc/self/cgroup shows "/". Created by clone with the rest, its
	 * root would be the runtime's cgroup instead.
	 */
	must(unshare(CLONE_NEWCGROUP), "unshare(CLONE_NEWCGROUP)");

	/* Our own mount namespace: mounts made here stay here. */
	setup_rootfs(cfg->rootfs);

	if (cfg->init)
		_exit(run_init(cfg->command));
	exec_command(cfg->command);
}

int main(int argc, char **argv)
{
	struct config cfg = { .hostname = "container", .rootfs = "./rootfs",
			     .claim = -1 };
	/*
	 * CLONE_NEWUSER in the same call as the others: the kernel creates
	 * the user namespace first and makes it the owner of the others, so
	 * root inside has power over them (and only them).
	 */
	int flags = CLONE_NEWUSER | CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWNS |
		    CLONE_NEWNET;
	struct clone_args args = { .exit_signal = SIGCHLD };
	const char *call = "clone3";	/* or clone, where there is no clone3 */
	char names[128];
	int status, err;
	pid_t pid;

	parse_args(argc, argv, &cfg);
	clone_flag_names(flags, names, sizeof(names));
	if (cgroup.count > 0)
		make_cgroups(&cfg);
	must(sync_init(&sync_pipe), "pipe2()");

	/*
	 * Flush stdio before clone: the child gets a copy of our buffers and
	 * would print anything still in them a second time.
	 */
	fflush(NULL);

	/*
	 * clone3(2) (Linux 5.3) takes its arguments in a struct, and can do
	 * what clone(2) cannot: CLONE_INTO_CGROUP (Linux 5.7) starts the child
	 * right in its cgroup v2, so it never runs outside its limits. With no
	 * stack given, the child goes on from here, as after fork(2).
	 */
	args.flags = flags;
	if (cgroup.v2 && cgroup.fd >= 0) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = (unsigned)cgroup.fd;
	}
	pid = sys_clone3(&args);
	if (pid == -1 && (args.flags & CLONE_INTO_CGROUP) &&
	    (errno == E2BIG || errno == EINVAL)) {
		/* A kernel before 5.7: place the child by hand, below. */
		args.flags &= ~CLONE_INTO_CGROUP;
		pid = sys_clone3(&args);
	}
	if (pid == -1 && errno == ENOSYS) {
		/* No clone3 (before 5.3, or valgrind): clone(2) as fork(2). */
		call = "clone";
		args.flags &= ~CLONE_INTO_CGROUP;
		pid = sys_clone_fork(args.flags | SIGCHLD);
	}
	if (pid == 0)
		_exit(child_main(&cfg));
	if (pid == -1) {
		err = errno; /* before userns_hint(), which reads files */
		die(err, userns_hint("/proc/sys"), "%s(%s)", call, names);
	}
	narrate("%s(%s%s) = %d", call, names, args.flags & CLONE_INTO_CGROUP ?
		"|CLONE_INTO_CGROUP" : "", pid);
	/*
	 * What we do to the child from here fails too if it died of its own
	 * set-up error, which it reported: then we leave without a second
	 * report (common/error.h).
	 */
	watch_child(pid);
	if (cgroup.count > 0 && !(args.flags & CLONE_INTO_CGROUP))
		place_in_cgroups(pid);

	/*
	 * From here a Ctrl-C or a `kill` of the runtime goes to the container.
	 * Then let the child go on.
	 */
	forward_signals_to(pid);
	write_id_maps(pid, &cfg);
	if (cfg.veth)
		connect_to_bridge(pid);
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
