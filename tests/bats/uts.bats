#!/usr/bin/env bats
# uts: the container has a hostname of its own (every step).

load helpers

@test "uts: hostname inside is the one asked for ($STEP)" {
	run -0 ctr --hostname box -- hostname
	assert_output box
	run -0 ctr -n other -- cat /proc/sys/kernel/hostname
	assert_output other
}

@test "uts: default hostname is 'container' ($STEP)" {
	run -0 ctr -- hostname
	assert_output container
}

@test "uts: host hostname unchanged, even when the container sets its own ($STEP)" {
	local before
	before=$(hostname)
	run -0 ctr -n box "${ROOT_ARGS[@]}" -- sh -c 'hostname changed-inside && hostname'
	assert_output changed-inside
	assert_equal "$(hostname)" "$before"
}

@test "uts: /proc/PID/ns/uts differs from the host's, seen from the host ($STEP)" {
	start_ctr -n box -- sh -c 'echo ready; exec sleep 60'
	local host ctr
	host=$(ns_of $$ uts)
	ctr=$(ns_of "$CTR_INIT" uts)
	[ -n "$ctr" ]
	assert_not_equal "$ctr" "$host"
}

@test "uts: nsenter -t PID -u hostname shows the container's name ($STEP)" {
	requires_command nsenter
	start_ctr -n seen-by-nsenter -- sh -c 'echo ready; exec sleep 60'
	run -0 nsenter_ctr -u hostname
	assert_output seen-by-nsenter
	assert_not_equal "$(hostname)" seen-by-nsenter
}
