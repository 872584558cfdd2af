#!/bin/sh
# Runs a command beside a throwaway PostgreSQL cluster of its own: initdb into a new temporary
# directory, the server listening only on a unix socket there (no TCP), stopped and removed
# when the command ends, whatever its end. As root the server runs as the postgres account
# (initdb refuses root). The command finds the cluster in XINFANG_TEST_PG (a libpq URI of its
# superuser's database) and in libpq's own PGHOST, PGPORT, PGUSER and PGDATABASE.
#
#   tests/pg/with_cluster.sh COMMAND [ARG...]
#
# PG_BINDIR names the server's programs (default: the newest /usr/lib/postgresql/*/bin).
set -eu

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
# The suite's writes are thrown away with the cluster: no need to wait for the disk.
as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
	-o "-c listen_addresses= -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
	start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

PGHOST=$dir PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
XINFANG_TEST_PG="postgresql:///postgres?host=$dir&user=postgres"
XINFANG_TEST_PG_DIR=$dir XINFANG_TEST_PG_BINDIR=$bindir
export PGHOST PGPORT PGUSER PGDATABASE XINFANG_TEST_PG XINFANG_TEST_PG_DIR XINFANG_TEST_PG_BINDIR
rc=0
"$@" || rc=$?
exit $rc
