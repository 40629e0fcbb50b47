/*
 * check_join.c - joining a running process's namespaces one by one
 * (join_by_files), for kernels whose setns(2) takes no pidfd; and moving
 * a process into cgroups given by descriptor (cgroup_fds_add).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "common/file.h"
#include "common/join.h"
#include "common/syscalls.h"
#include "unit.h"

#define HOSTNAME "check-join-target"
#define NOBODY	 65534

/* --- join_by_files ---------------------------------------------------------- */

struct target {
	pid_t pid;   /* our child, in namespaces of its own */
	int release; /* closing it lets the target exit */
};

/*
 * Start a target: a child that unshares the namespaces in flags, sets
 * its hostname (with CLONE_NEWUTS) and waits until released. As root,
 * as uid 65534 first when nobody (and then it needs a user namespace).
 * Returns 0, or the errno of its unshare(2): the test then skips.
 */
static int start_target(int flags, bool nobody, struct target *t)
{
	int ready[2], release[2], err = 0;
	char c;

	ck_assert_int_eq(pipe2(ready, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(release, O_CLOEXEC), 0);
	fflush(NULL);
	t->pid = fork();
	ck_assert_int_ne(t->pid, -1);
	if (t->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(ready[0]);
		close(release[1]);
		if (nobody && (setgroups(0, NULL) == -1 ||
			       setresgid(NOBODY, NOBODY, NOBODY) == -1 ||
			       setresuid(NOBODY, NOBODY, NOBODY) == -1))
			err = errno;
		/*
		 * A change of uid makes a process undumpable, and its
		 * /proc/PID/ns out of other users' reach (proc(5),
		 * ptrace(2)): as an ordinary user's process it would be.
		 */
		if (nobody)
			prctl(PR_SET_DUMPABLE, 1);
		if (!err && unshare(flags) == -1)
			err = errno;
		if (!err && (flags & CLONE_NEWUTS) &&
		    sethostname(HOSTNAME, strlen(HOSTNAME)) == -1)
			err = errno;
		if (write(ready[1], &err, sizeof(err)) != sizeof(err))
			_exit(2);
		/* EOF: released. */
		_exit(read(release[0], &c, 1) == 0 ? 0 : 3);
	}
	close(ready[1]);
	close(release[0]);
	t->release = release[1];
	ck_assert_int_eq(read(ready[0], &err, sizeof(err)), sizeof(err));
	close(ready[0]);
	return err;
}

static void stop_target(struct target *t)
{
	int status;

	close(t->release);
	ck_assert_int_eq(waitpid(t->pid, &status, 0), t->pid);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}

/* Is process pid in the same namespace NS as we are? */
static bool same_ns(pid_t pid, const char *ns)
{
	char path[64], ours[64] = "", theirs[64] = "";

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns);
	if (readlink(path, theirs, sizeof(theirs) - 1) == -1)
		return false;
	snprintf(path, sizeof(path), "/proc/self/ns/%s", ns);
	if (readlink(path, ours, sizeof(ours) - 1) == -1)
		return false;
	return strcmp(ours, theirs) == 0;
}

/* What a joiner found, as its exit status. */
enum {
	JOINED = 0,
	NOT_IN_UTS = 2,
	NOT_IN_IPC = 3,
	NOT_IN_USER = 4,
	WRONG_HOSTNAME = 5,
	NO_PIDFD = 6,
	JOIN_FAILED = 100, /* + errno: join_by_files returned -1 */
};

/*
 * A second process (as uid 65534 when nobody) joins the target's
 * namespaces flags with join_by_files, and checks from inside: its
 * /proc/self/ns links are the target's, and so is its hostname.
 */
/* The joiner's exit status says how it went; JOINED (0): all is well. */
static int join_from_child(pid_t target, int flags, bool nobody)
{
	char host[128] = "";
	int status, pidfd;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		if (nobody && (setgroups(0, NULL) == -1 ||
			       setresgid(NOBODY, NOBODY, NOBODY) == -1 ||
			       setresuid(NOBODY, NOBODY, NOBODY) == -1))
			_exit(99);
		pidfd = sys_pidfd_open(target, 0);
		if (pidfd == -1)
			_exit(NO_PIDFD);
		if (join_by_files(pidfd, flags) == -1)
			_exit(errno < 100 ? JOIN_FAILED + errno : 1);
		if (!same_ns(target, "uts"))
			_exit(NOT_IN_UTS);
		if (!same_ns(target, "ipc"))
			_exit(NOT_IN_IPC);
		if ((flags & CLONE_NEWUSER) && !same_ns(target, "user"))
			_exit(NOT_IN_USER);
		gethostname(host, sizeof(host) - 1);
		_exit(strcmp(host, HOSTNAME) == 0 ? JOINED : WRONG_HOSTNAME);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

START_TEST(join_root)
{
	struct target t;
	int err;

	if (geteuid() != 0) {
		fprintf(stderr,
			"check_join: join_root skipped: needs root (new "
			"UTS and IPC namespaces without a user "
			"namespace)\n");
		return;
	}
	err = start_target(CLONE_NEWUTS | CLONE_NEWIPC, false, &t);
	ck_assert_msg(err == 0, "unshare: %s", strerror(err));
	/* Not ours to begin with. */
	ck_assert(!same_ns(t.pid, "uts") && !same_ns(t.pid, "ipc"));
	ck_assert_int_eq(join_from_child(t.pid, CLONE_NEWUTS | CLONE_NEWIPC,
					 false),
			 JOINED);
	stop_target(&t);
}
END_TEST

/*
 * An ordinary user joins a container's user namespace first, then the
 * others, which that namespace owns (join.c says why the order). As root,
 * both sides are uid 65534 here.
 */
START_TEST(join_user_first)
{
	int flags = CLONE_NEWUSER | CLONE_NEWUTS | CLONE_NEWIPC;
	bool nobody = geteuid() == 0;
	struct target t;
	int err;

	err = start_target(flags, nobody, &t);
	if (err != 0) {
		stop_target(&t);
		fprintf(stderr,
			"check_join: join_user_first skipped: no user "
			"namespace for an ordinary user here (%s)\n",
			strerror(err));
		return;
	}
	ck_assert_int_eq(join_from_child(t.pid, flags, nobody), JOINED);
	/*
	 * Without CLONE_NEWUSER, the UTS namespace is out of reach: an
	 * ordinary user has no CAP_SYS_ADMIN in its own user namespace.
	 */
	ck_assert_int_eq(join_from_child(t.pid, CLONE_NEWUTS, nobody),
			 JOIN_FAILED + EPERM);
	stop_target(&t);
}
END_TEST

/* The "Pid:" line of a pidfd's fdinfo (-1 once its process is reaped). */
static int fdinfo_pid(int pidfd)
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

/* A child that exits at once, and a pidfd of it taken before it does. */
static pid_t ended_child(int *pidfd)
{
	int go[2];
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe(go), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		close(go[1]);
		_exit(read(go[0], &c, 1) == 0 ? 0 : 3);
	}
	close(go[0]);
	*pidfd = sys_pidfd_open(pid, 0);
	ck_assert_int_ge(*pidfd, 0);
	close(go[1]);
	return pid;
}

START_TEST(ended_reaped)
{
	int pidfd, status;
	pid_t pid = ended_child(&pidfd);

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	/* Reaped: the pidfd names no PID any more. */
	ck_assert_int_eq(fdinfo_pid(pidfd), -1);
	errno = 0;
	ck_assert_int_eq(join_by_files(pidfd, CLONE_NEWUTS | CLONE_NEWIPC), -1);
	ck_assert_msg(errno == ESRCH, "errno %d (%s), want ESRCH", errno,
		      strerror(errno));
	close(pidfd);
}
END_TEST

START_TEST(ended_zombie)
{
	int pidfd, status;
	pid_t pid = ended_child(&pidfd);
	siginfo_t info;

	/* Ended, not reaped: a zombie, which keeps its PID... */
	ck_assert_int_eq(waitid(P_PID, pid, &info, WEXITED | WNOWAIT), 0);
	ck_assert_int_eq(fdinfo_pid(pidfd), pid);
	/* ...and answers signal 0, but has no namespaces any more. */
	ck_assert_int_eq(sys_pidfd_send_signal(pidfd, 0), 0);
	errno = 0;
	ck_assert_int_eq(join_by_files(pidfd, CLONE_NEWUTS | CLONE_NEWIPC), -1);
	ck_assert_msg(errno == ESRCH, "errno %d (%s), want ESRCH", errno,
		      strerror(errno));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	close(pidfd);
}
END_TEST

/*
 * The namespace files of another user's process are out of reach (a
 * ptrace(2) access check): -1 with EACCES, and nothing joined. Here as
 * uid 65534 (dropping root first) against PID 1.
 */
START_TEST(other_users_process)
{
	char before[64] = "", after[64] = "";
	int pidfd, err = 0;

	if (geteuid() == 0 && (setgroups(0, NULL) == -1 ||
			       setresgid(NOBODY, NOBODY, NOBODY) == -1 ||
			       setresuid(NOBODY, NOBODY, NOBODY) == -1))
		ck_abort_msg("cannot become uid %d: %s", NOBODY,
			     strerror(errno));
	pidfd = sys_pidfd_open(1, 0);
	ck_assert_int_ge(pidfd, 0);
	ck_assert_int_gt(
		readlink("/proc/self/ns/uts", before, sizeof(before) - 1), 0);
	if (join_by_files(pidfd, CLONE_NEWUTS | CLONE_NEWIPC) == -1)
		err = errno;
	ck_assert_msg(err == EACCES || err == EPERM,
		      "join_by_files: %s, want EACCES",
		      err ? strerror(err) : "joined");
	ck_assert_int_gt(
		readlink("/proc/self/ns/uts", after, sizeof(after) - 1), 0);
	ck_assert_str_eq(before, after);
	close(pidfd);
}
END_TEST

/* --- cgroup_fds_add ---------------------------------------------------------- */

static char tmp[64];

static void setup(void)
{
	snprintf(tmp, sizeof(tmp), "%s", make_tmpdir());
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	ck_assert_int_eq(system(cmd), 0);
}

/* tmp/NAME, a directory with an empty cgroup.procs file when procs. */
static int fake_cgroup(const char *name, bool procs)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmp, name);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	if (procs) {
		snprintf(path, sizeof(path), "%s/%s/cgroup.procs", tmp, name);
		fd = open(path, O_WRONLY | O_CREAT, 0644);
		ck_assert_int_ge(fd, 0);
		close(fd);
	}
	snprintf(path, sizeof(path), "%s/%s", tmp, name);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	return fd;
}

static void assert_procs(const char *name, const char *want)
{
	char path[128], text[64];

	snprintf(path, sizeof(path), "%s/%s/cgroup.procs", tmp, name);
	ck_assert_int_ge(read_file(path, text, sizeof(text)), 0);
	ck_assert_str_eq(text, want);
}

START_TEST(add_writes_pid)
{
	/* One per v1 tree, as on a hybrid machine. */
	int fds[2] = { fake_cgroup("memory", true), fake_cgroup("pids", true) };

	cgroup_fds_add(fds, 2, 4242);
	assert_procs("memory", "4242");
	assert_procs("pids", "4242");
	/* None: nothing to do. */
	cgroup_fds_add(fds, 0, 1);
	assert_procs("memory", "4242");
	close(fds[0]);
	close(fds[1]);
}
END_TEST

START_TEST(add_no_procs_file)
{
	int fd = fake_cgroup("gone", false);

	/* This test exits, before teardown: remove tmp now, fd still open. */
	teardown();
	silence_stderr();
	cgroup_fds_add(&fd, 1, 4242);
}
END_TEST

START_TEST(add_error_line)
{
	int fd = fake_cgroup("gone", false), fds[2], status;
	char buf[256] = "";
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		cgroup_fds_add(&fd, 1, 4242);
		_exit(0);
	}
	close(fds[1]);
	ck_assert_int_gt(read(fds[0], buf, sizeof(buf) - 1), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(status), 125);
	ck_assert_str_eq(buf, "container: move 4242 into the container's "
			      "cgroup: No such file or directory\n");
}
END_TEST

static Suite *join_suite(void)
{
	Suite *s = suite_create("join");
	TCase *tc;

	tc = tcase_create("join_by_files");
	tcase_add_test(tc, join_root);
	tcase_add_test(tc, join_user_first);
	tcase_add_test(tc, ended_reaped);
	tcase_add_test(tc, ended_zombie);
	tcase_add_test(tc, other_users_process);
	suite_add_tcase(s, tc);

	tc = tcase_create("cgroup_fds_add");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, add_writes_pid);
	tcase_add_exit_test(tc, add_no_procs_file, 125);
	tcase_add_test(tc, add_error_line);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(join_suite());
}
