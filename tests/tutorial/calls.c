/*
 * calls.c - a fixture for tests/bats/tutorial.bats: functions written as
 * the steps write theirs, for a calls block to reduce to their kernel
 * calls. It is never compiled.
 */

/* A declaration first: the lookup takes the definition. */
static void setup(struct config *cfg);

/* Set the container up. */
static void setup(struct config *cfg)
{
	struct config *c = cfg;
	char path[64];
	int fd = must(open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC),
		      "open(%s)", "/proc/self/ns/uts");
	int err;

	/*
	 * A block comment, and a blank line above.
	 */
	must(sethostname(cfg->hostname, strlen(cfg->hostname)),
	     "sethostname(%s)", cfg->hostname); // a line comment
	narrate("hostname: %s", cfg->hostname);
	if (mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) == -1)
		die(errno, NULL, "mount(proc)");
	if (cfg->verbose)
		notice("verbose");
	if (setns(fd, CLONE_NEWTIME) < 0) {
		err = errno;
		close(fd);
		die(err, NULL, "setns(%d)", fd);
	}
	if (pid == -1 && errno == EPERM)
		die(errno, "run it with sudo", "clone()");
	fd = must_hint(dup(fd), "is the descriptor open?", "dup(%d)", fd);
	nl_must(err == -NLE_EXIST ? 0 : err, "ip link add %s", "mini0");
	if (cfg->private) {
		/* Only when asked. */
		snprintf(path, sizeof(path), "/proc/%d/setgroups", cfg->pid);
		must(write_file(path, "deny"), "write %s", path);
	}
	for (i = 0; i < cfg->count; i++)
		must(mount(cfg->sources[i], cfg->targets[i], NULL,
			   MS_BIND | MS_REC | MS_NOSUID | MS_NODEV, NULL),
		     "mount(%s)", cfg->targets[i]);
	if (!alive(cfg))
		_exit(EXIT_SETUP_FAILED);
	report(0, NULL, "done");
	return;
}

static int
child(void *arg,
      int flags)
{
	if (close_range(3, ~0U, 0) < 0 && errno != ENOSYS)
		return -1;
	return run(arg);
}
