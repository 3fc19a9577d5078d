#!/usr/bin/env bash
# Formats the add-ons' XML and JavaScript with prettier as OCA's template does, every file,
# those of .prettierignore included (make format). Run once the branches that change views have
# merged; then delete the patterns of .prettierignore and enable the XML checks .oca_hooks.cfg
# disables (oca-checks-odoo-module --fix corrects the XML headers).
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_DIR"
bash "$REPO_DIR/scripts/lint_tools.sh"
mapfile -t addons < <(project_addons | tr , '\n')
find "${addons[@]}" \( -name '*.xml' -o -name '*.js' \) -print0 \
    | xargs -0 "$PRETTIER" --plugin-search-dir="$NODE_DIR" --ignore-path /dev/null --write --loglevel warn
say "Formatted; git diff shows the changes."
