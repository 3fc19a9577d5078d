#!/usr/bin/env bash
# Runs Odoo with two HTTP workers on its own database and hits it with parallel XML-RPC clients
# (scripts/concurrency_rpc.py): numbering, the same serial created at once, receipts validated at
# once. Prints the workers and the clients' table; exits 1 when a claim does not hold.
#   bash scripts/concurrency.sh
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
RPC_DB="${RPC_DB:-serial_tracking_rpc}"
RPC_PORT="${RPC_PORT:-8079}"
LOG_DIR="$STATE_DIR/log"
mkdir -p "$LOG_DIR"

bash "$REPO_DIR/scripts/setup.sh"
if db_exists "$RPC_DB"; then
    say "Updating serial_tracking in '$RPC_DB'"
    odoo_bin -d "$RPC_DB" -u serial_tracking --stop-after-init --no-http --log-level=warn \
        --logfile="$LOG_DIR/rpc-install.log" || die "Updating failed (log: $LOG_DIR/rpc-install.log)."
else
    say "Installing serial_tracking in a new database '$RPC_DB' (a minute or two, once)"
    odoo_bin -d "$RPC_DB" -i serial_tracking --without-demo=all --stop-after-init --no-http \
        --log-level=warn --logfile="$LOG_DIR/rpc-install.log" || {
        dropdb --if-exists "$RPC_DB"
        die "Installing failed (log: $LOG_DIR/rpc-install.log)."
    }
fi

log="$LOG_DIR/rpc-server.log"
say "Starting Odoo with --workers 2 on port $RPC_PORT (log: $log)"
if curl -fs -o /dev/null "http://localhost:$RPC_PORT/web/login"; then
    die "Something already answers on port $RPC_PORT: stop it or set RPC_PORT."
fi
: >"$log"
# odoo-bin itself in the background (not a shell function), so that the trap stops it.
"$ODOO_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$RPC_DB" \
    --db-filter="^$RPC_DB\$" --workers 2 --max-cron-threads 0 --http-port "$RPC_PORT" \
    --log-level=info --logfile="$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 60); do
    curl -fs -o /dev/null "http://localhost:$RPC_PORT/web/login" && break
    sleep 1
done
curl -fs -o /dev/null "http://localhost:$RPC_PORT/web/login" || die "Odoo did not answer (log: $log)."
grep -oE 'Worker WorkerHTTP \([0-9]+\) alive' "$log" | sort -u >&2 || true

"$ODOO_VENV/bin/python" "$REPO_DIR/scripts/concurrency_rpc.py" \
    "http://localhost:$RPC_PORT" "$RPC_DB" admin admin
