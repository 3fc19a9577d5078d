"""Step 3: install the add-on again (as the Apps screen does) and commit."""

from .common import ADDON


def main(env, params):
    module = env["ir.module.module"].search([("name", "=", ADDON)])
    module.button_immediate_install()
    env.cr.commit()
    return {}
