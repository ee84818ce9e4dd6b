#!/usr/bin/env bash
# Idle sessions across several signaling nodes that share one Redis (issue 10 item 7).
#
# One process may hold only as many sockets as its open-file limit allows (20,000 on the benchmark
# machine), so this starts its own redis-server, NODES signaling nodes on consecutive ports and
# GENERATORS `load --phases idle` processes (generator g targets node g % NODES), holds the sessions past
# the nodes' 60 s idle timeout and, while they are still held (the generators' --linger window), measures
# every node: sessions (its livedesk_ws_connections gauge), RSS, and live heap after a full GC
# (jcmd GC.class_histogram). After the generators have closed their sessions it takes the live heap again,
# so live heap per session = (held - closed) / sessions. RSS per session = (RSS while held - RSS before the
# ramp, as the generator read it after its warm-up) / sessions, per node.
#
# Loopback only, bounded in time; every process it starts is stopped by its pid on exit.
# Build first:  mvn -q -B -o -Dld.target=target-bench -DskipTests package
#
# Settings (environment): NODES (3), GENERATORS (= NODES), SESSIONS per generator (15000), RAMP per
# generator per second (120), HOLD seconds (70), LINGER seconds (40), BASE_PORT (19080; bridges use UDP
# BASE_PORT+10+i), REDIS_PORT (6391), NODE_JAVA_OPTS (JVM flags of the nodes; default: the same flags as
# deploy/systemd/livedesk.service), ROOT (the repository; default: two folders above this script), TARGET
# (target-bench), OUT (results folder, outside the repository).
set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
NODES=${NODES:-3}
GENERATORS=${GENERATORS:-$NODES}
SESSIONS=${SESSIONS:-15000}
# 3 x 300/s on the 2 shared cores got over half the sign-ins refused "overloaded" (admission control).
RAMP=${RAMP:-120}
HOLD=${HOLD:-70}
LINGER=${LINGER:-40}
BASE_PORT=${BASE_PORT:-19080}
REDIS_PORT=${REDIS_PORT:-6391}
TARGET=${TARGET:-target-bench}
NODE_JAVA_OPTS=${NODE_JAVA_OPTS-$(sed -n 's/^Environment="\?JAVA_OPTS=\([^"]*\)"\?$/\1/p' "$ROOT/deploy/systemd/livedesk.service")}
OUT=${OUT:-/tmp/livedesk-idle-cluster-$(date +%Y%m%d-%H%M%S)}
SECRET=bench-secret-0123456789abcdef0123456789
NODE_JAR=$ROOT/signaling/$TARGET/livedesk.jar
BENCH_JAR=$ROOT/bench/$TARGET/livedesk-bench.jar

for jar in "$NODE_JAR" "$BENCH_JAR"; do
  [[ -f $jar ]] || { echo "missing $jar: build first" >&2; exit 2; }
done
mkdir -p "$OUT"
# One socket per session: every node and generator needs the highest limit this host allows.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
gauge() {
  curl -s --max-time 5 "http://127.0.0.1:$1/metrics" | awk -v n="$2" '$1 == n {printf "%d", $2}'
}
# Live heap in bytes: GC.class_histogram runs a full GC first and counts only what is reachable.
live_heap() { jcmd "$1" GC.class_histogram 2>/dev/null | awk '$1 == "Total" {print $3}'; }
redis_used() { redis-cli -p "$REDIS_PORT" info memory | tr -d '\r' | awk -F: '$1 == "used_memory" {print $2}'; }

echo "results in $OUT" >&2
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no > "$OUT/redis.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping > /dev/null 2>&1 && break; sleep 0.1; done

NODE_PIDS=()
for ((i = 0; i < NODES; i++)); do
  # shellcheck disable=SC2086 # NODE_JAVA_OPTS holds several flags
  env LIVEDESK_HOST=127.0.0.1 LIVEDESK_PORT=$((BASE_PORT + i)) LIVEDESK_NODE_ID="idle-$i" \
      LIVEDESK_BRIDGE_PORT=$((BASE_PORT + 10 + i)) LIVEDESK_REDIS_URL="redis://127.0.0.1:$REDIS_PORT" \
      LIVEDESK_JWT_SECRET=$SECRET LIVEDESK_ADMIN_KEY=bench-admin-key \
      java $NODE_JAVA_OPTS -jar "$NODE_JAR" > "$OUT/node-$i.log" 2>&1 &
  NODE_PIDS+=($!)
  PIDS+=($!)
done
for ((i = 0; i < NODES; i++)); do
  ready=0
  for _ in $(seq 120); do
    curl -sf --max-time 2 "http://127.0.0.1:$((BASE_PORT + i))/readyz" > /dev/null && { ready=1; break; }
    kill -0 "${NODE_PIDS[$i]}" 2>/dev/null || { echo "node $i died, see $OUT/node-$i.log" >&2; exit 1; }
    sleep 0.5
  done
  ((ready)) || { echo "node $i not ready after 60 s, see $OUT/node-$i.log" >&2; exit 1; }
done
sleep 3
REDIS_BEFORE=$(redis_used)
NMT=0
[[ $NODE_JAVA_OPTS == *NativeMemoryTracking* ]] && NMT=1
if ((NMT)); then
  # Diagnostic runs: a baseline now, so that the held snapshot shows what each area grew by.
  for pid in "${NODE_PIDS[@]}"; do jcmd "$pid" VM.native_memory baseline > /dev/null 2>&1 || true; done
fi
echo "nodes ready: pids ${NODE_PIDS[*]}, JVM flags: ${NODE_JAVA_OPTS:-none}" >&2

GEN_PIDS=()
for ((g = 0; g < GENERATORS; g++)); do
  n=$((g % NODES))
  java -jar "$BENCH_JAR" load --url "ws://127.0.0.1:$((BASE_PORT + n))/ws" --jwt-secret "$SECRET" \
      --server-pid "${NODE_PIDS[$n]}" --phases idle --sessions "$SESSIONS" \
      --ramp "$RAMP" --hold "$HOLD" --linger "$LINGER" --run-id "idle-$g" --quiet \
      --json-out "$OUT/gen-$g.json" > "$OUT/gen-$g.out" 2> "$OUT/gen-$g.err" &
  GEN_PIDS+=($!)
  PIDS+=($!)
done

# Wait (bounded) until every generator has printed its summary and is lingering with its sessions open.
deadline=$((SECONDS + SESSIONS / RAMP + HOLD + 180))
for ((g = 0; g < GENERATORS; g++)); do
  until grep -q "lingering" "$OUT/gen-$g.out" 2>/dev/null; do
    kill -0 "${GEN_PIDS[$g]}" 2>/dev/null || { echo "generator $g ended early, see $OUT/gen-$g.*" >&2; exit 1; }
    ((SECONDS < deadline)) || { echo "generator $g did not finish its hold in time" >&2; exit 1; }
    sleep 1
  done
done

declare -A HELD RSS_HELD LIVE_HELD RSS_GC COMMITTED
for ((i = 0; i < NODES; i++)); do
  pid=${NODE_PIDS[$i]}
  HELD[$i]=$(gauge $((BASE_PORT + i)) livedesk_ws_connections)
  RSS_HELD[$i]=$(rss_kib "$pid")
  if ((NMT)); then
    jcmd "$pid" VM.native_memory summary.diff > "$OUT/node-$i.nmt-held.txt" 2>&1 || true
  fi
  jcmd "$pid" GC.heap_info > "$OUT/node-$i.heap-held.txt" 2>&1 || true
  # " garbage-first heap   total 262144K, used 43210K [...]": total is what G1 has committed.
  COMMITTED[$i]=$(awk '/garbage-first heap/ {for (f = 1; f <= NF; f++) if ($f == "total") {print $(f+1); exit}}' \
      "$OUT/node-$i.heap-held.txt" | tr -d 'K,')
  LIVE_HELD[$i]=$(live_heap "$pid")
  RSS_GC[$i]=$(rss_kib "$pid")
  cat "/proc/$pid/smaps_rollup" > "$OUT/node-$i.smaps-held.txt" 2>/dev/null || true
done
REDIS_HELD=$(redis_used)
REDIS_KEYS=$(redis-cli -p "$REDIS_PORT" dbsize)
for ((g = 0; g < GENERATORS; g++)); do
  if grep -q "held after lingering" "$OUT/gen-$g.out"; then
    echo "warning: generator $g stopped lingering before the nodes were measured; raise LINGER" >&2
  fi
done

for pid in "${GEN_PIDS[@]}"; do wait "$pid" || true; done
sleep 5
declare -A LIVE_AFTER
for ((i = 0; i < NODES; i++)); do
  LIVE_AFTER[$i]=$(live_heap "${NODE_PIDS[$i]}")
done

# Per node: RSS before (the generators' reading after warm-up, the lowest if several share a node).
declare -A RSS_BEFORE OPENED FAILED CLOSED
for ((g = 0; g < GENERATORS; g++)); do
  n=$((g % NODES))
  read -r before opened failed closed < <(tail -n 1 "$OUT/gen-$g.out" |
      jq -r '.idle | "\(.serverRssKibBefore) \(.welcomed) \(.failed) \(.closedByServer)"')
  if [[ -z ${RSS_BEFORE[$n]:-} || $before -lt ${RSS_BEFORE[$n]} ]]; then RSS_BEFORE[$n]=$before; fi
  OPENED[$n]=$((${OPENED[$n]:-0} + opened))
  FAILED[$n]=$((${FAILED[$n]:-0} + failed))
  CLOSED[$n]=$((${CLOSED[$n]:-0} + closed))
done

{
  echo "nodes $NODES, generators $GENERATORS x $SESSIONS sessions at $RAMP/s, hold $HOLD s; node JVM flags: ${NODE_JAVA_OPTS:-none}"
  printf '%-5s %8s %8s %7s %7s %11s %11s %9s %12s %11s %13s %11s %10s\n' node opened held failed closed \
      "RSS before" "RSS held" "KiB/sess" "RSS afterGC" "heap commit" "live held" "live closed" "live/sess"
  total=0
  for ((i = 0; i < NODES; i++)); do
    h=${HELD[$i]:-0}
    total=$((total + h))
    awk -v n="$i" -v o="${OPENED[$i]}" -v h="$h" -v f="${FAILED[$i]}" -v c="${CLOSED[$i]}" -v rb="${RSS_BEFORE[$i]}" \
        -v rh="${RSS_HELD[$i]}" -v rg="${RSS_GC[$i]}" -v cm="${COMMITTED[$i]:-0}" -v lh="${LIVE_HELD[$i]}" \
        -v la="${LIVE_AFTER[$i]}" 'BEGIN {
      printf "%-5s %8d %8d %7d %7d %7.1f MiB %7.1f MiB %9.2f %8.1f MiB %7.1f MiB %9.1f MiB %7.1f MiB %10.2f\n",
        n, o, h, f, c, rb / 1024, rh / 1024, (h > 0 ? (rh - rb) / h : 0), rg / 1024, cm / 1024,
        lh / 1048576, la / 1048576, (h > 0 ? (lh - la) / 1024 / h : 0) }'
  done
  echo "sessions held across the cluster: $total"
  awk -v b="$REDIS_BEFORE" -v a="$REDIS_HELD" -v t="$total" -v k="$REDIS_KEYS" 'BEGIN {
    printf "redis used_memory: %.1f MiB -> %.1f MiB, %d keys, %.2f KiB per session\n", b / 1048576, a / 1048576, k,
      (t > 0 ? (a - b) / 1024 / t : 0) }'
} | tee "$OUT/summary.txt"
