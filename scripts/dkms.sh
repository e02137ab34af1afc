#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# DKMS for socktap.
#
#   dkms.sh src DIR        write a clean DKMS source tree, DIR/socktap-VERSION
#   dkms.sh test SERIES    dkms add/build/install against a fetched kernel's
#                          unpacked headers (private DKMS trees under
#                          build/dkms/SERIES, nothing on the host touched),
#                          the config check, then boot that kernel and run
#                          the load test with the DKMS-built module.  Prints
#                          PASS/FAIL lines like tests/run.sh.
#   dkms.sh install [KVER] the real thing, as root: /usr/src/socktap-VERSION,
#                          dkms add, build and install for KVER (default:
#                          the running kernel)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VERSION=$(cat "$ROOT/VERSION")
NAME=socktap
SRC_ITEMS=(Kbuild Makefile VERSION dkms.conf module include)

die() { echo "dkms.sh: $*" >&2; exit 1; }

# What a DKMS tree needs and nothing else (no build/, no CLI objects).
cmd_src() {
	local dir=${1:?usage: dkms.sh src DIR}/$NAME-$VERSION
	rm -rf "$dir"
	mkdir -p "$dir"
	(cd "$ROOT" && cp -r "${SRC_ITEMS[@]}" "$dir/")
	echo "$dir"
}

pass() { echo "PASS $SERIES/dkms/$1"; }
fail() { echo "FAIL $SERIES/dkms/$1: $2"; }

cmd_test() {
	SERIES=${1:?usage: dkms.sh test SERIES}
	local w=$ROOT/build/dkms/$SERIES env log ko
	env=$("$ROOT/scripts/kernels.sh" env "$SERIES") || die "kernel $SERIES not fetched"
	eval "$env"
	rm -rf "$w"
	mkdir -p "$w/src" "$w/tree" "$w/install/$KVER"
	cmd_src "$w/src" > /dev/null
	local opts=(--dkmstree "$w/tree" --sourcetree "$w/src")
	local k=(-m "$NAME" -v "$VERSION" -k "$KVER")
	log=$w/dkms.log
	# Debian's 5.10 headers name gcc-10 as their compiler, which a
	# bookworm host lacks: like kernels.sh build, KCC stands in for it.
	local want
	want=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*\).*/\1/p' "$KDIR/.config")
	if [ -z "$KCHROOT" ] && [ -n "$want" ] && [ "$want" != "$KCC" ] &&
	   ! command -v "$want" > /dev/null; then
		mkdir -p "$w/bin"
		ln -sf "$(command -v "$KCC")" "$w/bin/$want"
		export PATH="$w/bin:$PATH"
	fi
	# Where this kernel's modules get built (7.x: its trixie chroot).
	kx() { "$ROOT/scripts/kernels.sh" exec "$SERIES" "$w" -- "$@"; }

	if kx dkms add -m "$NAME" -v "$VERSION" "${opts[@]}" > "$log" 2>&1; then
		pass add
	else
		fail add "$(tail -3 "$log" | tr '\n' ' ')"
		return
	fi
	if kx dkms build "${k[@]}" --kernelsourcedir "$KDIR" "${opts[@]}" >> "$log" 2>&1; then
		pass build
	else
		fail build "$(tail -5 "$w/tree/$NAME/$VERSION/build/make.log" 2>/dev/null | tr '\n' ' ')"
		return
	fi
	if kx dkms install "${k[@]}" "${opts[@]}" --installtree "$w/install" \
		--no-depmod --force >> "$log" 2>&1; then
		pass install
	else
		fail install "$(tail -3 "$log" | tr '\n' ' ')"
		return
	fi
	ko=$(find "$w/install/$KVER" -name "$NAME.ko*" | head -1)
	if [ -n "$ko" ]; then pass installed_module; else fail installed_module "no $NAME.ko under $w/install/$KVER"; return; fi
	local st
	st=$(kx dkms status -m "$NAME" -v "$VERSION" "${opts[@]}" --installtree "$w/install" 2>&1)
	case $st in
	*"$KVER"*installed*) pass status_installed ;;
	*) fail status_installed "dkms status: $st" ;;
	esac

	# A kernel without what socktap needs is refused at build time, with
	# the option named (the command-line variable overrides its config).
	local out
	out=$(kx make -C "$KDIR" M="$w/src/$NAME-$VERSION" CONFIG_KPROBES= modules 2>&1) &&
		fail config_check "built without CONFIG_KPROBES" ||
		case $out in
		*"lacks CONFIG_KPROBES"*) pass config_check ;;
		*) fail config_check "no clear message: $(echo "$out" | grep -i error | head -2)" ;;
		esac

	# The DKMS-built module loads and works (compressed modules included:
	# the host's kmod insmod reads them).
	local rc=0
	"$ROOT/scripts/vm.sh" --kernel "$SERIES" --timeout 300 -- \
		"$ROOT/tests/guest/main.sh" "$SERIES" "$ko" "$ROOT/userspace/socktap" load \
		> "$w/guest.log" 2>&1 || rc=$?
	sed -n "s#^\(PASS\|FAIL\) $SERIES/#\1 $SERIES/dkms/#p" "$w/guest.log"
	if [ $rc -le 1 ]; then pass vm_completed; else fail vm_completed "vm.sh exit $rc"; fi
}

cmd_install() {
	local kver=${1:-$(uname -r)} dir
	[ "$(id -u)" -eq 0 ] || die "install needs root"
	command -v dkms > /dev/null || die "dkms is not installed (apt-get install dkms)"
	dkms remove -m "$NAME" -v "$VERSION" --all > /dev/null 2>&1 || true
	dir=$(cmd_src /usr/src)
	dkms add "$dir"
	dkms build -m "$NAME" -v "$VERSION" -k "$kver"
	dkms install -m "$NAME" -v "$VERSION" -k "$kver"
	echo "installed: modprobe $NAME"
}

case ${1:-} in
src) shift; cmd_src "$@" ;;
test) shift; cmd_test "$@" ;;
install) shift; cmd_install "$@" ;;
*) sed -n '3,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
