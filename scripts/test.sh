#!/usr/bin/env bash
# The project's proof: set up, lint, install the add-on in a fresh database (the install log must be
# free of errors and tracebacks), then run the whole test suite with pytest-odoo. Ends with pytest's
# summary line. Arguments are passed to pytest, e.g.
#   scripts/test.sh serial_tracking/tests/test_install.py::TestInstall::test_module_installed
# QUICK=1 skips set-up, lint and the fresh install, and reruns tests on the last test database
# (after updating the add-on in it).
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
    say "Installing serial_tracking in a fresh database '$TEST_DB' (log: $LOG_DIR/install.log)"
    odoo_bin -d "$TEST_DB" -i serial_tracking --without-demo=all --stop-after-init \
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
    odoo_bin -d "$TEST_DB" -u serial_tracking --stop-after-init --no-http --log-level=warn \
        --logfile="$LOG_DIR/update.log" || die "Updating the add-on failed (see $LOG_DIR/update.log)."
fi

# The uninstall/reinstall test (tests_lifecycle/) runs Odoo in subprocesses on its own copy of the
# test database, named per run (runs on one machine share the test database) and dropped when
# the test or this script ends. PostgreSQL copies a database fast only while nobody is connected
# to it (it waits 5 seconds for other connections to end): now, before pytest connects, unless
# another run is connected; then the copy is a dump and restore (a few seconds more).
LIFECYCLE_DB="${TEST_DB}_lifecycle_$$"
FILESTORE="$CACHE_DIR/data/filestore"
drop_lifecycle_db() {
    if db_exists "$LIFECYCLE_DB"; then
        dropdb "$LIFECYCLE_DB"
    fi
    rm -rf "${FILESTORE:?}/$LIFECYCLE_DB"
}
drop_lifecycle_db # left by an earlier run that had this process id and was killed
trap 'drop_lifecycle_db || true' EXIT
if ! createdb -T "$TEST_DB" "$LIFECYCLE_DB" 2>/dev/null; then
    say "'$TEST_DB' is in use: copying it to '$LIFECYCLE_DB' by dump and restore"
    createdb "$LIFECYCLE_DB"
    pg_dump --no-owner "$TEST_DB" | psql -q -X -v ON_ERROR_STOP=1 -d "$LIFECYCLE_DB" >/dev/null \
        || die "Copying '$TEST_DB' to '$LIFECYCLE_DB' failed."
fi
if [ -d "$FILESTORE/$TEST_DB" ]; then
    cp -a "$FILESTORE/$TEST_DB" "$FILESTORE/$LIFECYCLE_DB"
fi
export SERIAL_TRACKING_LIFECYCLE_DB="$LIFECYCLE_DB" ODOO_SRC ODOO_VENV ODOO_CONF

cd "$REPO_DIR"
say "Running the test suite with pytest-odoo"
set +e
"$ODOO_VENV/bin/python" -m pytest \
    --odoo-config="$ODOO_CONF" --odoo-database="$TEST_DB" --odoo-log-level=warn --odoo-http \
    -rfEs "$@"
rc=$?
set -e
# pytest exits 5 when it collected no test: that proves nothing, so it is a failure too.
exit "$rc"
