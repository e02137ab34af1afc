#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deb: the Debian packages socktap-dkms and socktap.
#
#   scripts/deb.sh
#
# Copies the source tree (git's tracked and new files, nothing ignored, so no
# build products) to build/deb-src/socktap-VERSION, runs
# `dpkg-buildpackage -us -uc -b` there, moves the .debs, .changes and
# .buildinfo to build/deb/ and runs lintian on the .changes (its report in
# build/deb/lintian.log; any error fails).  The working tree is not touched:
# debian/rules clean would otherwise delete the developer's builds.
#
# Environment: DEB_BUILD_OPTIONS as usual (nocheck skips the unit tests);
# LINTIAN=0 skips lintian, LINTIAN=1 requires it (make check); by default
# it runs when installed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VERSION=$(cat "$ROOT/VERSION")
SRC=$ROOT/build/deb-src
OUT=$ROOT/build/deb
PKG=socktap-$VERSION

die() { echo "deb.sh: $*" >&2; exit 1; }

command -v dpkg-buildpackage > /dev/null || die "dpkg-buildpackage missing: apt-get install dpkg-dev (or scripts/deps.sh)"
# Before copying anything: say what to install.
if ! unmet=$(cd "$ROOT" && dpkg-checkbuilddeps 2>&1); then
	die "${unmet#dpkg-checkbuilddeps: error: }; apt-get install them (or scripts/deps.sh)"
fi

rm -rf "$SRC" "$OUT"
mkdir -p "$SRC/$PKG" "$OUT"
cd "$ROOT"
# tar, not rsync: a fresh Debian has tar.
if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
	# Tracked files still present, and new ones git does not ignore.
	git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar -cf - --null --no-recursion -T - | tar -xf - -C "$SRC/$PKG"
else
	tar -cf - --exclude=./build --exclude=.git --exclude='*.o' --exclude='*.ko' \
		--exclude='.*.cmd' --exclude=./userspace/socktap . | tar -xf - -C "$SRC/$PKG"
fi

echo "deb.sh: dpkg-buildpackage in $SRC/$PKG (log: $OUT/build.log)"
t0=$SECONDS
if ! (cd "$SRC/$PKG" && dpkg-buildpackage -us -uc -b) > "$OUT/build.log" 2>&1; then
	tail -25 "$OUT/build.log" >&2
	die "dpkg-buildpackage failed (log: $OUT/build.log)"
fi
shopt -s nullglob
files=("$SRC"/*.deb "$SRC"/*.ddeb "$SRC"/*.changes "$SRC"/*.buildinfo)
((${#files[@]})) || die "dpkg-buildpackage left no packages in $SRC"
mv "${files[@]}" "$OUT/"
rm -rf "$SRC"
echo "deb.sh: built in $((SECONDS - t0)) s:"
for f in "$OUT"/*.deb "$OUT"/*.changes; do echo "  build/deb/${f##*/}"; done

case ${LINTIAN:-auto} in
0) exit 0 ;;
auto)
	if ! command -v lintian > /dev/null; then
		echo "deb.sh: lintian is not installed: the packages were not checked"
		exit 0
	fi
	;;
*) command -v lintian > /dev/null || die "lintian missing: apt-get install lintian (or scripts/deps.sh)" ;;
esac
changes=("$OUT"/*.changes)
rc=0
lintian --fail-on error --display-info "${changes[@]}" > "$OUT/lintian.log" 2>&1 || rc=$?
sed 's/^/  lintian: /' "$OUT/lintian.log"
if [ $rc -ne 0 ]; then
	die "lintian found errors (exit $rc; $OUT/lintian.log)"
fi
echo "deb.sh: lintian: $(grep -c '^E:' "$OUT/lintian.log" || true) errors, $(grep -c '^W:' "$OUT/lintian.log" || true) warnings, $(grep -c '^I:' "$OUT/lintian.log" || true) info"
