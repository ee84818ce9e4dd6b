#!/usr/bin/env bash
# Starts a Redis Cluster of three masters and three replicas on loopback, for trying LiveDesk against a
# cluster and for benchmarks. Each redis-server runs in its own directory under $DIR (default
# /tmp/livedesk-redis-cluster) without persistence; their pids and ports go to $DIR/pids for stop-local.sh.
#
#   deploy/redis-cluster/start-local.sh [first-port]     # default 7100: ports 7100..7105
#   LIVEDESK_REDIS_URL=redis-cluster://127.0.0.1:7100,127.0.0.1:7101,127.0.0.1:7102 ...
#   deploy/redis-cluster/stop-local.sh
set -euo pipefail

FIRST=${1:-7100}
DIR=${DIR:-/tmp/livedesk-redis-cluster}
NODES=6

if [ -s "$DIR/pids" ]; then
  echo "a cluster from $DIR seems to be running (pids in $DIR/pids); stop it with stop-local.sh first" >&2
  exit 1
fi
command -v redis-server >/dev/null && command -v redis-cli >/dev/null || {
  echo "redis-server and redis-cli (Redis 7+) must be on the PATH" >&2; exit 1; }

mkdir -p "$DIR"
addresses=()
for i in $(seq 0 $((NODES - 1))); do
  port=$((FIRST + i))
  mkdir -p "$DIR/$port"
  # The cluster bus port is given explicitly: the default (port + 10000) may be taken.
  redis-server --port "$port" --bind 127.0.0.1 --dir "$DIR/$port" --cluster-enabled yes \
    --cluster-config-file nodes.conf --cluster-node-timeout 5000 --cluster-port $((port + 1000)) \
    --save "" --appendonly no --daemonize no --logfile "$DIR/$port/redis.log" &
  echo "$! $port" >> "$DIR/pids"
  addresses+=("127.0.0.1:$port")
done

for a in "${addresses[@]}"; do
  until redis-cli -p "${a#*:}" ping >/dev/null 2>&1; do sleep 0.1; done
done
redis-cli --cluster create "${addresses[@]}" --cluster-replicas 1 --cluster-yes >"$DIR/create.log"
until redis-cli -p "$FIRST" cluster info | grep -q cluster_state:ok; do sleep 0.2; done

urls=$(IFS=,; echo "${addresses[*]:0:3}")
echo "Redis Cluster up (logs in $DIR); the routing slot {ld} is on port" \
  "$(redis-cli -c -p "$FIRST" cluster nodes | awk -v s="$(redis-cli -p "$FIRST" cluster keyslot '{ld}')" \
     '$3 ~ /master/ { for (i = 9; i <= NF; i++) { split($i, r, "-"); if (r[2] == "") r[2] = r[1];
       if (s >= r[1] && s <= r[2]) { split($2, a, "[:@]"); print a[2] } } }')"
echo "LIVEDESK_REDIS_URL=redis-cluster://$urls"
