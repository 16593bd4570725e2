#!/usr/bin/env bash
# ./run.sh bench-cli [RUNS]: `prog loadall` over every built progs/ object as whole processes, the NativeAOT CLI
# (artifacts/cli, from ./run.sh cli) against prog_loadall.c doing the same with libbpf 1.7 (compiled here against
# the reference's headers and run through its own dynamic loader, as the parity suite runs its C programs).
# Time: hyperfine (warm-up 2, RUNS runs, exit codes ignored: some programs fail on any kernel). Peak RSS: GNU
# time's maximum resident set size, median of 5 runs. Serialized with the host suite (pinned map names), niced.
# Paths must not contain spaces (hyperfine -N splits the command line).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
RUNS=${1:-10}
REF=${BPFTESTS_CACHE:-/var/cache/bpftests}/libbpf-1.7
LIB=$REF/usr/lib/x86_64-linux-gnu
CLI=$ROOT/artifacts/cli/BpfLoader.Cli
OUT=$ROOT/artifacts/bench-cli
PROGS=$ROOT/testcases/bin/Release/net10.0/progs
mkdir -p "$OUT"
[ -x "$CLI" ] || { echo "bench-cli: $CLI is missing (./run.sh cli)" >&2; exit 1; }
[ -f "$PROGS/minimal.bpf.o" ] || { echo "bench-cli: no built objects in $PROGS (build testcases)" >&2; exit 1; }
gcc -O2 -Wall -I "$REF/usr/include" -o "$OUT/prog_loadall" "$ROOT/loader/Benchmarks/Cli/prog_loadall.c" \
  -L "$LIB" -lbpf -Wl,--allow-shlib-undefined
mapfile -t objs < <(find "$PROGS" -name '*.bpf.o' | sort)
libbpf=("$LIB/ld-linux-x86-64.so.2" --library-path "$LIB" "$OUT/prog_loadall" "${objs[@]}")
ours=("$CLI" prog loadall "${objs[@]}")

# Pinned maps of the objects land in /sys/fs/bpf: remove what the runs add.
pins_before=$(ls /sys/fs/bpf 2>/dev/null | sort)
cleanup() { comm -13 <(echo "$pins_before") <(ls /sys/fs/bpf 2>/dev/null | sort) | while read -r p; do [ -n "$p" ] && rm -rf "/sys/fs/bpf/$p"; done; }
trap cleanup EXIT

peak_rss_kib() {
  for _ in 1 2 3 4 5; do nice /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; done | sort -n | sed -n 3p
}

exec 9>/tmp/hostsuite.lock
flock 9
echo "objects: ${#objs[@]}; programs loaded: libbpf 1.7 $("${libbpf[@]}" 2>/dev/null | grep -c ': loaded$' || true), ours $("${ours[@]}" 2>/dev/null | grep -c ': loaded$' || true) (load average $(cut -d' ' -f1-3 /proc/loadavg))"
cleanup
# Pins made by one run are reused by the next, alike for both (the warm-up runs create them).
nice hyperfine -N -i --warmup 2 --runs "$RUNS" --export-markdown "$OUT/time.md" --export-json "$OUT/time.json" \
  -n "libbpf 1.7 (C)" "${libbpf[*]}" -n "BpfLoader.Cli (NativeAOT)" "${ours[*]}"
rss_c=$(peak_rss_kib "${libbpf[@]}")
rss_ours=$(peak_rss_kib "${ours[@]}")
echo "peak RSS (median of 5): libbpf 1.7 ${rss_c} KiB, ours ${rss_ours} KiB, ratio $(awk -v a="$rss_ours" -v b="$rss_c" 'BEGIN { printf "%.2f", a / b }')" | tee "$OUT/rss.txt"
