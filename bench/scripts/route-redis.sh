#!/usr/bin/env bash
# One routing benchmark run against a fresh Redis (MODE=redis, port 6390) or a fresh local 3+3 Redis Cluster
# (MODE=cluster, ports 7300-7305, deploy/redis-cluster/start-local.sh), with a fresh node on 127.0.0.1:18080
# from signaling/target-bench/livedesk.jar (build: mvn -q -B -o -Dld.target=target-bench -DskipTests package).
# With COUNT=1 it also counts Redis round trips and commands per request (scripts/redis-round-trips.sh)
# 30 s into the run, which slows Redis: don't read latency from such a run.
# NODE_JAVA_OPTS are given to the node's JVM (e.g. a flight recording: -XX:StartFlightRecording=...).
# Usage: MODE=redis|cluster [COUNT=1] [OUT=dir] [NODE_JAVA_OPTS=...] bench/scripts/route-redis.sh <rate>
set -euo pipefail
rate=${1:?rate per second}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MODE=${MODE:-redis}
OUT=${OUT:-$(mktemp -d /tmp/route-redis.XXXXXX)}
mkdir -p "$OUT"
SECRET=bench-secret-0123456789abcdef0123456789
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ "$MODE" = cluster ]; then DIR="$OUT/cluster" "$ROOT/deploy/redis-cluster/stop-local.sh" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

if [ "$MODE" = cluster ]; then
  DIR="$OUT/cluster" "$ROOT/deploy/redis-cluster/start-local.sh" 7300 > "$OUT/cluster-start.txt"
  rport=$(grep -o 'on port [0-9]*' "$OUT/cluster-start.txt" | awk '{print $3}')
  rpid=$(awk -v p="$rport" '$2 == p {print $1}' "$OUT/cluster/pids")
  url=redis-cluster://127.0.0.1:7300,127.0.0.1:7301,127.0.0.1:7302
else
  rport=6390
  # The previous run's Redis may still be exiting: wait for its port, then for ours to answer.
  for _ in $(seq 100); do redis-cli -p $rport ping >/dev/null 2>&1 || break; sleep 0.1; done
  redis-server --port $rport --bind 127.0.0.1 --save '' --appendonly no --daemonize no > "$OUT/redis.log" 2>&1 &
  rpid=$!; pids+=("$rpid")
  until redis-cli -p $rport ping >/dev/null 2>&1; do
    kill -0 "$rpid" 2>/dev/null || { echo "redis-server did not start: see $OUT/redis.log" >&2; exit 1; }
    sleep 0.1
  done
  url=redis://127.0.0.1:$rport
fi
LIVEDESK_HOST=127.0.0.1 LIVEDESK_PORT=18080 LIVEDESK_JWT_SECRET=$SECRET LIVEDESK_ADMIN_KEY=bench-admin-key \
  LIVEDESK_REDIS_URL=$url java ${NODE_JAVA_OPTS:-} -jar "$ROOT/signaling/target-bench/livedesk.jar" > "$OUT/node.log" 2>&1 &
npid=$!; pids+=("$npid")
for _ in $(seq 120); do curl -sf 127.0.0.1:18080/healthz >/dev/null && break; sleep 0.5; done
uptime > "$OUT/route.txt"
timeout 200 java -jar "$ROOT/bench/target-bench/livedesk-bench.jar" load --url ws://127.0.0.1:18080/ws \
  --jwt-secret $SECRET --server-pid "$npid" --redis-pid "$rpid" --phases route --rate "$rate" \
  --duration 30 --warmup 20 >> "$OUT/route.txt" 2>&1 &
bpid=$!; pids+=("$bpid")
if [ "${COUNT:-0}" = 1 ]; then
  sleep 30
  "$ROOT/bench/scripts/redis-round-trips.sh" "$rport" http://127.0.0.1:18080/metrics 5 > "$OUT/counts.txt" 2>&1 || true
fi
wait "$bpid" || true
grep -E "load average|routed|request.create -> offer|CPU" "$OUT/route.txt"
[ -s "$OUT/counts.txt" ] 2>/dev/null && head -4 "$OUT/counts.txt"
echo "results in $OUT"
