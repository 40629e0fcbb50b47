#!/usr/bin/env bats
# solutions: each patch in solutions/ (the solution of an exercise in
# TUTORIAL.md) still applies to its step, builds (make solutions), and does
# what the exercise asks, checked the way the exercise says. Run once, as
# root, by tests/run-bats.

load helpers

# Run the solution binary of STEP/EXERCISE like ctr runs a step.
#   sol step03-mnt read-only -- touch /x
sol() {
	local bin=$REPO/solutions/$1/$2/container
	shift 2
	[ -x "$bin" ] || fail "$bin is not built (make solutions)"
	timeout -k 5 "$CTR_TIMEOUT" "${IN_HOST_NS[@]}" "$bin" "$@"
}

@test "solutions: every patch applies to its step exactly, as TUTORIAL.md has the reader apply it" {
	# With an offset or fuzz, patch -p0 leaves a container.c.orig behind
	# (patch --backup-if-mismatch): `make refresh-solutions` when a step moves.
	local patch
	for patch in "$REPO"/solutions/*/*.patch; do
		run -0 patch --dry-run -p0 -d "$REPO" -i "$patch"
		refute_output --partial "offset"
		refute_output --partial "fuzz"
	done
}

@test "solutions: step 1, --domainname sets the NIS domain name inside only" {
	requires_root
	local before
	before=$(cat /proc/sys/kernel/domainname)
	run -0 sol step01-uts domainname --domainname lab.example -- cat /proc/sys/kernel/domainname
	assert_output lab.example
	assert_equal "$(cat /proc/sys/kernel/domainname)" "$before"
	run -125 sol step01-uts domainname --domainname "" -- true
}

@test "solutions: step 2, SIGWINCH to the runtime reaches COMMAND's trap" {
	requires_root
	local out=$BATS_TEST_TMPDIR/out runtime
	# Not through sol: $! must be the runtime (nsenter execs it).
	"${IN_HOST_NS[@]}" "$REPO/solutions/step02-pid/sigwinch/container" --init -- \
		sh -c 'trap "echo resized" WINCH; echo ready; while :; do sleep 0.1; done' >"$out" &
	runtime=$!
	BG_RUNTIMES+=("$runtime")
	wait_for_file_line "$out" ready
	kill -WINCH "$runtime"
	wait_for_file_line "$out" resized
	kill -TERM "$runtime"
}

@test "solutions: step 3, --read-only makes / read-only while /tmp stays writable" {
	requires_root
	# A / that stays writable would get /x: in a copy of the rootfs.
	private_rootfs
	run sol step03-mnt read-only --read-only -- touch /x
	assert_failure
	assert_output --partial "Read-only file system"
	run -0 sol step03-mnt read-only --read-only -- sh -c 'echo ok > /tmp/x && cat /tmp/x'
	assert_output ok
	[ ! -e "$ROOTFS/x" ]
	# The remount keeps the flags "/" had: still nosuid and nodev.
	run -0 sol step03-mnt read-only --read-only -- awk '$5 == "/" { print $6 }' /proc/self/mountinfo
	assert_output --regexp '^ro,.*nosuid'
	assert_output --partial nodev
}

@test "solutions: step 3, without MS_PRIVATE pivot_root fails under a shared /" {
	requires_root
	local bin=$REPO/solutions/step03-mnt/no-private/container
	[ -x "$bin" ] || fail "$bin is not built (make solutions)"
	# A mount namespace of our own whose / is shared, as on systemd.
	run unshare -m --propagation private sh -c 'mount --make-rshared / && exec "$@"' - \
		"$bin" -- true
	assert_equal "$status" 125
	assert_line --index 0 "container: pivot_root(./rootfs): Invalid argument"
	assert_line --index 1 --partial "hint: is / a shared mount?"
}

@test "solutions: step 3, --volume HOST:DIR shows a host directory inside" {
	requires_root
	# The mount point is made in the rootfs: in a copy of its own.
	private_rootfs
	local host=$BATS_TEST_TMPDIR/vol
	mkdir -p "$host"
	echo "from the host" >"$host/file"
	run -0 sol step03-mnt volume --volume "$host:/data" -- sh -c 'cat /data/file; echo back > /data/reply'
	assert_output "from the host"
	assert_equal "$(cat "$host/reply")" back
	# The mount point was made in the rootfs; the mount itself stayed inside.
	rmdir "$ROOTFS/data"
	run -125 sol step03-mnt volume --volume "$host:data" -- true
	run -125 sol step03-mnt volume --volume "/nonexistent:/data" -- true
}

@test "solutions: step 5, both veth ends have an MTU of 1400" {
	requires_root
	CTR=$REPO/solutions/step05-net/mtu/container
	start_ctr -- sh -c 'ip -o link show eth0; echo ready; exec sleep 60'
	run -0 head -n 1 "$CTR_OUT"
	assert_output --partial " mtu 1400 "
	run -0 ip -n "$HOST_NS" -o link show "$(host_end)"
	assert_output --partial " mtu 1400 "
}

@test "solutions: step 7, --fresh-boot starts both clocks near 0" {
	requires_root
	run -0 sol step07-time fresh-boot --fresh-boot -- sh -c 'cut -d" " -f1 /proc/uptime; probe clocks'
	# Only whole seconds are offset: the fraction of "now", plus the
	# start-up time, remain (the host's clocks here read hours at least).
	awk 'NR == 1 && $1 >= 2 { exit 1 }' <<<"$output" || fail "uptime: ${lines[0]}"
	awk '$1 == "monotonic" && $2 >= 2 { exit 1 }' <<<"$output" || fail "$output"
}

@test "solutions: step 7, a realtime offset is refused by the kernel" {
	requires_root
	run --separate-stderr sol step07-time realtime --no-net -- true
	assert_equal "$status" 125
	assert_equal "$stderr" "container: write /proc/self/timens_offsets: Invalid argument"
}

@test "solutions: step 6, --cpu-weight writes cpu.weight (v2) or cpu.shares (v1)" {
	requires_root
	CTR=$REPO/solutions/step06-cgroup/cpu-weight/container
	start_ctr --cpu-weight 500 -- sh -c 'echo ready; exec sleep 60'
	if is_v2; then
		assert_equal "$(cat "$(ctr_cgroup cpu)/cpu.weight")" 500
	else
		assert_equal "$(cat "$(ctr_cgroup cpu)/cpu.shares")" 5120
	fi
	run -125 "$CTR" --cpu-weight 0 -- true
	run -125 "$CTR" --cpu-weight 10001 -- true
}

@test "solutions: step 9, --workdir DIR starts an exec'd COMMAND in the container's DIR" {
	requires_root
	CTR=$REPO/solutions/step09-join/workdir/container
	local name=${NAME_PREFIX}w
	start_ctr --name "$name" -- sh -c 'echo ready; exec sleep 60'
	# DIR is the container's: its /proc/1 is the container's PID 1.
	run -0 ctr --exec "$name" --workdir /proc/1 -- sh -c 'pwd; cat comm'
	assert_output "$(printf '/proc/1\nsleep')"
	# Without it, "/" as before.
	run -0 ctr --exec "$name" -- pwd
	assert_output /
	run -125 ctr --exec "$name" --workdir /nowhere -- pwd
	assert_output "container: chdir(/nowhere): No such file or directory"
	run -125 ctr --workdir /tmp -- pwd
}

@test "solutions: step 9, --net-from NAME joins only NAME's network namespace" {
	requires_root
	CTR=$REPO/solutions/step09-join/net-from/container
	local name=${NAME_PREFIX}n
	start_ctr --name "$name" -- sh -c 'echo ready; exec sleep 60'
	local first=$CTR_INIT
	# The first one's network namespace, and its eth0; a user namespace
	# of its own.
	run -0 ctr --net-from "$name" -- sh -c 'readlink /proc/self/ns/net; readlink /proc/self/ns/user; ip -o -4 addr show eth0'
	assert_line --index 0 "$(ns_of "$first" net)"
	[ "${lines[1]}" != "$(ns_of "$first" user)" ] || fail "the user namespace is the first one's"
	assert_line --index 2 --partial "inet $(nsenter -t "$first" -n ip -o -4 addr show eth0 | awk '{ print $4 }')"
	# Its /sys stays empty: that sysfs is not its user namespace's to mount.
	run -0 ctr --net-from "$name" -- sh -c 'ls -A /sys | wc -l'
	assert_output 0
	run -125 ctr --net-from "${NAME_PREFIX}none" -- true
	assert_output "container: --net-from '${NAME_PREFIX}none': no container of that name is running"
	run -125 ctr --net-from "$name" --ip 10.99.0.99/24 -- true
}

@test "solutions: step 10, Docker's order: no no_new_privs, the filter before the capabilities; a set-user-ID binary then gains root" {
	requires_root # uid 1000 inside needs the root map (100000:65536)
	local bounding
	bounding=$(ctr -- grep '^CapBnd:' /proc/self/status) # the reference's
	CTR=$REPO/solutions/step10-secure/docker-order/container
	run -0 ctr -- grep -E '^(CapBnd|NoNewPrivs|Seccomp):' /proc/self/status
	assert_output "$(printf '%s\nNoNewPrivs:\t0\nSeccomp:\t2' "$bounding")"
	# The filter is in, loaded while CAP_SYS_ADMIN was still there.
	run -1 ctr -- probe keyctl
	assert_output EPERM
	# On a tmpfs without nosuid, as secure.bats mounts it: the
	# set-user-ID bit now works, as in a Docker container.
	run -0 ctr --cap-add SYS_ADMIN -- sh -c \
		'mount -t tmpfs t /tmp && cp /bin/probe /tmp/p && chmod 4755 /tmp/p &&
		 probe as 1000 /tmp/p ids'
	assert_output "uid 1000 euid 0"
}

@test "solutions: step 10, the filter refuses personality(ADDR_NO_RANDOMIZE), and nothing else of personality" {
	requires_root
	CTR=$REPO/solutions/step10-secure/personality/container
	run -1 ctr -- linux64 -R true
	assert_output "linux64: personality(0x40000): Operation not permitted"
	# personality(2) without ADDR_NO_RANDOMIZE passes.
	run -0 ctr -- linux64 cat /proc/self/personality
	assert_output 00000000
	run -0 ctr --seccomp=unconfined -- linux64 -R cat /proc/self/personality
	assert_output 00040000
}
