#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make lint: sparse (C=2, W=1) against the Debian kernels named in
# LINT_KERNELS, and the kernel's checkpatch.pl (from Debian's linux-source
# package, cached) on module/ and the UAPI header.  Prints every finding;
# exits 1 if there is any.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
LINT_KERNELS=${LINT_KERNELS:-6.1 6.12}
BUILD=${SOCKTAP_BUILD:-$ROOT/build}
bad=0
# kbuild's " CHECK file" lines prove sparse ran; `make -s lint` would pass
# -s down through MAKEFLAGS and silence them, so the module builds here
# start from a clean make environment.
unset MAKEFLAGS MFLAGS MAKELEVEL

# shellcheck disable=SC2086
scripts/kernels.sh fetch $LINT_KERNELS > /dev/null || exit 1
for k in $LINT_KERNELS; do
	out=$BUILD/lint-$k
	rm -rf "$out"
	# The bench build: every file of the module, and module/bench.c.
	log=$(scripts/kernels.sh build "$k" "$ROOT" "$out" C=2 W=1 CONFIG_SOCKTAP_BENCH=y 2>&1)
	rc=$?
	# Everything sparse or gcc says about our files is a finding.
	findings=$(echo "$log" | grep -E '(warning|error):' || true)
	checked=$(echo "$log" | grep -c ' CHECK ')
	if [ $rc -ne 0 ] || [ -n "$findings" ]; then
		echo "sparse/$k: build exit $rc"
		echo "$findings"
		bad=1
	elif [ "$checked" -eq 0 ]; then
		# No file went through sparse: that proves nothing.
		echo "sparse/$k: no file was checked (is sparse installed?)"
		echo "$log" | tail -5
		bad=1
	else
		echo "sparse/$k: clean ($checked files checked)"
	fi
done

checkpatch=$(scripts/kernels.sh checkpatch) || exit 1
files=(module/*.c module/*.h include/uapi/linux/socktap.h)
if cp_out=$(perl "$checkpatch" --no-tree --strict --terse --show-types -f "${files[@]}" 2>&1); then
	echo "checkpatch: clean (${#files[@]} files, --strict)"
else
	echo "$cp_out" | grep -v '^total:'
	bad=1
fi
exit $bad
