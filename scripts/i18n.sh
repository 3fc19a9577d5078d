#!/usr/bin/env bash
# The add-ons' translation templates (scripts/i18n.py says more):
#   bash scripts/i18n.sh export   # export every add-on's .pot from the test database, merge its .po
#   bash scripts/i18n.sh check    # fail when a committed .pot is stale
# TEST_DB names the database (default serial_tracking_test; `make test` makes it).
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
export ODOO_SRC ODOO_VENV ODOO_CONF
[ -f "$ODOO_CONF" ] || die "No $ODOO_CONF: run scripts/setup.sh first."
db="${TEST_DB:-serial_tracking_test}"
db_exists "$db" || die "No database '$db' with the add-ons: run scripts/test.sh once (or set TEST_DB)."
exec "$ODOO_VENV/bin/python" "$REPO_DIR/scripts/i18n.py" "$@" --database "$db"
