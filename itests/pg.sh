#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for the test suite (Debian's postgresql package).
#   itests/pg.sh start | stop | url | destroy
# GOATFLOW_PG_DIR (default /tmp/goatflow-itest-pg) holds data, socket, log and the chosen port.
set -euo pipefail
dir=${GOATFLOW_PG_DIR:-/tmp/goatflow-itest-pg}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ]; then
    echo "pg.sh: PostgreSQL server binaries not found; install Debian's postgresql package" >&2
    exit 1
fi

# PostgreSQL refuses to run as root: use the postgres account the Debian package creates.
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

case "${1:-}" in
start)
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        mkdir -p "$dir"
        [ "$(id -u)" = 0 ] && chown postgres "$dir"
        as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
            -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
        free_port >"$dir/port"
        fresh=1
    fi
    port=$(cat "$dir/port")
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >/dev/null
    fi
    if [ "${fresh:-0}" = 1 ]; then
        as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -q -v ON_ERROR_STOP=1 \
            -c "CREATE ROLE goatflow LOGIN CREATEDB PASSWORD 'goatflow-itest'" \
            -c "CREATE DATABASE goatflow OWNER goatflow"
    fi
    ;;
stop)
    [ -f "$dir/data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
url)
    echo "jdbc:postgresql://127.0.0.1:$(cat "$dir/port")/goatflow"
    ;;
destroy)
    "$0" stop
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop|url|destroy" >&2
    exit 2
    ;;
esac
