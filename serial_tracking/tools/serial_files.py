# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Serial numbers read from an uploaded CSV or XLSX file (pure Python, no Odoo).

``read_serial_file(data, filename, limit)`` returns the parser's ``ParseResult`` for the file's
'serial' column (or its first column), or raises ``SerialFileError`` for a file that cannot be
read: an old binary .xls, a broken or foreign zip, a workbook that unpacks to more than
``XLSX_MAX_UNPACKED`` bytes, or holds (or claims) far more rows than ``limit`` serials need.
The error names its problem by ``code`` and ``params``; ``models/serial_messages.file_message``
turns it into the user's language."""

import io
import zipfile

from .serial_parser import _utf16_without_bom, parse_csv_bytes, parse_rows

XLSX_MAX_UNPACKED = 50 * 1024 * 1024  # bytes of an uploaded workbook once unzipped
XLSX_MAX_COLUMNS = 200  # columns of an uploaded workbook looked at
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
# Files that are neither text nor a workbook: pictures, PDFs, archives of other kinds.
BINARY_SIGNATURES = (
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"%PDF",
    b"\x1f\x8b",  # gzip
)

# English texts of the codes, for use outside Odoo.
MESSAGES = {
    "old_xls": "%(file)s is an old Excel workbook (.xls): save it as .xlsx or .csv.",
    "unreadable": "%(file)s is not a readable XLSX file (%(error)s). Save it as .xlsx or .csv.",
    "too_large": "%(file)s is too large once unpacked (%(size)s MB, at most %(max)s MB): keep "
    "only the serial numbers in it, or save it as .csv.",
    "too_many_rows": "%(file)s has more than %(rows)s rows: at most %(limit)s serial numbers "
    "can be entered at once.",
    "not_text": "%(file)s is not a CSV or XLSX file: save the serial numbers as .csv or .xlsx.",
}


class SerialFileError(ValueError):
    def __init__(self, code, **params):
        self.code = code
        self.params = params
        super().__init__(MESSAGES[code] % dict(params, file=params.get("file") or "The file"))


def read_serial_file(data, filename, limit):
    """Parse an uploaded file. A workbook is known by its name or by the zip signature at its
    start (a CSV whose first serial starts with "PK" stays a CSV)."""
    data = bytes(data or b"")
    name = (filename or "").lower()
    if not data.strip():
        return parse_csv_bytes(b"", max_count=limit)  # 'The file contains no serial numbers.'
    if data.startswith(OLE2_SIGNATURE):
        raise SerialFileError("old_xls", file=filename)
    if name.endswith((".xlsx", ".xlsm")) or data.startswith(ZIP_SIGNATURES):
        return parse_rows(read_xlsx_rows(data, filename, limit), max_count=limit)
    if _is_binary(data):
        raise SerialFileError("not_text", file=filename)
    return parse_csv_bytes(data, max_count=limit)


def _is_binary(data):
    """A picture, a PDF or any file with NUL bytes in its start (UTF-16 text excepted) is no
    CSV."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(data):
        return False
    return b"\x00" in head or head.startswith(BINARY_SIGNATURES)


def read_xlsx_rows(data, filename, limit=10000):
    """The cells of the first sheet, row by row, or a SerialFileError: whatever the bytes, the
    file is refused before it can take the server's memory or time."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception as error:
        raise _unreadable(filename, error) from None
    if unpacked > XLSX_MAX_UNPACKED:
        raise SerialFileError(
            "too_large",
            file=filename,
            size=unpacked // (1024 * 1024),
            max=XLSX_MAX_UNPACKED // (1024 * 1024),
        )
    # Blank rows are cheap but not free: a sheet may say it has a million of them.
    max_rows = 2 * limit + 1000
    rows = []
    filled = 0
    workbook = None
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the size a sheet states may be false: read what is there
        for row in sheet.iter_rows(values_only=True):
            if len(rows) >= max_rows or filled > limit + 1:  # + 1: the heading
                raise SerialFileError(
                    "too_many_rows",
                    file=filename,
                    rows=len(rows) if filled <= limit + 1 else limit + 1,
                    limit=limit,
                )
            cells = ["" if cell is None else cell for cell in row[:XLSX_MAX_COLUMNS]]
            filled += any(cell != "" for cell in cells)
            rows.append(cells)
    except SerialFileError:
        raise
    except Exception as error:
        raise _unreadable(filename, error) from None
    finally:
        if workbook is not None:
            workbook.close()
    return rows


def _unreadable(filename, error):
    return SerialFileError(
        "unreadable", file=filename, error=str(error)[:200] or type(error).__name__
    )
