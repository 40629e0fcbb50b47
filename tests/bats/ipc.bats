#!/usr/bin/env bats
# ipc: the container has its own IPC namespace: System V message queues,
# semaphores and shared memory, and POSIX message queues, are invisible
# across the boundary, both ways (step 8).

load helpers

# The objects of one kind in /proc/sysvipc/KIND, header line dropped.
sysv_objects() { tail -n +2 "/proc/sysvipc/$1"; }

@test "ipc: the container's IPC namespace is not the host's ($STEP)" {
	start_ctr -- sh -c 'echo ready; exec sleep 60'
	local inside
	inside=$(ns_of "$CTR_INIT" ipc)
	[[ $inside == ipc:\[* ]] || fail "no IPC namespace: $inside"
	assert_not_equal "$inside" "$(ns_of $$ ipc)"
}

@test "ipc: System V objects made on the host are not listed inside ($STEP)" {
	local q s m
	q=$(ipcmk -Q | grep -o '[0-9]*$')
	on_teardown "ipcrm -q $q"
	s=$(ipcmk -S 1 | grep -o '[0-9]*$')
	on_teardown "ipcrm -s $s"
	m=$(ipcmk -M 4096 | grep -o '[0-9]*$')
	on_teardown "ipcrm -m $m"
	# They are there on the host...
	sysv_objects msg | awk -v id="$q" '$2 == id { found = 1 } END { exit !found }'
	sysv_objects sem | awk -v id="$s" '$2 == id { found = 1 } END { exit !found }'
	sysv_objects shm | awk -v id="$m" '$2 == id { found = 1 } END { exit !found }'
	# ...and inside, /proc/sysvipc lists nothing at all.
	run -0 ctr -- sh -c 'for k in msg sem shm; do echo "$k $(tail -n +2 /proc/sysvipc/$k | wc -l)"; done'
	assert_output "msg 0
sem 0
shm 0"
}

@test "ipc: a System V queue made inside is not listed on the host ($STEP)" {
	local before
	before=$(sysv_objects msg)
	start_ctr -- sh -c 'probe msgget > /tmp/id; echo ready; exec sleep 60'
	# Inside, the queue exists (the host's /proc/sysvipc, read from the
	# container's IPC namespace, lists it)...
	run -0 nsenter_ctr -i cat /proc/sysvipc/msg
	assert_equal "${#lines[@]}" 2
	# ...and the host's own list has not changed.
	assert_equal "$(sysv_objects msg)" "$before"
}

@test "ipc: a POSIX message queue made inside is not visible on the host ($STEP)" {
	local name=mini-test-$$-$BATS_TEST_NUMBER
	start_ctr -- sh -c "probe mq-create $name && ls /dev/mqueue && echo ready; exec sleep 60"
	run -0 cat "$CTR_OUT"
	assert_line --index 0 "$name"
	run -1 "$ROOTFS/bin/probe" mq-open "$name"
}

@test "ipc: a POSIX message queue made on the host is not visible inside ($STEP)" {
	local name=mini-test-$$-$BATS_TEST_NUMBER
	"$ROOTFS/bin/probe" mq-create "$name"
	on_teardown "'$ROOTFS/bin/probe' mq-unlink '$name'"
	run -0 "$ROOTFS/bin/probe" mq-open "$name"
	run -1 ctr -- probe mq-open "$name"
	run -0 ctr -- ls -A /dev/mqueue
	assert_output ""
}

@test "ipc: /dev/mqueue inside is an mqueue filesystem of the container's own ($STEP)" {
	run -0 ctr -- grep " /dev/mqueue " /proc/self/mountinfo
	assert_output --regexp ' /dev/mqueue rw,nosuid,nodev,noexec[^ ]* (.* )?- mqueue '
}

@test "ipc: /proc/sysvipc inside is empty at start ($STEP)" {
	run -0 ctr -- sh -c 'for k in msg sem shm; do tail -n +2 /proc/sysvipc/$k; done; echo end'
	assert_output "end"
}
