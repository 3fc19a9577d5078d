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
