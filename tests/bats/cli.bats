#!/usr/bin/env bats
# cli: options, bad input, and exit statuses (every step).

load helpers

# Run the runtime with bad input: it must exit 125 with exactly one line
# on stderr, "container: ...", and run nothing. COMMAND would say so on
# stdout (from step 3 on it runs in the rootfs: a file it made there is
# out of the test's sight).
assert_refused() {
	run --separate-stderr ctr "$@" -- echo COMMAND ran
	assert_equal "$status" 125
	assert_equal "$(printf '%s\n' "$stderr" | wc -l)" 1
	[[ $stderr == "container: "* ]]
	refute_output --partial "COMMAND ran"
	assert_equal "$output" ""
}

@test "cli: --help prints usage on stdout and exits 0 ($STEP)" {
	run --separate-stderr -0 ctr --help
	assert_output --partial "Usage: container [OPTION]... [--] [COMMAND [ARG]...]"
	assert_output --partial "--hostname NAME"
	assert_equal "$stderr" ""
	run -0 ctr -h
	assert_output --partial "Usage: container"
}

@test "cli: unknown options are refused with exit 125 ($STEP)" {
	assert_refused --no-such-option
	assert_refused -x
	assert_refused -vx
}

@test "cli: a missing option argument is refused with exit 125 ($STEP)" {
	run --separate-stderr ctr -n
	assert_equal "$status" 125
	assert_equal "$stderr" "container: -n: missing argument (see --help)"
	run --separate-stderr ctr --hostname
	assert_equal "$status" 125
	assert_equal "$stderr" "container: --hostname: missing argument (see --help)"
}

@test "cli: an empty hostname is refused with exit 125 ($STEP)" {
	assert_refused --hostname ''
	assert_refused --hostname=
}

@test "cli: a hostname over 64 bytes is refused; 64 is fine ($STEP)" {
	local h64 h65
	h64=$(printf 'a%.0s' {1..64})
	h65=$(printf 'a%.0s' {1..65})
	assert_refused -n "$h65"
	run -0 ctr -n "$h64" -- hostname
	assert_output "$h64"
}

@test "cli: COMMAND's own options stay COMMAND's ($STEP)" {
	run -0 ctr echo -n no-newline
	assert_output no-newline
	run -0 ctr -- sh -c 'echo "$0 $1"' first second
	assert_output "first second"
}

@test "cli: COMMAND defaults to /bin/sh ($STEP)" {
	run -0 ctr <<<'echo shell-read-this'
	assert_output shell-read-this
}

@test "cli: exit status 0 and 42 come back from COMMAND ($STEP)" {
	run -0 ctr -- true
	run -42 ctr -- sh -c 'exit 42'
}

@test "cli: exit status 126 when COMMAND cannot be executed ($STEP)" {
	# /etc/passwd exists on the host and in the rootfs, and is not executable.
	run --separate-stderr -126 ctr -- /etc/passwd
	# Before step 3 execvp fails; from step 3 the rootfs check sees it first.
	[[ $stderr =~ ^container:\ (execvp\(/etc/passwd\)|/etc/passwd\ \(in\ \./rootfs\)):\ Permission\ denied$ ]]
}

@test "cli: exit status 127 when COMMAND is not found ($STEP)" {
	run --separate-stderr -127 ctr -- no-such-command-here
	[[ $stderr == "container: "*"no-such-command-here"* ]]
}

@test "cli: exit status 128+N when COMMAND is killed by signal N ($STEP)" {
	start_ctr -- sh -c 'echo ready; exec sleep 60'
	kill -KILL "$CTR_INIT"
	wait_ctr
	assert_equal "$CTR_STATUS" 137
	# From step 2 on COMMAND is PID 1, which ignores signals it has no
	# handler for (pid_namespaces(7)); --init makes it an ordinary process.
	if [ "$STEP_NUM" -ge 2 ]; then
		start_ctr --init -- sh -c 'echo ready; exec sleep 60'
		kill -TERM "$(child_of "$CTR_INIT")"
	else
		start_ctr -- sh -c 'echo ready; exec sleep 60'
		kill -TERM "$CTR_INIT"
	fi
	wait_ctr
	assert_equal "$CTR_STATUS" 143
}

@test "cli: --verbose narrates the calls of parent and child ($STEP)" {
	run --separate-stderr -0 ctr --verbose -n box -- true
	assert_equal "$output" ""
	# clone(2) until step 5, clone3(2) from step 6.
	[[ $stderr =~ container\[parent\]:\ clone3?\(CLONE_NEWUTS ]]
	[[ $stderr == *"container[child]: sethostname(box) = 0"* ]]
	[[ $stderr == *"container[child]: execvp(true)"* ]]
	run --separate-stderr -0 ctr -- true
	assert_equal "$stderr" ""
}

@test "cli: without root, a clear error and a hint to use sudo (before step 4) ($STEP)" {
	requires_root
	requires_before_step 4 "runs unprivileged"
	local dir
	dir=$(mktemp -d /tmp/mini-cli.XXXXXX)
	on_teardown rm -rf "$dir"
	chmod 755 "$dir"
	cp "$CTR" "$dir/container"
	run --separate-stderr -125 setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$dir/container" -- true
	[[ $stderr == "container: "*"Operation not permitted"* ]]
	assert_equal "$(printf '%s\n' "$stderr" | grep -c '^hint: .*sudo')" 1
}

# A caller that ignores SIGCHLD (SIG_IGN survives execve(2)) would have the
# kernel reap the runtime's child itself, and waitpid(2) find no child to
# wait for (wait(2), NOTES): the runtime must set it back to the default.
@test "cli: COMMAND's exit status comes back even when the caller ignores SIGCHLD ($STEP)" {
	run ctr -- sh -c 'exit 3'
	assert_equal "$status" 3
	run timeout -k 5 "$CTR_TIMEOUT" "${IN_HOST_NS[@]}" python3 -c '
import os, signal, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
os.execv(sys.argv[1], sys.argv[1:])' "$CTR" "${NET_ARGS[@]}" -- sh -c 'exit 3'
	assert_equal "$status" 3
}
