"""Plain-pytest tests of serial_tracking/tools/warranty.py (no Odoo needed)."""

import datetime
import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

_PATH = Path(__file__).resolve().parents[1] / "serial_tracking" / "tools" / "warranty.py"
_SPEC = importlib.util.spec_from_file_location("serial_tracking_pure_warranty", _PATH)
warranty = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = warranty
_SPEC.loader.exec_module(warranty)

D = datetime.date


@pytest.mark.parametrize(
    ("start", "duration", "unit", "end"),
    [
        (D(2027, 1, 31), 1, "month", D(2027, 2, 28)),
        (D(2028, 1, 31), 1, "month", D(2028, 2, 29)),
        (D(2027, 1, 31), 3, "month", D(2027, 4, 30)),
        (D(2028, 2, 29), 1, "year", D(2029, 2, 28)),
        (D(2028, 2, 29), 4, "year", D(2032, 2, 29)),
        (D(2026, 12, 15), 1, "month", D(2027, 1, 15)),
        (D(2026, 11, 24), 18, "month", D(2028, 5, 24)),
        (D(2026, 12, 31), 1, "day", D(2027, 1, 1)),
        (D(2026, 12, 28), 2, "week", D(2027, 1, 11)),
        (D(2026, 11, 24), 2, "year", D(2028, 11, 24)),
    ],
)
def test_warranty_end(start, duration, unit, end):
    assert warranty.warranty_end(start, duration, unit) == end


@pytest.mark.parametrize("duration", [0, -1, None])
def test_no_duration_no_end(duration):
    assert warranty.warranty_end(D(2026, 1, 1), duration, "month") is None


def test_no_start_no_end():
    assert warranty.warranty_end(None, 12, "month") is None


def test_unknown_unit_refused():
    with pytest.raises(ValueError):
        warranty.warranty_end(D(2026, 1, 1), 1, "fortnight")


def test_out_of_range_refused():
    with pytest.raises(OverflowError):
        warranty.warranty_end(D(9999, 6, 1), 1, "year")


@given(st.dates(max_value=D(9000, 12, 31)), st.integers(1, 600))
def test_months_land_in_the_right_month(start, months):
    end = warranty.add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == start.day or (end.day < start.day and (end + datetime.timedelta(1)).day == 1)


TODAY = D(2026, 11, 24)


@pytest.mark.parametrize(
    ("start", "end", "pending", "state"),
    [
        (None, None, False, "none"),
        (None, None, True, "pending"),
        (D(2026, 12, 1), D(2027, 12, 1), False, "pending"),
        (D(2026, 1, 1), D(2027, 1, 1), False, "active"),
        (D(2026, 1, 1), D(2026, 12, 24), False, "expiring"),
        (D(2026, 1, 1), TODAY, False, "expiring"),
        (D(2025, 1, 1), D(2026, 11, 23), False, "expired"),
        (None, D(2026, 12, 25), False, "active"),
    ],
)
def test_warranty_state(start, end, pending, state):
    assert warranty.warranty_state(start, end, TODAY, 30, pending=pending) == state
