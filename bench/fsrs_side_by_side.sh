#!/usr/bin/env bash
# FSRS scheduler throughput, mindcards vs ts-fsrs 5.4.2 (node), on the same
# review stream.
#
#   bench/fsrs_side_by_side.sh [BUILD_DIR]     (default: build)
#
# Installs ts-fsrs@5.4.2 into BUILD_DIR/bench-node, lets
# bench/fsrs_side_by_side.mjs simulate a deterministic stream of 80,000
# reviews (written to BUILD_DIR/bench-node/fsrs_stream.csv) and time ts-fsrs
# on it, then runs BUILD_DIR/bench/fsrs_bench on the same file. Both print a
# checksum of the outcomes of next(); equal checksums mean both computed the
# same schedules.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
node_dir="$build/bench-node"
bench="$build/bench/fsrs_bench"

command -v node >/dev/null || { echo "node is not installed" >&2; exit 1; }
[ -x "$bench" ] || { echo "$bench not built (cmake --build $build --target fsrs_bench)" >&2; exit 1; }
mkdir -p "$node_dir"
if [ ! -f "$node_dir/node_modules/ts-fsrs/package.json" ] ||
   ! grep -q '"version": "5.4.2"' "$node_dir/node_modules/ts-fsrs/package.json"; then
  (cd "$node_dir" && [ -f package.json ] || echo '{"private": true}' >package.json
   cd "$node_dir" && npm install --no-audit --no-fund --silent ts-fsrs@5.4.2)
fi

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== ts-fsrs (node $(node --version))"
(cd "$node_dir" && node "$here/fsrs_side_by_side.mjs" fsrs_stream.csv --write)
echo "== mindcards ($bench)"
FSRS_STREAM="$node_dir/fsrs_stream.csv" taskset -c 0 "$bench" \
  --benchmark_counters_tabular=true --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true
