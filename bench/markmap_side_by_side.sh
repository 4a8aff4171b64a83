#!/usr/bin/env bash
# Side by side with markmap-lib: the same generated Markdown is turned into
# a tree by markmap-lib's Transformer (node, in-process time, best of RUNS,
# after a warm-up) and by `mindcards convert -f markdown -t json` (wall time
# of the whole process: start, read, parse, write JSON; best of RUNS).
# Prints a table; the target is mindcards >= 20x faster.
#
#   bench/markmap_side_by_side.sh [BUILD_DIR] [NODES...]
#   (defaults: build, 1000 10000; markmap needs ~1 ms a node)
#
# Installs markmap-lib (pinned) into BUILD_DIR/bench-node on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000)
runs=${RUNS:-3}
mindcards=${MINDCARDS:-$build/mindcards}
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "node and npm are needed for this comparison; skipping" >&2
  exit 0
fi
[ -x "$mindcards" ] || { echo "no $mindcards; build first (make build)" >&2; exit 1; }
modules=$build/bench-node
if [ ! -d "$modules/node_modules/markmap-lib" ]; then
  mkdir -p "$modules"
  (cd "$modules" && npm install --no-audit --no-fund --silent markmap-lib@0.18.12 >/dev/null)
fi
export NODE_PATH=$PWD/$modules/node_modules
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf '%-8s %10s %8s %14s %14s %9s\n' nodes bytes "nodes*" "markmap ms" "mindcards ms" speedup
for n in "${sizes[@]}"; do
  md=$work/map-$n.md
  node bench/markmap_transform.mjs --generate "$n" >"$md"
  bytes=$(wc -c <"$md")
  read -r _ mm_nodes mm_ms < <(node bench/markmap_transform.mjs --runs "$runs" "$md")
  best=""
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$mindcards" convert "$md" -f markdown -t json -o "$work/out.json"
    ms=$(( ($(date +%s%N) - start) / 1000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  mc_ms=$(awk -v us="$best" 'BEGIN { printf "%.1f", us / 1000 }')
  mc_nodes=$("$mindcards" info "$work/out.json" 2>/dev/null | awk -F': *' '/^nodes/ {print $2}')
  speedup=$(awk -v a="$mm_ms" -v b="$mc_ms" 'BEGIN { printf "%.0fx", a / b }')
  printf '%-8s %10s %8s %14s %14s %9s\n' "$n" "$bytes" "$mm_nodes/${mc_nodes:-?}" \
    "$mm_ms" "$mc_ms" "$speedup"
done
echo "(nodes*: markmap's node count / mindcards' node count)"
