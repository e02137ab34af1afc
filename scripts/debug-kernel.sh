#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the debug kernel the tests load socktap into (make check-debug):
# Debian's linux-source-6.1 with KASAN (generic, inline), lockdep, kmemleak,
# KFENCE and DEBUG_OBJECTS, trimmed to what a scripts/vm.sh guest needs, and
# everything the guest mounts (9p, overlay) built in.
#
# Usage: scripts/debug-kernel.sh [build|status|env]
#   build    (default) download linux-source-6.1 (the version of the 6.1
#            kernel of the matrix) with apt-get download through the private
#            apt state of scripts/kernels.sh, unpack, configure, check the
#            config, build bzImage and modules (-j$(nproc)), install the
#            modules; a complete cached build with the same config is reused
#   status   exit 0 when a complete build is cached (no network, no build)
#   env      print the env file (KVER, KROOT, KDIR, VMLINUZ, ...)
#
# Everything lives in ${SOCKTAP_CACHE:-~/.cache/socktap}/debug-6.1/:
#   debs/            the linux-source-6.1 .deb
#   root/usr/src/linux-source-6.1/
#                    the build tree: KDIR for out-of-tree modules, and the
#                    headers bpftrace reads in the guest
#   root/lib/modules/KVER/   make modules_install, depmod'ed
#   env              for scripts/vm.sh --kernel debug-6.1
#   stamp            package version + hash of the config: the build is
#                    complete and current
#   build.log        the last build's output
# Environment: SOCKTAP_CACHE, SOCKTAP_OFFLINE=1 (reuse the cached .deb),
# JOBS (make -j, default nproc).
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
CACHE=${SOCKTAP_CACHE:-$HOME/.cache/socktap}
OFFLINE=${SOCKTAP_OFFLINE:-0}
NAME=debug-6.1
D=$CACHE/$NAME
SRCPKG=linux-source-6.1
LOCALVERSION=-socktap-debug
JOBS=${JOBS:-$(nproc)}

die() { printf 'debug-kernel.sh: error: %s\n' "$*" >&2; exit 1; }
log() { printf 'debug-kernel.sh: %s\n' "$*" >&2; }
usage() {
	sed -n '/^# Usage:/,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
	exit "$1"
}

# ---------------------------------------------------------------- config ---
# Options that must end up =y: checked after olddefconfig, by name.
REQUIRED=(
	# socktap itself
	MODULES MODULE_UNLOAD KPROBES KRETPROBES KPROBES_ON_FTRACE FTRACE
	DYNAMIC_FTRACE FUNCTION_TRACER TRACEPOINTS STACKTRACE KALLSYMS
	KALLSYMS_ALL DEBUG_FS
	# the guest root (built in: the initramfs loads no modules)
	NET_9P NET_9P_VIRTIO 9P_FS 9P_FS_POSIX_ACL OVERLAY_FS VIRTIO_PCI
	VIRTIO_NET HW_RANDOM_VIRTIO TMPFS DEVTMPFS CGROUPS UNIX
	# what the guest tests use: veth + netem between namespaces, nft,
	# IPv6, bpftrace (kprobes, tracepoints and BTF-less headers)
	VETH NET_SCH_NETEM NET_SCH_TBF NET_SCH_HTB NET_SCH_PRIO NET_SCH_FQ
	NET_SCH_FQ_CODEL NET_SCH_INGRESS NET_CLS_U32 NET_CLS_ACT NET_ACT_GACT
	NF_TABLES NF_TABLES_INET NF_TABLES_IPV4 NF_TABLES_IPV6 NFT_CT NFT_REJECT
	NFT_LIMIT NFT_NUMGEN NFT_LOG NF_CONNTRACK IPV6 NET_NS INET_DIAG INET_TCP_DIAG
	INET_UDP_DIAG PACKET BPF_SYSCALL BPF_JIT BPF_EVENTS KPROBE_EVENTS
	# the checkers
	KASAN KASAN_GENERIC KASAN_INLINE KASAN_VMALLOC PROVE_LOCKING
	DEBUG_ATOMIC_SLEEP DEBUG_KMEMLEAK KFENCE DEBUG_OBJECTS
	DEBUG_OBJECTS_FREE DEBUG_OBJECTS_TIMERS DEBUG_OBJECTS_WORK
	DEBUG_OBJECTS_RCU_HEAD DEBUG_LIST DEBUG_INFO_NONE
)
# Options that must end up off.  kmemleak's automatic scan thread is off:
# it would print "kmemleak: N new suspected memory leaks" every 10 minutes
# in the middle of the tests (their dmesg checks fail on "leak") and scan
# 2 GB under TCG while they run; tests/debug.sh scans on demand after the
# last rmmod instead, which finds the same leaks at a known time.
FORBIDDEN=(DEBUG_INFO DEBUG_KMEMLEAK_AUTO_SCAN DEBUG_KMEMLEAK_DEFAULT_OFF
	KASAN_OUTLINE DRM SOUND USB_SUPPORT WLAN CFG80211 MODULE_SIG)
# Large subsystems a QEMU guest on a 9p root does not need, off for a
# faster build (x86_64_defconfig has i915, HDA sound, USB, wireless,
# SATA/SCSI, a dozen NIC drivers, NFS, ext4...).
DISABLE=(
	DRM AGP FB SOUND SND USB_SUPPORT WLAN WIRELESS CFG80211 MAC80211 RFKILL
	HID INPUT_JOYSTICK INPUT_TABLET INPUT_TOUCHSCREEN INPUT_MISC INPUT_MOUSE
	ETHERNET ATA SCSI MD BLK_DEV_SR EXT4_FS NFS_FS NFSD ROOT_NFS ISO9660_FS
	VFAT_FS MSDOS_FS FAT_FS QUOTA AUTOFS_FS SECURITY_SELINUX AUDIT PCCARD
	WATCHDOG MEDIA_SUPPORT HWMON THERMAL POWER_SUPPLY HIBERNATION SUSPEND
	VIRTUALIZATION MACINTOSH_DRIVERS X86_MCE MICROCODE CPU_FREQ
	PCIEAER DCB
	NETLABEL IP_PNP
	DEBUG_INFO DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT DEBUG_INFO_DWARF4
	DEBUG_INFO_DWARF5 DEBUG_INFO_BTF DEBUG_KMEMLEAK_AUTO_SCAN
	DEBUG_KMEMLEAK_DEFAULT_OFF KASAN_OUTLINE MODULE_SIG LOCALVERSION_AUTO
	# A guest 10x slower than hardware must not report its slowness as a
	# hang (INFO: task blocked fails the run in vm.sh).
	DETECT_HUNG_TASK
)
# Larger lockdep tables: the whole guest suite (namespaces, netfilter,
# bpftrace) runs out of the defaults ("BUG: MAX_LOCKDEP_ENTRIES too low").
SET_VAL=(LOCKDEP_BITS=16 LOCKDEP_CHAINS_BITS=17 LOCKDEP_STACK_TRACE_BITS=20
	LOCKDEP_STACK_TRACE_HASH_BITS=15 LOCKDEP_CIRCULAR_QUEUE_BITS=12
	DEBUG_KMEMLEAK_MEM_POOL_SIZE=32000)

# Everything that decides the built kernel: the stamp records its hash.
config_key() {
	{
		echo "$SRCPKG=$1 gcc=$(gcc -dumpfullversion) localversion=$LOCALVERSION"
		printf 'req %s\n' "${REQUIRED[@]}"
		printf 'off %s\n' "${FORBIDDEN[@]}"
		printf 'dis %s\n' "${DISABLE[@]}"
		printf 'val %s\n' "${SET_VAL[@]}"
	} | sha256sum | cut -c1-16
}

configure() { # SRCDIR
	local s=$1 o c missing=() bad=() v
	cfg() { "$s/scripts/config" --file "$s/.config" "$@"; }
	make -C "$s" -s x86_64_defconfig kvm_guest.config
	cfg --set-str LOCALVERSION "$LOCALVERSION"
	for o in "${REQUIRED[@]}"; do cfg -e "$o"; done
	for o in "${DISABLE[@]}"; do cfg -d "$o"; done
	for o in "${SET_VAL[@]}"; do cfg --set-val "${o%%=*}" "${o#*=}"; done
	# The choices: inline KASAN instrumentation, no debug info at all.
	cfg -d KASAN_OUTLINE -e KASAN_INLINE -d DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT -e DEBUG_INFO_NONE
	make -C "$s" -s olddefconfig
	# Kconfig silently drops what an unmet dependency forbids: say which.
	for o in "${REQUIRED[@]}"; do
		v=$(cfg -s "$o")
		[[ $v == y ]] || missing+=("CONFIG_$o=$v")
	done
	for o in "${FORBIDDEN[@]}"; do
		v=$(cfg -s "$o")
		[[ $v == undef || $v == n ]] || bad+=("CONFIG_$o=$v")
	done
	((${#missing[@]} == 0)) || die "required options not =y after olddefconfig: ${missing[*]}"
	((${#bad[@]} == 0)) || die "options that must be off are on after olddefconfig: ${bad[*]}"
	c=$(grep -c '=[ym]$' "$s/.config")
	log "config checked: ${#REQUIRED[@]} required options =y, $c options set"
}

# ------------------------------------------------------------------ fetch ---

# The 6.1 kernel of the matrix tells which Debian version to take: as
# cached (CACHED=1: no network, for the quick "is it built" check), or as
# fetched now, which also creates or refreshes kernels.sh's private
# bookworm apt state that the download uses.
source_version() {
	local out
	if [[ $OFFLINE == 1 || ${1:-} == cached ]]; then
		out=$("$ROOT/scripts/kernels.sh" env 6.1 2>/dev/null) || return 0
	else
		"$ROOT/scripts/kernels.sh" fetch 6.1 >&2 || die "scripts/kernels.sh fetch 6.1 failed"
		out=$("$ROOT/scripts/kernels.sh" env 6.1)
	fi
	sed -n 's/^KPKGVER=//p' <<<"$out"
}

fetch_source() { # VERSION: prints the .deb's path
	local ver=$1 aptconf=$CACHE/apt/bookworm/apt.conf deb
	mkdir -p "$D/debs"
	deb=$(ls "$D/debs/${SRCPKG}_${ver}_all.deb" 2>/dev/null || true)
	if [[ -z $deb ]]; then
		[[ $OFFLINE != 1 ]] || die "$SRCPKG $ver not cached and SOCKTAP_OFFLINE=1"
		[[ -r $aptconf ]] || die "$aptconf missing (scripts/kernels.sh fetch 6.1 sets it up)"
		log "downloading $SRCPKG=$ver"
		rm -rf "$D/debs/partial" && mkdir -p "$D/debs/partial"
		# apt-get download checks the .deb against the signed index's hash.
		(cd "$D/debs/partial" && apt-get -c "$aptconf" -q download "$SRCPKG=$ver") >&2 ||
			die "apt-get download $SRCPKG=$ver failed"
		mv "$D"/debs/partial/*.deb "$D/debs/"
		rmdir "$D/debs/partial"
		deb=$D/debs/${SRCPKG}_${ver}_all.deb
		[[ -s $deb ]] || die "$deb not downloaded"
		# Drop superseded versions.
		find "$D/debs" -maxdepth 1 -name "${SRCPKG}_*.deb" ! -path "$deb" -delete
	fi
	echo "$deb"
}

unpack_source() { # DEB: the tree to root/usr/src/$SRCPKG
	local deb=$1 x=$D/x.new tarball t0=$SECONDS
	rm -rf "$x" "$D/root"
	mkdir -p "$x" "$D/root/usr/src"
	dpkg-deb -x "$deb" "$x"
	tarball=$(find "$x/usr/src" -maxdepth 1 -name "$SRCPKG.tar.*" | head -1)
	[[ -n $tarball ]] || die "no $SRCPKG.tar.* in $deb"
	tar -xaf "$tarball" -C "$D/root/usr/src"
	rm -rf "$x"
	[[ -f $D/root/usr/src/$SRCPKG/Makefile ]] || die "$tarball has no $SRCPKG/Makefile"
	log "unpacked $SRCPKG in $((SECONDS - t0)) s"
}

# ----------------------------------------------------------------- build ---

write_env() { # VERSION KVER
	# shellcheck disable=SC2034 # all read through ${!v}
	local v SERIES=$NAME KSERIES=6.1 KPKGVER=$1 KVER=$2 KSUITE=bookworm
	# shellcheck disable=SC2034
	local KROOT=$D/root KDIR=$D/root/usr/src/$SRCPKG KCC=gcc KCHROOT=''
	local VMLINUZ=$KDIR/arch/x86/boot/bzImage
	{
		echo "# Generated by scripts/debug-kernel.sh"
		for v in SERIES KSERIES KVER KPKGVER KSUITE KROOT KDIR VMLINUZ KCC KCHROOT; do
			printf '%s=%q\n' "$v" "${!v}"
		done
	} >"$D/env.tmp"
	mv "$D/env.tmp" "$D/env"
}

complete() { # KEY: the cached build is complete and has this key
	local KVER='' VMLINUZ='' KROOT=''
	[[ -f $D/stamp && -f $D/env ]] || return 1
	[[ $(sed -n 's/^key=//p' "$D/stamp") == "$1" || -z $1 ]] || return 1
	# shellcheck source=/dev/null
	. "$D/env"
	[[ -s $VMLINUZ && -s $KROOT/lib/modules/$KVER/modules.dep ]]
}

cmd_build() {
	local ver key s kver deb t0=$SECONDS
	mkdir -p "$D"
	exec 8>"$D/.lock"
	flock -x 8
	# A complete build for the cached 6.1 version: done, in a second.
	ver=$(source_version cached)
	if [[ -n $ver ]] && complete "$(config_key "$ver")"; then
		# shellcheck source=/dev/null
		. "$D/env"
		echo "debug-kernel.sh: $KVER ready (cached, $SRCPKG $ver, config $(config_key "$ver")) in $((SECONDS - t0)) s"
		return 0
	fi
	ver=$(source_version)
	[[ -n $ver ]] || die "cannot tell the 6.1 kernel's Debian version"
	key=$(config_key "$ver")
	s=$D/root/usr/src/$SRCPKG
	deb=$(fetch_source "$ver")
	rm -f "$D/stamp"
	# A tree of another version is replaced; the same one is built again
	# incrementally (a config change rebuilds only what it touches).
	if [[ $(cat "$D/srcver" 2>/dev/null) != "$ver" || ! -f $s/Makefile ]]; then
		unpack_source "$deb"
		echo "$ver" >"$D/srcver"
	fi
	configure "$s"
	log "building with -j$JOBS (log: $D/build.log)"
	local tb=$SECONDS
	if ! make -C "$s" -j"$JOBS" bzImage modules >"$D/build.log" 2>&1; then
		grep -E 'error|Error' "$D/build.log" | head -20 >&2
		die "build failed (log: $D/build.log)"
	fi
	local build_s=$((SECONDS - tb))
	# (make kernelrelease before a build misses CONFIG_LOCALVERSION.)
	kver=$(cat "$s/include/config/kernel.release")
	[[ $kver == *"$LOCALVERSION" ]] || die "built $kver, expected a $LOCALVERSION release"
	# Only modules_install: the modules' build/source links keep pointing
	# at the tree, which stays usable as KDIR.
	rm -rf "$D/root/lib/modules/$kver"
	make -C "$s" -s INSTALL_MOD_PATH="$D/root" modules_install >>"$D/build.log" 2>&1 ||
		die "modules_install failed (log: $D/build.log)"
	depmod -b "$D/root" "$kver"
	# bpftrace in the guest looks for /usr/src/linux-headers-KVER (vm.sh
	# binds root/usr/src at /usr/src).
	ln -sfn "$SRCPKG" "$D/root/usr/src/linux-headers-$kver"
	write_env "$ver" "$kver"
	printf 'key=%s\nsrcver=%s\nkver=%s\nbuild_s=%s\n' "$key" "$ver" "$kver" "$build_s" >"$D/stamp"
	echo "debug-kernel.sh: $kver built in $build_s s (total $((SECONDS - t0)) s, $SRCPKG $ver, config $key, -j$JOBS): $D/env"
}

main() {
	local cmd=${1:-build}
	case $cmd in
	build) cmd_build ;;
	status) complete "" ;;
	env)
		complete "" || die "no complete debug kernel: run scripts/debug-kernel.sh"
		cat "$D/env"
		;;
	-h | --help | help) usage 0 ;;
	*) usage 2 >&2 ;;
	esac
}

main "$@"
