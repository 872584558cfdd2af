#!/bin/sh
# Runs a command beside a throwaway PostgreSQL cluster of its own: initdb into a new temporary
# directory, the server listening only on a unix socket there (no TCP), stopped and removed
# when the command ends, whatever its end. As root the server runs as the postgres account
# (initdb refuses root). The command finds the cluster in XINFANG_TEST_PG (a libpq URI of its
# superuser's database) and in libpq's own PGHOST, PGPORT, PGUSER and PGDATABASE.
#
#   tests/pg/with_cluster.sh [--standby] COMMAND [ARG...]
#
# --standby adds a streaming standby of that server (pg_basebackup -R into a second data
# directory, its socket in a directory of its own), replicated synchronously: every commit the
# server answers is on the standby too, so a primary killed -9 loses nothing committed once the
# standby is promoted. XINFANG_TEST_PG is then a multi-host URI (the primary's socket directory,
# then the standby's) with target_session_attrs=read-write, PGHOST names both directories, and
# XINFANG_TEST_PG_STANDBY_DIR names the standby's directory (its data in
# data/, its log server.log, its socket there), as XINFANG_TEST_PG_DIR names the primary's.
#
# PG_BINDIR names the server's programs (default: the newest /usr/lib/postgresql/*/bin).
set -eu

standby=false
if [ "${1:-}" = --standby ]; then
	standby=true
	shift
fi

bindir=${PG_BINDIR:-}
if [ -z "$bindir" ]; then
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && bindir=$d
	done
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
	echo "with_cluster: no PostgreSQL server found (install postgresql, e.g. apt-get install postgresql-15)" >&2
	exit 77
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/xfpg.XXXXXX")
as_server() { "$@"; }
if [ "$(id -u)" = 0 ]; then
	chown postgres: "$dir"
	as_server() { runuser -u postgres -- "$@"; }
fi

stop() {
	as_server "$bindir/pg_ctl" -D "$dir/standby/data" -m immediate -w stop >/dev/null 2>&1 || true
	as_server "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM HUP

# initdb takes seconds; a cluster copied from one made once (per server version and account)
# takes a tenth of one. The template is made aside and renamed, so parallel runs never see half.
version=$("$bindir/pg_ctl" --version | awk '{print $3}')
template=${XINFANG_TEST_PG_TEMPLATE:-${TMPDIR:-/tmp}/xinfang-pg-template-$(id -u)-$version}
if [ ! -f "$template/PG_VERSION" ]; then
	fresh=$(mktemp -d "$template.new.XXXXXX")
	[ "$(id -u)" = 0 ] && chown postgres: "$fresh"
	as_server "$bindir/initdb" -D "$fresh/data" -N -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; rm -rf "$fresh"; exit 1; }
	mv -T "$fresh/data" "$template" 2>/dev/null || true
	rm -rf "$fresh"
fi
as_server cp -a "$template" "$dir/data"
# The suite's writes are thrown away with the cluster: no need to wait for the disk (a server
# killed -9 keeps what it wrote in the system's cache; only the machine's crash would lose it).
# With a standby every commit waits for the standby to have it (synchronous_commit=on, the
# standby named in synchronous_standby_names by its cluster_name).
commit="-c synchronous_commit=off"
if $standby; then
	commit="-c wal_level=replica -c synchronous_commit=on -c synchronous_standby_names=xinfang_standby"
fi
as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
	-o "-c listen_addresses= -k $dir -c fsync=off $commit -c full_page_writes=off -c max_connections=200" \
	start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

PGHOST=$dir PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
XINFANG_TEST_PG="postgresql:///postgres?host=$dir&user=postgres"
XINFANG_TEST_PG_DIR=$dir XINFANG_TEST_PG_BINDIR=$bindir
export PGHOST PGPORT PGUSER PGDATABASE XINFANG_TEST_PG XINFANG_TEST_PG_DIR XINFANG_TEST_PG_BINDIR

if $standby; then
	# A copy of the running primary that streams its WAL from then on (-R: standby.signal and
	# primary_conninfo); its own settings on its command line, none of the primary's
	# synchronous_standby_names (once promoted it has no standby to wait for).
	sdir=$dir/standby
	as_server mkdir "$sdir"
	as_server "$bindir/pg_basebackup" -h "$dir" -p 5432 -U postgres -D "$sdir/data" -R -X stream -c fast \
		>"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; exit 1; }
	as_server "$bindir/pg_ctl" -D "$sdir/data" -l "$sdir/server.log" -w -t 60 \
		-o "-c listen_addresses= -k $sdir -c fsync=off -c full_page_writes=off -c max_connections=200 -c cluster_name=xinfang_standby -c synchronous_standby_names=" \
		start >/dev/null || { cat "$sdir/server.log" >&2; exit 1; }
	# Synchronous before the command runs (until then a commit on the primary would wait).
	tries=0
	until [ "$("$bindir/psql" -h "$dir" -U postgres -d postgres -Atc \
		"SELECT sync_state FROM pg_stat_replication WHERE application_name = 'xinfang_standby'")" = sync ]; do
		tries=$((tries + 1))
		[ $tries -lt 300 ] || { echo "with_cluster: the standby never became synchronous" >&2; cat "$sdir/server.log" >&2; exit 1; }
		sleep 0.1
	done
	PGHOST=$dir,$sdir
	XINFANG_TEST_PG="postgresql:///postgres?host=$dir,$sdir&user=postgres&target_session_attrs=read-write"
	XINFANG_TEST_PG_STANDBY_DIR=$sdir
	export XINFANG_TEST_PG_STANDBY_DIR
fi
rc=0
"$@" || rc=$?
exit $rc
