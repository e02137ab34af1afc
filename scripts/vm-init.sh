#!/bin/busybox sh
# socktap guest init: PID 1 inside the initramfs that scripts/vm.sh builds.
#
# It turns the host's root (shared read-only over 9p) into a writable guest
# root (tmpfs overlay), runs the host's COMMAND in it, reports the exit status
# back over a private 9p share and powers off.  Anything that goes wrong before
# the status is written simply powers off: vm.sh then sees no status file and
# reports a harness failure with the console tail, so failing loudly here is
# the right thing to do.
#
# Protocol with vm.sh (all files in the private 9p share "socktapctl",
# mounted at /ctl here; COMMAND never sees it):
#   in : cmd (the shell command line), cwd (host working directory),
#        kmoddir (host path of the kernel's lib/modules/KVER tree)
#   out: stdout, stderr (COMMAND's output; vm.sh streams them live),
#        tainted (/proc/sys/kernel/tainted after COMMAND),
#        status (COMMAND's exit code; written last = "run completed").
# The guest side of cmd and stage 2 are copied to /run/socktap in the guest.
# Note: busybox sh, not bash (only busybox exists until we chroot).

PATH=/bin:/sbin:/usr/bin:/usr/sbin
export PATH

# Create the applet links first: nothing but /bin/busybox exists yet.
/bin/busybox --install -s

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# The kernel may have started us without a console (no /dev/console in the
# cpio when it was not built as root): make sure our messages reach ttyS0.
exec </dev/null >/dev/console 2>&1

log() { echo "vm-init: $*"; }

die() {
	log "FATAL: $*"
	# No status file: vm.sh reports a harness failure with the console tail.
	sync
	poweroff -f
	echo o >/proc/sysrq-trigger
	sleep 60
}

# Modules needed to reach the root (virtio PCI transport, 9p, overlay...),
# in dependency order as vm.sh resolved them with modprobe --show-depends.
# "File exists" cannot happen (vm.sh dedups), so every failure is fatal.
if [ -s /modules/order ]; then
	while read -r ko; do
		insmod "/modules/$ko" || die "insmod $ko failed"
	done </modules/order
fi

mkdir -p /lower /rw /newroot /ctl

# Mount a 9p share; the virtio devices are probed while the driver module
# loads, but retry briefly in case a probe is still in flight.
mount9p() { # TAG DIR OPTIONS
	i=0
	while ! mount -t 9p -o "trans=virtio,version=9p2000.L,msize=262144,$3" "$1" "$2"; do
		i=$((i + 1))
		[ "$i" -lt 20 ] || return 1
		sleep 0.1
	done
}

# The control share must not cache: vm.sh reads it while we write.
mount9p socktapctl /ctl "" || die "cannot mount the control share"
# The host root never changes under us during a run: cache=loose is much
# faster (attribute/page caching) than the default cache=none.
mount9p hostroot /lower "ro,cache=loose" || die "cannot mount the host root"

cwd=$(cat /ctl/cwd) || die "no cwd"
kmoddir=$(cat /ctl/kmoddir) || die "no kmoddir"
kver=$(uname -r)

# Writable root: tmpfs upper over the read-only host root; changes vanish at
# poweroff, so COMMAND cannot damage the host.
mount -t tmpfs -o mode=0755 tmpfs /rw || die "tmpfs"
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot ||
	die "cannot mount the overlay root"

R=/newroot
# Pseudo filesystems of the guest's own, hiding the host's /proc, /sys, /dev,
# /run and /tmp content that the 9p share exposes (and anything the host has
# mounted below them, which would otherwise leak in as stale directories).
mount -t proc proc $R/proc || die "proc"
mount -t sysfs sysfs $R/sys || die "sysfs"
mount -t devtmpfs devtmpfs $R/dev || die "devtmpfs"
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts -o gid=5,mode=0620,ptmxmode=0666 devpts $R/dev/pts || die "devpts"
mount -t tmpfs -o mode=1777 tmpfs $R/dev/shm || die "shm"
# devtmpfs lacks these links; bash process substitution needs /dev/fd.
ln -sf /proc/self/fd $R/dev/fd
ln -sf /proc/self/fd/0 $R/dev/stdin
ln -sf /proc/self/fd/1 $R/dev/stdout
ln -sf /proc/self/fd/2 $R/dev/stderr
mount -t tmpfs -o mode=0755 tmpfs $R/run || die "run"
mount -t tmpfs -o mode=1777 tmpfs $R/tmp || die "tmp"
# Tracing and BPF interfaces the tests rely on.  Each exists as an empty
# mount point in sysfs once the kernel has the feature.
# "socktap_nodebugfs" on the kernel command line (vm.sh --append) leaves
# debugfs unmounted, as on machines that do not mount it.
case " $(cat /proc/cmdline) " in
*" socktap_nodebugfs "*) ;;
*) mount -t debugfs debugfs $R/sys/kernel/debug || die "debugfs" ;;
esac
if [ -d $R/sys/kernel/tracing ]; then
	mount -t tracefs tracefs $R/sys/kernel/tracing || die "tracefs"
fi
mount -t bpf bpf $R/sys/fs/bpf || die "bpffs"
mount -t cgroup2 cgroup2 $R/sys/fs/cgroup || die "cgroup2"

# The working directory may live under a path we just hid behind a tmpfs
# (CI clones into temp dirs): give it back as its own writable overlay.
case "$cwd" in
/tmp | /tmp/* | /run | /run/* | /dev/shm | /dev/shm/*)
	mkdir -p "$R$cwd" /rw/cwd/upper /rw/cwd/work
	mount -t overlay -o "lowerdir=/lower$cwd,upperdir=/rw/cwd/upper,workdir=/rw/cwd/work" \
		overlay "$R$cwd" || die "cannot overlay the working directory $cwd"
	;;
esac
[ -d "$R$cwd" ] || die "working directory $cwd missing in the guest"

# The kernel's own module tree, so modprobe veth/sch_netem/nf_tables work in
# the guest.  Bind from the 9p lower (a path below /tmp is hidden in $R).
# mkdir through the chroot so the host's lib -> usr/lib link is followed
# inside the new root, never out of it.
chroot $R mkdir -p "/lib/modules/$kver" || die "mkdir /lib/modules/$kver"
moddir=$(chroot $R readlink -f "/lib/modules/$kver") || die "readlink"
mount --bind "/lower$kmoddir" "$R$moddir" || die "cannot bind $kmoddir"
# Its headers at /usr/src, where the tree's build/source links lead.
ksrc=$(cat /ctl/ksrc 2>/dev/null)
if [ -n "$ksrc" ]; then
	mount --bind "/lower$ksrc" "$R/usr/src" || die "cannot bind $ksrc"
fi

# The read-write output share.
mkdir -p $R/mnt/out
mount9p socktapout $R/mnt/out "" || die "cannot mount the out share"

hostname socktap-vm
ip link set lo up || die "lo up"

log "running command in $cwd"
# PID 1 itself moves into the new root (chroot, like switch_root does): PID 1
# shares its fs_struct with the kernel's own threads, so the kernel's
# usermode helpers (module autoloading through /sbin/modprobe, e.g. nfnetlink
# for nft) then find the host's tools and the bound module tree.  A forked
# chroot would leave them looking into this initramfs.
#
# Stage 2 runs as PID 1 under the host's /bin/sh.  It reaches the control
# share only through these inherited descriptors, never by path, so COMMAND
# cannot see or clobber it:
#   3 status, 4 tainted, 5 COMMAND's stdout, 6 COMMAND's stderr.
# COMMAND runs as root in the host's cwd with a clean environment (the
# host's is not ours to pass on) and no stdin.  PID 1 must never exit (that
# panics the kernel, which vm.sh would report as a crash): it powers off
# through sysrq and waits.
mkdir -p $R/run/socktap
cat /ctl/cmd >$R/run/socktap/cmd
cat >$R/run/socktap/stage2 <<'EOF2'
# socktap guest init, stage 2 (PID 1, host's /bin/sh): see scripts/vm-init.sh.
cwd=$1
# bpftrace reads kernel headers for tools that #include them; the tree's
# build link is relative and breaks behind the /lib -> usr/lib link.
kb=/usr/src/linux-headers-$(uname -r)
ks=$(ls -d /usr/src/linux-headers-*-common* 2>/dev/null | head -n 1)
env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root USER=root LOGNAME=root SHELL=/bin/sh TERM=dumb LANG=C.UTF-8 \
	SOCKTAP_VM=1 SOCKTAP_OUT=/mnt/out \
	BPFTRACE_KERNEL_BUILD="$kb" BPFTRACE_KERNEL_SOURCE="${ks:-$kb}" \
	/bin/sh -c 'cd "$1" && exec /bin/sh -c "$2"' sh "$cwd" "$(cat /run/socktap/cmd)" \
	</dev/null >&5 2>&6 3>&- 4>&- 5>&- 6>&-
rc=$?
echo "vm-init: command exited with $rc"
cat /proc/sys/kernel/tainted >&4
# The whole kernel log, not just what reached the (quiet) console.
dmesg >/mnt/out/dmesg.txt 2>&1
# The status goes last: its presence tells vm.sh the run completed.
echo "$rc" >&3
sync
echo o >/proc/sysrq-trigger
while :; do sleep 1; done
EOF2
# shellcheck disable=SC2093 # exec fails only if chroot cannot be run
exec chroot $R /bin/sh /run/socktap/stage2 "$cwd" \
	3>/ctl/status 4>/ctl/tainted 5>/ctl/stdout 6>/ctl/stderr
die "exec chroot failed"
