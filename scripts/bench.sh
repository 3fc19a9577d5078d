#!/usr/bin/env bash
# Benchmarks (not tests): builds its own database once, then runs the benchmark scripts in it.
#   bash scripts/bench.sh                  # popup (1,000 and 10,000) and status (1,000 and 5,000)
#   BENCH=popup bash scripts/bench.sh -n 5000     # one benchmark, other sizes
#   BENCH=sale bash scripts/bench.sh       # selling 1,000 and 5,000 serials, with the add-on and
#                                          # in a database of native Odoo (sale_stock, purchase_stock)
#   BENCH=report bash scripts/bench.sh     # Serial Number Report over 1,000 and 10,000 serials
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
for bench in ${BENCH:-popup status}; do
    say "Benchmark: $bench"
    "$ODOO_VENV/bin/python" "$REPO_DIR/scripts/bench_$bench.py" -c "$ODOO_CONF" -d "$BENCH_DB" "$@"
    if [ "$bench" = sale ]; then
        if ! db_exists "$NATIVE_BENCH_DB"; then
            say "Creating the native benchmark database '$NATIVE_BENCH_DB' (no add-on)"
            odoo_bin -d "$NATIVE_BENCH_DB" -i sale_stock,purchase_stock --without-demo=all \
                --stop-after-init --no-http --log-level=warn \
                --logfile="$STATE_DIR/log/bench-native-install.log"
        fi
        say "Benchmark: $bench, native Odoo"
        "$ODOO_VENV/bin/python" "$REPO_DIR/scripts/bench_$bench.py" -c "$ODOO_CONF" \
            -d "$NATIVE_BENCH_DB" "$@"
    fi
done
