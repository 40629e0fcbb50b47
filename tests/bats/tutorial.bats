#!/usr/bin/env bats
# tutorial: TUTORIAL.md agrees with the code. Run once (not per step) by
# tests/run-bats, with STEP set to the last step.

load helpers

@test "tutorial: the diffs and code shown are the real files (make tutorial)" {
	run -0 "$REPO/scripts/tutorial" check
}

@test "tutorial: make diff STEP=N prints each step's lesson" {
	run -0 "$REPO/scripts/stepdiff" 1
	assert_output --partial "step01-uts: the smallest container"
	local n
	for ((n = 2; n <= STEP_NUM; n++)); do
		run -0 "$REPO/scripts/stepdiff" "$n"
		assert_line --index 0 --regexp "^--- step0$((n - 1))-"
	done
	run -2 "$REPO/scripts/stepdiff" 99
}

# One test per chapter: the commands a reader is told to type.
tutorial_chapter() {
	requires_root
	requires_step "$1" "chapter $1 yet"
	# Some exercises' solutions run their patched step.
	local patch
	for patch in "$REPO"/solutions/*/*.patch; do
		[ -x "${patch%.patch}/container" ] || fail "${patch%.patch}/container is not built (make solutions)"
	done
	run -0 "$REPO/scripts/tutorial" run "$1"
}

@test "tutorial: step 1's commands print what it shows" { tutorial_chapter 1; }
@test "tutorial: step 2's commands print what it shows" { tutorial_chapter 2; }
@test "tutorial: step 3's commands print what it shows" { tutorial_chapter 3; }
@test "tutorial: step 4's commands print what it shows" { tutorial_chapter 4; }
@test "tutorial: step 5's commands print what it shows" { tutorial_chapter 5; }
@test "tutorial: step 6's commands print what it shows" { tutorial_chapter 6; }
@test "tutorial: step 7's commands print what it shows" { tutorial_chapter 7; }
@test "tutorial: step 8's commands print what it shows" { tutorial_chapter 8; }

@test "tutorial: the appendices' commands print what they show" {
	requires_root
	requires_step 8 "full mini-container the appendices use"
	run -0 "$REPO/scripts/tutorial" run 99
}

# make demo (scripts/demo after building): the tour of every step.
@test "tutorial: make demo tours every step, inside vs host, and tells how to get a shell" {
	requires_root
	requires_step 8 "full tour (it ends with step 8)"
	run -0 env TERM=dumb "$REPO/scripts/demo"
	local n
	for ((n = 1; n <= 8; n++)); do
		assert_line --regexp "^== Step $n \(step0$n-[a-z]+\): "
	done
	# What each step shows, as the container and as the host see it.
	assert_line "    demo-box"
	assert_line "    $(hostname)"
	assert_line "    PID 1, parent 0"
	assert_line "    COMMAND is PID 2"
	assert_line --regexp '^ +1 root +ps$'
	assert_line --regexp '^ *100000 sleep$'
	assert_line "The server container received: hello over the bridge"
	assert_line "    forked 11 (Resource temporarily unavailable)"
	assert_line "    (exit status 137)"
	assert_line --regexp '^    monotonic [0-9]+'
	assert_line "    demo"
	local ns
	for ns in cgroup ipc mnt net pid time user uts; do
		assert_line --regexp "^    $ns +host $ns:\[([0-9]+)\], container $ns:\[[0-9]+\]$"
		[[ $output =~ host\ $ns:\[([0-9]+)\],\ container\ $ns:\[([0-9]+)\] ]]
		[ "${BASH_REMATCH[1]}" != "${BASH_REMATCH[2]}" ] || fail "$ns: the same as the host's"
	done
	assert_line --index -1 "Type 'exit' to leave it. TUTORIAL.md walks through every step."
	assert_line "    sudo nsenter --net=/run/netns/try ./step08-ipc/container"
}
