#!/usr/bin/env bash
# The PostgreSQL tier (`npm run test:postgres`): the password-rotation Job's script and the
# backup CronJob's pg_dump, exactly as postgres-ebs renders them, run on this machine
# against a real PostgreSQL server that the tests start in a temp dir. kwok pods run no
# containers, so the e2e tier cannot run them. PostgreSQL (15 or newer: the script uses
# psql's \getenv) comes from the Debian archive; as root this script installs it when it is
# missing. STATEFUL_STACKS_PG_BIN names another bin directory (initdb, pg_ctl, psql, pg_dump).
set -euo pipefail
cd "$(dirname "$0")/../.."

find_bin() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/psql" ] && [ -x "$dir/pg_dump" ]; then
            echo "$dir"
        fi
    done | sort -V | tail -n 1
}

bin="${STATEFUL_STACKS_PG_BIN:-$(find_bin)}"
if [ -z "$bin" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "PostgreSQL is not installed; as root: apt-get install -y postgresql (or set STATEFUL_STACKS_PG_BIN)" >&2
        exit 1
    fi
    echo "installing PostgreSQL from the Debian archive (apt-get install postgresql)" >&2
    started=$(date +%s)
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    echo "installed in $(($(date +%s) - started)) s" >&2
    bin="$(find_bin)"
fi
major=$("$bin/psql" --version | sed -E 's/^[^0-9]*([0-9]+).*/\1/')
if [ "$major" -lt 15 ]; then
    echo "psql $major in $bin is too old: the rotation script reads the new password with \\getenv (PostgreSQL 15 or newer)" >&2
    exit 1
fi
export STATEFUL_STACKS_PG_BIN="$bin"
exec npx mocha --no-config --require tsx/cjs --require test/support/hooks.ts --extension ts --timeout 120000 --reporter spec "test/postgres/**/*.test.ts"
