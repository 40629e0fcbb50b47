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
	# Other jobs of make test run containers on ./rootfs meanwhile: the
	# chapter's commands (sudo make rootfs builds it anew) must run on a
	# tree of their own, and leave this one as it was, down to the inode.
	local before
	before=$(rootfs_state)
	run -0 "$REPO/scripts/tutorial" run "$1"
	[ "$(rootfs_state)" = "$before" ] || fail "the chapter's commands changed $REPO/rootfs"
}

rootfs_state() {
	stat -c '%i' "$REPO/rootfs"
	find "$REPO/rootfs" -printf '%i %p\n' | sort
}

@test "tutorial: step 1's commands print what it shows" { tutorial_chapter 1; }
@test "tutorial: step 2's commands print what it shows" { tutorial_chapter 2; }
@test "tutorial: step 3's commands print what it shows" { tutorial_chapter 3; }
@test "tutorial: step 4's commands print what it shows" { tutorial_chapter 4; }
@test "tutorial: step 5's commands print what it shows" { tutorial_chapter 5; }
@test "tutorial: step 6's commands print what it shows" { tutorial_chapter 6; }
@test "tutorial: step 7's commands print what it shows" { tutorial_chapter 7; }
@test "tutorial: step 8's commands print what it shows" { tutorial_chapter 8; }
@test "tutorial: step 9's commands print what it shows" { tutorial_chapter 9; }
@test "tutorial: step 10's commands print what it shows" { tutorial_chapter 10; }

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
	for ((n = 1; n <= $(cd "$REPO" && ls -d step[0-9][0-9]-* | wc -l); n++)); do
		assert_line --regexp "^== Step $n \(step$(printf %02d "$n")-[a-z]+\): "
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
	# Step 9: --exec lands in the container (its PID 1 is sleep), --pod
	# shares its hostname but not its PID namespace.
	if [ -d "$REPO/step09-join" ]; then
		assert_line --regexp '--exec demo-[0-9]+ -- sh -c .hostname; ps.$'
		assert_line --regexp '^        1 root +sleep 10$'
		assert_line --regexp '^        1 root +\{ps\} sh -c hostname; ps$'
		[ "$(grep -c '^    web$' <<<"$output")" -eq 2 ] || fail "the hostname web is not shown twice"
	fi
	# Step 10: step 9's root unmounts /proc/sys; step 10's cannot.
	if [ -d "$REPO/step10-secure" ]; then
		assert_line "    unmounted /proc/sys"
		assert_line "    umount: can't unmount /proc/sys: Operation not permitted"
		assert_line "    Seccomp:	2"
		refute_line --regexp '^    SECRET_TOKEN='
	fi
	# The last step is the one to try by hand.
	local last
	last=$(cd "$REPO" && ls -d step[0-9][0-9]-* | tail -n 1)
	assert_line "    sudo nsenter --net=/run/netns/try ./$last/container"
}

# --- scripts/tutorial's own rules, on scratch tutorials --------------------
#
# TUTORIAL_MD points scripts/tutorial at a scratch TUTORIAL.md, whose
# markers name files, and whose steps are found, in its own directory.
# There, step01-one/container.c is the fixture tests/tutorial/calls.c.
scratch_tutorial() {
	SCRATCH=$BATS_TEST_TMPDIR/scratch
	mkdir -p "$SCRATCH/step01-one"
	cp "$REPO/tests/tutorial/calls.c" "$SCRATCH/step01-one/container.c"
	export TUTORIAL_MD=$SCRATCH/TUTORIAL.md
}

@test "tutorial: a calls block is its functions' kernel calls, without error handling or comments" {
	scratch_tutorial
	printf '%s\n' 'Before.' '<!-- BEGIN calls step01-one/container.c setup child -->' \
		'what was here' '<!-- END -->' 'After.' >"$TUTORIAL_MD"
	run -0 "$REPO/scripts/tutorial" update
	# tests/tutorial/calls.expected is what calls.c's setup() and child()
	# reduce to, checked by hand against the rules.
	run -0 cat "$TUTORIAL_MD"
	assert_output "$(printf 'Before.\n<!-- BEGIN calls step01-one/container.c setup child -->\n'
		cat "$REPO/tests/tutorial/calls.expected"
		printf '<!-- END -->\nAfter.')"
	run -0 "$REPO/scripts/tutorial" check
	# The C changes, the block no longer matches: check says so.
	sed -i 's/sethostname(/setdomainname(/' "$SCRATCH/step01-one/container.c"
	run -1 "$REPO/scripts/tutorial" check
	assert_line "+	setdomainname(cfg->hostname, strlen(cfg->hostname));"
}

@test "tutorial: a calls block over 30 lines, or naming a function not there, fails update and check, naming the block" {
	scratch_tutorial
	# thirty() reduces to 30 lines ("/* thirty() */" and 29 calls),
	# thirty_one() to 31.
	{
		printf 'static void thirty(void)\n{\n'
		printf '\tsync();\n%.0s' {1..29}
		printf '}\n\nstatic void thirty_one(void)\n{\n'
		printf '\tsync();\n%.0s' {1..30}
		printf '}\n'
	} >"$SCRATCH/step01-one/container.c"
	printf '%s\n' 'Text.' '<!-- BEGIN calls step01-one/container.c thirty -->' \
		'<!-- END -->' >"$TUTORIAL_MD"
	run -0 "$REPO/scripts/tutorial" update
	run -0 sed -n '/^```c$/,/^```$/p' "$TUTORIAL_MD"
	assert_equal "${#lines[@]}" 32
	run -0 "$REPO/scripts/tutorial" check

	printf '%s\n' 'Text.' '<!-- BEGIN calls step01-one/container.c thirty_one -->' \
		'<!-- END -->' >"$TUTORIAL_MD"
	cp "$TUTORIAL_MD" "$BATS_TEST_TMPDIR/saved"
	run -1 "$REPO/scripts/tutorial" update
	assert_line "$TUTORIAL_MD:2: <!-- BEGIN calls step01-one/container.c thirty_one -->: the kernel calls take 31 lines, more than 30: make the functions shorter, or name fewer"
	# Nothing is written when a block fails.
	cmp "$TUTORIAL_MD" "$BATS_TEST_TMPDIR/saved"
	run -1 "$REPO/scripts/tutorial" check
	assert_line --partial "$TUTORIAL_MD:2: <!-- BEGIN calls step01-one/container.c thirty_one -->: the kernel calls take 31 lines"

	printf '%s\n' '<!-- BEGIN calls step01-one/container.c thirty nosuch -->' \
		'<!-- END -->' >"$TUTORIAL_MD"
	run -1 "$REPO/scripts/tutorial" update
	assert_line "$TUTORIAL_MD:1: <!-- BEGIN calls step01-one/container.c thirty nosuch -->: no function nosuch in step01-one/container.c"
	run -1 "$REPO/scripts/tutorial" check
	assert_line --partial "$TUTORIAL_MD:1: <!-- BEGIN calls step01-one/container.c thirty nosuch -->: no function nosuch"
}

@test "tutorial: check fails a chapter whose first code block is not its own step's calls block (layout), with the line" {
	scratch_tutorial
	mkdir "$SCRATCH/step02-two"
	cp "$REPO/tests/tutorial/calls.c" "$SCRATCH/step02-two/container.c"
	cat >"$TUTORIAL_MD" <<-'EOF'
		## Introduction
		### The code
		```c
		```
		## Step 1: one
		### The code
		<!-- BEGIN calls step01-one/container.c child -->
		<!-- END -->
		## Step 2: two
		### The code
		Text.
		<!-- BEGIN calls step02-two/container.c child -->
		<!-- END -->
	EOF
	run -0 "$REPO/scripts/tutorial" update
	run -0 "$REPO/scripts/tutorial" check

	# Step 2 shows other code before its calls.
	local n
	n=$(grep -n -m 1 '^<!-- BEGIN calls step02-two/' "$TUTORIAL_MD" | cut -d: -f1)
	{
		head -n $((n - 1)) "$TUTORIAL_MD"
		printf '```c\nstray();\n```\n'
		tail -n +"$n" "$TUTORIAL_MD"
	} >"$BATS_TEST_TMPDIR/stray" && mv "$BATS_TEST_TMPDIR/stray" "$TUTORIAL_MD"
	run -1 "$REPO/scripts/tutorial" check
	assert_output "$TUTORIAL_MD:$n: the first code block of step 2's \"### The code\" must be the kernel calls of step02-two: <!-- BEGIN calls step02-two/container.c FUNCTION... -->"
	sed -i "${n},$((n + 2))d" "$TUTORIAL_MD"
	run -0 "$REPO/scripts/tutorial" check

	# The calls of another step's file are not step 2's.
	sed -i 's|BEGIN calls step02-two/|BEGIN calls step01-one/|' "$TUTORIAL_MD"
	run -0 "$REPO/scripts/tutorial" update
	run -1 "$REPO/scripts/tutorial" check
	assert_output "$TUTORIAL_MD:$n: the first code block of step 2's \"### The code\" must be the kernel calls of step02-two: <!-- BEGIN calls step02-two/container.c FUNCTION... -->"

	# A step chapter with no "### The code" at all.
	sed -i 's/^### The code$/### Code/' "$TUTORIAL_MD"
	run -1 "$REPO/scripts/tutorial" check
	assert_line "$TUTORIAL_MD:5: step 1 has no \"### The code\" section"
	assert_line "$TUTORIAL_MD:$(grep -n '^## Step 2' "$TUTORIAL_MD" | cut -d: -f1): step 2 has no \"### The code\" section"
}

@test "tutorial: a diff block is folded in <details>, its summary counting the lines added and removed (fold)" {
	scratch_tutorial
	mkdir "$SCRATCH/step02-two"
	# Lines that start with "--" and "++" look like diff -u's header in
	# the diff: only > and < lines of diff(1) count.
	printf '%s\n' 'int a;' '-- removed;' 'int b;' 'int c;' >"$SCRATCH/step01-one/container.c"
	printf '%s\n' 'int a;' 'int b;' '++ added;' 'int c;' 'int d;' >"$SCRATCH/step02-two/container.c"
	run diff "$SCRATCH/step01-one/container.c" "$SCRATCH/step02-two/container.c"
	[ "$(grep -c '^>' <<<"$output")" -eq 2 ] && [ "$(grep -c '^<' <<<"$output")" -eq 1 ]
	printf '%s\n' 'Text.' '<!-- BEGIN diff 2 -->' '<!-- END -->' >"$TUTORIAL_MD"
	run -0 "$REPO/scripts/tutorial" update
	run -0 cat "$TUTORIAL_MD"
	assert_output - <<-'EOF'
		Text.
		<!-- BEGIN diff 2 -->
		<details>
		<summary>The full diff from step 1: +2 lines, -1 lines (make diff STEP=2)</summary>

		```diff
		--- step01-one/container.c
		+++ step02-two/container.c
		@@ -1,4 +1,5 @@
		 int a;
		--- removed;
		 int b;
		+++ added;
		 int c;
		+int d;
		```

		</details>
		<!-- END -->
	EOF
	run -0 "$REPO/scripts/tutorial" check
}

@test "format: the code is as .clang-format says, and make format-check fails on code that is not" {
	run -0 make -C "$REPO" -s format-check
	[[ "$output" == "format: "*" files as .clang-format says" ]]
	# The same style, on a file formatted otherwise.
	cp "$REPO/.clang-format" "$BATS_TEST_TMPDIR/"
	printf 'int main(void){\n  return 0;\n}\n' >"$BATS_TEST_TMPDIR/bad.c"
	run ! make -C "$REPO" -s format-check FORMAT_SRC="$BATS_TEST_TMPDIR/bad.c"
	[[ "$output" == *"bad.c"* ]]
}

@test "copy: each lesson function builds in a program of its own with what TUTORIAL.md lists for it" {
	run -0 "$REPO/tests/copy/compile-lessons"
	refute_output --partial "does not compile"
}

@test "lesson budget: no step adds more than 160 lines to the step before it (README)" {
	local prev="" dir added over=""
	for dir in "$REPO"/step[0-9][0-9]-*/; do
		dir=${dir%/}
		if [ -n "$prev" ]; then
			added=$(diff "$prev/container.c" "$dir/container.c" | grep -c '^>' || :)
			[ "$added" -le 160 ] || over="$over ${dir##*/}:+$added"
		fi
		prev=$dir
	done
	[ -z "$over" ] || fail "over the budget:$over"
}
