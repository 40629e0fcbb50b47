#!/usr/bin/env bats
# mnt: the container has its own mount table and root filesystem (step 3 on).

load helpers

@test "mnt: / is the rootfs, and the host's files are out of reach ($STEP)" {
	run -0 ctr -- ls /
	assert_output "$(ls "$ROOTFS")"
	# probe exists only in the rootfs; bats only on the host. (Not a path
	# below /tmp: the container covers /tmp with a tmpfs of its own, so
	# such a path is out of its sight even when the host's files are not.)
	local host_only
	host_only=$(command -v bats)
	[ ! -e "$ROOTFS$host_only" ] || fail "$host_only is in the rootfs too"
	run -0 ctr -- sh -c "test -x /bin/probe && ! test -e '$host_only'"
}

@test "mnt: /proc is fresh: it lists only the container's processes ($STEP)" {
	run -0 ctr -- sh -c 'ls /proc | grep -E "^[0-9]+$" | sort -n | head -n 1; readlink /proc/self'
	assert_line --index 0 1
	# /proc/self is the reader's own PID in our namespace: a small number.
	[ "${lines[1]}" -lt 10 ]
	run -0 ctr -- ps -o pid,comm
	assert_line --index 1 --regexp '^ +1 ps$'
}

@test "mnt: a mount made inside never appears on the host ($STEP)" {
	start_ctr "${ROOT_ARGS[@]}" -- sh -c 'mkdir /tmp/inside && mount -t tmpfs made-inside /tmp/inside && echo ready; exec sleep 60'
	# The container's mount table, read from the host, has it...
	run -0 grep -c ' /tmp/inside ' "/proc/$CTR_INIT/mountinfo"
	assert_output 1
	# ...and the host's own does not.
	run grep -c made-inside /proc/self/mountinfo
	assert_output 0
}

@test "mnt: no shared mounts inside, even when the host's / is shared ($STEP)" {
	requires_root
	requires_command unshare
	# systemd makes / shared; recreate that here. Without MS_PRIVATE,
	# pivot_root would fail with EINVAL and mounts would propagate.
	run -0 in_host_ns unshare -m --propagation shared "$CTR" -- cat /proc/self/mountinfo
	refute_output --partial "shared:"
	start_ctr -- sh -c 'echo ready; exec sleep 60'
	run -0 cat "/proc/$CTR_INIT/mountinfo"
	refute_output --partial "shared:"
}

@test "mnt: the old root is gone: only the container's mounts remain ($STEP)" {
	run -0 ctr -- sh -c 'cut -d" " -f5 /proc/self/mountinfo'
	local m
	for m in "${lines[@]}"; do
		[[ $m =~ ^/(proc|dev|sys|tmp)?(/|$) ]] || fail "unexpected mount point inside: $m"
	done
	# Exactly one root, and it is the rootfs.
	assert_equal "$(printf '%s\n' "${lines[@]}" | grep -cx /)" 1
}

@test "mnt: chroot alone is escapable; pivot_root with the old root detached is not ($STEP)" {
	requires_root
	requires_command chroot
	# The escape makes tmp/.escape in the rootfs: in a copy of its own.
	private_rootfs
	# The classic escape (probe escape) run under plain chroot reaches the host's /...
	run -0 chroot "$ROOTFS" /bin/probe escape
	rmdir "$ROOTFS/tmp/.escape"
	assert_equal "$(printf '%s\n' "${lines[@]}" | sort)" "$(ls -A / | grep -v '^\.' | sort)"
	# ...inside the container, the same climb ends at the rootfs.
	run -0 ctr -- probe escape
	assert_equal "$(printf '%s\n' "${lines[@]}" | sort)" "$(ls "$ROOTFS" | sort)"
}

@test "mnt: /proc/sys and /proc/sysrq-trigger are read-only; kcore and keys are masked ($STEP)" {
	run ctr -- sh -c 'echo x > /proc/sys/kernel/hostname'
	assert_failure
	assert_output --partial "Read-only file system"
	run -0 ctr -- sh -c 'cat /proc/self/mountinfo'
	assert_line --partial " /proc/sys ro,"
	assert_line --partial " /proc/keys "
	[ ! -e /proc/kcore ] || assert_line --partial " /proc/kcore "
	[ ! -e /proc/sysrq-trigger ] || assert_line --partial " /proc/sysrq-trigger ro,"
	run -0 ctr -- sh -c 'wc -c < /proc/keys'
	assert_output 0
}

@test "mnt: /dev holds working null, zero, full, random, urandom, tty, pts and shm ($STEP)" {
	# Step 8 adds /dev/mqueue, the IPC namespace's lesson: the ipc tests
	# check it (and a workshop skeleton of step 8 has a hole there).
	run -0 ctr -- sh -c 'ls /dev | grep -vx mqueue | tr "\n" " "'
	assert_output "fd full null ptmx pts random shm stderr stdin stdout tty urandom zero "
	run -0 ctr -- sh -c 'echo gone > /dev/null && head -c 16 /dev/urandom | wc -c && head -c 4 /dev/zero | od -An -tx1'
	assert_line --index 0 16
	assert_line --index 1 " 00 00 00 00"
	run ctr -- sh -c 'echo x > /dev/full'
	assert_output --partial "No space left on device"
	run -0 ctr -- sh -c 'echo shared > /dev/shm/x && cat /dev/shm/x'
	assert_output shared
}

@test "mnt: /sys is read-only, /tmp a writable tmpfs of the container's own ($STEP)" {
	# The mount is read-only, as the container's mount table says and as
	# the host reads it...
	run -0 ctr -- awk '$5 == "/sys" { print $6 }' /proc/self/mountinfo
	assert_output --regexp '^ro(,|$)'
	start_ctr -- sh -c 'echo ready; exec sleep 60'
	run -0 awk '$5 == "/sys" { print $6 }' "/proc/$CTR_INIT/mountinfo"
	assert_output --regexp '^ro(,|$)'
	# ...and a write fails for that reason: EROFS. (Creating a file in a
	# writable sysfs fails too, but with EACCES.)
	run ctr -- touch /sys/x
	assert_failure
	assert_output "touch: /sys/x: Read-only file system"
	# Without a tmpfs on /tmp, /tmp/file would land in the rootfs: a copy.
	private_rootfs
	run -0 ctr -- sh -c 'echo data > /tmp/file && cat /tmp/file && stat -f -c %T /tmp'
	assert_line --index 0 data
	assert_line --index 1 tmpfs
	[ ! -e "$ROOTFS/tmp/file" ]
}

@test "mnt: the rootfs is mounted nosuid,nodev: a device node in it does not open ($STEP)" {
	# The root mount's options, from inside and from the host.
	run -0 ctr -- awk '$5 == "/" { print $6 }' /proc/self/mountinfo
	assert_output --regexp '(^|,)nosuid(,|$)'
	assert_output --regexp '(^|,)nodev(,|$)'
	start_ctr -- sh -c 'echo ready; exec sleep 60'
	run -0 awk '$5 == "/" { print $6 }' "/proc/$CTR_INIT/mountinfo"
	assert_output --regexp '(^|,)nosuid(,|$)'
	assert_output --regexp '(^|,)nodev(,|$)'
	# What nodev is for: a rootfs someone else made may hold device nodes
	# (here /dev/null's, 1:3, mode 666). Only root on the host can make
	# one in the test's copy.
	[ "$EUID" -eq 0 ] || return 0
	private_rootfs
	mknod -m 666 "$ROOTFS/null-node" c 1 3
	run ctr -- sh -c 'echo x >/null-node'
	assert_failure
	assert_output --partial "Permission denied"
}

@test "mnt: after exit no mount refers to the rootfs ($STEP)" {
	run -0 ctr -- true
	run grep -cF "$(realpath "$ROOTFS")" /proc/self/mountinfo
	assert_output 0
}

@test "mnt: COMMAND is looked up inside the rootfs, not on the host ($STEP)" {
	run -0 ctr -- probe clocks
	assert_line --index 0 --partial monotonic
	# bats is on the host, not in the rootfs.
	run --separate-stderr -127 ctr -- bats --version
	assert_equal "$stderr" "container: bats (in ./rootfs): No such file or directory
hint: COMMAND is looked up inside the rootfs, not on the host"
}

# A broken rootfs must be refused with exit 125, one error line and one
# hint, before anything is created.
assert_bad_rootfs() {
	run --separate-stderr ctr --rootfs "$@"
	assert_equal "$status" 125
	assert_equal "$(printf '%s\n' "$stderr" | grep -c '^container: ')" 1
	assert_equal "$(printf '%s\n' "$stderr" | grep -c '^hint: ')" 1
	assert_equal "$(printf '%s\n' "$stderr" | wc -l)" 2
}

@test "mnt: a bad --rootfs is refused with exit 125 and a hint ($STEP)" {
	local d=$BATS_TEST_TMPDIR
	assert_bad_rootfs "$d/missing" -- true
	assert_output ""
	[[ $stderr == *"No such file or directory"*"make rootfs"* ]]
	touch "$d/file"
	assert_bad_rootfs "$d/file" -- true
	[[ $stderr == *"Not a directory"* ]]
	assert_bad_rootfs / -- true
	[[ $stderr == *"the host's own root cannot be the container's"* ]]
	mkdir "$d/empty"
	assert_bad_rootfs "$d/empty" -- true
	[[ $stderr == *"proc: No such file or directory"* ]]
}

@test "mnt: a rootfs whose proc or dev is a symbolic link is refused ($STEP)" {
	local d=$BATS_TEST_TMPDIR/sym m
	for m in proc dev; do
		rm -rf "$d" && mkdir -p "$d"/{proc,dev,sys,tmp,bin}
		rmdir "$d/$m" && ln -s /etc "$d/$m"
		assert_bad_rootfs "$d" -- true
		[[ $stderr == *"$m is a symbolic link"* ]]
	done
}

@test "mnt: a rootfs without the default /bin/sh is refused ($STEP)" {
	local d=$BATS_TEST_TMPDIR/nosh
	mkdir -p "$d"/{proc,dev,sys,tmp}
	assert_bad_rootfs "$d"
	[[ $stderr == *"no /bin/sh in it"*"make rootfs"* ]]
}

@test "mnt: /dev/shm is a 64 MiB tmpfs (Docker's default): not half the host's memory ($STEP)" {
	run -0 ctr -- df -k /dev/shm
	assert_line --regexp '^shm +65536 .* /dev/shm$'
}
