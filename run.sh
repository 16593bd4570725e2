#!/usr/bin/env bash
# BpfTests entry point.
#   ./run.sh              main job: install what is missing, build, run the suite on this kernel,
#                         then the vmtest matrix (Debian kernels 6.1, 6.12, 7.2 under QEMU) with a
#                         per-kernel table
#   ./run.sh test         the tests, as CI runs them (.ci/run): host suite, the packages' consumer sample, the README's examples, the vmtest runner's own
#                         tests, the vmtest matrix; one closing line "tests: N passed, N failed, N skipped"
#   ./run.sh host [ARGS]  only the host suite (dotnet test ARGS, e.g. --filter Name~Attach)
#   ./run.sh vmtest [--kernel 6.12]... [--mode test_progs|mtp|dotnet-test] [--assembly PATH] [-- FLAGS|FILTER]
#                         build, then the tests inside QEMU guests (default: the whole matrix); --assembly
#                         runs another test assembly (e.g. your own project's) with `dotnet test` instead
#   ./run.sh runner-tests the vmtest runner's own tests (boot a few tiny guests)
#   ./run.sh test_progs [ARGS]  the host suite through the test_progs command line (-t/-a/-d/-n/-v/-j/-J/-w ...)
#   ./run.sh pack         NuGet packages (loader, harness, skeleton generator, the CLI as a .NET tool) and
#                         their symbol packages into artifacts/packages (packaging/)
#   ./run.sh sample       pack, then build and test the consumer sample (samples/PacketCounter) against the packages
#   ./run.sh readme       run the README's runnable shell examples (```sh runnable blocks), after a build
#   ./run.sh setup        only install the host prerequisites and the libbpf 1.7 reference (idempotent)
#   ./run.sh report [DIR] the HTML report (DIR/report.html) and Markdown summary of existing result
#                         files, e.g. a downloaded CI artifact (default: artifacts/); host, vmtest and
#                         test write it at their end too
#   ./run.sh bench        loader vs libbpf 1.7 and 1.1 benchmarks (BenchmarkDotNet, Release; not part of the tests)
#   ./run.sh cli          publish the command line as a native executable (NativeAOT): artifacts/cli/BpfLoader.Cli
#   ./run.sh bench-cli [RUNS]  `prog loadall` over all progs/ objects, whole processes: the native CLI vs a C
#                         program on libbpf 1.7 (hyperfine; peak RSS with GNU time)
#   ./run.sh fuzz [--cases N] [--seed S] [--target open|btf|btfext|cdump] [--jobs J]
#                         structure-aware fuzzing of the loader's parsers (fuzz/BpfFuzz); findings are
#                         minimized into testcases/Reliability/FuzzFixtures, which the host suite replays
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)

# Debian packages the build and the tests need on the host.
HOST_PACKAGES=(clang-19 llvm-19 libbpf-dev bpftool linux-libc-dev make gcc)

# What vmtest needs on the host: bookworm's QEMU for its libraries and the C virtiofsd (the QEMU 10
# binary itself comes from bookworm-backports into the cache), busybox for the initramfs,
# debootstrap for the sid build root, kbuild's tools for bpf_testmod.
VMTEST_PACKAGES=(qemu-system-x86 busybox-static debootstrap dwarves kmod xz-utils zstd lz4 make gcc libelf-dev util-linux)

# NativeAOT's native link (it links with clang-19 from HOST_PACKAGES) and the CLI benchmark's timers.
CLI_PACKAGES=(zlib1g-dev)
BENCH_CLI_PACKAGES=(hyperfine time)

# The report's browser tests (headless Chromium opens the generated page).
REPORT_PACKAGES=(chromium)

log() { printf '[run.sh] %s\n' "$*" >&2; }

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    log "this project loads BPF programs into the kernel and installs packages: run it as root"
    exit 1
  fi
}

install_host_packages() {
  local missing=()
  for p in "${HOST_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  command -v dotnet >/dev/null || { log "the .NET 10 SDK (dotnet) is required"; exit 1; }
}

build() {
  log "building BpfTests.sln"
  dotnet build BpfTests.sln -c Release -nologo -clp:ErrorsOnly -v:quiet
}

# Runs the NUnit suite with a TRX log and prints one closing line: "tests: N passed, N failed, N skipped".
run_tests() {
  local results="$ROOT/artifacts/test-results"
  rm -rf "$results"; mkdir -p "$results"
  uname -r >"$results/kernel-release"
  local rc=0
  dotnet test testcases/BpfTests.csproj -c Release --no-build --nologo \
    --logger "trx;LogFileName=host.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" "$@" || rc=$?
  summarize_trx "$results/host.trx"
  return $rc
}

summarize_trx() {
  local trx=$1
  [ -f "$trx" ] || { log "no test results at $trx"; return 1; }
  local counters
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  local passed failed total executed
  passed=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
  failed=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
  total=$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")
  executed=$(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$counters")
  local skipped=$((total - executed))
  echo "tests: $passed passed, $failed failed, $skipped skipped"
}

vmtest_cli() {
  dotnet "$ROOT/vmtest/Vmtest.Cli/bin/Release/net10.0/vmtest.dll" "$@"
}

# The reference libraries of vmtest/vmtest.lock (libbpf 1.7, bpftool 7.8) unpacked into the cache
# (idempotent; the parity and compatibility suites run C programs against them). Needs the vmtest CLI built.
provision_references() {
  vmtest_cli references
}

# ./run.sh vmtest [options] [-- FLAGS|FILTER]: options go to the vmtest CLI; test_progs flags after --
# (-a subskeleton -v) go to test_progs in the guest; anything else after -- is an NUnit filter (--filter).
run_vmtest() {
  local args=() filter=""
  while [ $# -gt 0 ]; do
    if [ "$1" = "--" ]; then
      shift
      if [ "${1:-}" != "" ] && [ "${1#-}" != "$1" ]; then args+=(-- "$@"); else filter="$*"; fi
      break
    fi
    if [ "$1" = "--assembly" ] && [ $# -gt 1 ]; then  # relative to where run.sh was called
      local a=$2; [[ $a = /* ]] || a="$OLDPWD/$a"
      args+=(--assembly "$a"); shift 2; continue
    fi
    args+=("$1"); shift
  done
  [ -n "$filter" ] && args+=(--filter "$filter")
  local rc=0
  vmtest_cli run "${args[@]}" | tee "$ROOT/artifacts/vmtest-run.log" || rc=${PIPESTATUS[0]}
  return $rc
}

# The matrix report from the result files in artifacts/ (ARGS: --column host, ...). It compares with
# the previous run kept in the cache and then keeps this one; a report that fails never fails the run.
run_report() {
  vmtest_cli report "$ROOT/artifacts" --remember "$@" >&2 || log "no report: see the message above"
}

# The runner's own tests (a few boot real tiny guests).
run_runner_tests() {
  local results="$ROOT/artifacts/runner-test-results"
  rm -rf "$results"; mkdir -p "$results"
  local rc=0
  dotnet test vmtest/Vmtest.Tests/Vmtest.Tests.csproj -c Release --no-build --nologo \
    --logger "trx;LogFileName=runner.trx" --results-directory "$results" || rc=$?
  summarize_trx "$results/runner.trx"
  return $rc
}

# test_progs' own tests: its parsing/selection/output and end-to-end runs over a fixture assembly.
run_test_progs_tests() {
  local results="$ROOT/artifacts/test_progs-test-results"
  rm -rf "$results"; mkdir -p "$results"
  local rc=0
  dotnet test test_progs/Tests/TestProgs.Tests.csproj -c Release --no-build --nologo \
    --logger "trx;LogFileName=test_progs.trx" --results-directory "$results" || rc=$?
  summarize_trx "$results/test_progs.trx"
  return $rc
}

# The suite through the test_progs front end (test_progs/README.md), from the repository root.
run_test_progs() {
  "$ROOT/test_progs/bin/Release/net10.0/test_progs" "$@"
}

# Host tests, runner tests, vmtest matrix; then one closing line summing all three.
run_all() {
  mkdir -p "$ROOT/artifacts"
  local rc=0 out="$ROOT/artifacts/summary-lines"
  : >"$out"
  run_tests | tee -a "$out" || rc=1
  run_sample | tee -a "$out" || rc=1
  run_readme | tee -a "$out" || rc=1
  run_test_progs_tests | tee -a "$out" || rc=1
  run_runner_tests | tee -a "$out" || rc=1
  run_vmtest "$@" | tee -a "$out" || rc=1
  run_report
  local p f s
  p=$(grep -oE '^(tests|vmtest): [0-9]+ passed' "$out" | awk '{s+=$2} END {print s+0}')
  f=$(grep -oE '^(tests|vmtest): [0-9]+ passed, [0-9]+ failed' "$out" | awk '{s+=$4} END {print s+0}')
  s=$(grep -oE '^(tests|vmtest): [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$out" | awk '{s+=$6} END {print s+0}')
  echo
  echo "tests: $p passed, $f failed, $s skipped"
  return $rc
}

# The packages (packaging/Packages.slnf: loader, harness, skeleton generator, the CLI as a .NET tool) and their
# symbol packages into artifacts/packages; old ones removed first, so the folder holds one pack.
run_pack() {
  rm -rf "$ROOT/artifacts/packages"; mkdir -p "$ROOT/artifacts/packages"
  log "packing packaging/Packages.slnf into artifacts/packages"
  dotnet pack packaging/Packages.slnf -c Release -nologo -clp:ErrorsOnly -v:quiet
  ls "$ROOT/artifacts/packages"
}

# The consumer sample (samples/PacketCounter): packs, then builds and runs it against artifacts/packages as an
# outside project would. The packages keep one version, so this pack's copies leave NuGet's global cache first.
SAMPLE_PROJECT=samples/PacketCounter/PacketCounter.Tests.csproj
run_sample() {
  run_pack >&2
  local cache id
  cache=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
  for id in bpftests.loader bpftests.harness bpftests.skeletongenerator bpftests.cli; do rm -rf "${cache:?}/$id"; done
  rm -rf "$ROOT/samples/PacketCounter/bin" "$ROOT/samples/PacketCounter/obj"
  local results="$ROOT/artifacts/sample-test-results"
  rm -rf "$results"; mkdir -p "$results"
  local rc=0
  dotnet test "$SAMPLE_PROJECT" -c Release --nologo \
    --logger "trx;LogFileName=sample.trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" || rc=$?
  summarize_trx "$results/sample.trx"
  return $rc
}

# The README's runnable shell examples (fenced as ```sh runnable), each block run verbatim by bash from the
# repository root after the set-up commands' build; one test per block, logs in artifacts/readme/.
run_readme() {
  local dir="$ROOT/artifacts/readme" n=0 failed=0 f
  rm -rf "$dir"; mkdir -p "$dir"
  awk -v dir="$dir" '/^```sh runnable$/ { n++; f = sprintf("%s/block%02d.sh", dir, n); inb = 1; next }
                     /^```/ && inb { inb = 0; close(f); next }
                     inb { print > f }' "$ROOT/README.md"
  for f in "$dir"/block*.sh; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    if (cd "$ROOT" && bash -euo pipefail "$f") >"${f%.sh}.log" 2>&1; then
      log "README example $(basename "$f" .sh): ok"
    else
      failed=$((failed + 1))
      log "README example $(basename "$f" .sh) failed; its script and the end of its output:"
      sed 's/^/    /' "$f" >&2; tail -20 "${f%.sh}.log" | sed 's/^/  | /' >&2
    fi
  done
  echo "tests: $((n - failed)) passed, $failed failed, 0 skipped"
  [ "$failed" -eq 0 ]
}

# Side-by-side benchmarks with libbpf 1.7 and the host's 1.1; extra arguments go to BenchmarkDotNet (e.g.
# --filter '*Btf*'). Sid's libbpf 1.7 needs sid's glibc, so the process starts through sid's dynamic loader,
# copied next to the apphost (the .NET host looks for the application beside its own executable). Niced.
run_bench() {
  log "running loader/Benchmarks (Release, in-process) with libbpf 1.7 and 1.1"
  local out="$ROOT/loader/Benchmarks/bin/Release/net10.0" ref=/var/cache/bpftests/libbpf-1.7/usr/lib/x86_64-linux-gnu
  dotnet build loader/Benchmarks/BpfLoader.Benchmarks.csproj -c Release -nologo -clp:ErrorsOnly -v:quiet
  install -m 755 "$ref/ld-linux-x86-64.so.2" "$out/ld-linux-x86-64.so.2"
  nice "$out/ld-linux-x86-64.so.2" --library-path "$ref" "$out/BpfLoader.Benchmarks" "$@"
}

# The command line as a NativeAOT executable (trimmed; the build fails on any trim or AOT warning).
publish_cli() {
  log "publishing loader/Cli (NativeAOT) to artifacts/cli"
  dotnet publish loader/Cli/BpfLoader.Cli.csproj -c Release -r linux-x64 -o "$ROOT/artifacts/cli" -nologo -clp:ErrorsOnly -v:quiet
}

# Fuzzing: J processes run disjoint case ranges of one seed; a crashed process leaves its case in its state file.
run_fuzz() {
  local cases=100000 jobs=1 args=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --cases) cases=$2; shift 2 ;;
      --jobs) jobs=$2; shift 2 ;;
      *) args+=("$1"); shift ;;
    esac
  done
  local out="$ROOT/artifacts/fuzz"
  mkdir -p "$out"
  local per=$(( (cases + jobs - 1) / jobs )) pids=() rc=0
  for ((j = 0; j < jobs; j++)); do
    dotnet "$ROOT/fuzz/BpfFuzz/bin/Release/net10.0/BpfFuzz.dll" --progs "$ROOT/testcases/bin/Release/net10.0/progs" \
      --fixtures "$ROOT/testcases/Reliability/FuzzFixtures" --state "$out/state.$j" \
      --first $((j * per)) --cases "$per" "${args[@]}" >"$out/job.$j.log" 2>&1 &
    pids+=($!)
  done
  for ((j = 0; j < jobs; j++)); do
    local r=0
    wait "${pids[$j]}" || r=$?
    cat "$out/job.$j.log"
    if [ "$r" -gt 1 ]; then
      log "fuzz job $j died (exit $r) during case: $(cat "$out/state.$j" 2>/dev/null); regenerate it with --reproduce INDEX --out FILE"
    fi
    [ "$r" -eq 0 ] || rc=1
  done
  return $rc
}

cmd=${1:-main}
[ $# -gt 0 ] && shift
case "$cmd" in
  setup)  need_root; install_host_packages "${VMTEST_PACKAGES[@]}" "${REPORT_PACKAGES[@]}"
          dotnet build vmtest/Vmtest.Cli/Vmtest.Cli.csproj -c Release -nologo -clp:ErrorsOnly -v:quiet; provision_references ;;
  # The README's test command (and .ci/run): host tests, runner tests, the vmtest matrix.
  test|ci) need_root; install_host_packages "${VMTEST_PACKAGES[@]}" "${REPORT_PACKAGES[@]}"; build; provision_references; run_all "$@" ;;
  host)   need_root; install_host_packages; build; provision_references; rc=0; run_tests "$@" || rc=$?; run_report --column host; exit $rc ;;
  vmtest) need_root; install_host_packages "${VMTEST_PACKAGES[@]}"; build; provision_references; rc=0; run_vmtest "$@" || rc=$?; run_report; exit $rc ;;
  test_progs) need_root; install_host_packages; build >&2; provision_references >&2; run_test_progs "$@" ;;
  runner-tests) need_root; install_host_packages "${VMTEST_PACKAGES[@]}" "${REPORT_PACKAGES[@]}"; build; run_runner_tests ;;
  report) dotnet build vmtest/Vmtest.Cli/Vmtest.Cli.csproj -c Release -nologo -clp:ErrorsOnly -v:quiet >&2
          dir=${1:-$ROOT/artifacts}; [[ $dir = /* ]] || dir="$OLDPWD/$dir"  # relative to where run.sh was called
          vmtest_cli report "$dir" ;;
  pack)   run_pack ;;
  readme) need_root; install_host_packages; build; provision_references; run_readme ;;
  sample) need_root; install_host_packages; run_sample "$@" ;;
  bench)  need_root; install_host_packages; build; provision_references; run_bench "$@" ;;
  cli)    need_root; install_host_packages "${CLI_PACKAGES[@]}"; publish_cli ;;
  bench-cli) need_root; install_host_packages "${CLI_PACKAGES[@]}" "${BENCH_CLI_PACKAGES[@]}"; build; provision_references; publish_cli
          loader/Benchmarks/Cli/bench.sh "$@" ;;
  fuzz)   need_root; install_host_packages; build; run_fuzz "$@" ;;
  main)   need_root; install_host_packages "${VMTEST_PACKAGES[@]}" "${REPORT_PACKAGES[@]}"; build; provision_references; run_all "$@" ;;
  *) echo "usage: $0 [main|test|host|test_progs|vmtest|runner-tests|report|pack|sample|readme|bench|cli|bench-cli|fuzz|setup]" >&2; exit 64 ;;
esac
