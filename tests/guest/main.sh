#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the guest: every tests/guest/t_*.sh (or those named), each
# in its own bash, against the module KO and the CLI SOCKTAP.
#   main.sh SERIES KO SOCKTAP [TEST...]
# Exits 0 when every check passed, 1 otherwise.
set -u

SERIES=$1 KO=$2 SOCKTAP=$3
shift 3
GUEST_DIR=$(cd "$(dirname "$0")" && pwd)
export SERIES KO SOCKTAP GUEST_DIR
ip link set lo up

if [ $# -gt 0 ]; then
	tests=$(for t in "$@"; do echo "$GUEST_DIR/t_$t.sh"; done)
else
	tests=$(ls "$GUEST_DIR"/t_*.sh)
fi

status=0
for t in $tests; do
	TEST=$(basename "$t" .sh)
	TEST=${TEST#t_}
	export TEST
	out=$(mktemp)
	bash "$t" > >(tee "$out") 2>&1
	rc=$?
	wait
	# A script that dies early must not pass by printing nothing.
	if [ $rc -ne 0 ]; then
		status=1
		grep -q '^FAIL ' "$out" ||
			echo "FAIL $SERIES/$TEST/exit: script exited $rc without a FAIL line"
	fi
	grep -q '^PASS \|^FAIL ' "$out" ||
		{ echo "FAIL $SERIES/$TEST/empty: no checks ran"; status=1; }
	rm -f "$out"
	# Leave the next test a clean slate.
	if grep -q '^socktap ' /proc/modules; then
		rmmod socktap || echo "FAIL $SERIES/$TEST/cleanup: rmmod failed"
	fi
done
exit $status
