# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
from unittest.mock import patch

from markupsafe import escape

from odoo.api import Environment
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.serial_messages import GS1_REASON_MESSAGES, PROBLEM_MESSAGES, parser_message
from ..tools import serial_parser
from ..tools.serial_parser import RangeError, expand_range, parse_csv_bytes, parse_rows
from .common import SerialTrackingCase

# One entry per parser message, and per reason a GS1 barcode can be refused for.
BAD_TEXTS = [
    '"A1',  # bad_quote
    "A\x07B",  # control_char
    '""',  # empty_token
    "\u0405N0001",  # lookalike (Cyrillic DZE)
    "\u0405\u0410\u041e\u0415\u04121",  # lookalike, five of them: "2 more"
    "(01)123(21)X",  # gs1_bad: bad_length
    "(10)(21)X",  # gs1_bad: empty_value
    "(01)ABCDEFGHIJKLMN(21)X",  # gs1_bad: not_numeric
    "]C1",  # gs1_bad: syntax
    "]C1ZZ123",  # gs1_bad: unknown_ai
    "(21)%s" % ("X" * 21),  # gs1_bad: value_too_long
    "(01)09501101530003(17)251231",  # gs1_no_serial
    "SN001-SM010",  # range_prefix
    "SN010-SN001",  # range_reversed
    "SN01A-SN03B",  # range_suffix
    "1-999999999999",  # range_too_large
    "SN0000000000000000-SN9999999999999999",  # range_too_large, "more than 10^15"
    "1-100",  # range_width
    "A" * 65,  # too_long
]


@tagged("post_install", "-at_install")
class TestSerialMessages(SerialTrackingCase):
    """The popup shows the parser's problems through Odoo's translations, from their code and
    values: in English word for word what the parser says, in French what fr.po says."""

    def _problems(self):
        """(problem, or RangeError) for every message the parser has, and every GS1 reason."""
        problems = []
        for text in BAD_TEXTS:
            problems += serial_parser.parse_serials(text).problems
        problems += serial_parser.parse_serials("A1\nA2\nA3", max_count=2).problems  # too_many
        problems += serial_parser.parse_serials('"x\n' * 201).problems[-1:]  # too_many_problems
        problems += parse_csv_bytes(b"").problems  # empty_file
        problems += parse_rows([["Colour", "Size"], ["", "red"], ["", "blue"]]).problems
        try:
            expand_range("A", "B")
        except RangeError as error:  # range_no_number: a range only expand_range is given
            problems.append(error)
        return problems

    def test_every_parser_message_is_translatable(self):
        """Every code of the parser, and every GS1 reason, has its Odoo message; the examples
        above produce each of them."""
        self.assertEqual(set(PROBLEM_MESSAGES), set(serial_parser.MESSAGES))
        self.assertEqual(set(GS1_REASON_MESSAGES), set(serial_parser.GS1_REASONS))
        problems = self._problems()
        self.assertEqual({problem.code for problem in problems}, set(serial_parser.MESSAGES))
        self.assertEqual(
            {p.params["reason_code"] for p in problems if p.code == "gs1_bad"},
            set(serial_parser.GS1_REASONS),
        )

    def test_english_as_the_parser_says_it(self):
        """Untranslated, the message shown is the parser's own English, line included."""
        env = self.env(context=dict(self.env.context, lang="en_US"))
        for problem in self._problems():
            with self.subTest(code=problem.code, message=problem.message):
                self.assertEqual(parser_message(env, problem), problem.message)

    def test_broken_translation_shows_english(self):
        """A translation whose placeholders are wrong does not hide the problem: the English
        message is shown, and the broken translation is logged."""
        self.env["res.lang"]._activate_lang("fr_FR")
        env = self.env(context=dict(self.env.context, lang="fr_FR"))
        problem = serial_parser.parse_serials("SN010-SN001").problems[0]
        translate = Environment._

        def broken(self_env, source, *args, **kwargs):
            if self_env.lang == "fr_FR":
                return "la plage %(texte)s est à l'envers"
            return translate(self_env, source, *args, **kwargs)

        with (
            patch.object(Environment, "_", broken),
            self.assertLogs("odoo.addons.serial_tracking.models.serial_messages", "ERROR"),
        ):
            self.assertEqual(parser_message(env, problem), problem.message)

    def test_popup_in_french(self):
        """A French user entering a range backwards reads the French message of fr.po, in the
        preview, when applying, and when the same range comes from a file; the popup's own
        messages about a line start the same way."""
        # Odoo reads i18n/fr.po through i18n/serial_tracking.pot (terms missing from the .pot
        # are dropped): this also fails when the .pot was not exported again.
        self.env["res.lang"]._activate_lang("fr_FR")
        move = self._create_receipt(10).move_ids.with_context(lang="fr_FR")
        french = (
            "Ligne 2 : la plage « SN010-SN001 » est à l'envers : « SN010 » vient après "
            "« SN001 ». Pour la saisir comme un seul numéro de série, mettez-la entre "
            'guillemets droits (").'
        )
        form = self._open_popup(move)
        form.serial_text = "SN020\nSN010-SN001"
        self.assertIn(str(escape(french)), form.preview_html)
        wizard = form.save()
        with self.assertRaises(UserError) as caught:
            wizard.action_apply()
        self.assertIn(french, str(caught.exception))
        self.assertNotIn("goes backwards", str(caught.exception))

        wizard.write(
            {
                "upload_file": base64.b64encode(b"Serial\nSN020\nSN010-SN001\n"),
                "upload_filename": "serials.csv",
            }
        )
        # A file's lines are its rows, heading included: the range is on row 3.
        warning = wizard._onchange_upload_file()["warning"]
        self.assertIn(french.replace("Ligne 2", "Ligne 3"), warning["message"])

        # The popup's own line messages share the translated "Line N:".
        self._put_in_stock(["FR-IN-STOCK"])
        wizard.serial_text = "FR-IN-STOCK"
        errors = wizard._get_errors(wizard._analyse())
        self.assertTrue(errors[0].startswith("Ligne 1 : "), errors)
