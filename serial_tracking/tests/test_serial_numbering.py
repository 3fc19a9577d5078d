# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from ..tools.serial_parser import RANDOM_ALPHABET, parse_serials
from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestSerialNumbering(SerialTrackingCase):
    """The numbering rule of a serial-tracked product and serial_next_names()."""

    def test_sequential_names_follow_the_rule(self):
        """Prefix, padding, suffix and the next number make the names; the counter moves on."""
        self.product.write({"serial_prefix": "SN-", "serial_padding": 4, "serial_suffix": "-A"})
        names = self.product.serial_next_names(3)
        self.assertEqual(names, ["SN-0001-A", "SN-0002-A", "SN-0003-A"])
        self.assertEqual(self.product.serial_next_number, 4)
        self.assertEqual(self.product.serial_example, "SN-0004-A")
        self.product.serial_next_number = 120
        self.assertEqual(self.product.serial_next_names(2), ["SN-0120-A", "SN-0121-A"])

    def test_rule_defaults(self):
        """A new product numbers sequentially; random names have 10 characters by default."""
        self.assertEqual(self.product.serial_generation, "sequential")
        self.assertEqual(self.product.serial_random_length, 10)
        self.assertEqual(self.product.serial_next_names(1), ["1"])

    def test_generated_names_parse_back_as_a_range(self):
        self.product.write({"serial_prefix": "LOT", "serial_padding": 6})
        names = self.product.serial_next_names(25)
        self.assertEqual(parse_serials("%s-%s" % (names[0], names[-1])).serials, names)

    def test_existing_serials_are_skipped(self):
        """A name already used by a serial of this product in this company is never handed out."""
        self.product.write({"serial_prefix": "X", "serial_padding": 3})
        self.env["stock.lot"].create(
            [
                {"name": name, "product_id": self.product.id, "company_id": self.env.company.id}
                for name in ("X002", "X003")
            ]
        )
        self.assertEqual(self.product.serial_next_names(3), ["X001", "X004", "X005"])

    def test_rule_and_counter_per_company(self):
        """A product shared by two companies numbers its serials by each company's rule."""
        product_a = self.product.with_company(self.company)
        product_b = self.product.with_company(self.company_b)
        product_a.write({"serial_prefix": "A-", "serial_padding": 2})
        product_b.write({"serial_prefix": "B-", "serial_padding": 3})
        product_b.serial_next_number = 50
        self.assertEqual(product_a.serial_next_names(2), ["A-01", "A-02"])
        self.assertEqual(product_b.serial_next_names(2), ["B-050", "B-051"])
        self.assertEqual(product_a.serial_next_names(1), ["A-03"])
        self.assertEqual(product_a.serial_prefix, "A-")
        self.assertEqual(product_b.serial_prefix, "B-")
        self.assertNotEqual(product_a.serial_sequence_id, product_b.serial_sequence_id)
        self.assertEqual(product_b.serial_sequence_id.company_id, self.company_b)

    def test_random_names(self):
        """Random names: fixed length, no look-alike characters, unique."""
        self.product.write(
            {"serial_generation": "random", "serial_random_length": 8, "serial_prefix": "R"}
        )
        names = self.product.serial_next_names(200)
        self.assertEqual(len(set(names)), 200)
        for name in names:
            self.assertEqual(len(name), 9)
            self.assertTrue(name.startswith("R"))
            self.assertTrue(set(name[1:]) <= set(RANDOM_ALPHABET), name)
            self.assertFalse(set(name[1:]) & set("0O1IL"), name)

    def test_random_names_never_collide_with_existing(self):
        """When a drawn name exists already, another one is drawn instead."""
        self.product.write({"serial_generation": "random", "serial_random_length": 4})
        self.env["stock.lot"].create({"name": "AAAA", "product_id": self.product.id})
        draws = iter(["AAAA", "CCCC", "DDDD"])
        with patch(
            "odoo.addons.serial_tracking.models.product_product.random_serial",
            side_effect=lambda length, rng: next(draws),
        ):
            names = self.product.serial_next_names(2)
        self.assertEqual(sorted(names), ["CCCC", "DDDD"])

    def test_bad_requests(self):
        with self.assertRaisesRegex(UserError, "1 to 10000 at a time, not 0"):
            self.product.serial_next_names(0)
        with self.assertRaisesRegex(UserError, "not 10001"):
            self.product.serial_next_names(10001)
        lot_product = self.env["product.product"].create(
            {"name": "Lot Widget", "is_storable": True, "tracking": "lot"}
        )
        with self.assertRaisesRegex(UserError, "Lot Widget is not tracked by serial number"):
            lot_product.serial_next_names(1)
        with self.assertRaisesRegex(ValidationError, "must be 1 or more"):
            self.product.serial_next_number = -5
        self.product.write({"serial_generation": "random", "serial_random_length": 1})
        with self.assertRaisesRegex(UserError, "make them longer"):
            self.product.serial_next_names(20)
        with self.assertRaisesRegex(ValidationError, "between 0 and 30"):
            self.product.serial_padding = 31

    def test_product_form_shows_rule_for_serial_products_only(self):
        """The rule sits on the product form's Inventory tab, for serial-tracked products."""
        with Form(self.env["product.template"]) as form:
            form.name = "Rule Device"
            form.is_storable = True
            form.tracking = "serial"
            form.serial_prefix = "RD-"
            form.serial_padding = 5
            self.assertEqual(form.serial_example, "RD-00001")
        template = form.record
        self.assertEqual(template.product_variant_id.serial_next_names(1), ["RD-00001"])
        with Form(template) as form:
            form.tracking = "lot"
            with self.assertRaises(AssertionError):  # the rule is hidden for lot tracking
                form.serial_prefix = "NO"
