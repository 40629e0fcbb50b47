#define _GNU_SOURCE
#include "common/mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"

/* Paths of /proc a container may read but not write, as runc's defaults. */
const char *const proc_readonly_paths[] = { "proc/bus",		  "proc/fs",
					    "proc/irq",		  "proc/sys",
					    "proc/sysrq-trigger", NULL };

/*
 * ...and paths it should not see at all: kernel memory, keyrings, timers,
 * firmware and power-meter readings (runc's maskedPaths; powercap's energy
 * counters leak what other tenants compute, CVE-2020-8694).
 */
const char *const masked_paths[] = {
	"proc/acpi",
	"proc/asound",
	"proc/kcore",
	"proc/keys",
	"proc/latency_stats",
	"proc/timer_list",
	"proc/timer_stats",
	"proc/sched_debug",
	"proc/scsi",
	"sys/firmware",
	"sys/devices/virtual/powercap",
	NULL,
};

/* The host's device nodes a container gets, bind-mounted (see mount_dev). */
static const char *const dev_nodes[] = { "null",    "zero", "full", "random",
					 "urandom", "tty",  NULL };

void protect_proc(void)
{
	const char *const *p;

	for (p = proc_readonly_paths; *p != NULL; p++) {
		if (access(*p, F_OK) == -1) {
			if (errno == ENOENT)
				continue;
			die(errno, NULL, "access(%s)", *p);
		}
		must(mount(*p, *p, NULL, MS_BIND | MS_REC, NULL),
		     "mount(%s, MS_BIND)", *p);
		must(mount(NULL, *p, NULL,
			   MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID |
				   MS_NODEV | MS_NOEXEC,
			   NULL),
		     "mount(%s, MS_REMOUNT|MS_RDONLY)", *p);
	}
}

void mask_paths(void)
{
	const char *const *p;
	struct stat st;

	for (p = masked_paths; *p != NULL; p++) {
		if (stat(*p, &st) == -1) {
			if (errno == ENOENT)
				continue;
			die(errno, NULL, "stat(%s)", *p);
		}
		if (S_ISDIR(st.st_mode))
			must(mount("tmpfs", *p, "tmpfs", MS_RDONLY, NULL),
			     "mount(tmpfs on %s)", *p);
		else
			must(mount("/dev/null", *p, NULL, MS_BIND, NULL),
			     "mount(/dev/null on %s)", *p);
	}
}

void mount_dev(void)
{
	char host[64], path[64];
	const char *const *node;
	int fd;

	must(mount("tmpfs", "dev", "tmpfs", MS_NOSUID | MS_NOEXEC,
		   "mode=755,size=64k"),
	     "mount(tmpfs on dev)");
	for (node = dev_nodes; *node != NULL; node++) {
		snprintf(host, sizeof(host), "/dev/%s", *node);
		snprintf(path, sizeof(path), "dev/%s", *node);
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
		   "newinstance,ptmxmode=0666,mode=0620"),
	     "mount(devpts)");
	must(mkdir("dev/shm", 01777), "mkdir(dev/shm)");
	must(mount("shm", "dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		   "mode=1777,size=64m"),
	     "mount(tmpfs on dev/shm)");
}
