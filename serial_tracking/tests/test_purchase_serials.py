# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestPurchaseSerials(SerialTrackingCase):
    """Serials announced on purchase order lines: popup, receipt pre-filling, reconciliation,
    backorders, cost, returns to the vendor, bills, cancellation and reduction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = cls._create_user(
            "serial_buyer_a",
            "Buyer and Clerk A",
            ["purchase.group_purchase_user", "stock.group_stock_user"],
        )
        cls.buyer_only = cls._create_user(
            "serial_buyer_only_a", "Buyer Without Inventory A", ["purchase.group_purchase_user"]
        )

    def _order(self, quantity, company=None, price=250.0, product=None, uom=None):
        company = company or self.company
        line_vals = {
            "product_id": (product or self.product).id,
            "product_qty": quantity,
            "price_unit": price,
        }
        if uom:
            line_vals["product_uom"] = uom.id
        return (
            self.env["purchase.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": self.vendor.id,
                    "company_id": company.id,
                    "order_line": [Command.create(line_vals)],
                }
            )
        )

    def _open(self, line, user=None):
        return self._open_popup(line, user=user)

    def _announce(self, line, text, user=None):
        form = self._open(line, user=user)
        form.serial_text = text
        form.save().action_apply()

    def _apply_error(self, line, text):
        return self._popup_error(line, text, lambda: line.serial_ids.sorted("id").mapped("name"))

    def _return(self, picking, quantity):
        return self._return_lots(picking, self.env["stock.lot"], quantity=quantity)

    @staticmethod
    def _names(lines):
        return [ml.lot_id.name or ml.lot_name for ml in lines]

    def _validate(self, picking, backorder=True):
        """Validate as the button does, answering the backorder question."""
        result = picking.button_validate()
        if isinstance(result, dict) and result.get("res_model") == "stock.backorder.confirmation":
            wizard = Form(
                self.env["stock.backorder.confirmation"].with_context(**result["context"])
            ).save()
            if backorder:
                wizard.process()
            else:
                wizard.process_cancel_backorder()
        return picking

    # ------------------------------------------------------------------
    # End to end
    # ------------------------------------------------------------------

    def test_order_to_receipt_backorder_return_and_cancel(self):
        """Range and pasted list on the line → confirm → receipt pre-filled → partial receipt
        and backorder → status, links, cost → return to the vendor → the rest cancelled."""
        order = self._order(5)
        line = order.order_line
        self.assertEqual(line.serial_count_label, "0 / 5 serials")
        form = self._open(line, user=self.buyer)
        self.assertEqual(form.mode, "purchase")
        self.assertEqual(form.quantity, 5)
        self.assertEqual(form.counter, "0 / 5 serials")
        form.serial_text = "PS-001-PS-003\nLA-1\tLA-2"  # a range, then two spreadsheet cells
        self.assertEqual(form.counter, "5 / 5 serials")
        self.assertEqual(form.new_count, 5)
        form.save().action_apply()

        lots = line.serial_ids.sorted("id")
        self.assertEqual(lots.mapped("name"), ["PS-001", "PS-002", "PS-003", "LA-1", "LA-2"])
        self.assertEqual(set(lots.mapped("serial_state")), {"expected"})
        self.assertEqual(lots.company_id, self.company)
        self.assertTrue(all(lots.mapped("serial_announced")))
        self.assertEqual(line.serial_count_label, "5 / 5 serials")

        # Reopening shows what was announced.
        self.assertEqual(
            self._open(line).serial_text.splitlines(),
            ["PS-001", "PS-002", "PS-003", "LA-1", "LA-2"],
        )

        order.button_confirm()
        receipt = order.picking_ids
        move = receipt.move_ids
        self.assertEqual(
            self._names(move.move_line_ids), ["PS-001", "PS-002", "PS-003", "LA-1", "LA-2"]
        )
        self.assertEqual(move.move_line_ids.lot_id, lots, "the announced serials themselves")
        self.assertEqual(set(move.move_line_ids.mapped("quantity")), {1})
        self.assertEqual(set(lots.mapped("serial_state")), {"expected"})
        self.assertTrue(receipt.serial_show_reconciliation)
        self.assertIn("<td>5</td><td>5</td>", receipt.serial_reconciliation_html)

        # Partial receipt: three units came; the other two go to a backorder.
        move.move_line_ids[:3].picked = True
        self._validate(receipt)
        self.assertEqual(receipt.state, "done")
        received = lots[:3]
        self.assertEqual(set(received.mapped("serial_state")), {"in_stock"})
        self.assertEqual(received.serial_vendor_id, self.vendor)
        self.assertEqual(received.purchase_line_id, line)
        self.assertEqual(received.mapped("serial_unit_cost"), [250.0] * 3)
        self.assertTrue(all(received.mapped("serial_receipt_date")))
        self.assertEqual(set(lots[3:].mapped("serial_state")), {"expected"})
        self.assertIn("LA-1", receipt.serial_reconciliation_html, "listed as missing")

        backorder = receipt.backorder_ids
        self.assertEqual(len(backorder), 1)
        self.assertEqual(self._names(backorder.move_line_ids), ["LA-1", "LA-2"])

        # Return one unit to the vendor: Odoo reserves a serial received on that receipt.
        vendor_return = self._return(receipt, 1)
        self.assertIn(vendor_return.move_line_ids.lot_id, received)
        returned = vendor_return.move_line_ids.lot_id
        self.assertEqual(returned.serial_state, "reserved")
        vendor_return.move_ids.picked = True
        self._validate(vendor_return)
        self.assertEqual(returned.serial_state, "returned_to_vendor")
        self.assertEqual(returned.holder_partner_id, self.vendor)

        # The rest will not come: the backorder is cancelled, the expected serials stay
        # visible until the line is reduced to what was kept.
        backorder.action_cancel()
        self.assertEqual(set(lots[3:].mapped("serial_state")), {"expected"})
        with self.assertRaises(UserError), self.env.cr.savepoint():
            line.product_qty = 1  # below the 2 kept of the 3 received (Odoo's own rule)
        line.product_qty = 3
        self.assertEqual(lots[3:].exists(), lots[3], "one unit is still due: the last goes")
        line.product_qty = 2
        self.assertFalse(lots[3:].exists())
        self.assertEqual(line.serial_ids, received)
        chatter = " ".join(order.message_ids.mapped("body"))
        self.assertIn("removed because the ordered quantity was reduced:<br>LA-1", chatter)
        self.assertIn("removed because the ordered quantity was reduced:<br>LA-2", chatter)

    def test_scanned_extra_serial_and_reconciliation(self):
        """A serial scanned at the receipt that was not announced is accepted; the receipt shows
        which announced one is missing and which is extra; the missing one is dropped once
        the line is received in full."""
        order = self._order(3)
        line = order.order_line
        self._announce(line, "EX-1\nEX-2\nEX-3")
        order.button_confirm()
        receipt = order.picking_ids
        last = receipt.move_line_ids.filtered(lambda ml: ml.lot_id.name == "EX-3")
        last.lot_name = "SURPRISE-9"  # typed over the pre-filled serial
        self.assertFalse(last.lot_id, "the typed serial replaces the pre-filled one")
        html = receipt.serial_reconciliation_html
        self.assertIn(
            "<td class='o_serial_missing'><span class=\"badge text-bg-warning\">EX-3", html
        )
        self.assertIn(
            "<td class='o_serial_extra'><span class=\"badge text-bg-info\">SURPRISE-9", html
        )

        receipt.move_ids.picked = True
        self._validate(receipt)
        surprise = self.env["stock.lot"].search(
            [("name", "=", "SURPRISE-9"), ("product_id", "=", self.product.id)]
        )
        self.assertEqual(surprise.serial_state, "in_stock")
        self.assertEqual(surprise.purchase_line_id, line)
        self.assertFalse(surprise.serial_announced)
        self.assertEqual(sorted(line.serial_ids.mapped("name")), ["EX-1", "EX-2", "SURPRISE-9"])
        self.assertEqual(line.serial_count_label, "3 / 3 serials")
        self.assertIn("EX-3", order.message_ids[:1].body)

    def test_changing_announced_serials_updates_the_receipt(self):
        order = self._order(3)
        line = order.order_line
        self._announce(line, "CH-1\nCH-2")
        order.button_confirm()
        receipt = order.picking_ids
        self.assertEqual(
            self._names(receipt.move_line_ids),
            ["CH-1", "CH-2", False],
            "the third unit is still due, after the named ones",
        )
        self._announce(line, "CH-1\nCH-3\nCH-4")
        self.assertEqual(sorted(line.serial_ids.mapped("name")), ["CH-1", "CH-3", "CH-4"])
        self.assertEqual(sorted(self._names(receipt.move_line_ids)), ["CH-1", "CH-3", "CH-4"])
        self.assertFalse(
            self.env["stock.lot"].search(
                [("name", "=", "CH-2"), ("product_id", "=", self.product.id)]
            )
        )

    def test_receipt_popup_keeps_announced_serials(self):
        """The popup on the receipt starts from the pre-filled serials and can complete them."""
        order = self._order(3)
        self._announce(order.order_line, "RP-1\nRP-2")
        order.button_confirm()
        move = order.picking_ids.move_ids
        form = Form(
            self.env["serial.entry.wizard"].with_context(
                **move.action_open_serial_entry()["context"]
            )
        )
        self.assertEqual(form.serial_text.splitlines(), ["RP-1", "RP-2"])
        self.assertEqual(form.known_count, 2)
        form.serial_text = "RP-1\nRP-2\nRP-3"
        form.save().action_apply()
        self.assertEqual(self._names(move.move_line_ids), ["RP-1", "RP-2", "RP-3"])
        move.picked = True
        self._validate(order.picking_ids)
        self.assertEqual(set(order.order_line.serial_ids.mapped("serial_state")), {"in_stock"})
        self.assertEqual(len(order.order_line.serial_ids), 3)

    # ------------------------------------------------------------------
    # Cancel, reduce, delete
    # ------------------------------------------------------------------

    def test_cancel_order_removes_expected_serials(self):
        order = self._order(2)
        self._announce(order.order_line, "CX-1, CX-2")
        order.button_confirm()
        lots = order.order_line.serial_ids
        order.button_cancel()
        self.assertFalse(lots.exists())
        self.assertEqual(order.picking_ids.state, "cancel")
        self.assertIn("CX-1", order.message_ids[:1].body)
        self.assertIn("cancelled", order.message_ids[:1].body)

    def test_reduce_confirmed_line_drops_last_announced(self):
        order = self._order(4)
        line = order.order_line
        self._announce(line, "RD-1-RD-4")
        order.button_confirm()
        line.product_qty = 2
        self.assertEqual(line.serial_ids.sorted("id").mapped("name"), ["RD-1", "RD-2"])
        receipt_names = self._names(order.picking_ids.move_ids.move_line_ids)
        self.assertNotIn("RD-3", receipt_names)
        self.assertNotIn("RD-4", receipt_names)
        self.assertEqual(order.picking_ids.move_ids.product_uom_qty, 2)

    def test_reduce_and_delete_draft_line(self):
        order = self._order(3)
        line = order.order_line
        self._announce(line, "DL-1\nDL-2\nDL-3")
        line.product_qty = 1
        self.assertEqual(line.serial_ids.mapped("name"), ["DL-1"])
        lots = line.serial_ids
        line.unlink()
        self.assertFalse(lots.exists())
        self.assertIn("DL-1", order.message_ids[:1].body)

    # ------------------------------------------------------------------
    # Bills, cost
    # ------------------------------------------------------------------

    def test_vendor_bill_lines_show_received_serials(self):
        self.env["account.chart.template"].try_loading(
            "generic_coa", company=self.company, install_demo=False
        )
        order = self._order(3)
        self._announce(order.order_line, "BL-1\nBL-2\nBL-3")
        order.button_confirm()
        receipt = order.picking_ids
        receipt.move_line_ids.filtered(lambda ml: ml.lot_id.name != "BL-3").picked = True
        self._validate(receipt)
        order.action_create_invoice()
        bill = order.invoice_ids
        bill_line = bill.invoice_line_ids.filtered("purchase_line_id")
        self.assertEqual(bill_line.serial_names, "BL-1, BL-2", "received ones only")
        self.assertEqual(bill_line.serial_ids.mapped("name"), ["BL-1", "BL-2"])

    def test_unit_cost_in_company_currency_and_per_lot_valuation(self):
        """The unit cost is the line's price in the company's currency; a product valued per
        serial keeps Odoo's own per-lot cost."""
        currency = (
            self.env["res.currency"].with_context(active_test=False).search([("name", "=", "EUR")])
        )
        currency.active = True
        company_currency = self.company.currency_id
        self.assertNotEqual(currency, company_currency)
        self.env["res.currency.rate"].create(
            {
                "name": fields.Date.today(),
                "rate": 2.0,  # 2 EUR for 1 unit of the company's currency
                "currency_id": currency.id,
                "company_id": self.company.id,
            }
        )
        order = self._order(1, price=500.0)
        order.currency_id = currency
        self._announce(order.order_line, "FX-1")
        order.button_confirm()
        order.picking_ids.move_ids.picked = True
        self._validate(order.picking_ids)
        self.assertAlmostEqual(order.order_line.serial_ids.serial_unit_cost, 250.0)

        category = self.env["product.category"].create(
            {"name": "Average cost", "property_cost_method": "average"}
        )
        valued = self.env["product.product"].create(
            {
                "name": "Valued per serial",
                "is_storable": True,
                "tracking": "serial",
                "standard_price": 100,
                "categ_id": category.id,
                "lot_valuated": True,
            }
        )
        order = self._order(2, product=valued, price=180.0)
        self._announce(order.order_line, "LV-1\nLV-2")
        order.button_confirm()
        order.picking_ids.move_ids.picked = True
        self._validate(order.picking_ids)
        lots = order.order_line.serial_ids.with_company(self.company)
        self.assertEqual(lots.mapped("standard_price"), [180.0, 180.0])
        self.assertEqual(lots.mapped("serial_unit_cost"), [180.0, 180.0])

    # ------------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------------

    def test_more_serials_than_ordered(self):
        line = self._order(2).order_line
        form = self._open(line)
        form.serial_text = "MO-1\nMO-2\nMO-3"
        self.assertEqual(form.counter_state, "over")
        message = self._apply_error(line, "MO-1\nMO-2\nMO-3")
        self.assertIn("3 serial numbers are entered but only 2 units", message)
        self.assertIn("ordered", message)

    def test_serial_already_known_in_company(self):
        self._put_in_stock(["KN-1"])
        other = self._order(1)
        self._announce(other.order_line, "KN-2")
        line = self._order(3).order_line
        message = self._apply_error(line, "OK-1\nKN-1\nKN-2")
        self.assertIn("Line 2: the serial number KN-1", message)
        self.assertIn("already exists in Serial Co A (In Stock)", message)
        self.assertIn("Line 3: the serial number KN-2", message)
        self.assertIn(other.name, message)

    def test_fractional_quantity(self):
        with self.assertRaises(ValidationError) as caught:
            self._order(2.5)
        self.assertIn("2.5", str(caught.exception))
        self.assertIn(self.product.display_name, str(caught.exception))

    def test_received_serials_cannot_be_changed(self):
        order = self._order(2)
        line = order.order_line
        self._announce(line, "DN-1\nDN-2")
        order.button_confirm()
        receipt = order.picking_ids
        receipt.move_ids.picked = True
        self._validate(receipt)
        # Not from the receipt any more...
        with self.assertRaisesRegex(UserError, "done or cancelled"):
            receipt.move_ids.action_open_serial_entry()
        # ...nor from the purchase line.
        message = self._apply_error(line, "DN-1\nDN-3")
        self.assertIn("DN-2 was received already", message)
        self.assertEqual(line.serial_ids.mapped("serial_state"), ["in_stock", "in_stock"])

    def test_user_without_inventory_rights(self):
        line = self._order(1).order_line
        line_as_buyer = line.with_user(self.buyer_only)
        with self.assertRaisesRegex(AccessError, "Inventory"):
            line_as_buyer.action_open_serial_entry()
        with self.assertRaises(AccessError):
            self.env["serial.entry.wizard"].with_user(self.buyer_only).create(
                {"purchase_line_id": line.id, "mode": "purchase", "product_id": self.product.id}
            )
        self.assertFalse(line.serial_ids)

    def test_cancelled_order_refuses_the_popup(self):
        order = self._order(1)
        order.button_cancel()
        with self.assertRaisesRegex(UserError, "cancelled"):
            order.order_line.action_open_serial_entry()

    def test_vendor_return_takes_only_serials_of_that_receipt(self):
        order = self._order(2)
        self._announce(order.order_line, "VR-1\nVR-2")
        order.button_confirm()
        receipt = order.picking_ids
        receipt.move_ids.picked = True
        self._validate(receipt)
        stranger = self._put_in_stock(["VR-STRANGER"])
        vendor_return = self._return(receipt, 1)
        vendor_return.move_line_ids.lot_id = stranger
        vendor_return.move_ids.picked = True
        with self.assertRaises(UserError) as caught:
            vendor_return.button_validate()
        self.assertIn("VR-STRANGER", str(caught.exception))
        self.assertIn(receipt.name, str(caught.exception))
        self.assertEqual(stranger.serial_state, "reserved")
        self.assertEqual(vendor_return.state, "assigned")

    # ------------------------------------------------------------------
    # Who does what: buyers without Inventory, clerks without Purchase
    # ------------------------------------------------------------------

    def test_buyer_without_inventory_rights_orders_serial_products(self):
        """Announced serials do not stand in the way of buyers who may not read serials."""
        # Odoo's stock_picking_batch puts the receipts of new warehouses in batches, and a buyer
        # who may not read batches then cannot change a confirmed order's quantity (Odoo's own
        # limit, with or without the add-on): this buyer's receipts are not batched.
        if "auto_batch" in self.warehouse.in_type_id._fields:
            self.warehouse.in_type_id.auto_batch = False
        order = self._order(2)
        self._announce(order.order_line, "BY-1\nBY-2")
        order_as_buyer = order.with_user(self.buyer_only).with_context(
            allowed_company_ids=self.company.ids
        )
        self.assertEqual(order_as_buyer.order_line.serial_count_label, "2 / 2 serials")
        order_as_buyer.button_confirm()
        self.assertEqual(
            self._names(order.picking_ids.move_line_ids), ["BY-1", "BY-2"], "pre-filled"
        )
        order_as_buyer.order_line.product_qty = 1
        self.assertEqual(order.order_line.serial_ids.mapped("name"), ["BY-1"])
        order_as_buyer.button_cancel()
        self.assertFalse(order.order_line.serial_ids)
        draft = self._order(1)
        self._announce(draft.order_line, "BY-3")
        lots = draft.order_line.serial_ids
        draft.order_line.with_user(self.buyer_only).with_context(
            allowed_company_ids=self.company.ids
        ).unlink()
        self.assertFalse(lots.exists())

    def test_clerk_validates_a_receipt_with_other_serials(self):
        """A clerk without Purchase rights validates a receipt whose serials replace the
        announced ones: the order is told, in the clerk's name."""
        order = self._order(2)
        self._announce(order.order_line, "CK-1\nCK-2")
        order.button_confirm()
        receipt = order.picking_ids.with_user(self.stock_user).with_context(
            allowed_company_ids=self.company.ids
        )
        receipt.move_line_ids.filtered(lambda ml: ml.lot_id.name == "CK-2").lot_name = "CK-X"
        receipt.move_ids.picked = True
        self._validate(receipt)
        self.assertEqual(sorted(order.order_line.serial_ids.mapped("name")), ["CK-1", "CK-X"])
        message = order.message_ids[:1]
        self.assertIn("CK-2", message.body)
        self.assertEqual(message.author_id, self.stock_user.partner_id)

    def test_typed_over_serial_and_backorder(self):
        """The serial typed over goes, the one still due fills the backorder."""
        order = self._order(3)
        self._announce(order.order_line, "TB-1\nTB-2\nTB-3")
        order.button_confirm()
        receipt = order.picking_ids
        lines = receipt.move_line_ids
        lines.filtered(lambda ml: ml.lot_id.name == "TB-1").lot_name = "TB-X"
        lines.filtered(lambda ml: ml.lot_name in ("TB-X", "TB-2")).picked = True
        self._validate(receipt)
        backorder = receipt.backorder_ids
        self.assertEqual(self._names(backorder.move_line_ids), ["TB-3"])
        names = sorted(order.order_line.serial_ids.mapped("name"))
        self.assertEqual(names, ["TB-2", "TB-3", "TB-X"])

    def test_changing_the_product_drops_its_serials(self):
        order = self._order(2)
        line = order.order_line
        self._announce(line, "PC-1\nPC-2")
        lots = line.serial_ids
        other = self.env["product.product"].create(
            {"name": "Other Serial Widget", "is_storable": True, "tracking": "serial"}
        )
        line.product_id = other
        self.assertFalse(lots.exists())
        order.button_confirm()
        self.assertFalse(order.picking_ids.move_line_ids.lot_id)

    def test_merging_requests_keeps_the_serials(self):
        first = self._order(1)
        self._announce(first.order_line, "MG-1")
        second = self._order(2)
        self._announce(second.order_line, "MG-2\nMG-3")
        (first | second).action_merge()
        kept = (first | second).filtered(lambda order: order.state != "cancel")
        self.assertEqual(len(kept), 1)
        self.assertEqual(
            sorted(kept.order_line.serial_ids.mapped("name")), ["MG-1", "MG-2", "MG-3"]
        )
        self.assertEqual(kept.order_line.product_qty, 3)

    # ------------------------------------------------------------------
    # Several companies
    # ------------------------------------------------------------------

    def test_order_of_company_b_creates_serials_in_b(self):
        self._put_in_stock(["MC-1"])  # the same text exists in company A
        order = self._order(1, company=self.company_b)
        line = order.order_line
        self._announce(line, "MC-1")
        lot = line.serial_ids
        self.assertEqual(lot.company_id, self.company_b)
        self.assertEqual(lot.serial_state, "expected")
        order.button_confirm()
        receipt = order.picking_ids
        self.assertEqual(receipt.picking_type_id.warehouse_id, self.warehouse_b)
        self.assertEqual(receipt.move_line_ids.lot_id, lot)
        receipt.move_ids.picked = True
        self._validate(receipt)
        self.assertEqual(lot.serial_state, "in_stock")
        self.assertEqual(
            self.env["stock.lot"].search_count(
                [("name", "=", "MC-1"), ("product_id", "=", self.product.id)]
            ),
            2,
        )

    def test_user_of_company_a_cannot_open_b_lines(self):
        line = self._order(1, company=self.company_b).order_line
        with self.assertRaises(AccessError):
            line.with_user(self.buyer).with_context(
                allowed_company_ids=self.company.ids
            ).action_open_serial_entry()

    def test_order_printouts_list_the_serials(self):
        order = self._order(3)
        self._announce(order.order_line, "PR-1\nPR-2")
        other = self._order(1)
        self._announce(other.order_line, "PR-9")
        Report = (
            self.env["ir.actions.report"]
            .with_user(self.buyer_only)
            .with_context(allowed_company_ids=self.company.ids)
        )
        for report in ("purchase.report_purchasequotation", "purchase.report_purchaseorder"):
            with self.subTest(report=report):
                html = Report._render_qweb_html(report, order.ids)[0].decode()
                self.assertIn("Serial numbers: PR-1, PR-2", html)
                self.assertNotIn("PR-9", html)
        order.button_confirm()
        html = Report._render_qweb_html("purchase.report_purchaseorder", order.ids)[0].decode()
        self.assertIn("Serial numbers: PR-1, PR-2", html)
        # The receipt's slip lists the serials it handles.
        receipt = order.picking_ids
        slip = (
            self.env["ir.actions.report"]
            ._render_qweb_html("stock.report_deliveryslip", receipt.ids)[0]
            .decode()
        )
        self.assertIn("PR-1", slip)
        self.assertIn("PR-2", slip)
        self.assertNotIn("PR-9", slip)
