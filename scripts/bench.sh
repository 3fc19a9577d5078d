#!/usr/bin/env bash
# Benchmarks (not tests): builds its own databases once (the add-on's, and native Odoo's with
# sale_stock and purchase_stock only), then runs the benchmark scripts in them.
#   bash scripts/bench.sh                  # receipt, sale, internal transfer and customer return,
#                                          # N = 1,000 and 5,000, each run in its own process,
#                                          # add-on against native up to NATIVE_MAX serials
#                                          # (default 5,000); the tables
#   BENCH=flows bash scripts/bench.sh -n 1000 5000 10000     # other sizes (the popup takes at
#                                          # most 10,000 serials at once)
#   FLOWS="receipt sale" bash scripts/bench.sh              # some flows only
#   BENCH=load bash scripts/bench.sh       # Odoo with 4 workers, 8 clients selling, delivering
#                                          # and receiving serials at once for 120 s; then the
#                                          # consistency check (SECONDS_=, WORKERS=, CLIENTS=)
#   BENCH=lookup bash scripts/bench.sh     # serial lookup and sales popup search with 100,000 and
#                                          # 1,000,000 serials (in a copy of the database)
#   BENCH=popup bash scripts/bench.sh -n 5000     # the popup's steps
#   BENCH=status bash scripts/bench.sh     # the status refresh
#   BENCH=report bash scripts/bench.sh     # Serial Number Report over 1,000 and 10,000 serials
#   BENCH=mrp bash scripts/bench.sh        # 1,000 serial units produced from serial components,
#                                          # add-on against native Odoo (-n for other sizes)
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
BENCH_DB="${BENCH_DB:-serial_tracking_bench}"
NATIVE_BENCH_DB="${NATIVE_BENCH_DB:-serial_tracking_bench_native}"

bash "$REPO_DIR/scripts/setup.sh" >&2
mkdir -p "$STATE_DIR/log"
if ! db_exists "$BENCH_DB"; then
    say "Creating the benchmark database '$BENCH_DB'"
    odoo_bin -d "$BENCH_DB" -i serial_tracking --without-demo=all --stop-after-init --no-http \
        --log-level=warn --logfile="$STATE_DIR/log/bench-install.log"
else
    odoo_bin -d "$BENCH_DB" -u serial_tracking --stop-after-init --no-http \
        --log-level=warn --logfile="$STATE_DIR/log/bench-install.log"
fi
say "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(psql -XtAc 'SHOW server_version' -d postgres | cut -d' ' -f1) PostgreSQL"

native_db() {
    if ! db_exists "$NATIVE_BENCH_DB"; then
        say "Creating the native benchmark database '$NATIVE_BENCH_DB' (no add-on)"
        odoo_bin -d "$NATIVE_BENCH_DB" -i sale_stock,purchase_stock --without-demo=all \
            --stop-after-init --no-http --log-level=warn \
            --logfile="$STATE_DIR/log/bench-native-install.log"
    fi
}

flows() {
    local counts=(1000 5000) results="$STATE_DIR/log/bench-flows.jsonl" dbs
    if [ "${1:-}" = -n ]; then
        shift
        counts=("$@")
    fi
    native_db
    : >"$results"
    for count in "${counts[@]}"; do
        for flow in ${FLOWS:-receipt sale internal return}; do
            dbs=("$BENCH_DB")
            # Native Odoo reserves serials in N² steps: beyond NATIVE_MAX it takes too long.
            [ "$count" -gt "${NATIVE_MAX:-5000}" ] || dbs+=("$NATIVE_BENCH_DB")
            for db in "${dbs[@]}"; do
                # Rolled-back runs leave dead rows behind: both databases start clean.
                psql -q -X -d "$db" -c "VACUUM ANALYZE" >/dev/null
                say "$flow of $count serials in '$db'"
                "$ODOO_VENV/bin/python" "$REPO_DIR/scripts/bench_flows.py" -c "$ODOO_CONF" \
                    -d "$db" --flow "$flow" -n "$count" | tee -a "$results" >&2
            done
        done
    done
    "$ODOO_VENV/bin/python" "$REPO_DIR/scripts/bench_table.py" <"$results"
}

mrp() {
    local counts=(1000) results="$STATE_DIR/log/bench-mrp.jsonl" db
    local mrp_db="${BENCH_DB}_mrp" mrp_native_db="${NATIVE_BENCH_DB}_mrp"
    if [ "${1:-}" = -n ]; then
        shift
        counts=("$@")
    fi
    if ! db_exists "$mrp_db"; then
        say "Creating the manufacturing benchmark database '$mrp_db'"
        odoo_bin -d "$mrp_db" -i serial_tracking_mrp --without-demo=all --stop-after-init \
            --no-http --log-level=warn --logfile="$STATE_DIR/log/bench-mrp-install.log"
    else
        odoo_bin -d "$mrp_db" -u serial_tracking,serial_tracking_mrp --stop-after-init \
            --no-http --log-level=warn --logfile="$STATE_DIR/log/bench-mrp-install.log"
    fi
    if ! db_exists "$mrp_native_db"; then
        say "Creating the native manufacturing benchmark database '$mrp_native_db' (no add-on)"
        odoo_bin -d "$mrp_native_db" -i mrp,sale_stock,purchase_stock --without-demo=all \
            --stop-after-init --no-http --log-level=warn \
            --logfile="$STATE_DIR/log/bench-mrp-native-install.log"
    fi
    : >"$results"
    for count in "${counts[@]}"; do
        for db in "$mrp_db" "$mrp_native_db"; do
            psql -q -X -d "$db" -c "VACUUM ANALYZE" >/dev/null
            say "production of $count serial units in '$db'"
            "$ODOO_VENV/bin/python" "$REPO_DIR/scripts/bench_flows.py" -c "$ODOO_CONF" \
                -d "$db" --flow production -n "$count" | tee -a "$results" >&2
        done
    done
    "$ODOO_VENV/bin/python" "$REPO_DIR/scripts/bench_table.py" <"$results"
}

for bench in ${BENCH:-flows}; do
    say "Benchmark: $bench"
    case "$bench" in
    flows) flows "$@" ;;
    mrp) mrp "$@" ;;
    load)
        # Committed work, concurrent workers: in a copy of the benchmark database.
        load_db="${LOAD_DB:-serial_tracking_bench_load}"
        if db_exists "$load_db"; then dropdb "$load_db"; fi
        createdb -T "$BENCH_DB" "$load_db"
        "$ODOO_VENV/bin/python" "$REPO_DIR/scripts/bench_load.py" -c "$ODOO_CONF" \
            -d "$load_db" --odoo "$ODOO_SRC/odoo-bin" --python "$ODOO_VENV/bin/python" \
            --log "$STATE_DIR/log/bench-load-server.log" "$@"
        ;;
    lookup)
        # A new copy each time: the 100,000 figures are taken before the next 900,000 serials.
        lookup_db="${LOOKUP_DB:-serial_tracking_bench_lookup}"
        if db_exists "$lookup_db"; then dropdb "$lookup_db"; fi
        createdb -T "$BENCH_DB" "$lookup_db"
        "$ODOO_VENV/bin/python" "$REPO_DIR/scripts/bench_lookup.py" -c "$ODOO_CONF" \
            -d "$lookup_db"
        ;;
    *)
        "$ODOO_VENV/bin/python" "$REPO_DIR/scripts/bench_$bench.py" -c "$ODOO_CONF" -d "$BENCH_DB" "$@"
        ;;
    esac
done
