#!/usr/bin/env bash
# The lint tools outside the project's environment, installed once (again when their pins
# change): OCA's pre-commit hooks and pre-commit in $LINT_VENV (scripts/overlay_venv.sh: their
# own pins, such as polib's, never reach the project's environment), prettier with its XML
# plugin in $NODE_DIR (npm; Debian's nodejs and npm are installed when missing).
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
stamp() { sha256sum "$@" | sha256sum | cut -c1-16; }

requirements="$REPO_DIR/scripts/lint-requirements.txt"
if [ ! -f "$LINT_VENV/.stamp" ] || [ "$(cat "$LINT_VENV/.stamp")" != "$(stamp "$requirements")" ]; then
    say "Lint tools: $requirements into $LINT_VENV"
    bash "$REPO_DIR/scripts/overlay_venv.sh" "$LINT_VENV" >/dev/null
    "$LINT_VENV/bin/python" -m pip install -q -r "$requirements" >"$LINT_VENV.log" 2>&1 \
        || die "pip could not install the lint tools (see $LINT_VENV.log)."
    stamp "$requirements" >"$LINT_VENV/.stamp"
fi

if [ ! -f "$NODE_DIR/.stamp" ] || [ "$(cat "$NODE_DIR/.stamp")" != "$PRETTIER_PACKAGES" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        say "Installing Debian's nodejs and npm (for prettier)"
        as_root apt-get install -y -q nodejs npm >/dev/null || die "Install nodejs and npm."
    fi
    say "Lint tools: $PRETTIER_PACKAGES into $NODE_DIR"
    mkdir -p "$NODE_DIR"
    # shellcheck disable=SC2086 # a list of packages
    (cd "$NODE_DIR" && npm install --no-audit --no-fund --silent $PRETTIER_PACKAGES) \
        || die "npm could not install $PRETTIER_PACKAGES."
    printf '%s' "$PRETTIER_PACKAGES" >"$NODE_DIR/.stamp"
fi
