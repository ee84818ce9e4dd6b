#!/usr/bin/env bash
# Stops the cluster start-local.sh started, by the pids it wrote, and removes its directory.
set -euo pipefail

DIR=${DIR:-/tmp/livedesk-redis-cluster}
[ -f "$DIR/pids" ] || { echo "no $DIR/pids: nothing started by start-local.sh" >&2; exit 1; }
while read -r pid; do
  kill "$pid" 2>/dev/null || true
done < "$DIR/pids"
while read -r pid; do
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
done < "$DIR/pids"
rm -rf "$DIR"
echo "stopped"
