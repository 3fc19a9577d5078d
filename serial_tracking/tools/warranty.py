# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Warranty dates (no Odoo import: plain pytest tests them).

A warranty of ``duration`` ``unit``s that starts on ``start`` ends on the same day ``duration``
units later; when that day does not exist, on the last day of that month: 31 January plus one
month ends on 28 (or 29) February, 29 February plus one year on 28 February.
"""

import datetime

from dateutil.relativedelta import relativedelta

WARRANTY_UNITS = ("day", "week", "month", "year")


def add_months(start, months):
    """``start`` moved by ``months`` months, clamped to the last day of the target month."""
    try:
        return start + relativedelta(months=months)
    except ValueError as error:  # beyond year 9999
        raise OverflowError("date out of range") from error


def warranty_end(start, duration, unit):
    """End date of a warranty of ``duration`` ``unit``s starting on ``start`` (a date), or
    ``None`` without a start or a positive duration."""
    if not start or not duration or duration <= 0:
        return None
    if unit == "day":
        return start + datetime.timedelta(days=duration)
    if unit == "week":
        return start + datetime.timedelta(weeks=duration)
    if unit == "month":
        return add_months(start, duration)
    if unit == "year":
        return add_months(start, 12 * duration)
    raise ValueError("Unknown warranty unit: %r" % (unit,))


def warranty_state(start, end, today, expiring_days, pending=False):
    """State of a warranty on ``today``: ``none`` (no warranty), ``pending`` (not started yet,
    or starting later), ``active``, ``expiring`` (ends within ``expiring_days`` days, end day
    included) or ``expired`` (ended before today)."""
    if not end:
        if start and start > today:
            return "pending"
        return "pending" if pending else "none"
    if start and start > today:
        return "pending"
    if end < today:
        return "expired"
    if (end - today).days <= expiring_days:
        return "expiring"
    return "active"
