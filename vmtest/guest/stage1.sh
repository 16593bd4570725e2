# vmtest guest stage 1 (run by /init, busybox sh). Brings up the test environment and runs
# $BPFTESTS_WORK/guest.sh in it. Everything the host needs to judge the run goes to the work
# share: status (one "key:value" a line), dmesg.txt, plus what guest.sh writes.
# BPFTESTS_WORK arrives from the kernel command line (a parameter without a dot becomes an
# environment variable of init); the rest comes from $BPFTESTS_WORK/vm.env.
say() { echo "vmtest: $*"; }
t0=$(cut -d' ' -f1 /proc/uptime)

for m in $(cat /modules.list); do insmod "/modules/$m" || say "insmod $m failed"; done
ip link set lo up

# Root: the host's / (read-only virtiofs export) as the lower layer of an overlay with a
# tmpfs upper, so the guest can write anywhere without touching the host.
mkdir -p /lower /upper /newroot
mount -t virtiofs -o ro root /lower || { say "cannot mount the root share"; exit 1; }
mount -t tmpfs -o mode=0755 tmpfs /upper
mkdir -p /upper/u /upper/w
mount -t overlay overlay -o lowerdir=/lower,upperdir=/upper/u,workdir=/upper/w /newroot ||
  { say "cannot mount the overlay root"; exit 1; }
R=/newroot
mount -t proc proc $R/proc
mount -t sysfs sysfs $R/sys
mount -t devtmpfs devtmpfs $R/dev
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts devpts $R/dev/pts
mount -t tmpfs -o mode=1777 tmpfs $R/dev/shm
mount -t tmpfs -o mode=0755 tmpfs $R/run
# /tmp stays the overlay's (writable already): a tmpfs there would hide a repository under /tmp
mount -t bpf bpf $R/sys/fs/bpf
mount -t tracefs tracefs $R/sys/kernel/tracing
mount -t debugfs debugfs $R/sys/kernel/debug
mount -t cgroup2 cgroup2 $R/sys/fs/cgroup
mount -t securityfs securityfs $R/sys/kernel/security 2>/dev/null

W=$BPFTESTS_WORK
mkdir -p $R$W
mount -t virtiofs work $R$W || { say "cannot mount the work share"; exit 1; }
echo "started" >$R$W/status
echo "init-uptime:$t0" >>$R$W/status
. $R$W/vm.env

# The guest kernel's own modules and config where modprobe and libbpf look for them.
mkdir -p $R/usr/lib/modules/$KERNEL_RELEASE $R/boot
mount --bind $R$KERNEL_MODULES $R/usr/lib/modules/$KERNEL_RELEASE
cp $R$KERNEL_CONFIG $R/boot/config-$KERNEL_RELEASE

say "uptime $(cut -d' ' -f1 /proc/uptime)s: running tests"
echo "command-uptime:$(cut -d' ' -f1 /proc/uptime)" >>$R$W/status
chroot $R /bin/sh $W/guest.sh
rc=$?
echo "run:$rc" >>$R$W/status
dmesg >$R$W/dmesg.txt
echo "shutdown:clean" >>$R$W/status
sync
say "uptime $(cut -d' ' -f1 /proc/uptime)s: done, rc=$rc"
