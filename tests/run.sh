#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: host unit tests, lint, the Debian packages and the README's
# install section (scripts/deb.sh, scripts/deb-test.sh), then for each
# kernel of the matrix: fetch, build with W=1, boot under QEMU and run
# tests/guest/ inside it, then build and install through DKMS and boot that
# module (scripts/dkms.sh); last, when it is cached, a pass on the debug
# kernel (tests/debug.sh).  SKIP_LINT=1, SKIP_DEB=1, SKIP_DKMS=1,
# SKIP_DEBUG=1 leave those out.
#
#   KERNELS="6.1 7.3" tests/run.sh        a subset of the matrix
#   GUEST_TESTS="load hits" tests/run.sh  a subset of the guest tests
#   TORTURE_CYCLES=N                      load/unload cycles of t_torture.sh
#                                         (default 5 here; make torture: 100)
#   FUZZ_COUNT=N                          requests of t_fuzz.sh (its default:
#                                         10^6 on 6.1, 200000 elsewhere)
#
# One "PASS name" / "FAIL name: why" line per check; the last line is
# "N passed, N failed"; exit status 1 when anything failed.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit
KERNELS=${KERNELS:-5.10 6.1 6.12 6.12-rt 7.3}
GUEST_TESTS=${GUEST_TESTS:-}
BUILD=${SOCKTAP_BUILD:-$ROOT/build}
VM_TIMEOUT=${VM_TIMEOUT:-2400}
# 100 cycles take 20-35 min per kernel under TCG: make check runs a few
# on every kernel, make torture the 100 (tests/guest/t_torture.sh).
TORTURE_CYCLES=${TORTURE_CYCLES:-5}
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

# 1. Host unit tests of the CLI's logic.
for t in tests/unit/test_*; do
	[ -x "$t" ] && [ "${t%.c}" = "$t" ] || continue
	count < <("$t")
done

# The versions DKMS and the module report must be the one in VERSION.
v=$(cat VERSION)
dv=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
if [ "$dv" = "$v" ]; then pass host/dkms_version; else fail host/dkms_version "dkms.conf says '$dv', VERSION '$v'"; fi
cv=$(userspace/socktap -V)
if [ "$cv" = "socktap $v" ]; then pass host/cli_version; else fail host/cli_version "got '$cv'"; fi
cl=$(dpkg-parsechangelog -l debian/changelog -S Version 2>/dev/null)
if [ "${cl%-*}" = "$v" ]; then pass host/deb_version; else fail host/deb_version "debian/changelog says '$cl', VERSION '$v'"; fi
# socktap(8) and the bash completion against the CLI's -h and the module.
count < <(tests/man-check.sh)

# sparse and checkpatch: any finding fails.
if [ -z "${SKIP_LINT:-}" ]; then
	if scripts/lint.sh > "$BUILD/lint.log" 2>&1; then
		pass host/lint
	else
		fail host/lint "$(grep -v ': clean' "$BUILD/lint.log" | head -8 | tr '\n' ' ')"
	fi
fi

# 2. The kernels: fetched once, cached.
# shellcheck disable=SC2086
if ! scripts/kernels.sh fetch $KERNELS > "$BUILD/fetch.log" 2>&1; then
	fail fetch "scripts/kernels.sh fetch failed: $(tail -3 "$BUILD/fetch.log")"
fi

# 3. The Debian packages (lintian), and the README's install section
# followed in a fresh bookworm root for the 6.1 kernel (needs root).
if [ -z "$GUEST_TESTS" ] && [ -z "${SKIP_DEB:-}" ] && [[ " $KERNELS " == *" 6.1 "* ]]; then
	if LINTIAN=1 scripts/deb.sh > "$BUILD/deb.log" 2>&1; then
		pass host/deb_lintian
	else
		fail host/deb_lintian "$(grep -E '^deb.sh:|E:' "$BUILD/deb.log" | tail -3 | tr '\n' ' ')"
	fi
	dt=$(scripts/deb-test.sh 6.1 2> "$BUILD/deb-test.log")
	rc=$?
	count <<< "$dt"
	[ $rc -eq 0 ] || grep -q '^FAIL ' <<< "$dt" ||
		fail host/deb_test "exit $rc: $(tail -3 "$BUILD/deb-test.log" | tr '\n' ' ')"
fi

# One kernel: its PASS/FAIL lines (and the guest's other output) on
# stdout, counted by the caller.
kpass() { echo "PASS $1"; }
kfail() { echo "FAIL $1: $2"; }
one_kernel() {
	local k=$1 start out log warn rc dk
	start=$(date +%s)
	if ! scripts/kernels.sh env "$k" > /dev/null 2>&1; then
		kfail "$k/fetch" "kernel not available"
		return
	fi
	out=$BUILD/$k
	log=$BUILD/$k.build.log
	if scripts/kernels.sh build "$k" "$ROOT" "$out" W=1 > "$log" 2>&1 &&
	   [ -f "$out/socktap.ko" ]; then
		kpass "$k/build"
	else
		kfail "$k/build" "$(grep -E 'error|Error' "$log" | head -5)"
		return
	fi
	# W=1 must stay silent on every kernel of the matrix.
	warn=$(grep -E 'warning:' "$log" | head -5)
	if [ -z "$warn" ]; then kpass "$k/build_w1_no_warnings"; else kfail "$k/build_w1_no_warnings" "$warn"; fi

	rm -rf "$BUILD/$k.vm"
	# shellcheck disable=SC2086
	scripts/vm.sh --kernel "$k" --timeout "$VM_TIMEOUT" --out "$BUILD/$k.vm" --keep -- \
		"TORTURE_CYCLES=$TORTURE_CYCLES" ${FUZZ_COUNT:+"FUZZ_COUNT=$FUZZ_COUNT"} "$ROOT/tests/guest/main.sh" "$k" "$out/socktap.ko" "$ROOT/userspace/socktap" $GUEST_TESTS \
		> "$BUILD/$k.guest.log" 2>&1
	rc=$?
	cat "$BUILD/$k.guest.log"
	# 0 and 1 come from the guest's tests; anything else is the harness
	# (timeout, panic, WARN with panic_on_warn, no status).
	if [ $rc -le 1 ]; then
		kpass "$k/vm_completed"
	else
		kfail "$k/vm_completed" "vm.sh exit $rc: $(grep -v '^PASS\|^FAIL' "$BUILD/$k.guest.log" | tail -5 | tr '\n' ' ')"
	fi
	# A machine that does not mount debugfs: netlink only.
	if [ -z "$GUEST_TESTS" ]; then
		rc=0
		scripts/vm.sh --kernel "$k" --timeout 300 --append socktap_nodebugfs -- \
			"$ROOT/tests/guest/nodebugfs.sh" "$k" "$out/socktap.ko" "$ROOT/userspace/socktap" \
			> "$BUILD/$k.nodebugfs.log" 2>&1 || rc=$?
		cat "$BUILD/$k.nodebugfs.log"
		[ $rc -le 1 ] || kfail "$k/nodebugfs/vm_completed" "vm.sh exit $rc"
	fi
	# DKMS against the same headers, and its module booted.
	if [ -z "${SKIP_DKMS:-}" ]; then
		dk=$(scripts/dkms.sh test "$k" 2>&1) ||
			kfail "$k/dkms/script" "$(echo "$dk" | tail -2 | tr '\n' ' ')"
		echo "$dk"
	fi
	echo "# $k: $(($(date +%s) - start)) s" >&2
}

# 4. The debug kernel (KASAN, lockdep, kmemleak, KFENCE, DEBUG_OBJECTS),
# when scripts/debug-kernel.sh has a complete build cached: building it
# takes ~45 min and the whole suite on it hours (KASAN, lockdep and
# DEBUG_OBJECTS under TCG: t_capacity alone ran 15 min), more than CI has,
# so here a short pass (DEBUG_TESTS: loads and unloads under traffic, 5
# torture cycles, ~27 min) with the kmemleak scan after it.  make
# check-debug runs everything.  SKIP_DEBUG=1 leaves it out.
DEBUG_TESTS=${DEBUG_TESTS:-unload torture}
debug=''
if [ -z "$GUEST_TESTS" ] && [ -z "${SKIP_DEBUG:-}" ]; then
	if scripts/debug-kernel.sh status > /dev/null 2>&1; then
		debug=debug
	else
		echo "# debug-6.1: no cached debug kernel (scripts/debug-kernel.sh build), left out"
	fi
fi
one_debug() {
	GUEST_TESTS="$DEBUG_TESTS" TORTURE_CYCLES=${DEBUG_TORTURE_CYCLES:-5} \
		FUZZ_COUNT=${DEBUG_FUZZ_COUNT:-20000} VM_TIMEOUT=2700 \
		tests/debug.sh
}

# The kernels, and the debug pass, in JOBS lanes (default 2): a guest runs
# on one host thread (single-threaded TCG), so two guests use a 2-core
# machine fully.  The debug pass is the longest job, so it starts first
# (in a lane of its own it ran after the matrix with a core idle: 82 min
# of CI's 90).  Results are counted in KERNELS order once all are done.
JOBS=${SOCKTAP_JOBS:-2}
for k in $debug $KERNELS; do
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
	echo "# $k: started $(date +%T)"
	if [ "$k" = debug ]; then
		one_debug > "$BUILD/debug.result" 2>&1 &
	else
		one_kernel "$k" > "$BUILD/$k.result" 2>&1 &
	fi
done
wait
for k in $KERNELS $debug; do
	count < "$BUILD/$k.result"
	grep '^# ' "$BUILD/$k.result"
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
