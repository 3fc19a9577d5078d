"""Plain-pytest tests of serial_tracking/tools/serial_files.py (no Odoo needed): uploaded CSV
and XLSX files, and the translatable text of every error the reader gives."""

import ast
import importlib.util
import io
import sys
from pathlib import Path

import openpyxl
import pytest

_ADDON = Path(__file__).resolve().parents[1] / "serial_tracking"
_TOOLS = _ADDON / "tools"
_SPEC = importlib.util.spec_from_file_location(
    "serial_tracking_pure_tools", _TOOLS / "__init__.py", submodule_search_locations=[str(_TOOLS)]
)
_PACKAGE = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = _PACKAGE
_SPEC.loader.exec_module(_PACKAGE)
serial_files = importlib.import_module("serial_tracking_pure_tools.serial_files")


def _lazy_texts(path, name):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [
            name
        ]:
            return {
                key.value: value.args[0].value
                for key, value in zip(node.value.keys, node.value.values, strict=True)
            }
    raise AssertionError(f"{name} not found in {path}")


def test_every_error_has_the_same_translatable_text():
    texts = _lazy_texts(_ADDON / "models" / "serial_messages.py", "FILE_MESSAGES")
    assert texts == serial_files.MESSAGES


def test_every_code_raised_has_a_text():
    tree = ast.parse((_TOOLS / "serial_files.py").read_text(encoding="utf-8"))
    raised = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "SerialFileError"
        and node.args
    }
    assert raised and raised <= set(serial_files.MESSAGES)


def _error(data, filename="f.xlsx", limit=100):
    with pytest.raises(serial_files.SerialFileError) as caught:
        serial_files.read_serial_file(data, filename, limit)
    return caught.value


def test_csv_and_empty_files():
    result = serial_files.read_serial_file(b"Serial\nA-1\nA-2\n", "s.csv", 100)
    assert result.serials == ["A-1", "A-2"]
    assert serial_files.read_serial_file(b"  ", "e.csv", 100).problems[0].code == "empty_file"


def test_unreadable_files_are_refused_with_their_name():
    error = _error(serial_files.OLE2_SIGNATURE + bytes(100), "old.xls")
    assert (error.code, error.params["file"]) == ("old_xls", "old.xls")
    error = _error(b"PK\x03\x04 not a zip", "broken.xlsx")
    assert error.code == "unreadable" and "broken.xlsx is not a readable XLSX file" in str(error)


def test_a_workbook_is_read_and_a_long_one_refused():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Product", "Serial"])
    for number in range(1, 6):
        sheet.append(["Widget", f"WB-{number}"])
    data = io.BytesIO()
    workbook.save(data)
    result = serial_files.read_serial_file(data.getvalue(), "w.xlsx", 100)
    assert result.serials == [f"WB-{number}" for number in range(1, 6)]
    error = _error(data.getvalue(), "w.xlsx", limit=3)
    assert (error.code, error.params["limit"]) == ("too_many_rows", 3)


def test_a_picture_or_pdf_is_not_read_as_a_csv():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))
    for data, name in ((png, "pic.png"), (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "scan.pdf")):
        try:
            serial_files.read_serial_file(data, name, 100)
        except serial_files.SerialFileError as error:
            assert error.code == "not_text"
            assert str(error) == (
                f"{name} is not a CSV or XLSX file: save the serial numbers as .csv or .xlsx."
            )
        else:
            raise AssertionError(f"{name} was read as a CSV")


def test_utf16_text_is_still_read():
    for data in ("SN-1\r\nSN-2\r\n".encode("utf-16"), "SN-1\r\nSN-2\r\n".encode("utf-16-le")):
        assert serial_files.read_serial_file(data, "serials.csv", 100).serials == ["SN-1", "SN-2"]
