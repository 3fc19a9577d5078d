"""pytest settings for the whole repository.

Odoo logs an error when its test framework (``odoo.tests``) is first imported outside of test
mode, and pytest-odoo imports it before it turns test mode on around each test module. It is
imported here once, in test mode. Test mode is not left on: with it, loading the registry would
run every installed module's at_install tests.
"""

try:
    from odoo.tools import config as odoo_config
except ImportError:  # plain pytest without Odoo (tests_pure/ only)
    odoo_config = None

if odoo_config is not None:
    odoo_config["test_enable"] = True
    try:
        import odoo.tests  # noqa: F401
    finally:
        odoo_config["test_enable"] = False
