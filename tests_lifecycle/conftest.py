"""Settings for the uninstall/reinstall test of tests_lifecycle/.

The test drives real Odoo in subprocesses (``odoo-bin shell``) on its own copy of the test
database, made by scripts/test.sh. pytest-odoo's autouse fixtures would load an Odoo registry in
the pytest process itself; they are replaced by no-ops for this directory only, as in tests_pure/.
"""

import pytest


@pytest.fixture(scope="session", autouse=True)
def load_registry():
    """No Odoo registry in the pytest process (overrides pytest-odoo's fixture)."""
    yield


@pytest.fixture(scope="session", autouse=True)
def load_http():
    """No Odoo HTTP server in the pytest process (overrides pytest-odoo's fixture)."""
    yield


@pytest.fixture(scope="module", autouse=True)
def enable_odoo_test_flag():
    """No Odoo test flag: the subprocesses run Odoo as in production, where module
    operations are allowed (overrides pytest-odoo's fixture)."""
    yield
