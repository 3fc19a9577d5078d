# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestSerialState(SerialTrackingCase):
    """Units walked through every path: status, holder, links and history after each step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Serial Customer", "is_company": True}
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "Receiving Dock", "parent_id": cls.customer.id}
        )
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.product.standard_price = 40.0

    def _receive(self, names, price=25.0):
        """Receive ``names`` from the vendor through a purchase order and its receipt."""
        order = (
            self.env["purchase.order"]
            .with_company(self.company)
            .create(
                {
                    "partner_id": self.vendor.id,
                    "company_id": self.company.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_qty": len(names),
                                "price_unit": price,
                            }
                        )
                    ],
                }
            )
        )
        order.button_confirm()
        receipt = order.picking_ids
        wizard = Form(
            self.env["serial.entry.wizard"].with_context(
                **receipt.move_ids.action_open_serial_entry()["context"]
            )
        )
        wizard.serial_text = "\n".join(names)
        wizard.save().action_apply()
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")
        return order, self.env["stock.lot"].search(
            [("name", "in", names), ("product_id", "=", self.product.id)]
        )

    def _return(self, picking, lots):
        """Return ``lots`` of ``picking`` and validate the return."""
        returned = self._return_lots(picking, lots)
        self.assertEqual(returned.move_ids.move_line_ids.lot_id, lots)
        returned.button_validate()
        self.assertEqual(returned.state, "done")
        return returned

    def test_new_serial_is_expected(self):
        lot = self.env["stock.lot"].create(
            {"name": "EXP1", "product_id": self.product.id, "company_id": self.company.id}
        )
        self.assertEqual(lot.serial_state, "expected")
        lot_product = self.env["product.product"].create(
            {"name": "Lot Widget", "is_storable": True, "tracking": "lot"}
        )
        lot_of_lots = self.env["stock.lot"].create({"name": "L1", "product_id": lot_product.id})
        self.assertFalse(lot_of_lots.serial_state, "lots of lot-tracked products are left alone")

    def test_receipt_reservation_delivery_and_return(self):
        order, lots = self._receive(["R1", "R2", "R3"], price=30.0)
        r1, r2, r3 = lots.sorted("name")
        for lot in lots:
            self.assertEqual(lot.serial_state, "in_stock")
            self.assertEqual(lot.serial_vendor_id, self.vendor)
            self.assertEqual(lot.purchase_line_id, order.order_line)
            self.assertEqual(lot.purchase_order_id, order)
            self.assertEqual(lot.serial_unit_cost, 30.0)
            self.assertTrue(lot.serial_receipt_date)
            self.assertEqual(lot.location_id, self.stock_location)
            self.assertFalse(lot.holder_partner_id)

        # Odoo reserves the three units for a delivery, then lets them go.
        reservation = self._transfer(
            self.env["stock.lot"], self.stock_location, self.customer_location
        )
        reservation.move_ids.product_uom_qty = 3
        reservation.action_assign()
        self.assertEqual(reservation.move_ids.move_line_ids.lot_id, lots)
        self.assertEqual(set(lots.mapped("serial_state")), {"reserved"})
        reservation.do_unreserve()
        self.assertEqual(set(lots.mapped("serial_state")), {"in_stock"})
        reservation.action_cancel()

        delivery = self._transfer(
            r1 | r2, self.stock_location, self.customer_location, partner=self.customer_contact
        )
        self.assertEqual((r1 | r2).mapped("serial_state"), ["reserved", "reserved"])
        self.assertEqual(r3.serial_state, "in_stock")
        delivery.button_validate()
        for lot in r1 | r2:
            self.assertEqual(lot.serial_state, "delivered")
            self.assertEqual(lot.holder_partner_id, self.customer, "the commercial partner")
            self.assertTrue(lot.serial_delivery_date)
            self.assertEqual(lot.serial_vendor_id, self.vendor, "the origin stays")

        self._return(delivery, r1)
        self.assertEqual(r1.serial_state, "in_stock")
        self.assertFalse(r1.holder_partner_id)
        self.assertEqual(r1.serial_receipt_date, r3.serial_receipt_date, "a return is no receipt")
        self.assertEqual(r2.serial_state, "delivered")

        history = r1.history_line_ids
        self.assertEqual(len(history), 3, "receipt, delivery, return")
        self.assertEqual(history.mapped("date"), sorted(history.mapped("date")))
        self.assertEqual(history[0].location_id, self.supplier_location)
        self.assertEqual(history[1].location_dest_id, self.customer_location)

    def test_lines_dropped_at_validation_release_their_serials(self):
        """Validating 2 of 3 reserved serials without backorder: the third is in stock again."""
        _order, lots = self._receive(["D1", "D2", "D3"])
        delivery = self._transfer(
            lots, self.stock_location, self.customer_location, partner=self.customer
        )
        self.assertEqual(set(lots.mapped("serial_state")), {"reserved"})
        dropped = lots.sorted("name")[-1]
        delivery.move_ids.move_line_ids.filtered(lambda ml: ml.lot_id != dropped).picked = True
        action = delivery.button_validate()
        Form(
            self.env[action["res_model"]].with_context(**action["context"])
        ).save().process_cancel_backorder()
        self.assertEqual(delivery.state, "done")
        self.assertEqual((lots - dropped).mapped("serial_state"), ["delivered", "delivered"])
        self.assertEqual(dropped.serial_state, "in_stock")

    def test_unit_cost_is_for_managers_and_buyers(self):
        """A warehouse clerk sees the serial, not what it cost."""
        _order, lots = self._receive(["COST1"], price=30.0)
        clerk_env = self.env(
            user=self.stock_user, context={"allowed_company_ids": self.company.ids}
        )
        lot = lots.with_env(clerk_env)
        self.assertEqual(lot.serial_state, "in_stock")
        with self.assertRaises(AccessError):
            lot.read(["serial_unit_cost"])
        self.stock_user.groups_id += self.env.ref("purchase.group_purchase_user")
        self.assertEqual(lots.with_env(clerk_env).serial_unit_cost, 30.0)
        form = clerk_env["stock.lot"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("serial_unit_cost", form)

    def test_return_to_vendor(self):
        order, lots = self._receive(["V1", "V2"])
        v1 = lots.filtered(lambda lot: lot.name == "V1")
        self._return(order.picking_ids, v1)
        self.assertEqual(v1.serial_state, "returned_to_vendor")
        self.assertEqual(v1.holder_partner_id, self.vendor)
        self.assertEqual((lots - v1).serial_state, "in_stock")

    def test_internal_transfer_and_transit(self):
        _order, lots = self._receive(["T1", "T2"])
        t1, t2 = lots.sorted("name")
        shelf = self.env["stock.location"].create(
            {"name": "Shelf 1", "location_id": self.stock_location.id, "usage": "internal"}
        )
        self._transfer(
            t1, self.stock_location, shelf, picking_type=self.warehouse.int_type_id
        ).button_validate()
        self.assertEqual(t1.serial_state, "in_stock")
        self.assertEqual(t1.location_id, shelf)
        transit = self.env["stock.location"].create(
            {"name": "Truck", "usage": "transit", "company_id": self.company.id}
        )
        self._transfer(
            t2, self.stock_location, transit, picking_type=self.warehouse.int_type_id
        ).button_validate()
        self.assertEqual(t2.serial_state, "in_transit")
        self.assertFalse(t2.holder_partner_id)

    def test_scrap(self):
        _order, lots = self._receive(["S1"])
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.product.id,
                "lot_id": lots.id,
                "scrap_qty": 1,
                "location_id": self.stock_location.id,
                "company_id": self.company.id,
            }
        )
        scrap.action_validate()
        self.assertEqual(lots.serial_state, "scrapped")

    def test_inventory_adjustments_in_and_out(self):
        """Counting a unit into stock receives it; counting it out adjusts it out."""
        lot = self.env["stock.lot"].create(
            {"name": "ADJ1", "product_id": self.product.id, "company_id": self.company.id}
        )
        quant = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": self.product.id,
                    "lot_id": lot.id,
                    "location_id": self.stock_location.id,
                    "inventory_quantity": 1,
                }
            )
        )
        quant.action_apply_inventory()
        self.assertEqual(lot.serial_state, "in_stock")
        self.assertTrue(lot.serial_receipt_date)
        self.assertFalse(lot.serial_vendor_id)
        quant.inventory_quantity = 0
        quant.action_apply_inventory()
        self.assertEqual(lot.serial_state, "adjusted_out")
        self.assertEqual(len(lot.history_line_ids), 2)

    def test_status_is_refreshed_in_constant_queries(self):
        """Refreshing 10 or 40 serials costs the same number of queries."""
        _order, lots = self._receive(["Q%02d" % i for i in range(40)])
        small, large = lots[:10], lots
        # Every status is rewritten: the write is measured too.
        self.env.cr.execute(
            "UPDATE stock_lot SET serial_state = 'expected' WHERE id = ANY(%s)", [lots.ids]
        )
        self.env.invalidate_all()
        queries_before = self.cr.sql_log_count
        small._serial_refresh()
        small_count = self.cr.sql_log_count - queries_before
        self.env.cr.execute(
            "UPDATE stock_lot SET serial_state = 'expected' WHERE id = ANY(%s)", [lots.ids]
        )
        self.env.invalidate_all()
        queries_before = self.cr.sql_log_count
        large._serial_refresh()
        large_count = self.cr.sql_log_count - queries_before
        self.assertEqual(small_count, large_count)
        self.assertEqual(set(large.mapped("serial_state")), {"in_stock"})

    def test_serial_history_report(self):
        lots = self._put_in_stock(["HR-1", "HR-2", "HR-3"])
        picking = self._transfer(
            lots[:2], self.stock_location, self.customer_location, partner=self.customer
        )
        picking.move_ids.picked = True
        picking.button_validate()
        clerk = self.stock_user
        html = (
            self.env["ir.actions.report"]
            .with_user(clerk)
            .with_context(allowed_company_ids=clerk.company_ids.ids)
            ._render_qweb_html("serial_tracking.report_serial_history", (lots[0] | lots[2]).ids)[0]
            .decode()
        )
        self.assertIn("Serial History", html)
        self.assertIn("HR-1", html)
        self.assertIn("HR-3", html)
        self.assertNotIn("HR-2", html)
        # HR-1: counted in, then delivered; HR-3: counted in only.
        self.assertEqual(html.count("o_serial_history_line"), 3)
        self.assertIn(picking.name, html)
        self.assertIn(self.customer.name, html)
        self.assertIn("Partners/Customers", html)
        report = self.env.ref("serial_tracking.action_report_serial_history")
        self.assertIn(self.env.ref("stock.group_stock_user"), report.groups_id)
