"""Runs Odoo in subprocesses for the packaging tests: where Odoo, the project's virtual
environment and the checkout's configuration are (as scripts/common.sh finds them; environment
variables override the defaults), a configuration of one's own, and ``odoo-bin`` commands whose
log is checked for errors."""

import configparser
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parent.parent
CACHE_DIR = Path(
    os.environ.get("SERIAL_TRACKING_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "serial_tracking"
)
ODOO_SRC = Path(os.environ.get("ODOO_SRC") or CACHE_DIR / "odoo-18.0")
ODOO_VENV = Path(os.environ.get("ODOO_VENV") or CACHE_DIR / "venv")
ODOO_CONF = Path(os.environ.get("ODOO_CONF") or REPO_DIR / ".local" / "odoo.conf")
# Odoo's log lines: "date time pid LEVEL db logger: message" (as scripts/test.sh checks).
BAD_LOG_LINE = re.compile(r"^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) .*$|^Traceback .*$", re.M)
MARKER = "PACKAGING-RESULT "


def project_addons():
    """The project's add-ons: every folder of the repository with a manifest."""
    return sorted(path.parent.name for path in REPO_DIR.glob("serial_tracking*/__manifest__.py"))


def run(command, timeout=1200, **kwargs):
    try:
        proc = subprocess.run(
            [str(part) for part in command],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **kwargs,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{command[:3]} did not end within {timeout} s.")
    if proc.returncode:
        pytest.fail(
            f"{' '.join(map(str, command))} exited with {proc.returncode}.\n"
            f"--- stdout ---\n{proc.stdout[-6000:]}\n--- stderr ---\n{proc.stderr[-6000:]}"
        )
    return proc


def database_options():
    """The database connection options of the checkout's configuration (scripts/setup.sh)."""
    if not ODOO_CONF.is_file():
        pytest.fail(f"{ODOO_CONF} is missing: run scripts/setup.sh (or scripts/test.sh) first.")
    parser = configparser.ConfigParser()
    parser.read(ODOO_CONF)
    return {
        key: value
        for key, value in parser.items("options")
        if key.startswith("db_") and key != "db_name"
    }


def write_config(path, addons_path, data_dir, **options):
    """An Odoo configuration with the checkout's database connection and the given addons path
    and data folder."""
    lines = ["[options]", f"addons_path = {','.join(map(str, addons_path))}"]
    lines.append(f"data_dir = {data_dir}")
    values = {**database_options(), **options}
    lines += [f"{key} = {value}" for key, value in sorted(values.items())]
    Path(path).write_text("\n".join(lines) + "\n")
    return Path(path)


def odoo(python, config, *args, timeout=1800, cwd=None):
    """Runs odoo-bin with this interpreter and configuration; fails on a non-zero exit or an
    error in its log."""
    proc = run([python, ODOO_SRC / "odoo-bin", "-c", config, *args], timeout=timeout, cwd=cwd)
    bad = BAD_LOG_LINE.findall(proc.stderr) + BAD_LOG_LINE.findall(proc.stdout)
    if bad:
        pytest.fail("Odoo logged errors:\n" + "\n".join(bad[:20]) + "\n" + proc.stderr[-6000:])
    return proc


def shell(python, config, database, code, cwd=None):
    """Runs ``code`` in ``odoo-bin shell`` (``env`` is set); the code ends by printing
    ``MARKER + json``; returns that value."""
    proc = run(
        [python, ODOO_SRC / "odoo-bin", "shell", "-c", config, "-d", database, "--no-http"],
        input=code,
        cwd=cwd,
    )
    results = [line for line in proc.stdout.splitlines() if line.startswith(MARKER)]
    if len(results) != 1:
        pytest.fail(f"odoo-bin shell printed no result.\n{proc.stdout[-4000:]}\n{proc.stderr}")
    return json.loads(results[0][len(MARKER) :])


def drop_database(name, data_dir=None):
    subprocess.run(["dropdb", "--if-exists", name], capture_output=True, check=False)
    if data_dir:
        subprocess.run(["rm", "-rf", str(Path(data_dir) / "filestore" / name)], check=False)
