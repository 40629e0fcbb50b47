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
if [ "$STEP_NUM" -ge 6 ] && [ "$(id -u)" -eq 0 ]; then
	FAULT_ARGS+=(--memory 64M --pids 64)
fi

# The calls that set a container up, and that a fault may hit. Left out:
# those that cannot fail here (getpid, geteuid), close(2), memory (brk,
# mmap), and wait4 (the setup is over).
SETUP_CALLS="clone clone3 pipe2 rt_sigaction prctl poll setresgid setresuid
setgroups sethostname unshare setns mount umount2 pivot_root chdir mkdir
symlink openat openat2 read write access newfstatat statfs socket bind
setsockopt getsockname sendmsg recvmsg close_range flock"

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
	for ((i = 0; i < 50; i++)); do
		leftover_snapshot >"$BATS_TEST_TMPDIR/now"
		if cmp -s "$BATS_TEST_TMPDIR/base" "$BATS_TEST_TMPDIR/now" &&
			[ -z "$(host_ns_leftovers)" ]; then
			return 0
		fi
		sleep 0.1
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
	sed -n '/^# processes/,$p' "$BATS_TEST_TMPDIR/base" >"$BATS_TEST_TMPDIR/procs.before"
	for ((i = 0; i < 100; i++)); do
		leftover_snapshot | sed -n '/^# processes/,$p' >"$BATS_TEST_TMPDIR/procs"
		cmp -s "$BATS_TEST_TMPDIR/procs.before" "$BATS_TEST_TMPDIR/procs" && return 0
		sleep 0.1
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
	if [ "$STEP_NUM" -ge 6 ] && [ "$(id -u)" -eq 0 ]; then
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
		[ "$root" = no ] || [ "$(id -u)" -eq 0 ] || continue
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
# - CALL" for a child call that cannot be hit alone.
list_faults() { # ARGS...
	local pre=$BATS_TEST_TMPDIR/pre.trace ref=$BATS_TEST_TMPDIR/ref.trace
	# Bad input: the runtime stops in main before it makes anything.
	trace_run "$pre" --hostname '' || :
	# The first run makes the bridge; the reference must see it made, as
	# every fault run will.
	trace_run "$ref" "$@" -- /bin/true
	trace_run "$ref" "$@" -- /bin/true || return 1
	# shellcheck disable=SC2016
	awk -v calls="$SETUP_CALLS" -v paths="$PATH_CALLS" '
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
		D = line; sub(/ *<unfinished \.\.\.>$/, "", D); sub(/\) += .*$/, ")", D)
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
	# A netlink answer is read in two calls, and an ACK after a reply too;
	# libnl does not check the read of that ACK (wait_for_ack). Fault only
	# the first read after each request.
	{ again = S == "recvmsg" && LAST[P] != "sendmsg"; LAST[P] = S }
	P == parent {
		pn[S]++; pon[S, A]++
		if (S == "wait4" && index($0, "wait4(" child ",")) over = 1
		if (!over && !again && SETUP[S] && pn[S] > BEFORE[S]) print "parent", S, pn[S], "-", D
		next
	}
	P == child {
		cn[S]++; con[S, A]++
		if (S == "execve") done = 1
		if (done || again || !SETUP[S]) next
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

@test "faults: each setup call of the runtime fails in turn: exit 125 and one error line saying why, nothing left ($STEP)" {
	requires_strace
	fault_baseline
	local faults=$BATS_TEST_TMPDIR/faults
	list_faults "${FAULT_ARGS[@]}" >"$faults" || fail "the reference run failed"
	run_faults "${FAULT_ARGS[@]}" < <(grep '^parent ' "$faults")
	[ "$FAULT_RUNS" -gt 0 ] || fail "no setup call of the runtime found to fault"
	echo "# $STEP: $FAULT_RUNS calls of the runtime failed in turn" \
		"($FAULT_ABSORBED absorbed by design)" >&3
}

@test "faults: each setup call of the container's first process fails in turn: exit 125 and one error line saying why, nothing left ($STEP)" {
	requires_strace
	fault_baseline
	local faults=$BATS_TEST_TMPDIR/faults
	list_faults "${FAULT_ARGS[@]}" >"$faults" || fail "the reference run failed"
	run_faults "${FAULT_ARGS[@]}" < <(grep '^child ' "$faults")
	[ "$FAULT_RUNS" -gt 0 ] || fail "no setup call of the child found to fault"
	echo "# $STEP: $FAULT_RUNS calls of the child failed in turn" \
		"($FAULT_ABSORBED absorbed by design);" \
		"$(grep -c '^alone-not ' "$faults") not alone:" \
		"$(awk '$1 == "alone-not" { print $2 }' "$faults" | sort | uniq -c | xargs)" >&3
	# From step 5 on, the child's netlink calls come after the runtime's
	# own, which hides them: again with --no-net, where the runtime sends
	# nothing and the child brings up lo.
	if [ "$STEP_NUM" -ge 5 ] && [ "$(id -u)" -eq 0 ]; then
		list_faults "${FAULT_ARGS[@]}" --no-net >"$faults" || fail "the reference run failed"
		run_faults "${FAULT_ARGS[@]}" --no-net < <(grep -E \
			'^child (socket|setsockopt|bind|getsockname|sendmsg|recvmsg) ' "$faults")
		[ "$FAULT_RUNS" -gt 0 ] || fail "no netlink call of the child found to fault"
		echo "# $STEP: and $FAULT_RUNS netlink calls of the child with --no-net" >&3
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
