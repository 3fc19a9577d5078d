#!/usr/bin/env bash
# Lints the add-on and the project's Python: ruff (style, imports, bugs) and pylint-odoo's
# mandatory Odoo checks. Same checks as .pre-commit-config.yaml.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_DIR"
say "Lint: ruff"
"$ODOO_VENV/bin/ruff" check .
"$ODOO_VENV/bin/ruff" format --check --diff .
say "Lint: pylint-odoo"
"$ODOO_VENV/bin/pylint" --rcfile=.pylintrc serial_tracking serial_tracking_*/
say "Lint: clean"
