# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The add-ons speak French, German and Spanish in Odoo.

Each language is activated and the translations of every installed add-on of the project are
loaded as Odoo loads them (no warning about the files); then the field labels, selection values,
views, messages raised by the code and texts of the web client read as the add-ons' ``.po``
files say. A clerk working in French clicks through the receipt popup in the browser.
(tests_pure/test_translations.py checks the files themselves: complete, no fuzzy entry, same
placeholders.)
"""

from pathlib import Path

import polib

from odoo.exceptions import UserError
from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import code_translations

from .test_tours import SerialTourCase

LANGUAGES = {"fr": "fr_FR", "de": "de_DE", "es": "es_ES"}


def _po(lang, module="serial_tracking"):
    path = Path(get_module_path(module)) / "i18n" / f"{lang}.po"
    return {entry.msgid: entry.msgstr for entry in polib.pofile(str(path))}


def _load_language(env, code, modules):
    env["res.lang"]._activate_lang(code)
    env["ir.module.module"].search(
        [("name", "in", modules), ("state", "=", "installed")]
    )._update_translations(code)


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_every_language_loads_and_is_used(self):
        modules = self.env["ir.module.module"].search(
            [("name", "=like", "serial_tracking%"), ("state", "=", "installed")]
        )
        product = self.env["product.product"].create(
            {"name": "Translated Unit", "is_storable": True, "tracking": "serial"}
        )
        limit = self.env["res.company"]._get_serial_entry_limit()
        for lang, code in LANGUAGES.items():
            with self.subTest(lang=lang):
                with self.assertNoLogs("odoo.tools.translate", "WARNING"):
                    _load_language(self.env, code, modules.mapped("name"))
                po = _po(lang)
                env = self.env(context=dict(self.env.context, lang=code))
                field = env["ir.model.fields"]._get("stock.lot", "serial_state")
                self.assertEqual(field.field_description, po["Serial Status"])
                selection = dict(
                    env["stock.lot"]._fields["serial_state"]._description_selection(env)
                )
                self.assertEqual(selection["returned_to_vendor"], po["Returned to Vendor"])
                arch = env.ref("serial_tracking.serial_entry_wizard_view_form").arch
                self.assertIn(po["Oldest First"], arch)
                # A message raised by the code, in the user's language, placeholders filled.
                with self.assertRaises(UserError) as raised:
                    product.with_env(env).serial_next_names(0)
                expected = po[
                    "Serial numbers of %(product)s can be generated 1 to %(limit)s at a time, "
                    "not %(count)s."
                ] % {"product": product.display_name, "limit": limit, "count": 0}
                self.assertEqual(str(raised.exception), expected)
                # The web client's texts.
                web = code_translations.get_web_translations("serial_tracking", code)
                texts = {message["id"]: message["string"] for message in web["messages"]}
                names = "Serial numbers: %(names)s"
                self.assertEqual(texts[names], po[names])
                # Every project add-on installed has its translations loaded.
                for module in modules:
                    module_po = _po(lang, module.name)
                    python = code_translations.get_python_translations(module.name, code)
                    self.assertTrue(
                        all(python[msgid] == module_po[msgid] for msgid in python),
                        module.name,
                    )


@tagged("post_install", "-at_install")
class TestFrenchTour(SerialTourCase):
    """The receipt popup clicked through by a clerk whose language is French."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _load_language(cls.env, "fr_FR", ["base", "web", "stock", "serial_tracking"])
        cls.clerk.lang = "fr_FR"

    def test_receipt_popup_in_french(self):
        self.start_tour(
            "/odoo/action-stock.action_picking_tree_all/%s" % self.receipt.id,
            "serial_tracking_receipt_popup_fr",
            login=self.clerk.login,
        )
        self.assertEqual(
            self.receipt.move_ids.move_line_ids.mapped("lot_name"),
            ["FR001", "FR002", "FR003", "FR004"],
        )
