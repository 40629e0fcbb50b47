#define _GNU_SOURCE
/*
 * step10-secure: namespaces change what a process sees, not what it may
 * do. New here: Docker's fourteen capabilities (--cap-add, --cap-drop),
 * no_new_privs, a seccomp filter (--seccomp=unconfined), a terminal of its
 * own, a clean environment (--env). Read capabilities(7), seccomp(2).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <net/if.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>

#include "common/caps.h"
#include "common/cgroups.h"
#include "common/console.h"
#include "common/environ.h"
#include "common/error.h"
#include "common/file.h"
#include "common/hints.h"
#include "common/idmap.h"
#include "common/join.h"
#include "common/parse.h"
#include "common/mounts.h"
#include "common/names.h"
#include "common/netlink.h"
#include "common/options.h"
#include "common/network.h"
#include "common/process.h"
#include "common/rootfs.h"
#include "common/sync.h"
#include "common/syscalls.h"

/* What the command line asked for. */
struct config {
	const char *hostname; /* -n: the hostname inside */
	bool init;	      /* --init: a tiny init runs COMMAND */
	const char *rootfs;   /* -r: the root filesystem */
	struct id_maps maps;  /* --uid-map, --gid-map (common/idmap.h) */
	const char *ip_arg;   /* --ip ADDR/PREFIX, as given */
	bool no_net;	      /* --no-net: loopback only */
	bool veth;	      /* cable the container to the bridge */
	struct in_addr ip;    /* the container's address on the bridge */
	int claim;	      /* the socket that holds ip (claim_address) */
	unsigned long long memory; /* --memory in bytes; 0: no limit */
	unsigned long pids;	   /* --pids; 0: no limit */
	unsigned long millicpus;   /* --cpus in thousandths of a CPU; 0: none */
	long long monotonic; /* --monotonic: CLOCK_MONOTONIC offset, seconds */
	long long boottime;  /* --boottime: CLOCK_BOOTTIME offset, seconds */
	char **command;	     /* COMMAND and its arguments, NULL-terminated */
	const char *name;    /* --name: how the container can be found */
	const char *exec;    /* --exec: the running container to join */
	const char *pod;     /* --pod: the running container to share with */
	int name_sock;	     /* where we answer to --name (common/names.h) */
	struct cap_choice caps; /* --cap-add, --cap-drop (common/caps.h) */
	bool unconfined;	/* --seccomp=unconfined: no filter */
	struct env_adds env;	/* --env (common/environ.h) */
};

/* Options with no short form. */
enum {
	OPT_INIT = 256,
	OPT_UID_MAP,
	OPT_GID_MAP,
	OPT_IP,
	OPT_NO_NET,
	OPT_MEMORY,
	OPT_PIDS,
	OPT_CPUS,
	OPT_MONOTONIC,
	OPT_BOOTTIME,
	OPT_NAME,
	OPT_EXEC,
	OPT_POD,
	OPT_CAP_ADD,
	OPT_CAP_DROP,
	OPT_SECCOMP,
	OPT_ENV
};

/*
 * How far a clock may go in a time namespace: the clock plus its offset
 * must stay from 0 to KTIME_SEC_MAX / 2 seconds (about 146 years), or the
 * kernel refuses the offset with ERANGE (kernel/time/namespace.c).
 */
#define CLOCK_SEC_MAX (INT64_MAX / 1000000000 / 2)

/* Docker's default capabilities (moby's oci/caps/defaults.go): none to
 * administer the machine (CAP_SYS_ADMIN, CAP_NET_ADMIN, CAP_SYS_MODULE). */
#define CAP(name) (1ULL << CAP_##name)
#define DEFAULT_CAPS                                                  \
	(CAP(CHOWN) | CAP(DAC_OVERRIDE) | CAP(FSETID) | CAP(FOWNER) | \
	 CAP(MKNOD) | CAP(NET_RAW) | CAP(SETGID) | CAP(SETUID) |      \
	 CAP(SETFCAP) | CAP(SETPCAP) | CAP(NET_BIND_SERVICE) |        \
	 CAP(SYS_CHROOT) | CAP(KILL) | CAP(AUDIT_WRITE))

/* The container's cgroups (common/cgroups.h). */
static struct cgroups cgroup = { .fd = -1 };

static char *default_command[] = { "/bin/sh", NULL };

/* The child waits on this pipe until the parent has set things up. */
static struct sync_pipe sync_pipe;
static int console[2] = { -1, -1 }; /* its terminal comes over it, if any */

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
	       "  -r, --rootfs DIR      root filesystem (default: ./rootfs)\n"
	       "      --uid-map IN:OUT:COUNT  map uids IN.. inside to OUT.. outside\n"
	       "      --gid-map IN:OUT:COUNT  the same for gids (both repeatable;\n"
	       "                        default: root inside is you, or 100000\n"
	       "                        and up when you are root)\n"
	       "      --ip ADDR/PREFIX  address on the bridge " BRIDGE
	       " (default: a\n"
	       "                        free one in " SUBNET
	       "/24; needs root)\n"
	       "      --no-net          a network namespace with loopback only\n"
	       "      --memory SIZE     memory limit, in bytes or with K, M, G\n"
	       "      --pids N          at most N processes\n"
	       "      --cpus X          at most X CPUs' time (e.g. 0.5 or 2)\n"
	       "      --monotonic SECS  move CLOCK_MONOTONIC by SECS inside\n"
	       "      --boottime SECS   move CLOCK_BOOTTIME (and uptime) by SECS\n"
	       "      --name NAME       the container can be found by NAME\n"
	       "      --exec NAME       run COMMAND in the running container NAME\n"
	       "      --pod NAME        share NAME's user, net, IPC, UTS namespaces\n"
	       "      --cap-add CAP     keep CAP too (repeatable; ALL: every one)\n"
	       "      --cap-drop CAP    drop CAP (repeatable; ALL: keep only those added)\n"
	       "      --seccomp=unconfined  no seccomp filter\n"
	       "      --env KEY[=VALUE] set KEY in COMMAND's environment (repeatable)\n"
	       "  -v, --verbose         narrate each kernel call on stderr\n"
	       "  -h, --help            print this help and exit\n"
	       "\n"
	       "Exit status: COMMAND's; 128+N if it was killed by signal N;\n"
	       "125 if the container could not be set up; 126 if COMMAND\n"
	       "cannot be executed; 127 if it was not found.\n");
}

/* The seconds CLOCK reads now, here in the runtime. */
static long long clock_seconds(clockid_t clock)
{
	struct timespec now;

	must(clock_gettime(clock, &now), "clock_gettime()");
	return (long long)now.tv_sec;
}

/* Refuse now an offset the kernel would refuse in the child (ERANGE). */
static void check_offset(const char *option, clockid_t clock, long long offset)
{
	long long now = clock_seconds(clock);

	if (now + offset < 0)
		die(0, NULL,
		    "%s '%lld': the clock would read less than 0 "
		    "(it reads %lld now)",
		    option, offset, now);
	if (now + offset > CLOCK_SEC_MAX)
		die(0, NULL,
		    "%s '%lld': the clock would pass %lld seconds, "
		    "the kernel's limit",
		    option, offset, (long long)CLOCK_SEC_MAX);
}

/*
 * Time namespaces arrived in Linux 5.6 (CONFIG_TIME_NS): a kernel without
 * them has no /proc/self/ns/time. Refuse, rather than give the container
 * the host's clocks when it asked for others.
 */
static void choose_time(const struct config *cfg)
{
	if (access("/proc/self/ns/time", F_OK) == -1) {
		if (errno != ENOENT) /* there, but we may not look */
			die(errno, NULL, "access(/proc/self/ns/time)");
		die(0,
		    "time namespaces need Linux 5.6 or later, built with "
		    "CONFIG_TIME_NS",
		    "this kernel has no time namespaces "
		    "(no /proc/self/ns/time)");
	}
	check_offset("--monotonic", CLOCK_MONOTONIC, cfg->monotonic);
	check_offset("--boottime", CLOCK_BOOTTIME, cfg->boottime);
}

/* Read the options; refuse bad input now, before anything is created. */
static void parse_args(int argc, char **argv, struct config *cfg)
{
	static const struct option opts[] = {
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
		{ "monotonic", required_argument, NULL, OPT_MONOTONIC },
		{ "boottime", required_argument, NULL, OPT_BOOTTIME },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "exec", required_argument, NULL, OPT_EXEC },
		{ "pod", required_argument, NULL, OPT_POD },
		{ "cap-add", required_argument, NULL, OPT_CAP_ADD },
		{ "cap-drop", required_argument, NULL, OPT_CAP_DROP },
		{ "seccomp", required_argument, NULL, OPT_SECCOMP },
		{ "env", required_argument, NULL, OPT_ENV },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long given = 0; /* which options (common/options.h) */
	int opt;

	/*
	 * "+" stops at the first word that is not an option, so in
	 * "container ls -l" the -l belongs to ls. ":" makes a missing
	 * argument return ':', and opterr = 0 lets us print the one error
	 * line ourselves.
	 */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:n:r:vh", opts, NULL)) != -1) {
		given |= option_bit(opts, opt);
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
			add_id_map("--uid-map", optarg, cfg->maps.uid,
				   &cfg->maps.uid_lines);
			break;
		case OPT_GID_MAP:
			add_id_map("--gid-map", optarg, cfg->maps.gid,
				   &cfg->maps.gid_lines);
			break;
		case OPT_IP:
			cfg->ip_arg = optarg;
			break;
		case OPT_NO_NET:
			cfg->no_net = true;
			break;
		case OPT_MEMORY: /* the limits' values, checked: common/options.c */
			cfg->memory = memory_option(optarg);
			break;
		case OPT_PIDS:
			cfg->pids = pids_option(optarg);
			break;
		case OPT_CPUS:
			cfg->millicpus = cpus_option(optarg);
			break;
		case OPT_MONOTONIC:
		case OPT_BOOTTIME:
			if (parse_seconds(optarg, CLOCK_SEC_MAX,
					  opt == OPT_MONOTONIC
						  ? &cfg->monotonic
						  : &cfg->boottime) == -1)
				die(0, NULL, "--%s '%s': %s",
				    opt == OPT_MONOTONIC ? "monotonic"
							 : "boottime",
				    optarg,
				    errno == ERANGE ? "out of range"
						    : "expected whole seconds, "
						      "such as 86400 or -3600");
			break;
		case OPT_NAME:
			cfg->name = optarg;
			break;
		case OPT_EXEC:
			cfg->exec = optarg;
			break;
		case OPT_POD:
			cfg->pod = optarg;
			break;
		case OPT_CAP_ADD:
		case OPT_CAP_DROP:
			cap_option(opt == OPT_CAP_ADD, optarg, &cfg->caps);
			break;
		case OPT_SECCOMP:
			cfg->unconfined = seccomp_option(optarg);
			break;
		case OPT_ENV:
			env_option(optarg, &cfg->env);
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
	if (cfg->exec) {
		refuse_given(opts, given,
			     (const int[]){ 'n', OPT_INIT, 'r', OPT_UID_MAP,
					    OPT_GID_MAP, OPT_IP, OPT_NO_NET,
					    OPT_MEMORY, OPT_PIDS, OPT_CPUS,
					    OPT_MONOTONIC, OPT_BOOTTIME,
					    OPT_NAME, OPT_POD, 0 },
			     "--exec", "it joins a running container as it is");
		return;
	}
	if (cfg->pod)
		refuse_given(opts, given,
			     (const int[]){ 'n', OPT_UID_MAP, OPT_GID_MAP,
					    OPT_IP, OPT_NO_NET, 0 },
			     "--pod",
			     "a pod's members share its user namespace, "
			     "network and hostname");

	if (check_hostname(cfg->hostname) == -1)
		die(0, NULL, "--hostname '%s': %s", cfg->hostname,
		    errno == EINVAL ? "must not be empty"
				    : "longer than 64 bytes");
	check_rootfs(cfg->rootfs, cfg->command,
		     cfg->command == default_command);
	if (!cfg->pod)
		choose_id_maps(&cfg->maps);
	choose_cgroups(&cgroup, cfg->memory || cfg->pids || cfg->millicpus,
		       cfg->millicpus != 0);
	choose_time(cfg);
	if (!cfg->pod)
		cfg->veth = choose_network(cfg->ip_arg, cfg->no_net, &cfg->ip,
					   &cfg->claim);
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
 * POSIX message queues are files of an mqueue filesystem, one per IPC
 * namespace: the kernel takes the namespace of the process that mounts
 * it, so this one, mounted from inside ours, shows only our queues
 * (mq_overview(7)).
 *
 * Exercise 8.1 (ipc): mount a fresh mqueue filesystem on dev/mqueue, from
 * inside the new IPC namespace. Read mq_overview(7), ipc_namespaces(7).
 * The ipc tests check that /dev/mqueue shows only the container's queues.
 */
static void mount_mqueue(void)
{
	must(mkdir("dev/mqueue", 01777), "mkdir(dev/mqueue)");
	must(mount("mqueue", "dev/mqueue", "mqueue",
		   MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL),
	     "mount(mqueue on dev/mqueue)");
}

/*
 * Make the rootfs, our current directory, our "/": pivot_root(".", ".")
 * (see pivot_root(2), NOTES) stacks the old root on top of it, where
 * umount2 detaches it. No put_old directory is needed in the rootfs.
 * MNT_DETACH, because the host's tree is busy: we cannot wait for it.
 *
 * Exercise 3.1 (mnt): make the rootfs "/" with pivot_root(".", "."), then
 * detach the old root stacked on it with umount2(2), and chdir to the new
 * "/". Read pivot_root(2), umount(2). Until it is done the skeleton does
 * `must(chroot("."), "chroot(.)")`, and the mnt tests show that chroot
 * alone leaves the host's tree in reach.
 */
static void pivot_into(const char *rootfs)
{
	must_hint(sys_pivot_root(".", "."), hint_pivot_root, "pivot_root(%s)",
		  rootfs);
	must(umount2(".", MNT_DETACH), "umount2(old root, MNT_DETACH)");
	must(chdir("/"), "chdir(/)");
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
	must_hint(mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL),
		  hint_rootfs_access, "mount(%s, MS_BIND)", rootfs);
	/*
	 * The rootfs is often someone else's image: set-user-ID programs and
	 * device nodes in it must not work (nosuid, nodev). A remount sets
	 * the flags of the bind mount; it keeps those it has, which inside a
	 * user namespace (step 4) it may not drop (mount_flags_of). It acts on
	 * this mount only: one below the rootfs (MS_REC) keeps its own flags.
	 */
	must(mount_flags_of(rootfs, &flags), "statvfs(%s)", rootfs);
	must(mount(NULL, rootfs, NULL,
		   flags | MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV, NULL),
	     "mount(%s, MS_REMOUNT|MS_NOSUID|MS_NODEV)", rootfs);
	must(chdir(rootfs), "chdir(%s)", rootfs);

	/*
	 * Mount /proc while the host's /proc is still in our tree: from step
	 * 4 on, inside a user namespace, the kernel lets us mount procfs only
	 * if a fully visible one is there (mount_too_revealing() in the
	 * kernel's fs/namespace.c). A fresh procfs for our PID namespace: it
	 * shows only our processes. Then, as runc does, parts of it read-only
	 * and others hidden (common/mounts.c).
	 */
	must(mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		   NULL),
	     "mount(proc)");
	protect_proc();
	mount_dev();
	mount_mqueue();
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
	must(mount("tmpfs", "tmp", "tmpfs", MS_NOSUID | MS_NODEV,
		   "mode=1777,size=64m"), /* as Docker's /dev/shm */
	     "mount(tmpfs on tmp)");

	/* Last, make it our "/", and leave the host's tree behind. */
	pivot_into(rootfs);
}

/*
 * The host's side, in the parent: the bridge (made by the first runtime,
 * then shared), and a veth pair, a virtual cable whose two ends are
 * network interfaces. One end is created right inside the child's network
 * namespace as eth0 (there, the name cannot clash with the host's eth0);
 * the other stays here, plugged into the bridge.
 *
 * Exercise 5.1 (net): make the bridge (make_bridge), then a veth pair
 * whose peer is born as eth0 in the child's network namespace
 * (rtnl_link_veth_alloc, rtnl_link_set_ns_pid), the host's end on the
 * bridge and up. Read veth(4), rtnetlink(7). The net tests check eth0
 * inside and traffic to the bridge.
 */
static void connect_to_bridge(pid_t pid)
{
	struct nl_sock *sk = netlink_open();
	struct rtnl_link *veth, *peer;
	int bridge_index;

	/*
	 * ip link add mini0 type bridge; ip addr add 10.99.0.1/24 dev mini0;
	 * ip link set mini0 up: the containers' gateway, made by the first
	 * runtime, then shared (common/netlink.c).
	 */
	bridge_index = make_bridge(sk, BRIDGE, ipv4(GATEWAY), PREFIX);

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
		"netns %d",
		BRIDGE, pid);
	rtnl_link_put(peer);
	rtnl_link_veth_release(veth);
	nl_socket_free(sk);
}

/*
 * The child's side, in its own network namespace: a new namespace has
 * only a loopback interface, and it is down. Bring it up; with a veth,
 * give eth0 our address and route everything else through the bridge.
 *
 * Exercise 5.2 (net): bring lo up; with a veth, give eth0 the address,
 * bring it up, and route everything through the gateway (link_up,
 * add_address, add_default_route). Read network_namespaces(7).
 */
static void configure_network(bool veth, struct in_addr ip)
{
	struct nl_sock *sk = netlink_open();
	int eth0;

	link_up(sk, "lo");
	if (veth) {
		eth0 = link_index(sk, "eth0");
		nl_must(add_address(sk, eth0, ip, PREFIX),
			"ip addr add %s/%d dev eth0", inet_ntoa(ip), PREFIX);
		link_up(sk, "eth0");

		/* ip route add default via 10.99.0.1 dev eth0 */
		add_default_route(sk, eth0, "eth0", ipv4(GATEWAY));
	}
	nl_socket_free(sk);
}

/*
 * Remove the container's cgroups. Registered with atexit(3), so that it
 * runs on every way the runtime leaves: COMMAND's end, a setup failure, a
 * signal it forwarded. Only a SIGKILLed runtime cannot; the next run
 * removes its cgroups (cgroup_remove_stale).
 */
static void remove_cgroups(void)
{
	cgroups_remove(&cgroup);
}

/*
 * Make the container's cgroup and write its limits, before the child
 * exists, so that no process of the container ever runs unlimited.
 *
 * Exercise 6.1 (cgroup): make the container's cgroup (cgroups_make), have
 * it removed at exit (atexit), and write the limits: memory.max (and
 * memory.swap.max 0), pids.max, cpu.max; on v1, cgroup_v1_set_limits. Read
 * cgroups(7), the kernel's cgroup-v2.rst. The cgroup tests check that the
 * limits hold inside. Until it is done the skeleton does `cgroup.count = 0`:
 * the container gets no cgroup of its own, so no limits, as the cgroup
 * tests show.
 */
static void make_cgroups(const struct config *cfg)
{
	const char *dir = cgroup.dirs[0]; /* on cgroup v2, the only one */
	char text[64];

	/*
	 * From here on, whatever happens, the cgroups are removed at exit,
	 * those of a setup that failed half-way too.
	 */
	atexit(remove_cgroups);
	/* mkdir mini-container/ctr-PID-RANDOM; enable the controllers. */
	cgroups_make(&cgroup, cfg->millicpus != 0);
	if (!cgroup.v2) {
		cgroup_v1_set_limits(&cgroup, cfg->memory, cfg->pids,
				     cfg->millicpus);
		return;
	}
	/* The limits: one file per knob. */
	if (cfg->memory) {
		snprintf(text, sizeof(text), "%llu", cfg->memory);
		if (cgroup_write(dir, "memory.max", text) == -1)
			die(errno, NULL, "set memory.max");
		/* No swap: the limit cannot be dodged by swapping out. */
		if (cgroup_write(dir, "memory.swap.max", "0") == -1 &&
		    errno != ENOENT)
			die(errno, NULL, "set memory.swap.max");
	}
	if (cfg->pids) {
		snprintf(text, sizeof(text), "%lu", cfg->pids);
		if (cgroup_write(dir, "pids.max", text) == -1)
			die(errno, NULL, "set pids.max");
	}
	if (cfg->millicpus) {
		snprintf(text, sizeof(text), "%lu %d",
			 cfg->millicpus * CPU_PERIOD / 1000, CPU_PERIOD);
		if (cgroup_write(dir, "cpu.max", text) == -1)
			die(errno, NULL, "set cpu.max");
	}
}

/* Write one map file of the child, as a single write(2). */
static void write_map(pid_t pid, const char *file, const struct id_map *map,
		      int lines)
{
	char path[64], text[4096];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	if (format_id_maps(map, lines, text, sizeof(text)) == -1)
		die(errno, NULL, "%s: the map is longer than the kernel takes",
		    file);
	must_hint(write_file(path, text), hint_id_map, "write %s '%s'", path,
		  id_maps_on_one_line(text));
}

/*
 * The parent's side of the handshake (user_namespaces(7)): the child was
 * born in the new user namespace as "nobody" (uid 65534: unmapped), with
 * every capability there, and waits until we map its IDs. The rules:
 * each map is written once, whole, by a process with the right to the
 * outside IDs; and an unprivileged writer must first write "deny" to
 * setgroups, or a gid_map would let it drop groups it was denied files
 * by (CVE-2014-8989).
 *
 * Exercise 4.1 (user): write the child's uid_map, then "deny" to its
 * setgroups unless we are root, then its gid_map, each in one write(2)
 * (write_map); or, when maps->use_helpers, run newuidmap and newgidmap
 * (run_map_helper). Read user_namespaces(7). The user tests check that
 * root inside is the mapped ID outside. Until it is done the skeleton
 * does `write_map(pid, "uid_map", &(struct id_map){ 0, 100000, 1 }, 1),
 * write_map(pid, "gid_map", &(struct id_map){ 0, 100000, 1 }, 1)`, as
 * root: one ID each, which the user tests catch.
 */
static void write_id_maps(pid_t pid, const struct id_maps *maps)
{
	char path[64];

	if (maps->use_helpers) {
		run_map_helper("newuidmap", pid, maps->uid, maps->uid_lines);
		run_map_helper("newgidmap", pid, maps->gid, maps->gid_lines);
		return;
	}
	write_map(pid, "uid_map", maps->uid, maps->uid_lines);
	if (geteuid() != 0) {
		snprintf(path, sizeof(path), "/proc/%d/setgroups", pid);
		must(write_file(path, "deny"), "write %s 'deny'", path);
	}
	write_map(pid, "gid_map", maps->gid, maps->gid_lines);
}

/*
 * In the child, once the maps are written: become root of the namespace.
 * Our IDs did not change when the maps appeared: a root caller's uid 0
 * is not in the map (so it shows as 65534); switch to 0, which the map
 * makes the first outside ID. Drop supplementary groups where allowed.
 */
static void become_root(struct sync_pipe *sync)
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
	if (!must(sync_parent_alive(sync), "poll(sync pipe)"))
		_exit(EXIT_SETUP_FAILED);
}

/*
 * Our own time namespace, for COMMAND and all it starts. unshare(2) does
 * not move us into it: it makes the namespace our children will be born
 * in (/proc/self/ns/time_for_children), and its offsets can be written
 * only until a first process is in it (time_namespaces(7)). So: unshare,
 * write the offsets, then setns(2) into it ourselves, being about to
 * become COMMAND. Root of our user namespace may do all three, even when
 * the runtime is an ordinary user.
 *
 * Exercise 7.1 (time): unshare(2) CLONE_NEWTIME, become dumpable again,
 * write both offsets to /proc/self/timens_offsets in one write, then
 * setns(2) into /proc/self/ns/time_for_children. Read time_namespaces(7).
 * The time tests check the clocks and uptime inside.
 */
static void enter_time_namespace(long long monotonic, long long boottime)
{
	char offsets[96];
	int fd, err;

	must(unshare(CLONE_NEWTIME), "unshare(CLONE_NEWTIME)");
	/*
	 * Since setresuid() changed our uid, the kernel holds us "not
	 * dumpable", and then our /proc/self files belong to root: proc(5)
	 * says root of our user namespace, but the kernel takes the one our
	 * memory was made in (task_dump_owner() in fs/proc/base.c), and until
	 * an execve(2) that is the runtime's: the host's root. Writing
	 * timens_offsets fails with EACCES. Dumpable again, they are ours;
	 * execve(2) decides afresh for COMMAND.
	 */
	must(prctl(PR_SET_DUMPABLE, 1), "prctl(PR_SET_DUMPABLE, 1)");
	/* One line per clock: "CLOCK SECONDS NANOSECONDS", in one write. */
	snprintf(offsets, sizeof(offsets),
		 "monotonic %lld 0\nboottime %lld 0\n", monotonic, boottime);
	must(write_file("/proc/self/timens_offsets", offsets),
	     "write /proc/self/timens_offsets");
	narrate("/proc/self/timens_offsets: monotonic %lld, boottime %lld",
		monotonic, boottime);
	fd = open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		die(errno, NULL, "open(/proc/self/ns/time_for_children)");
	if (setns(fd, CLONE_NEWTIME) == -1) {
		err = errno;
		close(fd);
		die(err, NULL, "setns(time_for_children, CLONE_NEWTIME)");
	}
	close(fd);
	narrate("setns(time_for_children, CLONE_NEWTIME) = 0");
}

/*
 * Our own cgroup namespace, only now that we are in our cgroup: the
 * namespace's root is the cgroup we are in when we create it, so
 * /proc/self/cgroup shows "/". Created by clone with the rest, its root
 * would be the runtime's cgroup instead. setup_rootfs then mounts the
 * cgroup2 tree as this namespace shows it.
 *
 * Exercise 6.2 (cgroup): unshare(2) a cgroup namespace, now that the child
 * is in its cgroup. Read cgroup_namespaces(7). The cgroup tests check that
 * /proc/self/cgroup shows "/" inside.
 */
static void enter_cgroup_namespace(void)
{
	must(unshare(CLONE_NEWCGROUP), "unshare(CLONE_NEWCGROUP)");
}

/*
 * Exercise 10.1 (secure): keep only the capabilities in keep, with libcap, not
 * capset(2)'s versioned structs (capabilities(7)): the bounding set first, all
 * an execve(2) as root can get, while we still have the CAP_SETPCAP that
 * dropping needs; inheritable empty, as Docker's since CVE-2022-24769.
 */
static void drop_capabilities(uint64_t keep)
{
	cap_t caps = cap_init(); /* every set empty */
	cap_value_t cap;

	for (cap = 0; cap < (cap_value_t)cap_max_bits(); cap++)
		if (!(keep & (1ULL << cap)))
			must(cap_drop_bound(cap), "cap_drop_bound(%d)", cap);
		else if (cap_set_flag(caps, CAP_PERMITTED, 1, &cap, CAP_SET) ||
			 cap_set_flag(caps, CAP_EFFECTIVE, 1, &cap, CAP_SET))
			die(errno, NULL, "cap_set_flag(%d)", cap);
	must(cap_set_proc(caps), "capset()");
	cap_free(caps);
	must(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0),
	     "prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
}

/*
 * Exercise 10.2 (secure): a seccomp(2) filter, by libseccomp (seccomp_init(3)):
 * the calls TUTORIAL.md lists fail, the rest pass; one through another ABI
 * (32-bit, x32: other numbers, hand-written filters forget) is killed.
 */
static void load_seccomp_filter(void)
{
	/* clang-format off */
	static const char *const denied[] = {
		"add_key", "keyctl", "request_key", "init_module",
		"finit_module", "delete_module", "kexec_load", "kexec_file_load",
		"open_by_handle_at", "bpf", "perf_event_open", "userfaultfd",
		"swapon", "swapoff", "reboot", "settimeofday", "clock_settime",
		"acct",
	};
	/* clang-format on */
	/* By an argument: TIOCSTI, TIOCLINUX type into a terminal; in a new
	 * user namespace root has every capability again; clone3(2) hides
	 * its flags (ENOSYS: glibc falls back to clone). */
	static const struct {
		int call, arg, err;
		uint64_t mask, value;
	} when[] = {
		{ SCMP_SYS(ioctl), 1, EPERM, 0xFFFFFFFF, TIOCSTI },
		{ SCMP_SYS(ioctl), 1, EPERM, 0xFFFFFFFF, TIOCLINUX },
		{ SCMP_SYS(unshare), 0, EPERM, CLONE_NEWUSER, CLONE_NEWUSER },
		{ SCMP_SYS(clone), 0, EPERM, CLONE_NEWUSER, CLONE_NEWUSER },
		{ SCMP_SYS(clone3), 0, ENOSYS, 0, 0 },
	};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int rc = ctx == NULL ? -ENOMEM : 0;
	size_t i;

	for (i = 0; i < sizeof(denied) / sizeof(*denied) && rc == 0; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM),
				      seccomp_syscall_resolve_name(denied[i]),
				      0);
	for (i = 0; i < sizeof(when) / sizeof(*when) && rc == 0; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(when[i].err),
				      when[i].call, when[i].mask != 0,
				      SCMP_CMP(when[i].arg, SCMP_CMP_MASKED_EQ,
					       when[i].mask, when[i].value));
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc < 0) /* seccomp_load(3) says ECANCELED for the kernel's "no" */
		die(-rc,
		    rc == -ECANCELED ? "strace -f -e seccomp,prctl shows why"
				     : NULL,
		    "seccomp filter");
}

/*
 * The last set-up, in this order. A session of our own (setsid(2)): TIOCSTI
 * works only on one's controlling terminal (ioctl_tty(2)); with console, a
 * terminal of our own (pty(7)), as docker run -it. Capabilities after the
 * mounts, which need them. no_new_privs (prctl(2): execve(2) grants no
 * more privilege), which a filter needs without CAP_SYS_ADMIN. Filter last.
 */
static void confine(const struct config *cfg)
{
	int tty, fd;

	must(setsid(), "setsid()");
	if (console[1] >= 0) { /* common/console.c sends the master */
		tty = must(console_make(console[1]), "a pty of /dev/pts");
		must(ioctl(tty, TIOCSCTTY, 0), "ioctl(TIOCSCTTY)");
		for (fd = 0; fd < 3; fd++)
			must(dup2(tty, fd), "dup2(pty, %d)", fd);
		close(tty);
	}
	environ = container_env(&cfg->env); /* set PATH before execvp */
	drop_capabilities(caps_chosen(DEFAULT_CAPS, &cfg->caps));
	must(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(NO_NEW_PRIVS)");
	if (!cfg->unconfined)
		load_seccomp_filter();
}

/*
 * The third namespace call. clone(2) makes new namespaces for a new
 * process, unshare(2) for the caller, and setns(2) joins existing ones.
 * Given a pidfd (Linux 5.8), one call enters any of that process's
 * namespaces, all or none (setns(2)). An older kernel answers EINVAL:
 * then we take them one by one from /proc/PID/ns (common/join.c).
 *
 * Exercise 9.1 (join): enter the namespaces flags of the process pidfd
 * names, with one setns(2); on EINVAL, join_by_files. Read setns(2),
 * pidfd_open(2). The join tests check from the host that a command run
 * by --exec is in every namespace of the container.
 */
static void join_namespaces(int pidfd, int flags)
{
	char names[192];

	clone_flag_names((unsigned long)flags, names, sizeof(names));
	if (setns(pidfd, flags) == -1 &&
	    (errno != EINVAL || join_by_files(pidfd, flags) == -1))
		die(errno, errno == ESRCH ? "its container has ended" : NULL,
		    "setns(pidfd, %s)", names);
	narrate("setns(pidfd, %s) = 0", names);
}

/*
 * --exec: run command in the running container name, as docker exec does,
 * given a pidfd of its PID 1 by its runtime. We enter every namespace but
 * the cgroup one (the mount one puts us at its "/": mntns_install()), and
 * start command in its cgroup. A PID namespace joined is our children's
 * (pid_namespaces(7)): command is born in it, and dies with its PID 1. It
 * joins the cgroup namespace itself: from inside, the kernel would not let
 * us move it from a cgroup outside its view ("nsdelegate", cgroup-v2.rst).
 */
static int exec_in(struct config *cfg)
{
	struct running c;
	char call[192];
	int status;
	bool placed;
	pid_t pid;

	name_lookup("--exec", cfg->exec, &c);
	/*
	 * Until execve(2), root of the container could ptrace(2) us, the
	 * host's root (runc's CVE-2016-9962): not dumpable until then.
	 */
	must(prctl(PR_SET_DUMPABLE, 0), "prctl(PR_SET_DUMPABLE, 0)");
	join_namespaces(c.pidfd, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWUTS |
					 CLONE_NEWIPC | CLONE_NEWNET |
					 CLONE_NEWPID | CLONE_NEWTIME);
	must(sync_init(&sync_pipe), "pipe2()");
	fflush(NULL);
	pid = clone_into_cgroup(0, c.v2 && c.cgroups ? c.cgroup_fds[0] : -1,
				&placed, call, sizeof(call));
	if (pid == 0) { /* it waits, as the container's first child does */
		set_role("child");
		if (sync_wait(&sync_pipe) == -1) {
			if (errno != ECANCELED)
				report(errno, NULL, "read(sync pipe)");
			_exit(EXIT_SETUP_FAILED);
		}
		handle_signals(SIG_DFL);
		join_namespaces(c.pidfd, CLONE_NEWCGROUP);
		become_root(&sync_pipe); /* which resets dumpable, proc(5) */
		must(prctl(PR_SET_DUMPABLE, 0), "prctl(PR_SET_DUMPABLE, 0)");
		confine(cfg); /* the same as the container's first process */
		exec_command(cfg->command);
	}
	must(pid, "%s", call);
	if (!placed)
		cgroup_fds_add(c.cgroup_fds, c.cgroups, pid);
	forward_signals_to(pid);
	must(sync_release(&sync_pipe), "sync_release()");
	console_attach(console, -1, pid, NULL);
	must(reap(pid, &status, &forward_to), "waitpid(%d)", pid);
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
static int child_main(struct config *cfg)
{
	int pdeath, pdeath_err;

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
	if (cfg->name_sock >= 0) /* where --name is answered */
		close(cfg->name_sock);

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
	become_root(&sync_pipe);

	/* Our UTS and network namespaces; a pod's member has the pod's. */
	if (!cfg->pod) {
		must_hint(sethostname(cfg->hostname, strlen(cfg->hostname)),
			  hint_userns_eperm, "sethostname(%s)", cfg->hostname);
		configure_network(cfg->veth, cfg->ip);
	}

	/* Our own cgroup namespace, now that we are in our cgroup. */
	enter_cgroup_namespace();

	/*
	 * Our own time namespace. Not a clone flag: CLONE_NEWTIME shares its
	 * bits with clone(2)'s exit signal, and with clone3(2) we would be in
	 * the namespace before its offsets could be written.
	 */
	enter_time_namespace(cfg->monotonic, cfg->boottime);

	/* Our own mount namespace: mounts made here stay here. */
	setup_rootfs(cfg->rootfs);
	confine(cfg);

	if (cfg->init)
		_exit(run_init(cfg->command));
	exec_command(cfg->command);
}

int main(int argc, char **argv)
{
	struct config cfg = { .hostname = "container",
			      .rootfs = "./rootfs",
			      .claim = -1,
			      .name_sock = -1 };
	struct running pod;
	/*
	 * CLONE_NEWUSER in the same call as the others: the kernel creates
	 * the user namespace first and makes it the owner of the others, so
	 * root inside has power over them (and only them). New here,
	 * CLONE_NEWIPC: System V IPC objects and POSIX message queues of our
	 * own, out of sight of the host and of other containers.
	 */
	int flags = CLONE_NEWUSER | CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWNS |
		    CLONE_NEWNET | CLONE_NEWIPC;
	char call[192];
	bool placed;
	int status;
	pid_t pid;

	/*
	 * A SIGCHLD our caller ignores stays ignored across execve(2), and
	 * then the kernel reaps our child itself: waitpid(2) would find none
	 * (ECHILD, wait(2), NOTES). Back to the default.
	 */
	signal(SIGCHLD, SIG_DFL);
	parse_args(argc, argv, &cfg);
	/* A terminal on stdin: the container will send one of its own. */
	must(console_open(console), "socketpair()");
	if (cfg.exec)
		return exec_in(&cfg);
	if (cfg.pod)
		name_lookup("--pod", cfg.pod, &pod);
	if (cfg.name)
		cfg.name_sock = name_claim(cfg.name);
	if (cgroup.count > 0)
		make_cgroups(&cfg);
	if (cfg.pod) {
		/* A pod's member: its new namespaces will be owned by the pod's. */
		join_namespaces(pod.pidfd, CLONE_NEWUSER | CLONE_NEWNET |
						   CLONE_NEWIPC | CLONE_NEWUTS);
		running_close(&pod);
		flags = CLONE_NEWPID | CLONE_NEWNS;
	}
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
	 * stack given, the child goes on from here, as after fork(2). Where
	 * the kernel has neither, clone_into_cgroup() falls back to clone3
	 * alone, or clone(2); then we place the child by hand (cgroups_add).
	 */
	pid = clone_into_cgroup(flags, cgroup.v2 ? cgroup.fd : -1, &placed,
				call, sizeof(call));
	if (pid == 0)
		_exit(child_main(&cfg));
	must_hint(pid, hint_userns, "%s", call);
	if (cgroup.count > 0 && !placed)
		cgroups_add(&cgroup, pid);

	/*
	 * From here a Ctrl-C or a `kill` of the runtime goes to the container.
	 * Then let the child go on.
	 */
	forward_signals_to(pid);
	if (!cfg.pod)
		write_id_maps(pid, &cfg.maps);
	if (cfg.veth)
		connect_to_bridge(pid);
	must(sync_release(&sync_pipe), "sync_release()");

	/* Until it ends: answer --name callers; relay its terminal. */
	console_attach(console, cfg.name_sock, pid, &cgroup);

	/*
	 * Wait for COMMAND and hand on its exit status. reap() stops the
	 * forwarding before it reaps the child: from then on its PID may be
	 * another process's.
	 */
	must(reap(pid, &status, &forward_to), "waitpid(%d)", pid);
	narrate("child %d ended, exit status %d", pid, exit_code_of(status));
	return exit_code_of(status);
}
