"""Each add-on's README.rst and Apps page (static/description/index.html) are those its
readme/ fragments give (scripts/readme.py), render without a docutils warning, and show
images that are there."""

import re
import sys
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR / "scripts"))
import readme  # noqa: E402

ADDONS = sorted(path.parent.name for path in REPO_DIR.glob("serial_tracking*/__manifest__.py"))


@pytest.mark.parametrize("addon", ADDONS)
def test_readme_and_apps_page_are_generated_from_the_fragments(addon):
    folder = REPO_DIR / addon
    for fragment in ("DESCRIPTION", "USAGE", "ROADMAP", "CONTRIBUTORS"):
        assert (folder / "readme" / f"{fragment}.md").is_file(), (addon, fragment)
    rst = readme.readme_rst(addon)
    assert (folder / "README.rst").read_text() == rst, "run `python scripts/readme.py`"
    html = readme.index_html(rst, addon)  # docutils stops at a warning (halt_level 2)
    assert (folder / "static" / "description" / "index.html").read_text() == html
    assert (folder / "static" / "description" / "icon.png").is_file()
    for source in re.findall(r'<img [^>]*src="([^"]+)"', html):
        assert "/" not in source, source  # Odoo serves it from static/description/
        assert (folder / "static" / "description" / source).is_file(), source


def test_markdown_subset_becomes_restructuredtext():
    text = "A `code`s and [a link](https://example.com).\n\n- one\n  two\n- three"
    assert readme.markdown_to_rst(text) == (
        "A ``code``\\ s and `a link <https://example.com>`__.\n\n- one two\n- three"
    )
