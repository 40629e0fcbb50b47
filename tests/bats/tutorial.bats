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
