#!/usr/bin/env bats
# time: the container has its own time namespace, and its CLOCK_MONOTONIC
# and CLOCK_BOOTTIME read the host's clocks plus the offsets asked for;
# the wall clock is not namespaced (step 7 on).

load helpers

# The probe, run on the host: the same program that reads the clocks inside.
host_clocks() { "$ROOTFS/bin/probe" clocks; }

# clock NAME from probe's output ("monotonic 123.456").
clock_of() { awk -v c="$1" '$1 == c { print $2 }'; }

# |A - B - OFFSET| <= TOLERANCE, in seconds (fractions allowed).
within() {
	awk -v a="$1" -v b="$2" -v off="$3" -v tol="$4" \
		'BEGIN { d = a - b - off; if (d < 0) d = -d; exit !(d <= tol) }' ||
		fail "$1 - $2 is not $3 (within $4 s)"
}

@test "time: the container's time namespace is not the host's ($STEP)" {
	start_ctr -- sh -c 'echo ready; exec sleep 60'
	local inside
	inside=$(ns_of "$CTR_INIT" time)
	[[ $inside == time:\[* ]] || fail "no time namespace: $inside"
	assert_not_equal "$inside" "$(ns_of $$ time)"
}

@test "time: the host reads the offsets in /proc/PID/timens_offsets ($STEP)" {
	start_ctr --monotonic 1000 --boottime 86400 -- sh -c 'echo ready; exec sleep 60'
	run -0 awk '{ print $1, $2, $3 }' "/proc/$CTR_INIT/timens_offsets"
	assert_line "monotonic 1000 0"
	assert_line "boottime 86400 0"
	# Without options the offsets are 0, in a namespace of its own all the same.
	start_ctr -- sh -c 'echo ready; exec sleep 60'
	run -0 awk '{ print $1, $2, $3 }' "/proc/$CTR_INIT/timens_offsets"
	assert_line "monotonic 0 0"
	assert_line "boottime 0 0"
}

@test "time: /proc/uptime inside is the host's plus the boottime offset ($STEP)" {
	local before after inside
	# A million seconds (11.6 days); 5 seconds of tolerance cannot hide it.
	before=$(cut -d' ' -f1 /proc/uptime)
	run -0 ctr --boottime 1000000 -- cut -d' ' -f1 /proc/uptime
	inside=$output
	after=$(cut -d' ' -f1 /proc/uptime)
	within "$inside" "$before" 1000000 "$(awk -v a="$after" -v b="$before" 'BEGIN { print a - b + 1 }')"
}

@test "time: CLOCK_MONOTONIC and CLOCK_BOOTTIME inside moved by their offsets ($STEP)" {
	local host mono boot
	host=$(host_clocks)
	run -0 ctr --monotonic 500000 --boottime 2000000 -- probe clocks
	mono=$(clock_of monotonic <<<"$output")
	boot=$(clock_of boottime <<<"$output")
	within "$mono" "$(clock_of monotonic <<<"$host")" 500000 5
	within "$boot" "$(clock_of boottime <<<"$host")" 2000000 5
	# Backwards too, as long as the clock stays above 0.
	host=$(host_clocks)
	run -0 ctr --monotonic -10 -- probe clocks
	within "$(clock_of monotonic <<<"$output")" "$(clock_of monotonic <<<"$host")" -10 5
}

@test "time: the wall clock is the host's: date +%s matches ($STEP)" {
	local host
	host=$(date +%s)
	run -0 ctr --monotonic 3000000 --boottime 3000000 -- date +%s
	within "$output" "$host" 0 2
	run -0 ctr --boottime 3000000 -- probe clocks
	within "$(clock_of realtime <<<"$output")" "$(clock_of realtime <<<"$(host_clocks)")" 0 2
}

@test "time: --monotonic and --boottime apply to every process of the container ($STEP)" {
	# COMMAND's children, and those of --init's COMMAND, read the same clock.
	run -0 ctr --init --boottime 1000000 -- sh -c 'cut -d" " -f1 /proc/uptime; (cut -d" " -f1 /proc/uptime)'
	within "${lines[1]}" "${lines[0]}" 0 2
	within "${lines[0]}" "$(cut -d' ' -f1 /proc/uptime)" 1000000 5
}

@test "time: bad offsets exit 125 with one error line ($STEP)" {
	local uptime bad
	uptime=$(cut -d. -f1 /proc/uptime)
	for bad in "" abc 1.5 +5 1e3 "5 " -- 99999999999999999999 5000000000 \
		"-$((uptime + 100))" 4611686000; do
		run --separate-stderr ctr --monotonic "$bad" -- true
		assert_equal "$status" 125
		assert_equal "${#stderr_lines[@]}" 1
		[[ $stderr == "container: --monotonic '$bad': "* ]] || fail "$stderr"
		run --separate-stderr ctr --boottime "$bad" -- true
		assert_equal "$status" 125
		[[ $stderr == "container: --boottime '$bad': "* ]] || fail "$stderr"
	done
}
