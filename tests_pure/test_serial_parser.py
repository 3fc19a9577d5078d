"""Plain-pytest tests of serial_tracking/tools/serial_parser.py (no Odoo needed)."""

import contextlib
import csv
import importlib.util
import io
import random
import signal
import string
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

_PATH = Path(__file__).resolve().parents[1] / "serial_tracking" / "tools" / "serial_parser.py"
_SPEC = importlib.util.spec_from_file_location("serial_tracking_pure_serial_parser", _PATH)
sp = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = sp  # dataclasses look their module up in sys.modules
_SPEC.loader.exec_module(sp)

parse = sp.parse_serials


def codes(result):
    return [problem.code for problem in result.problems]


def only_problem(result, code, line):
    assert codes(result) == [code], result.problems
    problem = result.problems[0]
    assert problem.line == line
    assert problem.params["line"] == line
    if line:
        assert problem.message.startswith(f"Line {line}: ")
    return problem


# --- separators, blanks ------------------------------------------------------


def test_one_per_line():
    result = parse("A1\nA2\nA3")
    assert result.serials == ["A1", "A2", "A3"]
    assert [entry.line for entry in result.entries] == [1, 2, 3]
    assert result.ok


def test_line_endings():
    assert parse("A1\r\nA2\rA3\n").serials == ["A1", "A2", "A3"]


def test_commas():
    assert parse("A1,A2, A3").serials == ["A1", "A2", "A3"]


def test_semicolons():
    assert parse("A1;A2 ; A3").serials == ["A1", "A2", "A3"]


def test_tabs_on_one_line():
    assert parse("A1\tA2\tA3").serials == ["A1", "A2", "A3"]


def test_mixed_separators_keep_lines():
    result = parse("A1, A2\nA3;A4\tA5")
    assert result.serials == ["A1", "A2", "A3", "A4", "A5"]
    assert [entry.line for entry in result.entries] == [1, 1, 2, 2, 2]


def test_blank_lines_and_spaces():
    result = parse("\n  A1  \n\n \u00a0A2\u200b\n   \n")
    assert result.serials == ["A1", "A2"]
    assert [entry.line for entry in result.entries] == [2, 4]
    assert result.ok


def test_space_inside_is_kept():
    assert parse("AB 12").serials == ["AB 12"]


def test_empty_tokens_skipped():
    result = parse("a,,b,\n,;,\nc;")
    assert result.serials == ["a", "b", "c"]
    assert result.ok


def test_empty_and_false_input():
    assert parse("").serials == []
    assert parse("").ok
    assert parse(False).serials == []


# --- spreadsheet paste ------------------------------------------------------


def test_spreadsheet_paste_with_header():
    result = parse("Serial\tQty\nA1\t1\nA2\t1")
    assert result.serials == ["A1", "A2"]
    assert [entry.line for entry in result.entries] == [2, 3]


def test_spreadsheet_paste_without_header():
    assert parse("A1\t1\nA2\t1\n").serials == ["A1", "A2"]


def test_spreadsheet_paste_generic_header_skipped():
    assert parse("Code\tQty\nX-100\t1\nX-101\t1").serials == ["X-100", "X-101"]


def test_spreadsheet_paste_serial_column_not_first():
    assert parse("Product\tSerial Number\nDesk\tA1\nChair\tA2").serials == ["A1", "A2"]


def test_single_line_with_tabs_is_not_a_paste():
    assert parse("A1\tA2").serials == ["A1", "A2"]


def test_not_a_paste_when_one_line_has_no_tab():
    assert parse("A1\t1\nA2\t2\nA3").serials == ["A1", "1", "A2", "2", "A3"]


# --- ranges -----------------------------------------------------------------


def test_numeric_range():
    result = parse("1000-1234")
    assert len(result.serials) == 235
    assert result.serials[0] == "1000"
    assert result.serials[-1] == "1234"
    assert {entry.line for entry in result.entries} == {1}


def test_range_keeps_padding():
    result = parse("SN0001-SN0250")
    assert result.serials[:3] == ["SN0001", "SN0002", "SN0003"]
    assert result.serials[-1] == "SN0250"
    assert len(result.serials) == 250


def test_range_with_suffix():
    assert parse("SN0001X-SN0003X").serials == ["SN0001X", "SN0002X", "SN0003X"]


def test_range_with_spaces():
    assert parse("A 1 - A 3").serials == ["A 1", "A 2", "A 3"]


def test_range_of_one():
    assert parse("SN7-SN7").serials == ["SN7"]


def test_two_dashes_is_literal():
    assert parse("AB-12-34").serials == ["AB-12-34"]


def test_dash_without_number_on_both_sides_is_literal():
    assert parse("ABC-1, A1-B, -5").serials == ["ABC-1", "A1-B", "-5"]


def test_range_prefix_error():
    with pytest.raises(sp.RangeError) as caught:
        sp.expand_range("SN01", "X0009")
    assert caught.value.code == "range_prefix"
    expected = 'The range "SN01-X0009" has different prefixes ("SN" and "X"). '
    assert str(caught.value).startswith(expected)
    assert caught.value.params["start_prefix"] == "SN"
    assert caught.value.params["end_prefix"] == "X"


def test_one_dash_between_different_prefixes_is_literal():
    """Random serials after a prefix with a hyphen are serials, not ranges."""
    result = parse("BSX2-Q7K2M9TA\nSN01-X0009\nAB1-CDE2")
    assert result.ok
    assert result.serials == ["BSX2-Q7K2M9TA", "SN01-X0009", "AB1-CDE2"]


def test_mistyped_range_is_refused():
    """Ends alike but for the prefix read as a range with a typo, not as one serial."""
    for text, start, end in (("SN001-SM010", "SN", "SM"), ("sn001-SN010", "sn", "SN")):
        problem = only_problem(parse(text), "range_prefix", 1)
        assert problem.params["start_prefix"] == start
        assert problem.params["end_prefix"] == end


def test_serials_to_text_reads_back():
    names = ["A1-A7", "PLAIN", "X,Y", "SN01-SN09", "BSX2-Q7K2M9TA"]
    text = sp.serials_to_text(names)
    assert text.splitlines() == ['"A1-A7"', "PLAIN", '"X,Y"', '"SN01-SN09"', "BSX2-Q7K2M9TA"]
    assert parse(text).serials == names
    assert sp.serials_to_text(["A", "B"]) == "A\nB"
    assert sp.serials_to_text(['A"1']) == 'A"1', "quotes inside a name cannot be quoted"
    assert sp.serials_to_text([]) == ""


@given(
    st.text(alphabet="ABCXYZ0123456789-", min_size=0, max_size=6),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=0, max_value=2**32),
)
def test_generated_names_read_back(prefix, length, seed):
    """Whatever a numbering rule makes, the popup's text gives it back unchanged."""
    rng = random.Random(seed)
    names = [prefix + sp.random_serial(length, rng) for _ in range(3)]
    names += [sp.format_serial(prefix, number, 4, "") for number in (1, 42)]
    names = list(dict.fromkeys(names))
    assert parse(sp.serials_to_text(names)).serials == names


def test_range_suffix_error():
    problem = only_problem(parse("\nSN01A-SN09B"), "range_suffix", 2)
    assert '"SN01A-SN09B"' in problem.message


def test_range_width_error():
    problem = only_problem(parse("1-100"), "range_width", 1)
    assert "same number of digits" in problem.message
    assert "001-100" in problem.message


def test_range_reversed_error():
    problem = only_problem(parse("x\nSN09-SN01"), "range_reversed", 2)
    assert '"SN09-SN01"' in problem.message


def test_range_too_large_error():
    problem = only_problem(parse("SN00001-SN20000"), "range_too_large", 1)
    assert problem.params["count"] == 20000
    assert "10000" in problem.message


def test_range_of_a_billion_returns_fast():
    only_problem(parse("0000000001-1000000000"), "range_too_large", 1)
    only_problem(parse("1-1000000000"), "range_width", 1)


def test_range_counts_against_max_count():
    result = parse("A1-A5", max_count=4)
    assert codes(result) == ["range_too_large"]
    result = parse("B1\nA1-A4", max_count=4)
    assert codes(result) == ["too_many"]
    assert result.problems[0].line == 0


def test_range_side_too_long():
    only_problem(parse("A1-A9", max_length=1), "too_long", 1)


def test_expand_range_raises():
    with pytest.raises(sp.RangeError) as info:
        sp.expand_range("SN5", "SN1")
    assert info.value.code == "range_reversed"
    assert isinstance(info.value, ValueError)
    assert sp.expand_range("009", "011") == ["009", "010", "011"]
    with pytest.raises(sp.RangeError) as info:
        sp.expand_range("A", "B")
    assert info.value.code == "range_no_number"


# --- quotes -----------------------------------------------------------------


def test_quoted_literal():
    result = parse('"2024-0001"')
    assert result.serials == ["2024-0001"]
    assert result.ok


def test_quoted_literal_with_separator_inside():
    assert parse('A1, "B,2" ;C3').serials == ["A1", "B,2", "C3"]


def test_unmatched_quote():
    only_problem(parse('A1\n"2024-0001'), "bad_quote", 2)


def test_quote_in_the_middle():
    only_problem(parse('AB"C'), "bad_quote", 1)


def test_text_after_closing_quote():
    only_problem(parse('"AB"C, D'), "bad_quote", 1)


def test_empty_quotes():
    only_problem(parse('A1, ""'), "empty_token", 1)


# --- GS1 ----------------------------------------------------------------------


def test_gs1_bracketed():
    result = parse("(01)09501101530003(17)251231(21)ABC123")
    assert result.serials == ["ABC123"]
    assert result.ok


def test_gs1_symbology_identifier():
    assert parse("]C101095011015300031725123121ABC123").serials == ["ABC123"]
    assert parse("]d2010950110153000321XYZ\x1d10LOT").serials == ["XYZ"]


def test_gs1_group_separators():
    result = parse("0109501101530003\x1d21SER-9\x1d10LOT1\n\x1d010950110153000321S2")
    assert result.serials == ["SER-9", "S2"]
    assert result.ok


def test_gs1_unbracketed_without_separator():
    assert parse("010950110153000317251231" + "21ABC123").serials == ["ABC123"]


def test_gs1_unbracketed_lookalike_is_plain():
    # wrong GTIN check digit, or no AI 21: an ordinary numeric serial
    assert parse("01095011015300041725123121123").serials == ["01095011015300041725123121123"]
    assert parse("0109501101530003").serials == ["0109501101530003"]


def test_gs1_missing_serial():
    only_problem(parse("x\n(01)09501101530003(17)251231"), "gs1_no_serial", 2)


def test_gs1_unknown_ai():
    problem = only_problem(parse("(77)123"), "gs1_bad", 1)
    assert problem.params["reason_code"] == "unknown_ai"
    assert "77" in problem.message


def test_gs1_bad_length():
    problem = only_problem(parse("(01)123(21)A"), "gs1_bad", 1)
    assert problem.params["reason_code"] == "bad_length"


def test_gs1_four_digit_ai():
    assert parse("(01)09501101530003(3103)000500(21)S1").serials == ["S1"]


# --- refused characters and sizes -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "char"),
    [("A\x00B", "U+0000"), ("A\x07B", "U+0007"), ("A\u200bB", "U+200B"), ("AB\x7f", "U+007F")],
)
def test_control_chars(text, char):
    problem = only_problem(parse(f"ok\n{text}"), "control_char", 2)
    assert problem.params["char"] == char
    assert char in problem.message


def test_group_separator_in_quoted_value_is_refused():
    only_problem(parse('"A\x1dB"'), "control_char", 1)


def test_too_long():
    problem = only_problem(parse("A1\n" + "X" * 500), "too_long", 2)
    assert problem.params["length"] == 500
    assert "500" in problem.message
    assert "…" in problem.message
    assert len(problem.params["text"]) == 40


def test_max_length_is_inclusive():
    assert parse("X" * 64).ok
    assert codes(parse("X" * 65)) == ["too_long"]


def test_too_many():
    result = parse("A1,A2,A3\nA4,A5,A6\nA7", max_count=5)
    assert codes(result) == ["too_many"]
    assert result.problems[0].line == 0
    assert result.serials == ["A1", "A2", "A3", "A4", "A5"]


def test_too_many_problems_stops():
    result = parse("\x07\n" * 1000)
    assert len(result.problems) == sp.MAX_PROBLEMS + 1
    assert result.problems[-1].code == "too_many_problems"


def test_parsing_continues_after_a_problem():
    result = parse("A1\n3-1\nA2")
    assert result.serials == ["A1", "A2"]
    assert codes(result) == ["range_reversed"]


# --- duplicates ---------------------------------------------------------------


def test_duplicates():
    result = parse("A1\nA2\nA1, B\nA2\nA1")
    assert result.ok
    assert result.duplicates == {"A1": [1, 3, 5], "A2": [2, 4]}
    assert list(result.duplicates) == ["A1", "A2"]
    assert result.serials == ["A1", "A2", "A1", "B", "A2", "A1"]


def test_duplicates_from_range_overlap():
    assert parse("SN1-SN3\nSN3").duplicates == {"SN3": [1, 2]}


# --- rows and CSV ---------------------------------------------------------------


def test_rows_serial_column_chosen():
    rows = [
        ["Product", "Name", "Serial Number", "Qty"],
        ["Desk", "x", "A1", "1"],
        ["", "", "A2", ""],
    ]
    result = sp.parse_rows(rows)
    assert result.serials == ["A1", "A2"]
    assert [entry.line for entry in result.entries] == [2, 3]


def test_rows_header_case_and_spaces():
    assert sp.parse_rows([["qty", "  LOT/SERIAL NUMBER "], ["1", "S1"]]).serials == ["S1"]


def test_rows_first_column_fallback():
    assert sp.parse_rows([["A1", "x"], ["A2", "y"]]).serials == ["A1", "A2"]


def test_rows_header_skipped():
    result = sp.parse_rows([["Code"], ["X1"], ["X2"]])
    assert result.serials == ["X1", "X2"]
    assert result.entries[0].line == 2


def test_rows_alphabetic_first_row_kept_when_data_has_no_digits():
    assert sp.parse_rows([["Code"], ["ABC"]]).serials == ["Code", "ABC"]


def test_rows_cells_follow_token_rules():
    rows = [["serial"], ["SN01-SN03"], ['"2024-0001"'], ["(01)09501101530003(21)G1"]]
    result = sp.parse_rows(rows)
    assert result.serials == ["SN01", "SN02", "SN03", "2024-0001", "G1"]


def test_rows_empty_file():
    only_problem(sp.parse_rows([]), "empty_file", 0)
    only_problem(sp.parse_rows([[""], [" ", ""]]), "empty_file", 0)
    only_problem(sp.parse_rows([["Serial"]]), "empty_file", 0)


def test_rows_no_serial_column():
    rows = [["Product", "Qty"], ["", "3"], ["", "4"]]
    problem = only_problem(sp.parse_rows(rows), "no_serial_column", 1)
    assert '"Product"' in problem.message


def test_rows_non_text_cells():
    assert sp.parse_rows([[12345.0], [None], [678]]).serials == ["12345", "678"]


def test_csv_semicolon():
    result = sp.parse_csv_bytes(b"Product;Serial;Qty\nDesk;A1;1\nChair;A2;2\n")
    assert result.serials == ["A1", "A2"]


def test_csv_tab():
    assert sp.parse_csv_bytes(b"Serial\tQty\r\nA1\t1\r\nA2\t1\r\n").serials == ["A1", "A2"]


def test_csv_utf8_bom():
    result = sp.parse_csv_bytes("\ufeffserial,qty\nSNé1,1\n".encode())
    assert result.serials == ["SNé1"]


def test_csv_cp1252():
    result = sp.parse_csv_bytes("Serial\nSNé1\nSN€2\n".encode("cp1252"))
    assert result.serials == ["SNé1", "SN€2"]


def test_csv_utf16():
    assert sp.parse_csv_bytes("Serial\tQty\nA1\t1\n".encode("utf-16")).serials == ["A1"]


def test_csv_single_column_without_header():
    assert sp.parse_csv_bytes(b"A1\nA2\n\nA3").serials == ["A1", "A2", "A3"]


def test_csv_empty():
    only_problem(sp.parse_csv_bytes(b""), "empty_file", 0)
    only_problem(sp.parse_csv_bytes(b"  \r\n\n"), "empty_file", 0)


def test_csv_nul_byte():
    result = sp.parse_csv_bytes(b"serial\nA1\nA\x002\n")
    assert result.serials == ["A1"]
    only_problem(result, "control_char", 3)


# --- helpers --------------------------------------------------------------------


def test_random_serial():
    rng = random.Random(42)
    for length in (1, 8, 20):
        serial = sp.random_serial(length, rng)
        assert len(serial) == length
        assert set(serial) <= set(sp.RANDOM_ALPHABET)
    assert not set("0O1IL5S2Z8B") & set(sp.RANDOM_ALPHABET)
    assert set(sp.RANDOM_ALPHABET) <= set(string.digits + string.ascii_uppercase)


def test_format_serial():
    assert sp.format_serial("SN", 7, 4, "X") == "SN0007X"
    assert sp.format_serial("", 12345, 3, "") == "12345"


def test_split_number():
    assert sp.split_number("AB12C034X") == ("AB12C", "034", "X")
    assert sp.split_number("123") == ("", "123", "")
    assert sp.split_number("ABC") is None


# --- properties -------------------------------------------------------------------

_STRUCTURED = st.text(alphabet='0123456789-,;\n\t\r()"\x1d ASN]C\u200b\x00', max_size=80)


def _is_control(char):
    return unicodedata.category(char) in ("Cc", "Cf", "Cs")


@given(st.one_of(st.text(), _STRUCTURED))
def test_parse_never_raises(text):
    result = parse(text, max_length=20, max_count=500)
    assert isinstance(result, sp.ParseResult)
    for problem in result.problems:
        assert problem.line >= 0
        assert problem.message
    for entry in result.entries:
        assert entry.serial
        assert len(entry.serial) <= 20
        assert not any(_is_control(char) for char in entry.serial)
        assert entry.line >= 1


@st.composite
def _ranges(draw):
    prefix = draw(st.text(alphabet=string.ascii_letters, max_size=5))
    suffix = draw(st.text(alphabet=string.ascii_letters, max_size=5))
    padding = draw(st.integers(1, 8))
    count = draw(st.integers(1, min(300, 10**padding)))
    start = draw(st.integers(0, 10**padding - count))
    return [sp.format_serial(prefix, n, padding, suffix) for n in range(start, start + count)]


@given(_ranges())
def test_range_round_trip(names):
    assert parse(f"{names[0]}-{names[-1]}").serials == names


@given(
    st.lists(st.from_regex(r"[A-Z]{1,4}[0-9]{0,10}", fullmatch=True), min_size=1, max_size=50),
    st.sampled_from([", ", "\n", ";", "\r\n"]),
)
def test_simple_list_round_trip(serials, separator):
    assert parse(separator.join(serials)).serials == serials


@given(st.lists(st.lists(st.text(max_size=12), max_size=4), max_size=8))
def test_rows_never_raise(rows):
    result = sp.parse_rows(rows)
    assert all(problem.message for problem in result.problems)


@given(st.binary(max_size=200))
def test_csv_bytes_never_raise(data):
    result = sp.parse_csv_bytes(data)
    assert all(problem.message for problem in result.problems)


def test_range_with_hyphen_in_prefix():
    result = sp.parse_serials("LP14-0001-LP14-0003\nAB-12-34\nX-1-2-X-1-4")
    assert result.ok
    assert result.serials == [
        "LP14-0001",
        "LP14-0002",
        "LP14-0003",
        "AB-12-34",
        "X-1-2",
        "X-1-3",
        "X-1-4",
    ]


def test_range_with_hyphen_in_prefix_keeps_range_errors():
    result = sp.parse_serials("LP14-0009-LP14-0001")
    assert [p.code for p in result.problems] == ["range_reversed"]


def test_single_serial_with_one_hyphen_is_not_a_range():
    """A serial like LP14-0002 (a prefix on one side only) is one serial number."""
    result = sp.parse_serials("LP14-0002\nAB1-23\n2024-0001")
    assert [p.code for p in result.problems] == ["range_reversed"]
    assert "double quotes" in result.problems[0].message
    assert result.serials == ["LP14-0002", "AB1-23"]
    assert sp.parse_serials('"2024-0001"').serials == ["2024-0001"]


# --- hostile input: decisions (see the parser's docstring, "Characters that look alike") ---


class _TooSlow(BaseException):
    """Raised by the alarm (a BaseException: no ``except Exception`` in the parser hides it)."""


@contextlib.contextmanager
def within(seconds):
    """Fail when the block takes longer than ``seconds``: a hang fails instead of blocking."""

    def alarm(_signum, _frame):
        raise _TooSlow(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_zero_width_and_bom_around_a_value_are_removed(char):
    result = parse(f"{char}A1{char}\n{char}{char}\n{char}A2, {char}A3{char}")
    assert result.ok
    assert result.serials == ["A1", "A2", "A3"]
    assert [entry.line for entry in result.entries] == [1, 3, 3]


@pytest.mark.parametrize("char", ["\u200c", "\u200d", "\u2060", "\ufeff"])
def test_zero_width_inside_a_value_is_refused(char):
    """Inside a value an invisible character means the text is not what it looks like."""
    problem = only_problem(parse(f"OK\nA{char}1"), "control_char", 2)
    assert f"U+{ord(char):04X}" in problem.message


@pytest.mark.parametrize(
    "char",
    ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\u202e", "\ufe0f", "\u3164"],
)
def test_control_line_separator_and_invisible_characters_are_refused(char):
    """NUL, other controls, Unicode line and paragraph separators, bidirectional controls,
    variation selectors and fillers: the value is refused, the message names line and code
    point, and the character is shown visibly, never as itself."""
    problem = only_problem(parse(f"A1\nB{char}2, C3"), "control_char", 2)
    assert problem.params["char"] == f"U+{ord(char):04X}"
    assert problem.message.startswith("Line 2: ")
    assert char not in problem.message
    assert parse(f"A1\nB{char}2, C3").serials == ["A1", "C3"]


@pytest.mark.parametrize(
    ("text", "char", "latin"),
    [
        ("\u0405N001", "\u0405", "S"),  # Cyrillic DZE
        ("SN00\u041e1", "\u041e", "O"),  # Cyrillic O
        ("\u0410\u0412123", "\u0410", "A"),  # all Cyrillic, every letter drawn as Latin
        ("\u0391B-7", "\u0391", "A"),  # Greek Alpha
        ("SN\u00b2", "\u00b2", "2"),  # superscript two
        ("SN\u2460", "\u2460", "1"),  # circled one
        ("\U0001d412N1", "\U0001d412", "S"),  # mathematical bold S
    ],
)
def test_lookalikes_are_refused_and_shown(text, char, latin):
    """Not folded into Latin (a serial is exact), not accepted silently: the message names the
    line, the character, its code point and what it looks like."""
    problem = only_problem(parse(f"A1\n{text}"), "lookalike", 2)
    assert f"{char} (U+{ord(char):04X}" in problem.message
    assert f"looks like {latin}" in problem.message
    assert "double quotes" in problem.message
    assert problem.params["lookalikes"][char] == latin


def test_lookalike_range_is_refused_not_read_as_two_prefixes():
    only_problem(parse("SN001-\u0405N003"), "lookalike", 1)


def test_lookalike_in_quotes_is_taken_as_written():
    result = parse('"\u0405N001"')
    assert result.ok
    assert result.serials == ["\u0405N001"]


def test_other_alphabets_are_accepted():
    """A value visibly written in another alphabet is an ordinary serial."""
    text = "\u0411\u0412-12\n\u0391\u0398\u0397\u039d\u0391-01\nSN\u00e91\n\u5e8f\u53f7-9"
    result = parse(text)
    assert result.ok, result.problems
    assert result.serials == text.split("\n")


def test_full_width_forms_are_read_as_ascii():
    """East Asian input methods type full-width forms: ＳＮ０１ is SN01, also in ranges and
    with the full-width comma and semicolon as separators."""
    result = parse("\uff33\uff2e\uff10\uff11\uff0c\uff33\uff2e\uff10\uff12\uff1bsn\uff10\uff13")
    assert result.serials == ["SN01", "SN02", "sn03"]
    assert parse("\uff33\uff2e\uff10\uff11\uff0d\uff33\uff2e\uff10\uff13").serials == [
        "SN01",
        "SN02",
        "SN03",
    ]
    assert parse("SN01, \uff33\uff2e\uff10\uff11").duplicates == {"SN01": [1, 1]}


def test_full_width_quote_is_a_quote():
    only_problem(parse("\uff02SN1-2\uff02"), "bad_quote", 1)


@pytest.mark.parametrize(
    "dash", ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe63"]
)
def test_dashes_are_read_as_hyphens(dash):
    """A word processor writes SN0001–SN0003 with an en dash: it is the range it looks like,
    and AB‑12 with a non-breaking hyphen is AB-12."""
    assert parse(f"SN0001{dash}SN0003").serials == ["SN0001", "SN0002", "SN0003"]
    assert parse(f"SN0001 {dash} SN0002").serials == ["SN0001", "SN0002"]
    assert parse(f"AB{dash}12{dash}34").serials == ["AB-12-34"]


def test_other_spaces_inside_are_read_as_a_space():
    assert parse("AB\u00a012\nAB\u300012\nAB\u202f12").serials == ["AB 12"] * 3


def test_canonically_equivalent_text_is_one_serial():
    """A + combining acute and the precomposed Á are the same serial (NFC)."""
    result = parse("SN\u0041\u0301\nSN\u00c1")
    assert result.serials == ["SN\u00c1", "SN\u00c1"]
    assert result.duplicates == {"SN\u00c1": [1, 2]}


def test_serials_to_text_quotes_names_read_otherwise():
    """Existing serials that typed text would read otherwise come back quoted, unchanged."""
    names = ["\u0405N001", "SN\u201301", "\uff33\uff2e\uff11", "A\u00a0B", "A\uff0cB", "PLAIN"]
    text = sp.serials_to_text(names)
    assert text.splitlines()[-1] == "PLAIN"
    assert parse(text).serials == names
    assert parse(text).ok


def test_formula_like_values_are_ordinary_serials():
    """Formulas are neutralised where a spreadsheet is written, not refused as serials."""
    assert parse("+1\n-1\n@SUM(A1)\n=A1").serials == ["+1", "-1", "@SUM(A1)", "=A1"]
    problems = parse('=HYPERLINK("http://x","y")').problems
    assert problems and all(p.code == "bad_quote" and p.line == 1 for p in problems)


@pytest.mark.parametrize(
    "text",
    [
        "1-999999999999",
        "000000000001-999999999999",
        "SN0000000001-SN9999999999",
        "SN" + "0" * 60 + "-SN" + "9" * 60,
    ],
)
def test_huge_ranges_are_refused_without_being_expanded(text):
    with within(2):
        result = parse(text, max_length=200, max_count=50)
    assert result.serials == []
    assert codes(result) in (["range_too_large"], ["range_width"])
    assert result.problems[0].line == 1
    assert len(result.problems[0].message) < 400, "the count is not written out in full"


def test_expand_range_refuses_a_huge_range_at_once():
    with within(2), pytest.raises(sp.RangeError) as caught:
        sp.expand_range("0" * 900, "9" * 900, max_count=10)
    assert caught.value.code == "range_too_large"
    assert "more than 10^15" in caught.value.message


def test_thousands_of_hyphens_take_linear_time():
    """Each hyphen of a value used to be tried as the middle of a range: 50,000 hyphens took
    seconds (quadratic)."""
    with within(2):
        result = parse("-".join(["1"] * 50_000) + "\n" + " - ".join(["A1"] * 50_000))
    assert codes(result) == ["too_long", "too_long"]


def test_very_long_text():
    with within(5):
        result = parse("X" * 1_000_000 + "\n" + "A1,\n" * 30_000)
    assert codes(result) == ["too_long", "too_many"]
    assert len(result.serials) == sp.MAX_COUNT_DEFAULT


def test_csv_utf16_without_bom():
    text = "Serial\r\nA1\r\nSN\u00e92\r\n"
    assert sp.parse_csv_bytes(text.encode("utf-16-le")).serials == ["A1", "SN\u00e92"]
    assert sp.parse_csv_bytes(text.encode("utf-16-be")).serials == ["A1", "SN\u00e92"]


def test_csv_latin1_and_undefined_cp1252_bytes():
    assert sp.parse_csv_bytes("Serial\nSN\u00e91\n".encode("latin-1")).serials == ["SN\u00e91"]
    # 0x81 is undefined in Windows-1252: read as Latin-1, it is a control character.
    only_problem(sp.parse_csv_bytes(b"Serial\nA1\nB\x812\n"), "control_char", 3)


def test_csv_formulas_and_embedded_newlines():
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [["Serial"], ['=HYPERLINK("http://x","y")'], ["+1"], ["A1\nA2"], ["@SUM(A1)"]]
    )
    result = sp.parse_csv_bytes(buffer.getvalue().encode())
    assert result.serials == ["+1", "@SUM(A1)"]
    assert [(p.code, p.line) for p in result.problems] == [("bad_quote", 2), ("control_char", 4)]


# Hostile pieces joined by hostile separators, for the properties below.
_HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "SN0001-SN0003",
                "SN0004\u2013SN0005",
                "1-999999999999",
                "SN0000000001-SN9999999999",
                "0" * 30 + "-" + "9" * 30,
                "\u0405N001",
                "\u0410\u0412",
                "\uff33\uff2e\uff10\uff18",
                "\ufeffBOM",
                "Z\u200bW",
                "NUL\x00",
                "\x07",
                "\u2028",
                '"Q-1"',
                '"open',
                '=HYPERLINK("a","b")',
                "@SUM(A1)",
                "X" * 200,
                "-".join("1" * 300),
                "(01)09501101530003(21)G1",
                "\x1d",
            ]
        ),
        st.from_regex(r"[A-Z]{0,3}[0-9]{1,5}", fullmatch=True),
        st.text(max_size=10),
    ),
    max_size=12,
).flatmap(
    lambda pieces: st.lists(
        st.sampled_from(["\n", "\r\n", ",", ";", "\t", "\uff0c", " ", "-", ""]),
        min_size=len(pieces),
        max_size=len(pieces),
    ).map(lambda seps: "".join(p + s for p, s in zip(pieces, seps, strict=True)))
)


def _snapshot(result):
    return ([(e.line, e.serial) for e in result.entries], [p.message for p in result.problems])


@given(_HOSTILE, st.integers(1, 60))
def test_hostile_text_properties(text, max_count):
    """Never raises, never more than the limit, never hangs, same result every time, every
    problem names its line, no invisible character in a serial."""
    with within(2):
        result = parse(text, max_count=max_count)
        again = parse(text, max_count=max_count)
    assert _snapshot(result) == _snapshot(again)
    assert len(result.entries) <= max_count
    for problem in result.problems:
        if problem.line:
            assert problem.message.startswith(f"Line {problem.line}: ")
    for entry in result.entries:
        assert entry.serial and len(entry.serial) <= sp.MAX_LENGTH_DEFAULT
        assert not any(sp._is_control(char) for char in entry.serial)
        assert not any(_is_control(char) for char in entry.serial)


@given(st.text(max_size=40), st.text(max_size=40), st.integers(0, 100))
def test_expand_range_raises_only_range_error(start, end, max_count):
    with within(2):
        try:
            serials = sp.expand_range(start, end, max_count=max_count)
        except sp.RangeError as error:
            assert error.code in sp.MESSAGES
            assert error.message
            return
    assert 1 <= len(serials) <= max_count
    assert len(serials) == len(set(serials))
    assert serials[0] == start and serials[-1] == end


@given(
    st.lists(st.lists(_HOSTILE, min_size=1, max_size=3), max_size=10),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"]),
    st.sampled_from([",", ";", "\t"]),
    st.integers(1, 30),
)
def test_hostile_csv_properties(rows, encoding, delimiter, max_count):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    data = buffer.getvalue().encode(encoding, "replace")
    with within(2):
        result = sp.parse_csv_bytes(data, max_count=max_count)
        again = sp.parse_csv_bytes(data, max_count=max_count)
    assert _snapshot(result) == _snapshot(again)
    assert len(result.entries) <= max_count
    assert result.entries or result.problems, "an import always says why nothing came"
    for entry in result.entries:
        assert not any(_is_control(char) for char in entry.serial)
