#!/usr/bin/env bats
# rootfs: scripts/mkrootfs (make rootfs) builds the rootfs anew and never
# writes into the old one, which a container may have changed: root in a
# container can make rootfs/etc/passwd a symlink to the host's /etc/shadow,
# and a root `make rootfs` that wrote through it would change the host.
# Run once (not per step) by tests/run-bats, with STEP set to the last step;
# each test works on rootfs trees of its own, never on ./rootfs.

load helpers

PROBE=$REPO/tests/probe/probe

# Every entry below DIR: path, type, mode and symlink target, sorted.
tree_of() {
	(cd "$1" && find . -printf '%p %y %m %l\n' | sort)
}

@test "rootfs: mkrootfs writes nothing through symlinks planted in an old rootfs" {
	[ -x "$PROBE" ] || fail "$PROBE is not built (make rootfs builds it)"
	local dir=$BATS_TEST_TMPDIR/t
	mkdir -p "$dir/outside/dir" "$BATS_TEST_TMPDIR/fresh"
	run -0 "$REPO/scripts/mkrootfs" "$dir/rootfs" "$PROBE"
	run -0 "$REPO/scripts/mkrootfs" "$BATS_TEST_TMPDIR/fresh/rootfs" "$PROBE"

	# What root in a container could leave: etc/passwd a symlink to a
	# file outside (the host's /etc/shadow, say), tmp to a directory
	# outside, and a symlink where a temporary file would be written.
	echo 'root:not-a-real-hash:19000:0:99999:7:::' >"$dir/outside/shadow"
	chmod 0600 "$dir/outside/shadow"
	chmod 0700 "$dir/outside/dir"
	ln -sfn "$dir/outside/shadow" "$dir/rootfs/etc/passwd"
	rm -r "$dir/rootfs/tmp"
	ln -s "$dir/outside/dir" "$dir/rootfs/tmp"
	ln -s "$dir/outside/shadow" "$dir/rootfs/bin/busybox.new"
	local before
	before=$(tree_of "$dir/outside")

	run -0 "$REPO/scripts/mkrootfs" "$dir/rootfs" "$PROBE"
	assert_output --regexp "^rootfs: $dir/rootfs ready "

	# Outside, nothing changed: content, modes, no file added.
	run -0 cat "$dir/outside/shadow"
	assert_output 'root:not-a-real-hash:19000:0:99999:7:::'
	run -0 tree_of "$dir/outside"
	assert_output "$before"
	# The rootfs is whole again: the same tree as a fresh one, modes
	# included, and nothing is left beside it.
	run -0 tree_of "$dir/rootfs"
	assert_output "$(tree_of "$BATS_TEST_TMPDIR/fresh/rootfs")"
	run -0 diff -r --no-dereference "$BATS_TEST_TMPDIR/fresh/rootfs" "$dir/rootfs"
	run -0 stat -c '%n %F %a' "$dir/rootfs/etc/passwd" "$dir/rootfs/tmp"
	assert_output "$dir/rootfs/etc/passwd regular file 644
$dir/rootfs/tmp directory 1777"
	run -0 ls -A "$dir"
	assert_output "outside
rootfs"
}

@test "rootfs: mkrootfs that fails half-way leaves the old rootfs as it was, and no temporary directory" {
	[ -x "$PROBE" ] || fail "$PROBE is not built (make rootfs builds it)"
	local dir=$BATS_TEST_TMPDIR/t
	mkdir -p "$dir/fakebin"
	run -0 "$REPO/scripts/mkrootfs" "$dir/rootfs" "$PROBE"
	local before
	before=$(tree_of "$dir/rootfs")

	# A busybox that passes the checks, is copied in, and then fails
	# when asked for its list of commands.
	printf '#!/bin/sh\nexit 1\n' >"$dir/fakebin/busybox"
	chmod 0755 "$dir/fakebin/busybox"
	# From the rootfs's directory, as make runs it.
	cd "$dir"
	run -1 env PATH="$dir/fakebin:$PATH" "$REPO/scripts/mkrootfs" rootfs "$PROBE"
	assert_output --partial "mkrootfs: $dir/fakebin/busybox --list failed"

	run -0 tree_of "$dir/rootfs"
	assert_output "$before"
	cmp "$(command -v busybox)" "$dir/rootfs/bin/busybox"
	run -0 ls -A "$dir"
	assert_output "fakebin
rootfs"
}

# make demo and make bench run while other test jobs run containers in
# ./rootfs: rebuilding it there (a swap of directories) made one of those
# fail with "mount(./rootfs, MS_BIND): No such file or directory".
@test "rootfs: make demo, bench, soak and test leave an up-to-date ./rootfs alone" {
	run -0 make -C "$REPO" -n demo bench soak
	refute_output --partial mkrootfs
}
