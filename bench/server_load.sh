#!/usr/bin/env bash
# Load test of `mindcards serve`: wrk (Debian package) in a second process
# drives GET /api/study/due and POST /api/reviews against a server holding
# the seed map, and reports requests/s and latency percentiles.
# usage: bench/server_load.sh [BUILD_DIR] [SECONDS] [CONNECTIONS]
# Target (issue 6): >= 5,000 requests/s with p99 < 20 ms on 2 cores.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
seconds=${2:-10}
connections=${3:-8}
bin=$build/mindcards
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
[ -x "$bin" ] || { echo "$bin is missing: build first"; exit 1; }

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" serve --port 0 --db "$work/db.sqlite" > "$work/out" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "serving at" "$work/out" && break; sleep 0.1; done
url=$(grep -o 'http://[^ ]*' "$work/out" | head -1)
url=${url%/}
[ -n "$url" ] || { cat "$work/out"; exit 1; }

map=$(curl -sf --data-binary @"$here/examples/peaceful-coexistence.txt" \
  "$url/api/maps?name=seed.txt" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -sf "$url/api/maps/$map/cards" | python3 -c '
import json, sys
cards = [c["id"] for c in json.load(sys.stdin)["cards"]]
print("local cards = {" + ",".join(json.dumps(c) for c in cards) + "}")' > "$work/reviews.lua"
cat >> "$work/reviews.lua" <<LUA
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i + 1
  local body = string.format('{"map": $map, "card_id": "%s", "rating": %d}',
                             cards[(i % #cards) + 1], (i % 4) + 1)
  return wrk.format(nil, "/api/reviews", nil, body)
end
LUA

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "server: $bin serve (seed map, $(curl -sf "$url/api/maps/$map/cards" | grep -o '"id"' | wc -l) cards)"
echo
echo "== GET /api/study/due?map=$map&limit=20 (wrk -t2 -c$connections -d${seconds}s)"
wrk -t2 -c"$connections" -d"${seconds}s" --latency "$url/api/study/due?map=$map&limit=20"
echo
echo "== POST /api/reviews (wrk -t2 -c$connections -d${seconds}s)"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/reviews.lua" "$url"
echo
echo "reviews stored: $(curl -sf "$url/api/stats?map=$map" | python3 -c 'import json,sys; print(json.load(sys.stdin)["reviews"])')"
