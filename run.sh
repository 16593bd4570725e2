#!/usr/bin/env bash
# BpfTests entry point.
#   ./run.sh              main job: install what is missing, build, run the suite on this kernel, summary
#   ./run.sh test         the tests (what CI runs)
#   ./run.sh setup        only install the host prerequisites (idempotent)
#   ./run.sh bench        loader vs libbpf.so.1 benchmarks (BenchmarkDotNet, Release; not part of the tests)
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)

# Debian packages the build and the tests need on the host.
HOST_PACKAGES=(clang-19 llvm-19 libbpf-dev bpftool linux-libc-dev make gcc)

log() { printf '[run.sh] %s\n' "$*" >&2; }

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    log "this project loads BPF programs into the kernel and installs packages: run it as root"
    exit 1
  fi
}

install_host_packages() {
  local missing=()
  for p in "${HOST_PACKAGES[@]}"; do
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

# Side-by-side benchmarks with the system libbpf; extra arguments go to BenchmarkDotNet (e.g. --filter '*Btf*').
run_bench() {
  log "running loader/Benchmarks (Release, in-process)"
  dotnet run -c Release --project loader/Benchmarks/BpfLoader.Benchmarks.csproj -- "$@"
}

cmd=${1:-main}
[ $# -gt 0 ] && shift
case "$cmd" in
  setup) need_root; install_host_packages ;;
  test)  need_root; install_host_packages; build; run_tests "$@" ;;
  main)  need_root; install_host_packages; build; run_tests "$@" ;;
  bench) need_root; install_host_packages; run_bench "$@" ;;
  *) echo "usage: $0 [test|setup|bench]" >&2; exit 64 ;;
esac
