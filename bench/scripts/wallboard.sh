#!/usr/bin/env bash
# The wallboard cost benchmark (docs/benchmarks.md, issue 11): a fresh Redis (port 6391), two nodes on
# 127.0.0.1:18181 and :18182 from signaling/target-bench/livedesk.jar (build first:
# mvn -q -B -o -Dld.target=target-bench -DskipTests package), then the bench jar's `wallboard` command with
# 2,000 waiting customers, 300 staff and 100 supervisors. Stops what it started.
# Usage: [OUT=dir] bench/scripts/wallboard.sh [extra options of the wallboard command]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$(mktemp -d /tmp/wallboard.XXXXXX)}
mkdir -p "$OUT"
SECRET=bench-secret-0123456789abcdef0123456789
rport=6391
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

for _ in $(seq 100); do redis-cli -p $rport ping >/dev/null 2>&1 || break; sleep 0.1; done
redis-server --port $rport --bind 127.0.0.1 --save '' --appendonly no --daemonize no > "$OUT/redis.log" 2>&1 &
pids+=("$!")
until redis-cli -p $rport ping >/dev/null 2>&1; do sleep 0.1; done
nodes=()
for i in 1 2; do
  LIVEDESK_HOST=127.0.0.1 LIVEDESK_PORT=$((18180 + i)) LIVEDESK_BRIDGE_PORT=$((10180 + i)) \
    LIVEDESK_JWT_SECRET=$SECRET LIVEDESK_ADMIN_KEY=bench-admin-key LIVEDESK_REDIS_URL=redis://127.0.0.1:$rport \
    LIVEDESK_SECRETS_FILE= java -jar "$ROOT/signaling/target-bench/livedesk.jar" > "$OUT/node$i.log" 2>&1 &
  pids+=("$!"); nodes+=("$!")
done
for i in 1 2; do
  for _ in $(seq 120); do curl -sf 127.0.0.1:$((18180 + i))/healthz >/dev/null && break; sleep 0.5; done
done
uptime > "$OUT/wallboard.txt"
timeout 600 java -jar "$ROOT/bench/target-bench/livedesk-bench.jar" wallboard \
  --urls ws://127.0.0.1:18181/ws,ws://127.0.0.1:18182/ws --jwt-secret $SECRET --redis redis://127.0.0.1:$rport \
  --node-pids "${nodes[0]},${nodes[1]}" "$@" >> "$OUT/wallboard.txt" 2>&1 || true
uptime >> "$OUT/wallboard.txt"
cat "$OUT/wallboard.txt"
echo "results in $OUT"
