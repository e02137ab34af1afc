#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deb-test: follow the README's install section word for word in a
# fresh Debian bookworm root, as a new user on a fresh machine would, and
# use what it installed.  As root.
#
#   scripts/deb-test.sh [SERIES]     (default 6.1: a kernel of the matrix)
#
# A minimal bookworm root is debootstrapped once into
# $SOCKTAP_CACHE/deb-root/base (default ~/.cache/socktap) from the mirror
# scripts/kernels.sh resolves (apt sources, or SOCKTAP_MIRROR); its apt
# lists are refreshed when a day old, and apt's downloads are kept in
# $SOCKTAP_CACHE/deb-root/archives.  Each run gets a fresh root over it
# (overlayfs with the upper layer in build/deb-test/; a copy without
# overlayfs) in a private mount namespace, the source tree copied to
# /root/socktap (git's tracked and new files, like a clone), and the
# README's two install blocks (between the install-deb and install-src
# markers) extracted to scripts.  scripts/deb-test-root.sh runs them there
# and checks the result: DKMS built and installed the module for SERIES'
# kernel (whose linux-headers package the README's apt-get installs), the
# CLI, man page, completion and example work, purge and `make uninstall`
# remove them.  The one thing faked: `uname -r` answers SERIES' release,
# since the root runs on the host's kernel.
# Prints "PASS name" / "FAIL name: why" lines like tests/run.sh; exit status
# 1 when anything failed, 2 when the test could not run.  Logs in
# build/deb-test/ (and the run's root layer, after a failure).
# SOCKTAP_OFFLINE=1: no debootstrap, no apt-get update (apt-get install
# still needs the packages in the archives cache).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VERSION=$(cat "$ROOT/VERSION")
CACHE=${SOCKTAP_CACHE:-$HOME/.cache/socktap}
DR=$CACHE/deb-root
BASE=$DR/base
ARCHIVES=$DR/archives
W=$ROOT/build/deb-test
SUITE=bookworm
OFFLINE=${SOCKTAP_OFFLINE:-0}

die() { echo "deb-test.sh: $*" >&2; exit 2; }
log() { echo "deb-test.sh: $*" >&2; }

# chroot_run ROOT CMD...: CMD in the chroot ROOT with /dev, /proc and
# apt's archives bound in.  Only ever called in a private mount namespace
# (the --ns modes below), so nothing stays mounted whatever happens.
chroot_run() {
	local r=$1
	shift
	mount --bind /dev "$r/dev"
	mount -t proc proc "$r/proc"
	mount --bind "$ARCHIVES" "$r/var/cache/apt/archives"
	chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
		${http_proxy:+"http_proxy=$http_proxy"} ${https_proxy:+"https_proxy=$https_proxy"} "$@"
}

# What the host's apt needs to reach the mirror (a proxy; no Valid-Until
# check for a snapshot mirror), for the root's apt too.
host_apt_conf() {
	apt-config dump 2> /dev/null |
		grep -E '^Acquire::(https?::Proxy|Check-Valid-Until|Check-Date) ' || true
}

# Internal modes, run by this script under unshare -m.
case ${1:-} in
--ns-update)
	cp /etc/resolv.conf "$BASE/etc/resolv.conf" 2> /dev/null || true
	host_apt_conf > "$BASE/etc/apt/apt.conf.d/90socktap-host"
	chroot_run "$BASE" apt-get -q update
	exit
	;;
--ns-run)
	# The run's root over the base; the packages and the test in /tmp/debs.
	shift
	r=$W/root
	if ! mount -t overlay overlay -o "lowerdir=$BASE,upperdir=$W/upper,workdir=$W/work" "$r" 2> /dev/null; then
		log "no overlayfs: copying the base root"
		r=$W/copy
		cp -a "$BASE" "$r"
	fi
	mkdir -p "$r/tmp/debs" "$r/root/socktap"
	cp "$W/install-deb.sh" "$W/install-src.sh" "$ROOT/scripts/deb-test-root.sh" "$r/tmp/debs/"
	tar -xf "$W/src.tar" -C "$r/root/socktap"
	cp /etc/resolv.conf "$r/etc/resolv.conf" 2> /dev/null || true
	host_apt_conf > "$r/etc/apt/apt.conf.d/90socktap-host"
	rc=0
	chroot_run "$r" /bin/bash /tmp/debs/deb-test-root.sh "$VERSION" "$KVER" || rc=$?
	cp "$r"/tmp/*.log "$W/" 2> /dev/null || true
	exit $rc
	;;
esac

SERIES=${1:-6.1}
T0=$SECONDS
((EUID == 0)) || die "needs root (debootstrap, chroot, mounts)"
for t in debootstrap unshare chroot mount flock apt-config; do
	command -v "$t" > /dev/null || die "$t missing (scripts/deps.sh)"
done
# The kernel whose linux-headers package the README installs: the newest
# of SERIES, as scripts/kernels.sh resolves it.
if ! env=$("$ROOT/scripts/kernels.sh" env "$SERIES" 2> /dev/null); then
	log "fetching kernel $SERIES"
	"$ROOT/scripts/kernels.sh" fetch "$SERIES" > /dev/null || die "kernels.sh fetch $SERIES failed"
	env=$("$ROOT/scripts/kernels.sh" env "$SERIES") || die "kernel $SERIES not available"
fi
eval "$env"
[[ -z ${KCHROOT:-} ]] || die "kernel $SERIES is built in a ${KSUITE:-newer} chroot, not on bookworm: pick 5.10, 6.1, 6.12 or 6.12-rt"
export KVER VERSION ROOT W BASE ARCHIVES

# The mirror and keyring, resolved as scripts/kernels.sh does.
mirror_env=$("$ROOT/scripts/kernels.sh" mirror) || die "kernels.sh mirror failed"
eval "$mirror_env"

mkdir -p "$DR" "$ARCHIVES/partial" "$W"
# One run at a time on the cached root.
exec 8> "$DR/.lock"
flock 8

# ------------------------------------------------------------ base root ---

want="$SUITE minbase $MIRROR $SECURITY_MIRROR"
if [[ ! -f $BASE/.socktap-complete || $(cat "$BASE/.socktap-complete") != "$want" ]]; then
	[[ $OFFLINE != 1 ]] || die "no cached $SUITE root and SOCKTAP_OFFLINE=1"
	log "debootstrap $SUITE into $BASE"
	t=$SECONDS
	rm -rf "$BASE.new" "$BASE"
	debootstrap --variant=minbase --keyring="$KEYRING" "$SUITE" "$BASE.new" "$MIRROR" \
		> "$DR/debootstrap.log" 2>&1 ||
		{ tail -20 "$DR/debootstrap.log" >&2; die "debootstrap failed (log: $DR/debootstrap.log)"; }
	cat > "$BASE.new/etc/apt/sources.list" <<-EOF
		deb $MIRROR $SUITE main
		deb $MIRROR $SUITE-updates main
		deb $SECURITY_MIRROR $SUITE-security main
	EOF
	rm -f "$BASE.new"/var/cache/apt/archives/*.deb
	echo "$want" > "$BASE.new/.socktap-complete"
	mv "$BASE.new" "$BASE"
	log "base root ready in $((SECONDS - t)) s"
fi

# Package lists: refreshed in the base once a day.
if [[ $OFFLINE != 1 ]] && [[ -z $(find "$BASE/.lists-updated" -mmin -1440 2> /dev/null) ]]; then
	log "apt-get update in the base root"
	t=$SECONDS
	if unshare -m --propagation private -- "$0" --ns-update > "$DR/update.log" 2>&1; then
		touch "$BASE/.lists-updated"
	else
		tail -5 "$DR/update.log" >&2
		die "apt-get update in $BASE failed (log: $DR/update.log)"
	fi
	log "apt-get update: $((SECONDS - t)) s"
fi

# -------------------------------------------------------------- the run ---

rm -rf "$W/upper" "$W/work" "$W/root" "$W/copy" "$W"/*.log "$W"/*.sh "$W/src.tar"
mkdir -p "$W/upper" "$W/work" "$W/root"
# The README's blocks, as written.
for b in install-deb install-src; do
	sed -n "/^<!-- $b:begin -->/,/^<!-- $b:end -->/p" "$ROOT/README.md" |
		sed '/^<!--/d; /^```/d' > "$W/$b.sh"
	[[ -s $W/$b.sh ]] || die "no $b block in README.md"
done
# The source as a clone has it: tracked and new files, nothing ignored.
(
	cd "$ROOT"
	if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
		git ls-files -z --cached --others --exclude-standard |
			while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
			tar -cf "$W/src.tar" --null --no-recursion -T -
	else
		tar -cf "$W/src.tar" --exclude=./build --exclude='*.o' --exclude='*.ko' .
	fi
)
t=$SECONDS
rc=0
unshare -m --propagation private -- "$0" --ns-run > "$W/test.log" 2>&1 || rc=$?

grep -E '^(PASS|FAIL) ' "$W/test.log" || true
if ! grep -q '^PASS deb/readme_deb' "$W/test.log"; then
	echo "FAIL deb/run: exit $rc: $(grep -vE '^(PASS|FAIL|#) ' "$W/test.log" | tail -3 | tr '\n' ' ')"
	rc=1
fi
sed -n 's/^# /deb-test.sh: /p' "$W/test.log" >&2
log "run in the fresh root: $((SECONDS - t)) s; all: $((SECONDS - T0)) s (logs: $W)"
if grep -q '^FAIL ' "$W/test.log" || ((rc)); then exit 1; fi
# Passed: the run's root layer goes (kept after a failure, for a look).
rm -rf "$W/upper" "$W/work" "$W/root" "$W/copy"
exit 0
