#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The package test proper, run by scripts/deb-test.sh inside the fresh
# bookworm root (as root, the packages in the current directory):
#
#   deb-test-root.sh VERSION KVER KDIR SOCKTAP-DKMS.deb SOCKTAP.deb [KDEPS]
#
# KDEPS: the packages the kernel's headers packages depend on, installed
# first (the kernel itself is unpacked at KDIR, not installed).
#
# PASS/FAIL lines; "# ..." lines are timings.
set -u
VERSION=$1 KVER=$2 KDIR=$3 DKMS_DEB=$4 CLI_DEB=$5 KDEPS=${6:-}
pass() { echo "PASS deb/$1"; }
fail() { echo "FAIL deb/$1: $2"; }
oneline() { tr '\n' ' ' | tr -s ' ' | cut -c1-300; }

if [ -n "$KDEPS" ]; then
	t=$SECONDS
	# shellcheck disable=SC2086 # a list of package names
	if apt-get install -y -q --no-install-recommends $KDEPS > /tmp/apt-kernel-deps.log 2>&1; then
		pass kernel_headers_deps
	else
		fail kernel_headers_deps "$KDEPS: $(tail -3 /tmp/apt-kernel-deps.log | oneline)"
	fi
	echo "# the headers' Depends ($KDEPS): $((SECONDS - t)) s"
fi

t=$SECONDS
if apt-get install -y -q --no-install-recommends "./$DKMS_DEB" "./$CLI_DEB" > /tmp/apt-install.log 2>&1; then
	pass apt_install
else
	fail apt_install "$(tail -4 /tmp/apt-install.log | oneline)"
	exit 0
fi
echo "# apt-get install: $((SECONDS - t)) s, $(grep -c '^Setting up' /tmp/apt-install.log) packages set up"
for p in socktap-dkms socktap dkms make; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	if [ "$s" = "install ok installed" ]; then pass "installed_$p"; else fail "installed_$p" "dpkg says '$s'"; fi
done
# dkms: gcc | c-compiler (gcc-12 when the headers brought it first)
cc=$(find /usr/bin -maxdepth 1 -name 'gcc' -o -maxdepth 1 -name 'gcc-[0-9]*' | head -1)
if [ -n "$cc" ]; then pass installed_compiler; else fail installed_compiler "no gcc in /usr/bin"; fi

# The source DKMS builds from, and the postinst's dkms add.
missing=''
for f in dkms.conf Kbuild Makefile VERSION module/main.c include/uapi/linux/socktap.h; do
	[ -f "/usr/src/socktap-$VERSION/$f" ] || missing+=" $f"
done
if [ -z "$missing" ]; then pass dkms_source; else fail dkms_source "missing in /usr/src/socktap-$VERSION:$missing"; fi
st=$(dkms status -m socktap -v "$VERSION" 2>&1)
case $st in
*"socktap/$VERSION"*added*) pass dkms_added ;;
*) fail dkms_added "dkms status: $(echo "$st" | oneline)" ;;
esac

t=$SECONDS
if dkms build "socktap/$VERSION" -k "$KVER" --kernelsourcedir "$KDIR" > /tmp/dkms-build.log 2>&1; then
	pass dkms_build
else
	fail dkms_build "$(grep -E 'error|Error' "/var/lib/dkms/socktap/$VERSION/build/make.log" 2>/dev/null | head -3 | oneline) (make.log in build/deb-test/dkms-make.log)"
fi
cp "/var/lib/dkms/socktap/$VERSION/build/make.log" /tmp/dkms-make.log 2>/dev/null
echo "# dkms build: $((SECONDS - t)) s"
st=$(dkms status -m socktap -v "$VERSION" -k "$KVER" 2>&1)
case $st in
*"socktap/$VERSION, $KVER, "*": built"*) pass dkms_status_built ;;
*) fail dkms_status_built "dkms status: $(echo "$st" | oneline)" ;;
esac
ko=$(find "/var/lib/dkms/socktap/$VERSION/$KVER" -name 'socktap.ko*' 2>/dev/null | head -1)
if [ -n "$ko" ]; then
	vm=$(modinfo -F vermagic "$ko" 2>&1) mv=$(modinfo -F version "$ko" 2>&1)
	case "$vm" in
	"$KVER "*) pass module_vermagic ;;
	*) fail module_vermagic "$ko: vermagic '$vm', want $KVER" ;;
	esac
	if [ "$mv" = "$VERSION" ]; then pass module_version; else fail module_version "$ko: version '$mv'"; fi
else
	fail module_vermagic "no socktap.ko under /var/lib/dkms/socktap/$VERSION/$KVER"
fi
# dkms install wants the kernel installed: what linux-image would leave in
# /lib/modules/KVER (without its modules), from the unpacked kernel.
kroot=${KDIR%/usr/src/*}
mkdir -p "/lib/modules/$KVER"
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -f "$kroot/lib/modules/$KVER/$f" ] && cp "$kroot/lib/modules/$KVER/$f" "/lib/modules/$KVER/"
done
if dkms install "socktap/$VERSION" -k "$KVER" > /tmp/dkms-install.log 2>&1 &&
   [ -n "$(find "/lib/modules/$KVER" -name 'socktap.ko*' 2>/dev/null)" ]; then
	pass dkms_install
else
	fail dkms_install "$(tail -3 /tmp/dkms-install.log | oneline)"
fi
# depmod ran: modprobe and modinfo find it by name.
mv=$(modinfo -k "$KVER" -F version socktap 2>&1)
if [ "$mv" = "$VERSION" ]; then pass modinfo_by_name; else fail modinfo_by_name "modinfo -k $KVER socktap: '$mv'"; fi

# The CLI runs: its version, and status without the module (exit 3).
out=$(socktap -V 2>&1)
if [ "$out" = "socktap $VERSION" ]; then pass cli_version; else fail cli_version "socktap -V: '$out'"; fi
if [ "$(command -v socktap)" = /usr/sbin/socktap ]; then pass cli_path; else fail cli_path "socktap is '$(command -v socktap)'"; fi
out=$(socktap status 2>&1); rc=$?
if [ $rc -eq 3 ] && echo "$out" | grep -q 'module is not loaded'; then
	pass cli_status_no_module
else
	fail cli_status_no_module "exit $rc: $(echo "$out" | oneline)"
fi
out=$(socktap hist -h 2>&1); rc=$?
if [ $rc -eq 0 ] && echo "$out" | grep -q '^usage: socktap hist'; then pass cli_help; else fail cli_help "socktap hist -h: exit $rc"; fi

# Man page, completion, example.
man=/usr/share/man/man8/socktap.8.gz
if [ -f $man ] && zcat $man | grep -q '^\.TH SOCKTAP 8'; then pass man_page; else fail man_page "no $man with .TH SOCKTAP 8"; fi
if command -v man > /dev/null; then
	w=$(man -w socktap 2>&1)
	if [ "$w" = $man ]; then pass man_w; else fail man_w "man -w socktap: $w"; fi
fi
comp=/usr/share/bash-completion/completions/socktap
if [ -f $comp ]; then
	out=$(bash -c 'source "$1" && complete -p socktap && COMP_WORDS=(socktap wa) COMP_CWORD=1 && _socktap && echo "${COMPREPLY[*]}"' _ $comp 2>&1)
	case $out in
	*"complete -F _socktap socktap"*watch) pass completion ;;
	*) fail completion "sourcing $comp: $(echo "$out" | oneline)" ;;
	esac
else
	fail completion "$comp missing"
fi
ex=/usr/share/doc/socktap/examples/socktap.conf
if [ -f $ex ] && grep -qx socktap $ex && grep -q 'modules-load.d' $ex; then pass example_modules_load; else fail example_modules_load "$ex missing or without the module line"; fi

# Removal: the prerm removes the module from DKMS, the source goes.
if apt-get purge -y -q socktap-dkms socktap > /tmp/apt-purge.log 2>&1; then
	st=$(dkms status -m socktap 2>&1)
	if [ -z "$st" ] && [ ! -e "/usr/src/socktap-$VERSION" ] && [ ! -e /usr/sbin/socktap ] &&
	   [ -z "$(find "/lib/modules/$KVER" -name 'socktap.ko*' 2>/dev/null)" ]; then
		pass purge
	else
		fail purge "left: dkms status '$(echo "$st" | oneline)'; $(find "/usr/src/socktap-$VERSION" /usr/sbin/socktap -maxdepth 0 2>/dev/null | oneline)"
	fi
else
	fail purge "$(tail -3 /tmp/apt-purge.log | oneline)"
fi
