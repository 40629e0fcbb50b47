/*
 * check_names.c - container names (step 9): which names are good, and a
 * name's whole life: claimed by a "runtime" process, looked up for a
 * pidfd and a cgroup descriptor, refused to a second claimer, gone when
 * the container ends; a SIGKILLed runtime's stale socket; the directory
 * and uid checks that keep other users out.
 *
 * Where the names live: as root in /run/mini-container/names, which each
 * test puts on a tmpfs of its own, in a mount namespace of its own, so
 * that the machine's running containers are out of reach and nothing is
 * left; as anyone else in $XDG_RUNTIME_DIR/mini-container/names, with
 * XDG_RUNTIME_DIR a temporary directory of the test's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "common/file.h"
#include "common/names.h"
#include "unit.h"

#define NOBODY 65534 /* the unprivileged uid and gid the root tests take */

static char tmp[64];	/* the test's temporary directory */
static char cgdir[128]; /* a directory posing as a cgroup */
static char names[128]; /* the names directory, as names.h says */

static void remove_tree(const char *dir)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* A checked fixture: it runs in each test's own process. */
static void setup(void)
{
	char xdg[96];

	snprintf(tmp, sizeof(tmp), "%s", make_tmpdir());
	snprintf(cgdir, sizeof(cgdir), "%s/cg", tmp);
	ck_assert_int_eq(mkdir(cgdir, 0755), 0);
	snprintf(xdg, sizeof(xdg), "%s/xdg", tmp);
	ck_assert_int_eq(mkdir(xdg, 0700), 0);
	ck_assert_int_eq(setenv("XDG_RUNTIME_DIR", xdg, 1), 0);
	if (geteuid() != 0) {
		snprintf(names, sizeof(names), "%s/mini-container/names", xdg);
		return;
	}
	snprintf(names, sizeof(names), "/run/mini-container/names");
	ck_assert_msg(unshare(CLONE_NEWNS) == 0, "unshare(CLONE_NEWNS): %s",
		      strerror(errno));
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	ck_assert_msg(mount("tmpfs", "/run", "tmpfs", 0, "mode=755") == 0,
		      "mount(tmpfs, /run): %s", strerror(errno));
}

static void teardown(void)
{
	remove_tree(tmp);
}

/* The socket of name, as names.h says. */
static const char *socket_of(const char *name)
{
	static char path[sizeof(((struct sockaddr_un *)0)->sun_path)];

	ck_assert_int_lt(snprintf(path, sizeof(path), "%s/%s", names, name),
			 sizeof(path));
	return path;
}

/* Make the names directory (and its parent), as name_claim does. */
static void make_names_dir(void)
{
	char parent[sizeof(names)];

	snprintf(parent, sizeof(parent), "%s", names);
	*strrchr(parent, '/') = '\0';
	ck_assert_int_eq(mkdir(parent, 0700), 0);
	ck_assert_int_eq(mkdir(names, 0700), 0);
}

/* A name of this test's own. */
static const char *unique_name(const char *what)
{
	static char name[2][32];
	static int i;

	i = !i;
	snprintf(name[i], sizeof(name[i]), "check-%s-%d", what, (int)getpid());
	return name[i];
}

/* As root, become uid and gid 65534 with no groups (else stay ourselves). */
static void drop_root(void)
{
	if (geteuid() != 0)
		return;
	if (setgroups(0, NULL) == -1 ||
	    setresgid(NOBODY, NOBODY, NOBODY) == -1 ||
	    setresuid(NOBODY, NOBODY, NOBODY) == -1)
		_exit(99);
}

/*
 * Run fn(arg) in a child, its stderr into out; return its exit status
 * (128+N if signal N killed it).
 */
static int run_child(void (*fn)(const char *), const char *arg, char *out,
		     size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fds[2], status;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		fn(arg);
		_exit(0);
	}
	close(fds[1]);
	while (len < size - 1 &&
	       (n = read(fds[0], out + len, size - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* --- check_name ------------------------------------------------------------ */

START_TEST(good_names)
{
	char longest[NAME_MAX_LEN + 1];

	memset(longest, 'a', NAME_MAX_LEN);
	longest[NAME_MAX_LEN] = '\0';
	check_name("--name", "a");
	check_name("--name", "7");
	check_name("--name", longest);
	check_name("--name", "web_1.prod-2");
	check_name("--name", "A.-_");
}
END_TEST

/* One exit test per bad name: each must leave with 125. */
static const char *const bad_names[] = {
	"",  "-a",  ".a",  "_a", "a b", "a/b",
	"é", "a\n", "a:b", "..", NULL, /* the 64 characters: in bad_name */
};

START_TEST(bad_name)
{
	char too_long[NAME_MAX_LEN + 2];

	memset(too_long, 'a', NAME_MAX_LEN + 1);
	too_long[NAME_MAX_LEN + 1] = '\0';
	silence_stderr();
	check_name("--name", bad_names[_i] ? bad_names[_i] : too_long);
}
END_TEST

static void check_bad(const char *name)
{
	check_name("--exec", name);
}

START_TEST(bad_name_error_line)
{
	char out[512];

	ck_assert_int_eq(run_child(check_bad, "a/b", out, sizeof(out)), 125);
	ck_assert_str_eq(out, "container: --exec 'a/b': names are letters, "
			      "digits, '_', '.' and '-', starting with a "
			      "letter or digit, at most 63 characters\n");
}
END_TEST

/* --- a name's life --------------------------------------------------------- */

struct runtime {
	pid_t pid;   /* the runtime, our child */
	pid_t child; /* the container's "PID 1", its child (sleep) */
};

static void on_signal(int sig)
{
	(void)sig;
}

/*
 * Start a "runtime" as step 9's main() is one: it claims name, starts a
 * child (sleep 30), and, when serve, answers for it with a pidfd and one
 * cgroup directory (cgdir, as cgroup v2) until the child ends; then it
 * reaps the child and exits 0, and its atexit handler unclaims the name.
 * Returns once the name is claimed. Both die with the test
 * (PR_SET_PDEATHSIG), on a failure too.
 */
static void start_runtime(const char *name, bool serve, struct runtime *rt)
{
	int report[2];

	ck_assert_int_eq(pipe2(report, O_CLOEXEC), 0);
	fflush(NULL);
	rt->pid = fork();
	ck_assert_int_ne(rt->pid, -1);
	if (rt->pid == 0) {
		struct cgroups cg = { .count = 1, .v2 = true, .fd = -1 };
		/* No SA_RESTART, and poll(2) is never restarted anyway. */
		struct sigaction sa = { .sa_handler = on_signal };
		int sock, execd[2];
		pid_t child;
		char c;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		sigaction(SIGUSR1, &sa, NULL);
		snprintf(cg.dirs[0], sizeof(cg.dirs[0]), "%s", cgdir);
		sock = name_claim(name);
		if (pipe2(execd, O_CLOEXEC) == -1)
			_exit(96);
		child = fork();
		if (child == -1)
			_exit(98);
		if (child == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			execlp("sleep", "sleep", "30", (char *)NULL);
			_exit(127);
		}
		/*
		 * Until its exec, the child holds the listening socket too
		 * (SOCK_CLOEXEC): wait for the exec, which closes execd[1],
		 * so that a SIGKILL of ours closes the socket for good.
		 */
		close(execd[1]);
		if (read(execd[0], &c, 1) != 0 ||
		    write(report[1], &child, sizeof(child)) != sizeof(child))
			_exit(97);
		if (serve) {
			name_serve(sock, child, &cg);
			waitpid(child, NULL, 0);
			exit(0); /* and unclaim */
		}
		for (;;)
			pause();
	}
	close(report[1]);
	ck_assert_int_eq(read(report[0], &rt->child, sizeof(rt->child)),
			 sizeof(rt->child));
	close(report[0]);
}

/* End the container and its runtime: 0 when it exited 0. */
static int stop_runtime(struct runtime *rt)
{
	int status;

	kill(rt->child, SIGKILL);
	ck_assert_int_eq(waitpid(rt->pid, &status, 0), rt->pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The PID a pidfd names, from /proc/self/fdinfo ("Pid:"). */
static pid_t pid_of_pidfd(int pidfd)
{
	char path[64], text[1024], *line;
	int pid = 0;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	ck_assert_int_gt(read_file(path, text, sizeof(text)), 0);
	line = strstr(text, "\nPid:");
	ck_assert_ptr_nonnull(line);
	ck_assert_int_eq(sscanf(line, "\nPid: %d", &pid), 1);
	return pid;
}

/* Look name up; check that it names rt's child and cgdir. */
static void lookup_finds(const char *name, const struct runtime *rt)
{
	struct running c;
	struct stat st, want;

	name_lookup("--exec", name, &c);
	ck_assert_int_eq(pid_of_pidfd(c.pidfd), rt->child);
	ck_assert(fcntl(c.pidfd, F_GETFD) & FD_CLOEXEC);
	ck_assert_int_eq(c.cgroups, 1);
	ck_assert(c.v2);
	ck_assert_int_eq(fstat(c.cgroup_fds[0], &st), 0);
	ck_assert_int_eq(stat(cgdir, &want), 0);
	ck_assert_msg(st.st_dev == want.st_dev && st.st_ino == want.st_ino,
		      "the cgroup descriptor is not %s's", cgdir);
	ck_assert(fcntl(c.cgroup_fds[0], F_GETFD) & FD_CLOEXEC);
	running_close(&c);
	ck_assert_int_eq(c.pidfd, -1);
	ck_assert_int_eq(c.cgroups, 0);
}

static void claim(const char *name)
{
	name_claim(name);
}

static void lookup(const char *name)
{
	struct running c;

	name_lookup("--exec", name, &c);
}

static bool is_socket(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

START_TEST(round_trip)
{
	const char *name = unique_name("trip");
	char out[512], want[256];
	struct runtime rt;
	struct stat st;

	start_runtime(name, true, &rt);
	/* Made private (0700), the socket in it. */
	ck_assert_int_eq(stat(names, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0700);
	ck_assert_msg(is_socket(socket_of(name)), "no socket %s",
		      socket_of(name));
	lookup_finds(name, &rt);
	/* A signal interrupts the runtime's poll(2): it goes on serving. */
	ck_assert_int_eq(kill(rt.pid, SIGUSR1), 0);
	lookup_finds(name, &rt);

	/* The name is taken while the container runs. */
	ck_assert_int_eq(run_child(claim, name, out, sizeof(out)), 125);
	snprintf(want, sizeof(want),
		 "container: --name '%s': a container of that name is "
		 "running\n",
		 name);
	ck_assert_str_eq(out, want);
	lookup_finds(name, &rt); /* and still there */

	/* The container ends: name_serve returns, the runtime unclaims. */
	ck_assert_int_eq(stop_runtime(&rt), 0);
	ck_assert_msg(access(socket_of(name), F_OK) == -1 && errno == ENOENT,
		      "%s is still there", socket_of(name));
	ck_assert_int_eq(run_child(lookup, name, out, sizeof(out)), 125);
	snprintf(want, sizeof(want),
		 "container: --exec '%s': no container of that name is "
		 "running\n",
		 name);
	ck_assert_str_eq(out, want);
}
END_TEST

/* A runtime that cannot open its cgroup directory answers nothing. */
START_TEST(cgroup_gone)
{
	const char *name = unique_name("nocg");
	struct runtime rt;
	char out[512];

	start_runtime(name, true, &rt);
	ck_assert_int_eq(rmdir(cgdir), 0);
	ck_assert_int_eq(run_child(lookup, name, out, sizeof(out)), 125);
	ck_assert_msg(strstr(out, "no container of that name is running"),
		      "stderr: %s", out);
	ck_assert_int_eq(stop_runtime(&rt), 0);
}
END_TEST

START_TEST(unknown_name)
{
	char out[512];

	/* No directory at all yet: a lookup makes none. */
	ck_assert_int_eq(run_child(lookup, "nobody-here", out, sizeof(out)),
			 125);
	ck_assert_str_eq(out, "container: --exec 'nobody-here': no container "
			      "of that name is running\n");
	ck_assert_msg(access(names, F_OK) == -1, "the lookup made %s", names);
	/* A bad name is refused before anything is looked at. */
	ck_assert_int_eq(run_child(lookup, "../x", out, sizeof(out)), 125);
	ck_assert_ptr_nonnull(strstr(out, "names are letters"));
}
END_TEST

/*
 * The container ends while we ask: its runtime exits with our call not
 * yet accepted, and recvmsg(2) fails with ECONNRESET. Staged with a
 * listener that waits for our call (poll(2): readable) and exits.
 */
START_TEST(ended_while_asking)
{
	const char *name = unique_name("ended");
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char out[512], want[256], c;
	int ready[2], sock, status;
	pid_t pid;

	make_names_dir();
	strcpy(addr.sun_path, socket_of(name)); /* it fits: socket_of */
	ck_assert_int_eq(pipe(ready), 0);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		struct pollfd wait = { .events = POLLIN };

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		sock = socket(AF_UNIX, SOCK_STREAM, 0);
		if (sock == -1 ||
		    bind(sock, (struct sockaddr *)&addr, sizeof(addr)) == -1 ||
		    listen(sock, 4) == -1 || write(ready[1], "r", 1) != 1)
			_exit(2);
		wait.fd = sock;
		_exit(poll(&wait, 1, 3000) == 1 ? 0 : 3);
	}
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	ck_assert_int_eq(run_child(lookup, name, out, sizeof(out)), 125);
	snprintf(want, sizeof(want),
		 "container: --exec '%s': no container of that name is "
		 "running\n",
		 name);
	ck_assert_str_eq(out, want);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "the listener saw no call");
}
END_TEST

START_TEST(stale_name)
{
	const char *name = unique_name("stale");
	const char *other = unique_name("other");
	struct runtime rt, rt2;
	char out[512];
	int status;

	/* A runtime SIGKILLed leaves its socket, nobody listening on it. */
	start_runtime(name, false, &rt);
	ck_assert_int_eq(kill(rt.pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(rt.pid, &status, 0), rt.pid);
	ck_assert_msg(is_socket(socket_of(name)), "no stale socket %s",
		      socket_of(name));
	ck_assert_int_eq(run_child(lookup, name, out, sizeof(out)), 125);
	ck_assert_msg(strstr(out, "no container of that name"), "stderr: %s",
		      out);

	/* Any claim removes it... */
	start_runtime(other, true, &rt2);
	ck_assert_msg(!is_socket(socket_of(name)), "stale %s still there",
		      socket_of(name));
	/* ...and the name can be had again, and works. */
	start_runtime(name, true, &rt);
	lookup_finds(name, &rt);
	lookup_finds(other, &rt2); /* the live one was left alone */
	ck_assert_int_eq(stop_runtime(&rt), 0);
	ck_assert_int_eq(stop_runtime(&rt2), 0);
	ck_assert(!is_socket(socket_of(name)) && !is_socket(socket_of(other)));
}
END_TEST

START_TEST(stale_name_same_claim)
{
	const char *name = unique_name("again");
	struct runtime rt;
	int status;

	/* The stale socket of the very name claimed is removed first. */
	start_runtime(name, false, &rt);
	kill(rt.pid, SIGKILL);
	ck_assert_int_eq(waitpid(rt.pid, &status, 0), rt.pid);
	start_runtime(name, true, &rt);
	lookup_finds(name, &rt);
	ck_assert_int_eq(stop_runtime(&rt), 0);
}
END_TEST

/*
 * A runtime that holds its name but does not answer (stopped, say, by
 * ^Z): once its backlog is full, a blocking connect(2) to it would wait
 * until it answers, and the stale sweep of every later claim of this
 * user with it, holding the directory's lock. It is in use: left alone.
 */
START_TEST(busy_name_not_blocking)
{
	const char *name = unique_name("busy");
	const char *other = unique_name("free");
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct runtime rt, rt2;
	int i, fd;

	start_runtime(name, false, &rt);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", socket_of(name));
	for (i = 0; i < 1000; i++) { /* kept open: they fill its backlog */
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    0);
		ck_assert_int_ge(fd, 0);
		if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == -1)
			break;
	}
	ck_assert_msg(i < 1000 && errno == EAGAIN,
		      "the backlog did not fill: %d connects, %s", i,
		      strerror(errno));
	start_runtime(other, true, &rt2);
	ck_assert_msg(is_socket(socket_of(name)), "the busy name was removed");
	lookup_finds(other, &rt2);
	ck_assert_int_eq(stop_runtime(&rt2), 0);
	kill(rt.pid, SIGKILL);
	ck_assert_int_eq(waitpid(rt.pid, NULL, 0), rt.pid); /* its sleep too */
}
END_TEST

/* --- a directory that is not private ------------------------------------ */

/*
 * XDG_RUNTIME_DIR is tmp/PLACE, prepared by the test; claim a name there
 * as 65534 (as root) or as ourselves.
 */
static void claim_as_user(const char *place)
{
	char xdg[PATH_MAX];

	drop_root();
	snprintf(xdg, sizeof(xdg), "%s/%s", tmp, place);
	setenv("XDG_RUNTIME_DIR", xdg, 1);
	name_claim("web");
}

/* What claim_as_user says about a directory that is not private, DIR. */
static void refused_dir(const char *place, const char *dir)
{
	char out[1024], want[PATH_MAX + 256];

	ck_assert_int_eq(run_child(claim_as_user, place, out, sizeof(out)),
			 125);
	snprintf(want, sizeof(want),
		 "container: %s/%s: not a directory of uid %u's alone (mode "
		 "0700): names cannot live there\nhint: ",
		 tmp, dir, geteuid() == 0 ? NOBODY : (unsigned)geteuid());
	ck_assert_msg(strncmp(out, want, strlen(want)) == 0,
		      "stderr: %s, want: %s...", out, want);
}

/* mkdir path (below tmp), owned by the claimer, with mode. */
static void user_dir(const char *path, mode_t mode)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s/%s", tmp, path);
	ck_assert_int_eq(mkdir(dir, mode), 0);
	ck_assert_int_eq(chmod(dir, mode), 0); /* past the umask */
	if (geteuid() == 0)
		ck_assert_int_eq(chown(dir, NOBODY, NOBODY), 0);
}

START_TEST(dir_not_private)
{
	char link[PATH_MAX], target[PATH_MAX];

	/* The claimer (65534 as root) can reach tmp, owns what it makes. */
	if (geteuid() == 0) {
		ck_assert_int_eq(chmod(tmp, 0755), 0);
		ck_assert_int_eq(chown(tmp, NOBODY, NOBODY), 0);
	}
	/* Others may enter mini-container. */
	user_dir("a", 0700);
	user_dir("a/mini-container", 0755);
	refused_dir("a", "a/mini-container");
	/* Or its names. */
	user_dir("b", 0700);
	user_dir("b/mini-container", 0700);
	user_dir("b/mini-container/names", 0750);
	refused_dir("b", "b/mini-container/names");
	/* A symbolic link to a private directory is no directory. */
	user_dir("c", 0700);
	user_dir("c/private", 0700);
	snprintf(link, sizeof(link), "%s/c/mini-container", tmp);
	snprintf(target, sizeof(target), "%s/c/private", tmp);
	ck_assert_int_eq(symlink(target, link), 0);
	refused_dir("c", "c/mini-container");
	/* Nor is a file, private as it may be. */
	user_dir("f", 0700);
	snprintf(link, sizeof(link), "%s/f/mini-container", tmp);
	ck_assert_int_eq(close(open(link, O_WRONLY | O_CREAT, 0600)), 0);
	if (geteuid() == 0)
		ck_assert_int_eq(chown(link, NOBODY, NOBODY), 0);
	refused_dir("f", "f/mini-container");
	/* Another user's, private to them (as root only: root's, here). */
	if (geteuid() == 0) {
		user_dir("d", 0700);
		snprintf(link, sizeof(link), "%s/d/mini-container", tmp);
		ck_assert_int_eq(mkdir(link, 0700), 0);
		refused_dir("d", "d/mini-container");
	}
	/* A private one is fine: the name is claimed. */
	user_dir("e", 0700);
	ck_assert_int_eq(run_child(claim_as_user, "e", link, sizeof(link)), 0);
}
END_TEST

/* The socket's path must fit in sun_path (unix(7)). */
START_TEST(socket_path_too_long)
{
	char place[200], out[1024];

	if (geteuid() == 0) {
		ck_assert_int_eq(chmod(tmp, 0755), 0);
		ck_assert_int_eq(chown(tmp, NOBODY, NOBODY), 0);
	}
	memset(place, 'x', 100);
	place[100] = '\0';
	user_dir(place, 0700);
	ck_assert_int_eq(run_child(claim_as_user, place, out, sizeof(out)),
			 125);
	ck_assert_msg(strstr(out, ": File name too long\nhint: set "
				  "XDG_RUNTIME_DIR to a shorter path\n"),
		      "stderr: %s", out);
}
END_TEST

/* --- another uid's runtime (root only) ------------------------------------ */

/*
 * A socket in root's names directory whose listener is uid 65534:
 * SO_PEERCRED gives the credentials of listen(2) time (unix(7)), so a
 * process that binds as root and then becomes 65534 stages it.
 */
START_TEST(other_uid_runtime)
{
	const char *name = unique_name("peer");
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char out[512], want[512], c;
	int ready[2], sock, status;
	pid_t pid;

	if (geteuid() != 0) {
		fprintf(stderr, "check_names: other_uid_runtime skipped: needs "
				"root (to listen as another uid)\n");
		return;
	}
	make_names_dir();
	strcpy(addr.sun_path, socket_of(name)); /* it fits: socket_of */
	ck_assert_int_eq(pipe(ready), 0);
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		sock = socket(AF_UNIX, SOCK_STREAM, 0);
		if (sock == -1 ||
		    bind(sock, (struct sockaddr *)&addr, sizeof(addr)) == -1)
			_exit(2);
		drop_root();
		if (listen(sock, 4) == -1 || write(ready[1], "r", 1) != 1)
			_exit(3);
		pause();
		_exit(0);
	}
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	ck_assert_int_eq(run_child(lookup, name, out, sizeof(out)), 125);
	snprintf(want, sizeof(want),
		 "container: --exec '%s': %s is held by uid %d, not by you\n",
		 name, socket_of(name), NOBODY);
	ck_assert_str_eq(out, want);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
}
END_TEST

/*
 * The other side: a runtime (root) answers nothing to a caller of
 * another uid (65534). The names directory keeps such callers out, so
 * the runtime serves a socket in tmp here, which 65534 may reach.
 */
static void connect_as_nobody(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char data, buf[CMSG_SPACE(4 * sizeof(int))];
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = buf,
			      .msg_controllen = sizeof(buf) };
	ssize_t got;
	int fd;

	drop_root();
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd == -1 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)))
		_exit(2);
	got = recvmsg(fd, &msg, 0);
	/* 0: the runtime hung up, sending nothing. */
	_exit(got == 0 && msg.msg_controllen == 0 ? 0 : 1);
}

START_TEST(serve_refuses_other_uid)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct cgroups cg = { .count = 0, .fd = -1 };
	char out[256];
	pid_t pid, child;
	int sock, status;

	if (geteuid() != 0) {
		fprintf(stderr, "check_names: serve_refuses_other_uid skipped: "
				"needs root (to call as another uid)\n");
		return;
	}
	ck_assert_int_eq(chmod(tmp, 0755), 0);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/sock", tmp);
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(sock, 0);
	ck_assert_int_eq(bind(sock, (struct sockaddr *)&addr, sizeof(addr)), 0);
	ck_assert_int_eq(chmod(addr.sun_path, 0777), 0);
	ck_assert_int_eq(listen(sock, 4), 0);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		child = fork();
		if (child == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			pause();
			_exit(0);
		}
		name_serve(sock, child, &cg);
		_exit(0);
	}
	close(sock);
	ck_assert_msg(run_child(connect_as_nobody, addr.sun_path, out,
				sizeof(out)) == 0,
		      "uid %d got an answer, or no hang-up", NOBODY);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
}
END_TEST

static Suite *names_suite(void)
{
	Suite *s = suite_create("names");
	TCase *tc;

	tc = tcase_create("check_name");
	tcase_add_test(tc, good_names);
	tcase_add_loop_exit_test(tc, bad_name, 125, 0,
				 sizeof(bad_names) / sizeof(bad_names[0]));
	tcase_add_test(tc, bad_name_error_line);
	suite_add_tcase(s, tc);

	tc = tcase_create("name_claim, name_serve, name_lookup");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, cgroup_gone);
	tcase_add_test(tc, unknown_name);
	tcase_add_test(tc, ended_while_asking);
	tcase_add_test(tc, stale_name);
	tcase_add_test(tc, stale_name_same_claim);
	tcase_add_test(tc, busy_name_not_blocking);
	suite_add_tcase(s, tc);

	tc = tcase_create("private directory");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, dir_not_private);
	tcase_add_test(tc, socket_path_too_long);
	suite_add_tcase(s, tc);

	tc = tcase_create("another uid");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, other_uid_runtime);
	tcase_add_test(tc, serve_refuses_other_uid);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(names_suite());
}
