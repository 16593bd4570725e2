#!/usr/bin/env bash
# Benchmark (not a timed test): per kernel, boot to guest init and a whole VM run of `true`, then one
# trivial test through the MTP executable and through `dotnet test`. Prints one row per kernel.
#   vmtest/bench.sh [--kernel 6.12]...
# Needs a build (./run.sh builds) and root. Never runs two guests at once.
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet vmtest/Vmtest.Cli/bin/Release/net10.0/vmtest.dll bench "$@"
