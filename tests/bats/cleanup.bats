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
