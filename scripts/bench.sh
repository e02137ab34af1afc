#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: socktap's overhead next to bpftrace's tools, and its memory,
# per kernel, under QEMU -icount (deterministic guest time).
#
# Usage: scripts/bench.sh [options]
#   -k, --kernel SERIES   kernel series (repeatable; default $KERNEL or 6.1)
#   -r, --rounds N        rounds of the configurations (default 3)
#   --quick               small counts and one round: checks the plumbing
#   --no-repro            skip the second boot that re-runs the A rounds
#                         (for the spread across boots)
#   --no-micro            skip the per-event microbenchmark boot
#   --micro-only          only the microbenchmark boot (the tables of the
#                         rounds come from the last run, if any)
#   --micro-args "ARGS"   passed on to tests/bench/micro.sh (e.g. "-n 50000")
#   --report              only rebuild the tables from the last raw results
#   --readme              put the latest tables (short form, every series
#                         with results in build/bench) into README.md,
#                         between <!-- bench:begin --> and <!-- bench:end -->;
#                         no run
#   -- ARGS               passed on to tests/bench/rounds.sh (e.g. -c "A D E")
# Per series: the module is built into build/bench-SERIES, one guest boot
# runs tests/bench/rounds.sh (raw JSON in build/bench/SERIES.raw), a second
# boot re-runs the A rounds (build/bench/SERIES.raw2), and the markdown
# goes to build/bench/SERIES.md and stdout.  A third boot runs
# tests/bench/micro.sh with a bench build of the module
# (CONFIG_SOCKTAP_BENCH=y, in build/bench-SERIES-micro): cost per event of
# each probe kind and handler variant, the socket table at 1, 1000 and
# 10000 sockets, the lifecycle event rate with a consumer (raw JSON in
# build/bench/SERIES.micro.json, ~10 min).  Progress lines are prefixed
# with the wall-clock time.  Configurations A B C D E E4 F (see
# tests/bench/rounds.sh; -- -c "A B C D E E4 E1 F" adds E1).  About 20 min
# per kernel on a 2-core host; 5.10 takes ~45: without BTF, bpftrace
# compiles the kernel headers for ~6 guest minutes at every F round.
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
prog=bench.sh
msg() { echo "$prog: $*" >&2; }
die() { msg "error: $*"; exit 1; }
usage() {
	sed -n '/^# Usage:/,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
	exit "$1"
}

kernels=() rounds=3 quick=0 repro=1 report_only=0 readme=0 extra=()
micro=1 rounds_run=1 micro_extra=()
while (($#)); do
	case $1 in
	-k | --kernel) kernels+=("${2:?}"); shift 2 ;;
	-r | --rounds) rounds=${2:?}; shift 2 ;;
	--quick) quick=1; shift ;;
	--no-repro) repro=0; shift ;;
	--no-micro) micro=0; shift ;;
	--micro-only) micro=1; rounds_run=0; shift ;;
	--micro-args) read -ra micro_extra <<<"${2?}"; shift 2 ;;
	--report) report_only=1; shift ;;
	--readme) readme=1; shift ;;
	-h | --help) usage 0 ;;
	--) shift; extra=("$@"); break ;;
	*) msg "unknown option: $1"; usage 2 >&2 ;;
	esac
done
((${#kernels[@]})) || read -ra kernels <<<"${KERNEL:-6.1}"
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "--rounds takes a positive integer"

out=$root/build/bench
mkdir -p "$out"

# ---------------------------------------------------------------- README
if ((readme)); then
	if ! grep -q '^<!-- bench:begin -->$' README.md || ! grep -q '^<!-- bench:end -->$' README.md; then
		die "README.md has no <!-- bench:begin --> ... <!-- bench:end --> section"
	fi
	tables=$(mktemp)
	trap 'rm -f "$tables"' EXIT
	n=0
	# The matrix order, then anything else benchmarked; the short form
	# (build/bench/SERIES.md keeps the detail tables).
	for k in 5.10 6.1 6.12 6.12-rt 7.3 $(find "$out" -maxdepth 1 -name '*.raw' -printf '%f\n' | sed 's/\.raw$//' | sort); do
		[[ -f $out/$k.raw/results.jsonl ]] || continue
		grep -qxF "<!-- bench $k -->" "$tables" && continue
		ropts=(--brief)
		[[ -f $out/$k.raw2/results.jsonl ]] && ropts+=(--repro "$out/$k.raw2")
		[[ -f $out/$k.wall ]] && ropts+=(--wall "$(cat "$out/$k.wall")")
		{
			echo "<!-- bench $k -->"
			python3 scripts/bench-report.py "$k" "$out/$k.raw" "${ropts[@]}"
			echo
		} >>"$tables" || die "no tables for $k"
		n=$((n + 1))
	done
	((n)) || die "no tables in $out: run scripts/bench.sh first"
	# Everything between the markers is replaced; the markers stay.
	awk -v tf="$tables" '
		/^<!-- bench:begin -->$/ { print; while ((getline l < tf) > 0) print l; skip = 1; next }
		/^<!-- bench:end -->$/ { skip = 0 }
		!skip' README.md >README.md.new
	mv README.md.new README.md
	msg "README.md: tables of $n kernel(s) from $out"
	exit 0
fi

# ---------------------------------------------------------------- run
# Lines from the guest, with the host's wall-clock time in front.
stamp() { while IFS= read -r l; do printf '%(%T)T %s\n' -1 "$l"; done; }

# vm.sh runs its COMMAND with sh -c: quote every word for it.
guest_cmd() { printf '%q ' "$@"; }

args=(-r "$rounds")
if ((quick)); then
	args=(-r 1 --crr 200 --rr 2000 --bulk-mb 16 --loss-mb 8)
fi
margs=("${args[@]}" --mem)
# tests/bench/micro.sh: quick checks the plumbing with small counts.
uargs=()
((quick)) && uargs=(-n 20000 --life 3000 --life-rates 1000 --sockets "1 100")

total_start=$SECONDS
for k in "${kernels[@]}"; do
	raw=$out/$k.raw raw2=$out/$k.raw2 md=$out/$k.md log=$out/$k.log
	if ((!report_only)); then
		start=$SECONDS
		scripts/kernels.sh env "$k" >/dev/null 2>&1 || scripts/kernels.sh fetch "$k" ||
			die "cannot fetch kernel $k"
	fi
	if ((!report_only && rounds_run)); then
		build=$root/build/bench-$k
		msg "$k: building the module in $build"
		scripts/kernels.sh build "$k" "$root" "$build" >"$out/$k.build.log" 2>&1 ||
			die "module build failed for $k: see $out/$k.build.log"
		[[ -x userspace/socktap ]] || make -s cli || die "cannot build the CLI"
		make -s tests/bench/loadgen || die "cannot build tests/bench/loadgen"
		# Private copies: a rebuild during the run must not change them.
		bin=$out/$k.bin
		rm -rf "$bin" "$raw" "$raw2"
		mkdir -p "$bin"
		# The guest's bash reads its script as it goes: a copy, so that
		# editing tests/bench/rounds.sh meanwhile cannot derail the run.
		cp "$build/socktap.ko" userspace/socktap tests/bench/loadgen \
			tests/bench/rounds.sh "$bin/"
		msg "$k: benchmark boot (QEMU -icount, 1 vCPU)"
		set +e
		scripts/vm.sh --kernel "$k" --icount --timeout 3600 --out "$raw" -- \
			"$(guest_cmd "$bin/rounds.sh" "${margs[@]}" "${extra[@]}" \
				"$bin/socktap.ko" "$bin/socktap" "$bin/loadgen" /mnt/out)" 2>&1 | stamp | tee "$log"
		rc=${PIPESTATUS[0]}
		set -e
		((rc == 0)) || die "$k: benchmark boot failed (vm.sh exit $rc; see $log and $raw/console.log)"
		if ((repro)); then
			msg "$k: second boot, A rounds only (spread across boots)"
			set +e
			scripts/vm.sh --kernel "$k" --icount --timeout 1800 --out "$raw2" -- \
				"$(guest_cmd "$bin/rounds.sh" "${args[@]}" "${extra[@]}" -c A \
					-w "crr rr bulk" --tag boot2 \
					"$bin/socktap.ko" "$bin/socktap" "$bin/loadgen" /mnt/out)" 2>&1 |
				stamp | tee -a "$log"
			rc=${PIPESTATUS[0]}
			set -e
			((rc == 0)) || die "$k: second boot failed (vm.sh exit $rc)"
		fi
		echo "$((SECONDS - start))" >"$out/$k.wall"
	fi
	if ((!report_only && micro)); then
		mstart=$SECONDS
		mbuild=$root/build/bench-$k-micro
		msg "$k: building the bench module (CONFIG_SOCKTAP_BENCH=y) in $mbuild"
		scripts/kernels.sh build "$k" "$root" "$mbuild" CONFIG_SOCKTAP_BENCH=y \
			>"$out/$k.micro.build.log" 2>&1 ||
			die "bench module build failed for $k: see $out/$k.micro.build.log"
		[[ -x userspace/socktap ]] || make -s cli || die "cannot build the CLI"
		make -s tests/bench/lifegen || die "cannot build tests/bench/lifegen"
		mbin=$out/$k.micro.bin mraw=$out/$k.micro
		rm -rf "$mbin" "$mraw" "$out/$k.micro.json"
		mkdir -p "$mbin"
		cp "$mbuild/socktap.ko" userspace/socktap tests/bench/lifegen \
			tests/bench/micro.sh "$mbin/"
		msg "$k: microbenchmark boot (QEMU -icount, 1 vCPU)"
		set +e
		scripts/vm.sh --kernel "$k" --icount --timeout 3600 --out "$mraw" -- \
			"$(guest_cmd "$mbin/micro.sh" "${uargs[@]}" "${micro_extra[@]}" \
				"$mbin/socktap.ko" "$mbin/socktap" "$mbin/lifegen" /mnt/out)" 2>&1 |
			stamp | tee "$out/$k.micro.log"
		rc=${PIPESTATUS[0]}
		set -e
		((rc == 0)) || die "$k: microbenchmark boot failed (vm.sh exit $rc; see $out/$k.micro.log and $mraw/console.log)"
		cp "$mraw/micro.json" "$out/$k.micro.json" || die "$k: no $mraw/micro.json"
		msg "$k: microbenchmark took $((SECONDS - mstart)) s"
	fi
	ropts=()
	[[ -f $out/$k.micro.json ]] && ropts+=(--micro "$out/$k.micro.json")
	[[ -f $raw/results.jsonl ]] || ((${#ropts[@]})) || die "$k: no results in $raw"
	[[ -f $raw2/results.jsonl ]] && ropts+=(--repro "$raw2")
	[[ -f $out/$k.wall ]] && ropts+=(--wall "$(cat "$out/$k.wall")")
	python3 scripts/bench-report.py "$k" "$raw" "${ropts[@]}" >"$md"
	cat "$md"
	echo
	msg "$k: tables in $md"
done
((report_only)) || msg "wall time: $(((SECONDS - total_start) / 60)) min $(((SECONDS - total_start) % 60)) s"
