#!/usr/bin/env bash
# Odoo's own test suites of every module that touches lots, run with pytest-odoo (HTTP cases and
# tours included, --odoo-http) on two databases holding the same Odoo modules ($ODOO_MODULES):
# one without the project's add-ons, one with them. The add-ons must not change their outcome.
#
#   bash scripts/native_tests.sh                 # both halves, every suite; fails when a test
#                                                # fails only with the add-ons
#   bash scripts/native_tests.sh mrp repair      # some suites only
#   bash scripts/native_tests.sh --baseline      # the half without the add-ons only, written to
#                                                # scripts/native_baseline.txt (flaky marks kept)
#   bash scripts/native_tests.sh --with-only     # the half with the add-ons only, against that
#                                                # baseline (what `make test` runs)
# NATIVE_DB=name reuses a database that already holds the modules (and the add-ons for
# --with-only) instead of installing a fresh one: scripts/test.sh gives a copy of its test
# database. NATIVE_PREFIX names the databases it installs (default serial_tracking_native: _base
# and _with), for several checkouts on one machine. PARALLEL=0 runs the two halves one after the
# other (default: side by side).
# WORKERS=N spreads a half over N pytest-xdist workers, each on its own copy of the database
# (default: 2 when one half runs alone, 1 when the halves run side by side).
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
MODE=both
SUITES=()
for arg in "$@"; do
    case "$arg" in
        --baseline) MODE=baseline ;;
        --with-only) MODE=with ;;
        -*) die "Unknown option $arg (see the head of $0)." ;;
        *) SUITES+=("$arg") ;;
    esac
done
[ ${#SUITES[@]} -gt 0 ] || SUITES=(stock stock_account purchase_stock sale_stock mrp mrp_account
    mrp_subcontracting sale_mrp purchase_mrp repair stock_picking_batch stock_dropshipping
    stock_landed_costs point_of_sale pos_sale)
BASELINE="$REPO_DIR/scripts/native_baseline.txt"
NATIVE_PREFIX="${NATIVE_PREFIX:-serial_tracking_native}"
LOG_DIR="$STATE_DIR/log/native"
REPORT=("$ODOO_VENV/bin/python" "$REPO_DIR/scripts/native_report.py")
mkdir -p "$LOG_DIR"

[ "${SKIP_SETUP:-0}" = 1 ] || SETUP_FOR_TESTS=1 bash "$REPO_DIR/scripts/setup.sh"

# run_half LABEL DATABASE MODULES HTTP_PORT: installs MODULES in a fresh DATABASE (unless
# NATIVE_DB names one), runs the suites, writes LABEL.xml and LABEL.log.
run_half() {
    local label="$1" db="$2" modules="$3" port="$4"
    if [ -n "${NATIVE_DB:-}" ]; then
        db="$NATIVE_DB"
    else
        if db_exists "$db"; then dropdb "$db"; fi
        rm -rf "$CACHE_DIR/data/filestore/$db"
        say "[$label] installing $modules in '$db'"
        odoo_bin -d "$db" -i "$modules" --without-demo=all --stop-after-init --no-http \
            --log-level=warn --logfile="$LOG_DIR/$label-install.log" \
            || die "[$label] installing failed (log: $LOG_DIR/$label-install.log)"
    fi
    # One configuration per half (pytest-odoo serves each run's HTTP cases on a free port).
    sed -E "s/^http_port = .*/http_port = $port/" "$ODOO_CONF" >"$LOG_DIR/$label.conf"
    local workers=()
    if [ "${WORKERS:-1}" -gt 1 ]; then
        # Test classes stay whole on one worker (their set-up is shared by their tests).
        workers=(-n "$WORKERS" --dist loadscope)
    fi
    local paths=() suite
    for suite in "${SUITES[@]}"; do paths+=("$ODOO_SRC/addons/$suite/tests"); done
    say "[$label] running ${SUITES[*]} on '$db' (log: $LOG_DIR/$label.log)"
    local started=$SECONDS
    rm -f "$LOG_DIR/$label.xml"
    (cd "$REPO_DIR" && "$ODOO_VENV/bin/python" -m pytest -p no:cacheprovider -o testpaths= \
        -o junit_family=xunit1 --junitxml="$LOG_DIR/$label.xml" \
        --rootdir="$ODOO_SRC" --odoo-config="$LOG_DIR/$label.conf" --odoo-database="$db" \
        --odoo-log-level=critical --odoo-http -q -rfE "${workers[@]}" "${paths[@]}" \
        >"$LOG_DIR/$label.log" 2>&1) \
        || true
    [ -s "$LOG_DIR/$label.xml" ] || die "[$label] pytest wrote no results (log: $LOG_DIR/$label.log)"
    say "[$label] $(tail -1 "$LOG_DIR/$label.log") ($((SECONDS - started)) s)"
    "${REPORT[@]}" summary "$LOG_DIR/$label.xml" | sed "s/^/[$label] /"
    "${REPORT[@]}" failures "$LOG_DIR/$label.xml" >"$LOG_DIR/$label.failures"
}

# rerun_alone LABEL NODES_FILE HTTP_PORT: runs the tests named in NODES_FILE again, one
# worker, on the database of the half LABEL ran on: LABEL-rerun.xml and LABEL-rerun.log. A test
# that failed among the others and passes alone is flaky, not broken by the add-ons.
rerun_alone() {
    local label="$1" nodes_file="$2" port="$3" db paths=() node
    db="${NATIVE_DB:-${NATIVE_PREFIX}_$label}"
    while read -r node; do paths+=("$ODOO_SRC/$node"); done <"$nodes_file"
    say "[$label] running the ${#paths[@]} tests failing only with the add-ons again, alone"
    rm -f "$LOG_DIR/$label-rerun.xml"
    (cd "$REPO_DIR" && "$ODOO_VENV/bin/python" -m pytest -p no:cacheprovider -o testpaths= \
        -o junit_family=xunit1 --junitxml="$LOG_DIR/$label-rerun.xml" \
        --rootdir="$ODOO_SRC" --odoo-config="$LOG_DIR/$label.conf" --odoo-database="$db" \
        --odoo-log-level=critical --odoo-http -q -rfE "${paths[@]}" \
        >"$LOG_DIR/$label-rerun.log" 2>&1) || true
    [ -s "$LOG_DIR/$label-rerun.xml" ] || die "[$label] the run again wrote no results (log: $LOG_DIR/$label-rerun.log)"
    say "[$label] again: $(tail -1 "$LOG_DIR/$label-rerun.log")"
}

WITHOUT_MODULES="$ODOO_MODULES"
WITH_MODULES="$ODOO_MODULES,$(project_addons)"

if [ "$MODE" != both ] || [ "${PARALLEL:-1}" != 1 ] || [ -n "${NATIVE_DB:-}" ]; then
    WORKERS="${WORKERS:-2}"
fi

case "$MODE" in
    baseline)
        run_half without "${NATIVE_PREFIX}_base" "$WITHOUT_MODULES" $((HTTP_PORT + 101))
        header="Odoo's own tests that fail under pytest-odoo without the project's add-ons.
scripts/native_tests.sh fails on any other test failing with the add-ons installed.
Regenerate: bash scripts/native_tests.sh --baseline
A line ending in '# flaky: <runs>' passed and failed on the same code: either outcome is accepted.
generated: $(date -u +%Y-%m-%d)
odoo: 18.0, $(odoo_revision)
suites: ${SUITES[*]}
modules: $WITHOUT_MODULES
$(tail -1 "$LOG_DIR/without.log" | sed 's/=//g; s/^ *//')"
        "${REPORT[@]}" baseline --out "$BASELINE" --header "$header" "$LOG_DIR/without.xml"
        ;;
    with)
        run_half with "${NATIVE_PREFIX}_with" "$WITH_MODULES" $((HTTP_PORT + 102))
        if ! "${REPORT[@]}" compare --baseline "$BASELINE" --new-out "$LOG_DIR/with.new" \
            "$LOG_DIR/with.xml"; then
            rerun_alone with "$LOG_DIR/with.new" $((HTTP_PORT + 102))
            "${REPORT[@]}" compare --baseline "$BASELINE" --rerun "$LOG_DIR/with-rerun.xml" \
                "$LOG_DIR/with.xml" \
                || die "These native tests fail with the add-ons and are not in $BASELINE (log: $LOG_DIR/with.log, run again alone: $LOG_DIR/with-rerun.log)."
        fi
        ;;
    both)
        if [ "${PARALLEL:-1}" = 1 ] && [ -z "${NATIVE_DB:-}" ]; then
            run_half without "${NATIVE_PREFIX}_base" "$WITHOUT_MODULES" $((HTTP_PORT + 101)) &
            without_pid=$!
            run_half with "${NATIVE_PREFIX}_with" "$WITH_MODULES" $((HTTP_PORT + 102))
            wait "$without_pid"
        else
            run_half without "${NATIVE_PREFIX}_base" "$WITHOUT_MODULES" $((HTTP_PORT + 101))
            run_half with "${NATIVE_PREFIX}_with" "$WITH_MODULES" $((HTTP_PORT + 102))
        fi
        if ! "${REPORT[@]}" compare --baseline "$BASELINE" --without "$LOG_DIR/without.xml" \
            --new-out "$LOG_DIR/with.new" "$LOG_DIR/with.xml"; then
            rerun_alone with "$LOG_DIR/with.new" $((HTTP_PORT + 102))
            "${REPORT[@]}" compare --baseline "$BASELINE" --without "$LOG_DIR/without.xml" \
                --rerun "$LOG_DIR/with-rerun.xml" "$LOG_DIR/with.xml" \
                || die "These native tests fail only with the add-ons installed (logs in $LOG_DIR)."
        fi
        ;;
esac
