#!/usr/bin/env bash
# Sets up the machine, creates the demo database with the add-on and Odoo's demo data (once), and
# serves Odoo on http://localhost:$HTTP_PORT. Later runs reuse everything and start in seconds; when
# the add-on's files changed since the last run, it is updated in the demo database first.
# Extra arguments go to odoo-bin (e.g. --dev=xml,reload).
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DEMO_DB="${DEMO_DB:-serial_tracking_demo}"
LOG_DIR="$STATE_DIR/log"

bash "$REPO_DIR/scripts/setup.sh"
mkdir -p "$LOG_DIR"

ADDONS="$(project_addons)"
# The add-ons' files and the Odoo modules installed beside them: when either changes, the demo
# database is updated.
addon_hash() {
    (cd "$REPO_DIR" && find serial_tracking* -type f -not -name '*.pyc' -print0 | sort -z \
        | xargs -0 sha256sum | { cat; echo "$ODOO_MODULES"; } | sha256sum | cut -c1-16)
}
stamp="$CACHE_DIR/$DEMO_DB.addon-hash"
update=()
if ! db_exists "$DEMO_DB"; then
    say "Creating the demo database '$DEMO_DB' with $ADDONS, $ODOO_MODULES and demo data (a few minutes, once)"
    odoo_bin -d "$DEMO_DB" -i "$ADDONS,$ODOO_MODULES" --stop-after-init --no-http --log-level=warn \
        --logfile="$LOG_DIR/demo-install.log" || {
        tail -40 "$LOG_DIR/demo-install.log" >&2
        dropdb --if-exists "$DEMO_DB"
        die "Creating the demo database failed (log: $LOG_DIR/demo-install.log)."
    }
    addon_hash >"$stamp"
elif [ "$(cat "$stamp" 2>/dev/null)" != "$(addon_hash)" ]; then
    say "The add-ons changed since the last run: they are updated in '$DEMO_DB' as Odoo starts"
    # -i installs what is new (a bridge, an Odoo module added to the list); -u updates the rest.
    update=(-i "$ADDONS,$ODOO_MODULES" -u "$ADDONS")
    addon_hash >"$stamp"
fi

say "Odoo 18 with $ADDONS: http://localhost:$HTTP_PORT  (database '$DEMO_DB', login admin, password admin)"
say "Stop it with Ctrl+C."
exec "$ODOO_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$DEMO_DB" \
    --db-filter="^$DEMO_DB\$" "${update[@]}" "$@"
