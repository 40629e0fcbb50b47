#!/usr/bin/env bats
# badinput: every option, given malformed, empty, negative, overflowing and
# out-of-range values (every step, for the options it has). Each is refused
# before anything is created: exit 125, one line "container: ..." on stderr
# (and at most one "hint: ..." line), nothing on stdout, COMMAND never run
# (it would say so on stdout: from step 3 on it runs in the rootfs, where
# no file the test could look at is reachable); the leftover check after
# each test (helpers.bash) sees nothing behind.

load helpers

# The table: first step with the option, the option, then its bad values,
# one per line ("<empty>" for the empty string).
bad_values() {
	cat <<'TABLE'
1 --hostname <empty>
1 --hostname aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
3 --rootfs <empty>
3 --rootfs /no/such/dir
3 --rootfs /
3 --rootfs /etc/passwd
4 --uid-map <empty>
4 --uid-map 0
4 --uid-map 0:100000
4 --uid-map 0:100000:0
4 --uid-map -1:100000:1
4 --uid-map 0:-100000:1
4 --uid-map 0:100000:-1
4 --uid-map x:100000:1
4 --uid-map 0:100000:1:2
4 --uid-map 0:100000:4294967296
4 --uid-map 0:4294967295:2
4 --uid-map 99999999999999999999:1:1
4 --gid-map <empty>
4 --gid-map 0:100000:0
4 --gid-map 0:100000:x
5 --ip <empty>
5 --ip 10.99.0.5
5 --ip 10.99.0.5/
5 --ip 10.99.0.5/33
5 --ip 10.99.0.5/-1
5 --ip 10.99.0.256/24
5 --ip 10.99.0.5/16
5 --ip 10.99.0.0/24
5 --ip 10.99.0.1/24
5 --ip 10.99.0.255/24
5 --ip 192.168.1.5/24
5 --ip not-an-address/24
6 --memory <empty>
6 --memory 0
6 --memory -1
6 --memory 12X
6 --memory M
6 --memory 99999999999999999999
6 --memory 17179869184G
6 --pids <empty>
6 --pids 0
6 --pids -5
6 --pids 1.5
6 --pids 99999999999999999999
6 --cpus <empty>
6 --cpus 0
6 --cpus -1
6 --cpus 0.0001
6 --cpus abc
6 --cpus 1e3
6 --cpus 99999999999999999999
7 --monotonic <empty>
7 --monotonic abc
7 --monotonic 1.5
7 --monotonic 99999999999999999999
7 --monotonic -99999999999
7 --boottime <empty>
7 --boottime 9223372036854775807
7 --boottime -99999999999
TABLE
}

@test "badinput: every bad value of every option exits 125 with one error line ($STEP)" {
	local first opt value n=0 lines
	while read -r first opt value; do
		[ "$STEP_NUM" -ge "$first" ] || continue
		[ "$value" != "<empty>" ] || value=""
		run --separate-stderr ctr "$opt" "$value" -- echo COMMAND ran
		n=$((n + 1))
		[ "$status" -eq 125 ] ||
			fail "$opt '$value': exit status $status, not 125 (stderr: $stderr)"
		[[ $output != *"COMMAND ran"* ]] || fail "$opt '$value': COMMAND ran"
		[ -z "$output" ] || fail "$opt '$value': printed on stdout: $output"
		[[ $stderr == "container: "* ]] ||
			fail "$opt '$value': stderr does not start with 'container: ': $stderr"
		# Its lines, counted in bash (newlines + 1: run drops the last
		# newline), empty ones too.
		lines=${stderr//[!$'\n']/}
		lines=$((${#lines} + 1))
		if [ "$lines" -eq 2 ]; then
			[[ ${stderr##*$'\n'} == "hint: "* ]] ||
				fail "$opt '$value': a second line that is not a hint: $stderr"
		elif [ "$lines" -ne 1 ]; then
			fail "$opt '$value': $lines lines on stderr: $stderr"
		fi
	done < <(bad_values)
	[ "$n" -gt 0 ] || fail "no row of the table applies to $STEP"
}

@test "badinput: a value given to an option that takes none exits 125 ($STEP)" {
	local opt
	for opt in --verbose=yes --help=yes --init=1 --no-net=1; do
		[ "$opt" != --init=1 ] || [ "$STEP_NUM" -ge 2 ] || continue
		[ "$opt" != --no-net=1 ] || [ "$STEP_NUM" -ge 5 ] || continue
		run --separate-stderr ctr "$opt" -- echo COMMAND ran
		[ "$status" -eq 125 ] || fail "$opt: exit status $status, not 125"
		[[ $stderr == "container: "* ]] || fail "$opt: stderr: $stderr"
		[[ $output != *"COMMAND ran"* ]] || fail "$opt: COMMAND ran"
		[ -z "$output" ] || fail "$opt: printed on stdout: $output"
	done
}
