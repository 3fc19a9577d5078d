# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestSerialRules(SerialTrackingCase):
    """Rules of serialization, each hitting its error, which names product and quantity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.uom_unit = cls.env.ref("uom.product_uom_unit")
        cls.uom_dozen = cls.env.ref("uom.product_uom_dozen")
        cls.customer = cls.env["res.partner"].create({"name": "Rules Customer"})
        cls.half_unit = cls.env["uom.uom"].create(
            {
                "name": "Half Unit",
                "category_id": cls.uom_unit.category_id.id,
                "uom_type": "smaller",
                "factor": 2.0,
            }
        )

    def test_purchase_line_whole_units(self):
        order = self.env["purchase.order"].create({"partner_id": self.vendor.id})
        with self.assertRaisesRegex(ValidationError, r"2\.5 Units of Serial Widget is not a whole"):
            self.env["purchase.order.line"].create(
                {"order_id": order.id, "product_id": self.product.id, "product_qty": 2.5}
            )
        line = self.env["purchase.order.line"].create(
            {"order_id": order.id, "product_id": self.product.id, "product_qty": 3}
        )
        line.write({"product_uom": self.uom_dozen.id, "product_qty": 0.5})  # 6 units: fine
        with self.assertRaisesRegex(ValidationError, r"Half Unit of Serial Widget is 0\.5 units"):
            line.write({"product_uom": self.half_unit.id, "product_qty": 1})

    def test_sale_line_whole_units(self):
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        with self.assertRaisesRegex(ValidationError, "1.25 Units of Serial Widget is not a whole"):
            order.order_line = [
                Command.create({"product_id": self.product.id, "product_uom_qty": 1.25})
            ]
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        with Form(order) as form, form.order_line.new() as line:
            line.product_id = self.product
            line.product_uom_qty = 2
        self.assertEqual(order.order_line.product_uom_qty, 2)

    def test_untracked_products_take_any_quantity(self):
        plain = self.env["product.product"].create({"name": "Cable", "is_storable": True})
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": plain.id, "product_uom_qty": 2.5})],
            }
        )
        self.assertEqual(order.order_line.product_uom_qty, 2.5)

    def test_units_of_measure_hold_whole_units(self):
        with self.assertRaisesRegex(ValidationError, "1 Half Unit of Serial Widget is 0.5 units"):
            self.product.uom_po_id = self.half_unit
        self.product.uom_po_id = self.uom_dozen

    def test_no_serial_tracking_with_negative_stock(self):
        product = self.env["product.product"].create({"name": "Loose Widget", "is_storable": True})
        self.env["stock.quant"]._update_available_quantity(product, self.stock_location, -3)
        with self.assertRaisesRegex(UserError, r"Loose Widget \(-3.0\)"):
            product.tracking = "serial"
        self.env["stock.quant"]._update_available_quantity(product, self.stock_location, 3)
        product.tracking = "serial"
        self.assertEqual(product.tracking, "serial")

    def test_tracking_locked_once_moved(self):
        self._put_in_stock(["LOCK1"])
        receipt = self._create_receipt(1)
        receipt.move_ids.move_line_ids.lot_name = "LOCK2"
        receipt.button_validate()
        with self.assertRaisesRegex(UserError, r"Serial Widget \(2.0 units moved\)"):
            self.product.tracking = "none"
        self.env.company.serial_lock_tracking = False
        self.product.tracking = "lot"
        self.assertEqual(self.product.tracking, "lot")

    def test_tracking_lock_of_the_company_that_moved_it(self):
        """A company without the lock cannot unlock a product another company moved."""
        self.company.serial_lock_tracking = False
        self._put_in_stock(["BLOCK1"], location=self.warehouse_b.lot_stock_id)
        with self.assertRaisesRegex(UserError, "Serial Widget"):
            self.product.with_company(self.company).tracking = "none"

    def test_unmoved_product_can_change_tracking(self):
        product = self.env["product.product"].create(
            {"name": "Fresh Widget", "is_storable": True, "tracking": "serial"}
        )
        product.tracking = "none"
        self.assertEqual(product.tracking, "none")

    def test_serial_cannot_leave_a_location_it_is_not_in(self):
        shelf = self.env["stock.location"].create(
            {"name": "Shelf", "location_id": self.stock_location.id, "usage": "internal"}
        )
        other = self.env["stock.location"].create(
            {"name": "Other Room", "location_id": self.warehouse.view_location_id.id}
        )
        lot = self._put_in_stock(["HERE1"], location=shelf)
        customers = self.env.ref("stock.stock_location_customers")
        for source, ok in ((other, False), (self.stock_location, True)):
            picking = self._transfer(
                lot, source, customers, partner=self.customer, taken_from=shelf if ok else other
            )
            if ok:
                picking.button_validate()
                self.assertEqual(lot.serial_state, "delivered")
            else:
                with self.assertRaisesRegex(UserError, "HERE1 of Serial Widget is not at"):
                    picking.button_validate()
                self.assertEqual(lot.serial_state, "reserved")
                picking.action_cancel()

    def test_location_rule_covers_units_leaving_the_company(self):
        """By default the rule covers deliveries and returns to vendors only: an internal move
        of a serial that is recorded elsewhere is left to Odoo (which allows it, as production
        does when consuming a component whose receipt is not recorded yet); the company setting
        "Every Move Out of Stock" extends the rule to it."""
        shelf = self.env["stock.location"].create(
            {"name": "Scope Shelf", "location_id": self.stock_location.id, "usage": "internal"}
        )
        room = self.env["stock.location"].create(
            {"name": "Scope Room", "location_id": self.warehouse.view_location_id.id}
        )
        lots = self._put_in_stock(["SCOPE1", "SCOPE2", "SCOPE3"], location=shelf)
        self.assertEqual(self.company.serial_source_check, "leaving")
        # To a vendor, from where the unit is not: refused.
        vendors = self.env.ref("stock.stock_location_suppliers")
        picking = self._transfer(lots[0], room, vendors, partner=self.vendor)
        with self.assertRaisesRegex(UserError, "SCOPE1 of Serial Widget is not at"):
            picking.button_validate()
        picking.action_cancel()
        # Inside the company, from where the unit is not: Odoo's way.
        picking = self._transfer(
            lots[1], room, self.stock_location, picking_type=self.warehouse.int_type_id
        )
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        # Extended to every move out of stock: refused too, naming the serial.
        self.company.serial_source_check = "all"
        picking = self._transfer(
            lots[2], room, self.stock_location, picking_type=self.warehouse.int_type_id
        )
        with self.assertRaisesRegex(UserError, "SCOPE3 of Serial Widget is not at .*Scope Room"):
            picking.button_validate()
        self.assertEqual(picking.state, "assigned")

    def test_serial_named_at_delivery_for_units_without_serial(self):
        """Units counted without serial can leave under a new serial named at delivery, as many
        as there are; a new serial with no such unit is refused."""
        customers = self.env.ref("stock.stock_location_customers")
        self.env["stock.quant"]._update_available_quantity(self.product, self.stock_location, 1)
        new_lots = self.env["stock.lot"].create(
            [
                {"name": name, "product_id": self.product.id, "company_id": self.company.id}
                for name in ("NAMED1", "NAMED2")
            ]
        )
        for lots, ok in ((new_lots, False), (new_lots[:1], True)):
            picking = self._transfer(lots, self.stock_location, customers, partner=self.customer)
            if ok:
                picking.button_validate()
                self.assertEqual(new_lots[0].serial_state, "delivered")
            else:
                with self.assertRaisesRegex(UserError, "no unit there is without serial"):
                    picking.button_validate()
                picking.action_cancel()

    def test_replenishment_buys_whole_units(self):
        """Bought by the dozen, 5 serial units are replenished as half a dozen (6 units)."""
        self.product.write(
            {
                "uom_po_id": self.uom_dozen.id,
                "seller_ids": [Command.create({"partner_id": self.vendor.id, "price": 120})],
                "route_ids": [Command.set(self.warehouse.buy_pull_id.route_id.ids)],
            }
        )
        group = self.env["procurement.group"]

        def replenish(quantity):
            group.run(
                [
                    group.Procurement(
                        self.product,
                        quantity,
                        self.uom_unit,
                        self.stock_location,
                        "Replenish",
                        "TEST",
                        self.company,
                        {"warehouse_id": self.warehouse},
                    )
                ]
            )

        replenish(5)
        line = self.env["purchase.order.line"].search([("product_id", "=", self.product.id)])
        self.assertEqual(line.product_uom, self.uom_dozen)
        self.assertEqual(line.product_qty, 0.5)
        replenish(1)
        self.assertEqual(line.product_qty * 12 % 1, 0, "merged lines hold whole units too")
