"""The add-ons install as pip wheels, like any community add-on.

Each add-on folder is built into a wheel with ``pip wheel`` (its ``pyproject.toml`` names
whool, OCA's build backend: the wheel is ``odoo-addon-<add-on>``, its version the manifest's,
its requirements Odoo 18.0 and the project's add-ons it depends on). The wheels are installed
into a fresh virtual environment (scripts/overlay_venv.sh: it sees the project's environment
behind its own packages and writes nothing there), and Odoo, run from its source with only its
own addons path (the repository is on none), installs them in a new database, where they are
found in that environment's ``odoo/addons`` and work.
"""

import ast
import os
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from odoo_runner import (
    MARKER,
    ODOO_SRC,
    REPO_DIR,
    drop_database,
    odoo,
    project_addons,
    run,
    shell,
    write_config,
)

CHECK = """
import json, odoo
from odoo.modules.module import get_module_path
from odoo.tools.translate import code_translations
names = {addons!r}
modules = env["ir.module.module"].search([("name", "in", names)])
product = env["product.template"].create({{
    "name": "Wheel-installed serial product", "is_storable": True, "tracking": "serial",
    "serial_prefix": "WHL-", "serial_padding": 4,
}}).product_variant_id
result = {{
    "states": {{module.name: module.state for module in modules}},
    "paths": {{name: get_module_path(name) for name in names}},
    "addons_path": odoo.tools.config["addons_path"],
    "next_names": product.serial_next_names(2),
    "french_messages": len(code_translations.get_python_translations("serial_tracking", "fr_FR")),
}}
env.cr.rollback()
print({marker!r} + json.dumps(result), flush=True)
"""


def _manifest(addon):
    return ast.literal_eval((REPO_DIR / addon / "__manifest__.py").read_text())


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    """The add-ons built into wheels, by pip as a user would: {add-on: wheel path}."""
    work = tmp_path_factory.mktemp("wheels")
    python = run(["bash", REPO_DIR / "scripts" / "overlay_venv.sh", work / "venv"]).stdout.strip()
    dist = work / "dist"
    run(
        [python, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist]
        + [REPO_DIR / addon for addon in project_addons()],
        cwd=REPO_DIR,
    )
    built = {}
    for wheel in dist.glob("*.whl"):
        addon = wheel.name.split("-")[0].removeprefix("odoo_addon_")
        built[addon] = wheel
    return {"python": python, "work": work, "wheels": built}


@pytest.fixture(scope="module")
def installed(wheels, request):
    """The wheels installed into the fresh environment, and the add-ons installed by Odoo from
    there in a new database (dropped afterwards)."""
    python, work = wheels["python"], wheels["work"]
    run([python, "-m", "pip", "install", "--no-deps", "-q", *wheels["wheels"].values()])
    base = request.config.getoption("--odoo-database", default=None) or "serial_tracking_test"
    database = f"{base}_wheel_{os.getpid()}"
    data_dir = work / "data"
    config = write_config(
        work / "odoo.conf", [ODOO_SRC / "odoo" / "addons", ODOO_SRC / "addons"], data_dir
    )
    drop_database(database, data_dir)
    try:
        odoo(
            python,
            config,
            "-d",
            database,
            "-i",
            ",".join(project_addons()),
            "--without-demo=all",
            "--stop-after-init",
            "--no-http",
            cwd=work,
        )
        code = CHECK.format(addons=project_addons(), marker=MARKER)
        yield {**wheels, "result": shell(python, config, database, code, cwd=work)}
    finally:
        drop_database(database, data_dir)


def test_every_addon_builds_a_wheel_named_and_versioned_as_community_addons(wheels):
    assert sorted(wheels["wheels"]) == project_addons()
    for addon, wheel in wheels["wheels"].items():
        with zipfile.ZipFile(wheel) as archive:
            metadata_name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
            metadata = Parser().parsestr(archive.read(metadata_name).decode())
        manifest = _manifest(addon)
        assert metadata["Name"] == f"odoo-addon-{addon}"
        # whool: the manifest's version, then the number of commits since it last changed.
        assert metadata["Version"].startswith(manifest["version"])
        assert metadata["Summary"] == manifest["summary"]
        requires = sorted(metadata.get_all("Requires-Dist"))
        ours = sorted(
            f"odoo-addon-{dep}==18.0.*" for dep in manifest["depends"] if dep in project_addons()
        )
        assert requires == sorted(["odoo==18.0.*", *ours]), addon


def test_wheels_hold_the_translations_readme_and_apps_page(wheels):
    for addon, wheel in wheels["wheels"].items():
        with zipfile.ZipFile(wheel) as archive:
            names = set(archive.namelist())
        root = f"odoo/addons/{addon}/"
        expected = {f"{root}__manifest__.py", f"{root}README.rst", f"{root}i18n/{addon}.pot"}
        expected |= {f"{root}i18n/{lang}.po" for lang in ("fr", "de", "es")}
        expected |= {f"{root}static/description/{name}" for name in ("index.html", "icon.png")}
        assert expected <= names, (addon, sorted(expected - names))
        # Every file of the add-on but its build settings.
        tracked = run(["git", "ls-files", addon], cwd=REPO_DIR).stdout.split()
        shipped = {root + name.split("/", 1)[1] for name in tracked} - {f"{root}pyproject.toml"}
        assert shipped <= names, (addon, sorted(shipped - names))


def test_odoo_installs_the_addons_from_the_wheels(installed):
    result = installed["result"]
    assert result["states"] == dict.fromkeys(project_addons(), "installed")
    site_packages = run(
        [installed["python"], "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    ).stdout.strip()
    for addon, path in result["paths"].items():
        assert Path(path) == Path(site_packages) / "odoo" / "addons" / addon
    assert str(REPO_DIR) not in result["addons_path"]
    # The add-on works from there: its numbering rule, its shipped translations.
    assert result["next_names"] == ["WHL-0001", "WHL-0002"]
    assert result["french_messages"] > 100
