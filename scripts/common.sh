# shellcheck shell=bash
# Paths and helpers shared by the project's scripts. Sourced, never run.
#
# Everything that is not the project itself lives outside the repository, in a cache folder that
# every clone on the machine shares, so that a second run (or a fresh clone) reuses it:
#   SERIAL_TRACKING_CACHE   default ~/.cache/serial_tracking
#   ODOO_SRC                an Odoo 18.0 source tree; default $SERIAL_TRACKING_CACHE/odoo-18.0
#   ODOO_VENV               the Python virtual environment; default $SERIAL_TRACKING_CACHE/venv
#   PYTHON                  the interpreter the venv is made from (3.10 to 3.12); default python3

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${SERIAL_TRACKING_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/serial_tracking}"
DEFAULT_ODOO_SRC="$CACHE_DIR/odoo-18.0"
ODOO_SRC="${ODOO_SRC:-$DEFAULT_ODOO_SRC}"
ODOO_VENV="${ODOO_VENV:-$CACHE_DIR/venv}"
PYTHON="${PYTHON:-python3}"
# The official Odoo 18.0 source, used only when no tree is found locally.
ODOO_DOWNLOAD_URL="${ODOO_DOWNLOAD_URL:-https://github.com/odoo/odoo/archive/refs/heads/18.0.tar.gz}"
# Per-checkout state (generated config, logs): ignored by git.
STATE_DIR="$REPO_DIR/.local"
ODOO_CONF="$STATE_DIR/odoo.conf"
HTTP_PORT="${HTTP_PORT:-8069}"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() {
    printf '\033[31mERROR: %s\033[0m\n' "$*" >&2
    exit 1
}

# Run a command as root (directly, or through sudo when it is there).
as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        return 1
    fi
}

# Run a command as the postgres system user.
as_postgres() {
    if [ "$(id -un)" = postgres ]; then
        "$@"
    elif [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -u postgres "$@"
    else
        return 1
    fi
}

odoo_bin() {
    "$ODOO_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" "$@"
}

db_exists() {
    [ "$(psql -d postgres -XtAc "SELECT 1 FROM pg_database WHERE datname = '$1'" 2>/dev/null)" = 1 ]
}

# Odoo's modules that touch lots and serials, installed beside the add-ons in the test, demo and
# native-suite databases, so that the add-ons are tested where their users run them
# (manufacturing, subcontracting, repair, point of sale, projects, batches, dropship, landed costs).
ODOO_MODULES="stock_account,purchase_stock,sale_stock,mrp_account,mrp_subcontracting,sale_mrp,purchase_mrp,repair,stock_picking_batch,stock_dropshipping,stock_landed_costs,point_of_sale,pos_sale,project_stock"

# The project's add-ons: serial_tracking and its bridges beside it, comma-separated.
project_addons() {
    local names=() manifest
    for manifest in "$REPO_DIR"/serial_tracking*/__manifest__.py; do
        names+=("$(basename "$(dirname "$manifest")")")
    done
    (IFS=,; printf '%s\n' "${names[*]}")
}

# Which Odoo the source tree is: its git commit, the commit its archive named, or else a
# fingerprint of its framework and of the modules' tests.
odoo_revision() {
    local commit
    if [ "$(git -C "$ODOO_SRC" rev-parse --show-toplevel 2>/dev/null)" = "$ODOO_SRC" ]; then
        commit="$(git -C "$ODOO_SRC" rev-parse HEAD)"
    else
        commit="$(cat "$ODOO_SRC/.source_commit" 2>/dev/null || true)"
    fi
    if [ -n "$commit" ]; then
        printf 'commit %s\n' "$commit"
        return
    fi
    printf 'source tree of unknown commit, fingerprint %s\n' "$(
        cd "$ODOO_SRC" && find odoo addons/*/tests -name '*.py' -print0 | sort -z \
            | xargs -0 sha256sum | sha256sum | cut -c1-16
    )"
}

# Lint tools kept outside the project's environment (scripts/lint_tools.sh installs them).
LINT_VENV="${LINT_VENV:-$CACHE_DIR/venv-lint}"
NODE_DIR="${NODE_DIR:-$CACHE_DIR/node}"
# OCA's template pins of prettier and its XML plugin.
PRETTIER_PACKAGES="prettier@2.1.2 @prettier/plugin-xml@0.12.0"
PRETTIER="$NODE_DIR/node_modules/.bin/prettier"
