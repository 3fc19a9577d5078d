#!/usr/bin/env bash
# Runs Odoo's own test suites of stock, stock_account, purchase_stock and sale_stock twice, with
# pytest-odoo: on a database with only those modules, and on one with serial_tracking installed
# too. The add-on must not change their outcome: the script prints both summaries and fails when
# a test fails with the add-on that passes without it.
#   bash scripts/native_tests.sh                 # the four suites
#   bash scripts/native_tests.sh stock           # some of them
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SUITES=("$@")
[ ${#SUITES[@]} -gt 0 ] || SUITES=(stock stock_account purchase_stock sale_stock)
LOG_DIR="$STATE_DIR/log/native"
mkdir -p "$LOG_DIR"

bash "$REPO_DIR/scripts/setup.sh"

run_suites() {
    local db="$1" modules="$2" label="$3"
    if db_exists "$db"; then dropdb "$db"; fi
    rm -rf "$CACHE_DIR/data/filestore/$db"
    say "[$label] installing $modules in '$db'"
    odoo_bin -d "$db" -i "$modules" --without-demo=all --stop-after-init --no-http \
        --log-level=warn --logfile="$LOG_DIR/$label-install.log"
    local paths=()
    for suite in "${SUITES[@]}"; do paths+=("$ODOO_SRC/addons/$suite/tests"); done
    say "[$label] running ${SUITES[*]} (log: $LOG_DIR/$label.log)"
    (cd "$REPO_DIR" && "$ODOO_VENV/bin/python" -m pytest -p no:cacheprovider -o testpaths= \
        --rootdir="$ODOO_SRC" --odoo-config="$ODOO_CONF" --odoo-database="$db" \
        --odoo-log-level=critical -q -rfE "${paths[@]}" >"$LOG_DIR/$label.log" 2>&1) || true
    { grep -E '^(FAILED|ERROR) ' "$LOG_DIR/$label.log" || true; } | sed -E 's/ - .*//' | sort -u \
        >"$LOG_DIR/$label.failures"
    printf '[%s] %s\n' "$label" "$(tail -1 "$LOG_DIR/$label.log")"
}

run_suites serial_tracking_native_base "sale_stock,purchase_stock" without
run_suites serial_tracking_native_with "serial_tracking" with

new_failures="$(comm -13 "$LOG_DIR/without.failures" "$LOG_DIR/with.failures")"
if [ -n "$new_failures" ]; then
    printf '%s\n' "$new_failures"
    die "These native tests fail only with serial_tracking installed (logs in $LOG_DIR)."
fi
say "Odoo's ${SUITES[*]} tests: no test fails with serial_tracking that passes without it."
