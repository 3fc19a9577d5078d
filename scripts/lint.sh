#!/usr/bin/env bash
# Lints the add-on and the project's Python: ruff (style, imports, bugs), pylint-odoo's
# mandatory Odoo checks, OCA's checks of modules and translation files, prettier on the add-ons'
# XML and JavaScript, and the generated readmes. Same checks as .pre-commit-config.yaml.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_DIR"
say "Lint: ruff"
"$ODOO_VENV/bin/ruff" check .
"$ODOO_VENV/bin/ruff" format --check --diff .
say "Lint: pylint-odoo"
"$ODOO_VENV/bin/pylint" --rcfile=.pylintrc serial_tracking serial_tracking_*/
bash "$REPO_DIR/scripts/lint_tools.sh"
mapfile -t addons < <(project_addons | tr , '\n')
say "Lint: OCA checks of modules and translations (.oca_hooks.cfg)"
"$LINT_VENV/bin/oca-checks-odoo-module" "${addons[@]}"
find "${addons[@]}" -path '*/i18n/*' \( -name '*.po' -o -name '*.pot' \) -print0 \
    | xargs -0 "$LINT_VENV/bin/oca-checks-po"
say "Lint: prettier (XML, JavaScript; .prettierrc.yml, .prettierignore)"
find "${addons[@]}" \( -name '*.xml' -o -name '*.js' \) -print0 \
    | xargs -0 "$PRETTIER" --plugin-search-dir="$NODE_DIR" --check --loglevel warn
say "Lint: README.rst and Apps pages (scripts/readme.py)"
"$ODOO_VENV/bin/python" scripts/readme.py --check
say "Lint: clean"
