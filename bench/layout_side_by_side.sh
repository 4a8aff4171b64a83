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
#      GRAPHVIZ_TIMEOUT (default 120 s);
#      ORDERS (default "generator preorder"): "generator" runs the harness's
#      files as generated (bushy trees breadth first), "preorder" the same
#      trees renumbered and written in preorder (same shape, sizes and
#      sibling order; d3-flextree gets the same file).
#
# mindcards runs twice on each tree: --threads 1 and --threads 2 (the
# second output must be the same file); its layout columns are wall times
# of the LayoutTree call in a fresh process.
#
# Needs node and npm (the harness is installed into BUILD_DIR/layout-harness
# from ../shared/layout); skips what is missing, with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
SIZES=${2:-1000,10000,100000,1000000}
GRAPHVIZ_MAX=${GRAPHVIZ_MAX:-10000}
GRAPHVIZ_TIMEOUT=${GRAPHVIZ_TIMEOUT:-120}
ORDERS=${ORDERS:-generator preorder}
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

# The tree in $1 renumbered in preorder into $2 (ids = preorder ranks,
# children in file order), for the "preorder" rows.
to_preorder() {
  python3 - "$1" "$2" <<'PY'
import sys
rows, kids, index = [], [], {}
for line in open(sys.argv[1]):
    f = line.split()
    if not f or f[0].startswith('#'):
        continue
    index[f[0]] = len(rows)
    rows.append(f)
    kids.append([])
    if f[1] != '-1':
        kids[index[f[1]]].append(len(rows) - 1)
rank, out, stack = [0] * len(rows), [], [0]
while stack:
    v = stack.pop()
    rank[v] = len(out)
    out.append(v)
    stack.extend(reversed(kids[v]))
with open(sys.argv[2], 'w') as w:
    w.write('# mmtree v1 (preorder copy of %s)\n' % sys.argv[1].split('/')[-1])
    for v in out:
        f = rows[v]
        p = '-1' if f[1] == '-1' else str(rank[index[f[1]]])
        w.write('%d %s %s %s\n' % (rank[v], p, f[2], f[3]))
PY
}

# mindcards on tree $1 with --threads $2 into $3: sets inproc, whole, rss.
run_mindcards() {
  local t0 t1
  t0=$(now)
  /usr/bin/time -v "$MC" layout -f sizes --layout tidy --timing --threads "$2" "$1" -o "$3" 2>"$H/out/time.txt"
  t1=$(now)
  inproc=$(sed -nE 's/^layout: [0-9]+ nodes in ([0-9.]+) ms.*/\1/p' "$H/out/time.txt")
  whole=$(ms "$t0" "$t1")
  rss=$(( $(peak_kb "$H/out/time.txt") / 1024 ))
}

speedup() { python3 -c "print(f'{float(\"$1\")/max(float(\"$2\"),1e-3):.0f}x')"; }

printf '| shape | ids | N | d3-flextree ms | mindcards layout ms, 1 thread | mindcards layout ms, 2 threads | whole command ms (2 threads) | speed-up 1 thread | speed-up 2 threads | peak RSS mindcards MB | exact match | dot -Tsvg ms | twopi -Tsvg ms |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|---|---|\n'
IFS=, read -ra NS <<<"$SIZES"
for order in $ORDERS; do
for shape in bushy deep; do
  for n in "${NS[@]}"; do
    tree="$H/trees/${shape}_${n}.txt"
    [[ -f $tree ]] || { echo "missing $tree" >&2; continue; }
    name=${shape}_${n}
    if [[ $order == preorder ]]; then
      name=${shape}_${n}_preorder
      [[ -f $H/trees/$name.txt ]] || to_preorder "$tree" "$H/trees/$name.txt"
      tree="$H/trees/$name.txt"
    fi
    ref="$H/out/$name.flextree.txt"
    mine="$H/out/$name.mindcards.txt"
    # d3-flextree: layout_run.mjs times the layout alone (stderr: "... N ms").
    flex=$( (ulimit -s unlimited; cd "$H" && node --stack-size=2000000 layout_run.mjs "$tree" "$ref") 2>&1 | sed -nE 's/.* ([0-9.]+) ms .*/\1/p')
    run_mindcards "$tree" 1 "$mine"
    one=$inproc
    run_mindcards "$tree" 2 "$mine.2"
    if (cd "$H" && node --max-old-space-size=8000 check_layout.mjs "$tree" "$mine" --reference "$ref" --spacing 5 --sib 5 --depth-gap 80 --exact-depth >/dev/null 2>&1) &&
       cmp -s "$mine" "$mine.2"; then
      match=yes
    else
      match=NO
    fi
    dot=-; twopi=-
    if command -v dot >/dev/null && (( n <= GRAPHVIZ_MAX )) && [[ $order == generator ]]; then
      gv="$H/out/$name.gv"
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
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$shape" "$order" "$n" "$flex" "$one" "$inproc" "$whole" "$(speedup "$flex" "$one")" "$(speedup "$flex" "$inproc")" "$rss" "$match" "$dot" "$twopi"
  done
done
done
