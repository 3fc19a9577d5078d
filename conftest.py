"""pytest settings for the whole repository.

* Odoo logs an error when its test framework (``odoo.tests``) is first imported outside of test
  mode, and pytest-odoo imports it before it turns test mode on around each test module. It is
  imported here once, in test mode. Test mode is not left on: with it, loading the registry would
  run every installed module's at_install tests.
* A browser test (an ``HttpCase``, tours included) that is skipped has proven nothing: pytest-odoo
  skips them without ``--odoo-http``, Odoo skips tours without Chromium or websocket-client. Any
  such skip makes the run fail.
"""

import pytest

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

_skipped_browser_tests = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.skipped and odoo_config is not None and item.cls is not None:
        from odoo.tests import HttpCase

        if issubclass(item.cls, HttpCase):
            _skipped_browser_tests.append(item.nodeid)
    return report


def pytest_sessionfinish(session, exitstatus):
    if _skipped_browser_tests and exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    if _skipped_browser_tests:
        terminalreporter.write_line(
            "FAILED: browser tests were skipped (Chromium missing, or no --odoo-http): "
            + ", ".join(sorted(set(_skipped_browser_tests))),
            red=True,
        )
