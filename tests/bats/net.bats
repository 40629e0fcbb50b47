#!/usr/bin/env bats
# net: the container has its own network stack, cabled to a bridge (step 5 on).
#
# Every test runs its containers inside a network namespace it made as the
# "host" (HOST_NS, see helpers.bash); traffic stays between that namespace
# and its containers.

load helpers

# Links of the test's host namespace, names only.
host_links() { ip -n "$HOST_NS" -o link show | awk -F': ' '{sub(/@.*/, "", $2); print $2}'; }

# The servers are `nc -l -p PORT -e cat`, as in TUTORIAL.md: the
# connection goes to cat, which sends back what it receives and ends when
# the client is done. (A server nc that reads its own stdin may end before
# it has read what the client sent: a background job's stdin is at EOF.)
# The clients try again until the server listens: "ready" is printed
# before nc gets to listen(2).
#
# Wait (up to 5 s) until the container of PID (default CTR_INIT) listens
# on TCP port PORT, as the host sees it.
wait_listening() { # PORT [PID]
	local i pid=${2:-$CTR_INIT}
	for ((i = 0; i < 100; i++)); do
		[ -n "$(nsenter -t "$pid" -n ss -Hltn "sport = :$1")" ] && return 0
		sleep 0.05
	done
	echo "no listener on port $1 in the container of PID $pid" >&2
	return 1
}

# Wait (up to 5 s) until the host namespace has no veth left.
wait_no_veth() {
	local i
	for ((i = 0; i < 100; i++)); do
		host_links | grep -q '^veth' || return 0
		sleep 0.05
	done
	return 1
}

@test "net: inside, only lo and eth0, with the requested address and a default route ($STEP)" {
	requires_root
	run -0 ctr --ip 10.99.0.42/24 -- sh -c 'ls /sys/class/net; ip -o -4 addr show eth0; ip route'
	assert_line --index 0 eth0
	assert_line --index 1 lo
	assert_line --index 2 --regexp '^2: eth0 +inet 10\.99\.0\.42/24 '
	assert_line --index 3 --regexp '^default via 10\.99\.0\.1 dev eth0'
	assert_equal "${#lines[@]}" 5
}

@test "net: a free address is picked when --ip is omitted ($STEP)" {
	requires_root
	run -0 ctr -- ip -o -4 addr show eth0
	assert_output --regexp 'inet 10\.99\.0\.[0-9]+/24'
	start_ctr -- sh -c 'echo ready; exec sleep 60'
	local first second
	first=$(nsenter -t "$CTR_INIT" -n ip -o -4 addr show eth0 | awk '{print $4}')
	run -0 ctr -- ip -o -4 addr show eth0
	second=$(awk '{print $4}' <<<"$output")
	assert_not_equal "$first" "$second"
}

@test "net: the gateway on the bridge answers ping ($STEP)" {
	requires_root
	run -0 ctr -- ping -c 1 -W 5 10.99.0.1
	assert_output --partial "1 packets received"
	# The bridge is in the test's host namespace, with the gateway address.
	run -0 ip -n "$HOST_NS" -o -4 addr show mini0
	assert_output --partial "inet 10.99.0.1/24"
}

@test "net: two containers at once reach each other ($STEP)" {
	requires_root
	start_ctr --ip 10.99.0.10/24 -- sh -c 'echo ready; exec nc -l -p 7000 -e cat'
	local server=$CTR_PID
	run -0 ctr --ip 10.99.0.11/24 -- sh -c 'ping -c 1 -W 5 10.99.0.10 >/dev/null &&
		until echo hello-over-veth | nc 10.99.0.10 7000; do sleep 0.1; done 2>/dev/null'
	# What came back went to the server and back.
	assert_output hello-over-veth
	wait_ctr "$server"
	assert_equal "$CTR_STATUS" 0
}

@test "net: two containers can bind the same port ($STEP)" {
	requires_root
	start_ctr --ip 10.99.0.20/24 -- sh -c 'echo ready; exec nc -l -p 8080 -e cat'
	local a=$CTR_PID a_init=$CTR_INIT
	start_ctr --ip 10.99.0.21/24 -- sh -c 'echo ready; exec nc -l -p 8080 -e cat'
	local b=$CTR_PID
	# Both listen on 8080 at once, as the host sees them...
	wait_listening 8080 "$a_init"
	wait_listening 8080
	# ...and each answers at its own address.
	run -0 ctr -- sh -c 'for ip in 10.99.0.20 10.99.0.21; do
		until echo "to $ip" | nc $ip 8080; do sleep 0.1; done 2>/dev/null
	done'
	assert_output "to 10.99.0.20
to 10.99.0.21"
	wait_ctr "$a"
	assert_equal "$CTR_STATUS" 0
	wait_ctr "$b"
	assert_equal "$CTR_STATUS" 0
}

@test "net: the host's interfaces are not visible inside ($STEP)" {
	requires_root
	ip -n "$HOST_NS" link add host-only0 type bridge
	on_teardown ip -n "$HOST_NS" link del host-only0
	run -0 ctr -- ls /sys/class/net
	refute_output --partial host-only0
	refute_output --partial mini0
	run -0 ctr -- cat /proc/net/dev
	refute_output --partial host-only0
}

@test "net: the host end exists while the container runs, and is gone after exit ($STEP)" {
	requires_root
	# It runs until told to end (a `sleep 1` could end before a loaded
	# host looked: SAN=1 under load once found no host end). The trap
	# lets the signal reach it as its PID namespace's init.
	start_ctr -- sh -c 'trap "exit 0" TERM; echo ready; while :; do sleep 0.1; done'
	local end
	end=$(host_end)
	[[ $end == veth* ]] || fail "host end: '$end'"
	run -0 ip -n "$HOST_NS" -o link show master mini0
	assert_output --partial "$end@"
	assert_not_equal "$(ns_of "$CTR_INIT" net)" "$(ns_of $$ net)"
	kill -TERM "$CTR_INIT"
	wait_ctr
	assert_equal "$CTR_STATUS" 0
	wait_no_veth
}

@test "net: the host end is gone after SIGKILL of COMMAND, and of the runtime ($STEP)" {
	requires_root
	start_ctr -- sh -c 'echo ready; exec sleep 60'
	host_links | grep -qx "$(host_end)"
	kill -KILL "$CTR_INIT"
	wait_ctr
	wait_no_veth
	start_ctr -- sh -c 'echo ready; exec sleep 60'
	local init=$CTR_INIT
	kill -KILL "$CTR_PID"
	wait_gone "$init"
	wait_no_veth
	next_run_cleans_up
	# The address claims went with the runtimes.
	run ip netns exec "$HOST_NS" ss -xlH
	refute_output --partial mini-container
}

@test "net: an address is claimed while its container runs ($STEP)" {
	requires_root
	start_ctr --ip 10.99.0.30/24 -- sh -c 'echo ready; exec sleep 60'
	run -0 ip netns exec "$HOST_NS" ss -xlH
	assert_output --partial "@mini-container/ip/10.99.0.30"
	run --separate-stderr ctr --ip 10.99.0.30/24 -- true
	assert_equal "$status" 125
	assert_equal "$stderr" "container: --ip '10.99.0.30/24': in use by another container: Address already in use"
}

@test "net: --no-net leaves loopback only, and it is up ($STEP)" {
	run -0 ctr --no-net -- sh -c 'ls /sys/class/net; ping -c 1 -W 5 127.0.0.1 >/dev/null && echo lo-works'
	assert_output "lo
lo-works"
	[ -z "$HOST_NS" ] || ! host_links | grep -q '^veth'
}

@test "net: unprivileged, loopback only, with a notice ($STEP)" {
	requires_unprivileged
	run --separate-stderr -0 ctr -- ls /sys/class/net
	assert_output lo
	assert_equal "$stderr" "container: notice: network: loopback only (a veth on the host needs root; rootless engines use slirp4netns or pasta)"
	run --separate-stderr ctr --ip 10.99.0.5/24 -- true
	assert_equal "$status" 125
	[[ $stderr == "container: --ip: a veth on the host needs root"* ]]
}

# Bad --ip: exit 125, one error line, and nothing created in the host namespace.
assert_bad_ip() {
	run --separate-stderr ctr --ip "$1" -- true
	assert_equal "$status" 125
	assert_equal "$(printf '%s\n' "$stderr" | wc -l)" 1
	[[ $stderr == "container: --ip '$1': $2"* ]] || fail "stderr: $stderr"
	run -0 host_links
	assert_output lo
}

@test "net: a malformed --ip is refused with exit 125 and no link ($STEP)" {
	requires_root
	local bad
	for bad in x 10.99.0.5 10.99.0.5/ /24 10.99.0.5/33 10.99.0.300/24 10.99.0/24 '' 10.99.0.5/24x; do
		assert_bad_ip "$bad" "expected ADDR/PREFIX"
	done
}

@test "net: an --ip outside the bridge's subnet, or reserved in it, is refused ($STEP)" {
	requires_root
	assert_bad_ip 10.99.0.5/16 "not in the bridge's subnet"
	assert_bad_ip 10.98.0.5/24 "not in the bridge's subnet"
	assert_bad_ip 10.99.0.1/24 "the gateway's address"
	assert_bad_ip 10.99.0.0/24 "the network address"
	assert_bad_ip 10.99.0.255/24 "the broadcast address"
	run --separate-stderr ctr --no-net --ip 10.99.0.5/24 -- true
	assert_equal "$status" 125
}

@test "net: runtimes in different PID namespaces get host ends that do not clash ($STEP)" {
	requires_root
	requires_command unshare
	# Each runtime below is PID 1 of a PID namespace of its own, and its
	# container's first process is PID 2 there: a host end named after
	# that PID would be veth2 for both.
	local i out pids=()
	for i in 1 2; do
		out=$BATS_TEST_TMPDIR/inner$i.out
		"${IN_HOST_NS[@]}" unshare --pid --fork --mount-proc "$CTR" -- \
			sh -c 'echo ready; exec sleep 60' >"$out" 2>&1 &
		pids+=("$!")
		BG_RUNTIMES+=("$!")
		wait_for_file_line "$out" ready || fail "container $i: $(cat "$out")"
		BG_INITS+=("$(child_of "$(child_of "${pids[-1]}")")")
	done
	run -0 ip -n "$HOST_NS" -o link show master mini0
	assert_equal "${#lines[@]}" 2
}
