#!/usr/bin/env bash
# Stops what scripts/start-local.sh started (by the pids in .local/run/): the gateway first, so no
# new requests arrive, then the services and the offline stand-ins (fake-google, fake-mastodon) side by
# side (each shuts down gracefully on SIGTERM), the mail catcher last.
# Infrastructure (PostgreSQL, Redis, RabbitMQ) is left running.
set -uo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="$REPO_ROOT/.local/run"
GRACE_S="${GRACE_S:-15}"

log() { printf 'stop-local: %s\n' "$*"; }

stop_one() { # name
  local pidfile="$RUN_DIR/$1.pid" pid
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    local deadline=$((SECONDS + GRACE_S))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$1 did not stop within ${GRACE_S}s; killing it"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
    else
      log "stopped $1"
    fi
  fi
  # Anything the process left behind in its own session (e.g. a runner's child).
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

[[ -d "$RUN_DIR" ]] || { log "nothing to stop"; exit 0; }

stop_one gateway
services=()
for pidfile in "$RUN_DIR"/*.pid; do
  [[ -e "$pidfile" ]] || continue
  name="$(basename "$pidfile" .pid)"
  [[ "$name" == maildev ]] || services+=("$name")
done
# Services stop side by side: each drains its own work.
for name in "${services[@]}"; do stop_one "$name" & done
wait
stop_one maildev
log "done"
