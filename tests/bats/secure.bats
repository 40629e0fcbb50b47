#!/usr/bin/env bats
# secure: what namespaces cannot stop (step 10 on). COMMAND keeps Docker's
# fourteen capabilities, runs with no_new_privs and a seccomp filter, in a
# session of its own (with a terminal of its own when stdin is one), with a
# clean environment; --exec gets the same. Each check is made inside and,
# where the kernel shows it, from the host (/proc/PID/status).

load helpers

setup_file() {
	requires_step 10 "capabilities, no_new_privs or seccomp"
}

# Docker's default capabilities, by name; their numbers come from the
# kernel's own header, so the expected mask is computed, not copied.
DOCKER_CAPS="CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW SETGID SETUID SETFCAP SETPCAP NET_BIND_SERVICE SYS_CHROOT KILL AUDIT_WRITE"
CAP_HEADER=/usr/include/linux/capability.h

# The mask of capability names, as /proc/PID/status prints a set.
cap_mask() { # NAME...
	local name n mask=0
	[ -r "$CAP_HEADER" ] || skip "needs $CAP_HEADER (linux-libc-dev) to number the capabilities"
	for name in "$@"; do
		n=$(awk -v c="CAP_$name" '$1 == "#define" && $2 == c { print $3 }' "$CAP_HEADER")
		[ -n "$n" ] || fail "no CAP_$name in $CAP_HEADER"
		mask=$((mask | (1 << n)))
	done
	printf '%016x\n' "$mask"
}

# The lines of /proc/PID/status for the capability sets, no_new_privs and
# seccomp, as "Field value".
status_of() { # PID or self
	awk '/^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):/ { print $1, $2 }' "/proc/$1/status"
}

expected_status() { # MASK NNP SECCOMP
	printf 'CapInh: 0000000000000000\nCapPrm: %s\nCapEff: %s\nCapBnd: %s\nCapAmb: 0000000000000000\nNoNewPrivs: %s\nSeccomp: %s\n' \
		"$1" "$1" "$1" "$2" "$3"
}

# Run a command line under util-linux script(1): on a terminal of its own,
# which the runtime takes for the caller's. Use with `run`.
#
# script's stdin is a FIFO opened for reading and writing: it never ends,
# as a terminal with nothing typed does not. At the end of a stdin such
# as /dev/null, script types the EOF character (^D) to its terminal. If
# the runtime switches that terminal to raw mode before the ^D is read,
# the kernel hands the pending end-of-file over as a NUL byte, which the
# runtime relays and the container's terminal echoes as "^@".
on_terminal() { # SHELL-COMMAND-LINE
	requires_command script
	[ -p "$BATS_TEST_TMPDIR/keyboard" ] || mkfifo "$BATS_TEST_TMPDIR/keyboard"
	timeout -k 5 "$CTR_TIMEOUT" script -qec "$1" /dev/null <>"$BATS_TEST_TMPDIR/keyboard"
}

# The command line for ctr inside on_terminal: the same runtime and options.
ctr_line() {
	local line=
	[ ${#IN_HOST_NS[@]} -eq 0 ] || line="${IN_HOST_NS[*]} "
	echo "$line$CTR ${NET_ARGS[*]}"
}

@test "secure: COMMAND has exactly Docker's fourteen capabilities, no_new_privs and a filter, inside and seen from the host ($STEP)" {
	local mask
	mask=$(cap_mask $DOCKER_CAPS)
	run -0 ctr -- cat /proc/self/status
	diff <(expected_status "$mask" 1 2) <(awk '/^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):/ { print $1, $2 }' <<<"$output")
	start_ctr -- sh -c 'echo ready; exec sleep 60'
	diff <(expected_status "$mask" 1 2) <(status_of "$CTR_INIT")
}

@test "secure: --init's PID 1 and its COMMAND are both restricted ($STEP)" {
	local mask
	mask=$(cap_mask $DOCKER_CAPS)
	start_ctr --init -- sh -c 'echo ready; exec sleep 60'
	diff <(expected_status "$mask" 1 2) <(status_of "$CTR_INIT")
	cmd=$(child_of "$CTR_INIT")
	[ -n "$cmd" ]
	diff <(expected_status "$mask" 1 2) <(status_of "$cmd")
}

@test "secure: --cap-drop ALL --cap-add NET_BIND_SERVICE leaves exactly that one ($STEP)" {
	start_ctr --cap-drop ALL --cap-add NET_BIND_SERVICE -- sh -c 'echo ready; exec sleep 60'
	diff <(expected_status "$(cap_mask NET_BIND_SERVICE)" 1 2) <(status_of "$CTR_INIT")
}

@test "secure: --cap-add and --cap-drop take names with or without CAP_, in any case, and ALL ($STEP)" {
	local want
	want=$(cap_mask $(echo "$DOCKER_CAPS" | sed 's/\bKILL\b//; s/\bMKNOD\b//') SYS_ADMIN NET_ADMIN)
	run -0 ctr --cap-drop kill --cap-drop CAP_MKNOD --cap-add cap_sys_admin --cap-add NET_ADMIN -- cat /proc/self/status
	assert_line "CapBnd:	$want"
	# ALL: every capability this kernel has (0 to cap_last_cap).
	local all
	all=$(printf '%016x' $(((1 << ($(cat /proc/sys/kernel/cap_last_cap) + 1)) - 1)))
	run -0 ctr --cap-add ALL -- cat /proc/self/status
	assert_line "CapBnd:	$all"
	assert_line "CapEff:	$all"
}

@test "secure: --seccomp=unconfined loads no filter; no_new_privs stays ($STEP)" {
	start_ctr --seccomp=unconfined -- sh -c 'echo ready; exec sleep 60'
	diff <(expected_status "$(cap_mask $DOCKER_CAPS)" 1 0) <(status_of "$CTR_INIT")
}

@test "secure: root inside cannot unmount /proc/sys, mount, or make a user namespace; with the capability and no filter it can ($STEP)" {
	run -1 ctr -- umount /proc/sys
	assert_output --partial "Operation not permitted"
	run -1 ctr -- mount -t tmpfs t /tmp
	assert_output "mount: permission denied (are you root?)" # busybox's EPERM
	run -1 ctr -- unshare -U true
	assert_output --partial "Operation not permitted"
	# The same commands succeed once the restrictions are lifted: what
	# failed above was the restriction, not the command.
	run -0 ctr --cap-add SYS_ADMIN -- umount /proc/sys
	run -0 ctr --cap-add SYS_ADMIN -- mount -t tmpfs t /tmp
	run -0 ctr --seccomp=unconfined -- unshare -U true
}

@test "secure: keyctl fails with EPERM under the filter ($STEP)" {
	run -1 ctr -- probe keyctl
	assert_output EPERM
	run ctr --seccomp=unconfined -- probe keyctl
	refute_output EPERM
}

@test "secure: a call through the x32 entry point is killed (the filter checks the ABI) ($STEP)" {
	[ "$(uname -m)" = x86_64 ] || skip "x32 is an x86_64 ABI; this is $(uname -m)"
	run -159 ctr -- probe abi x32 # 128 + SIGSYS
	run ctr --seccomp=unconfined -- probe abi x32
	[ "$status" -ne 159 ]
}

@test "secure: a set-user-ID root binary gains nothing (no_new_privs) ($STEP)" {
	requires_root # uid 1000 inside needs the root map (100000:65536)
	# On a tmpfs of its own, mounted without nosuid: only no_new_privs is
	# left to stop the set-user-ID bit. Without it, euid would be 0. With
	# no filter: libseccomp sets no_new_privs itself when it loads one.
	run -0 ctr --cap-add SYS_ADMIN --seccomp=unconfined -- sh -c \
		'mount -t tmpfs t /tmp && cp /bin/probe /tmp/p && chmod 4755 /tmp/p &&
		 probe as 1000 /tmp/p ids'
	assert_output "uid 1000 euid 1000"
}

@test "secure: TIOCSTI cannot type into the caller's terminal, filter or not ($STEP)" {
	# stdin is no terminal, so no pty: stdout is the caller's terminal.
	# Its own session makes TIOCSTI on it fail (ioctl_tty(2)), and so does
	# the filter.
	run on_terminal "$(ctr_line) -- probe tiocsti 1 x </dev/null"
	assert_equal "$status" 1
	assert_output --partial EPERM
	run on_terminal "$(ctr_line) --seccomp=unconfined -- probe tiocsti 1 x </dev/null"
	assert_equal "$status" 1
	assert_output --partial EPERM
}

@test "secure: the filter denies TIOCSTI even on the container's own terminal ($STEP)" {
	run on_terminal "$(ctr_line) -- probe tiocsti 0 x"
	assert_equal "$status" 1
	assert_output --partial EPERM
	# Unconfined, its own terminal is its to type into.
	run -0 on_terminal "$(ctr_line) --seccomp=unconfined -- probe tiocsti 0 x"
	assert_output --partial ok
}

@test "secure: with a terminal, COMMAND gets a pty of the container's devpts, in a session of its own ($STEP)" {
	# /proc/self/stat: field 6 the session, 7 the controlling terminal.
	run -0 on_terminal "$(ctr_line) -- sh -c 'tty; cut -d\" \" -f6,7 /proc/self/stat; stat -c %d /dev/pts/ptmx /dev/pts/0'"
	assert_line --regexp '^/dev/pts/0'$'\r''?$'
	# Session 1: COMMAND (PID 1) leads it. One of the caller's would be
	# outside the PID namespace, and read 0. Terminal: pts/0, 136:0.
	assert_line --regexp '^1 34816'$'\r''?$'
	# /dev/pts/0 is on the container's devpts, as its ptmx is.
	local devs
	devs=$(printf '%s\n' "${lines[@]}" | tr -d '\r' | grep -E '^[0-9]+$' | sort -u | wc -l)
	assert_equal "$devs" 1
}

@test "secure: without a terminal, COMMAND has no controlling terminal, even when the caller's is on stdout ($STEP)" {
	run -0 on_terminal "$(ctr_line) -- sh -c 'tty; cut -d\" \" -f6,7 /proc/self/stat' </dev/null"
	assert_line --regexp '^not a tty'$'\r''?$'
	assert_line --regexp '^1 0'$'\r''?$'
}

@test "secure: the runtime relays the window size, at start and on SIGWINCH ($STEP)" {
	run -0 on_terminal "stty rows 33 cols 77; (sleep 1; stty rows 44 cols 88 </dev/tty) & $(ctr_line) -- sh -c 'stty size; sleep 2; stty size'; wait"
	assert_line --regexp '^33 77'$'\r''?$'
	assert_line --regexp '^44 88'$'\r''?$'
}

# The size must be there before COMMAND starts, not when the runtime's
# relay gets to it: a program that asks at once (stty size, an editor)
# would read 0 0. strace holds each ioctl(2) of the runtime, and of it
# alone, for a quarter of a second: its relay starts late.
@test "secure: COMMAND's terminal has the caller's size from the start, however late the relay begins ($STEP)" {
	requires_command strace
	# (LeakSanitizer, in a SAN=1 build, cannot work under strace.)
	local line="ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	line+=" ${IN_HOST_NS[*]} strace -qq -o /dev/null -e trace=ioctl"
	line+=" -e inject=ioctl:delay_enter=250000 $CTR ${NET_ARGS[*]}"
	run -0 on_terminal "stty rows 33 cols 77; $line -- stty size"
	assert_line --regexp '^33 77'$'\r''?$'
}

@test "secure: the caller's terminal is back in its own mode when the runtime ends ($STEP)" {
	run -0 on_terminal "stty -g; $(ctr_line) -- true; stty -g; $(ctr_line) -- sh -c 'exit 3'; stty -g"
	local modes
	modes=$(printf '%s\n' "${lines[@]}" | tr -d '\r' | grep -E '^[0-9a-f]+(:[0-9a-f]+)+$' | sort -u | wc -l)
	assert_equal "$modes" 1
}

@test "secure: a stdout that goes away ends the relay, and the terminal is back in its mode ($STEP)" {
	# `yes | head -1`: the runtime's stdout closes while COMMAND writes.
	# SIGPIPE must not kill the runtime with the terminal left raw.
	run -0 on_terminal "stty -g; $(ctr_line) -- yes | head -n 1; stty -g"
	assert_line --regexp '^y'$'\r''?$'
	local modes
	modes=$(printf '%s\n' "${lines[@]}" | tr -d '\r' | grep -E '^[0-9a-f]+(:[0-9a-f]+)+$' | sort -u | wc -l)
	assert_equal "$modes" 1
}

@test "secure: COMMAND's environment holds exactly PATH, HOME, HOSTNAME, TERM, container and --env ($STEP)" {
	run -0 env -i PATH="$PATH" TERM=xterm-test SECRET_TOKEN=s3cret SSH_AUTH_SOCK=/tmp/agent COPIED=yes \
		"${IN_HOST_NS[@]}" "$CTR" "${NET_ARGS[@]}" --hostname box --env FOO=bar --env COPIED --env ABSENT \
		--env HOME=/home/x -- /bin/env
	diff <(printf '%s\n' "$output" | sort) <(printf '%s\n' PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/home/x HOSTNAME=box TERM=xterm-test container=mini-container FOO=bar COPIED=yes | sort)
	# With no TERM of the caller's, none inside.
	run -0 env -i PATH="$PATH" "${IN_HOST_NS[@]}" "$CTR" "${NET_ARGS[@]}" -- /bin/env
	refute_line --partial TERM=
}

@test "secure: /tmp and /dev/shm are 64 MiB tmpfs ($STEP)" {
	run -0 ctr -- df -k /tmp /dev/shm
	assert_line --regexp '^tmpfs +65536 .* /tmp$'
	assert_line --regexp '^shm +65536 .* /dev/shm$'
}

@test "secure: bad --cap-add, --cap-drop, --seccomp and --env values exit 125 with one line ($STEP)" {
	run -125 ctr --cap-add FLY -- true
	assert_output "container: --cap-add 'FLY': not a capability (names as in capabilities(7), such as NET_ADMIN, or ALL)"
	run -125 ctr --cap-drop 7 -- true
	assert_output "container: --cap-drop '7': not a capability (names as in capabilities(7), such as NET_ADMIN, or ALL)"
	run -125 ctr --seccomp=default -- true
	assert_output "container: --seccomp 'default': the only value is unconfined (no filter)"
	run -125 ctr --env =x -- true
	assert_output "container: --env '=x': expected KEY=VALUE or KEY"
	run -125 ctr --env '' -- true
	assert_output "container: --env '': expected KEY=VALUE or KEY"
}

@test "secure: --exec into a step 10 container is restricted the same way, inside and from the host ($STEP)" {
	private_names
	local name=${NAME_PREFIX}sec mask
	mask=$(cap_mask $DOCKER_CAPS)
	start_ctr --name "$name" --cap-add SYS_ADMIN -- sh -c 'echo ready; exec sleep 60'
	run -0 timeout -k 5 "$CTR_TIMEOUT" "${IN_HOST_NS[@]}" "$CTR" --exec "$name" -- cat /proc/self/status
	diff <(expected_status "$mask" 1 2) <(awk '/^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):/ { print $1, $2 }' <<<"$output")
	run -0 env -i PATH="$PATH" SECRET_TOKEN=s3cret XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-}" \
		timeout -k 5 "$CTR_TIMEOUT" "${IN_HOST_NS[@]}" "$CTR" --exec "$name" -- /bin/env
	refute_line --partial SECRET_TOKEN
	assert_line container=mini-container
	CTR_STARTED=$((CTR_STARTED + 1))
	"${IN_HOST_NS[@]}" "$CTR" --exec "$name" --cap-drop ALL -- sh -c 'echo ready; exec sleep 60' \
		>"$BATS_TEST_TMPDIR/exec.out" 2>"$BATS_TEST_TMPDIR/exec.err" &
	BG_RUNTIMES+=("$!")
	wait_for_file_line "$BATS_TEST_TMPDIR/exec.out" ready
	cmd=$(child_of "$!")
	diff <(expected_status 0000000000000000 1 2) <(status_of "$cmd")
}

@test "secure: --exec with a terminal gets a pty of the container's own ($STEP)" {
	private_names
	local name=${NAME_PREFIX}pty
	start_ctr --name "$name" -- sh -c 'echo ready; exec sleep 60'
	run -0 on_terminal "${IN_HOST_NS[*]} $CTR --exec $name -- sh -c 'tty; cut -d\" \" -f7 /proc/self/stat'"
	assert_line --regexp '^/dev/pts/0'$'\r''?$'
	assert_line --regexp '^34816'$'\r''?$'
}
