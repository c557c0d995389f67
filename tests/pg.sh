# Sourced by test.sh: start a throw-away PostgreSQL for the registry suite.
# Installs the server from the distribution's packages when it is missing (CI
# starts from nothing), runs it on loopback from a temporary folder, exports
# SOPCLI_TEST_PG and stops it when the shell exits.
start_pg() {
  if [ -n "${SOPCLI_TEST_PG:-}" ]; then return 0; fi
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Устанавливаю PostgreSQL из пакетов дистрибутива…" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
  if [ -z "$bin" ]; then
    echo "PostgreSQL не найден: тесты на PostgreSQL будут пропущены (в CI — провалены)." >&2
    return 0
  fi
  PG_DIR=$(mktemp -d /tmp/sopcli-pg.XXXXXX)
  local as=()
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; as=(runuser -u postgres --); fi
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U sopcli -A trust -E UTF8 --no-locale >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -w -l "$PG_DIR/log" \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  PG_STOP="${as[*]} $bin/pg_ctl -D $PG_DIR/data -m fast stop"
  trap 'eval "$PG_STOP" >/dev/null 2>&1; rm -rf "$PG_DIR"' EXIT
  export SOPCLI_TEST_PG="postgresql+psycopg://sopcli@127.0.0.1:$PG_PORT/postgres"
}
