#!/usr/bin/env bash
# serial_tracking beside the community add-ons its users run for lots and barcodes (the 18.0
# releases pinned in scripts/coexistence-requirements.txt): stock_barcodes,
# sale_order_lot_selection with stock_restrict_lot, product_lot_sequence and
# stock_picking_import_serial_number.
#
#   bash scripts/coexistence.sh        (make test-coexistence)
#
# 1. They are installed from PyPI into their own environment, $CACHE_DIR/venv-coexistence
#    (scripts/overlay_venv.sh: it sees the project's environment behind its own packages and
#    writes nothing there), made on the first run and brought up to the pinned versions after.
# 2. Each must install on this Odoo alone (one that does not is reported and left out).
# 3. Their own tests (pytest-odoo, --odoo-http) run on a database holding them with Odoo's demo
#    data, as OCA's CI runs them ($COEX_PREFIX_base, default serial_tracking_coexistence), and
#    on one holding them and serial_tracking (_with): a test failing only with serial_tracking
#    fails the run.
# 4. serial_tracking's own tests and those of tests_coexistence/ (how the add-ons work
#    together) run on a database holding them and serial_tracking without demo data (_ours):
#    none may fail but those scripts/coexistence_known.txt names, with the reason the README
#    documents.
# Logs and results: .local/log/coexistence/. HTTP cases are served on HTTP_PORT+103.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
COEX_PREFIX="${COEX_PREFIX:-serial_tracking_coexistence}"
COEX_VENV="${COEX_VENV:-$CACHE_DIR/venv-coexistence}"
LOG_DIR="$STATE_DIR/log/coexistence"
REQUIREMENTS="$REPO_DIR/scripts/coexistence-requirements.txt"
REPORT=("$ODOO_VENV/bin/python" "$REPO_DIR/scripts/native_report.py")
mkdir -p "$LOG_DIR"
started_all=$SECONDS

[ "${SKIP_SETUP:-0}" = 1 ] || SETUP_FOR_TESTS=1 bash "$REPO_DIR/scripts/setup.sh"

say "Community add-ons into $COEX_VENV"
python="$(bash "$REPO_DIR/scripts/overlay_venv.sh" "$COEX_VENV")"
# --no-deps: their one requirement outside the list is Odoo, which is the source tree here.
"$python" -m pip install -q --no-deps -r "$REQUIREMENTS" >"$LOG_DIR/pip.log" 2>&1 \
    || die "pip could not install the community add-ons (see $LOG_DIR/pip.log)."
site="$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/odoo/addons"
CANDIDATES=(stock_barcodes sale_order_lot_selection product_lot_sequence stock_picking_import_serial_number)
for module in "${CANDIDATES[@]}" stock_restrict_lot; do
    [ -f "$site/$module/__manifest__.py" ] || die "$module is not in $site."
done

# The checkout's configuration, on a port of its own; the community add-ons are found in the
# environment's odoo/addons, not on the addons path.
sed -E "s/^http_port = .*/http_port = $((HTTP_PORT + 103))/" "$ODOO_CONF" >"$LOG_DIR/odoo.conf"

# Each community add-on must first install on this Odoo without serial_tracking; one that does
# not is reported and left out (not a conflict with serial_tracking).
COMMUNITY=""
probe="${COEX_PREFIX}_probe"
for module in "${CANDIDATES[@]}"; do
    if db_exists "$probe"; then dropdb "$probe"; fi
    rm -f "$LOG_DIR/probe-$module.log" # Odoo appends to its log file
    if "$python" "$ODOO_SRC/odoo-bin" -c "$LOG_DIR/odoo.conf" -d "$probe" -i "$module" \
        --without-demo=all --stop-after-init --no-http --log-level=warn \
        --logfile="$LOG_DIR/probe-$module.log" \
        && ! grep -qE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$LOG_DIR/probe-$module.log"; then
        say "$module installs on this Odoo"
        COMMUNITY="${COMMUNITY:+$COMMUNITY,}$module"
    else
        printf '\033[33mWARNING: %s does not install on this Odoo even without serial_tracking: left out (%s):\033[0m\n' \
            "$module" "$LOG_DIR/probe-$module.log" >&2
        grep -E 'Error|ERROR' "$LOG_DIR/probe-$module.log" | grep -v 'RELAXNG' | tail -3 >&2 || true
    fi
done
if db_exists "$probe"; then dropdb "$probe"; fi
rm -rf "$CACHE_DIR/data/filestore/$probe"
[ -n "$COMMUNITY" ] || die "None of the community add-ons installs on this Odoo."
suites=()
# Their tests, and those of the add-ons they bring (stock_restrict_lot with the lot selection).
for module in ${COMMUNITY//,/ } $([[ ,$COMMUNITY, == *,sale_order_lot_selection,* ]] && echo stock_restrict_lot); do
    if [ -d "$site/$module/tests" ]; then suites+=("$site/$module/tests"); fi
done

# run LABEL DATABASE MODULES DEMO PATHS...: installs MODULES in a fresh DATABASE (with Odoo's
# demo data when DEMO is 1), then runs pytest on PATHS there; LABEL.xml and LABEL.log.
run() {
    local label="$1" db="$2" modules="$3" demo=(--without-demo=all) started=$SECONDS
    if [ "$4" = 1 ]; then demo=(); fi
    shift 4
    if db_exists "$db"; then dropdb "$db"; fi
    rm -rf "$CACHE_DIR/data/filestore/$db"
    say "[$label] installing $modules in '$db'"
    rm -f "$LOG_DIR/$label-install.log" # Odoo appends to its log file
    "$python" "$ODOO_SRC/odoo-bin" -c "$LOG_DIR/odoo.conf" -d "$db" -i "$modules" \
        "${demo[@]}" --stop-after-init --no-http --log-level=warn \
        --logfile="$LOG_DIR/$label-install.log" \
        || die "[$label] installing failed (log: $LOG_DIR/$label-install.log)"
    if grep -qE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) |^Traceback ' "$LOG_DIR/$label-install.log"; then
        die "[$label] the install logged errors ($LOG_DIR/$label-install.log)."
    fi
    say "[$label] installed in $((SECONDS - started)) s; running the tests (log: $LOG_DIR/$label.log)"
    rm -f "$LOG_DIR/$label.xml"
    (cd "$REPO_DIR" && "$python" -m pytest -p no:cacheprovider -o testpaths= \
        -o junit_family=xunit1 --junitxml="$LOG_DIR/$label.xml" \
        --odoo-config="$LOG_DIR/odoo.conf" --odoo-database="$db" \
        --odoo-log-level=critical --odoo-http -q -rfEs "$@" >"$LOG_DIR/$label.log" 2>&1) || true
    [ -s "$LOG_DIR/$label.xml" ] || die "[$label] pytest wrote no results (log: $LOG_DIR/$label.log)"
    say "[$label] $(tail -1 "$LOG_DIR/$label.log") ($((SECONDS - started)) s in all)"
    "${REPORT[@]}" summary "$LOG_DIR/$label.xml" | sed "s/^/[$label] /"
    "${REPORT[@]}" failures "$LOG_DIR/$label.xml" >"$LOG_DIR/$label.failures"
}

# Their tests expect Odoo's demo data (as OCA's CI installs them); ours build their own data.
run base "${COEX_PREFIX}_base" "$COMMUNITY" 1 "${suites[@]}"
run with "${COEX_PREFIX}_with" "$COMMUNITY,serial_tracking" 1 "${suites[@]}"
run ours "${COEX_PREFIX}_ours" "$COMMUNITY,serial_tracking" 0 \
    "$REPO_DIR/serial_tracking/tests" "$REPO_DIR/tests_coexistence"

rc=0
# Their tests: the same failures with and without serial_tracking (node ids from the add-on's
# folder on, wherever pytest found it).
community_failures() {
    grep -v '/serial_tracking/tests/\|^serial_tracking/\|tests_coexistence/' "$1" \
        | sed -E 's#^(.*/)?addons/##' | sort || true
}
community_failures "$LOG_DIR/with.failures" >"$LOG_DIR/with-community.failures"
community_failures "$LOG_DIR/base.failures" >"$LOG_DIR/base-community.failures"
only_with="$(comm -23 "$LOG_DIR/with-community.failures" "$LOG_DIR/base-community.failures")"
if [ -n "$only_with" ]; then
    printf '%s\n' "$only_with" >&2
    printf '\033[31mERROR: community tests above fail only with serial_tracking.\033[0m\n' >&2
    rc=1
fi
# Ours: none may fail but those of scripts/coexistence_known.txt (documented in the README).
known="$(sed -E 's/[[:space:]]*#.*$//; /^$/d' "$REPO_DIR/scripts/coexistence_known.txt")"
ours="$(grep '/serial_tracking/tests/\|^serial_tracking/\|tests_coexistence/' "$LOG_DIR/ours.failures" \
    | sed -E 's#^.*(serial_tracking/tests/|tests_coexistence/)#\1#' | grep -v -x -F "$known" || true)"
if [ -n "$ours" ]; then
    printf '%s\n' "$ours" >&2
    printf '\033[31mERROR: serial_tracking tests above fail beside the community add-ons.\033[0m\n' >&2
    rc=1
fi
if grep -q ' skipped' <(tail -1 "$LOG_DIR/ours.log"); then
    printf '\033[31mERROR: tests were skipped (see %s).\033[0m\n' "$LOG_DIR/ours.log" >&2
    rc=1
fi
for db in "${COEX_PREFIX}_base" "${COEX_PREFIX}_with" "${COEX_PREFIX}_ours"; do
    if [ "${KEEP:-0}" != 1 ] && db_exists "$db"; then dropdb "$db"; fi
done
say "Coexistence: $((SECONDS - started_all)) s"
exit "$rc"
