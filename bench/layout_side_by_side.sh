#!/usr/bin/env bash
# Side by side: d3-flextree (npm, as markmap configures it) and
# `mindcards layout -f sizes --layout tidy` on the same generated trees,
# with an exact-match check (check_layout.mjs --reference) and timings;
# Graphviz dot and twopi as reference rows.
#
# usage: bench/layout_side_by_side.sh [BUILD_DIR] [SIZES]
#   BUILD_DIR  where the mindcards binary is (default: build)
#   SIZES      comma-separated node counts (default: 1000,10000,100000,1000000)
# env: GRAPHVIZ_MAX (default 10000): largest tree given to dot/twopi;
#      GRAPHVIZ_TIMEOUT (default 120 s).
#
# Needs node and npm (the harness is installed into BUILD_DIR/layout-harness
# from ../shared/layout); skips what is missing, with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
SIZES=${2:-1000,10000,100000,1000000}
GRAPHVIZ_MAX=${GRAPHVIZ_MAX:-10000}
GRAPHVIZ_TIMEOUT=${GRAPHVIZ_TIMEOUT:-120}
MC=$(realpath "$BUILD/mindcards")
SHARED=$(realpath ../shared/layout 2>/dev/null || true)
H=$(realpath -m "$BUILD/layout-harness")

if [[ ! -x $MC ]]; then echo "no $MC: build first" >&2; exit 2; fi
if [[ -z $SHARED || ! -d $SHARED ]]; then echo "skip: ../shared/layout is absent" >&2; exit 0; fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "skip: node/npm not installed" >&2; exit 0
fi
mkdir -p "$H"
cp -r "$SHARED"/*.mjs "$SHARED"/package.json "$H"/
chmod -R u+w "$H"
if [[ ! -d $H/node_modules/d3-flextree ]]; then
  (cd "$H" && npm install --silent --no-audit --no-fund >/dev/null)
fi
mkdir -p "$H/trees" "$H/out"
(cd "$H" && node gen_trees.mjs --all --sizes "$SIZES" --dir trees >/dev/null 2>&1) || true

ms() { python3 -c "import sys; print(f'{(float(sys.argv[2])-float(sys.argv[1]))*1000:.0f}')" "$@"; }
now() { date +%s.%N; }
peak_kb() { grep -E 'Maximum resident' "$1" | awk '{print $NF}'; }

printf '| shape | N | d3-flextree ms | mindcards layout ms (in-process) | mindcards whole command ms | speed-up (layout) | peak RSS mindcards MB | exact match | dot -Tsvg ms | twopi -Tsvg ms |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
IFS=, read -ra NS <<<"$SIZES"
for shape in bushy deep; do
  for n in "${NS[@]}"; do
    tree="$H/trees/${shape}_${n}.txt"
    [[ -f $tree ]] || { echo "missing $tree" >&2; continue; }
    ref="$H/out/${shape}_${n}.flextree.txt"
    mine="$H/out/${shape}_${n}.mindcards.txt"
    # d3-flextree: layout_run.mjs times the layout alone (stderr: "... N ms").
    flex=$( (ulimit -s unlimited; cd "$H" && node --stack-size=2000000 layout_run.mjs "$tree" "$ref") 2>&1 | sed -nE 's/.* ([0-9.]+) ms .*/\1/p')
    t0=$(now)
    /usr/bin/time -v "$MC" layout -f sizes --layout tidy --timing "$tree" -o "$mine" 2>"$H/out/time.txt"
    t1=$(now)
    inproc=$(sed -nE 's/^layout: [0-9]+ nodes in ([0-9.]+) ms/\1/p' "$H/out/time.txt")
    whole=$(ms "$t0" "$t1")
    rss=$(( $(peak_kb "$H/out/time.txt") / 1024 ))
    if (cd "$H" && node --max-old-space-size=8000 check_layout.mjs "$tree" "$mine" --reference "$ref" --spacing 5 --sib 5 --depth-gap 80 --exact-depth >/dev/null 2>&1); then
      match=yes
    else
      match=NO
    fi
    speedup=$(python3 -c "print(f'{float(\"$flex\")/max(float(\"$inproc\"),1e-3):.0f}x')")
    dot=-; twopi=-
    if command -v dot >/dev/null && (( n <= GRAPHVIZ_MAX )); then
      gv="$H/out/${shape}_${n}.gv"
      awk 'BEGIN{print "digraph G { rankdir=LR; node [shape=box, fixedsize=true];"}
           /^#/ {next}
           {printf "n%s [width=%.3f, height=%.3f];\n", $1, $3/72, $4/72; if ($2 >= 0) printf "n%s -> n%s;\n", $2, $1}
           END{print "}"}' "$tree" >"$gv"
      for prog in dot twopi; do
        t0=$(now)
        if timeout "$GRAPHVIZ_TIMEOUT" "$prog" -Tsvg "$gv" -o /dev/null 2>/dev/null; then
          t=$(ms "$t0" "$(now)")
        else
          t="> ${GRAPHVIZ_TIMEOUT}000 (killed)"
        fi
        [[ $prog == dot ]] && dot=$t || twopi=$t
      done
    fi
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$shape" "$n" "$flex" "$inproc" "$whole" "$speedup" "$rss" "$match" "$dot" "$twopi"
  done
done
