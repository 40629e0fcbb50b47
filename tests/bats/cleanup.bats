#!/usr/bin/env bats
# cleanup: no run leaves mounts, links, cgroup directories or processes
# behind (every step). The leftover check itself is in helpers.bash and
# runs after every test of every group; these tests drive the paths.

load helpers

@test "cleanup: nothing is left after a normal run ($STEP)" {
	run -0 ctr -- true
}

@test "cleanup: nothing is left after bad input ($STEP)" {
	run -125 ctr --hostname ''
	run -125 ctr --no-such-option
}

@test "cleanup: nothing is left after COMMAND fails to start ($STEP)" {
	run -127 ctr -- no-such-command-here
}

@test "cleanup: nothing is left after COMMAND is killed from the host ($STEP)" {
	start_ctr -- sh -c 'echo ready; exec sleep 60'
	kill -KILL "$CTR_INIT"
	wait_ctr
	assert_equal "$CTR_STATUS" 137
}

@test "cleanup: the leftover check sees a process left behind ($STEP)" {
	# The check must be able to fail: leave a process in a new UTS
	# namespace on purpose, and see that the snapshot catches it.
	requires_command unshare
	requires_root
	unshare --uts sleep 60 &
	local pid=$!
	sleep 0.2
	leftover_snapshot >"$BATS_TEST_TMPDIR/after"
	run diff "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after"
	kill "$pid"
	wait "$pid" || true
	assert_output --partial "$pid sleep"
}

@test "cleanup: nothing is left after SIGINT or SIGTERM to the runtime (step02+) ($STEP)" {
	requires_step 2 "signal forwarding"
	local sig
	for sig in INT TERM; do
		start_ctr --init -- sh -c 'sleep 60 & echo ready; wait'
		kill -"$sig" "$CTR_PID"
		wait_ctr
		[ "$CTR_STATUS" -ne 0 ]
	done
}

@test "cleanup: nothing is left after SIGKILL of the runtime (step02+) ($STEP)" {
	requires_step 2 "PR_SET_PDEATHSIG"
	start_ctr -- sh -c 'sleep 60 & echo ready; wait'
	local init=$CTR_INIT
	kill -KILL "$CTR_PID"
	wait_gone "$init"
	# From step 6 a killed runtime leaves its empty cgroup; the next run
	# removes it (cgroup.bats checks that in detail).
	next_run_cleans_up
}

@test "cleanup: COMMAND starts with only stdin, stdout and stderr open ($STEP)" {
	# Seen from the host: no pipe, socket, cgroup or netlink descriptor of
	# the runtime reaches COMMAND, nor one its caller left open (7 and 8).
	exec 7</dev/null 8>/dev/null
	start_ctr -- sh -c 'echo ready; exec sleep 60'
	exec 7<&- 8>&-
	run -0 ls "/proc/$CTR_INIT/fd"
	assert_output "$(printf '0\n1\n2')"
}
