#!/usr/bin/env bats
# pid: COMMAND is PID 1 of its own PID namespace (step 2 on).

load helpers

# PIDs (as the host numbers them) of the live processes in PID namespace NS.
procs_in_pidns() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$1" ] || continue
		[ "$(awk '/^State:/ {print $2}' "$p/status" 2>/dev/null)" = Z ] && continue
		echo "${p#/proc/}"
	done
}

@test "pid: COMMAND is PID 1 inside, and its parent is outside (PPID 0) ($STEP)" {
	run -0 ctr -- sh -c 'echo "pid=$$ ppid=$PPID"'
	assert_output "pid=1 ppid=0"
}

@test "pid: the host sees two levels in NSpid, the inner one 1 ($STEP)" {
	start_ctr -- sh -c 'echo ready; exec sleep 60'
	run -0 grep '^NSpid:' "/proc/$CTR_INIT/status"
	assert_output "$(printf 'NSpid:\t%s\t1' "$CTR_INIT")"
	assert_not_equal "$(ns_of "$CTR_INIT" pid)" "$(ns_of $$ pid)"
}

@test "pid: processes inside get PIDs 2, 3... of their own ($STEP)" {
	run -0 ctr -- sh -c 'sh -c "echo \$\$"; sh -c "echo \$\$"; exit 0'
	assert_line --index 0 2
	assert_line --index 1 3
}

@test "pid: PID 1 ignores SIGTERM it has no handler for, even from the host ($STEP)" {
	start_ctr -- sh -c 'echo ready; exec sleep 60'
	kill -TERM "$CTR_INIT"
	sleep 0.5
	[ -e "/proc/$CTR_INIT" ]
	kill -KILL "$CTR_INIT"
	wait_ctr
	assert_equal "$CTR_STATUS" 137
}

@test "pid: SIGKILL of PID 1 from the host leaves no process of the container ($STEP)" {
	start_ctr -- sh -c 'sleep 60 & sleep 60 & echo ready; wait'
	local ns
	ns=$(ns_of "$CTR_INIT" pid)
	[ "$(procs_in_pidns "$ns" | wc -l)" -eq 3 ]
	kill -KILL "$CTR_INIT"
	wait_ctr
	assert_equal "$CTR_STATUS" 137
	run procs_in_pidns "$ns"
	assert_output ""
}

@test "pid: each forwarded signal to the runtime reaches COMMAND's trap, and its status comes back ($STEP)" {
	local sig code=10
	for sig in INT TERM HUP QUIT USR1 USR2; do
		code=$((code + 1))
		start_ctr -- sh -c "trap 'echo trapped $sig; exit $code' $sig; echo ready; sleep 20 & wait"
		kill -"$sig" "$CTR_PID"
		wait_ctr
		assert_equal "$CTR_STATUS" "$code"
		grep -qx "trapped $sig" "$CTR_OUT"
	done
}

@test "pid: SIGKILL of the runtime takes the whole container down ($STEP)" {
	start_ctr -- sh -c 'sleep 60 & echo ready; wait'
	local ns init=$CTR_INIT
	ns=$(ns_of "$init" pid)
	kill -KILL "$CTR_PID"
	wait_gone "$init"
	run procs_in_pidns "$ns"
	assert_output ""
	next_run_cleans_up
}

# The host PID of the process numbered INNER in the container's PID namespace.
host_pid_of() {
	local ns f child
	# --init's PID 1 is not dumpable: an ordinary user may not read its
	# /proc/PID/ns. Any of its children is in the same PID namespace.
	ns=$(readlink "/proc/$CTR_INIT/ns/pid" 2>/dev/null) || true
	for child in $(pgrep -P "$CTR_INIT"); do
		[ -z "$ns" ] || break
		ns=$(readlink "/proc/$child/ns/pid" 2>/dev/null) || true
	done
	for f in /proc/[0-9]*/status; do
		[ "$(readlink "${f%/status}/ns/pid" 2>/dev/null)" = "$ns" ] || continue
		awk -v inner="$1" '/^NSpid:/ && $NF == inner { found = 1 } END { exit !found }' "$f" 2>/dev/null &&
			{ echo "${f#/proc/}" | cut -d/ -f1; return; }
	done
}

# Start a container whose COMMAND leaves an orphan that the kernel hands
# to PID 1, then becomes `sleep 60`, which reaps nothing. Sets ORPHAN to
# the orphan's host PID, after checking that it was reparented to PID 1,
# then ends the orphan: from here, not after a time of its own, which a
# loaded machine could outlast before it was found (a zombie has no
# /proc/PID/ns to find it by), or before the shell that was PID 1 had
# become sleep (a shell reaps).
start_with_orphan() {
	start_ctr "$@" -- sh -c 'sh -c "sleep 600 & echo orphan \$!"; echo ready; exec sleep 60'
	local inner command=$CTR_INIT
	# From COMMAND's output: an init that is not dumpable keeps an
	# ordinary user out of its /proc/PID/root.
	inner=$(sed -n 's/^orphan //p' "$CTR_OUT")
	ORPHAN=$(host_pid_of "$inner")
	[ -n "$ORPHAN" ] || fail "orphan $inner not found"
	assert_equal "$(ps -o ppid= -p "$ORPHAN" | tr -d ' ')" "$CTR_INIT"
	# COMMAND: PID 1, or with --init PID 1's other child.
	[ "${1:-}" != --init ] || command=$(pgrep -P "$CTR_INIT" | grep -vx "$ORPHAN")
	wait_comm "$command" sleep
	kill -KILL "$ORPHAN"
}

# Wait (up to 10 s) until PID has exited: a zombie, or gone.
wait_exited() {
	local i
	for ((i = 0; i < 200; i++)); do
		case $(ps -o stat= -p "$1") in Z* | "") return 0 ;; esac
		sleep 0.05
	done
	return 1
}

@test "pid: without --init, an orphan stays a zombie under PID 1 ($STEP)" {
	# The problem --init solves: sleep, as PID 1, never reaps the orphan.
	start_with_orphan
	wait_exited "$ORPHAN"
	sleep 0.2
	run -0 ps -o stat=,comm= -p "$ORPHAN"
	assert_output --regexp '^Z +sleep$'
}

@test "pid: --init reaps an orphan: no zombie remains ($STEP)" {
	start_with_orphan --init
	wait_exited "$ORPHAN"
	sleep 0.2
	run ps -o stat=,comm= -p "$ORPHAN"
	assert_output ""
	# COMMAND itself (sleep 60) is still alive under the init.
	run -0 ps -o stat=,comm= --ppid "$CTR_INIT"
	assert_output --regexp '^S +sleep$'
}

@test "pid: --init runs COMMAND as PID 2 and returns its status ($STEP)" {
	run -0 ctr --init -- sh -c 'echo $$'
	assert_output 2
	run -42 ctr --init -- sh -c 'exit 42'
	# Not PID 1, so COMMAND can be killed by its own SIGTERM: 128+15.
	run -143 ctr --init -- sh -c 'kill -TERM $$'
}

@test "pid: --init holds only stdin, stdout and stderr, even when the caller leaks descriptors ($STEP)" {
	# init never execs, so close-on-exec never fires for it: whatever the
	# runtime or its caller had open (7 and 8 here; the sync pipe, the
	# address claim, the cgroup directory) it must close itself.
	exec 7</dev/null 8>/dev/null
	start_ctr --init -- sh -c 'echo ready; exec sleep 60'
	exec 7<&- 8>&-
	# From the host: the init's /proc files are root's when it is not
	# dumpable (a root runtime's init, steps 4-6: it changed its uid), so
	# only root looks from here.
	if [ "$EUID" -eq 0 ]; then
		run -0 ls "/proc/$CTR_INIT/fd"
		assert_output "$(printf '0\n1\n2')"
	fi
	# From inside, where /proc is the container's own (step 3 on), as a
	# process of the container would look. The init is not dumpable
	# (run_init): from step 4 on, root of the container may not look at
	# it (proc(5)); in step 3 it is the host's root, which may.
	[ "$STEP_NUM" -ge 3 ] || return 0
	exec 7</dev/null
	run ctr --init -- ls /proc/1/fd
	exec 7<&-
	if [ "$STEP_NUM" -ge 4 ]; then
		assert_failure
		assert_output --partial "Permission denied"
	else
		assert_success
		assert_output "$(printf '0\n1\n2')"
	fi
}

@test "pid: --init closes the descriptors one by one where close_range(2) is missing (ENOSYS) ($STEP)" {
	requires_root
	requires_command strace
	# A kernel before 5.9: close_from() lists /proc/self/fd instead.
	local out=$BATS_TEST_TMPDIR/enosys.out tracer runtime init
	exec 7</dev/null 8>/dev/null
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		"${IN_HOST_NS[@]}" strace -f -o /dev/null -e trace=close_range \
		-e inject=close_range:error=ENOSYS "$CTR" "${NET_ARGS[@]}" --init -- \
		sh -c 'echo ready; exec sleep 60' >"$out" 2>&1 &
	tracer=$!
	exec 7<&- 8>&-
	BG_RUNTIMES+=("$tracer")
	wait_for_file_line "$out" ready || fail "not ready: $(cat "$out")"
	runtime=$(child_of "$tracer")
	init=$(child_of "$runtime")
	BG_INITS+=("$init")
	run -0 ls "/proc/$init/fd"
	assert_output "$(printf '0\n1\n2')"
}

@test "pid: --init forwards SIGTERM and SIGINT to COMMAND ($STEP)" {
	start_ctr --init -- sh -c 'echo ready; exec sleep 60'
	kill -TERM "$CTR_PID"
	wait_ctr
	assert_equal "$CTR_STATUS" 143
	start_ctr --init -- sh -c 'echo ready; exec sleep 60'
	kill -INT "$CTR_PID"
	wait_ctr
	assert_equal "$CTR_STATUS" 130
}

@test "pid: a signal that reaches the runtime after COMMAND was reaped is not forwarded to its old PID ($STEP)" {
	requires_command strace
	# strace holds the runtime for 1 s as it returns from each wait4(2),
	# the call that reaps COMMAND; a SIGTERM sent then is handled after
	# the reap, when COMMAND's PID may belong to another process already.
	local log=$BATS_TEST_TMPDIR/reap.strace out=$BATS_TEST_TMPDIR/reap.out i
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		"${IN_HOST_NS[@]}" strace -o "$log" -e trace=wait4,waitid,kill,pidfd_send_signal \
		-e inject=wait4:delay_exit=1000000 \
		"$CTR" "${NET_ARGS[@]}" -- sh -c 'exit 3' >"$out" 2>&1 &
	local tracer=$!
	BG_RUNTIMES+=("$tracer")
	for ((i = 0; i < 200; i++)); do
		grep -q '^wait4(.*(DELAYED)' "$log" 2>/dev/null && break
		sleep 0.05
	done
	grep -q '^wait4(.*(DELAYED)' "$log" || fail "strace did not hold wait4: $(cat "$log" "$out")"
	kill -TERM "$(child_of "$tracer")"
	wait_ctr "$tracer"
	assert_equal "$CTR_STATUS" 3
	# The reaped PID, then: no kill(2) of it after the reap.
	local reaped
	reaped=$(sed -n 's/^wait4(\([0-9]*\),.* = \([0-9]*\) (DELAYED)$/\2/p' "$log" | tail -n 1)
	[ -n "$reaped" ] || fail "no reaping wait4 in: $(cat "$log")"
	run sed -n "/^wait4(.* = $reaped (DELAYED)\$/,\$p" "$log"
	refute_line --regexp "^(kill\($reaped|pidfd_send_signal)"
	assert_output --partial "SIGTERM"
}

@test "pid: without a mount namespace, /proc is still the host's (step 2 only) ($STEP)" {
	requires_before_step 3 "/proc is the container's own"
	# $$ is 1, but /proc/self resolves in the host's /proc to the host PID.
	run -0 ctr -- sh -c 'echo $$; readlink /proc/self'
	assert_line --index 0 1
	refute_line --index 1 1
	# ps reads /proc, so it lists the host's processes, the host's PID 1 too.
	run -0 ctr -- sh -c 'ls /proc | grep -c "^[0-9]"'
	[ "$output" -gt 5 ]
}

@test "pid: --init's PID 1 is not dumpable: COMMAND cannot open its /proc/1/exe or read its environ ($STEP)" {
	requires_step 4 "user namespace (before it, COMMAND is the host's root, which may)"
	# PID 1 never calls execve(2): it is the runtime's image. Dumpable,
	# its /proc/1/exe would open the runtime's binary on the host (runc's
	# CVE-2019-5736), its /proc/1/environ show the caller's environment.
	run ctr --init "${ROOT_ARGS[@]}" -- sh -c 'cat /proc/1/environ >/dev/null && echo read environ; cat /proc/1/exe >/dev/null && echo read exe'
	refute_line "read environ"
	refute_line "read exe"
	assert_line --partial "Permission denied"
}
