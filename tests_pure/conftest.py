"""Settings for the Odoo-free tests of tests_pure/ (plain pytest + Hypothesis).

* Hypothesis runs are deterministic (fixed seed) and have no deadline.
* pytest-odoo, when installed, adds autouse fixtures that load an Odoo registry and so need a
  database. The tests here never touch Odoo, so those fixtures are replaced by no-ops for this
  directory only: ``python -m pytest tests_pure`` works without a database, and a full
  pytest-odoo run still loads the registry for the add-on's own tests.
"""

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, max_examples=200, deadline=None)
settings.load_profile("ci")


@pytest.fixture(scope="session", autouse=True)
def load_registry():
    """No Odoo registry for pure tests (overrides pytest-odoo's fixture)."""
    yield


@pytest.fixture(scope="session", autouse=True)
def load_http():
    """No Odoo HTTP server for pure tests (overrides pytest-odoo's fixture)."""
    yield


@pytest.fixture(scope="module", autouse=True)
def enable_odoo_test_flag():
    """No Odoo test flag for pure tests (overrides pytest-odoo's fixture)."""
    yield
