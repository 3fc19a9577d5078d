# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The seams: one status refresh per operation, and the popup serving targets it does not know
by name."""

from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import SerialSaleCase


@tagged("post_install", "-at_install")
class TestSeams(SerialSaleCase):
    def _count_refreshes(self):
        Status = type(self.env["serial.status"])
        calls = []
        refresh = Status.refresh

        def counting(status, lots):
            calls.append(set(lots.ids))
            return refresh(status, lots)

        return calls, patch.object(Status, "refresh", counting)

    def test_a_validation_refreshes_its_serials_once(self):
        receipt = self._create_receipt(3)
        receipt.move_ids._set_serial_names(["SEAM-1", "SEAM-2", "SEAM-3"])
        calls, counting = self._count_refreshes()
        with counting:
            self._validate(receipt)
        lots = receipt.move_line_ids.lot_id
        self.assertEqual(calls, [set(lots.ids)])
        self.assertEqual(set(lots.mapped("serial_state")), {"in_stock"})

    def test_a_reservation_refreshes_its_serials_once(self):
        lots = self._put_in_stock(["SEAM-R1", "SEAM-R2", "SEAM-R3"])
        order = self._order(3)
        calls, counting = self._count_refreshes()
        with counting:
            order.action_confirm()
        self.assertEqual(len([call for call in calls if call & set(lots.ids)]), 1)
        self.assertEqual(set(lots.mapped("serial_state")), {"reserved"})

    def test_batches_nest_and_refresh_when_the_outer_one_ends(self):
        lots = self._put_in_stock(["SEAM-N1", "SEAM-N2"])
        Status = self.env["serial.status"]
        calls, counting = self._count_refreshes()
        with counting, Status.batch():
            with Status.batch(lots[:1]):
                Status.touch(lots[1:])
            self.assertEqual(calls, [], "nothing refreshed before the outer batch ends")
        self.assertEqual(calls, [set(lots.ids)])

    def test_a_failed_batch_refreshes_nothing(self):
        lots = self._put_in_stock(["SEAM-F1"])
        Status = self.env["serial.status"]
        calls, counting = self._count_refreshes()
        with counting, self.assertRaises(UserError), Status.batch(lots):
            raise UserError(self.env._("stop"))
        self.assertEqual(calls, [])
        # The next operation is not caught in the failed batch.
        with counting:
            Status.touch(lots)
        self.assertEqual(calls, [set(lots.ids)])

    def test_the_popup_opens_on_an_operation_by_its_target_model(self):
        self._put_in_stock(["SEAM-S1", "SEAM-S2"])
        form = Form(
            self.env["serial.entry.wizard"].with_context(
                default_target_model="serial.entry.scrap", default_product_id=self.product.id
            )
        )
        self.assertEqual(form.mode, "scrap")
        form.serial_text = "SEAM-S1\nSEAM-NONE"
        self.assertEqual(form.invalid_count, 1)
        form.serial_text = "SEAM-S1"
        form.save().action_apply()
        lot = self.env["stock.lot"].search([("name", "=", "SEAM-S1")])
        self.assertEqual(lot.serial_state, "scrapped")

    def test_the_popup_refuses_a_model_that_is_not_a_target(self):
        with self.assertRaisesRegex(UserError, "cannot be opened on res.partner"):
            self.env["serial.entry.wizard"].create(
                {
                    "target_model": "res.partner",
                    "target_id": self.customer.id,
                    "product_id": self.product.id,
                }
            )

    def test_another_companys_target_is_refused_however_it_is_given(self):
        receipt_b = self._create_receipt(1, warehouse=self.warehouse_b)
        clerk_env = self.env(
            user=self.stock_user, context={"allowed_company_ids": self.company.ids}
        )
        Wizard = clerk_env["serial.entry.wizard"]
        target = {"target_model": "stock.move", "target_id": receipt_b.move_ids.id}
        with self.assertRaises(AccessError):
            Wizard.with_context(
                **{"default_" + name: value for name, value in target.items()}
            ).default_get(["serial_text"])
        with self.assertRaises(AccessError):
            Wizard.create(dict(target, product_id=self.product.id, serial_text="B-1"))
