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

load helpers

setup_file() {
	command -v valgrind >/dev/null || return 0
	# The sanitizers' runtime and valgrind exclude each other.
	if ldd "$CTR" 2>/dev/null | grep -q libasan; then
		export MEMCHECK_SKIP="built with SAN=1: the sanitizers check this build"
	fi
}

@test "memcheck: no memory error and no leak in the runtime ($STEP)" {
	requires_command valgrind
	[ -z "${MEMCHECK_SKIP:-}" ] || skip "$MEMCHECK_SKIP"
	requires_root # --uid-map, --ip and the limits need it
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
	# for openat2 and clone3, which it answers with ENOSYS.
	local log=$BATS_TEST_TMPDIR/valgrind.log
	run -0 timeout -k 5 120 "${IN_HOST_NS[@]}" valgrind --quiet --log-fd=9 \
		--leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		--suppressions="$REPO/tests/valgrind.supp" \
		"$CTR" "${args[@]}" -- hostname 9>"$log"
	assert_output checked
	if grep -q '^==[0-9]*==' "$log"; then
		cat "$log" >&2
		fail "valgrind reported errors"
	fi
}
