# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The serial parser's messages in the user's language (no model here).

``tools.serial_parser`` is pure Python: it names every problem by a code and the values it is
about (``Problem.code`` / ``params`` / ``line``, ``RangeError.code`` / ``params``), and keeps an
English ``message`` only for its own tests and for use outside Odoo. What a user sees is built
here from the code and values, through Odoo's translations; ``parser_message`` is the one way
the add-on shows a parser problem.
"""

import logging

from odoo.tools.translate import LazyTranslate

from ..tools.serial_parser import HUGE_COUNT, lookalike_details

_lt = LazyTranslate(__name__)
_logger = logging.getLogger(__name__)

# One message per key of serial_parser.MESSAGES, with the same named placeholders and, in
# English, the same words (tests_pure/test_serial_messages.py checks both). They start in
# lower case: most follow "Line N: " (LINE_MESSAGE); the others are capitalised when shown.
PROBLEM_MESSAGES = {
    "bad_quote": _lt(
        "the double quotes in %(text)s do not match; put one pair of double quotes around "
        'the whole serial number, like "2024-0001".'
    ),
    "control_char": _lt('"%(text)s" contains an invisible control character (%(char)s).'),
    "empty_file": _lt("The file contains no serial numbers."),
    "empty_token": _lt('an empty quoted value ("") is not a serial number.'),
    "lookalike": _lt(
        '"%(text)s" contains %(chars)s: a serial number is read exactly as typed. Retype it '
        "with Latin letters and digits, or put it in double quotes if the serial really is "
        "written so."
    ),
    "gs1_bad": _lt('the GS1 barcode "%(text)s" cannot be read: %(reason)s.'),
    "gs1_no_serial": _lt(
        'the GS1 barcode "%(text)s" has no serial number (application identifier 21).'
    ),
    "no_serial_column": _lt(
        "no serial number column was found (columns: %(columns)s); name the column "
        '"Serial" or put the serial numbers in the first column.'
    ),
    "range_no_number": _lt('the range "%(text)s" needs a number at both ends.'),
    "range_prefix": _lt(
        'the range "%(text)s" has different prefixes ("%(start_prefix)s" and '
        '"%(end_prefix)s"). To enter it as one serial number, put it in double quotes.'
    ),
    "range_reversed": _lt(
        'the range "%(text)s" goes backwards: "%(start)s" comes after "%(end)s". '
        "To enter it as one serial number, put it in double quotes."
    ),
    "range_suffix": _lt(
        'the range "%(text)s" has different suffixes ("%(start_suffix)s" and '
        '"%(end_suffix)s"). To enter it as one serial number, put it in double quotes.'
    ),
    "range_too_large": _lt(
        'the range "%(text)s" holds %(count_text)s serial numbers; at most %(max_count)s are '
        "allowed."
    ),
    "range_width": _lt(
        'the range "%(text)s" has numbers of different lengths (%(start_width)s and '
        "%(end_width)s digits); both ends need the same number of digits, like "
        '"%(example)s".'
    ),
    "too_long": _lt(
        'the serial number "%(text)s" is %(length)s characters long; the maximum is %(max_length)s.'
    ),
    "too_many": _lt(
        "More than %(max_count)s serial numbers were entered; enter at most %(max_count)s at once."
    ),
    "too_many_problems": _lt(
        "More than %(max_problems)s problems were found; only the first %(max_problems)s are "
        "listed."
    ),
}

# Why a GS1 barcode cannot be read (the 'reason' of 'gs1_bad'), by serial_parser.GS1_REASONS key.
GS1_REASON_MESSAGES = {
    "bad_length": _lt("application identifier (%(ai)s) needs exactly %(expected)s digits"),
    "empty_value": _lt("application identifier (%(ai)s) has no value"),
    "not_numeric": _lt("application identifier (%(ai)s) allows digits only"),
    "syntax": _lt("it is not a sequence of application identifiers and values"),
    "unknown_ai": _lt("unknown application identifier (%(ai)s)"),
    "value_too_long": _lt("application identifier (%(ai)s) allows at most %(expected)s characters"),
}

# The same source text as the popup's own line messages: one translation for both.
LINE_MESSAGE = _lt("Line %(line)s: %(reason)s")
# The parts of a 'lookalike' message (the parser words them in English only).
LOOKALIKE_CHAR = _lt("%(char)s (%(codepoint)s %(name)s, looks like %(latin)s)")
LOOKALIKES_MORE = _lt("%(count)s more")
HUGE_COUNT_TEXT = _lt("more than 10^15")


def line_message(env, line, text):
    """``text`` about line ``line`` of the entry, as every popup message names its line."""
    return _format(env, LINE_MESSAGE, {"line": line, "reason": text})


def parser_message(env, problem):
    """The message of a parser ``Problem`` or ``RangeError`` in the language of ``env``,
    starting with its line when it is about one line. ``problem.message`` is never used: it is
    English."""
    params = dict(problem.params)
    if problem.code == "lookalike":
        shown, more = lookalike_details(params["lookalikes"])
        parts = [
            _format(
                env,
                LOOKALIKE_CHAR,
                {"char": char, "codepoint": codepoint, "name": name, "latin": latin},
            )
            for char, codepoint, name, latin in shown
        ]
        if more:
            parts.append(_format(env, LOOKALIKES_MORE, {"count": more}))
        params["chars"] = ", ".join(parts)
    elif problem.code == "gs1_bad":
        params["reason"] = _format(env, GS1_REASON_MESSAGES[params["reason_code"]], params)
    elif problem.code == "range_too_large" and params["count"] >= HUGE_COUNT:
        params["count_text"] = env._(HUGE_COUNT_TEXT)
    text = _format(env, PROBLEM_MESSAGES[problem.code], params)
    line = getattr(problem, "line", 0)  # a RangeError is about a range, not about a line
    if line:
        return line_message(env, line, text)
    return text[:1].upper() + text[1:]


def _format(env, message, params):
    """``message`` translated in the language of ``env``, filled with ``params``. A translation
    whose placeholders are wrong must not hide the problem: the English message is shown then,
    as Odoo's ``_()`` does."""
    translated = env._(message)
    try:
        return translated % params
    except (KeyError, TypeError, ValueError):
        _logger.exception("Bad translation %r of a serial parser message", translated)
        english = env(context=dict(env.context, lang="en_US"))._(message)
        return english % params


# One message per key of serial_files.MESSAGES (same placeholders, same English words).
FILE_MESSAGES = {
    "old_xls": _lt("%(file)s is an old Excel workbook (.xls): save it as .xlsx or .csv."),
    "unreadable": _lt(
        "%(file)s is not a readable XLSX file (%(error)s). Save it as .xlsx or .csv."
    ),
    "too_large": _lt(
        "%(file)s is too large once unpacked (%(size)s MB, at most %(max)s MB): keep only the "
        "serial numbers in it, or save it as .csv."
    ),
    "too_many_rows": _lt(
        "%(file)s has more than %(rows)s rows: at most %(limit)s serial numbers can be entered "
        "at once."
    ),
    "not_text": _lt(
        "%(file)s is not a CSV or XLSX file: save the serial numbers as .csv or .xlsx."
    ),
}
THE_FILE = _lt("The file")


def file_message(env, error):
    """The message of a ``serial_files.SerialFileError`` in the language of ``env``."""
    params = dict(error.params, file=error.params.get("file") or env._(THE_FILE))
    return _format(env, FILE_MESSAGES[error.code], params)
