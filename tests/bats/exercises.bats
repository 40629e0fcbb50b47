#!/usr/bin/env bats
# exercises: the workshop's skeletons (make exercise) and grading (make
# grade). Run once by tests/run-bats, on a copy of the checkout's steps so
# that exercises/ of the reader's own is never touched. The full grading
# of every step (each skeleton against the tests of its steps) takes
# minutes: make test-exercises runs it (GRADE_ALL=1), CI too.

load helpers

# The property group each step brings (tests/run-bats), in step order.
GROUPS_BY_STEP="uts pid mnt user net cgroup time ipc join secure"
# The steps of this checkout, by number: 1 2 ... 10.
steps() { ls -d "$REPO"/step[0-9][0-9]-* | sed 's|.*/step0*\([0-9]*\)-.*|\1|'; }

# helpers.bash's setup (the leftover snapshot), then a checkout of our own.
eval "$(declare -f setup | sed '1s/^setup/helpers_setup/')"
setup() {
	helpers_setup
	export GRADE_ISOLATE=0 # this job is isolated already (tests/run-bats)
	WORK=$BATS_TEST_TMPDIR/work
	mkdir -p "$WORK"
	# A checkout of our own: steps, common/, scripts/, tests/, Makefile.
	cp -a "$REPO"/step[0-9][0-9]-* "$REPO/common" "$REPO/scripts" "$REPO/tests" \
		"$REPO/Makefile" "$REPO/.clang-format" "$REPO/.build-flags" "$WORK/"
	ln -s "$REPO/rootfs" "$WORK/rootfs"
}

@test "exercises: make exercise writes a skeleton of every step, with its TODO holes, that builds" {
	local n step
	for n in $(steps); do
		step=$(cd "$WORK" && ls -d "step$(printf %02d "$n")"-*)
		run -0 make -C "$WORK" -s exercise STEP=$n
		assert_output --partial "exercises/$step/container.c"
		grep -q "TODO($n.1)" "$WORK/exercises/$step/container.c"
		# The lesson is gone: the hole's function has no kernel call left.
		run -0 make -C "$WORK" -s "exercises/$step/container"
		[ -x "$WORK/exercises/$step/container" ]
	done
	# Step 4's hole: the maps, with a one-ID map standing in.
	run -0 grep -c "TODO(4\.1)" "$WORK/exercises/step04-user/container.c"
	assert_output 1
	grep -q '&(struct id_map){ 0, 100000, 1 }, 1)' "$WORK/exercises/step04-user/container.c"
	! grep -q 'maps->uid, maps->uid_lines' "$WORK/exercises/step04-user/container.c"
}

@test "exercises: make exercise never overwrites an attendee's work, unless FORCE=1" {
	run -0 make -C "$WORK" -s exercise STEP=2
	# Unchanged, it may be written again.
	run -0 make -C "$WORK" -s exercise STEP=2
	echo '/* my work */' >>"$WORK/exercises/step02-pid/container.c"
	run ! make -C "$WORK" -s exercise STEP=2
	assert_output --partial "differs from a fresh skeleton (your work?): kept"
	grep -q 'my work' "$WORK/exercises/step02-pid/container.c"
	run -0 env FORCE=1 make -C "$WORK" -s exercise STEP=2
	! grep -q 'my work' "$WORK/exercises/step02-pid/container.c"
}

@test "exercises: make grade fails the skeleton of step 1, names what failed, and passes the reference" {
	requires_root
	run -0 make -C "$WORK" -s exercise STEP=1
	run ! make -C "$WORK" -s grade STEP=1
	assert_line --partial "✗ uts: hostname inside is the one asked for"
	assert_line --regexp "^grade: 0 passed, [1-9][0-9]* failed"
	run -0 make -C "$WORK" -s grade STEP=1 SOLUTION=1
	assert_line --regexp "^grade: [1-9][0-9]* passed, 0 failed"
}

# Every step: the skeleton fails at least one test of its own group and
# none of the earlier groups', and the reference passes all. Minutes:
# make test-exercises, which runs the steps as jobs of their own
# (GRADE_STEPS=N, tests/run-bats).
@test "exercises: every skeleton fails its own step's tests, every reference passes (GRADE_ALL=1)" {
	[ "${GRADE_ALL:-}" = 1 ] || skip "minutes long: make test-exercises runs it, each step in a job of its own"
	requires_root
	local n group
	for n in ${GRADE_STEPS:-$(steps)}; do
		group=$(echo "$GROUPS_BY_STEP" | cut -d' ' -f$n)
		run -0 make -C "$WORK" -s exercise STEP=$n
		run ! make -C "$WORK" -s grade STEP=$n
		assert_line --regexp "^  ✗ $group: "
		# The earlier steps' lessons are all there: their tests pass.
		[ "$n" -eq 1 ] || refute_line --regexp "^  ✗ ($(echo "$GROUPS_BY_STEP" |
			cut -d' ' -f1-$((n - 1)) | tr ' ' '|')): "
		run -0 make -C "$WORK" -s grade STEP=$n SOLUTION=1
		assert_line --regexp "^grade: [1-9][0-9]* passed, 0 failed"
	done
}
