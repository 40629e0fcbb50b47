#!/usr/bin/env bats
# join: a running container can be found by name (--name), joined by a
# command of its own (--exec, setns(2) into its eight namespaces and its
# cgroup), and a new container can share its user, network, IPC and UTS
# namespaces (--pod) (step 9 on).
#
# Every name a test makes holds NAME_PREFIX (helpers.bash), which is its
# own: the unprivileged jobs of several steps share one names directory.

load helpers

# Run COMMAND inside the running container NAME, bounded in time. Use with
# `run`. --exec takes no other option, NET_ARGS (--no-net) included.
#   ctr_exec NAME [OPTION]... [--] [COMMAND [ARG]...]
ctr_exec() {
	timeout -k 5 "$CTR_TIMEOUT" "${IN_HOST_NS[@]}" "$CTR" --exec "$@"
}

# ctr and start_ctr for a pod member: --pod refuses --no-net (its network
# is the pod's), so without NET_ARGS. (ctr sees the local one: bash's
# variables are dynamically scoped.)
ctr_pod() {
	local NET_ARGS=()
	ctr "$@"
}
start_pod() {
	local NET_ARGS=()
	start_ctr "$@"
}

# Start COMMAND inside the running container NAME in the background, and
# wait until it printed "ready" on stdout. Sets EXEC_PID (the exec runtime),
# EXEC_CMD (COMMAND, its child, as the host numbers it), EXEC_OUT and
# EXEC_ERR. Teardown waits for the runtime: it ends with the container.
#   start_exec NAME [--] COMMAND [ARG]...
start_exec() {
	CTR_STARTED=$((CTR_STARTED + 1))
	EXEC_OUT=$BATS_TEST_TMPDIR/exec$CTR_STARTED.out
	EXEC_ERR=$BATS_TEST_TMPDIR/exec$CTR_STARTED.err
	: >"$EXEC_OUT"
	"${IN_HOST_NS[@]}" "$CTR" --exec "$@" >"$EXEC_OUT" 2>"$EXEC_ERR" &
	EXEC_PID=$!
	BG_RUNTIMES+=("$EXEC_PID")
	wait_for_file_line "$EXEC_OUT" ready || {
		echo "exec'd command did not get ready; stderr:" >&2
		cat "$EXEC_ERR" >&2
		return 1
	}
	EXEC_CMD=$(child_of "$EXEC_PID")
	[ -n "$EXEC_CMD" ] || {
		echo "exec runtime $EXEC_PID has no child" >&2
		return 1
	}
}

# Wait (up to 10 s) for a background runtime to exit; sets CTR_STATUS.
wait_exit() {
	wait_gone "$1" || fail "runtime $1 still runs 10 s later"
	wait_ctr "$1"
}

NAMESPACES="user mnt uts ipc net pid cgroup time"

# The one line a bad name gets (with its option).
bad_name_line() { # OPTION NAME
	echo "container: $1 '$2': names are letters, digits, '_', '.' and '-', starting with a letter or digit, at most 63 characters"
}

not_running_line() { # OPTION NAME
	echo "container: $1 '$2': no container of that name is running"
}

# --- --exec ---------------------------------------------------------------

# The error line names an option by its long form, whichever was typed.
long_form() {
	case $1 in
	-r) echo --rootfs ;;
	-n) echo --hostname ;;
	*) echo "$1" ;;
	esac
}

@test "join: from the host, an exec'd command is in the container's eight namespaces ($STEP)" {
	local a=${NAME_PREFIX}a ns
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	start_exec "$a" -- sh -c 'echo ready; exec sleep 60'
	for ns in $NAMESPACES; do
		assert_equal "$(ns_of "$EXEC_CMD" "$ns")" "$(ns_of "$CTR_INIT" "$ns")"
		# The container's own, not the host's.
		assert_not_equal "$(ns_of "$EXEC_CMD" "$ns")" "$(ns_of $$ "$ns")"
	done
	# Inside, the command reads the same links (inode numbers are global).
	local expected=""
	for ns in $NAMESPACES; do
		expected+="$(ns_of "$CTR_INIT" "$ns")"$'\n'
	done
	run -0 ctr_exec "$a" -- sh -c 'for n in '"$NAMESPACES"'; do readlink /proc/self/ns/$n; done'
	assert_output "${expected%$'\n'}"
}

@test "join: from the host, an exec'd command sits in the container's cgroup, its runtime does not ($STEP)" {
	[ "$EUID" -eq 0 ] || skip "unprivileged, a container without limits has no cgroup of its own to join"
	local a=${NAME_PREFIX}a dir
	start_ctr --name "$a" --pids 12 -- sh -c 'echo ready; exec sleep 60'
	start_exec "$a" -- sh -c 'echo ready; exec sleep 60'
	assert_equal "$(cat "/proc/$EXEC_CMD/cgroup")" "$(cat "/proc/$CTR_INIT/cgroup")"
	dir=$(ctr_cgroup pids)
	[[ $dir == */mini-container/ctr-$CTR_PID-* ]] || fail "container's cgroup: $dir"
	grep -qx "$EXEC_CMD" "$dir/cgroup.procs"
	run grep -c "ctr-$CTR_PID" "/proc/$EXEC_PID/cgroup"
	assert_output 0
	# The container's limit holds for it: of the 12, PID 1 and the
	# exec'd sleep have 2, probe is one of the other 10.
	run -0 ctr_exec "$a" -- probe forkbomb 100
	assert_output "forked 9 (Resource temporarily unavailable)"
}

@test "join: inside, an exec'd command sees the container's hostname, files and mounts, from / ($STEP)" {
	local a=${NAME_PREFIX}a mark="mark $RANDOM$RANDOM"
	# The hostname as the container changed it after it started; a file
	# in the container's own /tmp (a tmpfs of its mount namespace).
	# PID 1 works in /tmp: an exec'd command starts in / all the same.
	start_ctr --name "$a" -n early "${ROOT_ARGS[@]}" -- sh -c "hostname late; echo '$mark' >/tmp/mark; ls /; echo ready; cd /tmp; exec sleep 60"
	# From a directory with no ./rootfs: --exec needs none.
	cd "$BATS_TEST_TMPDIR"
	run -0 ctr_exec "$a" -- sh -c 'hostname; pwd; cat /tmp/mark; ls /'
	assert_equal "${lines[0]}" late
	assert_equal "${lines[1]}" /
	assert_equal "${lines[2]}" "$mark"
	assert_equal "$(printf '%s\n' "${lines[@]:3}")" "$(grep -vx ready "$CTR_OUT")"
	# From the host: its root and working directory are the container's root.
	start_exec "$a" -- sh -c 'echo ready; exec sleep 60'
	local root
	root=$(stat -L -c '%d:%i' "/proc/$CTR_INIT/root")
	assert_equal "$(stat -L -c '%d:%i' "/proc/$EXEC_CMD/root")" "$root"
	assert_equal "$(stat -L -c '%d:%i' "/proc/$EXEC_CMD/cwd")" "$root"
	assert_not_equal "$(stat -L -c '%d:%i' "/proc/$CTR_INIT/cwd")" "$root"
	assert_equal "$(cat "/proc/$EXEC_CMD/root/tmp/mark")" "$mark"
}

@test "join: an exec'd command has a PID of the container's, and ps inside shows the container's processes ($STEP)" {
	local a=${NAME_PREFIX}a inner
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	start_exec "$a" -- sh -c 'echo $$; echo ready; exec sleep 60'
	inner=$(head -n 1 "$EXEC_OUT")
	# From the host: two levels, the inner one a PID of the container's.
	run -0 grep '^NSpid:' "/proc/$EXEC_CMD/status"
	assert_output "$(printf 'NSpid:\t%s\t%s' "$EXEC_CMD" "$inner")"
	[ "$inner" -gt 1 ]
	# Inside: PID 1 is the container's sleep, the first exec'd command is
	# there, and so is this one.
	wait_comm "$EXEC_CMD" sleep
	# (busybox sh execs its last command: ps has the PID of $$.)
	run -0 ctr_exec "$a" -- sh -c 'echo $$; ps -o pid,comm'
	assert_line --regexp '^ *1 sleep$'
	assert_line --regexp "^ *$inner sleep\$"
	assert_line --regexp "^ *${lines[0]} ps\$"
	# Nothing of the host's: $$, the header, PID 1, the other exec'd
	# command and ps.
	assert_equal "${#lines[@]}" 5
}

@test "join: an exec'd command is root inside, and the container's root as the host sees it ($STEP)" {
	local a=${NAME_PREFIX}a
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	run -0 ctr_exec "$a" -- sh -c 'id -u; id -g'
	assert_output "0
0"
	start_exec "$a" -- sh -c 'echo ready; exec sleep 60'
	assert_equal "$(grep -E '^(Uid|Gid):' "/proc/$EXEC_CMD/status")" \
		"$(grep -E '^(Uid|Gid):' "/proc/$CTR_INIT/status")"
	# From step 4 on, root inside is not the host's root.
	assert_not_equal "$(awk '/^Uid:/ { print $2 }' "/proc/$EXEC_CMD/status")" 0
}

@test "join: COMMAND's exit status comes back through --exec: its own, 128+N, 126, 127 ($STEP)" {
	local a=${NAME_PREFIX}a
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	run -7 ctr_exec "$a" -- sh -c 'exit 7'
	run -143 ctr_exec "$a" -- sh -c 'kill -TERM $$'
	run --separate-stderr -127 ctr_exec "$a" -- no-such-command
	[[ $stderr == "container: "*"no-such-command"* ]] || fail "stderr: $stderr"
	# /etc/hostname is in the rootfs, and not executable.
	run --separate-stderr -126 ctr_exec "$a" -- /etc/hostname
	[[ $stderr == "container: "*"/etc/hostname"* ]] || fail "stderr: $stderr"
	# Without COMMAND, /bin/sh, reading stdin.
	run -4 ctr_exec "$a" <<<'echo from-sh; exit 4'
	assert_output from-sh
	# The container is still there.
	[ -e "/proc/$CTR_INIT" ]
}

@test "join: --exec passes stdin, stdout and stderr through, and prints nothing of its own ($STEP)" {
	local a=${NAME_PREFIX}a
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	run --separate-stderr -0 ctr_exec "$a" -- sh -c 'cat; echo to-stderr >&2' <<<"to-stdin"
	assert_output to-stdin
	assert_equal "$stderr" to-stderr
}

@test "join: each forwarded signal to the exec runtime reaches COMMAND's trap, not the container ($STEP)" {
	local a=${NAME_PREFIX}a sig code=10
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	for sig in INT TERM HUP QUIT USR1 USR2; do
		code=$((code + 1))
		start_exec "$a" -- sh -c "trap 'echo trapped $sig; exit $code' $sig; echo ready; sleep 20 & wait"
		kill -"$sig" "$EXEC_PID"
		wait_exit "$EXEC_PID"
		assert_equal "$CTR_STATUS" "$code"
		grep -qx "trapped $sig" "$EXEC_OUT"
		# The container's PID 1 did not get it.
		[ "$(awk '/^State:/ {print $2}' "/proc/$CTR_INIT/status")" = S ] ||
			fail "the container's PID 1 is gone after SIG$sig to the exec runtime"
	done
	# Without a trap, SIGTERM ends COMMAND: 128+15.
	start_exec "$a" -- sh -c 'echo ready; exec sleep 60'
	kill -TERM "$EXEC_PID"
	wait_exit "$EXEC_PID"
	assert_equal "$CTR_STATUS" 143
}

@test "join: an exec'd command gets descriptors 0, 1 and 2 only ($STEP)" {
	local a=${NAME_PREFIX}a
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	# The exec runtime is started holding more (3 is bats' own, too).
	run -0 ctr_exec "$a" -- probe fds 3</dev/null 7</dev/null
	assert_output "$(printf '0\n1\n2')"
	# From the host, after its sh has exec'd sleep.
	start_exec "$a" -- sh -c 'echo ready; exec sleep 60' 3</dev/null 7</dev/null
	wait_comm "$EXEC_CMD" sleep
	run -0 ls "/proc/$EXEC_CMD/fd"
	assert_output "$(printf '0\n1\n2')"
}

@test "join: SIGKILL of the exec runtime takes its command down; the container runs on ($STEP)" {
	local a=${NAME_PREFIX}a
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	start_exec "$a" -- sh -c 'echo ready; exec sleep 60'
	kill -KILL "$EXEC_PID"
	wait_gone "$EXEC_CMD" || fail "the exec'd command still runs after its runtime was SIGKILLed"
	[ "$(awk '/^State:/ {print $2}' "/proc/$CTR_INIT/status")" = S ]
	run -0 ctr_exec "$a" -- echo still-there
	assert_output still-there
}

@test "join: --exec to an unknown name, or to a container that has ended, exits 125 with one line ($STEP)" {
	local a=${NAME_PREFIX}a none=${NAME_PREFIX}none
	run --separate-stderr -125 ctr_exec "$none" -- true
	assert_output ""
	assert_equal "$stderr" "$(not_running_line --exec "$none")"
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	run -0 ctr_exec "$a" -- true
	kill -KILL "$CTR_INIT"
	wait_exit "$CTR_PID"
	assert_equal "$CTR_STATUS" 137
	[ ! -e "$(names_dir)/$a" ] || fail "$(names_dir)/$a is left after its container ended"
	run --separate-stderr -125 ctr_exec "$a" -- true
	assert_output ""
	assert_equal "$stderr" "$(not_running_line --exec "$a")"
}

@test "join: when the container ends, commands exec'd into it are killed: their runtime exits 137 ($STEP)" {
	local a=${NAME_PREFIX}a ctr_pid cmd
	start_ctr --name "$a" -- sh -c 'echo ready; until [ -e /tmp/stop ]; do sleep 0.1; done'
	ctr_pid=$CTR_PID
	start_exec "$a" -- sh -c 'echo ready; exec sleep 60'
	cmd=$EXEC_CMD
	# Another exec'd command tells PID 1 to end, and it ends with 0.
	run -0 ctr_exec "$a" -- touch /tmp/stop
	wait_exit "$ctr_pid"
	assert_equal "$CTR_STATUS" 0
	wait_exit "$EXEC_PID"
	assert_equal "$CTR_STATUS" 137
	wait_gone "$cmd"
	[ ! -e "$(names_dir)/$a" ] || fail "$(names_dir)/$a is left after its container ended"
}

@test "join: --exec takes -v, which narrates the setns(2) calls, and --help ($STEP)" {
	local a=${NAME_PREFIX}a flag
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	run --separate-stderr -0 ctr_exec "$a" -v -- echo joined
	assert_output joined
	run -0 grep 'setns(' <<<"$stderr"
	for flag in CLONE_NEWUSER CLONE_NEWNS CLONE_NEWUTS CLONE_NEWIPC CLONE_NEWNET CLONE_NEWPID CLONE_NEWCGROUP CLONE_NEWTIME; do
		[[ $output == *"$flag"* ]] || fail "no setns(... $flag ...) in: $stderr"
	done
	run --separate-stderr -0 ctr_exec "$a" --verbose -- echo joined
	assert_output joined
	[[ $stderr == *"setns("* ]]
	run --separate-stderr -0 ctr_exec "$a" --help
	assert_line --partial "--exec"
	assert_line --partial "--name"
	assert_line --partial "--pod"
	assert_equal "$stderr" ""
}

# --- names --------------------------------------------------------------

@test "join: a name is a socket in a directory of the user's own (0700), gone when its container ends ($STEP)" {
	local a=${NAME_PREFIX}a b=${NAME_PREFIX}b dir
	# Unprivileged: tests/run-bats runs bats without XDG_RUNTIME_DIR.
	[ "$EUID" -eq 0 ] || unset XDG_RUNTIME_DIR
	dir=$(names_dir)
	[ "$EUID" -eq 0 ] || assert_equal "$dir" "/tmp/mini-container-$(id -u)/names"
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	[ -S "$dir/$a" ] || fail "no socket $dir/$a"
	run -0 stat -c '%F %a %u' "$dir"
	assert_output "directory 700 $(id -u)"
	if [ "$EUID" -ne 0 ]; then
		run -0 stat -c '%F %a %u' "${dir%/names}"
		assert_output "directory 700 $(id -u)"
	fi
	kill -KILL "$CTR_INIT"
	wait_exit "$CTR_PID"
	[ ! -e "$dir/$a" ] || fail "$dir/$a is left after its container ended"
	# XDG_RUNTIME_DIR, when set, holds an unprivileged user's names; root's
	# stay in /run/mini-container/names.
	mkdir -m 700 "$BATS_TEST_TMPDIR/xdg"
	XDG_RUNTIME_DIR=$BATS_TEST_TMPDIR/xdg start_ctr --name "$b" -- sh -c 'echo ready; exec sleep 60'
	if [ "$EUID" -eq 0 ]; then
		[ -S "/run/mini-container/names/$b" ] || fail "no socket /run/mini-container/names/$b"
		[ ! -e "$BATS_TEST_TMPDIR/xdg/mini-container" ]
	else
		[ -S "$BATS_TEST_TMPDIR/xdg/mini-container/names/$b" ] || fail "no socket in \$XDG_RUNTIME_DIR"
		run -0 stat -c '%a' "$BATS_TEST_TMPDIR/xdg/mini-container" "$BATS_TEST_TMPDIR/xdg/mini-container/names"
		assert_output "700
700"
	fi
	XDG_RUNTIME_DIR=$BATS_TEST_TMPDIR/xdg run -0 ctr_exec "$b" -- true
	kill -KILL "$CTR_INIT"
	wait_exit "$CTR_PID"
	# (Root's: the leftover check looks there.)
	[ ! -e "$BATS_TEST_TMPDIR/xdg/mini-container/names/$b" ]
}

@test "join: a names directory others can reach is refused, nothing made in it ($STEP)" {
	local a=${NAME_PREFIX}a xdg=$BATS_TEST_TMPDIR/xdg
	if [ "$EUID" -eq 0 ]; then
		# Another user's /tmp/mini-container-UID, made before them (by
		# root here) and open to all: a runtime of theirs must not use it.
		local uid=$((40000 + RANDOM % 10000)) dir
		dir=$(mktemp -d /tmp/mini-join.XXXXXX)
		on_teardown rm -rf "$dir" "/tmp/mini-container-$uid"
		chmod 755 "$dir"
		cp "$CTR" "$dir/container"
		mkdir -m 777 "/tmp/mini-container-$uid"
		run --separate-stderr -125 timeout -k 5 "$CTR_TIMEOUT" \
			setpriv --reuid="$uid" --regid="$uid" --clear-groups \
			env -u XDG_RUNTIME_DIR "$dir/container" --no-net --name "$a" -- true
		[[ ${stderr_lines[0]} == "container: "*"/tmp/mini-container-$uid"* ]] || fail "stderr: $stderr"
		[ ! -e "/tmp/mini-container-$uid/names" ]
		return 0
	fi
	export XDG_RUNTIME_DIR=$xdg
	mkdir -m 700 "$xdg"
	# Open to the group and others, at either level.
	mkdir -m 755 "$xdg/mini-container"
	run --separate-stderr -125 ctr --name "$a" -- true
	[[ ${stderr_lines[0]} == "container: "*"$xdg/mini-container"* ]] || fail "stderr: $stderr"
	[ ! -e "$xdg/mini-container/names" ]
	chmod 700 "$xdg/mini-container"
	mkdir -m 750 "$xdg/mini-container/names"
	run --separate-stderr -125 ctr --name "$a" -- true
	[[ ${stderr_lines[0]} == "container: "*"$xdg/mini-container/names"* ]] || fail "stderr: $stderr"
	[ ! -e "$xdg/mini-container/names/$a" ]
	# Made as it should be, it works.
	chmod 700 "$xdg/mini-container/names"
	run -0 ctr --name "$a" -- echo ok
	assert_output ok
}

@test "join: a name in use: a second container of that name exits 125 with one line, the first runs on ($STEP)" {
	local a=${NAME_PREFIX}a
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	run --separate-stderr -125 ctr --name "$a" -- echo should-not-run
	assert_output ""
	assert_equal "$stderr" "container: --name '$a': a container of that name is running"
	# Also as a pod member's name.
	run --separate-stderr -125 ctr_pod --pod "$a" --name "$a" -- echo should-not-run
	assert_output ""
	assert_equal "$stderr" "container: --name '$a': a container of that name is running"
	# The refused runs left the first one's name alone.
	[ -S "$(names_dir)/$a" ] || fail "the running container's socket is gone"
	run -0 ctr_exec "$a" -- readlink /proc/self/ns/pid
	assert_output "$(ns_of "$CTR_INIT" pid)"
}

@test "join: a SIGKILLed runtime's name does not block a new container of that name; the next --name run removes its socket ($STEP)" {
	private_names
	local a=${NAME_PREFIX}a b=${NAME_PREFIX}b dir init
	dir=$(names_dir)
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	init=$CTR_INIT
	kill -KILL "$CTR_PID"
	wait_gone "$init"
	[ -S "$dir/$a" ] || fail "no stale socket $dir/$a after SIGKILL (nothing to test)"
	# Stale: nobody answers there.
	run --separate-stderr -125 ctr_exec "$a" -- true
	assert_equal "$stderr" "$(not_running_line --exec "$a")"
	# A new container of that name runs, and is the one --exec finds.
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	run -0 ctr_exec "$a" -- readlink /proc/self/ns/pid
	assert_output "$(ns_of "$CTR_INIT" pid)"
	kill -KILL "$CTR_INIT"
	wait_exit "$CTR_PID"
	assert_equal "$CTR_STATUS" 137
	[ ! -e "$dir/$a" ] || fail "$dir/$a is left after its container ended"
	# A run with another name removes a stale socket too.
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	init=$CTR_INIT
	kill -KILL "$CTR_PID"
	wait_gone "$init"
	[ -S "$dir/$a" ] || fail "no stale socket $dir/$a after SIGKILL (nothing to test)"
	run -0 ctr --name "$b" -- echo ran
	assert_output ran
	[ ! -e "$dir/$a" ] || fail "the stale $dir/$a was not removed by the next --name run"
	[ ! -e "$dir/$b" ] || fail "$dir/$b is left after its container ended"
}

@test "join: names are per user: another user can neither exec into my container nor take its name (root) ($STEP)" {
	requires_root
	local a=${NAME_PREFIX}a dir
	# The runtime where uid 65534 can run it, and a names directory of
	# its own for it (nothing left in /tmp).
	dir=$(mktemp -d /tmp/mini-join.XXXXXX)
	on_teardown rm -rf "$dir"
	chmod 755 "$dir"
	cp "$CTR" "$dir/container"
	mkdir -m 700 "$dir/run"
	chown 65534:65534 "$dir/run"
	as_nobody() {
		timeout -k 5 "$CTR_TIMEOUT" setpriv --reuid=65534 --regid=65534 --clear-groups \
			env XDG_RUNTIME_DIR="$dir/run" "$dir/container" "$@"
	}
	run as_nobody --no-net -- true
	[ "$status" -eq 0 ] || skip "uid 65534 cannot run a container here: $output"
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	run --separate-stderr -125 as_nobody --exec "$a" -- true
	assert_equal "$stderr" "$(not_running_line --exec "$a")"
	run --separate-stderr -125 as_nobody --pod "$a" -- true
	assert_equal "$stderr" "$(not_running_line --pod "$a")"
	# My name does not block theirs: it lives in their own directory.
	run -0 as_nobody --no-net --name "$a" -- echo theirs
	assert_output theirs
	run -0 stat -c '%a %u' "$dir/run/mini-container/names"
	assert_output "700 65534"
	assert_equal "$(ls -A "$dir/run/mini-container/names")" ""
	# And mine is still mine.
	run -0 ctr_exec "$a" -- readlink /proc/self/ns/pid
	assert_output "$(ns_of "$CTR_INIT" pid)"
}

@test "join: a 63-character name is taken, and found by --exec and --pod ($STEP)" {
	local long=$NAME_PREFIX
	while [ "${#long}" -lt 63 ]; do long+=x; done
	start_ctr --name "$long" -- sh -c 'echo ready; exec sleep 60'
	run -0 ctr_exec "$long" -- echo found
	assert_output found
	run -0 ctr_pod --pod "$long" -- echo member
	assert_output member
}

@test "join: bad names are refused for --name, --exec and --pod, one line each, nothing made ($STEP)" {
	local p=$NAME_PREFIX long=$NAME_PREFIX bad opt
	while [ "${#long}" -lt 64 ]; do long+=x; done
	# Each holds the prefix, so that the leftover check would see a socket
	# made for it.
	for bad in "" "-$p" ".$p" "_$p" "$p b" "$p/b" "$p:b" "$long"; do
		run --separate-stderr -125 ctr --name "$bad" -- echo should-not-run
		assert_output ""
		assert_equal "$stderr" "$(bad_name_line --name "$bad")"
		run --separate-stderr -125 ctr_exec "$bad" -- echo should-not-run
		assert_output ""
		assert_equal "$stderr" "$(bad_name_line --exec "$bad")"
		run --separate-stderr -125 ctr_pod --pod "$bad" -- echo should-not-run
		assert_output ""
		assert_equal "$stderr" "$(bad_name_line --pod "$bad")"
	done
}

@test "join: --exec refuses every other option, one line each, and nothing is made ($STEP)" {
	local a=${NAME_PREFIX}a b=${NAME_PREFIX}b opt value long wrong=""
	# A running container: the combination is the only thing wrong.
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	# Every option is tried before the test fails, the wrong ones listed.
	while read -r opt value; do
		long=$(long_form "$opt")
		run --separate-stderr -125 ctr_exec "$a" "$opt" ${value:+"$value"} -- echo should-not-run
		assert_output ""
		assert_equal "${#stderr_lines[@]}" 1
		[[ $stderr == "container: $long cannot be used with --exec"* ]] ||
			wrong+="--exec NAME $opt: $stderr"$'\n'
		# The other way round: the same refusal, one line.
		run --separate-stderr -125 timeout -k 5 "$CTR_TIMEOUT" "${IN_HOST_NS[@]}" \
			"$CTR" "$opt" ${value:+"$value"} --exec "$a" -- echo should-not-run
		assert_output ""
		assert_equal "${#stderr_lines[@]}" 1
		[[ $stderr == "container: $long cannot be used with"* || $stderr == "container: "*"cannot be used with $long"* ]] ||
			wrong+="$opt --exec NAME: $stderr"$'\n'
	done <<EOF
--rootfs $ROOTFS
-r $ROOTFS
--memory 64M
--pids 20
--cpus 0.5
--ip 10.99.0.42/24
--no-net
--hostname box
-n box
--monotonic 100
--boottime 100
--uid-map 0:$(id -u):1
--gid-map 0:$(id -g):1
--init
--name $b
--pod $a
EOF
	[ -z "$wrong" ] || fail "not refused naming the option (its long form):
$wrong"
	[ ! -e "$(names_dir)/$b" ]
	# The container was left alone.
	[ "$(awk '/^State:/ {print $2}' "/proc/$CTR_INIT/status")" = S ]
}

# --- --pod ----------------------------------------------------------------

@test "join: from the host, a pod member shares user, net, IPC and UTS with the first container, not PID, mnt, cgroup or time ($STEP)" {
	local a=${NAME_PREFIX}a a_init a_pid ns
	start_ctr --name "$a" -n podhost -- sh -c 'echo ready; exec sleep 60'
	a_init=$CTR_INIT a_pid=$CTR_PID
	local limits=()
	[ "$EUID" -ne 0 ] || limits=(--pids 20)
	start_pod --pod "$a" "${limits[@]}" -- sh -c 'echo $$; hostname; echo ready; exec sleep 60'
	for ns in user net ipc uts; do
		assert_equal "$(ns_of "$CTR_INIT" "$ns")" "$(ns_of "$a_init" "$ns")"
	done
	for ns in pid mnt cgroup time; do
		assert_not_equal "$(ns_of "$CTR_INIT" "$ns")" "$(ns_of "$a_init" "$ns")"
		assert_not_equal "$(ns_of "$CTR_INIT" "$ns")" "$(ns_of $$ "$ns")"
	done
	# Inside: PID 1 of its own, the pod's hostname.
	run -0 cat "$CTR_OUT"
	assert_output "1
podhost
ready"
	[ "$EUID" -eq 0 ] || return 0
	# As root: a cgroup and limit of its own, and no veth of its own: the
	# test's host namespace has one, the first container's.
	local dir
	dir=$(ctr_cgroup pids)
	[[ $dir == */mini-container/ctr-$CTR_PID-* ]] || fail "pod member's cgroup: $dir"
	assert_equal "$(cat "$dir/pids.max")" 20
	grep -q "/mini-container/ctr-$a_pid-" "/proc/$a_init/cgroup"
	run -0 ip -n "$HOST_NS" -o link show type veth
	assert_equal "${#lines[@]}" 1
}

@test "join: a pod member has a root, /tmp and PID 1 of its own ($STEP)" {
	local a=${NAME_PREFIX}a
	start_ctr --name "$a" -- sh -c 'echo first >/tmp/mark; echo ready; exec sleep 60'
	run -0 ctr_pod --pod "$a" -- sh -c 'echo $$; ls /tmp; ps -o pid,comm'
	assert_line --index 0 1
	refute_line mark
	refute_line --regexp '^ *[0-9]+ sleep$'
}

@test "join: a server on 127.0.0.1 in the first container is reached from a pod member, not from another container ($STEP)" {
	local a=${NAME_PREFIX}a
	start_ctr --name "$a" -- sh -c 'echo ready; exec nc -l -p 8080 -e cat'
	local server=$CTR_PID
	# A container of its own has a loopback of its own: nobody there.
	run ctr -- sh -c 'echo hello | nc 127.0.0.1 8080'
	assert_failure
	assert_output --partial "Connection refused"
	# A pod member is on the first container's loopback. ("ready" is
	# printed before nc listens: try again until it does.)
	run -0 ctr_pod --pod "$a" -- sh -c 'until echo hello-pod | nc 127.0.0.1 8080; do sleep 0.1; done 2>/dev/null'
	assert_output hello-pod
	wait_exit "$server"
	assert_equal "$CTR_STATUS" 0
}

@test "join: a System V queue made in the first container is seen by a pod member ($STEP)" {
	local a=${NAME_PREFIX}a id
	start_ctr --name "$a" -- sh -c 'probe msgget; echo ready; exec sleep 60'
	id=$(head -n 1 "$CTR_OUT")
	[[ $id =~ ^[0-9]+$ ]] || fail "probe msgget: $id"
	run -0 ctr_pod --pod "$a" -- cat /proc/sysvipc/msg
	assert_equal "${#lines[@]}" 2
	assert_equal "$(awk 'NR == 2 { print $2 }' <<<"$output")" "$id"
	# A container of its own does not see it.
	run -0 ctr -- cat /proc/sysvipc/msg
	assert_equal "${#lines[@]}" 1
}

@test "join: --pod and --name: a pod member has a name of its own, and a pod of it is the same pod ($STEP)" {
	local a=${NAME_PREFIX}a b=${NAME_PREFIX}b a_init ns
	start_ctr --name "$a" -n podhost -- sh -c 'echo ready; exec sleep 60'
	a_init=$CTR_INIT
	start_pod --pod "$a" --name "$b" -- sh -c 'echo ready; exec sleep 60'
	[ -S "$(names_dir)/$b" ] || fail "no socket for the pod member's name"
	# --exec NAME finds the member, not the first container.
	run -0 ctr_exec "$b" -- sh -c 'hostname; readlink /proc/self/ns/pid'
	assert_line --index 0 podhost
	assert_line --index 1 "$(ns_of "$CTR_INIT" pid)"
	# A member of the member's pod is in the first container's namespaces.
	start_pod --pod "$b" -- sh -c 'echo ready; exec sleep 60'
	for ns in user net ipc uts; do
		assert_equal "$(ns_of "$CTR_INIT" "$ns")" "$(ns_of "$a_init" "$ns")"
	done
}

@test "join: a pod member lives on when the first container ends, and nothing is left after it ($STEP)" {
	local a=${NAME_PREFIX}a a_pid a_init
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	a_pid=$CTR_PID a_init=$CTR_INIT
	start_pod --pod "$a" -- sh -c 'echo ready; while :; do sleep 0.1; done'
	kill -KILL "$a_init"
	wait_exit "$a_pid"
	assert_equal "$CTR_STATUS" 137
	sleep 0.3
	# Alive: sleeping, or running its loop just then (not a zombie, not gone).
	[[ $(awk '/^State:/ {print $2}' "/proc/$CTR_INIT/status" 2>/dev/null) == [SRD] ]] ||
		fail "the pod member ended with the first container"
	# The pod's name went with the first container.
	run --separate-stderr -125 ctr_pod --pod "$a" -- true
	assert_equal "$stderr" "$(not_running_line --pod "$a")"
	# Teardown ends the member, and finds nothing left.
}

@test "join: --pod to an unknown name exits 125 with one line ($STEP)" {
	local none=${NAME_PREFIX}none
	run --separate-stderr -125 ctr_pod --pod "$none" -- echo should-not-run
	assert_output ""
	assert_equal "$stderr" "$(not_running_line --pod "$none")"
}

@test "join: --pod refuses --ip, --no-net, --hostname, -n, --uid-map and --gid-map, one line each ($STEP)" {
	local a=${NAME_PREFIX}a opt value long wrong=""
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	# Every option is tried before the test fails, the wrong ones listed.
	while read -r opt value; do
		long=$(long_form "$opt")
		run --separate-stderr -125 ctr_pod --pod "$a" "$opt" ${value:+"$value"} -- echo should-not-run
		assert_output ""
		assert_equal "${#stderr_lines[@]}" 1
		[[ $stderr == "container: $long cannot be used with --pod"* ]] ||
			wrong+="--pod NAME $opt: $stderr"$'\n'
		run --separate-stderr -125 ctr_pod "$opt" ${value:+"$value"} --pod "$a" -- echo should-not-run
		assert_output ""
		assert_equal "${#stderr_lines[@]}" 1
		[[ $stderr == "container: $long cannot be used with --pod"* ]] ||
			wrong+="$opt --pod NAME: $stderr"$'\n'
	done <<EOF
--ip 10.99.0.42/24
--no-net
--hostname box
-n box
--uid-map 0:$(id -u):1
--gid-map 0:$(id -g):1
EOF
	[ -z "$wrong" ] || fail "not refused naming the option (its long form):
$wrong"
}

# Between its clone and COMMAND's execve(2), the exec child is a process of
# the host's root, in the container's user namespace: there root of the
# container has CAP_SYS_PTRACE, and the kernel lets it attach to whatever
# is dumpable (ptrace(2), "Ptrace access mode checking"). runc was open to
# this (CVE-2016-9962); the runtime turns dumpable off before it joins.
# strace holds the exec runtime at its first write(2) for 3 s: every
# write comes after the clone and before the sync release (cgroup.procs,
# then the release), so the child waits meanwhile; strace traces the
# runtime alone (no -f), so that child is nobody's tracee. Unprivileged with the default one-ID map,
# root inside is the caller itself: no boundary to cross, so root only.
@test "join: the container's root cannot ptrace(2) an --exec child before its exec ($STEP)" {
	requires_root
	requires_command strace
	local a=${NAME_PREFIX}a tracer runtime child="" inner i
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	# (LeakSanitizer, in a SAN=1 build, cannot work under strace.)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		"${IN_HOST_NS[@]}" strace -qq -o /dev/null -e trace=write \
		-e inject=write:delay_enter=3000000:when=1 "$CTR" --exec "$a" -- true &
	tracer=$!
	BG_RUNTIMES+=("$tracer")
	for ((i = 0; i < 100; i++)); do
		runtime=$(child_of "$tracer")
		[ -z "$runtime" ] || child=$(child_of "$runtime")
		[ -z "$child" ] || break
		sleep 0.02
	done
	[ -n "$child" ] || fail "the exec runtime started no child"
	# Its PID as the container numbers it, the last of NSpid.
	inner=$(awk '/^NSpid:/ { print $NF }' "/proc/$child/status")
	run --separate-stderr ctr_exec "$a" -- probe ptrace "$inner"
	assert_failure 1
	assert_equal "$stderr" "probe: ptrace(PTRACE_SEIZE): Operation not permitted"
	wait_ctr "$tracer"
	assert_equal "$CTR_STATUS" 0
}

# Then the exec child changes its uid (become_root), and a change of uid
# resets "dumpable" to fs.suid_dumpable (proc(5), prctl(2)): on a machine
# where that is 1, the child would be open to the same ptrace(2), now
# holding the host's descriptors. So it turns dumpable off once more,
# after its setresuid(2) and before COMMAND's execve(2). Checked in its
# calls, which hold on every machine, whatever fs.suid_dumpable says.
@test "join: an --exec child turns dumpable off again after its setresuid(2) ($STEP)" {
	requires_command strace
	local a=${NAME_PREFIX}a log=$BATS_TEST_TMPDIR/strace child
	start_ctr --name "$a" -- sh -c 'echo ready; exec sleep 60'
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		run -0 timeout -k 5 "$CTR_TIMEOUT" "${IN_HOST_NS[@]}" strace -f -qq -o "$log" \
		-e trace=setresuid,prctl,execve "$CTR" --exec "$a" -- true
	child=$(awk '/ setresuid\(/ { print $1; exit }' "$log")
	[ -n "$child" ] || fail "the exec child made no setresuid(2): $(cat "$log")"
	# Its calls from its setresuid(2) to its first execve(2).
	run -0 awk -v p="$child" '$1 != p { next }
		/ setresuid\(/ { on = 1; next }
		on && / execve\(/ { exit }
		on && /prctl\(PR_SET_DUMPABLE, SUID_DUMP_DISABLE\) = 0/ { print "off" }' "$log"
	assert_output off
}
