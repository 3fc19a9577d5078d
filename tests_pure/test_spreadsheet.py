"""Plain-pytest tests of serial_tracking/tools/spreadsheet.py (no Odoo needed)."""

import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

_PATH = Path(__file__).resolve().parents[1] / "serial_tracking" / "tools" / "spreadsheet.py"
_SPEC = importlib.util.spec_from_file_location("serial_tracking_pure_spreadsheet", _PATH)
spreadsheet = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = spreadsheet
_SPEC.loader.exec_module(spreadsheet)


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+SUM(A1)", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x")', "\t=1", "\r=1"],
)
def test_formulas_become_text(text):
    assert spreadsheet.neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["SN-0001", "a=b", "", None, 12, 3.5])
def test_other_values_unchanged(value):
    assert spreadsheet.neutralise(value) == value


@given(st.text())
def test_never_starts_with_a_formula(text):
    result = spreadsheet.neutralise(text)
    assert not result.startswith(spreadsheet.FORMULA_STARTS)
    assert result.endswith(text)
