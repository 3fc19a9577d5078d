#!/usr/bin/env bash
# The project's proof: set up, lint, install the add-on in a fresh database (the install log must be
# free of errors and tracebacks), then run the whole test suite with pytest-odoo. Ends with pytest's
# summary line. Arguments are passed to pytest, e.g.
#   scripts/test.sh serial_tracking/tests/test_install.py::TestInstall::test_module_installed
# QUICK=1 skips set-up, lint and the fresh install, and reruns tests on the last test database
# (after updating the add-on in it).
# The test database holds the project's add-ons and Odoo's modules that touch lots ($ODOO_MODULES).
# A full run (no pytest arguments, not QUICK) also runs Odoo's own suites of those modules on a
# copy of it, against the committed list of the tests that fail without the add-ons
# (scripts/native_tests.sh --with-only); NATIVE=0 leaves them out, NATIVE=1 runs them anyway.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
TEST_DB="${TEST_DB:-serial_tracking_test}"
LOG_DIR="$STATE_DIR/log"

check_log() {
    # Odoo's log lines: "date time pid LEVEL db logger: message".
    local log="$1" bad
    bad="$(grep -nE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) |^Traceback ' "$log" || true)"
    if [ -n "$bad" ]; then
        printf '%s\n' "$bad" | head -40 >&2
        die "The log $log holds errors or tracebacks (above)."
    fi
}

if [ "${QUICK:-0}" != 1 ]; then
    SETUP_FOR_TESTS=1 bash "$REPO_DIR/scripts/setup.sh"
    bash "$REPO_DIR/scripts/lint.sh"
    mkdir -p "$LOG_DIR"
    if db_exists "$TEST_DB"; then
        dropdb "$TEST_DB"
    fi
    rm -rf "$CACHE_DIR/data/filestore/$TEST_DB"
    say "Installing $(project_addons) and $ODOO_MODULES in a fresh database '$TEST_DB' (log: $LOG_DIR/install.log)"
    # Odoo appends to its log file: the check below reads this install's lines only.
    rm -f "$LOG_DIR/install.log"
    odoo_bin -d "$TEST_DB" -i "$(project_addons),$ODOO_MODULES" --without-demo=all --stop-after-init \
        --no-http --log-level=info --logfile="$LOG_DIR/install.log" \
        || {
            tail -40 "$LOG_DIR/install.log" >&2
            die "Installing the add-on failed."
        }
    check_log "$LOG_DIR/install.log"
    grep -q "Modules loaded" "$LOG_DIR/install.log" || die "Odoo did not finish loading modules."
    say "Installed cleanly"
else
    db_exists "$TEST_DB" || die "No test database '$TEST_DB' yet: run scripts/test.sh once without QUICK=1."
    mkdir -p "$LOG_DIR"
    odoo_bin -d "$TEST_DB" -u "$(project_addons)" --stop-after-init --no-http --log-level=warn \
        --logfile="$LOG_DIR/update.log" || die "Updating the add-on failed (see $LOG_DIR/update.log)."
fi

# The uninstall/reinstall test (tests_lifecycle/) runs Odoo in subprocesses on its own copy of the
# test database, named per run (runs on one machine share the test database) and dropped when
# the test or this script ends. PostgreSQL copies a database fast only while nobody is connected
# to it (it waits 5 seconds for other connections to end): now, before pytest connects, unless
# another run is connected; then the copy is a dump and restore (a few seconds more).
# Odoo's own suites run on another copy, so that what they leave does not reach our tests.
LIFECYCLE_DB="${TEST_DB}_lifecycle_$$"
NATIVE_COPY="${TEST_DB}_native_$$"
FILESTORE="$CACHE_DIR/data/filestore"
drop_copies() {
    local db
    for db in "$LIFECYCLE_DB" "$NATIVE_COPY"; do
        if db_exists "$db"; then
            dropdb "$db"
        fi
        rm -rf "${FILESTORE:?}/$db"
    done
}
copy_test_db() {
    if ! createdb -T "$TEST_DB" "$1" 2>/dev/null; then
        say "'$TEST_DB' is in use: copying it to '$1' by dump and restore"
        createdb "$1"
        pg_dump --no-owner "$TEST_DB" | psql -q -X -v ON_ERROR_STOP=1 -d "$1" >/dev/null \
            || die "Copying '$TEST_DB' to '$1' failed."
    fi
    if [ -d "$FILESTORE/$TEST_DB" ]; then
        cp -a "$FILESTORE/$TEST_DB" "$FILESTORE/$1"
    fi
}
drop_copies # left by an earlier run that had this process id and was killed
trap 'drop_copies || true' EXIT
copy_test_db "$LIFECYCLE_DB"
NATIVE="${NATIVE:-$([ $# -eq 0 ] && [ "${QUICK:-0}" != 1 ] && echo 1 || echo 0)}"
if [ "$NATIVE" = 1 ]; then
    copy_test_db "$NATIVE_COPY"
fi
export SERIAL_TRACKING_LIFECYCLE_DB="$LIFECYCLE_DB" ODOO_SRC ODOO_VENV ODOO_CONF

native_rc=0
if [ "$NATIVE" = 1 ]; then
    say "Running Odoo's own suites with the add-ons, against scripts/native_baseline.txt"
    started=$SECONDS
    SKIP_SETUP=1 NATIVE_DB="$NATIVE_COPY" bash "$REPO_DIR/scripts/native_tests.sh" --with-only \
        || native_rc=1
    say "Odoo's own suites: $((SECONDS - started)) s"
    dropdb "$NATIVE_COPY"
fi

cd "$REPO_DIR"
say "Running the test suite with pytest-odoo"
set +e
"$ODOO_VENV/bin/python" -m pytest \
    --odoo-config="$ODOO_CONF" --odoo-database="$TEST_DB" --odoo-log-level=warn --odoo-http \
    -rfEs "$@"
rc=$?
set -e
if [ "$native_rc" != 0 ]; then
    printf '\033[31mERROR: Odoo'"'"'s own tests fail with the add-ons (above, and in %s).\033[0m\n' \
        "$STATE_DIR/log/native/with.log" >&2
    [ "$rc" != 0 ] || rc=1
fi
# pytest exits 5 when it collected no test: that proves nothing, so it is a failure too.
exit "$rc"
