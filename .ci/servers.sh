# Database servers for .ci/run (sourced, not run).
#
# CI runs the suite against throwaway PostgreSQL and MariaDB instances of its
# own, made under $WORK and started without fsync: nothing in them has to
# survive a crash, and a durable server spends one to four seconds of disk
# flushing on every DROP DATABASE (a checkpoint), which nose2 and Django's
# runner do once per scenario run - hundreds of times per suite. Same server
# binaries, same user (root, no password), same encoding and collation as
# the machine's servers; only durability and the port differ. The tests and
# the demo reach them through NOSE_SPEEDUP_PG_PORT and NOSE_SPEEDUP_MYSQL_PORT.
#
# Where a throwaway instance cannot be made (no initdb or mariadb-install-db,
# no postgres/mysql user), the machine's server on 5432 or 3306 is used,
# started if down, and the log says so: the run is slower, never skipped.
# CI_SERVERS=system asks for the machine's servers.

# Every function expects $WORK (a directory removed at exit) and log/die.

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Run a server command as the server's own user when CI runs as root (both
# servers refuse to run as root).
as_user() {
  local user=$1
  shift
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

server_directory() {
  local dir="$WORK/$1" user=$2
  mkdir -p "$dir" || return 1
  chmod 711 "$WORK"
  if [ "$(id -u)" -eq 0 ]; then chown "$user" "$dir" || return 1; fi
  printf '%s\n' "$dir"
}

throwaway_postgresql() {
  local bin dir port
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$bin/initdb" ] || { echo "no initdb under /usr/lib/postgresql"; return 1; }
  [ "$(id -u)" -ne 0 ] || id postgres >/dev/null 2>&1 || { echo "no postgres user"; return 1; }
  dir=$(server_directory postgresql postgres) || return 1
  port=$(free_port) || return 1
  as_user postgres "$bin/initdb" -D "$dir/data" -U root -A trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log"; return 1; }
  as_user postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
    "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$dir/server.log"; return 1; }
  export NOSE_SPEEDUP_PG_HOST=127.0.0.1 NOSE_SPEEDUP_PG_PORT=$port NOSE_SPEEDUP_PG_USER=root \
    NOSE_SPEEDUP_PG_PASSWORD=
}

throwaway_mariadb() {
  local dir port
  command -v mariadb-install-db >/dev/null && [ -x /usr/sbin/mariadbd ] \
    || { echo "no mariadb-install-db or /usr/sbin/mariadbd"; return 1; }
  [ "$(id -u)" -ne 0 ] || id mysql >/dev/null 2>&1 || { echo "no mysql user"; return 1; }
  dir=$(server_directory mariadb mysql) || return 1
  port=$(free_port) || return 1
  as_user mysql mariadb-install-db --no-defaults --datadir="$dir/data" --skip-test-db \
    --auth-root-authentication-method=normal >"$dir/install.log" 2>&1 \
    || { cat "$dir/install.log"; return 1; }
  # The machine's server: utf8mb4, utf8mb4_general_ci.
  as_user mysql setsid /usr/sbin/mariadbd --no-defaults --datadir="$dir/data" --port="$port" \
    --bind-address=127.0.0.1 --socket="$dir/socket" --pid-file="$dir/pid" \
    --log-error="$dir/server.log" --skip-log-bin --innodb-flush-log-at-trx-commit=0 \
    --innodb-doublewrite=0 --innodb-flush-method=nosync \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
    </dev/null >/dev/null 2>&1 &
  for _ in $(seq 300); do
    [ -s "$dir/pid" ] && mariadb-admin --no-defaults -S "$dir/socket" -uroot ping >/dev/null 2>&1 \
      && break
    sleep 0.2
  done
  [ -s "$dir/pid" ] || { cat "$dir/server.log" 2>/dev/null; return 1; }
  # root over TCP from 127.0.0.1 as well as over the socket, whatever the
  # name resolution.
  mariadb --no-defaults -S "$dir/socket" -uroot -e \
    "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;" \
    || return 1
  mariadb --no-defaults -h 127.0.0.1 -P "$port" -uroot -e "SELECT 1" >/dev/null || return 1
  export NOSE_SPEEDUP_MYSQL_HOST=127.0.0.1 NOSE_SPEEDUP_MYSQL_PORT=$port \
    NOSE_SPEEDUP_MYSQL_USER=root NOSE_SPEEDUP_MYSQL_PASSWORD=
}

ensure_postgresql() {
  pg_isready -q -h 127.0.0.1 -p 5432 && return 0
  log "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
  for _ in $(seq 60); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 1; done
  die "PostgreSQL at 127.0.0.1:5432 is down and could not be started"
}

ensure_mariadb() {
  mariadb-admin -h 127.0.0.1 -uroot ping >/dev/null 2>&1 && return 0
  log "starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
  for _ in $(seq 60); do mariadb-admin -h 127.0.0.1 -uroot ping >/dev/null 2>&1 && return 0; sleep 1; done
  die "MariaDB at 127.0.0.1:3306 is down and could not be started"
}

# start_servers postgresql mariadb: a server for each backend named; exports
# NOSE_SPEEDUP_PG_* / NOSE_SPEEDUP_MYSQL_* for a throwaway one.
start_servers() {
  local backend setup
  for backend in "$@"; do
    [ "$backend" = sqlite ] && continue
    setup="$WORK/$backend-setup.log"
    if [ "${CI_SERVERS:-throwaway}" = system ]; then
      echo "CI_SERVERS=system" >"$setup"
    elif "throwaway_$backend" >"$setup" 2>&1; then
      printf 'ci: %s: throwaway server without fsync on 127.0.0.1:%s (%s)\n' "$backend" \
        "$(server_port "$backend")" "$WORK/$backend"
      continue
    fi
    printf 'ci: %s: no throwaway server (%s); using the machine'"'"'s server (durable: slower)\n' \
      "$backend" "$(tail -1 "$setup")"
    "ensure_$backend"
  done
}

server_port() {
  if [ "$1" = postgresql ]; then echo "$NOSE_SPEEDUP_PG_PORT"; else echo "$NOSE_SPEEDUP_MYSQL_PORT"; fi
}

# Stop the throwaway servers (at exit, before $WORK goes).
stop_servers() {
  local bin
  if [ -f "$WORK/postgresql/data/postmaster.pid" ]; then
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    as_user postgres "$bin/pg_ctl" -D "$WORK/postgresql/data" -m immediate -w stop >/dev/null 2>&1
  fi
  if [ -s "$WORK/mariadb/pid" ]; then
    mariadb-admin --no-defaults -S "$WORK/mariadb/socket" -uroot shutdown >/dev/null 2>&1 \
      || kill "$(cat "$WORK/mariadb/pid")" 2>/dev/null
  fi
}
