#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: on a fresh Debian machine, install what is needed, fetch a
# Debian kernel (DEMO_KERNEL, default 6.1), build socktap for it, boot it
# under QEMU, load socktap, make real traffic and show the CLI's output.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
K=${DEMO_KERNEL:-6.1}
BUILD=${SOCKTAP_BUILD:-$ROOT/build}

scripts/deps.sh
make -s cli
echo "== fetching Debian kernel $K"
scripts/kernels.sh fetch "$K"
echo "== building socktap.ko for it"
scripts/kernels.sh build "$K" "$ROOT" "$BUILD/$K" > "$BUILD/demo-build.log" 2>&1 ||
	{ tail -20 "$BUILD/demo-build.log"; exit 1; }
echo "== booting it under QEMU"
exec scripts/vm.sh --kernel "$K" --timeout 600 -- \
	"$ROOT/scripts/demo-guest.sh" "$BUILD/$K/socktap.ko" "$ROOT/userspace/socktap"
