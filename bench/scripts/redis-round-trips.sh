#!/usr/bin/env bash
# Counts what one routed request costs Redis while the routing benchmark runs: for a window of N seconds it
# records Redis MONITOR and the node's request counter, then prints round trips from the nodes (commands sent
# by a client: EVALSHA, HGETALL, PUBLISH, ...) and commands run inside Lua scripts, each per request created,
# with the top commands of both. MONITOR slows Redis: use it for counting, not alongside a latency run.
# Usage: redis-round-trips.sh <redis-port> <node-metrics-url> [seconds=5]
#   e.g. redis-round-trips.sh 6390 http://127.0.0.1:18080/metrics 5
set -euo pipefail
port=$1 metrics=$2 window=${3:-5}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
created() { curl -s "$metrics" | awk '/^livedesk_routing_requests_total/ {print int($2)}'; }
before=$(created)
timeout "$window" redis-cli -p "$port" monitor > "$out" || true
after=$(created)
requests=$((after - before))
if [ "$requests" -le 0 ]; then
  echo "no requests were created during the window" >&2
  exit 1
fi
# A MONITOR line: <time> [<db> <client address>|lua] "<command>" ...; commands from scripts show "lua".
awk -v n="$requests" '
  /^[0-9]/ {
    from_script = ($3 == "lua]")
    match($0, /\] "[^"]*"/); cmd = tolower(substr($0, RSTART + 3, RLENGTH - 4))
    if (from_script) { inner++; innerBy[cmd]++ } else { outer++; outerBy[cmd]++ }
  }
  END {
    printf "requests created in the window: %d\n", n
    printf "round trips from the nodes per request: %.1f\n", outer / n
    printf "commands inside scripts per request:    %.1f\n", inner / n
    printf "commands per request, all:              %.1f\n", (outer + inner) / n
    print "round trips by command (per request):"
    for (c in outerBy) printf "  %-14s %.2f\n", c, outerBy[c] / n
    print "script commands by command (per request):"
    for (c in innerBy) printf "  %-14s %.2f\n", c, innerBy[c] / n
  }' "$out"
