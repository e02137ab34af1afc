# SPDX-License-Identifier: GPL-2.0
# Helpers for tests that run inside the guest (sourced, POSIX sh/bash).
# Every check prints exactly one "PASS name" or "FAIL name: why" line,
# the format tests/run.sh counts.

: "${SERIES:=?}"
: "${TEST:=?}"
GUEST_FAILS=0

pass() { echo "PASS $SERIES/$TEST/$1"; }
fail() {
	echo "FAIL $SERIES/$TEST/$1: $2"
	GUEST_FAILS=$((GUEST_FAILS + 1))
}

# check_eq NAME GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}

# check_cmd NAME CMD...: passes when CMD exits 0
check_cmd() {
	_n=$1; shift
	if _out=$("$@" 2>&1); then pass "$_n"; else fail "$_n" "'$*' failed: $(echo "$_out" | tail -3)"; fi
}

# check_grep NAME PATTERN TEXT
check_grep() {
	if printf '%s\n' "$3" | grep -qE -- "$2"; then pass "$1"; else fail "$1" "no /$2/ in: $(printf '%s' "$3" | head -5)"; fi
}

# check_line NAME LINE TEXT: TEXT has exactly LINE as one of its lines
check_line() {
	if printf '%s\n' "$3" | grep -qxF -- "$2"; then pass "$1"; else fail "$1" "no line '$2' in: $(printf '%s' "$3" | head -3)"; fi
}

# Kernel MIB counter from /proc/net/snmp or /proc/net/netstat: mib Tcp ActiveOpens
mib() {
	awk -v p="$1:" -v k="$2" '
		$1 == p && !h { for (i = 2; i <= NF; i++) n[i] = $i; h = 1; next }
		$1 == p && h { for (i = 2; i <= NF; i++) if (n[i] == k) print $i; exit }
	' /proc/net/snmp /proc/net/netstat
}

# Hits of one probe as the CLI reports them (JSON, parsed by python3).
probe_field() {
	"$SOCKTAP" probe -j list "$1" | python3 -c '
import json, sys
print(json.load(sys.stdin)[0][sys.argv[1]])' "$2"
}

# Messages the kernel must never print while socktap is loaded.
dmesg_bad() {
	dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace|kmemleak|leak|general protection|UBSAN|KASAN' || true
}

DBG=/sys/kernel/debug/socktap

# Hits of one probe from debugfs: reading a file makes no socket calls,
# so it does not disturb the counters it reads (the CLI's netlink would).
hits() {
	awk -v n="$1" '$1 == n { print $4; f = 1 } END { if (!f) print "none" }' "$DBG/probes"
}
state() {
	awk -v n="$1" '$1 == n { print $3; f = 1 } END { if (!f) print "none" }' "$DBG/probes"
}

load() {
	insmod "$KO" "$@"
}

# A line of debugfs status: no socket call, so no table lookup of our own.
dstat() { awk -v k="$1" '$1 == k { print $2 }' "$DBG/status"; }
# wait_dstat KEY VALUE [SEC]: until debugfs shows it (frees wait for RCU,
# closed TCP sockets for their last segments), at most SEC (10) seconds.
wait_dstat() {
	local end=$((SECONDS + ${3:-10}))
	while [ "$(dstat "$1")" != "$2" ] && [ $SECONDS -lt $end ]; do
		sleep 0.1
	done
}

# bucket_delta BEFORE AFTER LO HI [NAME]: how many more samples the
# `socktap hist -j` output AFTER holds than BEFORE in buckets LO..HI (of
# histogram NAME, when the output has several); both read after the fact,
# when the range is known.
bucket_delta() {
	local q="buckets($3, $4${5:+, '$5'})"
	echo $(($(echo "$2" | $Q "$q") - $(echo "$1" | $Q "$q")))
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# A /proc/meminfo figure in kB: meminfo SUnreclaim
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
# Every slab cache's per-CPU slabs flushed and empty slabs freed
# (kmem_cache_shrink).
slab_shrink() {
	for f in /sys/kernel/slab/*/shrink; do echo 1 >"$f" 2>/dev/null; done
}
# nap_init DIR, then nap SEC: a sleep that starts no process (a loaded
# TCG guest takes up to seconds to start one): a read with a timeout on
# a FIFO (in DIR, on descriptor 9) nobody writes to.
nap_init() { mkfifo "$1/nap" && exec 9<>"$1/nap"; }
nap() { read -r -t "$1" _ <&9; }

# Leave with the number of failed checks as the exit status.
finish() {
	exit $((GUEST_FAILS > 100 ? 100 : GUEST_FAILS))
}
