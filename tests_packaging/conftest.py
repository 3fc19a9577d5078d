"""Settings for the packaging tests of tests_packaging/ (wheels built and installed, the
translation templates checked against the test database, community add-ons beside ours).

They drive real Odoo in subprocesses (``odoo-bin``) in environments and databases of their own.
pytest-odoo's autouse fixtures would load an Odoo registry in the pytest process itself; they are
replaced by no-ops for this directory only, as in tests_pure/ and tests_lifecycle/.
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
