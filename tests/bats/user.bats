#!/usr/bin/env bats
# user: root inside is an ordinary user outside (step 4 on).

load helpers

# The first outside ID the default map gives root inside.
outside_uid() { if [ "$EUID" -eq 0 ]; then echo 100000; else id -u; fi; }
outside_gid() { if [ "$EUID" -eq 0 ]; then echo 100000; else id -g; fi; }

# A map file as "IN OUT COUNT" lines, with the kernel's padding removed.
read_map() { awk '{print $1, $2, $3}' "$1"; }

@test "user: root inside: id -u and id -g are 0 ($STEP)" {
	run -0 ctr -- sh -c 'id -u; id -g'
	assert_output "0
0"
}

@test "user: from the host, the container's root is the mapped uid ($STEP)" {
	start_ctr -- sh -c 'echo ready; exec sleep 60'
	run -0 ps -o uid=,gid= -p "$CTR_INIT"
	assert_output --regexp "^ *$(outside_uid) +$(outside_gid)$"
	assert_not_equal "$(ns_of "$CTR_INIT" user)" "$(ns_of $$ user)"
}

@test "user: uid_map and gid_map read from the host match the default maps ($STEP)" {
	start_ctr -- sh -c 'echo ready; exec sleep 60'
	local count=1
	[ "$EUID" -ne 0 ] || count=65536
	run -0 read_map "/proc/$CTR_INIT/uid_map"
	assert_output "0 $(outside_uid) $count"
	run -0 read_map "/proc/$CTR_INIT/gid_map"
	assert_output "0 $(outside_gid) $count"
	# And the container sees the same map from inside.
	run -0 ctr -- cat /proc/self/uid_map
	assert_output --regexp "^ +0 +$(outside_uid) +$count$"
}

@test "user: setgroups is 'deny' when unprivileged, 'allow' for root ($STEP)" {
	start_ctr -- sh -c 'echo ready; exec sleep 60'
	if [ "$EUID" -eq 0 ]; then
		run -0 cat "/proc/$CTR_INIT/setgroups"
		assert_output allow
	else
		run -0 cat "/proc/$CTR_INIT/setgroups"
		assert_output deny
	fi
}

@test "user: root inside cannot write the rootfs files the host's root owns ($STEP)" {
	[ "$(stat -c %u "$ROOTFS/etc/passwd")" -eq 0 ] || skip "the rootfs is not owned by root here"
	run ctr -- sh -c 'echo x >> /etc/passwd'
	assert_failure
	assert_output --partial "Permission denied"
	run ctr -- touch /bin/new-file
	assert_failure
	# Host root is not mapped: its files show as nobody (65534).
	run -0 ctr -- stat -c '%u %g' /etc/passwd
	assert_output "65534 65534"
}

@test "user: capabilities are full inside, but count only for what the namespace owns ($STEP)" {
	# CapEff of root inside has every bit set...
	run -0 ctr "${ROOT_ARGS[@]}" -- grep CapEff /proc/self/status
	assert_output --regexp 'CapEff:[[:space:]]+000001ffffffffff$|CapEff:[[:space:]]+0000003fffffffff$'
	# ...yet creating a device node needs CAP_MKNOD in the host's user
	# namespace, and a negative nice value CAP_SYS_NICE there.
	run ctr "${ROOT_ARGS[@]}" -- mknod /tmp/null c 1 3
	assert_failure
	assert_output --partial "Operation not permitted"
	run ctr "${ROOT_ARGS[@]}" -- sh -c 'renice -n -5 -p $$'
	assert_failure
	assert_output --partial "Permission denied"
}

@test "user: root inside may unmount the read-only /proc/sys, and still cannot set the host's kernel knobs ($STEP)" {
	# The read-only bind of step 3 is not what protects the host from
	# step 4 on: the user namespace is. kernel.printk is one of the host's
	# knobs; written back unchanged, it would harm nothing if allowed.
	run ctr "${ROOT_ARGS[@]}" -- sh -c 'umount /proc/sys && echo unmounted; cat /proc/sys/kernel/printk >/tmp/v && cat /tmp/v >/proc/sys/kernel/printk && echo written'
	assert_line --index 0 unmounted
	assert_line --index 1 --partial "Permission denied"
	refute_line written
}

@test "user: with sudo, ./rootfs is reached from the checkout even below a private directory ($STEP)" {
	requires_root
	# A checkout in a directory uid 100000 may not enter, as a private
	# home directory is: the runtime finds ./rootfs from its working
	# directory, an absolute path to it is refused, with the hint.
	local private=$BATS_TEST_TMPDIR/private
	mkdir -m 700 "$private"
	mkdir -m 755 "$private/checkout"
	cp -a "$ROOTFS" "$private/checkout/rootfs"
	in_checkout() { cd "$private/checkout" && "$@"; }
	run -0 in_checkout ctr -- true
	run --separate-stderr ctr --rootfs "$private/checkout/rootfs" -- true
	assert_equal "$status" 125
	[[ $stderr == "container: mount($private/checkout/rootfs, MS_BIND): Permission denied"*"namei -l"* ]] ||
		fail "stderr: $stderr"
}

@test "user: --uid-map and --gid-map set custom ranges (root) ($STEP)" {
	requires_root
	start_ctr --uid-map 0:200000:1000 --uid-map 1000:300000:10 --gid-map 0:200000:1010 -- sh -c 'echo ready; exec sleep 60'
	run -0 read_map "/proc/$CTR_INIT/uid_map"
	assert_output "0 200000 1000
1000 300000 10"
	run -0 read_map "/proc/$CTR_INIT/gid_map"
	assert_output "0 200000 1010"
	run -0 ps -o uid= -p "$CTR_INIT"
	assert_output --regexp '^ *200000$'
}

@test "user: an unprivileged user's own single-ID map is written directly ($STEP)" {
	requires_unprivileged
	run -0 ctr --uid-map "0:$(id -u):1" --gid-map "0:$(id -g):1" -- id -u
	assert_output 0
}

@test "user: ranges for an unprivileged user go through newuidmap and /etc/subuid ($STEP)" {
	requires_unprivileged
	requires_command newuidmap
	local me range
	me=$(id -un 2>/dev/null) || skip "uid $(id -u) has no name: newuidmap needs a user in /etc/passwd"
	range=$(awk -F: -v u="$me" '$1 == u {print $2; exit}' /etc/subuid)
	[ -n "$range" ] || skip "no /etc/subuid range for $me"
	local grange
	grange=$(awk -F: -v u="$me" '$1 == u {print $2; exit}' /etc/subgid)
	start_ctr --uid-map "0:$(id -u):1" --uid-map "1:$range:1000" \
		--gid-map "0:$(id -g):1" --gid-map "1:$grange:1000" -- sh -c 'echo ready; exec sleep 60'
	run -0 read_map "/proc/$CTR_INIT/uid_map"
	assert_output "0 $(id -u) 1
1 $range 1000"
	# uid 5 inside is subordinate ID range+4 outside.
	start_ctr --uid-map "0:$(id -u):1" --uid-map "1:$range:1000" \
		--gid-map "0:$(id -g):1" --gid-map "1:$grange:1000" -- \
		probe as 5 sh -c 'echo ready; exec sleep 60'
	run -0 ps -o uid=,gid= -p "$CTR_INIT"
	assert_output --regexp "^ *$((range + 4)) +$((grange + 4))$"
}

@test "user: a range not in /etc/subuid is refused by newuidmap, exit 125 ($STEP)" {
	requires_unprivileged
	requires_command newuidmap
	run --separate-stderr ctr --uid-map 0:1:1 -- true
	assert_equal "$status" 125
	[[ $stderr == *"container: newuidmap "*"exit status"*"hint: /etc/subuid"* ]]
}

@test "user: without newuidmap, an unprivileged range is refused before clone ($STEP)" {
	requires_unprivileged
	run --separate-stderr env PATH=/nonexistent "$CTR" --uid-map 0:100000:10 -- /bin/true
	assert_equal "$status" 125
	assert_equal "$(printf '%s\n' "$stderr" | head -n 1)" \
		"container: --uid-map/--gid-map: an unprivileged user can map only its own ID without newuidmap/newgidmap"
	[[ $stderr == *"hint: install newuidmap"* ]]
}

# Bad maps: exit 125, one error line, nothing run (COMMAND would say so
# on stdout).
assert_bad_map() {
	run --separate-stderr ctr "$@" -- echo COMMAND ran
	assert_equal "$status" 125
	assert_equal "$(printf '%s\n' "$stderr" | wc -l)" 1
	[[ $stderr == "container: --"[ug]"id-map"* ]]
	refute_output --partial "COMMAND ran"
	assert_equal "$output" ""
}

@test "user: malformed maps are refused with exit 125 ($STEP)" {
	local bad
	for bad in x 1:2 1:2:3:4 a:b:c -1:0:1 1:2: :1:2 ' 1:2:3' 1:2:3x 0x10:0:1 99999999999:0:1 ''; do
		assert_bad_map --uid-map "$bad"
		assert_bad_map --gid-map "$bad"
	done
	[[ $stderr == *"expected INSIDE:OUTSIDE:COUNT"* ]]
}

@test "user: COUNT 0 and ranges past 4294967294 are refused ($STEP)" {
	assert_bad_map --uid-map 0:100000:0
	[[ $stderr == *"COUNT must be at least 1"* ]]
	assert_bad_map --uid-map 4294967295:0:1
	[[ $stderr == *"runs past 4294967294"* ]]
	assert_bad_map --gid-map 0:4294967290:10
	assert_bad_map --uid-map 4294967294:0:2
}

@test "user: overlapping lines are refused ($STEP)" {
	assert_bad_map --uid-map 0:100000:10 --uid-map 5:200000:10
	[[ $stderr == *"overlaps an earlier line"* ]]
	assert_bad_map --gid-map 0:100000:10 --gid-map 20:100005:10
}

@test "user: more lines than the kernel takes (340) are refused ($STEP)" {
	local args=() i
	for ((i = 0; i < 341; i++)); do
		args+=(--uid-map "$i:$((200000 + i)):1")
	done
	assert_bad_map "${args[@]}"
	[[ $stderr == *"more than 340 lines"* ]]
}

@test "user: the kernel's EPERM on a map write is reported with the map and a hint ($STEP)" {
	requires_command unshare
	# Inside a user namespace where only one uid exists, 100000 is not
	# mapped: the kernel refuses the default map.
	run --separate-stderr in_host_ns unshare --user --map-root-user "$CTR" -- true
	assert_equal "$status" 125
	[[ $stderr == "container: write /proc/"*"/uid_map '0 100000 65536': Operation not permitted"* ]]
	[[ $stderr == *"hint: the outside IDs must exist where the runtime runs"* ]]
}

@test "user: with user namespaces limited to 0, the hint names the switch ($STEP)" {
	requires_command unshare
	# Lower the limit in a user namespace of our own, never the host's.
	run --separate-stderr in_host_ns unshare --user --map-root-user sh -c \
		'echo 0 > /proc/sys/user/max_user_namespaces && exec "$0" -- true' "$CTR"
	assert_equal "$status" 125
	[[ $stderr =~ ^container:\ clone3?\(.*\):\ No\ space\ left\ on\ device ]]
	[[ $stderr == *"hint: user namespaces are limited to 0: sudo sysctl -w user.max_user_namespaces=15000"* ]]
}
