#define _GNU_SOURCE
/*
 * probe: a small static program that `make rootfs` puts in /bin, so tests
 * (and readers) can look at what busybox has no applet for.
 *
 *   probe clocks            CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_REALTIME in seconds
 *   probe fds               the file descriptors this process was started with
 *   probe hog MIB           allocate and touch MIB mebibytes, one at a time
 *   probe spin SECS         burn CPU for SECS seconds of wall time, print CPU seconds used
 *   probe forkbomb MAX      fork until fork fails or MAX children; print how many
 *   probe msgget            create a System V message queue; print its id
 *   probe mq-create NAME    create the POSIX message queue /NAME
 *   probe mq-open NAME      exit 0 if /NAME exists, 1 if not
 *   probe mq-unlink NAME    remove the POSIX message queue /NAME
 *   probe escape            try the classic chroot escape; list the "/" it reaches
 *   probe as ID CMD [ARG]...  run CMD as uid and gid ID, with no supplementary groups
 *   probe ptrace PID        try to attach to PID (PTRACE_SEIZE): exit 0 if it works
 *   probe tiocsti FD TEXT   push TEXT into the terminal FD as typed input (TIOCSTI)
 *   probe keyctl            ask for the session keyring's serial (keyctl(2))
 *   probe ids               print the real and effective uid
 *   probe abi ABI           getpid(2) through another entry point: i386 (int 0x80)
 *                           or x32; prints the PID
 * Each of tiocsti and keyctl prints "ok", or the errno's name and exits 1.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/syscall.h>
#include <sys/msg.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(clockid_t clock)
{
	struct timespec ts;

	if (clock_gettime(clock, &ts) == -1) {
		perror("probe: clock_gettime");
		exit(1);
	}
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int clocks(void)
{
	printf("monotonic %.3f\n", seconds(CLOCK_MONOTONIC));
	printf("boottime %.3f\n", seconds(CLOCK_BOOTTIME));
	printf("realtime %.3f\n", seconds(CLOCK_REALTIME));
	return 0;
}

static int fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *d;

	if (dir == NULL) {
		perror("probe: /proc/self/fd");
		return 1;
	}
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.' || atoi(d->d_name) == dirfd(dir))
			continue;
		printf("%s\n", d->d_name);
	}
	closedir(dir);
	return 0;
}

static int hog(long mib)
{
	long i;

	for (i = 0; i < mib; i++) {
		char *p = malloc(1 << 20);

		if (p == NULL) {
			printf("malloc failed after %ld MiB\n", i);
			return 1;
		}
		memset(p, 1, 1 << 20);
		if ((i + 1) % 16 == 0) {
			printf("%ld MiB\n", i + 1);
			fflush(stdout);
		}
	}
	printf("allocated %ld MiB\n", mib);
	return 0;
}

static int spin(double secs)
{
	double end = seconds(CLOCK_MONOTONIC) + secs;
	volatile unsigned long n = 0;
	struct rusage ru;

	while (seconds(CLOCK_MONOTONIC) < end)
		n++;
	getrusage(RUSAGE_SELF, &ru);
	printf("cpu %.3f\n", (double)ru.ru_utime.tv_sec +
				      (double)ru.ru_utime.tv_usec / 1e6 +
				      (double)ru.ru_stime.tv_sec +
				      (double)ru.ru_stime.tv_usec / 1e6);
	return 0;
}

static int forkbomb(long max)
{
	static pid_t children[4096];
	long n = 0, i;
	int err = 0;

	if (max > 4096)
		max = 4096;
	while (n < max) {
		pid_t pid = fork();

		if (pid == -1) {
			err = errno;
			break;
		}
		if (pid == 0) {
			pause();
			_exit(0);
		}
		children[n++] = pid;
	}
	printf("forked %ld (%s)\n", n, err ? strerror(err) : "limit reached");
	fflush(stdout);
	for (i = 0; i < n; i++)
		kill(children[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	return 0;
}

static int msg_get(void)
{
	int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);

	if (id == -1) {
		perror("probe: msgget");
		return 1;
	}
	printf("%d\n", id);
	return 0;
}

static int mq(const char *name, int create)
{
	char path[256];
	mqd_t q;

	snprintf(path, sizeof(path), "/%s", name);
	q = mq_open(path, create ? O_CREAT | O_RDWR : O_RDWR, 0600, NULL);
	if (q == (mqd_t)-1) {
		if (!create && errno == ENOENT)
			return 1;
		perror("probe: mq_open");
		return 2;
	}
	mq_close(q);
	return 0;
}

static int mq_remove(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/%s", name);
	if (mq_unlink(path) == -1) {
		perror("probe: mq_unlink");
		return 1;
	}
	return 0;
}

/*
 * chroot(2) changes only where "/" resolves; it does not move the current
 * directory. So chroot into a subdirectory, stay outside it, climb with
 * ".." past the top, and chroot(".") there: a process with CAP_SYS_CHROOT
 * is back at the real root. After pivot_root and detaching the old root,
 * the climb ends at the container's own root: there is nothing above it.
 */
static int escape(void)
{
	DIR *dir;
	struct dirent *d;
	int i;

	if (mkdir("/tmp/.escape", 0700) == -1 && errno != EEXIST) {
		perror("probe: mkdir /tmp/.escape");
		return 1;
	}
	if (chroot("/tmp/.escape") == -1) {
		perror("probe: chroot");
		return 1;
	}
	for (i = 0; i < 64; i++)
		if (chdir("..") == -1)
			break;
	if (chroot(".") == -1) {
		perror("probe: chroot(.)");
		return 1;
	}
	dir = opendir("/");
	if (dir == NULL) {
		perror("probe: opendir /");
		return 1;
	}
	while ((d = readdir(dir)) != NULL)
		if (d->d_name[0] != '.')
			printf("%s\n", d->d_name);
	closedir(dir);
	return 0;
}

static int run_as(unsigned id, char **argv)
{
	if (setgroups(0, NULL) == -1 || setresgid(id, id, id) == -1 ||
	    setresuid(id, id, id) == -1) {
		perror("probe: set IDs");
		return 1;
	}
	execvp(argv[0], argv);
	perror("probe: execvp");
	return 127;
}

/* Attach to pid and let go again: may we ptrace(2) it? */
static int seize(pid_t pid)
{
	if (ptrace(PTRACE_SEIZE, pid, NULL, NULL) == -1) {
		perror("probe: ptrace(PTRACE_SEIZE)");
		return 1;
	}
	printf("attached to %d\n", pid);
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	return 0;
}

/* "ok", or the name of errno (strerrorname_np, glibc 2.32) and 1. */
static int outcome(long ret)
{
	if (ret == -1) {
		printf("%s\n", strerrorname_np(errno));
		return 1;
	}
	printf("ok\n");
	return 0;
}

/* Type text into the terminal fd, as if from its keyboard (ioctl_tty(2)). */
static int tiocsti(int fd, const char *text)
{
	long ret = 0;

	for (; *text != '\0' && ret == 0; text++)
		ret = ioctl(fd, TIOCSTI, text);
	return outcome(ret);
}

/* KEYCTL_GET_KEYRING_ID (0) of KEY_SPEC_SESSION_KEYRING (-3), no create. */
static int keyring(void)
{
	return outcome(syscall(SYS_keyctl, 0, -3, 0));
}

static int ids(void)
{
	printf("uid %u euid %u\n", (unsigned)getuid(), (unsigned)geteuid());
	return 0;
}

/*
 * getpid through the i386 entry point (int 0x80, call 20) or as an x32
 * call (__X32_SYSCALL_BIT | 39): the same call under other numbers.
 */
static int other_abi(const char *abi)
{
	long ret = -1;

#if defined(__x86_64__)
	if (strcmp(abi, "i386") == 0)
		__asm__ volatile("int $0x80"
				 : "=a"(ret)
				 : "0"(20L)
				 : "memory");
	else if (strcmp(abi, "x32") == 0)
		ret = syscall(0x40000000L | 39);
#endif
	if (ret < 0) { /* -errno from int 0x80, -1 and errno from syscall */
		printf("%s\n", strerrorname_np(ret == -1 ? errno : (int)-ret));
		return 1;
	}
	printf("%ld\n", ret);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (strcmp(cmd, "clocks") == 0)
		return clocks();
	if (strcmp(cmd, "fds") == 0)
		return fds();
	if (strcmp(cmd, "hog") == 0 && argc > 2)
		return hog(atol(argv[2]));
	if (strcmp(cmd, "spin") == 0 && argc > 2)
		return spin(atof(argv[2]));
	if (strcmp(cmd, "forkbomb") == 0 && argc > 2)
		return forkbomb(atol(argv[2]));
	if (strcmp(cmd, "msgget") == 0)
		return msg_get();
	if (strcmp(cmd, "mq-create") == 0 && argc > 2)
		return mq(argv[2], 1);
	if (strcmp(cmd, "mq-open") == 0 && argc > 2)
		return mq(argv[2], 0);
	if (strcmp(cmd, "mq-unlink") == 0 && argc > 2)
		return mq_remove(argv[2]);
	if (strcmp(cmd, "escape") == 0)
		return escape();
	if (strcmp(cmd, "as") == 0 && argc > 3)
		return run_as((unsigned)atol(argv[2]), &argv[3]);
	if (strcmp(cmd, "ptrace") == 0 && argc > 2)
		return seize((pid_t)atol(argv[2]));
	if (strcmp(cmd, "tiocsti") == 0 && argc > 3)
		return tiocsti(atoi(argv[2]), argv[3]);
	if (strcmp(cmd, "keyctl") == 0)
		return keyring();
	if (strcmp(cmd, "ids") == 0)
		return ids();
	if (strcmp(cmd, "abi") == 0 && argc > 2)
		return other_abi(argv[2]);
	fprintf(stderr, "usage: probe clocks|fds|hog MIB|spin SECS|forkbomb MAX|"
			"msgget|mq-create NAME|mq-open NAME|mq-unlink NAME|escape|as ID CMD...|"
			"ptrace PID|tiocsti FD TEXT|keyctl|ids|abi i386|x32\n");
	return 2;
}
