#!/usr/bin/env bats
# faults: the runtime SIGKILLed after each phase of its setup, and each
# kernel call of the setup failing in turn (every step). Whatever happens,
# the run ends as SPEC says (125 and an error line that gives the injected
# error as its reason; 126 or 127 when it is COMMAND that cannot run; or
# killed) and leaves nothing behind: the
# leftover check of helpers.bash runs after every single fault, not only
# at the end of the test.
#
# strace(1) does the harm, and counts for us:
#
#   -e inject=SYSCALL:error=EPERM:when=N    the Nth call of SYSCALL fails
#   -e inject=write:signal=KILL:when=N      the Nth write(2) meets SIGKILL
#
# strace counts "per syscall and per tracee", and injects into every
# process it traces. So a fault aimed at the runtime (the parent) runs
# strace without -f: only the runtime is traced, and N counts its own
# calls. A fault aimed at the container's first process (the child) needs
# -f, which traces the runtime too; then N must be a number of calls that
# the runtime does not reach (the child's 3rd mount(2): the runtime mounts
# nothing), or the fault is narrowed with -P PATH to a path the runtime
# never uses (the child's openat("dev/null")): strace counts only the calls
# that match. A child call that is neither (its first netlink sendmsg: the
# runtime sent its own before) is not faulted alone; the test says how many.
#
# N comes from a reference run under strace -f. The runtime's calls before
# main (libc's and libnl's start-up; in a dynamic build the loader's openat
# and read too) are those of a run that stops at once on bad input, and
# are never faulted: that would test the C library, not the runtime.
#
# Each code path is faulted once, in the step that brings it: a step
# faults the calls of its reference run that the step before does not
# make the same way in its own reference run (the same call, as strace -y
# shows it, numbers aside): the rest is the code it copied from that
# step, faulted there. A loop is one code path: of calls that one process
# makes one after the other and that differ only in a signal or
# capability name (the forwarders of signals, the bounding set dropped
# capability by capability), the first is faulted. Where the step before
# cannot run here (step 3, unprivileged), every call is faulted.
#
# From step 9 on, the same for what --name, --exec and --pod add, with a
# named container running in the background all along (the leftover check
# finds it still there after each fault): only the calls that the option
# adds to a run are faulted, found by comparing its reference run with a
# plain one (new_faults), so that the rest is not faulted twice.

load helpers

# LeakSanitizer (a SAN=1 build) stops the world with ptrace(2) at exit,
# which fails under strace; memcheck.bats and the other suites check leaks.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0

# strace, able to trace and inject here (a container may forbid ptrace).
requires_strace() {
	command -v strace >/dev/null 2>&1 ||
		skip "needs strace on the host (make deps installs it)"
	strace -qq -o /dev/null -e inject=getppid:error=EPERM true 2>/dev/null ||
		skip "strace cannot trace here (ptrace(2) forbidden?)"
}

# The options of every fault run: the most setup the step does here. As
# root from step 6 on, limits too, so that their cgroup files are written.
FAULT_ARGS=()
if [ "$STEP_NUM" -ge 6 ] && [ "$EUID" -eq 0 ]; then
	FAULT_ARGS+=(--memory 64M --pids 64)
fi

# The step before, and the options of its runs: its own FAULT_ARGS and
# NET_ARGS (helpers.bash), as its own fault runs have them.
PREV_CTR=""
for f in "$(cd "$(dirname "$CTR")/.." && pwd)/step$(printf %02d $((STEP_NUM - 1)))-"*/container; do
	[ ! -x "$f" ] || PREV_CTR=$f
done
PREV_FAULT_ARGS=()
if [ "$STEP_NUM" -ge 7 ] && [ "$EUID" -eq 0 ]; then
	PREV_FAULT_ARGS+=(--memory 64M --pids 64)
fi
PREV_NET_ARGS=()
if [ "$STEP_NUM" -ge 6 ] && [ "$EUID" -ne 0 ]; then
	PREV_NET_ARGS=(--no-net)
fi

# The calls that set a container up, and that a fault may hit. Left out:
# those that cannot fail here (getpid, geteuid), close(2), memory (brk,
# mmap), and wait4 (the setup is over).
SETUP_CALLS="clone clone3 pipe2 rt_sigaction prctl poll setresgid setresuid
setgroups sethostname unshare setns mount umount2 pivot_root chdir mkdir
symlink openat openat2 read write access newfstatat statfs socket bind
setsockopt getsockname sendmsg recvmsg ioctl close_range flock capset seccomp
setsid"

# The calls whose first string argument is the path they act on: strace -P
# can aim at those.
PATH_CALLS="openat access newfstatat mkdir statfs chdir"

# Calls whose failure the runtime absorbs by design, and nothing else: who
# makes the call (parent: the runtime, child: the container's first
# process), a regular expression for the call as strace -y shows it, and
# why its failure is absorbed; tab-separated. Such a run may end in 0 (and
# nothing left behind); any other call that fails must end the run with
# its errno in the error line.
absorbed_faults() {
	cat <<'TABLE'
child	^setgroups\(0, NULL\)$	EPERM is setgroups(2)'s answer where /proc/PID/setgroups is "deny" (an unprivileged user's maps): the runtime goes on, the groups left as they are
parent	^newfstatat\([0-9]+</proc/[0-9]+/mountinfo>, ""	glibc's stdio, not the runtime, sizes its buffer with fstat(2), and takes a default size when that fails
parent	^access\("/sys/fs/cgroup[^"]*", W_OK\)$	asked for no limits, a runtime that cannot write the cgroup tree (an unprivileged user) makes no cgroup: the container goes without one
parent	^bind\([0-9]+<socket:\[[0-9]+\]>, \{sa_family=AF_UNIX, sun_path=@"mini-container/ip/	without --ip, an address that cannot be claimed is taken as in use: the next one is tried
parent	^openat\(AT_FDCWD, "/sys/fs/cgroup(/[^"]*)?/mini-container", O_RDONLY\|O_NONBLOCK\|O_CLOEXEC\|O_DIRECTORY\)$	cgroup_remove_stale() is a cleanup of earlier runs: a parent cgroup it cannot list keeps its stale cgroups until a later run
parent	^newfstatat\([0-9]+</sys/fs/cgroup(/[^>]*)?/mini-container>, ""	the same, for opendir(3)'s fstat(2) of that directory
parent	^openat\(AT_FDCWD, "/sys/fs/cgroup(/[^"]*)?/mini-container/ctr-[0-9]+-[0-9a-f]+", O_RDONLY\|O_CLOEXEC\|O_DIRECTORY\)$	cgroup_remove_stale(): a cgroup it cannot open to try its lock keeps waiting for a later run
parent	^flock\([0-9]+</sys/fs/cgroup(/[^>]*)?/mini-container/ctr-[0-9]+-[0-9a-f]+>, LOCK_EX\|LOCK_NB\)$	cgroup_remove_stale(): a lock it cannot take is taken for a live runtime's, and its cgroup left alone
parent	^access\("/sys/fs/cgroup(/[^"]*)?/mini-container/ctr-[0-9]+-[0-9a-f]+", F_OK\)$	cgroup_remove_stale(): a runtime leaf is removed only when its container's cgroup is surely gone (ENOENT); the count it returns is not used
child	^prctl\(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0\)$	step 10 sets no_new_privs itself, then libseccomp sets it again before it loads the filter (SCMP_FLTATR_CTL_NNP): that second call failing changes nothing where libseccomp goes on (where it gives up, the run ends with ECANCELED, below; the first failing ends it with EPERM)
child	^seccomp\((SECCOMP_SET_MODE_STRICT, 0x1, NULL|SECCOMP_GET_ACTION_AVAIL, |SECCOMP_GET_NOTIF_SIZES, |SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_[A-Z_]+, NULL\))	libseccomp (step 10) probes what the kernel's seccomp(2) can do, with calls that load nothing: a probe that fails makes it use less of the API, and the filter it then loads is the same
parent	^ioctl\(0(<[^>]*>)?, TCGETS, 	isatty(3) on stdin (step 10): any error means no terminal, as ENOTTY does where the fault runs' stdin is not one; the container gets no pty then, and COMMAND a session with no controlling terminal
parent	^newfstatat\([0-9]+<[^>]*/mini-container[^/>]*/names>, "[^"]+"	remove_stale() (step 9) sweeps the names of SIGKILLed runtimes, a cleanup of earlier runs: a name it cannot stat is left for a later run
TABLE
}

# Why the fault in this call of WHO (as strace -y shows it) is absorbed,
# or 1.
absorbed() { # WHO CALL
	local who pattern why
	while IFS=$'\t' read -r who pattern why; do
		if [ "$who" = "$1" ] && [[ $2 =~ $pattern ]]; then
			echo "$why"
			return 0
		fi
	done < <(absorbed_faults)
	return 1
}

# A run of the step's runtime, under strace with the options given first,
# up to "--": its exit status in FAULT_STATUS, its stderr in FAULT_ERR.
# COMMAND is /bin/true, on the host for steps 1-2, in the rootfs after.
fault_run() {
	local opts=()
	while [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	FAULT_STATUS=0
	# (The outer 2>/dev/null: bash's own "Killed" notice, when it is.)
	{ timeout -k 5 "$CTR_TIMEOUT" "${IN_HOST_NS[@]}" strace -e quiet=all "${opts[@]}" \
		"$CTR" "${NET_ARGS[@]}" "$@" -- /bin/true \
		>/dev/null 2>"$BATS_TEST_TMPDIR/fault.err" || FAULT_STATUS=$?; } 2>/dev/null
	FAULT_ERR=$(cat "$BATS_TEST_TMPDIR/fault.err")
}

# What the host has before the first fault of a test (the test's host
# network namespace included, which setup made after its snapshot).
fault_baseline() {
	leftover_snapshot >"$BATS_TEST_TMPDIR/base"
}

# The test's host network namespace: no veth left, no address claimed.
host_ns_leftovers() {
	[ -z "$HOST_NS" ] || host_ns_snapshot
}

# What the last run left behind, compared with fault_baseline; empty
# when nothing. Dying processes and a veth the kernel deletes with its
# namespace may take a moment.
left_behind() {
	local i
	for ((i = 0; i < 100; i++)); do
		leftover_snapshot >"$BATS_TEST_TMPDIR/now"
		if cmp -s "$BATS_TEST_TMPDIR/base" "$BATS_TEST_TMPDIR/now" &&
			[ -z "$(host_ns_leftovers)" ]; then
			return 0
		fi
		sleep 0.05
	done
	diff "$BATS_TEST_TMPDIR/base" "$BATS_TEST_TMPDIR/now" | grep '^[<>]'
	host_ns_leftovers
	return 0
}

# strerror(3) of an errno name.
errno_text() {
	case $1 in
	EPERM) echo "Operation not permitted" ;;
	ENOENT) echo "No such file or directory" ;;
	EACCES) echo "Permission denied" ;;
	ECANCELED) echo "Operation canceled" ;;
	esac
}

# stderr of a failed run: one "container: WHAT: WHY" line whose WHY is
# the text of ERRNO, the injected error (a notice may come before it, a
# hint after it), and nothing else: no second report echoing the first,
# no report of some other error, no sanitizer report, no stray output.
error_lines_ok() { # STDERR ERRNO
	local errors
	errors=$(grep -v '^container: notice: ' <<<"$1" | grep '^container: ')
	[ "$(grep -c '^container: ' <<<"$errors")" -eq 1 ] &&
		[[ $errors == *": $(errno_text "$2")" ]] &&
		! grep -qv -e '^container: ' -e '^hint: ' <<<"$1"
}

# --- SIGKILL after each phase of the setup -----------------------------------

# The phases of the runtime's setup: NAME, first step, root only (the veth
# and the cgroups need root), and the runtime's -v line that ends it.
setup_phases() {
	cat <<'TABLE'
clone	1	no	^container\[parent\]: clone3?\(.*\) = [0-9]+$
id maps	4	no	^container\[parent\]: (write /proc/[0-9]+/gid_map |newgidmap )
network	5	yes	^container\[parent\]: netlink: ip link add veth
cgroups	6	yes	^container\[parent\]: .*/mini-container/ctr-
TABLE
}

# Wait (up to 10 s) until the processes of the last run are gone.
processes_gone() {
	local i
	awk '/^process /' "$BATS_TEST_TMPDIR/base" >"$BATS_TEST_TMPDIR/procs.before"
	for ((i = 0; i < 200; i++)); do
		leftover_snapshot | awk '/^process /' >"$BATS_TEST_TMPDIR/procs"
		cmp -s "$BATS_TEST_TMPDIR/procs.before" "$BATS_TEST_TMPDIR/procs" && return 0
		sleep 0.05
	done
	return 1
}

# After the runtime was SIGKILLed (PHASE names the moment): its processes
# die with it; from step 6 its cgroup stays (nothing can remove it while
# the runtime dies), and the next run's cgroup_remove_stale removes it.
# Then nothing is left.
check_after_kill() { # PHASE
	local left
	processes_gone || fail "killed $1: processes left: $(diff "$BATS_TEST_TMPDIR/procs.before" "$BATS_TEST_TMPDIR/procs" | grep '^>')"
	if [ "$STEP_NUM" -ge 6 ] && [ "$EUID" -eq 0 ]; then
		our_cgroups | grep -Eq '/ctr-[0-9]+-[0-9a-f]+$' ||
			fail "killed $1: the runtime's cgroup is gone (was it made?)"
		next_run_cleans_up
	fi
	left=$(left_behind)
	[ -z "$left" ] || fail "killed $1: left behind: ${left//$'\n'/ }"
}

@test "faults: the runtime SIGKILLed after each setup phase leaves nothing, its cgroup (step06+) removed by the next run ($STEP)" {
	requires_strace
	local ref=$BATS_TEST_TMPDIR/writes err=$BATS_TEST_TMPDIR/fault.err
	local name first root regex n want got tracer runtime phases=""
	# The runtime's -v lines, each one write(2) to stderr, as strace counts
	# them: -P counts the writes to that file only, and without -f only the
	# runtime's (the child is not traced). Up to "sync_release": the end
	# of the runtime's setup.
	fault_baseline
	# shellcheck disable=SC2094 # -P names the file stderr goes to
	"${IN_HOST_NS[@]}" strace -e quiet=all -s 512 -o "$ref.raw" -e trace=write -P "$err" \
		"$CTR" "${NET_ARGS[@]}" "${FAULT_ARGS[@]}" -v -- /bin/true >/dev/null 2>"$err"
	sed -n -e 's/^write(2, "\(.*\)\\n", [0-9]*) *= [0-9]*$/\1/p' "$ref.raw" |
		sed '/sync_release/q' >"$ref"
	while IFS=$'\t' read -r name first root regex; do
		[ "$STEP_NUM" -ge "$first" ] || continue
		[ "$root" = no ] || [ "$EUID" -eq 0 ] || continue
		# SIGKILL at the write of the phase's last line: what it tells of
		# is done, nothing after it is.
		n=$(RE=$regex awk '$0 ~ ENVIRON["RE"] { n = NR } END { print n }' "$ref")
		[ -n "$n" ] || fail "no -v line of the runtime ends phase '$name': $(cat "$ref")"
		fault_run -o /dev/null -P "$err" -e trace=write \
			-e inject="write:signal=KILL:when=$n" -- "${FAULT_ARGS[@]}" -v
		[ "$FAULT_STATUS" -eq 137 ] ||
			fail "killed after $name: exit $FAULT_STATUS, not 137; stderr: $FAULT_ERR"
		# It died where meant: its last line is the one before.
		# (Numbers differ between runs, and so does the cgroup's name.)
		want=$( ((n == 1)) || sed -n "$((n - 1))p" "$ref" | sed -E 's/ctr-[0-9]+-[0-9a-f]+/ctr-ID/g' | tr 0-9 N)
		got=$(grep '^container\[parent\]' <<<"$FAULT_ERR" | tail -n 1 | sed -E 's/ctr-[0-9]+-[0-9a-f]+/ctr-ID/g' | tr 0-9 N)
		[ "$got" = "$want" ] ||
			fail "killed after $name: its last line is '$got', not '$want'"
		check_after_kill "after $name"
		phases+="$name, "
	done < <(setup_phases)

	# Just before the exec of COMMAND: strace holds the child at the entry
	# of its execve (-P: the runtime was not started as /bin/true), its -v
	# line "execvp(/bin/true)" written; then the runtime is killed from
	# here. The child's SIGKILL (PR_SET_PDEATHSIG) waits while strace holds
	# it, so strace goes too (-I 1: it takes SIGTERM even then): the child
	# is let go, and dies before COMMAND runs. (Step 1 has no
	# PR_SET_PDEATHSIG: there the child runs COMMAND whether its runtime
	# lives or not, as cleanup.bats says.)
	if [ "$STEP_NUM" -lt 2 ]; then
		echo "# $STEP: killed after ${phases%, } (no PR_SET_PDEATHSIG yet)" >&3
		return 0
	fi
	"${IN_HOST_NS[@]}" strace -f -I 1 -e quiet=all -o /dev/null -P /bin/true -e trace=execve \
		-e inject=execve:delay_enter=60s "$CTR" "${NET_ARGS[@]}" "${FAULT_ARGS[@]}" \
		-v -- /bin/true >/dev/null 2>"$err" &
	tracer=$!
	BG_RUNTIMES+=("$tracer")
	# (A regular expression: "[child]" would be a bracket expression.)
	wait_for_file_line "$err" 'container\[child\]: execvp(/bin/true)' ||
		fail "the child did not get to exec COMMAND: $(cat "$err")"
	runtime=$(child_of "$tracer")
	kill -KILL "$runtime"
	wait_gone "$runtime" || fail "the runtime $runtime did not die"
	kill -TERM "$tracer"
	{ wait "$tracer" || :; } 2>/dev/null
	! grep -q '^container\[parent\]: waitpid' "$err" ||
		fail "the runtime was not killed before the exec of COMMAND: $(cat "$err")"
	check_after_kill "before exec"
	echo "# $STEP: killed after ${phases}and before exec" >&3
}

# --- the faults, generated from a reference run -----------------------------

# Trace a run with every call and its file names (strace -f -y) into FILE.
trace_run() { # FILE ARGS...
	local file=$1
	shift
	"${IN_HOST_NS[@]}" strace -f -e quiet=all -y -s 256 -o "$file" \
		"$CTR" "${NET_ARGS[@]}" "$@" >/dev/null 2>&1
}

# The faults of a run with ARGS, one a line: "parent SYSCALL N - CALL" (the
# runtime's Nth SYSCALL) or "child SYSCALL N PATH CALL" (the child's Nth
# SYSCALL, of those on PATH when PATH is not "-"), or "alone-not SYSCALL N
# - CALL" for a child call that cannot be hit alone. --also: syscalls to
# fault besides SETUP_CALLS.
list_faults() { # [--also "SYSCALL..."] ARGS...
	local pre=$BATS_TEST_TMPDIR/pre.trace ref=$BATS_TEST_TMPDIR/ref.trace also=""
	if [ "$1" = --also ]; then
		also=$2
		shift 2
	fi
	# Bad input: the runtime stops in main before it makes anything.
	trace_run "$pre" --hostname '' || :
	# The first run makes the bridge; the reference must see it made, as
	# every fault run will.
	trace_run "$ref" "$@" -- /bin/true
	trace_run "$ref" "$@" -- /bin/true || return 1
	# shellcheck disable=SC2016
	awk -v calls="$SETUP_CALLS $also" -v paths="$PATH_CALLS" '
	# One call: P (pid), S (syscall), A (first string argument), D (the
	# call, shortened). 0 for what is no call ("<... resumed>", signals).
	function parse(line) {
		P = line; sub(/ .*/, "", P)
		sub(/^[0-9]+ +/, "", line)
		gsub(/AT_FDCWD<[^>]*>/, "AT_FDCWD", line)
		if (line !~ /^[a-z_0-9]+\(/) return 0
		S = substr(line, 1, index(line, "(") - 1)
		A = "-"
		if (match(line, /"([^"\\]|\\.)*"/)) A = substr(line, RSTART + 1, RLENGTH - 2)
		# An unfinished call (another process ran meanwhile, -f) has all
		# its arguments but not its ")": given back, so that it reads as
		# a finished one does (absorbed_faults matches whole calls).
		D = line; if (sub(/ *<unfinished \.\.\.>$/, "", D)) D = D ")"; sub(/\) += .*$/, ")", D)
		if (length(D) > 160) D = substr(D, 1, 157) "..."
		return 1
	}
	BEGIN {
		n = split(calls, c, /[ \n]+/); for (i = 1; i <= n; i++) SETUP[c[i]] = 1
		n = split(paths, c, / /); for (i = 1; i <= n; i++) PATHS[c[i]] = 1
	}
	# The bad-input run: how many of each call come before main gets going.
	FNR == NR { if (parse($0) && S != "write" && S != "exit_group") BEFORE[S]++; next }
	!parse($0) { next }
	parent == "" { parent = P }
	P != parent && child == "" { child = P }
	# The sanitizers of a SAN=1 build read /proc/PID/maps when they need
	# to (ASan, LeakSanitizer), at times that differ from run to run: not
	# calls of the runtime (it reads no maps file). Counted, never faulted.
	{ sanitizer = D ~ /<\/proc\/[0-9]+\/maps>/ || A ~ /^\/proc\/(self|[0-9]+)\/maps$/ }
	P == parent {
		pn[S]++; pon[S, A]++
		if (S == "wait4" && index($0, "wait4(" child ",")) over = 1
		if (!over && !sanitizer && SETUP[S] && pn[S] > BEFORE[S]) print "parent", S, pn[S], "-", D
		next
	}
	P == child {
		cn[S]++; con[S, A]++
		if (S == "execve") done = 1
		if (done || sanitizer || !SETUP[S]) next
		k++; CS[k] = S; CN[k] = cn[S]; CA[k] = A; CON[k] = con[S, A]; CD[k] = D
	}
	END {
		for (i = 1; i <= k; i++) {
			S = CS[i]
			if (pn[S] < CN[i])
				print "child", S, CN[i], "-", CD[i]
			else if (PATHS[S] && CA[i] != "-" && CA[i] != "" && CA[i] !~ /[ \t]/ && pon[S, CA[i]] < CON[i])
				print "child", S, CON[i], CA[i], CD[i]
			else
				print "alone-not", S, CN[i], "-", CD[i]
		}
	}' "$pre" "$ref"
}

# The faults of list FILE that are this step's own code paths (see the
# header): those the step before's reference run, with ARGS, has not; and
# of a loop's calls the first. Every fault of FILE where the step before
# cannot run here. The header of the output says which.
new_in_step() { # FILE ARGS...
	local file=$1 prev=$BATS_TEST_TMPDIR/prev.faults
	shift
	if [ -n "$PREV_CTR" ] && list_faults_before "$@" >"$prev"; then
		echo "# new: the calls that $(basename "$(dirname "$PREV_CTR")") does not make"
	else
		echo "# new: every call (the step before cannot run here)"
		: >"$prev"
	fi
	only_new "$prev" "$file"
}

# The faults of list FILE that list BEFORE has not, and of a loop's calls
# the first that can be faulted alone.
only_new() { # BEFORE FILE
	# A fault's key: who makes the call, and the call, numbers (PIDs,
	# descriptors, addresses) and a cgroup's random name aside; for a
	# loop, signal and capability names aside too.
	awk '
	function key(loop,   c) {
		c = $0; sub(/^[^ ]+ [^ ]+ [^ ]+ [^ ]+ /, "", c)
		gsub(/ctr-[0-9]+-[0-9a-f]+/, "ctr-ID", c)
		gsub(/0x[0-9a-f]+/, "N", c); gsub(/[0-9]+/, "N", c)
		if (loop) { gsub(/SIG[A-Z0-9]+/, "SIG", c); gsub(/CAP_[A-Z_]+/, "CAP", c) }
		return ($1 == "alone-not" ? "child" : $1) " " c
	}
	FILENAME == ARGV[1] { seen[key(0)]++; next }
	seen[key(0)]-- > 0 { next }
	# Of a loop, the first call that can be faulted alone.
	{
		who = $1 == "alone-not" ? "child" : $1; k = key(1)
		if (k != loop[who]) { loop[who] = k; done[who] = 0 }
		else if (done[who]) next
		if ($1 != "alone-not") done[who] = 1
		print
	}' "$1" "$2"
}

# list_faults with the step before's runtime and NET_ARGS.
list_faults_before() { # ARGS...
	local CTR=$PREV_CTR NET_ARGS=("${PREV_NET_ARGS[@]}")
	list_faults "$@"
}

# Run each fault of the list on stdin; fail with every one that went
# wrong. Sets FAULT_RUNS, and FAULT_ABSORBED: the runs that ended in 0.
run_faults() { # ARGS...
	local mode sc n path call opts status left failures="" runs=0 absorbed=0
	while read -r mode sc n path call; do
		[ "$mode" != alone-not ] || continue
		opts=(-o /dev/null -e trace="$sc" -e inject="$sc:error=EPERM:when=$n")
		[ "$mode" = parent ] || opts+=(-f)
		[ "$path" = - ] || opts+=(-P "$path")
		fault_run "${opts[@]}" -- "$@"
		runs=$((runs + 1))
		status=$FAULT_STATUS
		if [ "$status" -eq 0 ] && absorbed "$mode" "$call" >/dev/null; then
			absorbed=$((absorbed + 1))
		elif [ "$status" -eq 125 ] && error_lines_ok "$FAULT_ERR" EPERM; then
			:
		elif [ "$status" -eq 125 ] && [ "$mode" = child ] &&
			[[ $call =~ ^(seccomp\(SECCOMP_SET_MODE_FILTER,\ 0,|prctl\(PR_SET_NO_NEW_PRIVS) ]] &&
			error_lines_ok "$FAULT_ERR" ECANCELED; then
			: # step 10: seccomp_load(3) reports a refusal of the kernel (of the filter, or of the no_new_privs it sets again) as ECANCELED; the hint says how to see why
		elif [[ $status == 12[67] && $FAULT_ERR == *"/bin/true"* ]] &&
			error_lines_ok "$FAULT_ERR" EPERM; then
			: # COMMAND cannot be run: 126 or 127 (SPEC)
		else
			failures+="$mode's $sc #$n ($call) fails with EPERM: exit $status; stderr: ${FAULT_ERR:-<none>}"$'\n'
		fi
		left=$(left_behind)
		if [ -n "$left" ]; then
			failures+="$mode's $sc #$n ($call) fails with EPERM: left behind: ${left//$'\n'/ }"$'\n'
			break # the check of every later run would see it too
		fi
	done
	FAULT_RUNS=$runs FAULT_ABSORBED=$absorbed
	[ -z "$failures" ] || fail "$failures"
}

@test "faults: a step faults the calls it adds, numbers aside, and a loop's first call it can fault alone (only_new)" {
	local before=$BATS_TEST_TMPDIR/list.before after=$BATS_TEST_TMPDIR/list.after
	cat >"$before" <<-'EOF'
		parent mkdir 1 - mkdir("/sys/fs/cgroup/memory/mini-container", 0755)
		child mount 1 - mount("proc", "proc", "proc", 0, NULL)
		child write 1 - write(3</proc/41/uid_map>, "0 1000 1\n", 9)
	EOF
	cat >"$after" <<-'EOF'
		parent mkdir 1 - mkdir("/sys/fs/cgroup/memory/mini-container", 0755)
		parent mkdir 2 - mkdir("/sys/fs/cgroup/memory/mini-container/ctr-77-0a1b2c3d", 0755)
		parent rt_sigaction 1 - rt_sigaction(SIGINT, {sa_handler=0x401a20}, NULL, 8)
		parent rt_sigaction 2 - rt_sigaction(SIGTERM, {sa_handler=0x401a20}, NULL, 8)
		child mount 1 - mount("proc", "proc", "proc", 0, NULL)
		child mount 2 - mount("mqueue", "dev/mqueue", "mqueue", 0, NULL)
		child write 1 - write(3</proc/59/uid_map>, "0 1000 1\n", 9)
		alone-not prctl 1 - prctl(PR_CAPBSET_DROP, CAP_CHOWN)
		child prctl 2 - prctl(PR_CAPBSET_DROP, CAP_KILL)
		child prctl 3 - prctl(PR_CAPBSET_DROP, CAP_NET_RAW)
		child write 2 - write(3</proc/59/gid_map>, "0 1000 1\n", 9)
	EOF
	run -0 only_new "$before" "$after"
	assert_output "parent mkdir 2 - mkdir(\"/sys/fs/cgroup/memory/mini-container/ctr-77-0a1b2c3d\", 0755)
parent rt_sigaction 1 - rt_sigaction(SIGINT, {sa_handler=0x401a20}, NULL, 8)
child mount 2 - mount(\"mqueue\", \"dev/mqueue\", \"mqueue\", 0, NULL)
alone-not prctl 1 - prctl(PR_CAPBSET_DROP, CAP_CHOWN)
child prctl 2 - prctl(PR_CAPBSET_DROP, CAP_KILL)
child write 2 - write(3</proc/59/gid_map>, \"0 1000 1\\n\", 9)"
	# With no step before, every call, and still a loop's first only.
	run -0 only_new /dev/null "$after"
	assert_equal "${#lines[@]}" 9
}

# This step's own faults (new_in_step) of a run with FAULT_ARGS, and
# --no-net if given, listed once for the tests of this file that fault
# them: the list's file name in FAULTS.
step_faults() { # [--no-net]
	local list=$BATS_FILE_TMPDIR/faults$1 before=("${PREV_FAULT_ARGS[@]}")
	# (Before step 5 there is no --no-net, and no network either.)
	[ -z "${1:-}" ] || [ "$STEP_NUM" -le 5 ] || before+=("$1")
	if [ ! -s "$list" ]; then
		list_faults "${FAULT_ARGS[@]}" "$@" >"$list.all" || fail "the reference run failed"
		grep -q '^parent ' "$list.all" && grep -q '^child ' "$list.all" ||
			fail "no setup call of the runtime or of the child found: $(cat "$list.all")"
		new_in_step "$list.all" "${before[@]}" >"$list"
	fi
	FAULTS=$list
}

# What a fault test says of its list: how many ran, of how many.
says_faulted() { # WHAT LIST WHO
	echo "# $STEP: $FAULT_RUNS $1 failed in turn ($FAULT_ABSORBED absorbed by design)," \
		"of $(grep -c "^$3 " "$2.all"): ${4:-$(head -n 1 "$2" | sed 's/^# new: //')}" >&3
}

# A step whose WHO (the runtime, its child) makes no setup call the step
# before does not make the same way has nothing of its own to fault: skip,
# saying where those calls were faulted. (The reference runs and their
# lists were checked by step_faults.)
nothing_new() { # WHO
	skip "$STEP's $1 makes no setup call that $(basename "$(dirname "$PREV_CTR")") does not: faulted in that step's run"
}

@test "faults: each setup call of the runtime fails in turn: exit 125 and one error line saying why, nothing left ($STEP)" {
	requires_strace
	fault_baseline
	step_faults
	grep -q '^parent ' "$FAULTS" || nothing_new runtime
	run_faults "${FAULT_ARGS[@]}" < <(grep '^parent ' "$FAULTS")
	says_faulted "calls of the runtime" "$FAULTS" parent
}

@test "faults: each setup call of the container's first process fails in turn: exit 125 and one error line saying why, nothing left ($STEP)" {
	requires_strace
	fault_baseline
	local plain netlink=""
	step_faults
	plain=$FAULTS
	# From step 5 on, the child's netlink calls come after the runtime's
	# own, which hides them: again with --no-net, where the runtime sends
	# nothing and the child brings up lo.
	if [ "$STEP_NUM" -ge 5 ] && [ "$EUID" -eq 0 ]; then
		step_faults --no-net
		netlink=$(grep -E '^child (socket|setsockopt|bind|getsockname|sendmsg|recvmsg) ' "$FAULTS") || :
	fi
	grep -q '^child ' "$plain" || [ -n "$netlink" ] || nothing_new child
	run_faults "${FAULT_ARGS[@]}" < <(grep '^child ' "$plain")
	says_faulted "calls of the child" "$plain" child
	echo "# $STEP: $(grep -c '^alone-not ' "$plain") not alone:" \
		"$(awk '$1 == "alone-not" { print $2 }' "$plain" | sort | uniq -c | xargs)" >&3
	if [ -n "$netlink" ]; then
		run_faults "${FAULT_ARGS[@]}" --no-net <<<"$netlink"
		says_faulted "netlink calls of the child with --no-net" "$FAULTS" child
	fi
}

@test "faults: COMMAND that cannot be executed after a full setup: 127 or 126, nothing left ($STEP)" {
	requires_strace
	fault_baseline
	local errno want left
	# The child's execve of COMMAND, aimed at by its path: the runtime
	# itself was started as $CTR. The pre-checks of step 3+ passed.
	for errno in ENOENT:127 EACCES:126; do
		want=${errno#*:} errno=${errno%:*}
		fault_run -f -o /dev/null -P /bin/true -e trace=execve \
			-e inject="execve:error=$errno" -- "${FAULT_ARGS[@]}"
		[ "$FAULT_STATUS" -eq "$want" ] ||
			fail "execve fails with $errno: exit $FAULT_STATUS, not $want; stderr: $FAULT_ERR"
		[ "$FAULT_ERR" = "container: execvp(/bin/true): $(errno_text "$errno")" ] ||
			fail "execve fails with $errno: stderr: $FAULT_ERR"
		left=$(left_behind)
		[ -z "$left" ] || fail "execve fails with $errno: left behind: ${left//$'\n'/ }"
	done
}

@test "faults: kernels without clone3, openat2 or close_range (ENOSYS): the fallbacks work ($STEP)" {
	requires_strace
	fault_baseline
	local fallback mode sc first opts left
	# MODE SYSCALL (first step): each answered ENOSYS, as an older kernel
	# (or valgrind) does; the run must still succeed.
	for fallback in child:close_range:1 parent:openat2:3 parent:clone3:6; do
		IFS=: read -r mode sc first <<<"$fallback"
		[ "$STEP_NUM" -ge "$first" ] || continue
		opts=(-o /dev/null -e trace="$sc" -e inject="$sc:error=ENOSYS")
		[ "$mode" = parent ] || opts+=(-f)
		fault_run "${opts[@]}" -- "${FAULT_ARGS[@]}"
		[ "$FAULT_STATUS" -eq 0 ] ||
			fail "$sc answers ENOSYS: exit $FAULT_STATUS; stderr: $FAULT_ERR"
		[ -z "$FAULT_ERR" ] || fail "$sc answers ENOSYS: stderr: $FAULT_ERR"
		left=$(left_behind)
		[ -z "$left" ] || fail "$sc answers ENOSYS: left behind: ${left//$'\n'/ }"
	done
}

# --- step 9: names, --exec and --pod ----------------------------------------

# The calls step 9 adds that the setup list has not: a name's socket
# (listen, connect, getsockopt), the stale-name sweep (getdents64,
# unlinkat) and the pidfd of name_serve (pidfd_open). accept4 is left
# out: only a caller makes the runtime accept, and no fault run calls.
JOIN_CALLS="listen connect getsockopt getdents64 unlinkat pidfd_open"

# The faults of list NEW that list OLD has not: the same call as many
# times more as NEW makes it. That is, the calls an option adds. A call
# is its syscall and first argument, and for the *at calls, bind and
# connect, its second (a path, an address family), numbers aside: PIDs,
# descriptors and cgroup names differ from run to run, and strace -f
# splits a call that another process interrupts after its input.
new_faults() { # OLD NEW
	awk '{ c = $0; sub(/^[^ ]+ [^ ]+ [^ ]+ [^ ]+ /, "", c)
	       s = c; sub(/\(.*/, "", s)
	       a = c; sub(/^[^(]*\(/, "", a)
	       k = a; sub(/(, |\)).*/, "", k)
	       if (s ~ /at2?$/ && match(a, /^[^,]*, "([^"\\]|\\.)*"/) ||
	           s ~ /^(bind|connect)$/ && match(a, /^[^,]*, \{sa_family=[A-Z_]+/))
		       k = substr(a, 1, RLENGTH)
	       key = $1 " " s " " k
	       gsub(/ctr-[0-9]+-[0-9a-f]+/, "ctr-ID", key); gsub(/[0-9]+/, "N", key) }
	     FNR == NR { seen[key]++; next }
	     seen[key]-- > 0 { next }
	     { print }' "$1" "$2"
}

# The syscalls of a list of faults, counted: "3 mkdir 1 flock ...".
fault_names() { # FILE
	awk '{ print $2 }' "$1" | sort | uniq -c | xargs
}

# A named container that the step-9 runs find, started before the
# baseline (it is part of it, and must still run after every fault):
# --name runs sweep its socket (connect), --exec and --pod join it. With
# --no-net: its veth would be a leftover in the test's host namespace.
#
# Names of the test's own: every --name run sweeps the whole names
# directory (a connect(2) to each socket, the stale ones removed), which
# the unprivileged jobs of tests/run-bats share: other jobs' names would
# change the calls counted here, and our runs would sweep their stale
# names. (Root's is the job's own already, tests/isolate.)
start_named() {
	if [ "$EUID" -ne 0 ]; then
		export XDG_RUNTIME_DIR=$BATS_TEST_TMPDIR/run
		mkdir -m 700 "$XDG_RUNTIME_DIR"
	fi
	BG_NAME=${NAME_PREFIX}bg
	start_ctr --no-net --name "$BG_NAME" -- sh -c 'echo ready; exec sleep 120'
	fault_baseline
}

@test "faults: each call that --name adds fails in turn: exit 125 and one error line saying why, nothing left ($STEP)" {
	requires_step 9 "container names"
	requires_strace
	local plain=$BATS_TEST_TMPDIR/plain
	local named=$BATS_TEST_TMPDIR/named name=${NAME_PREFIX}web faults=$BATS_TEST_TMPDIR/faults
	start_named
	list_faults --also "$JOIN_CALLS" "${FAULT_ARGS[@]}" >"$plain" || fail "the reference run failed"
	list_faults --also "$JOIN_CALLS" "${FAULT_ARGS[@]}" --name "$name" >"$named" || fail "the reference run with --name failed"
	# name_claim's directories, lock, sweep and socket, and name_serve's
	# pidfd_open and poll: the runtime's. The child does nothing new.
	new_faults "$plain" "$named" | grep '^parent ' >"$faults"
	run_faults "${FAULT_ARGS[@]}" --name "$name" <"$faults"
	[ "$FAULT_RUNS" -ge 10 ] || fail "only $FAULT_RUNS calls of --name found to fault: $(cat "$faults")"
	echo "# $STEP: $FAULT_RUNS calls that --name adds failed in turn" \
		"($FAULT_ABSORBED absorbed by design): $(fault_names "$faults")" >&3
}

@test "faults: each call of --exec into a running container fails in turn: exit 125 and one error line saying why, nothing left ($STEP)" {
	requires_step 9 "--exec"
	requires_strace
	local faults=$BATS_TEST_TMPDIR/faults
	start_named
	# --exec takes no other option (--no-net included): it joins the
	# container as it is.
	NET_ARGS=()
	list_faults --also "$JOIN_CALLS" --exec "$BG_NAME" >"$faults" || fail "the reference run failed"
	# The runtime's: name_lookup (socket, connect, getsockopt, recvmsg),
	# setns, the clone of COMMAND, and where the kernel cannot start it
	# in the container's cgroup, cgroup_fds_add (openat, write). Its
	# sigactions are every run's, faulted above; so are the child's calls
	# but one: its setns(CLONE_NEWCGROUP) comes after the runtime's own
	# setns, which hides it (see the header).
	grep -E '^parent (socket|connect|getsockopt|recvmsg|setns|clone3?|pipe2|openat|write) ' \
		"$faults" >"$faults.new"
	run_faults --exec "$BG_NAME" <"$faults.new"
	[ "$FAULT_RUNS" -ge 6 ] || fail "only $FAULT_RUNS calls of --exec found to fault: $(cat "$faults")"
	echo "# $STEP: $FAULT_RUNS calls of --exec failed in turn" \
		"($FAULT_ABSORBED absorbed by design): $(fault_names "$faults.new")" >&3
}

@test "faults: each call that --pod adds fails in turn: exit 125 and one error line saying why, nothing left ($STEP)" {
	requires_step 9 "--pod"
	requires_strace
	local plain=$BATS_TEST_TMPDIR/plain
	local pod=$BATS_TEST_TMPDIR/pod faults=$BATS_TEST_TMPDIR/faults
	start_named
	# Compared with a run that has no veth either (--no-net): the calls
	# --pod leaves out must not hide those it adds.
	list_faults --also "$JOIN_CALLS" "${FAULT_ARGS[@]}" --no-net >"$plain" || fail "the reference run failed"
	# A pod's member uses the pod's network: no --no-net.
	NET_ARGS=()
	list_faults --also "$JOIN_CALLS" "${FAULT_ARGS[@]}" --pod "$BG_NAME" >"$pod" || fail "the reference run with --pod failed"
	# name_lookup and setns: the runtime's. The child does nothing new
	# (it does less: no hostname, no network).
	new_faults "$plain" "$pod" | grep '^parent ' >"$faults"
	run_faults "${FAULT_ARGS[@]}" --pod "$BG_NAME" <"$faults"
	[ "$FAULT_RUNS" -ge 5 ] || fail "only $FAULT_RUNS calls of --pod found to fault: $(new_faults "$plain" "$pod")"
	echo "# $STEP: $FAULT_RUNS calls that --pod adds failed in turn" \
		"($FAULT_ABSORBED absorbed by design): $(fault_names "$faults")" >&3
}

@test "faults: kernels whose setns(2) takes no pidfd (EINVAL, before 5.8): --exec and --pod join by /proc/PID/ns ($STEP)" {
	requires_step 9 "--exec or --pod"
	requires_strace
	local left what
	start_named
	NET_ARGS=()
	# The first setns(2) of each process, the one on the pidfd, answers
	# EINVAL; those on /proc/PID/ns files after it work. strace counts
	# per process: with --exec, -f reaches COMMAND's process, whose first
	# setns is on the pidfd too; a --pod member's child makes no setns on
	# a pidfd (its first is step 7's time_for_children), so there the
	# runtime alone. (Not -P with the pidfd's path: the --exec runtime is
	# not dumpable then, and an unprivileged strace cannot read its
	# /proc/PID/fd.) -v tells what was joined: the user namespace first.
	local follow
	for what in --exec --pod; do
		follow=()
		[ "$what" = --pod ] || follow=(-f)
		fault_run "${follow[@]}" -o /dev/null -e trace=setns \
			-e inject=setns:error=EINVAL:when=1 -- "$what" "$BG_NAME" -v
		[ "$FAULT_STATUS" -eq 0 ] ||
			fail "$what, setns(pidfd) answers EINVAL: exit $FAULT_STATUS; stderr: $FAULT_ERR"
		! grep -q '^container: ' <<<"$FAULT_ERR" ||
			fail "$what, setns(pidfd) answers EINVAL: stderr: $FAULT_ERR"
		grep -E -m 1 '^container\[parent\]: setns\(/proc/' <<<"$FAULT_ERR" |
			grep -Eq '^container\[parent\]: setns\(/proc/[0-9]+/ns/user\) = 0$' ||
			fail "$what, setns(pidfd) answers EINVAL: the runtime did not join by /proc/PID/ns, user first: $FAULT_ERR"
		[ "$what" = --pod ] ||
			grep -Eq '^container\[child\]: setns\(/proc/1/ns/cgroup\) = 0$' <<<"$FAULT_ERR" ||
			fail "$what, setns(pidfd) answers EINVAL: COMMAND's process did not join by /proc/1/ns: $FAULT_ERR"
		left=$(left_behind)
		[ -z "$left" ] || fail "$what, setns(pidfd) answers EINVAL: left behind: ${left//$'\n'/ }"
	done
}
