"""The add-ons' translation templates and translations.

    python scripts/i18n.py export [--database DB]   # write every add-on's i18n/<add-on>.pot
                                                     # and bring its .po files in line with it
    python scripts/i18n.py check [--database DB]    # fail when a committed .pot is stale

Odoo exports the templates (``odoo-bin --i18n-export``) from a database where the add-ons are
installed (default: $TEST_DB, else serial_tracking_test, as scripts/test.sh makes it), with
the configuration of scripts/setup.sh. ``export`` then merges each language's .po with the new
template, as gettext's msgmerge does: a translation is kept while its text is unchanged, a new
text gets an empty translation (tests_pure/test_translations.py fails until it is written), a
text gone from the template is dropped. Missing languages of LANGUAGES are created.
``check`` compares the entries (text, context, origins and comments; not the header's dates).
Run through scripts/i18n.sh, which knows where Odoo and the virtual environment are.
"""

import argparse
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import polib

REPO_DIR = Path(__file__).resolve().parent.parent
LANGUAGES = {
    "fr": "nplurals=2; plural=n > 1;",
    "de": "nplurals=2; plural=n != 1;",
    "es": "nplurals=2; plural=n != 1;",
}


def project_addons():
    return sorted(path.parent.name for path in REPO_DIR.glob("serial_tracking*/__manifest__.py"))


def export_templates(database):
    """{add-on: POFile} of the templates Odoo exports from the database."""
    odoo_bin = Path(os.environ["ODOO_SRC"]) / "odoo-bin"
    python = Path(os.environ["ODOO_VENV"]) / "bin" / "python"
    addons = project_addons()
    with tempfile.TemporaryDirectory() as work:
        archive = Path(work) / "templates.tgz"
        command = [python, odoo_bin, "-c", os.environ["ODOO_CONF"], "-d", database]
        command += [f"--i18n-export={archive}", f"--modules={','.join(addons)}"]
        command += ["--stop-after-init", "--no-http", "--log-level=error"]
        proc = subprocess.run(command, capture_output=True, text=True, check=False)
        if proc.returncode or not archive.is_file():
            sys.exit(f"Odoo could not export the templates from {database}:\n{proc.stderr[-4000:]}")
        templates = {}
        with tarfile.open(archive) as tar:
            for addon in addons:
                member = tar.extractfile(f"{addon}/i18n/{addon}.pot")
                templates[addon] = polib.pofile(io.TextIOWrapper(member, "utf-8").read())
    return templates


def _key(entry):
    return (entry.msgctxt, entry.msgid)


def _signature(entry):
    return (_key(entry), sorted(entry.occurrences), entry.comment, entry.tcomment, entry.flags)


def merge(template, po_path, lang, addon):
    """The language's .po brought in line with the template (see the module's docstring)."""
    old = {}
    if po_path.is_file():
        old = {_key(e): e for e in polib.pofile(str(po_path)) if not e.obsolete}
    po = polib.POFile(wrapwidth=78)
    po.header = template.header
    po.metadata = {
        "Project-Id-Version": "Odoo Server 18.0",
        "Report-Msgid-Bugs-To": "",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "",
        "Plural-Forms": LANGUAGES[lang],
    }
    for entry in template:
        previous = old.get(_key(entry))
        fuzzy = {"fuzzy"} & set(previous.flags if previous else [])
        po.append(
            polib.POEntry(
                msgid=entry.msgid,
                msgctxt=entry.msgctxt,
                msgstr=previous.msgstr if previous else "",
                occurrences=entry.occurrences,
                comment=entry.comment,
                tcomment=entry.tcomment,
                flags=sorted(set(entry.flags) | fuzzy),
            )
        )
    po.save(str(po_path))
    return sum(1 for e in po if not e.msgstr)


def export(database):
    for addon, template in export_templates(database).items():
        folder = REPO_DIR / addon / "i18n"
        folder.mkdir(exist_ok=True)
        template.wrapwidth = 78
        template.save(str(folder / f"{addon}.pot"))
        for lang in LANGUAGES:
            empty = merge(template, folder / f"{lang}.po", lang, addon)
            state = f"{empty} to translate" if empty else "complete"
            print(f"{addon}/i18n/{lang}.po: {len(template)} entries, {state}")


def check(database):
    stale = []
    for addon, template in export_templates(database).items():
        path = REPO_DIR / addon / "i18n" / f"{addon}.pot"
        committed = polib.pofile(str(path)) if path.is_file() else []
        new, old = [_signature(e) for e in template], [_signature(e) for e in committed]
        if new != old:
            added = {s[0][1] for s in new} - {s[0][1] for s in old}
            gone = {s[0][1] for s in old} - {s[0][1] for s in new}
            stale.append(
                f"{path.relative_to(REPO_DIR)}: {len(added)} new texts, {len(gone)} gone, "
                f"{'origins or comments changed' if not (added or gone) else 'e.g. '}"
                + "; ".join(repr(text[:60]) for text in sorted(added | gone)[:3])
            )
    if stale:
        sys.exit(
            "Stale translation templates (export them again with `bash scripts/i18n.sh "
            "export`, then translate the new texts):\n  " + "\n  ".join(stale)
        )
    print("Translation templates up to date: " + ", ".join(project_addons()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["export", "check"])
    default_db = os.environ.get("TEST_DB", "serial_tracking_test")
    parser.add_argument("--database", default=default_db)
    args = parser.parse_args()
    {"export": export, "check": check}[args.command](args.database)


if __name__ == "__main__":
    main()
