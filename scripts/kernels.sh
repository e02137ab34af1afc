#!/usr/bin/env bash
# kernels.sh - fetch Debian kernels (image + headers) into a private cache and
# build out-of-tree modules against them, without touching the host's apt
# state or kernel.
#
#   kernels.sh list                        series names, one per line
#   kernels.sh fetch SERIES...|all         resolve, download, unpack, fix up
#   kernels.sh env SERIES                  print $CACHE/kernels/SERIES/env
#   kernels.sh build SERIES SRC OUT [make args...]
#                                          build SRC's module for SERIES in OUT
#   kernels.sh checkpatch                  extract checkpatch.pl, print its path
#   kernels.sh exec SERIES [DIR...] -- CMD...
#                                          run CMD where SERIES' modules get
#                                          built (its chroot, DIRs bound in)
#   kernels.sh mirror                      print MIRROR=, SECURITY_MIRROR= and
#                                          KEYRING= (shell assignments) as
#                                          resolved here, for other scripts
#
# Environment:
#   SOCKTAP_CACHE            cache root (default ~/.cache/socktap)
#   SOCKTAP_MIRROR           Debian archive URI (default: from apt sources)
#   SOCKTAP_SECURITY_MIRROR  debian-security URI (default: from apt sources,
#                            else derived from SOCKTAP_MIRROR)
#   SOCKTAP_OFFLINE=1        no network: reuse apt lists, .debs and env files
#   SOCKTAP_KEYRING          archive keyring (default: Debian's system one)
#
# Nothing here hard-codes a mirror host or a kernel ABI: both are discovered at
# run time, because the mirror drops old kernels and the host's mirror may be a
# local proxy or snapshot.
set -euo pipefail

readonly SERIES_ALL=(5.10 6.1 6.12 6.12-rt 7.3)
# Bump when the unpack fix-ups change, so cached trees get redone.
readonly LAYOUT_VERSION=2
# Packages the 7.x build chroot needs: the compiler the headers were built with
# (added at run time), make, the kbuild tools' shared libraries (linux-kbuild's
# Depends: libelf1t64, libssl3t64, zlib1g), pahole for module BTF, kmod, bc
# and xz for compressed objects, and dkms (scripts/dkms.sh builds through it
# as a trixie user would).
readonly CHROOT_BASE_PKGS=(make libelf1t64 libssl3t64 zlib1g xz-utils dwarves kmod bc dkms)

CACHE=${SOCKTAP_CACHE:-$HOME/.cache/socktap}
OFFLINE=${SOCKTAP_OFFLINE:-0}
SYSTEM_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

die() { printf 'kernels.sh: error: %s\n' "$*" >&2; exit 1; }
log() { printf 'kernels.sh: %s\n' "$*" >&2; }

usage() {
	sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0" >&2
	exit 2
}

# ---------------------------------------------------------------- series ---

valid_series() {
	local s
	for s in "${SERIES_ALL[@]}"; do [[ $1 == "$s" ]] && return 0; done
	return 1
}

# The apt "group" (one private apt state) a series is resolved from.  Each
# group is its own state so that the candidate of the metapackage is simply
# the newest version within exactly those suites.
series_group() {
	case $1 in
	5.10) echo bullseye ;;
	6.1) echo bookworm ;;
	6.12 | 6.12-rt) echo bookworm-backports ;;
	7.3) echo trixie-backports ;;
	*) die "unknown series '$1' (try: ${SERIES_ALL[*]})" ;;
	esac
}

series_meta() {
	case $1 in
	*-rt) echo linux-image-rt-amd64 ;;
	*) echo linux-image-amd64 ;;
	esac
}

# "archive:suite" pairs making up a group; archive is main or security.
group_suites() {
	case $1 in
	bullseye | bookworm) echo "main:$1 security:$1-security" ;;
	bookworm-backports | trixie-backports) echo "main:$1" ;;
	# Only used to obtain a newer debian-archive-keyring package.
	keyring) echo "main:bullseye main:bullseye-updates main:bookworm main:bookworm-updates main:trixie main:trixie-updates" ;;
	*) die "internal: unknown group $1" ;;
	esac
}

# Trees from trixie(-backports) need glibc >= 2.38 and gcc-14: build in a
# trixie chroot.  Everything older builds on this (bookworm) host.
group_needs_chroot() { [[ $1 == trixie* ]]; }

# ---------------------------------------------------------------- mirror ---

# Print "URI SUITE" for every enabled deb entry in the system's apt sources
# (one-line .list files and deb822 .sources files).
apt_source_entries() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[[ -r $f ]] || continue
		sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && NF >= 3 { print $2, $3 }'
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[[ -r $f ]] || continue
		awk '
		function flush(   i, j, nu, ns, u, s) {
			if (types ~ /(^|[ \t])deb([ \t]|$)/ && enabled !~ /^[ \t]*[Nn][Oo]/) {
				nu = split(uris, u, /[ \t]+/); ns = split(suites, s, /[ \t]+/)
				for (i = 1; i <= nu; i++) if (u[i] != "")
					for (j = 1; j <= ns; j++) if (s[j] != "") print u[i], s[j]
			}
			types = uris = suites = enabled = cur = ""
		}
		/^#/ { next }
		/^[ \t]*$/ { flush(); next }
		/^[ \t]/ {
			if (cur == "uris") uris = uris " " $0
			else if (cur == "suites") suites = suites " " $0
			else if (cur == "types") types = types " " $0
			next
		}
		{
			k = tolower(substr($0, 1, index($0, ":") - 1)); v = substr($0, index($0, ":") + 1); cur = k
			if (k == "types") types = v; else if (k == "uris") uris = v
			else if (k == "suites") suites = v; else if (k == "enabled") enabled = v
		}
		END { flush() }' "$f"
	done
}

# Sets MIRROR and SECURITY_MIRROR.  The main mirror is the source serving a
# Debian codename suite (preferring a URI whose path ends in /debian); the
# security one serves a *-security suite, or is derived from the main one.
MIRROR='' SECURITY_MIRROR=''
resolve_mirrors() {
	[[ -n $MIRROR ]] && return 0
	local entries uri suite base codenames='buster bullseye bookworm trixie forky duke sid oldoldstable oldstable stable testing unstable'
	entries=$(apt_source_entries)
	MIRROR=${SOCKTAP_MIRROR:-}
	SECURITY_MIRROR=${SOCKTAP_SECURITY_MIRROR:-}
	if [[ -z $MIRROR ]]; then
		local fallback=''
		while read -r uri suite; do
			[[ -n $uri ]] || continue
			uri=${uri%/}
			[[ $suite == *-security || $suite == */* ]] && continue
			base=${suite%%-*}
			[[ " $codenames " == *" $base "* ]] || continue
			if [[ $uri == */debian ]]; then MIRROR=$uri; break; fi
			[[ -n $fallback ]] || fallback=$uri
		done <<<"$entries"
		MIRROR=${MIRROR:-$fallback}
	fi
	[[ -n $MIRROR ]] || die "no Debian archive found in /etc/apt/sources.list{,.d}; set SOCKTAP_MIRROR"
	MIRROR=${MIRROR%/}
	if [[ -z $SECURITY_MIRROR && -z ${SOCKTAP_MIRROR:-} ]]; then
		while read -r uri suite; do
			[[ -n $uri && $suite == *-security ]] || continue
			SECURITY_MIRROR=${uri%/}
			break
		done <<<"$entries"
	fi
	if [[ -z $SECURITY_MIRROR ]]; then
		# .../debian[/...] -> .../debian-security[/...] (the greedy match
		# picks the last /debian component, which also fits snapshot URIs).
		if [[ $MIRROR =~ ^(.*)/debian(/.*)?$ ]]; then
			SECURITY_MIRROR="${BASH_REMATCH[1]}/debian-security${BASH_REMATCH[2]}"
		else
			SECURITY_MIRROR="$MIRROR-security"
		fi
	fi
	SECURITY_MIRROR=${SECURITY_MIRROR%/}
}

# --------------------------------------------------------------- keyring ---

# The keyring apt verifies against.  If the system keyring lacks a key for a
# suite, a newer debian-archive-keyring package (itself fetched from a suite
# that did verify) is concatenated to it in the cache (OpenPGP keyrings are
# packet streams, so concatenation is a valid keyring).
keyring_path() {
	if [[ -n ${SOCKTAP_KEYRING:-} ]]; then
		echo "$SOCKTAP_KEYRING"
	elif [[ -s $CACHE/apt/keyring/combined.gpg ]]; then
		echo "$CACHE/apt/keyring/combined.gpg"
	else
		echo "$SYSTEM_KEYRING"
	fi
}

refresh_keyring() {
	local kd=$CACHE/apt/keyring have='' ver round deb
	log "archive keyring lacks a key; fetching a newer debian-archive-keyring"
	# Repositories that fail verification are ignored by apt; any suite that
	# verifies yields a trusted newer keyring package, which may in turn make
	# newer suites verify: go round until the candidate stops improving.
	for round in 1 2 3; do
		apt_setup keyring
		apt_run keyring apt-get -q update >"$CACHE/apt/keyring.update.log" 2>&1 || true
		ver=$(apt_candidate keyring debian-archive-keyring)
		[[ -n $ver ]] || break
		[[ -z $have ]] || dpkg --compare-versions "$ver" gt "$have" || break
		rm -rf "$kd/dl" "$kd/x" && mkdir -p "$kd/dl" "$kd/x"
		(cd "$kd/dl" && apt_run keyring apt-get -q download "debian-archive-keyring=$ver") >&2
		deb=$(ls "$kd"/dl/*.deb)
		dpkg-deb -x "$deb" "$kd/x"
		[[ -s $kd/x/usr/share/keyrings/debian-archive-keyring.gpg ]] || die "no keyring in $deb"
		cat "$SYSTEM_KEYRING" "$kd/x/usr/share/keyrings/debian-archive-keyring.gpg" >"$kd/combined.gpg.tmp"
		chmod 644 "$kd/combined.gpg.tmp"
		mv "$kd/combined.gpg.tmp" "$kd/combined.gpg"
		have=$ver
		log "keyring round $round: using debian-archive-keyring $ver ($kd/combined.gpg)"
	done
	[[ -n $have ]] || die "could not obtain a verified debian-archive-keyring (see $CACHE/apt/keyring.update.log)"
}

# ------------------------------------------------------------------- apt ---

# Write the private apt configuration of a group.  All state lives under
# $CACHE/apt/GROUP; the system's sources, pinning, status and lists are never
# read or written (its apt.conf.d is still read, e.g. for proxies).
apt_setup() {
	local g=$1 d=$CACHE/apt/$1 kr item arch suite uri
	resolve_mirrors
	kr=$(keyring_path)
	[[ -r $kr ]] || die "keyring $kr not readable (install debian-archive-keyring)"
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/preferences.d"
	[[ -e $d/status ]] || : >"$d/status"
	rm -f "$d/cache/srcpkgcache.bin"
	{
		for item in $(group_suites "$g"); do
			arch=${item%%:*} suite=${item#*:}
			if [[ $arch == security ]]; then uri=$SECURITY_MIRROR; else uri=$MIRROR; fi
			echo "deb [arch=amd64 signed-by=$kr] $uri $suite main"
		done
	} >"$d/sources.list"
	cat >"$d/apt.conf" <<-EOF
		// Generated by scripts/kernels.sh: private apt state, see there.
		Dir::Etc::SourceList "$d/sources.list";
		Dir::Etc::SourceParts "-";
		Dir::Etc::Preferences "$d/preferences";
		Dir::Etc::PreferencesParts "$d/preferences.d";
		Dir::State "$d";
		Dir::State::Lists "$d/lists";
		Dir::State::status "$d/status";
		Dir::Cache "$d/cache";
		Dir::Cache::pkgcache "pkgcache.bin";
		// A binary cache speeds up the many apt-cache calls; the source
		// cache would only double the disk use.
		Dir::Cache::srcpkgcache "";
		APT::Architecture "amd64";
		#clear APT::Architectures;
		APT::Architectures { "amd64"; };
		APT::Default-Release "";
		// The cache usually lives under \$HOME, which _apt cannot enter.
		APT::Sandbox::User "root";
		// Never fall back to unverified repositories.
		Acquire::AllowInsecureRepositories "false";
		Acquire::AllowDowngradeToInsecureRepositories "false";
		Acquire::Languages "none";
		// Host hooks (PackageKit, appstream) are about the system state.
		#clear APT::Update::Post-Invoke-Success;
		#clear APT::Update::Post-Invoke;
		#clear DPkg::Post-Invoke;
	EOF
}

apt_run() {
	local g=$1
	shift
	local cmd=$1
	shift
	"$cmd" -c "$CACHE/apt/$g/apt.conf" "$@"
}

declare -A UPDATED=()
apt_update() {
	local g=$1 log=$CACHE/apt/$1.update.log rc
	[[ -n ${UPDATED[$g]:-} ]] && return 0
	apt_setup "$g"
	if [[ $OFFLINE == 1 ]]; then
		UPDATED[$g]=1
		return 0
	fi
	rc=0
	apt_run "$g" apt-get -q update >"$log" 2>&1 || rc=$?
	if grep -qE 'NO_PUBKEY|EXPKEYSIG|KEYEXPIRED|is not signed|signatures (were invalid|couldn.t be verified)' "$log"; then
		[[ -z ${SOCKTAP_KEYRING:-} && ! -s $CACHE/apt/keyring/combined.gpg ]] ||
			die "signature check failed for $g with keyring $(keyring_path); see $log"
		refresh_keyring
		apt_setup "$g"
		rc=0
		apt_run "$g" apt-get -q update >"$log" 2>&1 || rc=$?
	fi
	if ((rc != 0)); then
		cat "$log" >&2
		die "apt-get update failed for $g (log: $log)"
	fi
	UPDATED[$g]=1
}

apt_candidate() {
	apt_run "$1" apt-cache policy "$2" 2>/dev/null |
		awk '$1 == "Candidate:" { if ($2 != "(none)") print $2; exit }'
}

# Print field $4 of package $2 version $3 in group $1.
pkg_field() {
	apt_run "$1" apt-cache show "$2=$3" 2>/dev/null |
		awk -v f="$4" 'BEGIN { f = tolower(f) ":" }
			/^$/ { exit }
			tolower($1) == f { sub(/^[^:]*:[ \t]*/, ""); print; exit }'
}

# Print "name version" for each Depends entry (first alternative only; version
# only when pinned with "=").
pkg_depends() {
	pkg_field "$1" "$2" "$3" Depends | tr ',' '\n' | sed -e 's/|.*//' |
		awk '{ name = $1; ver = ""
			if (match($0, /\(= *[^)]*\)/)) { ver = substr($0, RSTART + 2, RLENGTH - 3); gsub(/ /, "", ver) }
			if (name != "") print name, ver }'
}

# ----------------------------------------------------------- resolution ---

# Sets R_KVER R_KPKGVER R_PKGS (array of name=version) for a series.
resolve_series() {
	local s=$1 g meta mver img iver name ver queue=() item dn dv
	g=$(series_group "$s")
	meta=$(series_meta "$s")
	mver=$(apt_candidate "$g" "$meta")
	[[ -n $mver ]] || die "$s: $meta not found in $(group_suites "$g")$([[ $OFFLINE != 1 ]] || echo ' (offline: run once online first)')"
	img='' iver=''
	read -r img iver < <(pkg_depends "$g" "$meta" "$mver" | awk '$1 ~ /^linux-image-[0-9]/ { print; exit }') || true
	[[ -n ${img:-} ]] || die "$s: no linux-image-* in Depends of $meta $mver"
	R_KVER=${img#linux-image-}
	[[ -n ${iver:-} ]] || iver=$(apt_candidate "$g" "$img")
	R_KPKGVER=$iver
	# Closure over the kernel's own versioned packages: image (and, on 7.x,
	# linux-binary/-modules/-base), headers, -common(-rt) headers, kbuild.
	declare -A seen=()
	R_PKGS=()
	queue=("$img=$iver" "linux-headers-$R_KVER=$iver")
	while ((${#queue[@]})); do
		item=${queue[0]}
		queue=("${queue[@]:1}")
		name=${item%%=*} ver=${item#*=}
		[[ -n $ver ]] || ver=$(apt_candidate "$g" "$name")
		[[ -n $ver ]] || die "$s: package $name not available"
		[[ -z ${seen[$name]:-} ]] || continue
		seen[$name]=1
		R_PKGS+=("$name=$ver")
		while read -r dn dv; do
			[[ $dn =~ ^linux-(image|headers|modules|binary|base|kbuild)-[0-9] ]] || continue
			[[ -z ${seen[$dn]:-} ]] && queue+=("$dn=$dv")
		done < <(pkg_depends "$g" "$name" "$ver")
	done
}

deb_name() { # group name version -> file name apt-get download gives it
	local arch
	arch=$(pkg_field "$1" "$2" "$3" Architecture)
	echo "${2}_${3//:/%3a}_${arch}.deb"
}

# ------------------------------------------------------------- chroot ---

chroot_dir() { echo "$CACHE/chroot-trixie"; }

# True if anything is mounted at or below $1 (so it must not be deleted).
has_mounts_below() {
	awk -v p="$1" '$5 == p || index($5, p "/") == 1 { f = 1 } END { exit !f }' /proc/self/mountinfo
}

# Create (or reuse) the trixie chroot with the given compiler package.
ensure_chroot() {
	local cc_pkg=$1 dir want new
	dir=$(chroot_dir)
	want="${CHROOT_BASE_PKGS[*]} $cc_pkg"
	if [[ -f $dir/.socktap-complete && $(cat "$dir/.socktap-complete") == "$want" ]]; then
		return 0
	fi
	[[ $OFFLINE != 1 ]] || die "trixie chroot missing or incomplete and SOCKTAP_OFFLINE=1"
	((EUID == 0)) || die "creating the trixie chroot needs root (debootstrap)"
	resolve_mirrors
	new=$dir.new
	for d in "$dir" "$new"; do
		has_mounts_below "$d" && die "refusing to delete $d: something is mounted below it"
	done
	rm -rf "$new"
	log "debootstrap trixie chroot ($want) into $dir"
	local t0=$SECONDS
	debootstrap --variant=minbase --keyring="$(keyring_path)" \
		--include="$(echo "$want" | tr ' ' ',')" trixie "$new" "$MIRROR" >"$CACHE/chroot-trixie.log" 2>&1 ||
		{ tail -20 "$CACHE/chroot-trixie.log" >&2; die "debootstrap failed (log: $CACHE/chroot-trixie.log)"; }
	# Downloaded .debs are not needed any more.
	rm -rf "$new"/var/cache/apt/archives/*.deb
	echo "$want" >"$new/.socktap-complete"
	rm -rf "$dir"
	mv "$new" "$dir"
	log "chroot ready in $((SECONDS - t0)) s"
}

# run_in_chroot CHROOT DIR... -- CMD...: run CMD in CHROOT with each DIR bind
# mounted at its own path, in a private mount namespace, so nothing stays
# mounted whatever happens.
run_in_chroot() {
	local ch=$1
	shift
	((EUID == 0)) || die "building in the chroot needs root (unshare -m, chroot)"
	# shellcheck disable=SC2016 # the inner script expands its own arguments
	unshare -m --propagation private -- bash -euc '
		ch=$1; shift
		while [[ $1 != -- ]]; do
			mkdir -p "$ch$1"
			mount --bind "$1" "$ch$1"
			shift
		done
		shift
		mount --bind /dev "$ch/dev"
		mount -t proc proc "$ch/proc"
		export LC_ALL=C.UTF-8
		unset LANG LANGUAGE
		exec chroot "$ch" "$@"
	' run_in_chroot "$ch" "$@"
}

# Run a command for a fetched kernel: in its chroot when it has one.
run_for_kernel() {
	if [[ -n $KCHROOT ]]; then
		run_in_chroot "$KCHROOT" "$KROOT" -- "$@"
	else
		"$@"
	fi
}

# Check that the headers' prebuilt kbuild tools run where modules get built:
# they are linked against the glibc of the suite the kernel was built in.
# fixdep and modpost are run (modpost is a wrapper around modpost.real-*, so
# that is run too), and every ELF tool's newest GLIBC_ symbol version is
# compared with the glibc there, because a tool that is only run in some
# builds (objtool, resolve_btfids) would otherwise fail late.
check_kbuild_tools() {
	local tool out rc need have
	for tool in scripts/basic/fixdep scripts/mod/modpost scripts/mod/modpost.real-lsb-64; do
		[[ -e $KDIR/$tool ]] || { [[ $tool == *.real-* ]] && continue; die "$SERIES: $KDIR/$tool missing"; }
		rc=0
		out=$(run_for_kernel "$KDIR/$tool" 2>&1 </dev/null) || rc=$?
		if ((rc == 126 || rc == 127)) || grep -qE "GLIBC_|not found|cannot execute|error while loading" <<<"$out"; then
			printf '%s\n' "$out" >&2
			die "$SERIES: $tool does not run ${KCHROOT:+inside $KCHROOT }(rc=$rc)"
		fi
	done
	need=$(find -L "$KDIR/scripts" "$KDIR/tools" -type f -perm -u+x -print0 2>/dev/null |
		xargs -0 -r objdump -T 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -1) || true
	# (objdump fails on the shell scripts among them: hence "|| true".)
	have=$(run_for_kernel getconf GNU_LIBC_VERSION | awk '{ print $2 }') || true
	if [[ -n $need && -n $have ]] && dpkg --compare-versions "$need" gt "$have"; then
		die "$SERIES: kbuild tools need glibc $need, ${KCHROOT:-the host} has $have"
	fi
}

# --------------------------------------------------------------- unpack ---

# Make every absolute symlink under $1 relative and pointing into $1: the
# packages' links (lib/modules/KVER/build, headers' scripts/tools links...)
# name /usr/src/... and /usr/lib/... of an installed system.
relativize_symlinks() {
	local root=$1 link target
	while IFS= read -r -d '' link; do
		target=$(readlink "$link")
		ln -sfn "$(realpath -s -m --relative-to="$(dirname "$link")" "$root$target")" "$link"
	done < <(find "$root" -type l -lname '/*' -print0)
}

unpack_kernel() {
	local s=$1 kd=$2 debdir=$3 new=$2/root.new deb hdr mk ref
	shift 3
	rm -rf "$new"
	mkdir -p "$new"
	for deb in "$@"; do
		dpkg-deb -x "$debdir/$deb" "$new"
	done
	# trixie-built packages install under usr/lib (merged /usr): give the
	# tree a lib -> usr/lib link so ROOT/lib/modules/KVER always works.
	if [[ -d $new/usr/lib/modules && ! -L $new/lib ]]; then
		if [[ -d $new/lib ]]; then
			cp -a "$new/lib/." "$new/usr/lib/"
			rm -rf "${new:?}/lib"
		fi
		ln -s usr/lib "$new/lib"
	fi
	relativize_symlinks "$new"
	# The arch headers' Makefile names the -common tree (include) and, on 7.x,
	# itself (KBUILD_OUTPUT) by absolute /usr/src path: make those relative
	# to the Makefile's own directory, so the tree works where it is
	# unpacked and can move (root.new -> root).
	hdr=$new/usr/src/linux-headers-$R_KVER
	mk=$hdr/Makefile
	[[ -f $mk ]] || die "$s: $mk missing"
	while read -r ref; do
		[[ -e $new/usr/src/$ref ]] || die "$s: $mk refers to /usr/src/$ref, not in the unpacked packages"
	done < <(grep -o '/usr/src/[^/[:space:]]*' "$mk" | sed 's|^/usr/src/||' | sort -u)
	if grep -q /usr/src/ "$mk"; then
		# shellcheck disable=SC2016 # make syntax, expanded by make
		{
			echo '# socktap: /usr/src made relative to this file (scripts/kernels.sh)'
			echo 'SOCKTAP_USR_SRC := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)'
			sed 's|/usr/src/|$(SOCKTAP_USR_SRC)/|g' "$mk"
		} >"$mk.new"
		mv "$mk.new" "$mk"
	fi
	if grep -rnI --include=Makefile --include='*.mk' -e '/usr/src/' "$hdr/" >&2; then
		die "$s: absolute /usr/src reference left in the headers"
	fi
	[[ -d $new/lib/modules/$R_KVER ]] || die "$s: no lib/modules/$R_KVER in packages"
	depmod -b "$new" "$R_KVER"
	if has_mounts_below "$kd/root"; then die "refusing to replace $kd/root: something is mounted below it"; fi
	rm -rf "$kd/root"
	mv "$new" "$kd/root"
}

# ---------------------------------------------------------------- fetch ---

lock() { # lock MODE: serialize cache changes between concurrent runs
	mkdir -p "$CACHE"
	exec 9>"$CACHE/.lock"
	flock "$1" 9
}

verify_deb() { # group name version file: size and SHA256 as published
	local want
	want=$(pkg_field "$1" "$2" "$3" SHA256)
	[[ -n $want ]] && [[ $(sha256sum <"$4" | cut -d' ' -f1) == "$want" ]]
}

# Compiler the headers were built with, from the saved kernel config.
headers_gcc_major() {
	local f v
	for f in "$1/include/config/auto.conf" "$1/.config"; do
		[[ -f $f ]] || continue
		v=$(sed -n 's/^CONFIG_GCC_VERSION=\([0-9]*\)$/\1/p' "$f" | head -1)
		[[ -n $v ]] && { echo $((v / 10000)); return 0; }
	done
	return 1
}

fetch_one() {
	local s=$1 g kd debdir stamp want item name ver f v missing=() debs=() major t0=$SECONDS
	g=$(series_group "$s")
	kd=$CACHE/kernels/$s
	debdir=$kd/debs
	mkdir -p "$debdir"
	if [[ $OFFLINE == 1 && -f $kd/env && -f $kd/stamp ]]; then
		# shellcheck source=/dev/null
		. "$kd/env"
		[[ -d $KDIR ]] || die "$s: $KDIR missing; run fetch $s online"
		[[ -z $KCHROOT || -f $KCHROOT/.socktap-complete ]] || die "$s: chroot $KCHROOT incomplete; run fetch $s online"
		printf '%s: %s (%s) ready (offline)\n' "$s" "$KVER" "$KPKGVER"
		return 0
	fi
	apt_update "$g"
	resolve_series "$s"
	for item in "${R_PKGS[@]}"; do
		name=${item%%=*} ver=${item#*=}
		f=$(deb_name "$g" "$name" "$ver")
		debs+=("$f")
		[[ -s $debdir/$f ]] || missing+=("$item")
	done
	want=$(printf '%s\n' "layout=$LAYOUT_VERSION" "kver=$R_KVER" "${R_PKGS[@]}")
	stamp=$kd/stamp
	if [[ -f $stamp && $(cat "$stamp") == "$want" && -f $kd/env && -d $kd/root ]]; then
		# shellcheck source=/dev/null
		. "$kd/env"
	else
		if ((${#missing[@]})); then
			[[ $OFFLINE != 1 ]] || die "$s: .debs missing and SOCKTAP_OFFLINE=1: ${missing[*]}"
			log "$s: downloading ${#missing[@]} package(s) for $R_KVER"
			rm -rf "$debdir/partial" && mkdir -p "$debdir/partial"
			(cd "$debdir/partial" && apt_run "$g" apt-get -q download "${missing[@]}") >&2
			mv "$debdir"/partial/*.deb "$debdir/"
			rmdir "$debdir/partial"
		fi
		for item in "${R_PKGS[@]}"; do
			name=${item%%=*} ver=${item#*=}
			f=$(deb_name "$g" "$name" "$ver")
			[[ -s $debdir/$f ]] || die "$s: $f not downloaded"
			verify_deb "$g" "$name" "$ver" "$debdir/$f" || { rm -f "$debdir/$f"; die "$s: $f checksum mismatch (deleted; run again)"; }
		done
		rm -f "$stamp"
		log "$s: unpacking $R_KVER"
		unpack_kernel "$s" "$kd" "$debdir" "${debs[@]}"
		# Drop .debs of superseded kernels.
		for f in "$debdir"/*.deb; do
			[[ " ${debs[*]} " == *" ${f##*/} "* ]] || rm -f "$f"
		done
		SERIES=$s KVER=$R_KVER KPKGVER=$R_KPKGVER KSUITE=$g
		KSERIES=$(echo "$KVER" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
		KROOT=$kd/root
		KDIR=$KROOT/usr/src/linux-headers-$KVER
		VMLINUZ=''
		for f in "$KROOT/boot/vmlinuz-$KVER" "$KROOT/lib/modules/$KVER/vmlinuz"; do
			[[ -f $f ]] && { VMLINUZ=$f; break; }
		done
		[[ -n $VMLINUZ ]] || die "$s: no vmlinuz found for $KVER"
		KCHROOT=''
		if group_needs_chroot "$g"; then
			major=$(headers_gcc_major "$KDIR") || die "$s: cannot tell the headers' gcc version"
			KCC=x86_64-linux-gnu-gcc-$major
			KCHROOT=$(chroot_dir)
		else
			# The bookworm host compiler; 5.10 headers name gcc-10, but
			# gcc-12 builds modules that load fine.
			KCC=gcc-12
		fi
		{
			echo "# Generated by scripts/kernels.sh fetch $s"
			for v in SERIES KSERIES KVER KPKGVER KSUITE KROOT KDIR VMLINUZ KCC KCHROOT; do
				printf '%s=%q\n' "$v" "${!v}"
			done
		} >"$kd/env.tmp"
		mv "$kd/env.tmp" "$kd/env"
		echo "$want" >"$stamp"
	fi
	if [[ -n $KCHROOT ]]; then
		major=${KCC##*-}
		ensure_chroot "gcc-$major"
	fi
	command -v "$KCC" >/dev/null || [[ -n $KCHROOT ]] || die "$s: compiler $KCC not installed on the host"
	check_kbuild_tools
	local note=''
	[[ $KSERIES == "${s%-rt}" ]] || note=" (newest in $KSUITE is $KSERIES, not ${s%-rt})"
	printf '%s: %s (%s) ready%s\n' "$s" "$KVER" "$KPKGVER" "$note"
	log "$s: done in $((SECONDS - t0)) s"
}

cmd_fetch() {
	local s list=()
	(($#)) || die "usage: kernels.sh fetch SERIES...|all"
	for s in "$@"; do
		if [[ $s == all ]]; then list+=("${SERIES_ALL[@]}"); else
			valid_series "$s" || die "unknown series '$s' (try: ${SERIES_ALL[*]} all)"
			list+=("$s")
		fi
	done
	lock -x
	for s in "${list[@]}"; do fetch_one "$s"; done
}

# ---------------------------------------------------------------- build ---

load_env() {
	valid_series "$1" || die "unknown series '$1' (try: ${SERIES_ALL[*]})"
	local f=$CACHE/kernels/$1/env
	[[ -f $f ]] || die "series $1 not fetched: run scripts/kernels.sh fetch $1"
	# shellcheck source=/dev/null
	. "$f"
}

cmd_build() {
	(($# >= 3)) || die "usage: kernels.sh build SERIES SRCDIR OUTDIR [make args...]"
	local s=$1 src out items=() i rc pahole_ok=1
	src=$(realpath -e "$2") || die "no source dir $2"
	out=$(realpath -m "$3")
	shift 3
	lock -s
	load_env "$s"
	[[ -f $src/Kbuild || -f $src/Makefile ]] || die "$src has neither Kbuild nor Makefile"
	for i in Kbuild Makefile VERSION module include; do
		[[ -e $src/$i ]] && items+=("$src/$i")
	done
	mkdir -p "$out"
	# -a keeps mtimes so kbuild rebuilds incrementally; --delete drops files
	# removed from the source, but protects what kbuild generated in OUTDIR.
	rsync -a --delete \
		--filter='P *.o' --filter='P .*.cmd' --filter='P *.mod' --filter='P *.mod.c' \
		--filter='P *.ko' --filter='P .*.d' --filter='P *.order' --filter='P *.symvers' \
		--filter='P *.a' --filter='P .tmp_*' --filter='P *.dwo' --filter='P *.ko.*' \
		"${items[@]}" "$out/"
	local make_args=(make -C "$KDIR" M="$out" CC="$KCC")
	if [[ -n $KCHROOT ]]; then
		[[ -f $KCHROOT/.socktap-complete ]] || die "chroot $KCHROOT incomplete: run kernels.sh fetch $s"
		[[ -x $KCHROOT/usr/bin/pahole ]] || pahole_ok=0
	else
		command -v pahole >/dev/null || pahole_ok=0
	fi
	# Without pahole, module BTF generation would fail the build.
	((pahole_ok)) || { log "pahole missing: building without module BTF"; make_args+=(CONFIG_DEBUG_INFO_BTF_MODULES=); }
	rc=0
	if [[ -n $KCHROOT ]]; then
		run_in_chroot "$KCHROOT" "$KROOT" "$out" -- "${make_args[@]}" "$@" 2>&1 || rc=$?
	else
		"${make_args[@]}" "$@" 2>&1 || rc=$?
	fi
	return "$rc"
}

cmd_exec() {
	(($# >= 3)) || die "usage: kernels.sh exec SERIES [DIR...] -- CMD..."
	local s=$1 dirs=()
	shift
	while (($#)) && [[ $1 != -- ]]; do
		dirs+=("$(realpath -e "$1")") || die "no directory $1"
		shift
	done
	[[ ${1:-} == -- ]] || die "usage: kernels.sh exec SERIES [DIR...] -- CMD..."
	shift
	lock -s
	load_env "$s"
	if [[ -n $KCHROOT ]]; then
		[[ -f $KCHROOT/.socktap-complete ]] || die "chroot $KCHROOT incomplete: run kernels.sh fetch $s"
		run_in_chroot "$KCHROOT" "$KROOT" "${dirs[@]}" -- "$@"
	else
		"$@"
	fi
}

# ----------------------------------------------------------- checkpatch ---

cmd_checkpatch() {
	local cd=$CACHE/checkpatch g best='' bestg='' bestpkg='' ver name dn dv deb member tmp
	local files=(scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch
		Documentation/dev-tools/checkpatch.rst)
	lock -x
	if [[ -f $cd/.complete && -f $cd/scripts/checkpatch.pl ]]; then
		echo "$cd/scripts/checkpatch.pl"
		return 0
	fi
	# Newest linux-source-X across the kernel suites.
	for g in bullseye bookworm bookworm-backports trixie-backports; do
		apt_update "$g"
		ver=$(apt_candidate "$g" linux-source) || true
		[[ -n $ver ]] || continue
		dn='' dv=''
		read -r dn dv < <(pkg_depends "$g" linux-source "$ver" | awk '$1 ~ /^linux-source-[0-9]/ { print; exit }') || true
		[[ -n ${dn:-} ]] || continue
		[[ -n ${dv:-} ]] || dv=$(apt_candidate "$g" "$dn")
		if [[ -z $best ]] || dpkg --compare-versions "$dv" gt "$best"; then
			best=$dv bestg=$g bestpkg=$dn
		fi
	done
	[[ -n $best ]] || die "no linux-source package found"
	mkdir -p "$cd/debs"
	name=$(deb_name "$bestg" "$bestpkg" "$best")
	deb=$cd/debs/$name
	if [[ ! -s $deb ]]; then
		[[ $OFFLINE != 1 ]] || die "$name missing and SOCKTAP_OFFLINE=1"
		log "downloading $bestpkg $best from $bestg"
		rm -rf "$cd/debs/partial" && mkdir -p "$cd/debs/partial"
		(cd "$cd/debs/partial" && apt_run "$bestg" apt-get -q download "$bestpkg=$best") >&2
		mv "$cd/debs/partial/$name" "$deb"
		rm -rf "$cd/debs/partial"
		verify_deb "$bestg" "$bestpkg" "$best" "$deb" || { rm -f "$deb"; die "$name checksum mismatch"; }
	fi
	for f in "$cd"/debs/*.deb; do [[ $f == "$deb" ]] || rm -f "$f"; done
	member=$(dpkg-deb -c "$deb" | awk '{ print $NF }' | grep -E '/usr/src/linux-source-[^/]*\.tar\.(xz|zst|gz|bz2)$' | head -1)
	[[ -n $member ]] || die "no source tarball in $deb"
	local top=${member##*/}
	top=${top%.tar.*}
	local decomp
	case $member in
	*.xz) decomp='xz -dc' ;; *.zst) decomp='zstd -dc' ;; *.gz) decomp='gzip -dc' ;; *.bz2) decomp='bzip2 -dc' ;;
	esac
	tmp=$cd/x.new
	rm -rf "$tmp" && mkdir -p "$tmp"
	log "extracting checkpatch from $member"
	# Only the named members are written; the tarball stream still has to be
	# decompressed to its end, which takes a few seconds.
	dpkg-deb --fsys-tarfile "$deb" | tar -xOf - "$member" | $decomp |
		tar -xf - -C "$tmp" --strip-components=1 "${files[@]/#/$top/}"
	rm -rf "$cd/scripts" "$cd/Documentation"
	mv "$tmp/scripts" "$tmp/Documentation" "$cd/"
	rm -rf "$tmp"
	echo "$bestpkg $best" >"$cd/.complete"
	echo "$cd/scripts/checkpatch.pl"
}

# ---------------------------------------------------------------- main ---

main() {
	(($#)) || usage
	local cmd=$1
	shift
	case $cmd in
	list) printf '%s\n' "${SERIES_ALL[@]}" ;;
	fetch) cmd_fetch "$@" ;;
	env)
		(($# == 1)) || die "usage: kernels.sh env SERIES"
		valid_series "$1" || die "unknown series '$1' (try: ${SERIES_ALL[*]})"
		[[ -f $CACHE/kernels/$1/env ]] || die "series $1 not fetched: run scripts/kernels.sh fetch $1"
		cat "$CACHE/kernels/$1/env"
		;;
	build) cmd_build "$@" ;;
	exec) cmd_exec "$@" ;;
	checkpatch) cmd_checkpatch ;;
	mirror)
		resolve_mirrors
		printf 'MIRROR=%q\nSECURITY_MIRROR=%q\nKEYRING=%q\n' "$MIRROR" "$SECURITY_MIRROR" "$(keyring_path)"
		;;
	-h | --help | help) usage ;;
	*) die "unknown command '$cmd' (list, fetch, env, build, exec, checkpatch, mirror)" ;;
	esac
}

main "$@"
