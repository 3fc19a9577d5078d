# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Spreadsheet cells (standard library only, no Odoo import)."""

# A cell starting with one of these is read as a formula (or a DDE call) by spreadsheet programs
# once the file is opened or re-saved as CSV.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value):
    """``value`` made safe for a spreadsheet cell: text that a spreadsheet would run as a
    formula gets a leading apostrophe, shown as text; other values are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
