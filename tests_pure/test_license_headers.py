"""Every Python file of the add-on starts with its licence line (after a shebang or an encoding
line, if any)."""

from pathlib import Path

HEADER = "# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl)."
_ADDON = Path(__file__).resolve().parents[1] / "serial_tracking"


def _first_line(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    while lines and lines[0].startswith("#") and ("coding" in lines[0] or lines[0][:2] == "#!"):
        lines.pop(0)
    return lines[0] if lines else ""


def test_every_python_file_has_the_licence_line():
    files = sorted(_ADDON.rglob("*.py"))
    assert files
    missing = [str(path.relative_to(_ADDON)) for path in files if _first_line(path) != HEADER]
    assert not missing
