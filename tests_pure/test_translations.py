"""Every add-on ships complete French, German and Spanish translations (polib, no Odoo).

For each add-on's ``i18n/``: the template exists, each language's ``.po`` holds exactly the
template's texts (no text missing, none left over from an older template), and every entry is
translated, not fuzzy, and keeps what Odoo fills in or parses: the same ``%(name)s`` / ``%s``
placeholders, the same HTML tags, report file names that are still Python expressions, and
no stray ``%``. ``scripts/i18n.sh export`` brings the files in line with a new template; its
new entries are empty, so this test fails until they are translated.
"""

import ast
import re
from collections import Counter
from pathlib import Path

import polib
import pytest

REPO_DIR = Path(__file__).resolve().parent.parent
LANGUAGES = ("fr", "de", "es")
ADDONS = sorted(path.parent.name for path in REPO_DIR.glob("serial_tracking*/__manifest__.py"))
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdfr]|%[sdfr]|%%")
TAG = re.compile(r"</?([a-zA-Z][\w-]*)")


def _key(entry):
    return (entry.msgctxt, entry.msgid)


def _problems(entry):
    problems = []
    if not entry.msgstr.strip():
        problems.append("empty")
    if "fuzzy" in entry.flags:
        problems.append("fuzzy")
    if Counter(PLACEHOLDER.findall(entry.msgid)) != Counter(PLACEHOLDER.findall(entry.msgstr)):
        problems.append("placeholders differ")
    if entry.msgid.count("%") != entry.msgstr.count("%"):
        problems.append("a % sign added or lost")
    if Counter(TAG.findall(entry.msgid)) != Counter(TAG.findall(entry.msgstr)):
        problems.append("HTML tags differ")
    if any("print_report_name" in occurrence for occurrence, _line in entry.occurrences):
        try:
            ast.parse(entry.msgstr, mode="eval")
        except SyntaxError:
            problems.append("report file name is no longer a Python expression")
    return problems


@pytest.mark.parametrize("addon", ADDONS)
def test_template_exists(addon):
    template = REPO_DIR / addon / "i18n" / f"{addon}.pot"
    assert template.is_file(), f"{template} is missing: run `bash scripts/i18n.sh export`."
    assert len(polib.pofile(str(template))) > 0


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("addon", ADDONS)
def test_language_is_complete_and_well_formed(addon, lang):
    folder = REPO_DIR / addon / "i18n"
    path = folder / f"{lang}.po"
    assert path.is_file(), f"{path} is missing: run `bash scripts/i18n.sh export`."
    template = polib.pofile(str(folder / f"{addon}.pot"))
    po = polib.pofile(str(path))
    assert po.metadata.get("Language") == lang
    entries = [entry for entry in po if not entry.obsolete]
    missing = {_key(e) for e in template} - {_key(e) for e in entries}
    extra = {_key(e) for e in entries} - {_key(e) for e in template}
    assert not missing, f"{path}: texts of the template missing: {sorted(missing)[:5]}"
    assert not extra, f"{path}: texts no longer in the template: {sorted(extra)[:5]}"
    assert not [e for e in po if e.obsolete], f"{path}: obsolete entries"
    bad = {e.msgid[:70]: _problems(e) for e in entries if _problems(e)}
    assert not bad, f"{path}: {len(bad)} entries at fault: {dict(list(bad.items())[:8])}"


def test_checks_catch_faulty_entries():
    """The checks above do fail: an empty, a fuzzy, a placeholder renamed, a stray %, a tag
    lost and a report name broken are each caught."""
    cases = [
        polib.POEntry(msgid="Serials", msgstr=""),
        polib.POEntry(msgid="Serials", msgstr="Numéros", flags=["fuzzy"]),
        polib.POEntry(msgid="%(count)s serials", msgstr="%(nombre)s numéros"),
        polib.POEntry(msgid="%(count)s serials", msgstr="%(count)s numéros à 100 %"),
        polib.POEntry(msgid="<strong>Warranty:</strong>", msgstr="Garantie :"),
        polib.POEntry(
            msgid="'Warranty - %s' % object.name",
            msgstr="'Garantie d'un numéro - %s' % object.name",
            occurrences=[("model:ir.actions.report,print_report_name:x", "")],
        ),
    ]
    assert all(_problems(entry) for entry in cases)
    assert not _problems(polib.POEntry(msgid="%(count)s serials", msgstr="%(count)s numéros"))
