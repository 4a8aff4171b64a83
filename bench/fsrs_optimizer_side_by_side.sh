#!/usr/bin/env bash
# FSRS optimizer, mindcards vs @open-spaced-repetition/binding (fsrs-rs),
# on review logs simulated by ../shared/fsrs/simulate.mjs.
#
#   bench/fsrs_optimizer_side_by_side.sh [BUILD_DIR] [SIZES]
#
# BUILD_DIR defaults to build; SIZES (cards per log) to "185 2000 18500",
# which give about 5k, 54k and 500k reviews. For each of three true
# parameter sets (A: simulate.mjs's own W_TRUE; B: a fast forgetter; C: the
# FSRS-6 defaults) and each size it
#   1. writes a log with a copy of simulate.mjs whose W_TRUE is replaced,
#   2. fits it with `mindcards fsrs optimize` (wall time and peak memory,
#      VmHWM, from /usr/bin/time),
#   3. fits it with the binding's computeParameters (after a warm-up fit)
#      and evaluates both parameter vectors with the binding's evaluate()
#      on the same items (so both log losses come from the same code).
# Logs and results go to BUILD_DIR/fsrs-optimizer-bench/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
sizes=${2:-"185 2000 18500"}
shared=$(cd "$here/../../shared/fsrs" 2>/dev/null && pwd) || {
  echo "../shared/fsrs (simulate.mjs) is absent" >&2; exit 1; }
node_dir="$build/bench-node"
work="$build/fsrs-optimizer-bench"
mindcards="$build/mindcards"
command -v node >/dev/null || { echo "node is not installed" >&2; exit 1; }
[ -x "$mindcards" ] || { echo "$mindcards not built" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing (Debian package 'time')" >&2; exit 1; }
mkdir -p "$node_dir" "$work"
if [ ! -d "$node_dir/node_modules/@open-spaced-repetition/binding" ] ||
   [ ! -d "$node_dir/node_modules/ts-fsrs" ]; then
  (cd "$node_dir" && { [ -f package.json ] || echo '{"private": true}' >package.json; } &&
   npm install --no-audit --no-fund --silent @open-spaced-repetition/binding@0.5.0 ts-fsrs@5.4.2)
fi

declare -A sets=(
  [A]="0.35, 1.1, 3.0, 12.0, 6.0, 0.7, 2.2, 0.01, 1.6, 0.12, 0.9, 1.6, 0.08, 0.35, 1.8, 0.45, 2.3, 0.5, 0.15, 0.1, 0.25"
  [B]="0.15, 0.6, 1.5, 5.0, 7.2, 0.5, 1.5, 0.05, 1.3, 0.2, 1.1, 2.0, 0.1, 0.3, 1.5, 0.35, 2.0, 0.7, 0.2, 0.15, 0.45"
  [C]="0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542"
)

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; node $(node --version)"
printf '%-4s %7s %8s | %9s %7s %7s | %9s %7s | %9s %9s %8s\n' \
  set cards reviews "mc fit s" "mc MB" "node MB" "fsrs-rs s" items \
  "LL mc" "LL rs" "rel"
for set in A B C; do
  sim="$node_dir/simulate_$set.mjs"
  perl -0pe "s/export const W_TRUE = \[[^\]]*\];/export const W_TRUE = [${sets[$set]}];/s" \
    "$shared/simulate.mjs" >"$sim"
  for cards in $sizes; do
    base="$work/${set}_${cards}"
    (cd "$node_dir" && node "$sim" --cards "$cards" --seed 42 --out "$base" >/dev/null)
    csv="${base}_revlog.csv"
    reviews=$(($(wc -l <"$csv") - 1))
    /usr/bin/time -f "%e %M" -o "$base.time" \
      "$mindcards" fsrs optimize "$csv" -o "$base.params.json" -q
    read -r mc_s mc_kb <"$base.time"
    (cd "$node_dir" && node "$here/fsrs_optimizer_side_by_side.mjs" "$csv" "$base.params.json") >"$base.binding.json"
    node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const [set, cards, reviews, mcS, mcKb] = process.argv.slice(2);
      const rel = r.mindcards.log_loss / r.binding.log_loss - 1;
      console.log([set.padEnd(4), cards.padStart(7), reviews.padStart(8), "|",
        (+mcS).toFixed(2).padStart(9), (mcKb / 1024).toFixed(0).padStart(7),
        r.max_rss_mb.toFixed(0).padStart(7), "|", r.fit_s.toFixed(2).padStart(9),
        String(r.items).padStart(7), "|", r.mindcards.log_loss.toFixed(5).padStart(9),
        r.binding.log_loss.toFixed(5).padStart(9),
        ((rel >= 0 ? "+" : "") + (100 * rel).toFixed(2) + "%").padStart(8)].join(" "));
    ' "$base.binding.json" "$set" "$cards" "$reviews" "$mc_s" "$mc_kb"
  done
done
echo "mc = mindcards fsrs optimize (whole process: read CSV, fit, write JSON);"
echo "fsrs-rs = binding computeParameters alone (items prebuilt, after warm-up);"
echo "LL = recency-weighted log loss from the binding's evaluate() on the same items;"
echo "rel = mindcards vs binding (negative: mindcards fits better)."
