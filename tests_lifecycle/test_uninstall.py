"""Uninstalling the add-on leaves native serials, moves and stock intact; installing it again
works and gives the serials their status back.

Runs real Odoo in ``odoo-bin shell`` subprocesses, one per step (the add-on's install state
changes in between, so no registry may be shared), on a copy of the test database that
scripts/test.sh makes before running pytest and names in ``SERIAL_TRACKING_LIFECYCLE_DB``. The
copy is dropped at the end. Without it the test fails: it never skips.

1. installed: a serial-tracked product numbered and warranted by the add-on; 3 serials received
   through a native receipt, 1 delivered to a customer's contact;
2. uninstalled: the same lots, stock and done move lines; none of the add-on's tables, columns or
   indexes; native Odoo still receives a new serial and delivers an old one;
3. reinstalled: the serials' status, holder and vendor rebuilt from their moves (post_init_hook),
   the add-on's indexes back, its numbering and status refresh at work.
"""

import configparser
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parent.parent
TESTS_DIR = Path(__file__).resolve().parent
DB_VARIABLE = "SERIAL_TRACKING_LIFECYCLE_DB"
MARKER = "LIFECYCLE-RESULT "
# Odoo's log lines: "date time pid LEVEL db logger: message" (as scripts/test.sh checks).
BAD_LOG_LINE = re.compile(r"^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) |^Traceback ", re.M)
STEP_TIMEOUT = 1800
# The add-on's indexes on Odoo's tables (models/stock_move_line.py, models/stock_lot.py), dropped
# by its uninstall_hook (hooks.py).
ADDON_INDEXES = (
    "stock_move_line_serial_tracking_lot_date_index",
    "stock_lot_serial_tracking_unique_name_index",
    "stock_lot_serial_tracking_name_index",
)

DRIVER = """
import json, sys
sys.path.insert(0, {tests_dir!r})
from odoo_steps import {step} as step
result = step.main(env, json.loads({params!r}))
print({marker!r} + json.dumps(result, default=str), flush=True)
"""


def _run(command):
    return subprocess.run(command, capture_output=True, text=True, check=False)


class Odoo:
    """Runs the steps of odoo_steps/ in ``odoo-bin shell`` on one database, as
    scripts/common.sh finds Odoo (environment variables override the defaults)."""

    def __init__(self, database):
        cache = Path(
            os.environ.get("SERIAL_TRACKING_CACHE")
            or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "serial_tracking"
        )
        self.database = database
        self.python = Path(os.environ.get("ODOO_VENV") or cache / "venv") / "bin" / "python"
        self.odoo_bin = Path(os.environ.get("ODOO_SRC") or cache / "odoo-18.0") / "odoo-bin"
        self.config = Path(os.environ.get("ODOO_CONF") or REPO_DIR / ".local" / "odoo.conf")
        for path in (self.python, self.odoo_bin, self.config):
            if not path.is_file():
                pytest.fail(f"{path} is missing: run scripts/setup.sh (or scripts/test.sh) first.")
        parser = configparser.ConfigParser()
        parser.read(self.config)
        self.filestore = (
            Path(parser.get("options", "data_dir", fallback=str(cache / "data")))
            / "filestore"
            / database
        )

    def step(self, step, **params):
        code = DRIVER.format(
            tests_dir=str(TESTS_DIR), step=step, params=json.dumps(params), marker=MARKER
        )
        command = [str(self.python), str(self.odoo_bin), "shell", "-c", str(self.config)]
        command += ["-d", self.database, "--no-http", "--log-level=error"]
        try:
            proc = subprocess.run(
                command,
                input=code,
                capture_output=True,
                text=True,
                timeout=STEP_TIMEOUT,
                cwd=REPO_DIR,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"Step {step!r} did not end within {STEP_TIMEOUT} s.")
        output = f"--- stdout ---\n{proc.stdout[-6000:]}\n--- stderr ---\n{proc.stderr[-6000:]}"
        if proc.returncode:
            pytest.fail(f"Step {step!r} exited with {proc.returncode}.\n{output}")
        bad = BAD_LOG_LINE.findall(proc.stderr) or BAD_LOG_LINE.findall(proc.stdout)
        if bad:
            pytest.fail(f"Step {step!r} logged errors or tracebacks.\n{output}")
        results = [line for line in proc.stdout.splitlines() if line.startswith(MARKER)]
        if len(results) != 1:
            pytest.fail(f"Step {step!r} printed no result.\n{output}")
        return json.loads(results[0][len(MARKER) :])

    def exists(self):
        proc = _run(
            [
                "psql",
                "-d",
                "postgres",
                "-XtAc",
                "SELECT 1 FROM pg_database WHERE datname = '%s'" % self.database.replace("'", ""),
            ]
        )
        return proc.stdout.strip() == "1"

    def drop(self):
        proc = _run(["dropdb", "--if-exists", self.database])
        if proc.returncode:
            pytest.fail(f"Dropping {self.database} failed: {proc.stderr}")
        if self.filestore.is_dir():
            subprocess.run(["rm", "-rf", str(self.filestore)], check=True)


@pytest.fixture(scope="module")
def lifecycle_odoo():
    database = os.environ.get(DB_VARIABLE)
    if not database:
        pytest.fail(
            f"{DB_VARIABLE} is not set: this test needs a copy of the test database with the "
            "add-on installed, which scripts/test.sh makes (run the suite through it)."
        )
    runner = Odoo(database)
    if not runner.exists():
        pytest.fail(f"The database {database!r} ({DB_VARIABLE}) does not exist.")
    yield runner
    runner.drop()


@pytest.fixture(scope="module")
def installed(lifecycle_odoo):
    return lifecycle_odoo.step("installed")


@pytest.fixture(scope="module")
def uninstalled(lifecycle_odoo, installed):
    lifecycle_odoo.step("uninstall")
    return lifecycle_odoo.step("check_uninstalled", installed=installed)


@pytest.fixture(scope="module")
def reinstalled(lifecycle_odoo, installed, uninstalled):
    lifecycle_odoo.step("reinstall")
    return lifecycle_odoo.step("check_reinstalled", installed=installed, uninstalled=uninstalled)


def _by_id(rows):
    return {row["id"]: row for row in rows}


def test_installed_scenario(installed):
    """Step 1: the native flows ran and the add-on's columns hold data to lose."""
    snap = installed["snapshot"]
    lot_ids = installed["lot_ids"]
    assert [lot["name"] for lot in snap["lots"]] == installed["names"]
    assert all(name.startswith("LC-") for name in installed["names"])
    stock, customers = installed["stock_location_id"], installed["customer_location_id"]
    assert {(row["lot_id"], row["location_id"], row["quantity"]) for row in snap["stock"]} >= {
        (lot_ids[0], customers, 1.0),
        (lot_ids[1], stock, 1.0),
        (lot_ids[2], stock, 1.0),
    }
    assert len(snap["move_lines"]) == 4
    values = installed["addon_values"]
    delivered = values[str(lot_ids[0])]
    assert delivered["serial_state"] == "delivered"
    assert delivered["holder_partner_id"] == installed["customer_id"]
    assert delivered["warranty_start_date"] and delivered["warranty_end_date"]
    assert [values[str(lot_id)]["serial_state"] for lot_id in lot_ids[1:]] == ["in_stock"] * 2
    assert all(
        values[str(lot_id)]["serial_vendor_id"] == installed["vendor_id"] for lot_id in lot_ids
    )
    assert ["stock_lot", "serial_state"] in installed["footprint"]["columns"]
    assert installed["footprint_columns"] == installed["footprint"]["columns"]
    assert installed["footprint_tables"] == installed["footprint"]["tables"]
    assert installed["indexes"] == sorted(ADDON_INDEXES)


def test_uninstall_keeps_native_records(installed, uninstalled):
    """Step 2: same lots, stock by location, done move lines and moves, read with SQL; the ORM
    still reads the serials."""
    assert uninstalled["module_state"] == "uninstalled"
    assert uninstalled["snapshot"] == installed["snapshot"]
    native = _by_id(uninstalled["native_lots"])
    for lot in installed["snapshot"]["lots"]:
        assert native[lot["id"]]["name"] == lot["name"]
        assert native[lot["id"]]["product_id"] == lot["product_id"]
    lot_ids = installed["lot_ids"]
    assert native[lot_ids[0]]["product_qty"] == 0
    assert [native[lot_id]["product_qty"] for lot_id in lot_ids[1:]] == [1, 1]
    assert uninstalled["last_delivery_partner_id"] == installed["buyer_id"]


def test_uninstall_removes_addon_schema(installed, uninstalled):
    """Step 2: none of the add-on's own tables, columns and indexes is left."""
    assert uninstalled["footprint_tables"] == []
    assert uninstalled["footprint_columns"] == []
    assert uninstalled["indexes"] == [], "the add-on's indexes must be dropped on uninstall"
    assert uninstalled["serial_counters"] == 0, "the products' serial counters go too"
    assert uninstalled["addon_lot_fields"] == []
    assert uninstalled["addon_models"] == []


def test_native_flows_after_uninstall(installed, uninstalled):
    """Step 2: a new serial, a receipt and a delivery of an old serial, all native."""
    assert uninstalled["new_lot_names"] == ["LC-NATIVE-1", "LC-NATIVE-2"]
    snap = uninstalled["snapshot_after_flows"]
    lot_ids = installed["lot_ids"]
    stock, customers = installed["stock_location_id"], installed["customer_location_id"]
    positions = {(row["lot_id"], row["location_id"], row["quantity"]) for row in snap["stock"]}
    assert positions >= {
        (lot_ids[0], customers, 1.0),
        (lot_ids[1], customers, 1.0),
        (lot_ids[2], stock, 1.0),
        *((lot_id, stock, 1.0) for lot_id in uninstalled["new_lot_ids"]),
    }
    assert not {(lot_id, stock, 1.0) for lot_id in lot_ids[:2]} & positions
    # Step 1's move lines untouched, plus one per unit moved since.
    old = _by_id(installed["snapshot"]["move_lines"])
    new = _by_id(snap["move_lines"])
    assert {key: new[key] for key in old} == old
    assert len(new) == len(old) + 3


def test_reinstall(installed, uninstalled, reinstalled):
    """Step 3: installed again, native records unchanged, the add-on's schema back."""
    assert reinstalled["module_state"] == "installed"
    assert reinstalled["snapshot"] == uninstalled["snapshot_after_flows"]
    assert reinstalled["footprint_columns"] == installed["footprint"]["columns"]
    assert reinstalled["footprint_tables"] == installed["footprint"]["tables"]
    assert reinstalled["indexes"] == sorted(ADDON_INDEXES)


def test_reinstall_rebuilds_serial_status(installed, uninstalled, reinstalled):
    """Step 3: post_init_hook gives every serial its status, holder and vendor from its moves,
    including what moved while the add-on was away."""
    lot_ids = installed["lot_ids"]
    values = reinstalled["addon_values"]
    states = {lot_id: values[str(lot_id)]["serial_state"] for lot_id in uninstalled["all_lot_ids"]}
    assert states == {
        lot_ids[0]: "delivered",
        lot_ids[1]: "delivered",
        lot_ids[2]: "in_stock",
        **dict.fromkeys(uninstalled["new_lot_ids"], "in_stock"),
    }
    assert values[str(lot_ids[0])]["holder_partner_id"] == installed["customer_id"]
    assert values[str(lot_ids[1])]["holder_partner_id"] == installed["other_customer_id"]
    assert not values[str(lot_ids[2])]["holder_partner_id"]
    for lot_id in uninstalled["all_lot_ids"]:
        assert values[str(lot_id)]["serial_vendor_id"] == installed["vendor_id"]
        assert values[str(lot_id)]["serial_receipt_date"]
    delivery_lines = {
        row["lot_id"]: row["date"]
        for row in uninstalled["snapshot_after_flows"]["move_lines"]
        if row["location_dest_id"] == installed["customer_location_id"]
    }
    for lot_id in lot_ids[:2]:
        assert values[str(lot_id)]["serial_delivery_date"] == delivery_lines[lot_id]


def test_addon_works_after_reinstall(installed, reinstalled):
    """Step 3: numbering gives new names; a delivery refreshes the status."""
    names = reinstalled["next_names"]
    assert len(names) == 2 and len(set(names)) == 2
    assert not set(names) & {lot["name"] for lot in reinstalled["snapshot"]["lots"]}
    delivered = reinstalled["delivered_after_reinstall"][str(installed["lot_ids"][2])]
    assert delivered["serial_state"] == "delivered"
    assert delivered["holder_partner_id"] == installed["customer_id"]
