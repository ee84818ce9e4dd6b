#!/usr/bin/env bash
# Stops the cluster start-local.sh started, by the pids it wrote, and removes its directory.
set -euo pipefail

DIR=${DIR:-/tmp/livedesk-redis-cluster}
[ -f "$DIR/pids" ] || { echo "no $DIR/pids: nothing started by start-local.sh" >&2; exit 1; }
# Only a pid that is still that redis-server: a pid freed by a crashed server may belong to anything now.
ours() { tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | grep -Eq "^redis-server [^ ]*:$2( |$)"; }
while read -r pid port; do
  if ours "$pid" "$port"; then kill "$pid"; fi
done < "$DIR/pids"
while read -r pid port; do
  while ours "$pid" "$port"; do sleep 0.1; done
done < "$DIR/pids"
rm -rf "$DIR"
echo "stopped"
