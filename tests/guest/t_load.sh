#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Load, status, debugfs, probe table against the kernel's own view, unload.
. "$GUEST_DIR/lib.sh"

# Without the module the CLI says so and how to load it.
out=$("$SOCKTAP" status 2>&1); rc=$?
check_eq cli_nomodule_exit "$rc" 3
check_grep cli_nomodule_msg 'not loaded.*|modprobe socktap' "$out"

# A typo in disable= is a load error with a clear message, not a no-op.
dmesg -C
if insmod "$KO" disable=no_such_probe 2>/dev/null; then
	fail bad_param_refused "insmod accepted disable=no_such_probe"
	rmmod socktap
else
	pass bad_param_refused
fi
check_grep bad_param_msg "no probe named 'no_such_probe'" "$(dmesg)"

dmesg -C
check_cmd insmod load
modver=$(modinfo -F version "$KO")
json=$("$SOCKTAP" status -j)
check_cmd status_json_valid python3 -c 'import json,sys; json.loads(sys.argv[1])' "$json"
jget() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$json" "$1"; }
check_eq status_version_is_modinfo "$(jget version)" "$modver"
check_eq status_kernel_is_uname "$(jget kernel)" "$(uname -r)"
check_eq version_file_repo "$modver" "$(cat "$(dirname "$GUEST_DIR")/../VERSION")"
check_eq debugfs_version "$(cat $DBG/version)" "$modver"

# Every module parameter of the source, each with a description.
src_parms=$(sed -n 's/^module_param(\([a-z_]*\),.*/\1/p' "$GUEST_DIR"/../../module/*.c | sort | tr '\n' ' ')
check_eq modinfo_params "$(modinfo -F parm "$KO" | cut -d: -f1 | sort | tr '\n' ' ')" "$src_parms"
check_eq modinfo_params_described "$(modinfo -F parm "$KO" | awk -F: '$2 ~ /^ *\(/ || $2 == "" { print $1 }')" ""
# A CLI of another netlink version refuses the module, and says why.
out=$("$GUEST_DIR/socktap-v99" status 2>&1); rc=$?
check_eq cli_other_version_exit $rc 1
check_grep cli_other_version_msg "module speaks socktap netlink version 1, this CLI .* version 99" "$out"
check_eq debugfs_version_mode "$(stat -c %a $DBG/version)" 444
check_eq debugfs_probes_mode "$(stat -c %a $DBG/probes)" 444
if echo x 2>/dev/null > $DBG/probes; then fail debugfs_probes_readonly "write accepted"; else pass debugfs_probes_readonly; fi

# The text table and the netlink dump list the same probes.
dbg_names=$(awk 'NR > 1 { print $1 }' $DBG/probes | sort | tr '\n' ' ')
cli_names=$("$SOCKTAP" probe -j list | python3 -c '
import json, sys
print(" ".join(sorted(p["name"] for p in json.load(sys.stdin))) + " ")')
check_eq probes_debugfs_equals_netlink "$dbg_names" "$cli_names"
check_eq probe_count "$(echo $dbg_names | wc -w)" "$(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])["probes"]))' "$json")"

# Each probe's state against the kernel's own oracle: tracefs for
# tracepoints, kallsyms plus the kprobes list for kprobes.
# A fallback (a probe whose group has a tracepoint) is on standby where
# the tracepoint exists.
kplist=$(cat /sys/kernel/debug/kprobes/list)
groups=$("$SOCKTAP" probe -j list | python3 -c '
import json, sys
ps = json.load(sys.stdin)
tp = {p["group"]: p["target"] for p in ps if p["group"] and p["kind"] == "tracepoint"}
for p in ps:
    if p["group"] and p["kind"] != "tracepoint":
        print(p["name"], tp[p["group"]])')
tp_exists() {
	[ -d "/sys/kernel/tracing/events/${1%%:*}/${1#*:}" ]
}
while read -r name kind st _hits _missed _err target; do
	case $kind in
	tracepoint)
		if tp_exists "$target"; then want=attached; else want=unavailable; fi
		check_eq "state_$name" "$st" "$want"
		;;
	kprobe|kretprobe)
		if grep -qE " [tT] $target\$" /proc/kallsyms; then want=attached; else want=unavailable; fi
		primary=$(echo "$groups" | awk -v n="$name" '$1 == n { print $2 }')
		if [ -n "$primary" ] && tp_exists "$primary"; then want=standby; fi
		check_eq "state_$name" "$st" "$want"
		if [ "$st" = attached ]; then
			# At the entry: +0x0, or +0x4 past ENDBR64 on IBT kernels (6.2+).
			check_grep "kprobes_list_$name" " $target\\+0x[04] " "$kplist"
		fi
		;;
	*) fail "kind_$name" "unknown kind $kind" ;;
	esac
done < <(tail -n +2 $DBG/probes)

# Human table: header and one row per probe.
table=$("$SOCKTAP" status)
check_line status_header "socktap $modver (netlink v1) on kernel $(uname -r)" "$table"
check_eq status_rows "$(echo "$table" | grep -cE ' (attached|standby|unavailable|disabled|failed) ')" "$(echo $dbg_names | wc -w)"

# Errors: unknown probe (extack text), unprivileged change, bad usage.
out=$("$SOCKTAP" probe disable no_such_probe 2>&1); rc=$?
check_eq unknown_probe_exit "$rc" 1
check_grep unknown_probe_extack 'no such probe' "$out"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$SOCKTAP" probe disable inet_stream_connect 2>&1); rc=$?
check_eq unpriv_set_exit "$rc" 4
check_grep unpriv_set_msg 'permission denied.*CAP_NET_ADMIN' "$out"
check_eq unpriv_set_unchanged "$(state inet_stream_connect)" attached
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$SOCKTAP" status 2>&1); rc=$?
check_eq unpriv_status_allowed "$rc" 0
"$SOCKTAP" probe frobnicate x >/dev/null 2>&1; rc=$?
check_eq bad_usage_exit "$rc" 2
for sub in status probe; do
	out=$("$SOCKTAP" $sub -h); rc=$?
	check_eq "help_$sub" "$rc:$(echo "$out" | head -1 | cut -d' ' -f1-3)" "0:usage: socktap $sub"
done

# Enabling a point this kernel lacks says so (sock_send_length is 6.12+);
# enabling a fallback while its tracepoint runs would count twice.
if [ "$(state sock_send_length)" = unavailable ]; then
	out=$("$SOCKTAP" probe enable sock_send_length 2>&1); rc=$?
	check_eq enable_unavailable_exit "$rc" 1
	check_grep enable_unavailable_msg 'not available on this kernel' "$out"
	check_eq fallback_attached "$(state inet_sendmsg)" attached
else
	out=$("$SOCKTAP" probe enable inet_sendmsg 2>&1); rc=$?
	check_eq enable_standby_exit "$rc" 1
	check_grep enable_standby_msg 'another point of its group is attached' "$out"
	check_eq standby_unchanged "$(state inet_sendmsg)" standby
fi

check_cmd rmmod rmmod socktap
check_eq rmmod_gone "$(grep -c '^socktap ' /proc/modules)" 0
check_eq debugfs_gone "$([ -e $DBG ] && echo present || echo gone)" gone
check_eq kprobes_gone "$(grep -cE 'inet_stream_connect|inet_csk_accept' /sys/kernel/debug/kprobes/list)" 0
check_eq dmesg_clean "$(dmesg_bad)" ""

# Parameters: disable= leaves the point off from the start.
check_cmd load_disabled load disable=inet_dgram_connect,inet_sock_set_state
check_eq param_disabled_kretprobe "$(state inet_dgram_connect)" disabled
check_eq param_disabled_tp "$(state inet_sock_set_state)" disabled
check_eq param_others_attached "$(state inet_stream_connect)" attached
check_cmd rmmod_disabled rmmod socktap
check_eq dmesg_clean_end "$(dmesg_bad)" ""
finish
