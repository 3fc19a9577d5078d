# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two transactions at the same moment: each runs in its own database cursor (as two Odoo workers
do), on data committed beforehand and removed afterwards."""

import threading
import time

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import ValidationError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, Form, tagged
from odoo.tests.common import get_db_name

from ..models.stock_lot import LOT_UNIQUE_INDEX
from .common import SerialTrackingCase

# How long the first transaction stays open after the second one started (the second one waits
# on the database for it meanwhile).
HOLD = 0.5


@tagged("post_install", "-at_install")
class TestConcurrency(BaseCase):
    """Uniqueness of serials and disjoint numbering under concurrent transactions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            product = env["product.product"].create(
                {"name": "Concurrent Widget", "is_storable": True, "tracking": "serial"}
            )
            product.write({"serial_prefix": "C", "serial_padding": 5})
            product.serial_next_names(1)  # the counter exists, as after the first use
            vendor = env["res.partner"].create({"name": "Concurrent Vendor"})
            cls.product_id, cls.template_id = product.id, product.product_tmpl_id.id
            cls.vendor_id = vendor.id
        cls.addClassCleanup(cls._remove_data)

    @classmethod
    def _remove_data(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            product = env["product.product"].browse(cls.product_id)
            orders = env["purchase.order"].search([("partner_id", "=", cls.vendor_id)])
            orders.button_cancel()
            orders.unlink()
            env["stock.lot"].search([("product_id", "=", cls.product_id)]).unlink()
            sequences = env["ir.sequence"].search(
                [("code", "=", "serial_tracking.product.%s" % cls.template_id)]
            )
            product.unlink()
            env["product.template"].browse(cls.template_id).unlink()
            sequences.unlink()
            env["res.partner"].browse(cls.vendor_id).unlink()

    def _lots(self, name):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM stock_lot WHERE product_id = %s AND name = %s",
                [self.product_id, name],
            )
            return cr.fetchone()[0]

    def _race(self, first, second, first_commits=True):
        """Run ``first(env)`` in one transaction and, while it is still open, ``second(env)`` in
        another; ``first`` then commits (or rolls back). Returns (outcome of first, outcome of
        second, whether second had to wait for first): an outcome is the result or the
        exception."""
        outcomes = {}
        first_done = threading.Event()
        second_started = threading.Event()
        released = {}

        def run_first():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    try:
                        outcomes["first"] = first(env)
                    finally:
                        first_done.set()
                    second_started.wait(timeout=10)
                    time.sleep(HOLD)  # the second transaction is now blocked on the first
                    released["at"] = time.monotonic()
                    if not first_commits:
                        cr.rollback()
            except Exception as error:  # reported to the test
                outcomes["first"] = error

        def run_second():
            first_done.wait(timeout=10)
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    second_started.set()
                    try:
                        outcomes["second"] = second(env)
                    finally:
                        outcomes["second_done_at"] = time.monotonic()
            except Exception as error:  # reported to the test
                outcomes["second"] = error

        threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertIn("at", released, "the first transaction ran to its end")
        waited = outcomes.get("second_done_at", 0) >= released["at"]
        return outcomes.get("first"), outcomes.get("second"), waited

    def _create_lot(self, name):
        def create(env):
            return env["stock.lot"].create({"name": name, "product_id": self.product_id}).id

        return create

    # ------------------------------------------------------------------
    # One serial per product and company, held by the database
    # ------------------------------------------------------------------

    def test_unique_index_exists(self):
        with self.registry.cursor() as cr:
            cr.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [LOT_UNIQUE_INDEX])
            definition = cr.fetchone()[0]
        self.assertIn("UNIQUE", definition)
        self.assertIn("COALESCE(company_id, 0)", definition)

    def test_same_serial_in_two_transactions_exactly_one_succeeds(self):
        first, second, waited = self._race(self._create_lot("RACE-1"), self._create_lot("RACE-1"))
        self.assertIsInstance(first, int, "the first transaction created the serial")
        self.assertTrue(waited, "the second transaction waited for the first one")
        self.assertIsInstance(second, ValidationError)
        self.assertIn("RACE-1", str(second), "the message names the serial")
        self.assertIn("Concurrent Widget", str(second), "and the product")
        self.assertEqual(self._lots("RACE-1"), 1)

    def test_second_transaction_succeeds_when_the_first_rolls_back(self):
        first, second, waited = self._race(
            self._create_lot("RACE-2"), self._create_lot("RACE-2"), first_commits=False
        )
        self.assertIsInstance(first, int)
        self.assertTrue(waited)
        self.assertIsInstance(second, int, "the serial was free again")
        self.assertEqual(self._lots("RACE-2"), 1)

    def test_renaming_to_a_serial_created_meanwhile_is_refused(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            lot_id = env["stock.lot"].create({"name": "RACE-3a", "product_id": self.product_id}).id

        def rename(env):
            env["stock.lot"].browse(lot_id).name = "RACE-3"
            return True

        first, second, waited = self._race(self._create_lot("RACE-3"), rename)
        self.assertIsInstance(first, int)
        self.assertTrue(waited)
        self.assertIsInstance(second, ValidationError)
        self.assertIn("RACE-3", str(second))
        self.assertEqual(self._lots("RACE-3"), 1)
        self.assertEqual(self._lots("RACE-3a"), 1, "the renamed serial kept its name")

    def test_two_clerks_entering_the_same_serial_on_purchase_lines(self):
        """Both popups check the entry against what their transaction sees (nothing yet);
        the database still lets only one of them create the serial."""

        def enter(env):
            order = env["purchase.order"].create(
                {
                    "partner_id": self.vendor_id,
                    "order_line": [
                        Command.create({"product_id": self.product_id, "product_qty": 2})
                    ],
                }
            )
            line = order.order_line
            action = line.action_open_serial_entry()
            form = Form(env["serial.entry.wizard"].with_context(**action["context"]))
            form.serial_text = "RACE-4\nRACE-5"
            form.save().action_apply()
            return line.serial_ids.mapped("name")

        first, second, waited = self._race(enter, enter)
        self.assertEqual(sorted(first), ["RACE-4", "RACE-5"])
        self.assertTrue(waited)
        self.assertIsInstance(second, ValidationError)
        self.assertIn("RACE-4", str(second))
        self.assertEqual(self._lots("RACE-4"), 1)
        self.assertEqual(self._lots("RACE-5"), 1)

    # ------------------------------------------------------------------
    # Numbering rules
    # ------------------------------------------------------------------

    def test_two_transactions_get_disjoint_names(self):
        def reserve(env):
            return env["product.product"].browse(self.product_id).serial_next_names(50)

        first, second, _waited = self._race(reserve, reserve)
        self.assertEqual(len(first), 50)
        self.assertEqual(len(second), 50)
        self.assertFalse(set(first) & set(second))

    def test_two_transactions_create_the_generated_names(self):
        """Names handed out and created as serials at once, in both transactions: all of them
        exist, once each."""

        def generate(env):
            product = env["product.product"].browse(self.product_id)
            names = product.serial_next_names(20)
            env["stock.lot"].create([{"name": name, "product_id": product.id} for name in names])
            return names

        first, second, _waited = self._race(generate, generate)
        self.assertEqual(len(set(first) | set(second)), 40)
        for name in first[:1] + second[:1]:
            self.assertEqual(self._lots(name), 1)


@tagged("post_install", "-at_install")
class TestSerialUniqueness(SerialTrackingCase):
    """The same serial of a product exists once per company, with a message naming it."""

    def _create(self, names, company=None, product=None):
        return self.env["stock.lot"].create(
            [
                {
                    "name": name,
                    "product_id": (product or self.product).id,
                    "company_id": (company or self.company).id,
                }
                for name in names
            ]
        )

    def test_existing_serial_is_refused_by_name(self):
        self._create(["UQ-1"])
        with self.assertRaises(ValidationError) as caught:
            self._create(["UQ-2", "UQ-1"])
        self.assertIn("UQ-1 of Serial Widget", str(caught.exception))
        self.assertNotIn("UQ-2", str(caught.exception))
        self.assertFalse(self.env["stock.lot"].search([("name", "=", "UQ-2")]), "nothing saved")

    def test_same_serial_twice_in_one_batch_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self._create(["UQ-3", "UQ-3"])
        self.assertIn("UQ-3 of Serial Widget", str(caught.exception))

    def test_same_serial_in_another_company_or_product_is_allowed(self):
        other = self.env["product.product"].create(
            {"name": "Other Widget", "is_storable": True, "tracking": "serial"}
        )
        lots = self._create(["UQ-4"]) | self._create(["UQ-4"], company=self.company_b)
        lots |= self._create(["UQ-4"], product=other)
        self.assertEqual(len(lots), 3)

    def test_company_less_serials_are_unique_too(self):
        shared = self.env["stock.lot"].create({"name": "UQ-5", "product_id": self.product.id})
        self.assertFalse(shared.company_id)
        with self.assertRaises(ValidationError):
            self.env["stock.lot"].create({"name": "UQ-5", "product_id": self.product.id})

    def test_renaming_onto_an_existing_serial_is_refused(self):
        first, second = self._create(["UQ-6", "UQ-7"])
        with self.assertRaises(ValidationError) as caught:
            second.name = "UQ-6"
        self.assertIn("UQ-6", str(caught.exception))
        self.assertEqual(first.name, "UQ-6")
