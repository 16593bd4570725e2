#!/usr/bin/env bash
# Mutation testing with Stryker.NET (./run.sh mutate [FOLDER...]): one run per loader folder (or the harness) listed in
# folders.tsv, each with the tests that exercise it, at the lowest CPU priority. Nightly, not part of ./run.sh test:
# a folder takes from tens of minutes to hours. Reports (json, html) land in artifacts/mutate/FOLDER; the score per
# folder is printed at the end of each run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
dotnet tool restore >/dev/null
folders=("$@")
if [ ${#folders[@]} -eq 0 ]; then
  mapfile -t folders < <(grep -v '^#' mutate/folders.tsv | cut -f1)
fi
rc=0
for folder in "${folders[@]}"; do
  line=$(grep -P "^${folder}\t" mutate/folders.tsv) || { echo "mutate: unknown folder '$folder' (see mutate/folders.tsv)" >&2; exit 64; }
  IFS=$'\t' read -r _ project glob filter <<<"$line"
  out="$ROOT/artifacts/mutate/$folder"
  mkdir -p "$out"
  cat >"$out/stryker-config.json" <<JSON
{
  "stryker-config": {
    "project": "$project",
    "test-projects": ["$ROOT/testcases/BpfTests.csproj"],
    "configuration": "Release",
    "mutate": ["$glob"],
    "test-case-filter": "$filter",
    "concurrency": 1,
    "coverage-analysis": "perTest",
    "reporters": ["json", "html", "progress", "cleartext"],
    "thresholds": { "high": 80, "low": 60, "break": 0 }
  }
}
JSON
  echo "mutate: $folder ($project: $glob; tests: $filter)"
  (cd testcases && nice -n 19 dotnet dotnet-stryker --config-file "$out/stryker-config.json" --output "$out") || rc=1
done
exit $rc
