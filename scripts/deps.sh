#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Installs what building, testing and the demo need, with apt, on a fresh
# Debian (bookworm) machine.  Shared by `make demo`, `make check` and CI.
# Only missing packages are installed, so a second run costs a second.
set -euo pipefail

PKGS=(
	# build: module (kbuild of the Debian headers) and CLI
	make gcc gcc-12 libc6-dev libelf-dev bc flex bison dwarves kmod pkg-config
	libnl-3-dev libnl-genl-3-dev libdw-dev rsync
	# the debug kernel (scripts/debug-kernel.sh builds linux-source-6.1;
	# bc, flex, bison and libelf-dev are above)
	libssl-dev
	# kernel fetcher and trixie build chroot
	apt-utils dpkg-dev debootstrap xz-utils zstd ca-certificates
	# guest runner
	qemu-system-x86 busybox-static cpio
	# tools the tests use inside the guest (the host root is shared)
	python3 iproute2 nftables iperf3 sockperf bpftrace util-linux procps
	# promtool (check metrics of socktap metrics, tests/guest/t_metrics.sh)
	prometheus
	# lint (lintian: the Debian packages of make deb)
	sparse perl lintian
	# Debian packages (make deb; scripts/deb-test.sh needs debootstrap above)
	debhelper dh-dkms dkms
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages: ${missing[*]}; run as root (or: sudo $0)" >&2
	exit 1
fi
echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
