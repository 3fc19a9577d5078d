# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Turn text that a user typed, scanned or pasted into an ordered list of serial numbers.

This module is pure Python (standard library only, no Odoo import) so that it can be
tested on its own. It never raises on text input: every failure becomes a ``Problem``
that names the 1-based line it comes from, and parsing goes on with the next value.

Accepted formats
================

Text (``parse_serials``)
------------------------
* One serial number per line, or several on a line separated by commas, semicolons or
  tabs (also the full-width comma and semicolon of East Asian input methods). Lines may end
  with ``\\n``, ``\\r\\n`` or ``\\r``. Blank lines and empty values (``A1,,A2`` or a
  trailing comma) are ignored.
* Spaces (also non-breaking spaces) and invisible zero-width characters around a value
  are removed. A space inside a value is kept (any other space there is read as the ASCII
  one): it does not separate two serial numbers.
* Spreadsheet paste: when at least two non-empty lines contain a tab and every
  non-empty line does, the text is read as cells copied from a spreadsheet. Only one
  column is used: the one whose heading is a serial-number heading (see *Files*),
  otherwise the first column, whose first line is skipped when it looks like a heading.
* Ranges: ``START-END`` with a number on both sides expands to
  every serial in between, keeping zero padding: ``SN0001-SN0003`` gives ``SN0001``,
  ``SN0002``, ``SN0003``. The number used is the last group of digits, so a fixed
  suffix is allowed (``SN01X-SN03X``), and so are hyphens in the prefix when both ends are
  written out (``LP14-0001-LP14-0250``). Both ends need the same prefix, the same suffix
  and the same number of digits (write ``001-100``, not ``1-100``), the start may not be
  after the end, and one range may hold at most ``max_count`` serial numbers. A value
  with two or more ``-`` is a plain serial number (``AB-12-34``) unless exactly one of them
  splits it into two ends of the same shape; so is a value with one ``-`` whose sides have
  different prefixes (``LP14-0002``, ``BSX2-Q7K2M9TA``), unless they look like a mistyped
  range (prefixes of one length, numbers of one width, one suffix: ``SN001-SM010``), which is
  refused. Quote a value to keep it from being
  read as a range; ``serials_to_text`` quotes the names that need it.
* Quotes: a value in double quotes is taken literally, never as a range or a GS1
  barcode: ``"2024-0001"``.
* GS1 barcodes: the serial number (application identifier 21) is taken out of a GS1
  element string. Recognised are the human-readable form
  ``(01)09501101530003(17)251231(21)ABC123``, scanner output starting with a symbology
  identifier (``]C1``, ``]d2``, ``]Q3``, ``]e0``), scanner output containing the GS
  separator (ASCII 29), and the plain form ``01`` + GTIN-14 + more elements without a
  separator (``01095011015300031725123121ABC123``), the latter only when the GTIN check
  digit is right and an AI 21 is present; otherwise such a value is a plain serial.
* Refused: control or invisible format characters inside a value (GS only inside a
  GS1 barcode), serial numbers longer than ``max_length`` characters, and more than
  ``max_count`` serial numbers in one entry (parsing stops there).
* Duplicates are not problems here: ``ParseResult.duplicates`` lists them.

Characters that look alike (decisions)
--------------------------------------
A serial number is an exact identifier that is scanned, printed and searched for, so two
values that look the same on screen must be the same serial, and a value must never look like
another serial than the one it is. For each value outside double quotes:

* Canonically equivalent text is one text: the value is put in Unicode NFC (``A`` + combining
  acute and the precomposed ``Á`` are the same serial).
* Width and typographic variants are read as the ASCII character they are a variant of, since
  nobody can tell them apart and they come from tools, not from the label: full-width forms of
  East Asian input methods (``ＳＮ０１`` is ``SN01``), dashes and minus signs (U+2010 to U+2015,
  U+2212, small and full-width hyphen-minus: ``SN0001–SN0003``, as a word processor writes it,
  is a range), and spaces other than the ASCII one (no-break, thin, ideographic...). This is
  NFKC on purpose restricted to these: full NFKC would also turn visibly different characters
  (``²``, ``①``, ``ﬁ``, ``Ⅻ``, mathematical letters) into plain ones without saying so.
* Look-alikes are not folded, and not accepted silently either: a value holding a letter of
  another alphabet that looks like a Latin letter or digit (Cyrillic ``Ѕ``, ``А``, ``О``, Greek
  ``Α``, ``Ο``...) or a styled variant such as ``²``, ``①`` or a mathematical letter is refused,
  the message naming each such character, its code point and what it looks like, unless the
  value is visibly in another alphabet (it has no Latin letter and has a letter of that alphabet
  without Latin look-alike, like ``Б`` or ``Θ``). If the serial really is written so, put it in
  double quotes, as for a name that would read as a range; ``serials_to_text`` quotes the names
  that need it, so existing serials read back unchanged.
* Zero-width characters (U+200B to U+200D, U+2060) and the byte order mark (U+FEFF) around a
  value are removed, like spaces: copied text and files carry them. Inside a value they, like
  every control, format, line or paragraph separator or other invisible character (NUL, DEL,
  bidirectional controls, variation selectors, fillers), make the value refused with a message
  naming its line and the code point: the text is not what it looks like, and only the user
  knows what was meant.
* Text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) is an
  ordinary serial here; spreadsheets written by the add-on neutralise it (``tools.spreadsheet``).
* Size: a range is counted before it is expanded, so ``1-999999999999`` or
  ``SN0000000001-SN9999999999`` is refused at once; parsing stops at ``max_count`` serial
  numbers or ``MAX_PROBLEMS`` problems, and its time grows linearly with the text.

Files (``parse_rows``, ``parse_csv_bytes``)
-------------------------------------------
* ``parse_csv_bytes`` decodes UTF-16 (with BOM, or without one when every other byte of the
  start is NUL), UTF-8 (with or without BOM), Windows-1252, then Latin-1, detects the
  delimiter among ``,`` ``;`` and tab, and hands the rows to ``parse_rows``. Bytes that are no
  text at all give control-character problems, never an exception.
* ``parse_rows`` takes the column whose heading (first non-blank row, case-insensitive)
  is one of ``Serial``, ``Serial Number``, ``Serial_Number``, ``Serial No``, ``SN``,
  ``Lot/Serial Number``, ``Lot`` or ``Name`` (earlier names win). Otherwise it takes the
  first column and skips the first row when its first cell is made of words without
  digits (``Serial``, ``Code``) while the next rows' first cells contain digits.
* Each cell is one value and follows the text rules above (ranges, quotes, GS1), but
  is not split on commas or semicolons. Line numbers are row numbers, heading included.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "MAX_COUNT_DEFAULT",
    "MAX_LENGTH_DEFAULT",
    "GS1_REASONS",
    "HUGE_COUNT",
    "LOOKALIKES_SHOWN",
    "MAX_PROBLEMS",
    "MESSAGES",
    "RANDOM_ALPHABET",
    "SERIAL_HEADERS",
    "Entry",
    "ParseResult",
    "Problem",
    "RangeError",
    "expand_range",
    "format_serial",
    "lookalike_details",
    "parse_csv_bytes",
    "parse_rows",
    "parse_serials",
    "random_serial",
    "split_number",
]

MAX_LENGTH_DEFAULT = 64  # longest serial accepted
MAX_COUNT_DEFAULT = 10_000  # cap for one range and for one whole entry
MAX_PROBLEMS = 200  # problems listed before parsing gives up
LOOKALIKES_SHOWN = 3  # look-alike characters described in a message; the others are counted
HUGE_COUNT = 10**15  # a range this large is said to hold "more than 10^15" (not its 60 digits)

# Digits and capitals without look-alikes (0 O, 1 I L, 2 Z, 5 S, 8 B).
RANDOM_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"

# Column headings that hold serial numbers, by priority.
SERIAL_HEADERS = (
    "serial",
    "serial number",
    "serial_number",
    "serial no",
    "sn",
    "lot/serial number",
    "lot",
    "name",
)

# Message templates by problem code. ``Problem.message`` is "Line N: " + template
# (or the capitalised template when the problem is not about one line). These English messages
# serve the tests and use outside Odoo; the add-on shows its translation of the code and params
# (``models/serial_messages.py``), so a new code needs a translatable message there too.
MESSAGES = {
    "bad_quote": (
        "the double quotes in {text} do not match; put one pair of double quotes around "
        'the whole serial number, like "2024-0001".'
    ),
    "control_char": '"{text}" contains an invisible control character ({char}).',
    "empty_file": "The file contains no serial numbers.",
    "empty_token": 'an empty quoted value ("") is not a serial number.',
    "lookalike": (
        '"{text}" contains {chars}: a serial number is read exactly as typed. Retype it with '
        "Latin letters and digits, or put it in double quotes if the serial really is written so."
    ),
    "gs1_bad": 'the GS1 barcode "{text}" cannot be read: {reason}.',
    "gs1_no_serial": 'the GS1 barcode "{text}" has no serial number (application identifier 21).',
    "no_serial_column": (
        "no serial number column was found (columns: {columns}); name the column "
        '"Serial" or put the serial numbers in the first column.'
    ),
    "range_no_number": 'the range "{text}" needs a number at both ends.',
    "range_prefix": (
        'the range "{text}" has different prefixes ("{start_prefix}" and "{end_prefix}"). '
        "To enter it as one serial number, put it in double quotes."
    ),
    "range_reversed": (
        'the range "{text}" goes backwards: "{start}" comes after "{end}". '
        "To enter it as one serial number, put it in double quotes."
    ),
    "range_suffix": (
        'the range "{text}" has different suffixes ("{start_suffix}" and "{end_suffix}"). '
        "To enter it as one serial number, put it in double quotes."
    ),
    "range_too_large": (
        'the range "{text}" holds {count_text} serial numbers; at most {max_count} are allowed.'
    ),
    "range_width": (
        'the range "{text}" has numbers of different lengths ({start_width} and {end_width} '
        'digits); both ends need the same number of digits, like "{example}".'
    ),
    "too_long": (
        'the serial number "{text}" is {length} characters long; the maximum is {max_length}.'
    ),
    "too_many": (
        "More than {max_count} serial numbers were entered; enter at most {max_count} at once."
    ),
    "too_many_problems": (
        "More than {max_problems} problems were found; only the first {max_problems} are listed."
    ),
}

# Reasons given in a 'gs1_bad' message (``params['reason_code']``).
GS1_REASONS = {
    "bad_length": "application identifier ({ai}) needs exactly {expected} digits",
    "empty_value": "application identifier ({ai}) has no value",
    "not_numeric": "application identifier ({ai}) allows digits only",
    "syntax": "it is not a sequence of application identifiers and values",
    "unknown_ai": "unknown application identifier ({ai})",
    "value_too_long": "application identifier ({ai}) allows at most {expected} characters",
}

_DISPLAY_LENGTH = 40
_MAX_RANGE_DIGITS = 1000  # int() refuses very long digit strings; no real serial is that long
_SNIFF_SIZE = 8192
_DIGITS = "0123456789"
_GS = "\x1d"  # ASCII group separator = GS1 FNC1

# Stripped from both ends of a value: spaces, no-break spaces and invisible marks.
_STRIP_CHARS = (
    " \t\u00a0\u1680\u202f\u205f\u2060\u3000\ufeff"
    + "".join(chr(c) for c in range(0x2000, 0x2010))  # en quad ... right-to-left mark
)
_SEPARATOR_RE = re.compile(r"[,;\t\uff0c\uff1b]")  # also the full-width comma and semicolon
_DIGIT_RE = re.compile(r"[0-9]")
_ASCII_CONTROL_RE = re.compile(r"[\x00-\x1c\x1e\x1f\x7f]")
_HEADER_WORDS_RE = re.compile(r"[^\W\d_]+(?:[ _./#-]+[^\W\d_]+)*[ _./#:-]*")
_GS1_BRACKET_START_RE = re.compile(r"\(\d{2,4}\)")
_GS1_BRACKET_ELEMENT_RE = re.compile(r"\((\d{2,4})\)([^()]*)")
_GS1_PLAIN_START_RE = re.compile(r"01[0-9]{14}.")
_GS1_SYMBOLOGY_IDS = ("]C1", "]d2", "]Q3", "]e0")

# GS1 application identifiers: fixed-length (all numeric) and variable-length (max length).
_GS1_FIXED = {"00": 18, "01": 14, "02": 14, "20": 2}
_GS1_FIXED.update(dict.fromkeys(("11", "12", "13", "15", "16", "17"), 6))
_GS1_FIXED.update({f"{group}{n:02d}": 6 for group in range(31, 37) for n in range(100)})
_GS1_FIXED.update({f"41{n}": 13 for n in range(8)})
_GS1_VARIABLE = {"10": 20, "21": 20, "22": 20, "240": 30, "241": 30, "250": 30}
_GS1_VARIABLE.update({"30": 8, "37": 8, "90": 30})
_GS1_VARIABLE.update({str(n): 90 for n in range(91, 100)})
_GS1_NUMERIC_VARIABLE = frozenset({"30", "37"})

# Control characters shown in messages as their visible "control picture" (U+2400...).
_DISPLAY_TABLE = {c: 0x2400 + c for c in range(0x20)}
_DISPLAY_TABLE[0x7F] = 0x2421

_PLAIN, _QUOTED, _BAD_QUOTE = "plain", "quoted", "bad_quote"

# Invisible characters that are neither controls nor format characters (refused like them):
# combining grapheme joiner, Hangul and Khmer fillers, Mongolian and other variation selectors.
_INVISIBLE = frozenset(
    [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0, 0x2800]
    + list(range(0x180B, 0x1810))
    + list(range(0xFE00, 0xFE10))
    + list(range(0xE0100, 0xE01F0))
)

# Read as the ASCII character they are a variant of (see "Characters that look alike"):
# full-width forms, dashes and minus signs, spaces.
_FOLD_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD_TABLE.update(
    dict.fromkeys([*range(0x2010, 0x2016), 0x2212, 0xFE58, 0xFE63], ord("-"))
    | dict.fromkeys([0x00A0, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000], ord(" "))
)

# Letters of other alphabets drawn like a Latin letter or digit (after Unicode's confusables
# list, keeping only those that look the same in common fonts), with what they look like.
_LOOKALIKES = dict(
    zip(
        "АВЕЅІЈКМНОРСТХУҮҺԀԚԜӀЗбаеѕіјһԁԛԝӏорсхуү"  # Cyrillic
        "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧϹϳϲονρ"  # Greek
        "Օօսո"  # Armenian
        "ᎪᎠᎬᎻᎷᏃᏚᎢᏟ"  # Cherokee
        "ǀƖ",  # Latin letters outside ASCII drawn as ASCII ones
        "ABESIJKMHOPCTXYYHDQWI36aesijhdqwlopcxyyABEZHIKMNOPTYXCjcovpOouoADEHMZSTCll",
        strict=True,
    )
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One serial number as entered."""

    line: int  # 1-based line of the input it came from
    serial: str


@dataclass(frozen=True)
class Problem:
    """Something wrong in the input: a code and the values it names (``params``), with a
    ready-made English message for use outside Odoo (the add-on translates code and params)."""

    line: int  # 1-based line, 0 when about the whole entry
    code: str  # stable machine code, a key of MESSAGES
    message: str
    params: dict = field(default_factory=dict, hash=False)  # values used in the message


@dataclass
class ParseResult:
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def serials(self) -> list[str]:
        """Serial numbers in input order, duplicates kept."""
        return [entry.serial for entry in self.entries]

    @property
    def duplicates(self) -> dict[str, list[int]]:
        """Serial -> line of each occurrence, for serials entered more than once."""
        lines: dict[str, list[int]] = {}
        for entry in self.entries:
            lines.setdefault(entry.serial, []).append(entry.line)
        return {serial: found for serial, found in lines.items() if len(found) > 1}

    @property
    def ok(self) -> bool:
        return not self.problems


class RangeError(ValueError):
    """A ``START-END`` range that cannot be expanded."""

    def __init__(self, code: str, message: str, params: dict):
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params


class _Gs1Error(Exception):
    def __init__(self, reason_code: str, **params):
        super().__init__(reason_code)
        self.reason_code = reason_code
        self.params = params


# ---------------------------------------------------------------------------
# Small public helpers
# ---------------------------------------------------------------------------


def split_number(serial: str) -> tuple[str, str, str] | None:
    """Split around the last run of ASCII digits: ``"SN0042X"`` -> ``("SN", "0042", "X")``."""
    end = len(serial)
    while end and serial[end - 1] not in _DIGITS:
        end -= 1
    if not end:
        return None
    start = end - 1
    while start and serial[start - 1] in _DIGITS:
        start -= 1
    return serial[:start], serial[start:end], serial[end:]


def _same_shape(start: str, end: str) -> bool:
    """Whether two range ends have the same prefix, suffix and number of digits."""
    start_parts, end_parts = split_number(start), split_number(end)
    return bool(
        start_parts
        and end_parts
        and start_parts[0] == end_parts[0]
        and start_parts[2] == end_parts[2]
        and len(start_parts[1]) == len(end_parts[1])
    )


def _mistyped_range(start_parts, end_parts) -> bool:
    """Whether two ends with different prefixes still look like a range with a typo
    (``SN001-SM010``, ``sn001-SN010``): prefixes of the same length, numbers of the same width,
    the same suffix. Such a value is refused rather than taken as one serial."""
    return (
        len(start_parts[0]) == len(end_parts[0])
        and len(start_parts[1]) == len(end_parts[1])
        and start_parts[2] == end_parts[2]
    )


def format_serial(prefix: str, number: int, padding: int, suffix: str) -> str:
    """``format_serial("SN", 7, 4, "X")`` -> ``"SN0007X"``."""
    return f"{prefix}{str(number).zfill(padding)}{suffix}"


def random_serial(length: int, rng) -> str:
    """A random serial of ``length`` characters from RANDOM_ALPHABET (rng: random.Random)."""
    if length < 1:
        raise ValueError("length must be at least 1")
    return "".join(rng.choice(RANDOM_ALPHABET) for _ in range(length))


def expand_range(start: str, end: str, *, max_count: int = MAX_COUNT_DEFAULT) -> list[str]:
    """Every serial from ``start`` to ``end`` included, keeping zero padding.

    Raises RangeError (code 'range_no_number', 'range_prefix', 'range_suffix',
    'range_width', 'range_reversed', 'range_too_large' or 'too_long'). The size is
    checked before anything is built, so a huge range fails at once.
    """
    text = f"{start}-{end}"
    first, last = split_number(start), split_number(end)
    if first is None or last is None:
        raise _range_error("range_no_number", text=text)
    (start_prefix, start_digits, start_suffix) = first
    (end_prefix, end_digits, end_suffix) = last
    if start_prefix != end_prefix:
        raise _range_error(
            "range_prefix", text=text, start_prefix=start_prefix, end_prefix=end_prefix
        )
    if start_suffix != end_suffix:
        raise _range_error(
            "range_suffix", text=text, start_suffix=start_suffix, end_suffix=end_suffix
        )
    width = len(start_digits)
    if width != len(end_digits):
        widest = max(width, len(end_digits))
        example = (
            f"{start_prefix}{start_digits.zfill(widest)}{start_suffix}"
            f"-{end_prefix}{end_digits.zfill(widest)}{end_suffix}"
        )
        raise _range_error(
            "range_width",
            text=text,
            start_width=width,
            end_width=len(end_digits),
            example=_display(example),
        )
    if width > _MAX_RANGE_DIGITS:
        raise _range_error(
            "too_long", text=text, length=max(len(start), len(end)), max_length=_MAX_RANGE_DIGITS
        )
    low, high = int(start_digits), int(end_digits)
    if low > high:
        raise _range_error("range_reversed", text=text, start=_display(start), end=_display(end))
    count = high - low + 1
    if count > max_count:
        count_text = str(count) if count < HUGE_COUNT else "more than 10^15"
        raise _range_error(
            "range_too_large", text=text, count=count, count_text=count_text, max_count=max_count
        )
    return [f"{start_prefix}{str(n).zfill(width)}{start_suffix}" for n in range(low, high + 1)]


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------


def parse_serials(
    text: str, *, max_length: int = MAX_LENGTH_DEFAULT, max_count: int = MAX_COUNT_DEFAULT
) -> ParseResult:
    """Parse free text (typed, scanned or pasted); see the module docstring for the rules."""
    collector = _Collector(max_length, max_count)
    if not isinstance(text, str):  # Odoo gives False for an empty Text field
        text = "" if text is None or text is False else str(text)
    lines = _split_lines(text)
    if _is_spreadsheet_paste(lines):
        collector.table([line.split("\t") for line in lines], is_file=False)
        return collector.result()
    for number, line in enumerate(lines, 1):
        for kind, raw in _line_tokens(line):
            collector.token(kind, raw, number)
            if collector.stopped:
                return collector.result()
    return collector.result()


def serials_to_text(names: list[str]) -> str:
    """Text, one serial per line, that ``parse_serials`` reads back as exactly ``names``: a
    name that would be read otherwise (as a range, or split at a comma) is put in quotes."""
    text = "\n".join(names)
    result = parse_serials(text, max_count=len(names) + MAX_COUNT_DEFAULT)
    by_line: dict[int, list[str]] = {}
    for entry in result.entries:
        by_line.setdefault(entry.line, []).append(entry.serial)
    if not result.problems and all(
        by_line.get(number) == [name] for number, name in enumerate(names, 1)
    ):
        return text
    problem_lines = {problem.line for problem in result.problems}
    return "\n".join(
        name
        if '"' in name or (number not in problem_lines and by_line.get(number) == [name])
        else '"%s"' % name  # (a name holding quotes cannot be quoted: it stays as it is)
        for number, name in enumerate(names, 1)
    )


def parse_rows(
    rows: list[list[str]],
    *,
    max_length: int = MAX_LENGTH_DEFAULT,
    max_count: int = MAX_COUNT_DEFAULT,
) -> ParseResult:
    """Parse the rows of a CSV or spreadsheet file already read as text cells."""
    collector = _Collector(max_length, max_count)
    table = []
    for row in rows or ():
        table.append([row] if isinstance(row, str) else list(row or ()))
    collector.table(table, is_file=True)
    return collector.result()


def parse_csv_bytes(data: bytes, **limits) -> ParseResult:
    """Decode a CSV file, detect its delimiter and parse its rows (see ``parse_rows``)."""
    text = data if isinstance(data, str) else _decode(bytes(data or b""))
    if not text.strip():
        return ParseResult(problems=[_make_problem("empty_file", 0)])
    delimiter = _sniff_delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:  # NUL byte (Python < 3.11) or a huge field: split by hand
        rows = [line.split(delimiter) for line in _split_lines(text)]
    return parse_rows(rows, **limits)


# ---------------------------------------------------------------------------
# Internals
# ---------------------------------------------------------------------------


class _Collector:
    """Accumulates entries and problems, and stops at the limits."""

    def __init__(self, max_length: int, max_count: int):
        self.max_length = max_length
        self.max_count = max_count
        self.entries: list[Entry] = []
        self.problems: list[Problem] = []
        self.stopped = False

    def result(self) -> ParseResult:
        return ParseResult(self.entries, self.problems)

    def problem(self, code: str, line: int, **params) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.problems.append(_make_problem("too_many_problems", 0, max_problems=MAX_PROBLEMS))
            self.stopped = True
            return
        self.problems.append(_make_problem(code, line, **params))

    def add(self, line: int, serials: list[str]) -> None:
        if len(self.entries) + len(serials) > self.max_count:
            self.problems.append(_make_problem("too_many", 0, max_count=self.max_count))
            self.stopped = True
            return
        self.entries.extend(Entry(line, serial) for serial in serials)

    def accept(self, serial: str, line: int) -> None:
        if len(serial) > self.max_length:
            self.problem(
                "too_long",
                line,
                text=_display(serial),
                length=len(serial),
                max_length=self.max_length,
            )
        elif len(self.entries) >= self.max_count:
            self.add(line, [serial])  # reports 'too_many'
        else:
            self.entries.append(Entry(line, serial))

    def token(self, kind: str, raw: str, line: int) -> None:
        """Handle one value of a line or one cell."""
        if kind == _BAD_QUOTE:
            self.problem("bad_quote", line, text=_display(raw.strip(_STRIP_CHARS)))
            return
        value = raw.strip(_STRIP_CHARS)
        if kind == _QUOTED:
            if not value:
                self.problem("empty_token", line, text='""')
                return
            bad = _find_control_char(value, allow_gs=False)
            if bad:
                self.problem("control_char", line, text=_display(value), char=_codepoint(bad))
                return
            self.accept(value, line)
            return
        if not value:
            return
        bad = _find_control_char(value, allow_gs=True)
        if bad:
            self.problem("control_char", line, text=_display(value), char=_codepoint(bad))
            return
        if not value.isascii():
            value = _fold(value)
            if '"' in value:  # a full-width quote: quotes go around the whole value
                self.problem("bad_quote", line, text=_display(value))
                return
            lookalikes = _lookalikes(value)
            if lookalikes:
                self.problem(
                    "lookalike",
                    line,
                    text=_display(value),
                    chars=_describe_lookalikes(lookalikes),
                    lookalikes=lookalikes,
                )
                return
        if self.gs1(value, line) or self.range(value, line):
            return
        self.accept(value, line)

    def gs1(self, value: str, line: int) -> bool:
        """Handle ``value`` if it is a GS1 element string; True when handled."""
        if value[0] not in "(]0" and _GS not in value:
            return False
        try:
            elements = _read_gs1(value)
        except _Gs1Error as error:
            reason = GS1_REASONS[error.reason_code].format(**error.params)
            self.problem(
                "gs1_bad",
                line,
                text=_display(value),
                reason=reason,
                reason_code=error.reason_code,
                **error.params,
            )
            return True
        if elements is None:
            return False
        serial = elements.get("21")
        if serial is None:
            self.problem("gs1_no_serial", line, text=_display(value))
        else:
            self.accept(serial, line)
        return True

    def range(self, value: str, line: int) -> bool:
        """Handle ``value`` if it is a ``START-END`` range; True when handled."""
        hyphens = value.count("-")
        if hyphens == 0:
            return False
        if hyphens == 1:
            start, end = (side.strip(_STRIP_CHARS) for side in value.split("-"))
            start_parts, end_parts = split_number(start), split_number(end)
            if (
                start_parts
                and end_parts
                and start_parts[0] != end_parts[0]
                and not _mistyped_range(start_parts, end_parts)
            ):
                # The ends have different prefixes: only one has a prefix ("LP14-0002",
                # "AB1-23"), or both have different ones ("BSX2-Q7K2M9TA", a random serial
                # after a prefix with a hyphen): a serial with a hyphen, not a range.
                return False
        else:
            # Prefixes may hold hyphens too ("LP14-0001-LP14-0250"): the value is a range when
            # exactly one hyphen splits it into two ends of the same shape; else a plain serial.
            # Ends of the same shape are as long as each other: only such splits are built, so
            # a value of thousands of hyphens is looked at in linear time.
            splits = [
                (value[:i].strip(_STRIP_CHARS), value[i + 1 :].strip(_STRIP_CHARS))
                for i in _balanced_hyphens(value)
            ]
            splits = [(a, b) for a, b in splits if _same_shape(a, b)]
            if len(splits) != 1:
                return False
            start, end = splits[0]
        if not (_DIGIT_RE.search(start) and _DIGIT_RE.search(end)):
            return False
        longest = max(start, end, key=len)
        if len(longest) > self.max_length:
            self.problem(
                "too_long",
                line,
                text=_display(longest),
                length=len(longest),
                max_length=self.max_length,
            )
            return True
        try:
            serials = expand_range(start, end, max_count=self.max_count)
        except RangeError as error:
            self.problem(error.code, line, **{**error.params, "text": _display(value)})
            return True
        self.add(line, serials)
        return True

    def table(self, rows: list[list], *, is_file: bool) -> None:
        """Parse rows of cells (file or spreadsheet paste); line = 1-based row index."""
        numbered = [
            (number, cells)
            for number, cells in enumerate(rows, 1)
            if any(_cell_text(cell).strip(_STRIP_CHARS) for cell in cells)
        ]
        if not numbered:
            if is_file:
                self.problem("empty_file", 0)
            return
        header_line, header = numbered[0]
        names = [_normalize_header(cell) for cell in header]
        column = next((names.index(name) for name in SERIAL_HEADERS if name in names), None)
        if column is not None:
            data = numbered[1:]
        else:
            column = 0
            if _first_column_missing(numbered):
                columns = ", ".join(
                    f'"{_display(_cell_text(cell).strip())}"'
                    for cell in header
                    if _cell_text(cell).strip(_STRIP_CHARS)
                )
                self.problem("no_serial_column", header_line, columns=columns)
                return
            data = numbered[1:] if _looks_like_header(numbered) else numbered
        for number, cells in data:
            cell = _cell_text(cells[column]) if column < len(cells) else ""
            if cell.strip(_STRIP_CHARS):
                kind, raw = _cell_token(cell)
                self.token(kind, raw, number)
                if self.stopped:
                    return
        if is_file and not self.entries and not self.problems:
            self.problem("empty_file", 0)


def _make_problem(code: str, line: int, **params) -> Problem:
    params = {"line": line, **params}
    message = MESSAGES[code].format(**params)
    message = f"Line {line}: {message}" if line else message[:1].upper() + message[1:]
    return Problem(line=line, code=code, message=message, params=params)


def _range_error(code: str, **params) -> RangeError:
    params["text"] = _display(params["text"])
    message = MESSAGES[code].format(**params)
    return RangeError(code, message[:1].upper() + message[1:], params)


def _display(text: str) -> str:
    """Shorten ``text`` for a message and make control characters visible."""
    if len(text) > _DISPLAY_LENGTH:
        text = text[: _DISPLAY_LENGTH - 1] + "…"
    text = text.translate(_DISPLAY_TABLE)
    if not text.isascii():
        text = "".join("\ufffd" if _is_control(char) else char for char in text)
    return text


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"


def _is_control(char: str) -> bool:
    """Control, format, surrogate, line or paragraph separator, or another invisible one."""
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp") or ord(char) in _INVISIBLE


def _fold(value: str) -> str:
    """``value`` in NFC, with width and typographic variants read as their ASCII character."""
    return unicodedata.normalize("NFC", value).translate(_FOLD_TABLE)


def _lookalike_of(char: str) -> str | None:
    """The ASCII letter(s) or digit(s) that the non-ASCII ``char`` is drawn like, if any."""
    if char in _LOOKALIKES:
        return _LOOKALIKES[char]
    if char.isascii():
        return None
    compatible = unicodedata.normalize("NFKC", char)  # ², ①, ﬁ, Ⅻ, mathematical letters...
    if compatible != char and compatible.isascii() and compatible.isalnum():
        return compatible
    return None


def _lookalikes(value: str) -> dict[str, str]:
    """Characters of ``value`` drawn like Latin letters or digits (with what they look like),
    unless the value is visibly in another alphabet: no Latin letter, and a letter of another
    alphabet that has no Latin look-alike."""
    found = {char: _lookalike_of(char) for char in dict.fromkeys(value) if not char.isascii()}
    found = {char: latin for char, latin in found.items() if latin}
    if not found:
        return {}
    has_latin = any(char.isascii() and char.isalpha() for char in value)
    other_letter = any(char.isalpha() and char not in found for char in value if not char.isascii())
    return {} if other_letter and not has_latin else found


def lookalike_details(found: dict[str, str]) -> tuple[list[tuple[str, str, str, str]], int]:
    """What a 'lookalike' message says of ``found`` (its ``params['lookalikes']``): (character,
    code point, Unicode name, what it looks like) of the first LOOKALIKES_SHOWN characters, and
    how many more there are. Shared with the add-on, which words the same facts translated."""
    shown = [
        (char, _codepoint(char), unicodedata.name(char, "character"), latin)
        for char, latin in list(found.items())[:LOOKALIKES_SHOWN]
    ]
    return shown, max(len(found) - LOOKALIKES_SHOWN, 0)


def _describe_lookalikes(found: dict[str, str]) -> str:
    shown, more = lookalike_details(found)
    described = [
        f"{char} ({codepoint} {name}, looks like {latin})" for char, codepoint, name, latin in shown
    ]
    if more:
        described.append(f"{more} more")
    return ", ".join(described)


def _balanced_hyphens(value: str):
    """Positions of the hyphens of ``value`` (stripped) whose two sides, stripped, are equally
    long; linear in the length of ``value``."""
    length = len(value)
    for i, char in enumerate(value):
        if char != "-":
            continue
        start = i
        while start and value[start - 1] in _STRIP_CHARS:
            start -= 1
        end = i + 1
        while end < length and value[end] in _STRIP_CHARS:
            end += 1
        if start == length - end:
            yield i


def _find_control_char(value: str, *, allow_gs: bool) -> str | None:
    """First control/format character of ``value`` (GS allowed if ``allow_gs``), or None."""
    found = []
    match = _ASCII_CONTROL_RE.search(value)
    if match:
        found.append(match.start())
    if not allow_gs and _GS in value:
        found.append(value.index(_GS))
    if not value.isascii():
        found.extend(
            value.index(char) for char in set(value) if char > "\x7f" and _is_control(char)
        )
    return value[min(found)] if found else None


def _split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _is_spreadsheet_paste(lines: list[str]) -> bool:
    with_tab = 0
    for line in lines:
        if not line.strip(_STRIP_CHARS):
            continue
        if "\t" not in line:
            return False
        with_tab += 1
    return with_tab >= 2


def _line_tokens(line: str):
    """Yield (kind, raw text) for each value of one line of text."""
    if '"' not in line:
        for part in _SEPARATOR_RE.split(line):
            yield _PLAIN, part
        return
    length = len(line)
    pos = 0
    while pos <= length:
        start = pos
        while pos < length and line[pos] in _STRIP_CHARS and line[pos] != "\t":
            pos += 1
        match = _SEPARATOR_RE.search(line, pos)
        stop = match.start() if match else length
        if pos < length and line[pos] == '"':
            close = line.find('"', pos + 1)
            if close < 0:
                yield _BAD_QUOTE, line[pos:]
                return
            if close > stop:  # separators inside the quotes belong to the value
                match = _SEPARATOR_RE.search(line, close)
                stop = match.start() if match else length
            if line[close + 1 : stop].strip(_STRIP_CHARS):
                yield _BAD_QUOTE, line[pos:stop]
            else:
                yield _QUOTED, line[pos + 1 : close]
        else:
            part = line[start:stop]
            yield (_BAD_QUOTE if '"' in part else _PLAIN), part
        pos = stop + 1


def _cell_token(cell: str) -> tuple[str, str]:
    """(kind, raw text) of a whole cell: a cell is one value, never split further."""
    value = cell.strip(_STRIP_CHARS)
    if '"' not in value:
        return _PLAIN, value
    if len(value) >= 2 and value[0] == value[-1] == '"' and '"' not in value[1:-1]:
        return _QUOTED, value[1:-1]
    return _BAD_QUOTE, value


def _cell_text(cell) -> str:
    if isinstance(cell, str):
        return cell
    if cell is None or cell is False:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _normalize_header(cell) -> str:
    words = _cell_text(cell).strip(_STRIP_CHARS).split()
    return " ".join(words).rstrip(".:").strip().lower()


def _looks_like_header(numbered: list[tuple[int, list]]) -> bool:
    """First cell made of words without digits, next rows' first cells with digits."""
    first = numbered[0][1]
    cell = _cell_text(first[0]).strip(_STRIP_CHARS) if first else ""
    if not _HEADER_WORDS_RE.fullmatch(cell):
        return False
    following = []
    for _number, cells in numbered[1:]:
        value = _cell_text(cells[0]).strip(_STRIP_CHARS) if cells else ""
        if value:
            following.append(value)
            if len(following) == 5:
                break
    return bool(following) and all(_DIGIT_RE.search(value) for value in following)


def _first_column_missing(numbered: list[tuple[int, list]]) -> bool:
    """A heading row without digits, several columns and nothing in the first column."""
    header = numbered[0][1]
    if len(numbered) < 2 or max(len(cells) for _number, cells in numbered) < 2:
        return False
    if any(_DIGIT_RE.search(_cell_text(cell)) for cell in header):
        return False
    return not any(
        cells and _cell_text(cells[0]).strip(_STRIP_CHARS) for _number, cells in numbered[1:]
    )


def _decode(data: bytes) -> str:
    encodings = ("utf-8-sig", "cp1252")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 BOM (Excel "Unicode text")
        encodings = ("utf-16", *encodings)
    elif _utf16_without_bom(data):
        encodings = (_utf16_without_bom(data), *encodings)
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the start of ``data`` reads like UTF-16 text without a
    byte order mark (a NUL byte in every other position, as ASCII text gives), else None.
    Read as UTF-8, such a file would be nothing but control characters."""
    sample = data[:_SNIFF_SIZE]
    pairs = len(sample) // 2
    if pairs < 2 or len(data) % 2:
        return None
    even_nuls, odd_nuls = sample[0 : pairs * 2 : 2].count(0), sample[1 : pairs * 2 : 2].count(0)
    if odd_nuls >= pairs * 0.6 and even_nuls <= pairs * 0.05:
        return "utf-16-le"
    if even_nuls >= pairs * 0.6 and odd_nuls <= pairs * 0.05:
        return "utf-16-be"
    return None


def _sniff_delimiter(text: str) -> str:
    sample = text[:_SNIFF_SIZE]
    if len(text) > _SNIFF_SIZE and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return ","
    return delimiter if delimiter in (",", ";", "\t") else ","


# --- GS1 -------------------------------------------------------------------


def _read_gs1(value: str) -> dict[str, str] | None:
    """Elements {AI: value} when ``value`` is a GS1 element string, else None.

    Raises _Gs1Error when it is clearly meant as GS1 but cannot be read.
    """
    body = value
    has_symbology_id = value.startswith(_GS1_SYMBOLOGY_IDS)
    if has_symbology_id:
        body = value[3:]
    if _GS1_BRACKET_START_RE.match(body):
        return _parse_gs1_bracketed(body)
    if has_symbology_id or _GS in body:
        return _parse_gs1_plain(body)
    if _GS1_PLAIN_START_RE.match(body):  # "01" + GTIN-14 without separator: be careful
        try:
            elements = _parse_gs1_plain(body)
        except _Gs1Error:
            return None
        if "21" in elements and _gtin_check_ok(elements["01"]):
            return elements
    return None


def _parse_gs1_bracketed(body: str) -> dict[str, str]:
    body = body.replace(_GS, "")
    elements: dict[str, str] = {}
    pos = 0
    while pos < len(body):
        match = _GS1_BRACKET_ELEMENT_RE.match(body, pos)
        if not match:
            raise _Gs1Error("syntax")
        ai, data = match.group(1), match.group(2).strip(_STRIP_CHARS)
        _check_gs1_value(ai, data)
        elements.setdefault(ai, data)
        pos = match.end()
    return elements


def _parse_gs1_plain(body: str) -> dict[str, str]:
    elements: dict[str, str] = {}
    length = len(body)
    pos = 0
    while pos < length:
        if body[pos] == _GS:
            pos += 1
            continue
        candidates = (body[pos : pos + size] for size in (2, 3, 4))
        ai = next((c for c in candidates if c in _GS1_FIXED or c in _GS1_VARIABLE), None)
        if ai is None:
            raise _Gs1Error("unknown_ai", ai=_display(body[pos : pos + 2]))
        pos += len(ai)
        if ai in _GS1_FIXED:
            stop = min(pos + _GS1_FIXED[ai], length)
            data = body[pos:stop]
        else:
            stop = body.find(_GS, pos)
            stop = length if stop < 0 else stop
            data = body[pos:stop].strip(_STRIP_CHARS)
        _check_gs1_value(ai, data)
        elements.setdefault(ai, data)
        pos = stop
    if not elements:
        raise _Gs1Error("syntax")
    return elements


def _check_gs1_value(ai: str, data: str) -> None:
    if ai in _GS1_FIXED:
        expected = _GS1_FIXED[ai]
        if len(data) != expected:
            raise _Gs1Error("bad_length", ai=ai, expected=expected)
        if not (data.isascii() and data.isdigit()):
            raise _Gs1Error("not_numeric", ai=ai)
        return
    if ai not in _GS1_VARIABLE:
        raise _Gs1Error("unknown_ai", ai=ai)
    if not data:
        raise _Gs1Error("empty_value", ai=ai)
    if len(data) > _GS1_VARIABLE[ai]:
        raise _Gs1Error("value_too_long", ai=ai, expected=_GS1_VARIABLE[ai])
    if ai in _GS1_NUMERIC_VARIABLE and not (data.isascii() and data.isdigit()):
        raise _Gs1Error("not_numeric", ai=ai)


def _gtin_check_ok(gtin: str) -> bool:
    total = sum(int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(gtin[:-1]))
    return (10 - total % 10) % 10 == int(gtin[-1])
