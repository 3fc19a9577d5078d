"""Step 2: uninstall the add-on (as the Apps screen does) and commit."""

from .common import ADDON


def main(env, params):
    module = env["ir.module.module"].search([("name", "=", ADDON)])
    module.button_immediate_uninstall()
    env.cr.commit()
    return {}
