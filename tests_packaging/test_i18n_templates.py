"""The committed translation templates are those Odoo exports from the test database: a text
added or changed in the code, a view or a report without `bash scripts/i18n.sh export` fails
here (and so fails CI), naming the stale templates."""

import os
import sys

from odoo_runner import ODOO_CONF, ODOO_SRC, ODOO_VENV, REPO_DIR, run


def test_translation_templates_are_up_to_date(request):
    database = request.config.getoption("--odoo-database", default=None) or "serial_tracking_test"
    env = dict(
        os.environ, ODOO_SRC=str(ODOO_SRC), ODOO_VENV=str(ODOO_VENV), ODOO_CONF=str(ODOO_CONF)
    )
    proc = run(
        [sys.executable, REPO_DIR / "scripts" / "i18n.py", "check", "--database", database],
        env=env,
        cwd=REPO_DIR,
    )
    assert "Translation templates up to date" in proc.stdout
