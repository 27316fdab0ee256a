#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: Debian's PostgreSQL (15 or newer, found under
# /usr/lib/postgresql), nothing installed. It runs in a temporary directory as an unprivileged user
# (PostgreSQL refuses to run as root: when run as root the script creates the system user `nurture-pg`),
# listens on 127.0.0.1 only (and a Unix socket in the same directory), and has fsync off — a crash of the
# MACHINE may lose its data, which tests do not care about; never use this cluster for anything else.
#
#   scripts/pg-test-cluster.sh start [PORT]   starts one; prints `NURTURE_PG_URL=postgres://…` and
#                                            `NURTURE_PG_DIR=…` (eval the output to export them)
#   scripts/pg-test-cluster.sh stop DIR       stops the cluster of DIR and removes DIR
#   scripts/pg-test-cluster.sh down DIR       stops its server only (tests of a server going away)
#   scripts/pg-test-cluster.sh up DIR         starts it again, on the same port
#
# Exit status 0 on success; 1 with a message on stderr when no server can be started (no PostgreSQL
# binaries, no way to drop root, initdb or start failing — its log is printed).
set -euo pipefail

die() { echo "pg-test-cluster: $*" >&2; exit 1; }

bindir() {
  local d
  if [ -n "${NURTURE_PG_BIN:-}" ]; then echo "$NURTURE_PG_BIN"; return; fi
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$d" ] && [ -x "$d/initdb" ] || die "no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)"
  echo "$d"
}

# Runs a command as the cluster's owner (root: as nurture-pg).
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u nurture-pg -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  local bin port dir
  bin=$(bindir)
  port=${1:-$(free_port)}
  if [ "$(id -u)" = 0 ] && ! id nurture-pg >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin nurture-pg || die "cannot create the system user nurture-pg"
  fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/nurture-pg.XXXXXX")
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown nurture-pg "$dir"
  if ! as_owner "$bin/initdb" -D "$dir/data" -U nurture --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    die "initdb failed"
  fi
  echo "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB" >"$dir/options"
  up "$dir" || { rm -rf "$dir"; exit 1; }
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U nurture nurture || { stop "$dir"; die "createdb failed"; }
  echo "NURTURE_PG_URL=postgres://nurture@127.0.0.1:$port/nurture"
  echo "NURTURE_PG_DIR=$dir"
}

up() {
  local dir=$1
  if ! as_owner "$(bindir)/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 -o "$(cat "$dir/options")" start >/dev/null; then
    cat "$dir/server.log" >&2 || true
    die "the server did not start ($(cat "$dir/options"))"
  fi
}

down() {
  as_owner "$(bindir)/pg_ctl" -D "$1/data" -m immediate -w stop >/dev/null
}

stop() {
  local dir=${1:-}
  [ -n "$dir" ] && [ -d "$dir/data" ] || die "usage: $0 stop DIR (the NURTURE_PG_DIR printed by start)"
  as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  up | down) [ -d "${2:-}/data" ] || die "usage: $0 $1 DIR"; "$1" "$2" ;;
  *) die "usage: $0 start [PORT] | stop DIR | down DIR | up DIR" ;;
esac
