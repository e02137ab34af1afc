#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The install test proper, run by scripts/deb-test.sh inside a fresh
# bookworm root, as root:
#
#   deb-test-root.sh VERSION KVER
#
# /root/socktap holds the source tree; /tmp/debs/install-deb.sh and
# install-src.sh are the README's two install blocks, run as written
# (bash -e, in /root/socktap) with `uname -r` answering KVER.
#
# PASS/FAIL lines; "# ..." lines are timings.
set -u
VERSION=$1 KVER=$2
SRC=/root/socktap
pass() { echo "PASS deb/$1"; }
fail() { echo "FAIL deb/$1: $2"; }
oneline() { tr '\n' ' ' | tr -s ' ' | cut -c1-300; }

# The root runs on the host's kernel: only the release is faked, so that
# the README's linux-headers-$(uname -r) and DKMS (which builds for the
# running kernel) see the matrix kernel.
cat > /usr/local/bin/uname <<EOF
#!/bin/sh
[ "\$*" = -r ] && { echo $KVER; exit 0; }
exec /bin/uname "\$@"
EOF
chmod 0755 /usr/local/bin/uname
export PATH=/usr/local/sbin:/usr/local/bin:$PATH

# readme BLOCK: run a README block as a user would paste it.
readme() {
	local t=$SECONDS rc=0
	(cd "$SRC" && bash -e -x "/tmp/debs/$1.sh") > "/tmp/readme-$1.log" 2>&1 || rc=$?
	echo "# README $1: $((SECONDS - t)) s"
	if [ $rc -eq 0 ]; then
		pass "readme_${1#install-}"
	else
		fail "readme_${1#install-}" "exit $rc at: $(grep '^+ ' "/tmp/readme-$1.log" | tail -1): $(tail -3 "/tmp/readme-$1.log" | oneline)"
		return 1
	fi
}

# module_installed NAME: DKMS built and installed the module for KVER,
# depmod knows it, and it is the version of the tree.
module_installed() {
	local st ko vm mv
	st=$(dkms status -m socktap -v "$VERSION" -k "$KVER" 2>&1)
	case $st in
	*"socktap/$VERSION, $KVER, "*": installed"*) pass "$1/dkms_installed" ;;
	*) fail "$1/dkms_installed" "dkms status: $(echo "$st" | oneline); make.log: $(grep -E 'error|Error' /var/lib/dkms/socktap/"$VERSION"/build/make.log 2>/dev/null | head -3 | oneline)" ;;
	esac
	ko=$(find "/lib/modules/$KVER" -name 'socktap.ko*' 2>/dev/null | head -1)
	if [ -z "$ko" ]; then
		fail "$1/module_file" "no socktap.ko under /lib/modules/$KVER"
		return
	fi
	vm=$(modinfo -F vermagic "$ko" 2>&1)
	case "$vm" in
	"$KVER "*) pass "$1/module_vermagic" ;;
	*) fail "$1/module_vermagic" "$ko: vermagic '$vm', want $KVER" ;;
	esac
	# depmod ran: modprobe and modinfo find it by name.
	mv=$(modinfo -k "$KVER" -F version socktap 2>&1)
	if [ "$mv" = "$VERSION" ]; then pass "$1/modinfo_by_name"; else fail "$1/modinfo_by_name" "modinfo -k $KVER socktap: '$mv'"; fi
}

# cli_works NAME PATH MANPAGE COMPLETION: the installed CLI, its man page
# and completion.
cli_works() {
	local out rc w
	out=$("$2" -V 2>&1)
	if [ "$out" = "socktap $VERSION" ]; then pass "$1/cli_version"; else fail "$1/cli_version" "$2 -V: '$out'"; fi
	if [ "$(command -v socktap)" = "$2" ]; then pass "$1/cli_path"; else fail "$1/cli_path" "socktap is '$(command -v socktap)', want $2"; fi
	# This root cannot load modules: the CLI must say so.
	out=$(socktap status 2>&1); rc=$?
	if [ $rc -eq 3 ] && echo "$out" | grep -q 'module is not loaded'; then
		pass "$1/cli_status_no_module"
	else
		fail "$1/cli_status_no_module" "exit $rc: $(echo "$out" | oneline)"
	fi
	out=$(socktap hist -h 2>&1); rc=$?
	if [ $rc -eq 0 ] && echo "$out" | grep -q '^usage: socktap hist'; then pass "$1/cli_help"; else fail "$1/cli_help" "socktap hist -h: exit $rc"; fi
	if [ -f "$3" ] && { zcat -f "$3" | grep -q '^\.TH SOCKTAP 8'; }; then pass "$1/man_page"; else fail "$1/man_page" "no $3 with .TH SOCKTAP 8"; fi
	if command -v man > /dev/null; then
		w=$(man -w socktap 2>&1)
		# /usr/local/man is Debian's link to /usr/local/share/man.
		if [ "$(readlink -f "$w")" = "$(readlink -f "$3")" ]; then pass "$1/man_w"; else fail "$1/man_w" "man -w socktap: $w, want $3"; fi
	fi
	if [ -f "$4" ]; then
		out=$(bash -c 'source "$1" && complete -p socktap && COMP_WORDS=(socktap wa) COMP_CWORD=1 && _socktap && echo "${COMPREPLY[*]}"' _ "$4" 2>&1)
		case $out in
		*"complete -F _socktap socktap"*watch) pass "$1/completion" ;;
		*) fail "$1/completion" "sourcing $4: $(echo "$out" | oneline)" ;;
		esac
	else
		fail "$1/completion" "$4 missing"
	fi
}

# ------------------------------------------------ the packages (.deb) ---

readme install-deb || exit 0
echo "# apt-get installs: $(grep -h -c '^Setting up' /tmp/readme-install-deb.log) packages set up"
for p in socktap-dkms socktap dkms linux-headers-"$KVER"; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	if [ "$s" = "install ok installed" ]; then pass "pkg/installed_$p"; else fail "pkg/installed_$p" "dpkg says '$s'"; fi
done
# The source DKMS builds from, registered by the postinst.
missing=''
for f in dkms.conf Kbuild Makefile VERSION module/main.c include/uapi/linux/socktap.h; do
	[ -f "/usr/src/socktap-$VERSION/$f" ] || missing+=" $f"
done
if [ -z "$missing" ]; then pass pkg/dkms_source; else fail pkg/dkms_source "missing in /usr/src/socktap-$VERSION:$missing"; fi
module_installed pkg
cli_works pkg /usr/sbin/socktap /usr/share/man/man8/socktap.8.gz /usr/share/bash-completion/completions/socktap
ex=/usr/share/doc/socktap/examples/socktap.conf
if [ -f $ex ] && grep -qx socktap $ex && grep -q 'modules-load.d' $ex; then pass pkg/example_modules_load; else fail pkg/example_modules_load "$ex missing or without the module line"; fi

# Removal: the prerm removes the module from DKMS, the source goes.
if apt-get purge -y -q socktap-dkms socktap > /tmp/apt-purge.log 2>&1; then
	st=$(dkms status -m socktap 2>&1)
	if [ -z "$st" ] && [ ! -e "/usr/src/socktap-$VERSION" ] && [ ! -e /usr/sbin/socktap ] &&
	   [ -z "$(find "/lib/modules/$KVER" -name 'socktap.ko*' 2>/dev/null)" ]; then
		pass pkg/purge
	else
		fail pkg/purge "left: dkms status '$(echo "$st" | oneline)'; $(find "/usr/src/socktap-$VERSION" /usr/sbin/socktap -maxdepth 0 2>/dev/null | oneline)"
	fi
else
	fail pkg/purge "$(tail -3 /tmp/apt-purge.log | oneline)"
fi

# ------------------------------------------------- from the source tree ---

# What `make deb` left behind must not help: a fresh clone's state.
(cd "$SRC" && rm -rf build userspace/socktap)
readme install-src || exit 0
module_installed src
hash -r
cli_works src /usr/local/sbin/socktap /usr/local/share/man/man8/socktap.8 /usr/local/share/bash-completion/completions/socktap
if (cd "$SRC" && make -s uninstall) > /tmp/uninstall.log 2>&1 &&
   [ ! -e /usr/local/sbin/socktap ] && [ ! -e /usr/local/share/man/man8/socktap.8 ] &&
   [ ! -e /usr/local/share/bash-completion/completions/socktap ]; then
	pass src/uninstall
else
	fail src/uninstall "$(oneline < /tmp/uninstall.log)"
fi
if dkms remove "socktap/$VERSION" --all > /tmp/dkms-remove.log 2>&1 &&
   [ -z "$(dkms status -m socktap 2>&1)" ] &&
   [ -z "$(find "/lib/modules/$KVER" -name 'socktap.ko*' 2>/dev/null)" ]; then
	pass src/dkms_remove
else
	fail src/dkms_remove "$(tail -3 /tmp/dkms-remove.log | oneline)"
fi
