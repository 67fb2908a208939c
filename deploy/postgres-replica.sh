#!/usr/bin/env bash
# A PostgreSQL primary and a streaming replica for Xuke (docs/OPERATIONS.md, "A cluster on PostgreSQL").
#
#   postgres-replica.sh primary DATA_DIR PORT REPLICA_CIDR [APP_CIDR]
#       initdb, settings for streaming replication, the roles `xuke` (owner of database xuke) and `replicator`,
#       pg_hba lines letting the replica's address range replicate and the app servers' range (default: the
#       replica's) connect; starts it. Across a network you do not trust, also turn on ssl (ssl_cert_file, ...)
#       and change `host` to `hostssl` in pg_hba.conf.
#   postgres-replica.sh replica DATA_DIR PORT PRIMARY_HOST PRIMARY_PORT
#       pg_basebackup from the primary (standby.signal and primary_conninfo written by -R); starts it read-only.
#
# Passwords come from the environment: XUKE_DB_PASSWORD (role xuke) and REPLICATION_PASSWORD (role replicator).
# LISTEN (default '*') is listen_addresses. Runs the PostgreSQL tools as the postgres user when started as root.
# scripts/cluster runs both on loopback ports.
set -euo pipefail
role="${1:?primary or replica}"; data="${2:?data directory}"; port="${3:?port}"
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$pgbin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
as_pg=(); [ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
: "${XUKE_DB_PASSWORD:?set XUKE_DB_PASSWORD}" "${REPLICATION_PASSWORD:?set REPLICATION_PASSWORD}"
listen="${LISTEN:-*}"
mkdir -p "$(dirname "$data")"

case "$role" in
primary)
    cidr="${4:?the address range of the replica, e.g. 10.0.0.12/32}"
    apps="${5:-$cidr}"
    [ "$(id -u)" = 0 ] && { mkdir -p "$data"; chown postgres "$data"; chmod 0700 "$data"; }
    "${as_pg[@]}" "$pgbin/initdb" -D "$data" -U postgres -E UTF8 --locale=C --auth-local=peer --auth-host=scram-sha-256 >/dev/null
    cat >> "$data/postgresql.conf" <<CONF
listen_addresses = '$listen'
port = $port
wal_level = replica
max_wal_senders = 10
wal_keep_size = '1GB'
hot_standby = on
max_connections = 400
password_encryption = 'scram-sha-256'
CONF
    cat >> "$data/pg_hba.conf" <<HBA
host    xuke            xuke        $apps           scram-sha-256
host    replication     replicator  $cidr           scram-sha-256
HBA
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$data" -l "$data/server.log" -w -o "-k $(dirname "$data")" start >/dev/null
    # Passwords go from the environment into psql variables (\getenv), never on a command line.
    XUKE_DB_PASSWORD="$XUKE_DB_PASSWORD" REPLICATION_PASSWORD="$REPLICATION_PASSWORD" \
    "${as_pg[@]}" "$pgbin/psql" -h "$(dirname "$data")" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q <<'SQL'
\getenv xuke_pw XUKE_DB_PASSWORD
\getenv repl_pw REPLICATION_PASSWORD
CREATE ROLE xuke LOGIN PASSWORD :'xuke_pw';
CREATE ROLE replicator REPLICATION LOGIN PASSWORD :'repl_pw';
CREATE DATABASE xuke OWNER xuke ENCODING 'UTF8' TEMPLATE template0;
SQL
    echo "primary on port $port, data $data"
    ;;
replica)
    host="${4:?primary host}"; primary_port="${5:?primary port}"
    [ "$(id -u)" = 0 ] && { mkdir -p "$data"; chown postgres "$data"; chmod 0700 "$data"; }
    # The password through PGPASSWORD in the environment runuser passes on, not on a command line.
    PGPASSWORD="$REPLICATION_PASSWORD" "${as_pg[@]}" "$pgbin/pg_basebackup" -h "$host" -p "$primary_port" -U replicator \
        -D "$data" -R -X stream --checkpoint=fast >/dev/null
    cat >> "$data/postgresql.conf" <<CONF
port = $port
listen_addresses = '$listen'
hot_standby = on
hot_standby_feedback = on
CONF
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$data" -l "$data/server.log" -w -o "-k $(dirname "$data")" start >/dev/null
    echo "replica on port $port, streaming from $host:$primary_port, data $data"
    ;;
*) echo "usage: $0 primary DATA PORT REPLICA_CIDR | replica DATA PORT PRIMARY_HOST PRIMARY_PORT" >&2; exit 2 ;;
esac
