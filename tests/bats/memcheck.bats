#!/usr/bin/env bats
# memcheck: valgrind finds no memory error and no leak in the runtime, on a
# representative run of each step (every option of the step in use).
# "Possibly lost" blocks are not counted: the --init process ends with
# _exit(2), and the tables libnl builds when it is loaded are still
# reachable only through interior pointers then.
#
# valgrind follows the child of clone(2) (no CLONE_VM: a copy, as after
# fork) up to its execve, so both halves of the runtime are checked.
# It does not know clone3 (Linux 5.3) and answers ENOSYS, as an older
# kernel would: steps 6+ then take their clone(2) fallback.
#
# The steps are linked statically (see the Makefile), and memcheck cannot
# watch malloc() in a static binary: it runs the same code linked
# dynamically, tests/dynamic/STEP/container (built by make test).

load helpers

setup_file() {
	export DYN_CTR=$REPO/tests/dynamic/$STEP/container
	command -v valgrind >/dev/null || return 0
	# The sanitizers' runtime and valgrind exclude each other.
	if ldd "$DYN_CTR" 2>/dev/null | grep -q libasan; then
		export MEMCHECK_SKIP="built with SAN=1: the sanitizers check this build"
	fi
}

@test "memcheck: no memory error and no leak in the runtime ($STEP)" {
	requires_command valgrind
	[ -z "${MEMCHECK_SKIP:-}" ] || skip "$MEMCHECK_SKIP"
	requires_root # --uid-map, --ip and the limits need it
	[ -x "$DYN_CTR" ] || fail "$DYN_CTR is missing: make tests/dynamic/$STEP/container"
	local args=(--hostname checked)
	[ "$STEP_NUM" -lt 2 ] || args+=(--init)
	[ "$STEP_NUM" -lt 3 ] || args+=(--rootfs "$ROOTFS")
	[ "$STEP_NUM" -lt 4 ] || args+=(--uid-map 0:100000:1000 --gid-map 0:100000:1000)
	[ "$STEP_NUM" -lt 5 ] || args+=(--ip 10.99.0.77/24)
	[ "$STEP_NUM" -lt 6 ] || args+=(--memory 64M --pids 32 --cpus 0.5)
	[ "$STEP_NUM" -lt 7 ] || args+=(--monotonic 100 --boottime 200)
	# One log for every process valgrind follows (the runtime, its child
	# up to execve, the init), on a descriptor: after pivot_root no path
	# of the host is there to open. Errors are the lines "==PID==";
	# "--PID--" lines are valgrind's notes, such as "unhandled syscall"
	# for openat2 and clone3, which it answers with ENOSYS. --vgdb=no: no
	# debugger pipes in /tmp, named by PID, which the parallel test jobs
	# (each in its own PID namespace) would share.
	local log=$BATS_TEST_TMPDIR/valgrind.log
	run -0 --separate-stderr timeout -k 5 120 "${IN_HOST_NS[@]}" valgrind \
		--quiet --log-fd=9 --vgdb=no \
		--leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		--suppressions="$REPO/tests/valgrind.supp" \
		"$DYN_CTR" --verbose "${args[@]}" -- hostname 9>"$log"
	assert_output checked
	# valgrind's clone3 answers ENOSYS: steps 6+ say they used clone(2).
	if [ "$STEP_NUM" -ge 6 ]; then
		[[ "$stderr" == *"[parent]: clone(CLONE_NEW"* ]] ||
			fail "no clone(2) fallback narrated: $stderr"
	fi
	if grep -q '^==[0-9]*==' "$log"; then
		cat "$log" >&2
		fail "valgrind reported errors"
	fi
}

# Step 9: the joiner's side under valgrind (--exec, --pod: recvmsg of the
# descriptors, setns, the cgroup move). The named container itself runs
# without it: valgrind 3.19 does not know pidfd_open(2) (ENOSYS), which
# --name needs, and refuses before it makes anything.
@test "memcheck: --exec and --pod: no memory error and no leak in the joiner ($STEP)" {
	requires_step 9 "--exec or --pod"
	requires_command valgrind
	[ -z "${MEMCHECK_SKIP:-}" ] || skip "$MEMCHECK_SKIP"
	requires_root
	[ -x "$DYN_CTR" ] || fail "$DYN_CTR is missing: make tests/dynamic/$STEP/container"
	local name=vg$BATS_TEST_NUMBER$RANDOM log=$BATS_TEST_TMPDIR/valgrind.log
	start_ctr --rootfs "$ROOTFS" --name "$name" --hostname checked -- \
		sh -c 'echo ready; exec sleep 60'
	local vg=(timeout -k 5 120 "${IN_HOST_NS[@]}" valgrind --quiet --log-fd=9 --vgdb=no
		--leak-check=full --show-leak-kinds=definite,indirect
		--errors-for-leak-kinds=definite,indirect --error-exitcode=99
		--suppressions="$REPO/tests/valgrind.supp")
	run -0 --separate-stderr "${vg[@]}" "$DYN_CTR" --verbose --exec "$name" -- hostname 9>"$log"
	assert_output checked
	run -0 --separate-stderr "${vg[@]}" "$DYN_CTR" --verbose --pod "$name" \
		--rootfs "$ROOTFS" --memory 64M -- hostname 9>>"$log"
	assert_output checked
	kill -KILL "$CTR_INIT"
	wait_gone "$CTR_PID"
	if grep -q '^==[0-9]*==' "$log"; then
		cat "$log" >&2
		fail "valgrind reported errors"
	fi
}
