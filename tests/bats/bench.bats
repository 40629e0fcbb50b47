#!/usr/bin/env bats
# bench: make bench still runs, every row of it. This is scripts/bench at a
# few runs per command (BENCH_QUICK=1), the same code otherwise, with its
# report in the test's own directory, never BENCH.md. It checks that every
# row was measured, not that the budgets are met: at three runs, beside the
# other jobs of make test, the numbers are noise (`sudo make bench` on an
# idle machine measures). Run once (not per step) by tests/run-bats, with
# STEP set to the last step.

load helpers

@test "bench: a quick make bench measures every row (BENCH_QUICK=1)" {
	requires_root
	local tool
	for tool in hyperfine bwrap crun strace; do
		command -v "$tool" >/dev/null || skip "needs $tool (sudo make deps installs it)"
	done
	local report=$BATS_TEST_TMPDIR/BENCH.md bench_md
	bench_md=$(cksum <"$REPO/BENCH.md")
	# LeakSanitizer (a SAN=1 build, as CI's last make test has) stops the
	# world with ptrace(2) at exit, which it cannot do under the bench's
	# strace: no leak check here; the other suites' runs make it.
	run -0 timeout -k 10 300 env BENCH_QUICK=1 BENCH_REPORT="$report" \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$REPO/scripts/bench"
	refute_output --partial "fails here"
	refute_output --partial "is left out"
	# scripts/bench reports a failed profile and goes on; here it fails.
	refute_output --partial "bench: profiling"
	assert_line --regexp "^bench: $report written; .*; [0-9]+ s in all$"
	# Its time, in make test's output.
	grep '^bench: ' <<<"$output" | sed 's/^/# /' >&3
	[ "$(cksum <"$REPO/BENCH.md")" = "$bench_md" ] || fail "the quick bench changed BENCH.md"

	# A number in every row: "1.26 ms (1.18–1.61)" for a time, "0.93×"
	# for a ratio.
	run -0 cat "$report"
	assert_line --partial "**A quick run** (BENCH_QUICK=1"
	local t='[0-9]+\.[0-9]{2} ms \([0-9]+\.[0-9]{2}–[0-9]+\.[0-9]{2}\)' r='[0-9]+\.[0-9]{2}×'
	local bin name
	for bin in "$REPO"/step[0-9][0-9]-*/container; do
		name=${bin%/container} name=${name##*/}
		if [ "$((10#${name:4:2}))" -lt 5 ]; then
			assert_line --regexp "^\| $name \| \`$name/container (--rootfs [^|]+|-- /bin/true)\` \| $t \| \`unshare [^|]+\` \| $t \| $r \| ≤ 1\.25× \| "
		else
			# Equal work: --no-net; the default, the veth, beside it.
			assert_line --regexp "^\| $name \| \`$name/container --no-net [^|]+\` \| $t \| \`unshare [^|]+\` \| $t \| $r \| ≤ 1\.25× \| "
			assert_line --regexp "^\| $name with its veth, for comparison \| \`$name/container --rootfs [^|]+\` \| $t \| \(the same\) \| \| $r \| "
		fi
	done
	# The veth's own cost: the last step with it and without, in ms.
	assert_line --regexp "^\| veth \| \`$name/container --rootfs [^|]+\` \| $t \| \`$name/container --no-net [^|]+\` \| $t \| [+-][0-9]+\.[0-9]{2} ms \| ≤ \+0\.60 ms \| "
	# Step 8 --no-net against bubblewrap; the last step with limits
	# against crun with the same limits.
	assert_line --regexp "^\| bwrap \| \`step08-ipc/container --no-net [^|]+\` \| $t \| \`bwrap --unshare-all [^|]+\` \| $t \| $r \| ≤ 0\.75× \| "
	assert_line --regexp "^\| crun \| \`$name/container --rootfs [^|]+ --memory 64M --pids 64 --no-net -- /bin/true\` \| $t \| \`crun [^|]+\` \| $t \| $r \| ≤ 0\.50× \| "
	# Step 9's --exec against nsenter(1) into the same container.
	if [ -d "$REPO/step09-join" ]; then
		assert_line --regexp "^\| exec \| \`step09-join/container --exec [^|]+ -- /bin/true\` \| $t \| \`nsenter --target [0-9]+ --all /bin/true\` \| $t \| $r \| ≤ 1\.25× \| "
	fi
	refute_output --partial "not measured"
	# Step 10 against step 9 on the same work: a difference in ms.
	if [ -d "$REPO/step10-secure" ]; then
		assert_line --regexp "^\| secure \| \`step10-secure/container --no-net [^|]+\` \| $t \| \`step09-join/container --no-net [^|]+\` \| $t \| [+-][0-9]+\.[0-9]{2} ms \| ≤ \+0\.30 ms \| "
	fi
	assert_line --regexp '^\| peak RSS of the runtime [^|]+ \| [0-9]+ KiB \([0-9.]+ MiB\) \| '
	assert_line --regexp '^\| `make` from clean, one job [^|]+ \| [0-9]+\.[0-9]{2} s \([0-9.]+–[0-9.]+\) \| '
	assert_line --regexp '^\| `make -j2` from clean, [^|]+ \| [0-9]+\.[0-9]{2} s \([0-9.]+–[0-9.]+\) \| '
}
