#!/usr/bin/env bash
# Creates, once, a virtual environment in DIR that sees the project's virtual environment
# ($ODOO_VENV) behind its own packages: what is installed in DIR (the add-ons' wheels, community
# add-ons from PyPI) comes first, and everything else (Odoo's requirements, the test tools) is
# taken from the project's environment, which is never written to. Prints DIR's python.
#   bash scripts/overlay_venv.sh DIR
# A plain `venv --system-site-packages` would not do: made from a virtual environment, it sees
# the system's packages, not that environment's.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
[ $# -eq 1 ] || die "usage: $0 DIR"
dir="$1"
[ -x "$ODOO_VENV/bin/python" ] || die "No virtual environment at $ODOO_VENV: run scripts/setup.sh first."
if [ ! -x "$dir/bin/python" ]; then
    # The interpreter the project's environment was made from.
    base="$("$ODOO_VENV/bin/python" -c 'import sys; print(getattr(sys, "_base_executable", sys.executable))')"
    "$base" -m venv "$dir" || die "Could not create a virtual environment in $dir."
fi
project_site="$("$ODOO_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
own_site="$("$dir/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
# addsitedir also reads the .pth files of the project's environment; appended, so DIR wins.
printf 'import site; site.addsitedir(%s)\n' "'$project_site'" >"$own_site/serial_tracking_project_venv.pth"
printf '%s\n' "$dir/bin/python"
