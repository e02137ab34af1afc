#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-debug: socktap on the debug kernel of scripts/debug-kernel.sh
# (KASAN, lockdep, kmemleak, KFENCE, DEBUG_OBJECTS).  Builds the kernel if
# it is not cached (~30 min), builds the module against it with W=1, boots
# it under QEMU and runs every tests/guest/t_*.sh; after the last rmmod it
# asks kmemleak for leaks.  Fails on a leak whose backtrace is socktap's
# (st_ functions, [socktap], or an address inside a socktap that was loaded
# at the time) and on any KASAN/KFENCE/lockdep/DEBUG_OBJECTS report.
#
#   tests/debug.sh                          everything
#   GUEST_TESTS="load hits" tests/debug.sh  a subset of the guest tests
#   VM_TIMEOUT=SECONDS                      limit of the guest run (default 10800)
#   TORTURE_CYCLES=N                        t_torture.sh's cycles (default 100)
#   FUZZ_COUNT=N                            t_fuzz.sh's requests (its default
#                                           for a kernel other than 6.1: 200000)
#
# One "PASS name" / "FAIL name: why" line per check, the last line
# "N passed, N failed", exit status 1 when anything failed (as tests/run.sh).
# Logs: build/debug.*; the guest's files (kmsg.txt, kmemleak.txt) in
# build/debug.vm/.  Inside the guest it runs itself as:
#   tests/debug.sh --guest KO SOCKTAP [TEST...]
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
K=debug-6.1

# ------------------------------------------------------------ guest side ---
# Keeps the whole kernel log (the tests' dmesg -C does not clear what a
# /dev/kmsg reader gets), the text sections of every socktap it sees loaded
# (kmemleak prints raw addresses for code of an unloaded module), runs the
# suite, then two kmemleak scans.
guest() {
	local ko=$1 cli=$2 out=${SOCKTAP_OUT:-/mnt/out} rc=0 kp wp f t last='' cur s
	shift 2
	cat /dev/kmsg >"$out/kmsg.txt" &
	kp=$!
	(
		exec 3<> <(:)
		while :; do
			cur=''
			for f in /sys/module/socktap/sections/.*text*; do
				[ -r "$f" ] && read -r t <"$f" && cur="$cur ${f##*/}=$t"
			done
			if [ -n "$cur" ] && [ "$cur" != "$last" ]; then
				echo "$cur" >>"$out/sections.txt"
				last=$cur
			fi
			read -r -t 0.1 -u 3 || true
		done
	) &
	wp=$!
	"$ROOT/tests/guest/main.sh" "$K" "$ko" "$cli" "$@" || rc=$?
	kill "$wp"
	s=/sys/kernel/debug/kmemleak
	if [ -w $s ] && echo scan >$s && sleep 6 && echo scan >$s; then
		cat $s >"$out/kmemleak.txt"
	else
		echo "kmemleak not available" >"$out/kmemleak.failed"
	fi
	grep -h 'debug_locks' /proc/lockdep_stats >"$out/lockdep.txt" 2>&1
	sleep 1
	kill "$kp"
	return $rc
}
if [ "${1:-}" = --guest ]; then
	shift
	guest "$@"
	exit
fi

# ------------------------------------------------------------- host side ---
cd "$ROOT" || exit
GUEST_TESTS=${GUEST_TESTS:-}
BUILD=${SOCKTAP_BUILD:-$ROOT/build}
VM_TIMEOUT=${VM_TIMEOUT:-10800}
# Load/unload cycles of t_torture.sh (the debug kernel is ~5x slower).
TORTURE_CYCLES=${TORTURE_CYCLES:-100}
mkdir -p "$BUILD"

passed=0 failed=0
count() {
	local line
	while IFS= read -r line; do
		case $line in
		PASS\ *) passed=$((passed + 1)); echo "$line" ;;
		FAIL\ *) failed=$((failed + 1)); echo "$line" ;;
		*) [ -n "${VERBOSE:-}" ] && echo "  | $line" ;;
		esac
	done
}
pass() { count <<< "PASS $1"; }
fail() { count <<< "FAIL $1: $2"; }
finish() {
	echo "$passed passed, $failed failed"
	[ $failed -eq 0 ]
	exit
}

start=$(date +%s)
if scripts/debug-kernel.sh build > "$BUILD/debug.kernel.log" 2>&1; then
	pass "$K/kernel"
	grep '^debug-kernel.sh: .* \(built\|ready\)' "$BUILD/debug.kernel.log" | sed 's/^/# /'
else
	fail "$K/kernel" "$(tail -3 "$BUILD/debug.kernel.log" | tr '\n' ' ')"
	finish
fi
env=$(scripts/debug-kernel.sh env) && eval "$env"

# The module, W=1, against the debug tree (instrumented like the kernel).
# -g: the debug kernel has no DEBUG_INFO, and t_saturate reads the
# module's struct sizes with pahole.
out=$BUILD/$K
log=$BUILD/debug.build.log
rm -rf "$out" && mkdir -p "$out"
for i in Kbuild Makefile VERSION module include; do
	[ -e "$i" ] && cp -a "$i" "$out/"
done
if make -C "$KDIR" M="$out" CC="$KCC" KCFLAGS=-g W=1 modules > "$log" 2>&1 && [ -f "$out/socktap.ko" ]; then
	pass "$K/build"
else
	fail "$K/build" "$(grep -E 'error|Error' "$log" | head -5)"
	finish
fi
warn=$(grep -E 'warning:' "$log" | head -5)
if [ -z "$warn" ]; then pass "$K/build_w1_no_warnings"; else fail "$K/build_w1_no_warnings" "$warn"; fi

vm=$BUILD/debug.vm
rm -rf "$vm"
vstart=$(date +%s)
# 3 GB: KASAN's shadow takes an eighth, kmemleak and lockdep their share.
# log_buf_len: nothing of the kernel log is lost before kmsg.txt has it.
# shellcheck disable=SC2086
scripts/vm.sh --kernel "$K" --mem 3072 --timeout "$VM_TIMEOUT" --out "$vm" --keep \
	--append "log_buf_len=8M" -- \
	"TORTURE_CYCLES=$TORTURE_CYCLES" ${FUZZ_COUNT:+"FUZZ_COUNT=$FUZZ_COUNT"} \
	"$ROOT/tests/debug.sh" --guest "$out/socktap.ko" "$ROOT/userspace/socktap" $GUEST_TESTS \
	> "$BUILD/debug.guest.log" 2>&1
rc=$?
count < "$BUILD/debug.guest.log"
if [ $rc -le 1 ]; then
	pass "$K/vm_completed"
else
	fail "$K/vm_completed" "vm.sh exit $rc: $(grep -v '^PASS\|^FAIL' "$BUILD/debug.guest.log" | grep -E 'vm.sh|BUG|WARNING|ODEBUG' | head -5 | tr '\n' ' ')"
fi

# Reports of the checkers, anywhere in the kernel log: the kmsg record
# (or, when the guest died before writing it, the console).
klog=$vm/kmsg.txt
[ -s "$klog" ] || klog=$vm/console.log
report='BUG: KASAN|BUG: KFENCE|BUG: sleeping function|WARNING: (possible|inconsistent lock|suspicious RCU|bad unlock|held lock|lock held|Nested lock)|ODEBUG: |BUG: |WARNING: CPU|general protection fault|UBSAN: '
found=$(grep -E "$report" "$klog" 2>/dev/null | sed 's/^[0-9]*,[0-9]*,[0-9]*,[^;]*;//' | sort | uniq -c | head -8)
if [ -z "$found" ]; then
	pass "$K/no_kernel_reports"
else
	fail "$K/no_kernel_reports" "$(echo "$found" | tr -s ' \n' ' ') (full text: $klog)"
fi
if grep -q 'debug_locks: *1' "$vm/lockdep.txt" 2>/dev/null; then
	pass "$K/lockdep_still_on"
else
	fail "$K/lockdep_still_on" "lockdep turned itself off or no record: $(cat "$vm/lockdep.txt" 2>/dev/null)"
fi

# kmemleak: each leak is a block "unreferenced object ..." + "backtrace:".
# A frame is socktap's when it names st_* or [socktap], or is a raw address
# (no symbol: code that is gone) inside a text section of a loaded socktap
# that the guest recorded.  Raw frames no recorded socktap explains are
# reported as such (other freed code: bpf programs, ftrace trampolines).
if [ ! -f "$vm/kmemleak.txt" ]; then
	fail "$K/kmemleak" "no scan: $(cat "$vm/kmemleak.failed" 2>/dev/null || echo 'guest did not get there')"
else
	leaks=$(python3 - "$vm/kmemleak.txt" "$vm/sections.txt" "$out/socktap.ko" <<'EOF'
import re, subprocess, sys
def readelf(*args):
    return subprocess.run(["readelf", "-W", *args, sys.argv[3]], capture_output=True, text=True).stdout
text = open(sys.argv[1]).read()
secs = {}                         # index -> (name, size)
for m in re.finditer(r"\[\s*(\d+)\]\s+(\S+)\s+\S+\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)", readelf("-S")):
    secs[m.group(1)] = (m.group(2), int(m.group(3), 16))
size = {n: sz for n, sz in secs.values()}
funcs = {}                        # section name -> [(offset, symbol)]
for m in re.finditer(r"^\s*\d+:\s+([0-9a-f]+)\s+\d+\s+FUNC\s+\S+\s+\S+\s+(\d+)\s+(\S+)", readelf("-s"), re.M):
    if m.group(2) in secs:
        funcs.setdefault(secs[m.group(2)][0], []).append((int(m.group(1), 16), m.group(3)))
ranges = []                       # (start, end, section) of every recorded load
try:
    for line in open(sys.argv[2]):
        for item in line.split():
            sec, addr = item.split("=")
            a = int(addr, 16)
            if a and sec in size:
                ranges.append((a, a + size[sec], sec))
except OSError:
    pass
def where(a):
    for s, e, sec in ranges:
        if s <= a < e:
            off = a - s
            best = max((f for f in funcs.get(sec, []) if f[0] <= off), default=None)
            return "socktap %s+0x%x" % (best[1], off - best[0]) if best else "socktap %s+0x%x" % (sec, off)
    return None
ours = other = 0
for block in re.split(r"(?m)^(?=unreferenced object)", text):
    if not block.startswith("unreferenced object"):
        continue
    notes, mine, raw = [], "[socktap]" in block, False
    # "[<%pK>] %pS": the first may be hashed, the second is the raw
    # address when no symbol covers it.
    for m in re.finditer(r"\[<[0-9a-f]+>\] (\S+)", block):
        sym = m.group(1)
        if sym.startswith("st_"):
            mine = True
        if sym.startswith("0x"):
            w = where(int(sym, 16))
            if w:
                mine = True
                notes.append("%s = %s" % (sym, w))
            else:
                raw = True
    if mine:
        ours += 1
        print("SOCKTAP LEAK\n" + block.rstrip() + ("\n    " + "\n    ".join(notes) if notes else ""))
    elif raw:
        other += 1
        print("UNATTRIBUTED (raw frames in freed code, not a recorded socktap)\n" + block.rstrip())
print("SUMMARY %d %d %d" % (ours, other, text.count("unreferenced object")))
EOF
)
	echo "$leaks" > "$BUILD/debug.kmemleak.log"
	read -r _ ours other total <<< "$(echo "$leaks" | grep '^SUMMARY')"
	if [ "${ours:-x}" = 0 ]; then
		pass "$K/kmemleak_no_socktap_leak"
	else
		fail "$K/kmemleak_no_socktap_leak" "${ours:-?} leak(s) with socktap in the backtrace: $(echo "$leaks" | grep -m1 -A12 '^SOCKTAP LEAK' | tr -s ' \n' ' ') (all: $BUILD/debug.kmemleak.log)"
	fi
	echo "# kmemleak: ${total:-?} suspected leak(s) in all, ${ours:-?} socktap's, ${other:-?} with unattributed frames of freed code ($BUILD/debug.kmemleak.log)"
fi
echo "# $K: guest $(( $(date +%s) - vstart )) s, total $(( $(date +%s) - start )) s"
finish
