#!/usr/bin/env bash
# Starts the whole system on this machine: infrastructure (scripts/infra.sh), database migrations,
# every app that has a start script, the local mail catcher, the web app (built) and the NGINX
# gateway on :8080 serving it.
# Waits until each service is ready through the gateway, then prints where everything is.
#
#   scripts/start-local.sh            runs in the foreground; Ctrl-C stops everything it started
#   scripts/start-local.sh --detach   leaves it running; scripts/stop-local.sh stops it
#   scripts/start-local.sh --offline  no internet needed: trends asks a local stand-in replaying recorded
#                                     Google Trends answers, thinker writes and scores drafts offline (no
#                                     Ollama), and a fake Mastodon (http://127.0.0.1:4020) takes the posts
#
# thinker asks the Ollama at OLLAMA_HOST when the caller sets it (and not --offline); otherwise it uses
# its offline generator. tweeter encrypts channel credentials with a development key generated once and
# kept in .local/secrets/credentials-keys.json.
#
# Logs: .local/logs/<name>.log. Process ids: .local/run/<name>.pid.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL_DIR="$REPO_ROOT/.local"
LOG_DIR="$LOCAL_DIR/logs"
RUN_DIR="$LOCAL_DIR/run"
GATEWAY_PORT="${GATEWAY_PORT:-8080}"
MAIL_SMTP_PORT=1025
MAIL_WEB_PORT=1080
READY_TIMEOUT_S="${READY_TIMEOUT_S:-90}"
declare -A SERVICE_PORTS=([users]=3001 [trends]=3002 [thinker]=3003 [tweeter]=3004 [notifier]=3005 [monitor]=3006)
PUBLIC_SERVICES=(users trends thinker tweeter)

DETACH=0
OFFLINE=0
FAKE_GOOGLE_PORT=4010
FAKE_MASTODON_PORT=4020
CREDENTIALS_KEYS_FILE="$LOCAL_DIR/secrets/credentials-keys.json"
for arg in "$@"; do
  case "$arg" in
    --detach) DETACH=1 ;;
    --offline) OFFLINE=1 ;;
    *) echo "usage: $0 [--detach] [--offline]" >&2; exit 2 ;;
  esac
done

export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
log() { printf 'start-local: %s\n' "$*"; }
die() { printf 'start-local: ERROR: %s\n' "$*" >&2; exit 1; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
is_public() { [[ " ${PUBLIC_SERVICES[*]} " == *" $1 "* ]]; }
alive() { [[ -f "$RUN_DIR/$1.pid" ]] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }

cd "$REPO_ROOT"
mkdir -p "$LOG_DIR" "$RUN_DIR"
for pidfile in "$RUN_DIR"/*.pid; do
  [[ -e "$pidfile" ]] || continue
  alive "$(basename "$pidfile" .pid)" && die "already running (see .local/run/); stop it with scripts/stop-local.sh"
  rm -f "$pidfile"
done

if [[ ! -d node_modules ]]; then
  log "installing dependencies (npm ci)"
  npm ci
fi

bash scripts/infra.sh

# Apps that can run: a start script whose entry point exists (apps are built up over time).
script_of() { node -e 'const s = require(process.argv[1]).scripts ?? {}; process.stdout.write(s[process.argv[2]] ?? "")' "$REPO_ROOT/apps/$1/package.json" "$2"; }
entry_exists() { # app script: every src/*.ts file the script names must exist
  local file
  for file in $(grep -oE 'src/[A-Za-z0-9_/.-]+\.ts' <<<"$2"); do [[ -f "apps/$1/$file" ]] || return 1; done
}
APPS=()
MIGRATING=()
for manifest in apps/*/package.json; do
  [[ -e "$manifest" ]] || continue
  app="$(basename "$(dirname "$manifest")")"
  [[ "$app" == web ]] && continue # static files, built below and served by the gateway
  start_script="$(script_of "$app" start)"
  if [[ -z "$start_script" ]]; then
    log "apps/$app has no start script yet; skipped"
  elif ! entry_exists "$app" "$start_script"; then
    log "apps/$app: its start script names a file that does not exist yet; skipped"
  elif [[ -z "${SERVICE_PORTS[$app]:-}" ]]; then
    log "apps/$app has no port assigned in this script; skipped"
  else
    APPS+=("$app")
    migrate_script="$(script_of "$app" db:migrate)"
    [[ -n "$migrate_script" ]] && entry_exists "$app" "$migrate_script" && MIGRATING+=("@trendcast/$app")
  fi
done

if ((${#MIGRATING[@]} > 0)); then
  log "database migrations: ${MIGRATING[*]}"
  npx nx run-many -t db:migrate --parallel=1 --outputStyle=stream --projects "$(IFS=,; echo "${MIGRATING[*]}")"
fi

STARTED=()
stop_all() {
  trap - INT TERM
  log "stopping"
  bash "$REPO_ROOT/scripts/stop-local.sh" || true
}

# Each process gets a session of its own, so Ctrl-C reaches this script alone and the stop
# order (gateway, services, mail) stays ours; stop-local.sh signals them by pid.
start_process() { # name port dir command...
  local name="$1" port="$2" dir="$3"
  shift 3
  if [[ "$port" != - ]] && listening "$port"; then
    stop_all
    die "port $port (for $name) is already in use; is another copy running? (scripts/stop-local.sh)"
  fi
  : >"$LOG_DIR/$name.log"
  (cd "$dir" && exec setsid "$@") >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
  echo "$!" >"$RUN_DIR/$name.pid"
  STARTED+=("$name")
  log "started $name (pid $!, log .local/logs/$name.log)"
}

trap 'stop_all; exit 130' INT TERM

# ------------------------------------------------------------------------------------ mail catcher
MAILDEV="$REPO_ROOT/node_modules/.bin/maildev"
if [[ -x "$MAILDEV" ]]; then
  start_process maildev "$MAIL_WEB_PORT" "$REPO_ROOT" "$MAILDEV" \
    --smtp "$MAIL_SMTP_PORT" --web "$MAIL_WEB_PORT" --ip 127.0.0.1 --web-ip 127.0.0.1
else
  log "maildev is not installed (npm ci installs it with apps/notifier); mail will not be caught"
fi

# ------------------------------------------------------------------------------- offline Google
if ((OFFLINE)) && [[ " ${APPS[*]} " == *" trends "* ]]; then
  start_process fake-google "$FAKE_GOOGLE_PORT" "$REPO_ROOT/apps/trends" env PORT="$FAKE_GOOGLE_PORT" \
    PATH="$REPO_ROOT/node_modules/.bin:$PATH" bash -c "$(script_of trends fake-google)"
  export GOOGLE_TRENDS_ORIGIN="http://127.0.0.1:$FAKE_GOOGLE_PORT"
fi

# ----------------------------------------------------------------------------- offline Mastodon
if ((OFFLINE)) && [[ -f packages/fakes/src/mastodon/main.ts ]]; then
  start_process fake-mastodon "$FAKE_MASTODON_PORT" "$REPO_ROOT/packages/fakes" \
    env PATH="$REPO_ROOT/node_modules/.bin:$PATH" tsx src/mastodon/main.ts --port "$FAKE_MASTODON_PORT" --host 127.0.0.1
fi

# ------------------------------------------------------------------------- tweeter's credential key
# Channel credentials (Mastodon tokens) are stored encrypted; this machine's key is made once and kept,
# so what was stored stays readable across restarts.
if [[ " ${APPS[*]} " == *" tweeter "* && ! -s "$CREDENTIALS_KEYS_FILE" ]]; then
  mkdir -p "$(dirname "$CREDENTIALS_KEYS_FILE")"
  chmod 700 "$(dirname "$CREDENTIALS_KEYS_FILE")"
  node -e '
    const { randomBytes } = require("node:crypto");
    const keys = [{ id: "local-1", key: randomBytes(32).toString("base64") }];
    require("node:fs").writeFileSync(process.argv[1], JSON.stringify(keys) + "\n", { mode: 0o600, flag: "wx" });
  ' "$CREDENTIALS_KEYS_FILE"
  log "generated tweeter's credential key (.local/secrets/credentials-keys.json)"
fi

# -------------------------------------------------------------------------------------------- apps
for app in "${APPS[@]}"; do
  port="${SERVICE_PORTS[$app]}"
  app_env=(
    NODE_ENV=development HOST=127.0.0.1 PORT="$port" LOG_LEVEL="${LOG_LEVEL:-info}"
    RABBITMQ_URL=amqp://guest:guest@127.0.0.1:5672 REDIS_URL=redis://127.0.0.1:6379
    PUBLIC_BASE_URL="http://localhost:$GATEWAY_PORT"
    # The web app may be opened as 127.0.0.1 too; browser sessions accept both origins.
    WEB_ORIGINS="http://127.0.0.1:$GATEWAY_PORT"
    # The gateway on loopback sets X-Forwarded-For; the services may believe it.
    TRUST_PROXY=127.0.0.1
    JWKS_URL="http://127.0.0.1:${SERVICE_PORTS[users]}/users/.well-known/jwks.json"
  )
  [[ -d "apps/$app/src/db" ]] && app_env+=(DATABASE_URL="postgres://postgres@127.0.0.1:5432/$app")
  [[ "$app" == notifier ]] && app_env+=(SMTP_URL="smtp://127.0.0.1:$MAIL_SMTP_PORT")
  [[ "$app" == monitor ]] && app_env+=(MONITOR_OUTBOX_SERVICES="users=http://127.0.0.1:${SERVICE_PORTS[users]},trends=http://127.0.0.1:${SERVICE_PORTS[trends]},thinker=http://127.0.0.1:${SERVICE_PORTS[thinker]},tweeter=http://127.0.0.1:${SERVICE_PORTS[tweeter]}")
  if [[ "$app" == thinker ]]; then
    # Empty OLLAMA_HOST: the offline generator and scorer.
    if ((OFFLINE)); then app_env+=(OLLAMA_HOST=); else app_env+=(OLLAMA_HOST="${OLLAMA_HOST:-}"); fi
    [[ -n "${OLLAMA_MODEL:-}" ]] && app_env+=(OLLAMA_MODEL="$OLLAMA_MODEL")
  fi
  if [[ "$app" == tweeter ]]; then
    app_env+=(CREDENTIALS_KEYS="$(cat "$CREDENTIALS_KEYS_FILE")")
    # The fake Mastodon is plain HTTP on loopback, which tweeter refuses unless told otherwise.
    ((OFFLINE)) && app_env+=(OUTBOUND_ALLOW_HTTP=true OUTBOUND_ALLOW_PRIVATE_ADDRESSES=true)
  fi
  start_process "$app" "$port" "$REPO_ROOT/apps/$app" env "${app_env[@]}" \
    PATH="$REPO_ROOT/apps/$app/node_modules/.bin:$REPO_ROOT/node_modules/.bin:$PATH" bash -c "$(script_of "$app" start)"
done
((${#APPS[@]} > 0)) || log "no app can start yet; starting the gateway alone"

# ----------------------------------------------------------------------------------------- web app
# The gateway serves the built web app at /; build it now so the pages match this checkout.
if [[ -f apps/web/package.json ]]; then
  log "building the web app (apps/web -> apps/web/dist)"
  npm run build -w @trendcast/web >"$LOG_DIR/web-build.log" 2>&1 || {
    tail -n 30 "$LOG_DIR/web-build.log" >&2
    stop_all
    die "the web app did not build (see .local/logs/web-build.log)"
  }
fi

# ----------------------------------------------------------------------------------------- gateway
NGINX="$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)"
[[ -x "$NGINX" ]] || { stop_all; die "nginx is not installed (scripts/infra.sh installs it on Debian)"; }
node scripts/render-gateway.mjs --target local --prefix "$LOCAL_DIR/nginx" --log-dir "$LOG_DIR" \
  --listen "127.0.0.1:$GATEWAY_PORT" --out "$LOCAL_DIR/nginx/nginx.conf"
start_process gateway "$GATEWAY_PORT" "$REPO_ROOT" "$NGINX" -p "$LOCAL_DIR/nginx" \
  -c "$LOCAL_DIR/nginx/nginx.conf" -e "$LOG_DIR/gateway-error.log" -g 'daemon off;'

# ---------------------------------------------------------------------------------- wait for ready
http_ok() { node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"; }
ready_url() {
  if [[ "$1" == gateway ]]; then echo "http://127.0.0.1:$GATEWAY_PORT/healthz"
  elif is_public "$1"; then echo "http://127.0.0.1:$GATEWAY_PORT/api/$1/readyz"
  else echo "http://127.0.0.1:${SERVICE_PORTS[$1]}/readyz"; fi
}

deadline=$((SECONDS + READY_TIMEOUT_S))
for name in gateway "${APPS[@]}"; do
  url="$(ready_url "$name")"
  until http_ok "$url"; do
    if ! alive "$name"; then
      printf '\n--- last lines of .local/logs/%s.log ---\n' "$name" >&2
      tail -n 30 "$LOG_DIR/$name.log" >&2 || true
      stop_all
      die "$name exited before it was ready"
    fi
    if ((SECONDS > deadline)); then
      printf '\n--- last lines of .local/logs/%s.log ---\n' "$name" >&2
      tail -n 30 "$LOG_DIR/$name.log" >&2 || true
      stop_all
      die "$name was not ready at $url within ${READY_TIMEOUT_S}s"
    fi
    sleep 0.5
  done
  log "$name ready ($url)"
done

# ----------------------------------------------------------------------------------------- summary
GATEWAY_URL="http://localhost:$GATEWAY_PORT"
row() { printf '  %-12s %s\n' "$1" "$2"; }
echo
echo "Trendcast is running"
row web "$GATEWAY_URL  (the web app; sign up there)"
row api "$GATEWAY_URL/api/<service>/  (the public API through the gateway; its own health at $GATEWAY_URL/healthz)"
row "api docs" "$GATEWAY_URL/api/docs  (every public service's OpenAPI document, try it out)"
for app in "${APPS[@]}"; do
  if is_public "$app"; then
    row "$app" "$GATEWAY_URL/api/$app/  (direct: http://127.0.0.1:${SERVICE_PORTS[$app]}, /metrics)"
  elif [[ "$app" == monitor ]]; then
    row "bull board" "$GATEWAY_URL/admin/queues  (the operators' console, for admins: start with ADMIN_EMAIL and ADMIN_PASSWORD set; /metrics at http://127.0.0.1:${SERVICE_PORTS[$app]})"
  else
    row "$app" "internal only: http://127.0.0.1:${SERVICE_PORTS[$app]}/readyz, /metrics"
  fi
done
alive maildev && row mailbox "http://127.0.0.1:$MAIL_WEB_PORT  (every email the system sends; SMTP 127.0.0.1:$MAIL_SMTP_PORT)"
((OFFLINE)) && alive fake-google && row google "$GOOGLE_TRENDS_ORIGIN  (recorded Google Trends answers, for \"pizza\" and \"bagel\")"
if ((OFFLINE)) && alive fake-mastodon; then
  row mastodon "http://127.0.0.1:$FAKE_MASTODON_PORT  (a fake Mastodon instance: connect a Mastodon channel with this URL; account @trendcast, sign-in approved at once)"
fi
if [[ " ${APPS[*]} " == *" thinker "* ]]; then
  if ((OFFLINE)) || [[ -z "${OLLAMA_HOST:-}" ]]; then row drafts "written by thinker's offline generator (set OLLAMA_HOST to use an Ollama)"
  else row drafts "written by the Ollama at $OLLAMA_HOST"; fi
fi
row logs ".local/logs/"

if ((DETACH)); then
  trap - INT TERM
  echo "Stop with: scripts/stop-local.sh"
  exit 0
fi
echo "Press Ctrl-C to stop everything."

reported=()
while sleep 2; do
  for name in "${STARTED[@]}"; do
    if ! alive "$name" && [[ " ${reported[*]:-} " != *" $name "* ]]; then
      log "$name exited; see .local/logs/$name.log"
      reported+=("$name")
    fi
  done
done
