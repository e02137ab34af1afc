#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Permissions.  As an unprivileged user (nobody): every CLI command that
# changes state or names processes and flows is refused with exit status 4
# and a message naming CAP_NET_ADMIN, and changes nothing; the commands for
# any user work.  At the netlink level (nlfuzz perm): every command with
# GENL_ADMIN_PERM fails with EPERM, also with invalid attributes, the others
# succeed, and the op table the kernel reports is module/netlink.c's; the
# events group cannot be joined, or (5.10) delivers nothing.  A user
# namespace's CAP_NET_ADMIN is not enough (checked where a user namespace
# can be made: not in vm.sh's guest, a chroot, where unshare -U fails).  debugfs: the directory and each
# file's mode and owner exactly; nobody cannot read them (and, with
# debugfs mounted 0755, still not the process and flow tables).
. "$GUEST_DIR/lib.sh"

NLFUZZ=$GUEST_DIR/nlfuzz
Q="python3 $GUEST_DIR/jq.py"
W=/tmp/perm
mkdir -p $W
chmod 755 $W
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"

if ! $NOBODY true 2>/dev/null; then
	fail setpriv "cannot run as nobody: $($NOBODY true 2>&1)"
	finish
fi
check_eq nobody_uid "$($NOBODY id -u)" 65534
check_eq nobody_no_caps "$($NOBODY grep CapEff /proc/self/status | awk '{ print $2 }')" 0000000000000000

dmesg -C
check_cmd load load

# ---- CLI: refused, exit 4, the message, nothing changed.
refused() { # NAME ARGS...
	_n=$1
	shift
	out=$($NOBODY timeout 20 "$SOCKTAP" "$@" 2>&1 < /dev/null)
	rc=$?
	if [ $rc -eq 4 ] && printf '%s\n' "$out" | grep -q 'permission denied.*CAP_NET_ADMIN'; then
		pass "cli_refused_$_n"
	else
		fail "cli_refused_$_n" "'socktap $*' as nobody: exit $rc: $(printf '%s' "$out" | head -3 | tr '\n' ' ')"
	fi
}
refused probe_enable probe enable inet_stream_connect
refused probe_disable probe disable inet_stream_connect
refused filter_set_pid filter -p 1
refused filter_set_port filter -P 80
refused filter_set_netns filter -N 1
refused filter_clear filter clear
refused reset reset
refused count count -d 1 tcp_sendmsg
refused stacks stacks -d 1 tcp_sendmsg
refused stacks_user stacks -u -d 1 connect
refused top top -n 1
refused backlog backlog
refused hist_per_process hist -P
refused hist_pid_filter hist -p 1 -d 1 connect
refused retrans retrans -d 1
for t in connect life accept state retrans reset overflow drop send receive; do
	refused "watch_$t" watch "$t" -d 1
done
refused watch_filtered watch connect -p 1 -d 1

# Nothing of it happened.
check_eq unchanged_probe "$(state inet_stream_connect)" attached
check_eq unchanged_filter "$("$SOCKTAP" status -j | $Q "(d['filter']['pid'], d['filter']['port'], d['filter']['netns'])")" "(0, 0, 0)"
check_eq unchanged_count_used "$(awk '$1 == "count_used" { print $2 }' "$DBG/count")" 0
check_eq unchanged_no_stacks_session "$(awk '$1 == "func" { print $2 }' "$DBG/stacks")" ""

# ---- CLI: what any user may run.
allowed() { # NAME ARGS...
	_n=$1
	shift
	out=$($NOBODY timeout 20 "$SOCKTAP" "$@" 2>&1 < /dev/null)
	rc=$?
	if [ $rc -eq 0 ]; then pass "cli_allowed_$_n"; else fail "cli_allowed_$_n" "'socktap $*' as nobody: exit $rc: $(printf '%s' "$out" | head -3 | tr '\n' ' ')"; fi
}
allowed status status
allowed status_json status -j
allowed probe_list probe list
allowed probe_list_json probe -j list
allowed hist hist connect
allowed hist_json hist -j lifetime
allowed hist_sizes hist tcp-sendmsg
allowed tcp tcp
allowed tcp_json tcp -j
allowed filter_show filter
allowed funcs funcs 'tcp_v4_conn*'
allowed metrics metrics
check_grep status_says_no_debugfs 'debugfs: .*not visible' "$($NOBODY "$SOCKTAP" status 2>&1)"
check_grep metrics_says_left_out 'left out, as they need CAP_NET_ADMIN' "$($NOBODY "$SOCKTAP" metrics 2>&1 >/dev/null)"
check_grep funcs_says_no_kprobe_layer 'CAP_NET_ADMIN' "$($NOBODY "$SOCKTAP" funcs 'tcp_v4_conn*' 2>&1 >/dev/null)"

# ---- netlink: each command once (nlfuzz perm), as nobody and as root.
if [ -x "$NLFUZZ" ]; then
	$NOBODY "$NLFUZZ" perm > $W/nobody.out 2> $W/nobody.err
	rc=$?
	grep -v '^stat ' $W/nobody.out | sed 's/^/  | /'
	check_eq netlink_nobody_exit "$rc" 0
	pst() { awk -v k="$1" '$1 == "stat" && $2 == k { print $3 }' "$2"; }
	check_eq netlink_optable_as_netlink_c "$(pst optable_mismatches $W/nobody.out)" 0
	admin=$(grep -c '^perm .* admin=1 err=-1 want=-1 ok$' $W/nobody.out)
	open=$(grep -c '^perm .* admin=0 err=0 want=0 ok$' $W/nobody.out)
	# Ten commands with GENL_ADMIN_PERM, each valid and with garbage; five
	# for anyone, PROBE_GET and HIST_GET as doit and dump (module/netlink.c).
	check_eq "netlink_admin_eperm_${admin}" "$admin" 20
	check_eq "netlink_open_ok_${open}" "$open" 7
	check_eq netlink_bad "$(pst perm_bad $W/nobody.out)" 0
	join=$(pst mcast_join $W/nobody.out)
	ev=$(pst mcast_events $W/nobody.out)
	if [ "$join" = -1 ]; then
		pass mcast_join_refused_eperm
	elif [ "$join" = 0 ] && [ "$ev" = 0 ]; then
		# No GENL_MCAST_CAP_NET_ADMIN (5.10): joined, nothing delivered.
		pass mcast_joined_no_events_delivered
	else
		fail mcast_unprivileged "join $join, $ev events delivered to nobody"
	fi
	"$NLFUZZ" perm > $W/root.out 2> $W/root.err
	rc=$?
	check_eq netlink_root_exit "$rc" 0
	check_eq netlink_root_mcast_join "$(pst mcast_join $W/root.out)" 0
	check_eq netlink_root_events "$([ "$(pst mcast_events $W/root.out)" -gt 0 ] && echo yes)" yes
else
	fail nlfuzz_built "$NLFUZZ missing: make tests/guest/nlfuzz"
fi

# ---- a user namespace's CAP_NET_ADMIN is not the initial namespace's.
if $NOBODY unshare -U -r true 2>/dev/null; then
	out=$($NOBODY unshare -U -r "$SOCKTAP" reset 2>&1); rc=$?
	check_eq userns_reset_refused "$rc" 4
	out=$($NOBODY unshare -U -r "$SOCKTAP" probe disable inet_stream_connect 2>&1); rc=$?
	check_eq userns_probe_disable_refused "$rc" 4
	check_eq userns_unchanged "$(state inet_stream_connect)" attached
else
	echo "# no unprivileged user namespaces here ($($NOBODY unshare -U -r true 2>&1 | head -1);" \
		"kernel.unprivileged_userns_clone=$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null)," \
		"user.max_user_namespaces=$(cat /proc/sys/user/max_user_namespaces)): userns checks skipped"
fi

# ---- debugfs: modes and owners, exactly; unreadable to nobody.
check_eq debugfs_mount_mode "$(stat -c '%a %U %G' /sys/kernel/debug)" "700 root root"
check_eq debugfs_dir_mode "$(stat -c '%a %U %G' $DBG)" "755 root root"
check_eq debugfs_files "$(ls $DBG | tr '\n' ' ')" "count hist listeners probes procs stacks status tcp version "
# Aggregates for anyone who can reach debugfs; processes and flows root
# only, as their netlink dumps are.
for f in hist probes status tcp version; do
	check_eq "debugfs_mode_$f" "$(stat -c '%a %U %G' $DBG/$f)" "444 root root"
done
for f in count listeners procs stacks; do
	check_eq "debugfs_mode_$f" "$(stat -c '%a %U %G' $DBG/$f)" "400 root root"
done
if $NOBODY ls /sys/kernel/debug > /dev/null 2>&1; then
	fail debugfs_nobody_cannot_list "nobody lists /sys/kernel/debug"
else
	pass debugfs_nobody_cannot_list
fi
for f in version procs listeners; do
	if $NOBODY cat $DBG/$f > /dev/null 2>&1; then
		fail "debugfs_nobody_cannot_read_$f" "nobody reads $DBG/$f"
	else
		pass "debugfs_nobody_cannot_read_$f"
	fi
done
# Where debugfs is mounted mode 755 (some systems do), the aggregates are
# readable by any user, the process and flow tables still not.
if mount -o remount,mode=755 /sys/kernel/debug 2>/dev/null; then
	for f in procs listeners count stacks; do
		if $NOBODY cat $DBG/$f > /dev/null 2>&1; then
			fail "debugfs_755_nobody_cannot_read_$f" "nobody reads $DBG/$f"
		else
			pass "debugfs_755_nobody_cannot_read_$f"
		fi
	done
	check_cmd debugfs_755_nobody_reads_status $NOBODY cat $DBG/status
	mount -o remount,mode=700 /sys/kernel/debug
	check_eq debugfs_mount_mode_back "$(stat -c '%a' /sys/kernel/debug)" 700
else
	fail debugfs_remount_755 "mount -o remount,mode=755 /sys/kernel/debug failed"
fi

check_cmd rmmod rmmod socktap
check_eq dmesg_clean "$(dmesg_bad)" ""
finish
