#!/bin/sh
# Where a guest's test process spends its time: runs inside a vmtest guest and prints one
# "phase LABEL SECONDS rc=N" line per step (guest uptime before and after), so variants are compared
# back to back within one boot, under the same host load. From the repository root on the host:
#   flock /tmp/vmtest.lock dotnet vmtest/Vmtest.Cli/bin/Release/net10.0/vmtest.dll run --kernel 6.12 \
#     --shell 'sh vmtest/guest-phases.sh' && grep ^phase artifacts/vmtest/6.12/output.log
# Arguments: a test filter for the one-test steps (default: one map test).
filter=${1:-Name=InternalMapsAreNamedLikeLibbpf}
bin=vmtest/GuestTests/bin/Release/net10.0
up() { cut -d' ' -f1 /proc/uptime; }
step() {
  label=$1; shift
  t0=$(up); "$@" >/tmp/phase.out 2>&1; rc=$?; t1=$(up)
  echo "phase $label $(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }") rc=$rc"
}
echo "phase boot-to-command $(up) rc=0"
step muxer dotnet --list-runtimes
step small-app-jit dotnet vmtest/Vmtest.Cli/bin/Release/net10.0/vmtest.dll
step discovery-jit $bin/BpfTests.Guest --list-tests
step discovery-r2r $bin/r2r/BpfTests.Guest --list-tests
step discovery-r2r-again $bin/r2r/BpfTests.Guest --list-tests
step discovery-jit-again $bin/BpfTests.Guest --list-tests
step one-test-jit $bin/BpfTests.Guest --no-progress --no-ansi --filter "$filter"
step one-test-r2r $bin/r2r/BpfTests.Guest --no-progress --no-ansi --filter "$filter"
step one-test-r2r-tc0 env DOTNET_TieredCompilation=0 $bin/r2r/BpfTests.Guest --no-progress --no-ansi --filter "$filter"
step one-test-r2r-again $bin/r2r/BpfTests.Guest --no-progress --no-ansi --filter "$filter"
if [ -x test_progs/bin/Release/net10.0/r2r/test_progs ]; then
  step test_progs-list-r2r test_progs/bin/Release/net10.0/r2r/test_progs -l
fi
step test_progs-list-jit test_progs/bin/Release/net10.0/test_progs -l
