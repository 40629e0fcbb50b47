#!/usr/bin/env bats
# preflight: make preflight (scripts/preflight) reads this machine right,
# and for each requirement made to fail, shows ✗ with its fix and exits as
# it should: 1 for a row a root run needs, 0 for a row only an ordinary
# user needs. Run once (not per step) by tests/run-bats, with STEP set to
# the last step. The failures are faked, never made: preflight reads a
# copy of /proc or /etc (PREFLIGHT_PROC, PREFLIGHT_ETC), a kernel release
# (PREFLIGHT_UNAME_R), a rootfs (PREFLIGHT_ROOTFS), and the commands of a
# PATH of the test's own.

load helpers

PREFLIGHT=$REPO/scripts/preflight

# Preflight, as root alone: sudo's variables (CI runs the tests under
# sudo) would name a user to check. Use with run; VAR=VALUE first.
preflight() {
	env -u SUDO_USER -u SUDO_UID -u SUDO_GID "$@" "$PREFLIGHT"
}

# As if run with sudo by alice, uid 1000 (no such user need exist).
as_alice=(SUDO_USER=alice SUDO_UID=1000 SUDO_GID=1000)

# A directory for the fakes that any uid may read: the user namespace
# probe runs as another uid, and so do the tests as an ordinary user.
scratch() {
	if [ -z "${SCRATCH:-}" ]; then
		SCRATCH=$(mktemp -d /tmp/mini-preflight-test.XXXXXX)
		chmod 755 "$SCRATCH"
		on_teardown rm -rf "$SCRATCH"
	fi
}

# A copy of what preflight reads in /proc, in $SCRATCH/proc, to change.
fake_proc() {
	local p f
	scratch
	p=$SCRATCH/proc
	mkdir -p "$p/sys/kernel" "$p/sys/user" "$p/self/ns"
	for f in kernel/unprivileged_userns_clone user/max_user_namespaces \
		kernel/apparmor_restrict_unprivileged_userns; do
		[ ! -e "/proc/sys/$f" ] || cat "/proc/sys/$f" >"$p/sys/$f"
	done
	cat /proc/filesystems >"$p/filesystems"
	cat /proc/self/mountinfo >"$p/self/mountinfo"
	cat /proc/self/cgroup >"$p/self/cgroup"
	for f in /proc/self/ns/*; do
		touch "$p/self/ns/${f##*/}"
	done
	FAKE_PROC=$p
}

# A copy of what preflight reads in /etc, in $SCRATCH/etc.
fake_etc() {
	local f
	scratch
	mkdir -p "$SCRATCH/etc"
	for f in subuid subgid os-release; do
		[ ! -e "/etc/$f" ] || cp "/etc/$f" "$SCRATCH/etc/$f"
	done
	FAKE_ETC=$SCRATCH/etc
}

# A cgroup tree at $SCRATCH/cg, mounted (in the fake mountinfo) as the
# only cgroup2 tree, with CONTROLLERS; or, with --hybrid, the v1 memory
# and pids trees and a cgroup2 tree with none, as on this CI machine.
fake_cgroups() { # [--hybrid | --none | CONTROLLERS]
	fake_proc
	local cg=$SCRATCH/cg
	mkdir -p "$cg"
	case $1 in
	--none)
		: >"$FAKE_PROC/self/mountinfo"
		;;
	--hybrid)
		mkdir -p "$cg/memory" "$cg/pids" "$cg/unified"
		: >"$cg/unified/cgroup.controllers"
		cat >"$FAKE_PROC/self/mountinfo" <<-EOF
			31 23 0:28 / $cg rw,relatime - tmpfs tmpfs rw,mode=755
			35 31 0:32 / $cg/memory rw,relatime - cgroup cgroup rw,memory
			39 31 0:36 / $cg/pids rw,relatime - cgroup cgroup rw,pids
			41 31 0:38 / $cg/unified rw,relatime - cgroup2 cgroup2 rw
		EOF
		;;
	*)
		echo "$1" >"$cg/cgroup.controllers"
		echo "30 23 0:26 / $cg rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw" \
			>"$FAKE_PROC/self/mountinfo"
		;;
	esac
}

# $SCRATCH/bin: every command on PATH (as symlinks) but the NAMEs, and a
# stand-in apt-get, which preflight only looks for (to word its fixes in
# Debian's terms), so that the fixes read the same on any machine.
fake_path() { # NAME...
	local bin d name
	scratch
	bin=$SCRATCH/bin
	mkdir -p "$bin"
	local IFS=:
	for d in $PATH; do
		# The first of a name on PATH wins, as it does for the shell.
		ln -s "$d"/* "$bin/" 2>/dev/null || true
	done
	unset IFS
	[ -e "$bin/apt-get" ] || stand_in apt-get 'exit 99'
	for name in "$@"; do
		rm -f "$bin/$name"
	done
	FAKE_PATH=$bin
}

# A command of our own in $SCRATCH/bin, in place of the real one.
stand_in() { # NAME SHELL-TEXT
	rm -f "$SCRATCH/bin/$1"
	printf '#!/bin/sh\n%s\n' "$2" >"$SCRATCH/bin/$1"
	chmod 755 "$SCRATCH/bin/$1"
}

# Row NAME of $output: its line, then the fix/note/use lines below it.
row() {
	awk -v name="$1" '
		found && /^    [a-z]+: / { print; next }
		found { exit }
		/^  [^ ]+ / {
			rest = $0
			sub(/^  [^ ]+ /, "", rest)
			if (rest == name || index(rest, name " ") == 1) { print; found = 1 }
		}' <<<"$output"
}

# What row NAME says it found: its text after the name's column.
found_of() {
	row "$1" | head -n 1 | sed -E 's/^  [^ ]+ .{31} //'
}

# Row NAME is marked MARK (✓, ✗ or –); with FIX, the line below it is
# exactly "fix: FIX".
assert_row() { # MARK NAME [FIX]
	local r
	r=$(row "$2")
	[ -n "$r" ] || fail "no row '$2' in:"$'\n'"$output"
	[[ $r == "  $1 "* ]] || fail "row '$2' is not $1:"$'\n'"$r"
	[ $# -lt 3 ] || grep -qxF "    fix: $3" <<<"$r" ||
		fail "row '$2' has not the fix '$3':"$'\n'"$r"
}

# What row NAME found contains TEXT.
assert_found() { # NAME TEXT
	[[ $(found_of "$1") == *"$2"* ]] ||
		fail "row '$1' found not '$2':"$'\n'"$(row "$1")"
}

# The rows a run as root needs: a ✗ in any fails make preflight.
ROOT_ROWS=("kernel 5.6+" "namespaces in the kernel" "cgroup limits as root"
	"cc, make" "pkg-config" "check (unit tests)" "libnl-route-3 headers"
	"libcap headers (step 10)" "libseccomp headers (step 10)"
	"bats 1.5+" "bats-support, bats-assert" "busybox (static)"
	"clang-format" "iproute2" "util-linux" "./rootfs (make rootfs)")

# The first section of a table on stdin: the rows for a run as root.
root_section() {
	sed -n '/^Steps 1-8 as root/,/^$/p' | sed '1d;$d'
}

# --- this machine ------------------------------------------------------------

@test "preflight: make preflight passes on this machine, every row a root run needs ✓" {
	run -0 env -u SUDO_USER -u SUDO_UID -u SUDO_GID make -s --no-print-directory -C "$REPO" preflight
	local name
	for name in "${ROOT_ROWS[@]}"; do
		assert_row ✓ "$name"
	done
	# Not one ✗ among them, and none but the kernel's fallbacks is not ✓.
	assert_line --index -1 --regexp '^ready for steps 1-10 as root; unprivileged: [0-9]+ problems?(, [0-9]+ rows? not checked \(run make preflight as the workshop.s user\))?$'
	run -0 root_section <<<"$output"
	[ "${#lines[@]}" -ge "${#ROOT_ROWS[@]}" ] || fail "a short root section: $output"
	refute_line --regexp '^  ✗ '
	refute_line --regexp '^  – (kernel 5.6|namespaces|cgroup|cc|pkg|check|libnl|bats|busybox|clang|iproute|util|\./rootfs)'
	# The rows read what the host shows, as the tests' own helpers read it.
	run -0 env -u SUDO_USER -u SUDO_UID -u SUDO_GID "$PREFLIGHT"
	assert_found "kernel 5.6+" "$(uname -r)"
	assert_found "./rootfs (make rootfs)" "$REPO/rootfs: $(ls "$REPO/rootfs/bin" | wc -l) commands"
	if is_v2; then
		assert_found "cgroup limits as root" "cgroup v2 at $(v2_mount):"
		assert_row ✓ "cgroup v2: memory, pids"
	else
		assert_found "cgroup limits as root" "hybrid: v1 memory and pids trees (the v1 path works as root)"
		assert_row ✗ "cgroup v2: memory, pids"
	fi
	assert_found "busybox (static)" "$(command -v busybox)"
}

@test "preflight: the table's columns line up, and every ✗ has a fix line below it" {
	# Everything wrong at once: each ✗ row still names its fix.
	fake_proc
	fake_etc
	fake_path cc bats busybox clang-format ip newuidmap
	echo 1 >"$FAKE_PROC/sys/kernel/apparmor_restrict_unprivileged_userns"
	rm "$FAKE_PROC/self/ns/time"
	: >"$FAKE_ETC/subuid"
	run -1 preflight "${as_alice[@]}" PATH="$FAKE_PATH" PREFLIGHT_PROC="$FAKE_PROC" \
		PREFLIGHT_ETC="$FAKE_ETC" PREFLIGHT_UNAME_R=5.2.0 PREFLIGHT_ROOTFS=/nonexistent
	local table=$output bad line
	bad=$(grep -c '^  ✗ ' <<<"$table")
	[ "$bad" -ge 12 ] || fail "only $bad rows are ✗:"$'\n'"$table"
	run -0 awk '/^  ✗ / { getline next_line; if (next_line !~ /^    fix: ./) print }' <<<"$table"
	assert_output ""
	# Every row: two spaces, the mark, the name in 31 columns, the found text.
	run -0 grep -E '^  [^ ]+ ' <<<"$table"
	[ "${#lines[@]}" -ge 24 ] || fail "only ${#lines[@]} rows"
	for line in "${lines[@]}"; do
		[[ $line =~ ^\ \ (✓|✗|–)\ .{31}\ [^\ ] ]] || fail "not in the columns: '$line'"
	done
}

# Each row's mark and name, the table without what was found.
marks() {
	grep -oE '^  [^ ]+ .{31}' <<<"$output"
}

@test "preflight: copies of /proc and /etc, and a PATH of links, read as the real ones (the fakes below change one thing)" {
	run -0 preflight "${as_alice[@]}"
	local real=$output real_marks
	real_marks=$(marks)
	fake_proc
	fake_etc
	run -0 preflight "${as_alice[@]}" PREFLIGHT_PROC="$FAKE_PROC" PREFLIGHT_ETC="$FAKE_ETC" \
		PREFLIGHT_UNAME_R="$(uname -r)" PREFLIGHT_ROOTFS="$REPO/rootfs"
	# The same, but for the name of the files read.
	assert_equal "${output//$FAKE_ETC//etc}" "$real"
	# The commands are found elsewhere, and say the same.
	fake_path
	run -0 preflight "${as_alice[@]}" PATH="$FAKE_PATH"
	assert_equal "$(marks)" "$real_marks"
}

# --- the kernel --------------------------------------------------------------

KERNEL_FIX="a 5.6+ kernel (Ubuntu 20.04: sudo apt-get install linux-generic-hwe-20.04; Debian 11+, Ubuntu 22.04+ and Fedora have one); steps 1-6 run meanwhile"

@test "preflight: a kernel before 5.6 is ✗ (no time namespaces, no fallback) and fails; 5.6 passes" {
	run -1 preflight PREFLIGHT_UNAME_R=5.5.19-generic
	assert_row ✗ "kernel 5.6+" "$KERNEL_FIX"
	assert_found "kernel 5.6+" "5.5.19-generic: no time namespaces for steps 7-8"
	assert_line --index -1 --regexp '^not ready: 1 problem for steps 1-10 as root; '
	run -0 preflight PREFLIGHT_UNAME_R=5.6.0
	assert_row ✓ "kernel 5.6+"
	run -1 preflight PREFLIGHT_UNAME_R=4.19.0-26-amd64
	assert_row ✗ "kernel 5.6+" "$KERNEL_FIX"
}

@test "preflight: clone3, CLONE_INTO_CGROUP and close_range say – on older kernels, and do not fail" {
	# 5.6: clone3 (5.3) yes, the others (5.7, 5.9) fall back.
	run -0 preflight PREFLIGHT_UNAME_R=5.6.19
	assert_row ✓ "kernel 5.3+: clone3"
	assert_row – "kernel 5.7+: CLONE_INTO_CGROUP"
	assert_found "kernel 5.7+: CLONE_INTO_CGROUP" "no: steps 6-8 move the child into its cgroup"
	assert_row – "kernel 5.9+: close_range"
	assert_found "kernel 5.9+: close_range" "no: steps 1-10 close descriptors one by one"
	# 5.10: close_range, without its CLOEXEC flag (5.11).
	run -0 preflight PREFLIGHT_UNAME_R=5.10.0-28-amd64
	assert_row ✓ "kernel 5.7+: CLONE_INTO_CGROUP"
	assert_row ✓ "kernel 5.9+: close_range"
	assert_found "kernel 5.9+: close_range" "its CLOEXEC flag (5.11) no"
	# 5.2: no clone3 either; and 5.2 fails, for the time namespace only.
	run -1 preflight PREFLIGHT_UNAME_R=5.2.0
	assert_row – "kernel 5.3+: clone3"
	assert_found "kernel 5.3+: clone3" "no: steps 6-8 fall back to clone(2)"
	assert_line --index -1 --regexp '^not ready: 1 problem for steps 1-10 as root; '
}

@test "preflight: a kernel without a namespace (no /proc/self/ns entry) is ✗ with its CONFIG_ and fails" {
	fake_proc
	rm "$FAKE_PROC/self/ns/time"
	run -1 preflight PREFLIGHT_PROC="$FAKE_PROC"
	assert_row ✗ "namespaces in the kernel" "a kernel built with CONFIG_TIME_NS=y (every distribution's own kernel is)"
	assert_found "namespaces in the kernel" "missing: time (steps 7-8 cannot run)"
	rm "$FAKE_PROC/self/ns/net"
	run -1 preflight PREFLIGHT_PROC="$FAKE_PROC"
	assert_row ✗ "namespaces in the kernel" "a kernel built with CONFIG_NET_NS=y CONFIG_TIME_NS=y (every distribution's own kernel is)"
	assert_found "namespaces in the kernel" "missing: net time (steps 5-8 cannot run)"
}

# --- user namespaces ---------------------------------------------------------

# What common/hints.c's userns_hint() says for the switches in PROC/sys:
# the runtime's own words, compiled from its source.
hints_c() { # PROC
	scratch
	cat >"$SCRATCH/hint.c" <<-'EOF'
		#include <stdio.h>
		#include "common/hints.h"
		int main(int argc, char **argv)
		{
			const char *hint = userns_hint(argv[1]);
			puts(hint ? hint : "(none)");
			return 0;
		}
	EOF
	cc -I"$REPO" -o "$SCRATCH/hint" "$SCRATCH/hint.c" "$REPO/common/hints.c" \
		"$REPO/common/file.c" || return 1
	"$SCRATCH/hint" "$1/sys"
}

# Set one switch (a file below /proc/sys) in a fake /proc: the row turns
# ✗ with hints.c's words for it, and the exit status stays 0.
userns_switch() { # FILE VALUE
	fake_proc
	local hint
	hint=$(hints_c "$FAKE_PROC")
	assert_equal "$hint" "(none)"
	run -0 preflight PREFLIGHT_PROC="$FAKE_PROC"
	assert_row ✓ "unprivileged user namespaces"
	mkdir -p "$(dirname "$FAKE_PROC/sys/$1")"
	echo "$2" >"$FAKE_PROC/sys/$1"
	hint=$(hints_c "$FAKE_PROC")
	[ "$hint" != "(none)" ] || fail "hints.c knows no $1 = $2"
	run -0 preflight PREFLIGHT_PROC="$FAKE_PROC"
	assert_row ✗ "unprivileged user namespaces" "$hint"
	assert_found "unprivileged user namespaces" "${1//\//.} = $2"
	assert_line --index -1 --regexp '^ready for steps 1-10 as root; unprivileged: [1-9]'
}

@test "preflight: kernel.unprivileged_userns_clone = 0 is ✗ with hints.c's fix, and does not fail" {
	userns_switch kernel/unprivileged_userns_clone 0
}

@test "preflight: user.max_user_namespaces = 0 is ✗ with hints.c's fix, and does not fail" {
	userns_switch user/max_user_namespaces 0
}

@test "preflight: kernel.apparmor_restrict_unprivileged_userns = 1 is ✗ with hints.c's fix, and does not fail" {
	userns_switch kernel/apparmor_restrict_unprivileged_userns 1
}

@test "preflight: all three switches off: a fix line for each" {
	fake_proc
	echo 0 >"$FAKE_PROC/sys/kernel/unprivileged_userns_clone"
	echo 0 >"$FAKE_PROC/sys/user/max_user_namespaces"
	echo 1 >"$FAKE_PROC/sys/kernel/apparmor_restrict_unprivileged_userns"
	run -0 preflight PREFLIGHT_PROC="$FAKE_PROC"
	assert_row ✗ "unprivileged user namespaces" "$(hints_c "$FAKE_PROC")"
	run -0 row "unprivileged user namespaces"
	assert_equal "${#lines[@]}" 4
	assert_line --index 2 "    fix: user namespaces are limited to 0: sudo sysctl -w user.max_user_namespaces=15000"
	assert_line --index 3 --partial "    fix: AppArmor restricts unprivileged user namespaces (Ubuntu 23.10+): "
}

@test "preflight: switches on but unshare --user refused (a container's seccomp, say): ✗ with a fix, and does not fail" {
	requires_root
	fake_path
	stand_in unshare 'echo "unshare: unshare failed: Operation not permitted (fake)" >&2; exit 1'
	run -0 preflight PATH="$FAKE_PATH"
	assert_row ✗ "unprivileged user namespaces" "something besides the sysctl switches refuses them (in a container? Docker's default seccomp profile does): run the workshop on the machine itself, or steps 4-8 with sudo"
	assert_found "unprivileged user namespaces" "unshare --user fails for nobody: unshare: unshare failed: Operation not permitted (fake)"
	# With sudo, it is tried as the user who ran it.
	run -0 preflight "${as_alice[@]}" PATH="$FAKE_PATH"
	assert_found "unprivileged user namespaces" "unshare --user fails for alice: "
	# The real unshare: on this machine it works.
	run -0 preflight "${as_alice[@]}"
	assert_row ✓ "unprivileged user namespaces"
	assert_found "unprivileged user namespaces" "on: unshare --user works for alice"
}

# --- subordinate IDs and their helpers ---------------------------------------

@test "preflight: no subuid/subgid range for the user who ran sudo is ✗ with a usermod fix, and does not fail" {
	requires_root
	fake_etc
	printf 'bob:100000:65536\ncarol:200000:65536\n' >"$FAKE_ETC/subuid"
	printf 'bob:100000:65536\n' >"$FAKE_ETC/subgid"
	run -0 preflight "${as_alice[@]}" PREFLIGHT_ETC="$FAKE_ETC"
	# The next range free in both files: after carol's.
	assert_row ✗ "subuid, subgid ranges" "sudo usermod --add-subuids 265536-331071 --add-subgids 265536-331071 alice"
	assert_found "subuid, subgid ranges" "no range of 65536 for alice in $FAKE_ETC/subuid $FAKE_ETC/subgid"
	assert_line "Steps 4-8 as an ordinary user, alice (a ✗ here is counted, not failed)"
	# One file only, and a range too small in it.
	printf 'alice:100000:65536\n' >"$FAKE_ETC/subuid"
	printf 'alice:300000:1000\n' >"$FAKE_ETC/subgid"
	run -0 preflight "${as_alice[@]}" PREFLIGHT_ETC="$FAKE_ETC"
	assert_row ✗ "subuid, subgid ranges" "sudo usermod --add-subgids 301000-366535 alice"
	# A range by name or by uid is found.
	printf '1000:400000:65536\n' >"$FAKE_ETC/subgid"
	run -0 preflight "${as_alice[@]}" PREFLIGHT_ETC="$FAKE_ETC"
	assert_row ✓ "subuid, subgid ranges"
	assert_found "subuid, subgid ranges" "alice: subuid 100000+65536, subgid 400000+65536"
}

@test "preflight: as root without sudo, the rows about a user say – not checked" {
	requires_root
	run -0 preflight
	assert_row – "subuid, subgid ranges"
	assert_found "subuid, subgid ranges" "not checked for root"
	run -0 preflight SUDO_USER=root SUDO_UID=0 SUDO_GID=0
	assert_row – "subuid, subgid ranges"
	fake_cgroups "cpu memory pids"
	run -0 preflight PREFLIGHT_PROC="$FAKE_PROC"
	assert_row – "cgroup delegation"
	assert_line --index -1 --regexp '^ready for steps 1-10 as root; unprivileged: [0-9]+ problems?, 2 rows not checked \(run make preflight as the workshop.s user\)$'
}

@test "preflight: no newuidmap/newgidmap is ✗ with the uidmap package, not setuid is ✗ with chmod; neither fails" {
	fake_path newuidmap
	run -0 preflight PATH="$FAKE_PATH"
	assert_row ✗ "newuidmap, newgidmap" "sudo apt-get install uidmap"
	assert_found "newuidmap, newgidmap" "not found: newuidmap"
	# A copy has lost its setuid bit.
	cp "$(command -v newuidmap)" "$SCRATCH/bin/newuidmap"
	run -0 preflight PATH="$FAKE_PATH"
	assert_row ✗ "newuidmap, newgidmap" "sudo chmod u+s $SCRATCH/bin/newuidmap"
	assert_line --index -1 --regexp '^ready for steps 1-10 as root; unprivileged: [1-9]'
}

# --- cgroups -----------------------------------------------------------------

@test "preflight: cgroup v2 with memory and pids: ✓ as root and for a user" {
	fake_cgroups "cpuset cpu io memory pids"
	run -0 preflight PREFLIGHT_PROC="$FAKE_PROC"
	assert_row ✓ "cgroup limits as root"
	assert_found "cgroup limits as root" "cgroup v2 at $SCRATCH/cg: cpuset cpu io memory pids"
	assert_row ✓ "cgroup v2: memory, pids"
}

@test "preflight: a hybrid machine: v1 works as root (✓); cgroup v2 is ✗ with its fix, and does not fail" {
	fake_cgroups --hybrid
	run -0 preflight PREFLIGHT_PROC="$FAKE_PROC"
	assert_row ✓ "cgroup limits as root"
	assert_found "cgroup limits as root" "hybrid: v1 memory and pids trees (the v1 path works as root)"
	assert_row ✗ "cgroup v2: memory, pids" "boot with cgroup v2 only: add systemd.unified_cgroup_hierarchy=1 to GRUB_CMDLINE_LINUX in /etc/default/grub, then sudo update-grub and reboot"
	assert_found "cgroup v2: memory, pids" "$SCRATCH/cg/unified has none"
	assert_row – "cgroup delegation"
	assert_found "cgroup delegation" "needs cgroup v2 first"
	# A kernel without cgroup2 at all says so.
	sed -i '/cgroup2/d' "$FAKE_PROC/filesystems"
	run -0 preflight PREFLIGHT_PROC="$FAKE_PROC"
	assert_row ✗ "cgroup v2: memory, pids" "a kernel with cgroup v2 (Linux 4.5+; every distribution kernel has it)"
}

@test "preflight: no cgroup tree, or none with memory and pids, is ✗ and fails" {
	fake_cgroups --none
	run -1 preflight PREFLIGHT_PROC="$FAKE_PROC"
	assert_row ✗ "cgroup limits as root" "sudo mount -t cgroup2 none /sys/fs/cgroup (systemd mounts it at boot; under 'ip netns exec', /sys is remounted without it: use nsenter --net=/run/netns/NAME)"
	assert_line --index -1 --regexp '^not ready: 1 problem for steps 1-10 as root; '
	fake_cgroups "cpu io"
	run -1 preflight PREFLIGHT_PROC="$FAKE_PROC"
	assert_row ✗ "cgroup limits as root" "a kernel command line that does not switch them off: remove cgroup_disable=... (cat /proc/cmdline) from GRUB_CMDLINE_LINUX in /etc/default/grub, then sudo update-grub and reboot"
	assert_row ✗ "cgroup v2: memory, pids"
}

DROP_IN_FIX="sudo mkdir -p /etc/systemd/system/user@.service.d && printf '[Service]\\nDelegate=cpu memory pids\\n' | sudo tee /etc/systemd/system/user@.service.d/delegate.conf && sudo systemctl daemon-reload; then log in again"

@test "preflight: cgroup delegation to the user: ✗ without user@UID.service or its controllers, ✓ with; never fails" {
	requires_root
	fake_cgroups "cpu memory pids"
	local svc=$SCRATCH/cg/user.slice/user-1000.slice/user@1000.service
	run -0 preflight "${as_alice[@]}" PREFLIGHT_PROC="$FAKE_PROC"
	assert_row ✗ "cgroup delegation" "log in as alice in a session of its own (the desktop, or ssh; su and sudo start none), or: sudo loginctl enable-linger alice"
	assert_found "cgroup delegation" "no systemd user manager for alice (no $svc)"
	# There, but root's.
	mkdir -p "$svc"
	echo "cpu memory pids" >"$svc/cgroup.controllers"
	run -0 preflight "${as_alice[@]}" PREFLIGHT_PROC="$FAKE_PROC"
	assert_row ✗ "cgroup delegation" "$DROP_IN_FIX"
	assert_found "cgroup delegation" "(owner uid 0)"
	# Alice's, without memory.
	chown 1000 "$svc"
	echo "cpu pids" >"$svc/cgroup.controllers"
	run -0 preflight "${as_alice[@]}" PREFLIGHT_PROC="$FAKE_PROC"
	assert_row ✗ "cgroup delegation" "$DROP_IN_FIX"
	assert_found "cgroup delegation" "delegates only: cpu pids"
	# Delegated: how to use it.
	echo "cpu memory pids" >"$svc/cgroup.controllers"
	run -0 preflight "${as_alice[@]}" PREFLIGHT_PROC="$FAKE_PROC"
	assert_row ✓ "cgroup delegation"
	run -0 row "cgroup delegation"
	assert_line --index 1 "    use: systemd-run --user --scope -p Delegate=yes ./step06-cgroup/container --memory 64M ..."
}

@test "preflight: as an ordinary user, its own cgroup delegated (cgroup.procs, subtree_control its own) is ✓" {
	requires_root
	fake_cgroups "cpu memory pids"
	local uid=54321
	mkdir -p "$SCRATCH/cg/mine"
	touch "$SCRATCH/cg/mine/cgroup.procs" "$SCRATCH/cg/mine/cgroup.subtree_control"
	echo "0::/mine" >"$FAKE_PROC/self/cgroup"
	# The checkout may be closed to others (a private home): a copy of
	# what preflight reads in it, and a rootfs of a busybox.
	mkdir -p "$SCRATCH/repo/scripts" "$SCRATCH/repo/rootfs/bin"
	cp "$PREFLIGHT" "$SCRATCH/repo/scripts/"
	cp "$REPO/.clang-format" "$SCRATCH/repo/"
	cp "$(command -v busybox)" "$SCRATCH/repo/rootfs/bin/"
	ln -s busybox "$SCRATCH/repo/rootfs/bin/sh"
	run -0 setpriv --reuid=$uid --regid=$uid --clear-groups \
		env PREFLIGHT_PROC="$FAKE_PROC" "$SCRATCH/repo/scripts/preflight"
	assert_line --index 0 --regexp ", as $uid$"
	assert_row ✗ "cgroup delegation"
	assert_found "cgroup delegation" "no systemd user manager for $uid"
	chown -R $uid "$SCRATCH/cg/mine"
	run -0 setpriv --reuid=$uid --regid=$uid --clear-groups \
		env PREFLIGHT_PROC="$FAKE_PROC" "$SCRATCH/repo/scripts/preflight"
	assert_row ✓ "cgroup delegation"
	assert_found "cgroup delegation" "this shell's cgroup /mine is delegated to you"
}

# --- tools -------------------------------------------------------------------

# Take COMMAND off PATH: row NAME turns ✗ with FIX, and make preflight fails.
missing_command() { # COMMAND NAME FIX
	fake_path "$1"
	run -1 preflight PATH="$FAKE_PATH"
	assert_row ✗ "$2" "$3"
	assert_found "$2" "not found"
}

@test "preflight: no cc or make is ✗ with build-essential, and fails" {
	missing_command cc "cc, make" "sudo apt-get install build-essential"
	assert_line --index -1 --regexp '^not ready: 1 problem for steps 1-10 as root; '
	missing_command make "cc, make" "sudo apt-get install build-essential"
	# A cc that cannot build a program (no C library headers, say).
	fake_path
	stand_in cc 'echo "cc (fake) 1.0"; exit 1'
	run -1 preflight PATH="$FAKE_PATH"
	assert_row ✗ "cc, make" "sudo apt-get install build-essential"
	assert_found "cc, make" "cc cannot build a program: cc (fake) 1.0"
}

@test "preflight: no pkg-config is ✗, and so are the libraries it finds; fails" {
	missing_command pkg-config "pkg-config" "sudo apt-get install pkg-config"
	assert_row ✗ "check (unit tests)" "sudo apt-get install pkg-config check"
	assert_row ✗ "libnl-route-3 headers" "sudo apt-get install pkg-config libnl-route-3-dev"
	assert_row ✗ "libcap headers (step 10)" "sudo apt-get install pkg-config libcap-dev"
	assert_row ✗ "libseccomp headers (step 10)" "sudo apt-get install pkg-config libseccomp-dev"
	assert_line --index -1 --regexp '^not ready: 5 problems for steps 1-10 as root; '
}

@test "preflight: no check or libnl-route-3 for pkg-config is ✗ with their packages, and fails" {
	scratch
	mkdir -p "$SCRATCH/pc"
	run -1 preflight PKG_CONFIG_LIBDIR="$SCRATCH/pc"
	assert_row ✗ "check (unit tests)" "sudo apt-get install check"
	assert_row ✗ "libnl-route-3 headers" "sudo apt-get install libnl-route-3-dev"
	assert_row ✗ "libcap headers (step 10)" "sudo apt-get install libcap-dev"
	assert_row ✗ "libseccomp headers (step 10)" "sudo apt-get install libseccomp-dev"
	assert_line --index -1 --regexp '^not ready: 4 problems for steps 1-10 as root; '
	# Every .pc file pkg-config has, but libnl-route-3.0's, in place of
	# which one whose headers are not where it says.
	local IFS=: d
	for d in $(pkg-config --variable pc_path pkg-config); do
		ln -s "$d"/*.pc "$SCRATCH/pc/" 2>/dev/null || true
	done
	unset IFS
	rm "$SCRATCH/pc/libnl-route-3.0.pc"
	printf 'Name: libnl-route-3.0\nDescription: fake\nVersion: 3.7.0\nCflags: -I%s\nLibs: -lnl-route-3\n' \
		"$SCRATCH/pc" >"$SCRATCH/pc/libnl-route-3.0.pc"
	run -1 preflight PKG_CONFIG_LIBDIR="$SCRATCH/pc"
	assert_row ✓ "check (unit tests)"
	assert_row ✗ "libnl-route-3 headers" "sudo apt-get install libnl-route-3-dev"
	assert_found "libnl-route-3 headers" "3.7.0, but cc cannot include <netlink/route/link/veth.h>"
}

@test "preflight: no bats, or one older than 1.5, is ✗ with its fix, and fails" {
	missing_command bats "bats 1.5+" "sudo apt-get install bats"
	assert_row ✗ "bats-support, bats-assert" "sudo apt-get install bats bats-support bats-assert"
	stand_in bats 'if [ "$1" = --version ]; then echo "Bats 1.2.1"; else exit 1; fi'
	run -1 preflight PATH="$FAKE_PATH"
	assert_row ✗ "bats 1.5+" "git clone --depth 1 https://github.com/bats-core/bats-core && sudo bats-core/install.sh /usr/local"
	assert_found "bats 1.5+" "1.2.1: too old for tests/bats"
}

@test "preflight: bats-support or bats-assert that bats cannot load is ✗ with its package, and fails" {
	scratch
	mkdir -p "$SCRATCH/lib"
	run -1 preflight BATS_LIB_PATH="$SCRATCH/lib"
	assert_row ✗ "bats-support, bats-assert" "sudo apt-get install bats-support bats-assert"
	local lib=${BATS_LIB_PATH:-/usr/lib/bats}
	ln -s "${lib%%:*}/bats-support" "$SCRATCH/lib/bats-support"
	run -1 preflight BATS_LIB_PATH="$SCRATCH/lib"
	assert_row ✗ "bats-support, bats-assert" "sudo apt-get install bats-assert"
	assert_found "bats-support, bats-assert" "bats cannot load: bats-assert"
	ln -s "${lib%%:*}/bats-assert" "$SCRATCH/lib/bats-assert"
	run -0 preflight BATS_LIB_PATH="$SCRATCH/lib"
	assert_row ✓ "bats-support, bats-assert"
}

@test "preflight: no busybox, or a dynamic one, is ✗ with busybox-static, and fails" {
	missing_command busybox "busybox (static)" "sudo apt-get install busybox-static"
	# A dynamically linked program where busybox should be.
	cp "$(type -P true)" "$SCRATCH/bin/busybox"
	run -1 preflight PATH="$FAKE_PATH"
	assert_row ✗ "busybox (static)" "sudo apt-get install busybox-static (it replaces the dynamic busybox)"
	assert_found "busybox (static)" "$SCRATCH/bin/busybox is dynamically linked"
}

@test "preflight: no clang-format, or one that cannot read .clang-format, is ✗, and fails" {
	missing_command clang-format "clang-format" "sudo apt-get install clang-format"
	stand_in clang-format 'case $1 in
--version) echo "Ubuntu clang-format version 10.0.0-4ubuntu1" ;;
*) echo "/src/.clang-format:12:1: error: unknown key AlignConsecutiveMacros" >&2; exit 1 ;;
esac'
	run -1 preflight PATH="$FAKE_PATH"
	assert_row ✗ "clang-format" "clang-format 14 or later: sudo apt-get install clang-format from a newer release"
	assert_found "clang-format" "version 10.0.0-4ubuntu1 cannot read .clang-format: /src/.clang-format:12:1: error: unknown key"
}

@test "preflight: no ip, or no util-linux command, is ✗ with its package, and fails" {
	missing_command ip "iproute2" "sudo apt-get install iproute2"
	missing_command nsenter "util-linux" "sudo apt-get install util-linux"
	assert_found "util-linux" "not found: nsenter"
}

@test "preflight: no ./rootfs, or one without busybox, is ✗ with make rootfs, and fails" {
	scratch
	run -1 preflight PREFLIGHT_ROOTFS="$SCRATCH/rootfs"
	assert_row ✗ "./rootfs (make rootfs)" "sudo make rootfs"
	assert_found "./rootfs (make rootfs)" "no $SCRATCH/rootfs"
	mkdir -p "$SCRATCH/rootfs/bin"
	run -1 preflight PREFLIGHT_ROOTFS="$SCRATCH/rootfs"
	assert_row ✗ "./rootfs (make rootfs)" "sudo make rootfs (it builds the tree anew)"
}

@test "preflight: without strace and valgrind the optional rows say – with the package, and nothing fails" {
	fake_path strace valgrind
	run -0 preflight PATH="$FAKE_PATH"
	assert_row – "strace" "sudo apt-get install strace"
	assert_found "strace" "not found: tests/bats/faults.bats skips"
	assert_row – "valgrind" "sudo apt-get install valgrind"
	assert_line --index -1 --regexp '^ready for steps 1-10 as root; '
}

@test "preflight: on Fedora (dnf, no apt-get) the fixes name Fedora's packages" {
	fake_path apt-get cc pkg-config clang-format
	stand_in dnf 'exit 99'
	run -1 preflight PATH="$FAKE_PATH"
	assert_row ✗ "cc, make" "sudo dnf install gcc make"
	assert_row ✗ "pkg-config" "sudo dnf install pkgconf-pkg-config"
	assert_row ✗ "check (unit tests)" "sudo dnf install pkgconf-pkg-config check-devel"
	assert_row ✗ "libnl-route-3 headers" "sudo dnf install pkgconf-pkg-config libnl3-devel"
	assert_row ✗ "clang-format" "sudo dnf install clang-tools-extra"
}
