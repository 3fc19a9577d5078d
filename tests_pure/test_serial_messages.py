"""Every message the serial parser can produce has its translatable text in the add-on.

``serial_tracking/models/serial_messages.py`` imports Odoo, so it is read here as source (its
``_lt("...")`` literals), not imported: no Odoo needed. The Odoo side (the text actually shown,
in English and in French) is tested in ``serial_tracking/tests/test_serial_messages.py``.
"""

import ast
import importlib.util
import string
import sys
from pathlib import Path

import pytest

_ADDON = Path(__file__).resolve().parents[1] / "serial_tracking"
_PARSER_PATH = _ADDON / "tools" / "serial_parser.py"
_MESSAGES_PATH = _ADDON / "models" / "serial_messages.py"

_SPEC = importlib.util.spec_from_file_location("serial_tracking_pure_parser_msgs", _PARSER_PATH)
sp = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = sp  # dataclasses look their module up in sys.modules
_SPEC.loader.exec_module(sp)


def _lazy_texts(path, name):
    """{key: source text} of the dict literal ``name = {key: _lt("..."), ...}`` in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and [target.id for target in node.targets if isinstance(target, ast.Name)] == [name]
            and isinstance(node.value, ast.Dict)
        ):
            texts = {}
            for key, value in zip(node.value.keys, node.value.values, strict=True):
                assert isinstance(value, ast.Call) and value.func.id == "_lt", ast.dump(value)
                assert len(value.args) == 1 and not value.keywords, "no values in the _lt() call"
                assert isinstance(value.args[0], ast.Constant), "a literal, so Odoo exports it"
                texts[key.value] = value.args[0].value
            return texts
    raise AssertionError(f"{name} not found in {path}")


def _codes_raised(function_names):
    """First (string literal) arguments of the parser's calls to ``function_names``."""
    tree = ast.parse(_PARSER_PATH.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name in function_names and isinstance(node.args[0], ast.Constant):
            found.add(node.args[0].value)
    return found


PROBLEM_TEXTS = _lazy_texts(_MESSAGES_PATH, "PROBLEM_MESSAGES")
GS1_TEXTS = _lazy_texts(_MESSAGES_PATH, "GS1_REASON_MESSAGES")


def _as_odoo_text(template):
    """A parser template ("{name}") written as Odoo's named placeholders ("%(name)s")."""
    parts = []
    for literal, field_name, spec, conversion in string.Formatter().parse(template):
        assert not spec and not conversion, template
        parts.append(literal.replace("%", "%%"))
        if field_name is not None:
            parts.append("%%(%s)s" % field_name)
    return "".join(parts)


def test_every_code_has_a_translatable_message():
    assert set(PROBLEM_TEXTS) == set(sp.MESSAGES)
    assert set(GS1_TEXTS) == set(sp.GS1_REASONS)


def test_every_code_the_parser_raises_has_a_message():
    """A code written in the parser but missing from MESSAGES would have no text at all."""
    raised = _codes_raised({"problem", "_make_problem", "_range_error"})
    assert raised and raised <= set(sp.MESSAGES)
    assert _codes_raised({"_Gs1Error"}) <= set(sp.GS1_REASONS)


@pytest.mark.parametrize(
    ("texts", "templates"),
    [(PROBLEM_TEXTS, sp.MESSAGES), (GS1_TEXTS, sp.GS1_REASONS)],
    ids=["problems", "gs1_reasons"],
)
def test_same_placeholders_and_words_as_the_parser(texts, templates):
    """The source text is the parser's English, word for word: untranslated, a user reads what
    the parser's own tests check; and every value the message names is filled."""
    for code, template in templates.items():
        assert _as_odoo_text(template) == texts[code], code
