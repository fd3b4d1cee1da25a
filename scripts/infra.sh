#!/usr/bin/env bash
# Makes PostgreSQL, Redis and RabbitMQ available on loopback, makes sure NGINX is installed for the
# gateway, and creates the per-service databases. Uses servers that are already running; on Debian
# as root installs (apt) and starts missing ones without systemd; anywhere else says what to do.
# Idempotent; takes a second or two when everything is already there.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="$REPO_ROOT/.local"
PG_PORT=5432
REDIS_PORT=6379
RABBITMQ_PORT=5672
DATABASES=(users trends thinker tweeter)

log() { printf 'infra: %s\n' "$*"; }
die() { printf 'infra: ERROR: %s\n' "$*" >&2; exit 1; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_port() { # name port seconds
  local deadline=$((SECONDS + $3))
  until listening "$2"; do
    ((SECONDS < deadline)) || die "$1 did not open 127.0.0.1:$2 within $3 s"
    sleep 0.5
  done
}

can_install() { [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; }

APT_UPDATED=0
apt_install() {
  if ((APT_UPDATED == 0)); then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  # Debian starts services from the package scripts where it can; here they are started below either way.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

MISSING_ADVICE=()
advise() { MISSING_ADVICE+=("$*"); }

# ---------------------------------------------------------------------------------------------- nginx
nginx_binary() { command -v nginx 2>/dev/null || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; }; }
if [[ -n "$(nginx_binary)" ]]; then
  log "nginx       ok ($("$(nginx_binary)" -v 2>&1 | sed 's/.*version: //'), installed; the gateway runs its own instance)"
elif can_install; then
  apt_install nginx
  [[ -n "$(nginx_binary)" ]] || die "nginx did not install"
  log "nginx       installed"
else
  advise "install NGINX (Debian: apt-get install -y nginx; macOS: brew install nginx)"
fi

# ------------------------------------------------------------------------------------------ PostgreSQL
pg_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1; }
start_postgres() {
  local version
  version="$(pg_version)"
  [[ -n "$version" ]] || die "PostgreSQL is installed but has no cluster in /etc/postgresql"
  [[ -d "/etc/postgresql/$version/main" ]] || pg_createcluster "$version" main >/dev/null
  log "postgresql  starting cluster $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
}

if listening "$PG_PORT"; then
  log "postgresql  ok (127.0.0.1:$PG_PORT, already running)"
elif can_install; then
  command -v pg_ctlcluster >/dev/null 2>&1 || apt_install postgresql
  listening "$PG_PORT" || start_postgres
  wait_for_port postgresql "$PG_PORT" 30
  log "postgresql  started (127.0.0.1:$PG_PORT)"
else
  advise "start PostgreSQL on 127.0.0.1:$PG_PORT (Debian: apt-get install postgresql; pg_ctlcluster <version> main start)"
fi

# ----------------------------------------------------------------------------------------------- Redis
if listening "$REDIS_PORT"; then
  log "redis       ok (127.0.0.1:$REDIS_PORT, already running)"
elif can_install; then
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  mkdir -p "$STATE_DIR/redis"
  # BullMQ jobs live in Redis: keep them across restarts (append-only file, fsync every second).
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" \
    --dir "$STATE_DIR/redis" --save "" --appendonly yes --appendfsync everysec \
    --logfile "$STATE_DIR/redis/redis.log" --pidfile "$STATE_DIR/redis/redis.pid" >/dev/null
  wait_for_port redis "$REDIS_PORT" 15
  log "redis       started (127.0.0.1:$REDIS_PORT, appendonly, data in .local/redis)"
else
  advise "start Redis on 127.0.0.1:$REDIS_PORT (redis-server --appendonly yes --appendfsync everysec)"
fi

# -------------------------------------------------------------------------------------------- RabbitMQ
if listening "$RABBITMQ_PORT"; then
  log "rabbitmq    ok (127.0.0.1:$RABBITMQ_PORT, already running)"
elif can_install; then
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    apt_install rabbitmq-server
    # A fresh install listens on every interface; development needs loopback only.
    if [[ ! -s /etc/rabbitmq/rabbitmq.conf ]]; then
      printf 'listeners.tcp.default = 127.0.0.1:%s\n' "$RABBITMQ_PORT" >/etc/rabbitmq/rabbitmq.conf
    fi
  fi
  log "rabbitmq    starting (takes a few seconds)"
  rabbitmq-server -detached >/dev/null 2>&1 || true
  timeout 120 rabbitmqctl await_startup >/dev/null 2>&1 || die "rabbitmq did not start; see /var/log/rabbitmq/"
  wait_for_port rabbitmq "$RABBITMQ_PORT" 30
  log "rabbitmq    started (127.0.0.1:$RABBITMQ_PORT, guest/guest)"
else
  advise "start RabbitMQ on 127.0.0.1:$RABBITMQ_PORT with guest/guest (Debian: apt-get install rabbitmq-server; rabbitmq-server -detached)"
fi

if ((${#MISSING_ADVICE[@]} > 0)); then
  printf 'infra: missing, and this machine is not Debian-as-root, so please:\n' >&2
  printf '  - %s\n' "${MISSING_ADVICE[@]}" >&2
  exit 1
fi

# ------------------------------------------------------------------- PostgreSQL login and databases
PSQL=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -w -X -q -v ON_ERROR_STOP=1)
command -v psql >/dev/null 2>&1 || { can_install && apt_install postgresql-client; } ||
  die "psql is needed to create the databases (apt-get install postgresql-client)"

if ! "${PSQL[@]}" -tAc 'SELECT 1' >/dev/null 2>&1; then
  version="$(pg_version)"
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  if [[ $(id -u) -eq 0 && -n "$version" && -f "$hba" ]]; then
    # Development only: the suite and the services connect as postgres@127.0.0.1 without a password.
    log "postgresql  allowing passwordless loopback logins for local development ($hba)"
    sed -i '1i host all all 127.0.0.1/32 trust # trendcast: local development\nhost all all ::1/128 trust # trendcast: local development' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload
    sleep 0.5
  fi
  "${PSQL[@]}" -tAc 'SELECT 1' >/dev/null 2>&1 ||
    die "cannot log in as postgres@127.0.0.1 without a password; allow it in pg_hba.conf (host all all 127.0.0.1/32 trust)"
fi

created=()
for db in "${DATABASES[@]}"; do
  if [[ "$("${PSQL[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]]; then
    # Another run may create it at the same moment; "already exists" is success.
    out="$("${PSQL[@]}" -c "CREATE DATABASE \"$db\"" 2>&1)" || [[ "$out" == *"already exists"* ]] || die "$out"
    created+=("$db")
  fi
done
if ((${#created[@]} > 0)); then
  log "databases   created ${created[*]}"
else
  log "databases   ok (${DATABASES[*]})"
fi
