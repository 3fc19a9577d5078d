# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Hostile input in the serial popup and in the spreadsheet export.

Property-based (Hypothesis, fixed seed): whatever is typed, pasted or uploaded, the popup's
preview opens, and applying either writes exactly the serials the preview listed, or stops with
a message naming the offending line, serial or count while nothing is written. Each example
runs in a savepoint that is rolled back, so examples never see each other's records.
"""

import base64
import contextlib
import csv
import html
import io
import re
import signal
import zipfile

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..tools.serial_files import SerialFileError, read_xlsx_rows
from ..tools.serial_parser import parse_serials
from .common import SerialTrackingCase

QUANTITY = 6  # units of the receipt and of the purchase line

FUZZ = settings(
    derandomize=True,
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# Pieces of hostile input, joined by hostile separators. NUL is kept out of typed text: the
# entry is a database column, and PostgreSQL refuses NUL in text (see test_nul_in_typed_text).
HOSTILE_PIECES = [
    "SN0001-SN0003",
    "SN0004–SN0005",  # en dash
    "SN0006\u2212SN0006",  # minus sign
    "SN\u20110007",  # non-breaking hyphen inside a serial
    "1-999999999999",
    "000000000001-999999999999",
    "SN0000000001-SN9999999999",
    "\u0405N001",  # Cyrillic DZE
    "\u0410\u041212",  # Cyrillic A, VE
    "\u0391\u0392\u0393-1",  # Greek, visibly (Gamma)
    "\uff33\uff2e\uff10\uff18",  # full-width SN08
    "\ufeffSN0009",
    "\u200bSN0010\u200d",
    "SN\u200c11",
    "SN\u206012",
    "SN\x0713",
    "SN\x1b14",
    "SN\u202e15",
    "SN\u202816",
    '=HYPERLINK("http://x","y")',
    "+1",
    "-1",
    "@SUM(A1)",
    '"Q-1"',
    '"open',
    "X" * 300,
    "KNOWN-1",
    "SN01A-SN09B",
    "SN9-SN1",
    "(01)09501101530003(21)GS1SER",
    "(01)123(21)A",
    "",
]
SEPARATORS = ["\n", "\r\n", "\r", ", ", ";", "\t", "\uff0c", "\u2028", " "]

hostile_text = st.lists(
    st.one_of(
        st.sampled_from(HOSTILE_PIECES),
        st.from_regex(r"[A-Z]{1,3}[0-9]{1,4}", fullmatch=True),
        st.text(st.characters(exclude_characters="\x00"), max_size=8),
    ),
    max_size=8,
).flatmap(
    lambda pieces: st.lists(
        st.sampled_from(SEPARATORS), min_size=len(pieces), max_size=len(pieces)
    ).map(lambda seps: "".join(piece + sep for piece, sep in zip(pieces, seps, strict=True)))
)


def _csv_bytes(rows, encoding, delimiter):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    text = buffer.getvalue()
    if encoding == "utf-16-le (no BOM)":
        return text.encode("utf-16-le", "replace")
    return text.encode(encoding, "replace")


def _xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        # openpyxl itself refuses control characters in a cell: drop them from the file.
        workbook.active.append([re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


_cell = st.one_of(
    st.sampled_from(HOSTILE_PIECES + ["SN\x00NUL", "A1\nA2", "Serial", "Serial Number"]),
    st.from_regex(r"[A-Z]{1,3}[0-9]{1,4}", fullmatch=True),
)
_rows = st.lists(st.lists(_cell, min_size=1, max_size=3), max_size=8)

hostile_file = st.one_of(
    st.tuples(
        st.builds(
            _csv_bytes,
            _rows,
            st.sampled_from(
                ["utf-8", "utf-8-sig", "utf-16", "utf-16-le (no BOM)", "cp1252", "latin-1"]
            ),
            st.sampled_from([",", ";", "\t"]),
        ),
        st.sampled_from(["serials.csv", "serials.txt", "", "SERIALS.CSV"]),
    ),
    st.tuples(st.builds(_xlsx_bytes, _rows), st.sampled_from(["serials.xlsx", "upload"])),
    st.tuples(st.binary(max_size=300), st.sampled_from(["random.csv", "random.xlsx", ""])),
    st.tuples(
        st.just(_zip_bytes({"hello.txt": "not a workbook"})),
        st.sampled_from(["notbook.xlsx", "notbook.csv"]),
    ),
    st.tuples(st.sampled_from([b"", b"\r\n\r\n", b"\xef\xbb\xbf"]), st.just("empty.csv")),
)


class _TooSlow(BaseException):
    """Raised by the alarm; a BaseException, so that no ``except Exception`` swallows it."""


@contextlib.contextmanager
def within(seconds):
    """Fail when the block takes longer than ``seconds`` (a hang fails instead of blocking)."""

    def alarm(_signum, _frame):
        raise _TooSlow("took more than %s s" % seconds)

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_PREVIEW_ROW_RE = re.compile(r'<tr>\s*<td>(\d+)</td>\s*<td>(.*?)</td>\s*<td>\s*<span class="badge')
_NAMES_A_LINE_RE = re.compile(r"\bLines? \d+")
_NAMES_A_COUNT_RE = re.compile(
    r"serial numbers are entered but only \d+ units|More than \d+ serial numbers"
)


@tagged("post_install", "-at_install")
class TestHostileInput(SerialTrackingCase):
    """Typed text, pasted text and uploaded files that try to break the serial popup."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._put_in_stock(["KNOWN-1"])
        cls.move = cls._create_receipt(QUANTITY).move_ids
        cls.purchase_line = (
            cls.env["purchase.order"]
            .with_company(cls.company)
            .create(
                {
                    "partner_id": cls.vendor.id,
                    "company_id": cls.company.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_qty": QUANTITY,
                                "price_unit": 10.0,
                            }
                        )
                    ],
                }
            )
            .order_line
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @contextlib.contextmanager
    def _example(self):
        """One Hypothesis example: everything it writes is rolled back afterwards."""
        with contextlib.closing(self.env.cr.savepoint()):
            try:
                yield
            finally:
                self.env.invalidate_all()

    def _snapshot(self, record):
        if record._name == "stock.move":
            return sorted(
                (ml.lot_id.name or ml.lot_name or "", ml.quantity) for ml in record.move_line_ids
            )
        return sorted(record.serial_ids.mapped("name"))

    def _written_names(self, record):
        if record._name == "stock.move":
            return sorted(ml.lot_id.name or ml.lot_name for ml in record.move_line_ids)
        return sorted(record.serial_ids.mapped("name"))

    def _lot_count(self):
        return self.env["stock.lot"].search_count([("product_id", "=", self.product.id)])

    @staticmethod
    def _preview_names(preview):
        return [html.unescape(name) for _line, name in _PREVIEW_ROW_RE.findall(str(preview))]

    def _assert_apply(self, record, wizard, preview):
        """Apply ``wizard``: either exactly the previewed serials are written, or a message
        naming the line, serial or count stops it and nothing is written."""
        shown = self._preview_names(preview)
        text = wizard.serial_text
        before, lots_before = self._snapshot(record), self._lot_count()
        try:
            wizard.action_apply()
        except (UserError, ValidationError) as error:
            message = str(error)
            self.assertIn("alert-danger", preview, "the preview announced the failure")
            self.assertTrue(
                _NAMES_A_LINE_RE.search(message)
                or _NAMES_A_COUNT_RE.search(message)
                or any(name in message for name in shown),
                "the message names the offending line, serial or count: %r" % message,
            )
            self.assertEqual(self._snapshot(record), before, "nothing is half written")
            self.assertEqual(self._lot_count(), lots_before, "no serial is created")
            self.assertEqual(wizard.serial_text, text, "the entry is kept as typed")
            return False
        self.assertNotIn("alert-danger", preview, "an entry that applies showed no error")
        self.assertEqual(self._written_names(record), sorted(shown))
        self.assertLessEqual(len(shown), QUANTITY)
        return True

    def _fuzz_text(self, record, text):
        with self._example():
            form = self._open_popup(record)
            form.serial_text = text
            preview = form.preview_html  # computed while typing: must not raise
            self.assertEqual(form.serial_count, len(set(parse_serials(text).serials)))
            wizard = form.save()
            return self._assert_apply(record, wizard, preview)

    def _fuzz_file(self, record, data, filename):
        with self._example():
            wizard = self._open_popup(record).save()
            text_before = wizard.serial_text or ""
            wizard.write(
                {"upload_file": base64.b64encode(data), "upload_filename": filename or False}
            )
            result = wizard._onchange_upload_file()
            self.assertFalse(wizard.upload_file, "the upload is not kept")
            if not data:  # an empty upload is no upload: the field was cleared
                self.assertIsNone(result)
                self.assertEqual(wizard.serial_text or "", text_before)
            elif result:
                warning = result["warning"]
                self.assertTrue(warning["title"] and warning["message"])
                self.assertEqual(wizard.serial_text or "", text_before, "nothing imported")
            else:
                imported = wizard._read_serial_file(data, filename, 10000)
                self.assertFalse(imported.problems)
                self.assertEqual(
                    parse_serials(wizard.serial_text).serials,
                    parse_serials(text_before).serials + imported.serials,
                    "the file's serials are added to the entry, as they are",
                )
            wizard.invalidate_recordset()
            self._assert_apply(record, wizard, wizard.preview_html)
            return not result and bool(data)

    # ------------------------------------------------------------------
    # Properties
    # ------------------------------------------------------------------

    def _fuzz(self, strategy, check):
        """Run ``check`` on the examples of ``strategy``; both of its outcomes (True: applied
        or imported, False: refused with a message) must occur, or the fuzzing proves little."""
        outcomes = set()

        @FUZZ
        @given(strategy)
        def run(value):
            outcomes.add(check(value))

        run()
        self.assertEqual(outcomes, {True, False}, "examples both succeed and fail")

    def test_fuzz_typed_text_on_receipt(self):
        """Hostile typed or pasted text on a receipt move."""
        self._fuzz(hostile_text, lambda text: self._fuzz_text(self.move, text))

    def test_fuzz_typed_text_on_purchase_line(self):
        """Hostile typed or pasted text on a purchase order line."""
        self._fuzz(hostile_text, lambda text: self._fuzz_text(self.purchase_line, text))

    def test_fuzz_uploaded_file_on_receipt(self):
        """Hostile files (encodings, formulas, broken workbooks, random bytes) on a receipt."""
        self._fuzz(hostile_file, lambda upload: self._fuzz_file(self.move, *upload))

    def test_fuzz_uploaded_file_on_purchase_line(self):
        """Hostile files on a purchase order line."""
        self._fuzz(hostile_file, lambda upload: self._fuzz_file(self.purchase_line, *upload))

    # ------------------------------------------------------------------
    # Decided behaviours, one example each
    # ------------------------------------------------------------------

    def test_lookalikes_are_named_and_width_variants_read_as_ascii(self):
        """A Cyrillic letter drawn like a Latin one stops the entry with a message naming the
        line and the character; full-width characters and typographic dashes are read as
        ASCII, so a range written by a word processor is a range."""
        form = self._open_popup(self.move)
        form.serial_text = "SN0001\u2013SN0002\n\uff33\uff2e\uff10\uff10\uff10\uff13\n\u0405N0004"
        self.assertIn("Line 3", form.preview_html)
        self.assertIn("U+0405 CYRILLIC CAPITAL LETTER DZE, looks like S", form.preview_html)
        self.assertEqual(self._preview_names(form.preview_html), ["SN0001", "SN0002", "SN0003"])
        wizard = form.save()
        self.assertFalse(self._assert_apply(self.move, wizard, form.preview_html))
        wizard.serial_text = wizard.serial_text.replace("\u0405N0004", '"\u0405N0004"')
        wizard.invalidate_recordset(["preview_html"])
        self.assertTrue(self._assert_apply(self.move, wizard, wizard.preview_html))
        self.assertEqual(
            self._written_names(self.move), ["SN0001", "SN0002", "SN0003", "\u0405N0004"]
        )
        # Opened again, the look-alike is shown quoted, so that it reads back as it is.
        self.assertIn('"\u0405N0004"', self._open_popup(self.move).serial_text)

    def test_nul_in_typed_text(self):
        """NUL is refused in the preview, naming the line, like every control character, and
        when the popup is saved."""
        form = self._open_popup(self.move)
        form.serial_text = "SN1\nSN\x002"
        self.assertIn("Line 2", form.preview_html)
        self.assertIn("U+0000", form.preview_html)
        self.assertEqual(form.invalid_count, 1)
        # Saving it is refused with the line, not a database error; nothing is written.
        with self.assertRaisesRegex(UserError, "Line 2 of the entry holds a NUL"):
            form.save()
        self.assertFalse(any(self.move.move_line_ids.mapped("lot_name")))

    def test_entry_limit_of_the_company(self):
        """Over the company's Serials per Entry, typed or uploaded, a clear message; a file
        that would take the entry over the limit is not imported at all."""
        self.company.serial_entry_limit = 5
        form = self._open_popup(self.move)
        form.serial_text = "N01-N06"
        self.assertIn("holds 6 serial numbers; at most 5 are allowed", form.preview_html)
        form.serial_text = "N1, N2, N3, N4, N5, N6"
        self.assertIn("More than 5 serial numbers were entered", form.preview_html)
        wizard = form.save()
        with self.assertRaisesRegex(UserError, "enter at most 5 at once"):
            wizard.action_apply()
        wizard.serial_text = "N1\nN2\nN3"
        wizard.upload_file = base64.b64encode(b"Serial\nF1\nF2\nF3\n")
        result = wizard._onchange_upload_file()
        self.assertIn(
            "The file holds 3 serial numbers and 3 are entered already: at most 5",
            result["warning"]["message"],
        )
        self.assertEqual(wizard.serial_text, "N1\nN2\nN3")
        wizard.upload_file = base64.b64encode(b"\n".join(b"F%d" % n for n in range(7)))
        result = wizard._onchange_upload_file()
        self.assertIn("More than 5 serial numbers", result["warning"]["message"])
        self.assertEqual(wizard.serial_text, "N1\nN2\nN3")

    def test_file_rows_not_matching_the_quantity(self):
        """A file with more serials than units: the counter turns red and the entry cannot be
        applied, with the popup's message; fewer: the rest is left for later."""
        wizard = self._open_popup(self.move).save()
        rows = "\n".join("R%d" % n for n in range(QUANTITY + 2))
        wizard.upload_file = base64.b64encode(("Serial\n" + rows).encode())
        self.assertIsNone(wizard._onchange_upload_file())
        self.assertEqual(wizard.counter, "%s / %s serials" % (QUANTITY + 2, QUANTITY))
        self.assertEqual(wizard.counter_state, "over")
        message = "%s serial numbers are entered but only %s units" % (QUANTITY + 2, QUANTITY)
        self.assertIn(message, wizard.preview_html)
        with self.assertRaisesRegex(UserError, message):
            wizard.action_apply()
        wizard.serial_text = False
        wizard.upload_file = base64.b64encode(b"R1\nR2\n")
        wizard._onchange_upload_file()
        self.assertEqual(wizard.counter_state, "short")
        wizard.action_apply()
        self.assertEqual(self._written_names(self.move), ["R1", "R2"])

    def test_csv_starting_with_pk_is_not_a_workbook(self):
        """Only the zip signature makes a file a workbook: serials starting with "PK" are a
        CSV."""
        wizard = self._open_popup(self.move).save()
        wizard.upload_filename = "serials.csv"
        wizard.upload_file = base64.b64encode(b"PK0001\nPK0002\n")
        self.assertIsNone(wizard._onchange_upload_file())
        self.assertEqual(wizard.serial_text, "PK0001\nPK0002")

    def test_broken_and_oversized_workbooks(self):
        """Broken workbooks are refused with a message naming the file, quickly, whatever they
        claim or hold; nothing is imported."""
        wizard = self._open_popup(self.move).save()
        workbook = openpyxl.Workbook()
        workbook.active.append(["Serial"])
        workbook.active.append(["WB1"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        with zipfile.ZipFile(buffer) as archive:
            members = {info.filename: archive.read(info) for info in archive.infolist()}
        sheet = members["xl/worksheets/sheet1.xml"].decode()

        def variant(**changes):
            return _zip_bytes({**members, **changes})

        # A sheet that claims a million rows and 16,384 columns, but holds two rows.
        lying = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', sheet)
        self.assertNotEqual(lying, sheet)
        with within(10):
            rows = read_xlsx_rows(variant(**{"xl/worksheets/sheet1.xml": lying}), "a")
        self.assertEqual([row[:1] for row in rows], [["Serial"], ["WB1"]])
        # A sheet that really has a row at the bottom of the sheet.
        far = sheet.replace(
            "</sheetData>",
            '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>X</t></is></c></row>'
            "</sheetData>",
        )
        with (
            within(10),
            self.assertRaisesRegex(SerialFileError, "far.xlsx has more than 21000 rows"),
        ):
            read_xlsx_rows(variant(**{"xl/worksheets/sheet1.xml": far}), "far.xlsx")
        # A sheet whose XML is cut: the error comes while reading the rows.
        cut = sheet[: sheet.index("<sheetData>") + 30]
        with self.assertRaisesRegex(SerialFileError, "cut.xlsx is not a readable XLSX file"):
            read_xlsx_rows(variant(**{"xl/worksheets/sheet1.xml": cut}), "cut.xlsx")
        # A zip bomb: 60 MB of zeros, a few kilobytes zipped.
        bomb = variant(**{"xl/media/zeros.bin": bytes(60 * 1024 * 1024)})
        self.assertLess(len(bomb), 1024 * 1024)
        with self.assertRaisesRegex(UserError, "bomb.xlsx is too large once unpacked"):
            wizard._read_serial_file(bomb, "bomb.xlsx", 100)
        # An Excel 97-2003 workbook.
        with self.assertRaisesRegex(UserError, r"old.xls is an old Excel workbook \(.xls\)"):
            wizard._read_serial_file(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "old.xls", 9)
        # Through the popup: a warning, and the entry as it was.
        wizard.serial_text = "KEEP1"
        for data, name in ((variant(**{"xl/worksheets/sheet1.xml": cut}), "cut.xlsx"),):
            wizard.upload_filename = name
            wizard.upload_file = base64.b64encode(data)
            self.assertIn("not a readable XLSX file", str(wizard._onchange_upload_file()))
            self.assertEqual(wizard.serial_text, "KEEP1")

    # ------------------------------------------------------------------
    # Spreadsheet export
    # ------------------------------------------------------------------

    def test_export_neutralises_formulas(self):
        """A serial named like a formula comes out of the XLSX export as text starting with an
        apostrophe, never as a formula."""
        names = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "PLAIN-1"]
        self._put_in_stock(names)
        wizard = self.env["serial.report.wizard"].create(
            {"product_ids": [(6, 0, self.product.ids)]}
        )
        wizard.action_export_xlsx()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.xlsx_file)))
        sheet = book.active
        header = [cell.value for cell in sheet[1]]
        column = header.index("Serial Number")
        cells = {row[column].value: row[column] for row in sheet.iter_rows(min_row=2)}
        for name in names[:-1]:
            cell = cells["'" + name]
            self.assertEqual(cell.data_type, "s", "text, not a formula")
        self.assertEqual(cells["PLAIN-1"].data_type, "s")
        self.assertNotIn(names[0], cells, "the formula never comes out as it is")
        with zipfile.ZipFile(io.BytesIO(base64.b64decode(wizard.xlsx_file))) as archive:
            sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
        self.assertNotIn("<f>", sheet_xml, "no formula cell in the file")
