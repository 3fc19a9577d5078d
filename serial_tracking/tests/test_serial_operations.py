# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestSerialOperations(SerialTrackingCase):
    """Scrap, adjust out and register the installed base by naming units in the shared popup."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shelf = cls.env["stock.location"].create(
            {"name": "Shelf", "location_id": cls.stock_location.id, "usage": "internal"}
        )
        cls.customer = cls.env["res.partner"].create({"name": "Site Owner", "is_company": True})
        cls.site_contact = cls.env["res.partner"].create(
            {"name": "Site Manager", "parent_id": cls.customer.id}
        )

    def _popup(self, mode, text, **values):
        form = Form(
            self.env["serial.entry.wizard"].with_context(
                default_mode=mode, default_product_id=self.product.id
            )
        )
        for name, value in values.items():
            setattr(form, name, value)
        form.serial_text = text
        return form

    def test_scrap_units_from_two_locations(self):
        lots = self._put_in_stock(["SC1", "SC2"]) | self._put_in_stock(["SC3"], location=self.shelf)
        form = self._popup("scrap", "SC1\nSC3")
        self.assertEqual(form.counter, "2 serials")
        form.save().action_apply()
        sc1, sc2, sc3 = lots.sorted("name")
        self.assertEqual((sc1 | sc3).mapped("serial_state"), ["scrapped", "scrapped"])
        self.assertEqual(sc2.serial_state, "in_stock")
        scrap_line = sc3.history_line_ids[-1]
        self.assertTrue(scrap_line.move_id.scrapped)
        self.assertEqual(scrap_line.location_id, self.shelf)

    def test_scrap_refuses_units_not_in_stock(self):
        self._put_in_stock(["OK1"])
        self.env["stock.lot"].create(
            {"name": "GONE1", "product_id": self.product.id, "company_id": self.company.id}
        )
        wizard = self._popup("scrap", "OK1\nGONE1\nNOPE1").save()
        with self.assertRaises(UserError) as caught:
            wizard.action_apply()
        message = str(caught.exception)
        self.assertIn("Line 2: GONE1 of Serial Widget is not in stock (Expected)", message)
        self.assertIn("Line 3: NOPE1 is not a serial number of Serial Widget", message)
        ok1 = self.env["stock.lot"].search([("name", "=", "OK1")])
        self.assertEqual(ok1.serial_state, "in_stock", "nothing is half written")

    def test_adjust_out_from_the_serial_list(self):
        """Serials selected in the Serial Inventory open the popup filled in."""
        lots = self._put_in_stock(["AO1", "AO2"])
        action = lots.action_open_serial_popup("adjust_out")
        form = Form(self.env["serial.entry.wizard"].with_context(**action["context"]))
        self.assertEqual(form.serial_text, "AO1\nAO2")
        form.save().action_apply()
        self.assertEqual(set(lots.mapped("serial_state")), {"adjusted_out"})
        self.assertFalse(
            self.env["stock.quant"]._get_available_quantity(self.product, self.stock_location)
        )

    def test_popup_from_the_list_takes_one_product(self):
        other = self.env["product.product"].create(
            {"name": "Other Widget", "is_storable": True, "tracking": "serial"}
        )
        lots = self._put_in_stock(["P1"]) | self._put_in_stock(["P2"], product=other)
        with self.assertRaisesRegex(UserError, "one product at a time"):
            lots.action_open_serial_popup("scrap")

    def test_installed_base(self):
        """Units already at a customer's site get a history, a holder and a delivery date."""
        delivered_on = datetime(2024, 3, 15, 10, 0)
        form = self._popup(
            "installed_base", "IB001-IB003", partner_id=self.site_contact, date=delivered_on
        )
        self.assertEqual(form.new_count, 3)
        form.save().action_apply()
        lots = self.env["stock.lot"].search([("name", "like", "IB00")])
        self.assertEqual(len(lots), 3)
        for lot in lots:
            self.assertEqual(lot.serial_state, "delivered")
            self.assertEqual(lot.holder_partner_id, self.customer)
            self.assertEqual(lot.serial_delivery_date, delivered_on)
            self.assertEqual(lot.company_id, self.company)
            self.assertEqual(lot.history_line_ids.date, delivered_on)
            self.assertEqual(lot.history_line_ids.location_dest_id.usage, "customer")
            self.assertFalse(lot.warranty_end_date, "no warranty policy")

    def test_installed_base_starts_the_warranty_on_its_delivery_date(self):
        self.product.with_company(self.company).write(
            {"warranty_duration": 1, "warranty_unit": "month", "warranty_start": "delivery"}
        )
        form = self._popup(
            "installed_base", "IBW1", partner_id=self.customer, date=datetime(2025, 1, 31, 10, 0)
        )
        form.save().action_apply()
        lot = self.env["stock.lot"].search([("name", "=", "IBW1")])
        self.assertEqual(lot.warranty_start_date, date(2025, 1, 31))
        self.assertEqual(lot.warranty_end_date, date(2025, 2, 28))

    def test_installed_base_refuses_units_in_stock_or_elsewhere(self):
        self._put_in_stock(["HERE"])
        self._popup(
            "installed_base", "THERE", partner_id=self.customer, date=datetime(2024, 1, 1)
        ).save().action_apply()
        wizard = self._popup("installed_base", "NEW1\nHERE\nTHERE", partner_id=self.customer).save()
        with self.assertRaises(UserError) as caught:
            wizard.action_apply()
        message = str(caught.exception)
        self.assertIn(
            "Line 2: the serial number HERE of Serial Widget is already in stock", message
        )
        self.assertIn(
            "Line 3: the serial number THERE of Serial Widget is already at Site Owner", message
        )
        self.assertFalse(self.env["stock.lot"].search([("name", "=", "NEW1")]))
        wizard = self.env["serial.entry.wizard"].create(
            {"mode": "installed_base", "product_id": self.product.id, "serial_text": "NEW2"}
        )
        with self.assertRaisesRegex(UserError, "which customer"):
            wizard.action_apply()

    def test_consumed_in_production(self):
        """A unit moved into a production location (as manufacturing does) is consumed."""
        lot = self._put_in_stock(["MO1"])
        production = self.product.with_company(self.company).property_stock_production
        move = self.env["stock.move"].create(
            {
                "name": "Consume",
                "product_id": self.product.id,
                "product_uom_qty": 1,
                "product_uom": self.product.uom_id.id,
                "location_id": self.stock_location.id,
                "location_dest_id": production.id,
                "company_id": self.company.id,
            }
        )
        move._action_confirm()
        move._action_assign()
        self.assertEqual(lot.serial_state, "reserved")
        move.picked = True
        move._action_done()
        self.assertEqual(lot.serial_state, "consumed")

    def test_serials_for_stock_on_hand(self):
        """A product counted without serials becomes serial-tracked: its units get serials,
        location by location, and the count must match."""
        product = self.env["product.product"].create({"name": "Late Widget", "is_storable": True})
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(product, self.stock_location, 3)
        Quant._update_available_quantity(product, self.shelf, 1)
        product.tracking = "serial"
        self.assertEqual(product.product_tmpl_id.serial_unassigned_qty, 4)
        action = product.action_assign_serials_to_stock()
        form = Form(self.env["serial.entry.wizard"].with_context(**action["context"]))
        self.assertEqual(form.location_id, self.stock_location, "the largest first")
        self.assertEqual(form.counter, "0 / 3 serials")
        form.serial_text = "LATE1\nLATE2"
        wizard = form.save()
        with self.assertRaisesRegex(UserError, "enter exactly 3 serial numbers \\(2 entered\\)"):
            wizard.action_apply()
        wizard.serial_text = "LATE1-LATE3"
        action = wizard.action_apply()
        self.assertEqual(action["context"]["default_mode"], "assign_stock", "next location")
        form = Form(self.env["serial.entry.wizard"].with_context(**action["context"]))
        self.assertEqual(form.location_id, self.shelf)
        form.serial_text = "LATE4"
        action = form.save().action_apply()
        self.assertEqual(action["type"], "ir.actions.act_window_close")
        lots = self.env["stock.lot"].search([("product_id", "=", product.id)])
        self.assertEqual(sorted(lots.mapped("name")), ["LATE1", "LATE2", "LATE3", "LATE4"])
        self.assertEqual(set(lots.mapped("serial_state")), {"in_stock"})
        self.assertEqual(lots.filtered(lambda lot: lot.name == "LATE4").location_id, self.shelf)
        product.product_tmpl_id.invalidate_recordset(["serial_unassigned_qty"])
        self.assertEqual(product.product_tmpl_id.serial_unassigned_qty, 0)
        quants = Quant.search(
            [("product_id", "=", product.id), ("location_id", "=", self.stock_location.id)]
        )
        self.assertEqual(sum(quants.mapped("quantity")), 3)
        self.assertEqual(
            sorted(quants.filtered("quantity").lot_id.mapped("name")), ["LATE1", "LATE2", "LATE3"]
        )
        with self.assertRaisesRegex(UserError, "Every unit of Late Widget in stock has a serial"):
            product.action_assign_serials_to_stock()

    def test_scrap_a_serial_in_a_package(self):
        package = self.env["stock.quant.package"].create({"name": "BOX1"})
        lot = self.env["stock.lot"].create(
            {"name": "PK1", "product_id": self.product.id, "company_id": self.company.id}
        )
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.stock_location, 1, lot_id=lot, package_id=package
        )
        lot._serial_refresh()
        self._popup("scrap", "PK1").save().action_apply()
        self.assertEqual(lot.serial_state, "scrapped")
        quants = self.env["stock.quant"].search(
            [("lot_id", "=", lot.id), ("location_id", "=", self.stock_location.id)]
        )
        self.assertFalse(quants.filtered("quantity"), "no quant left behind, none negative")

    def test_stock_on_hand_counted_again_at_apply(self):
        """When the units changed since the popup opened, nothing is named."""
        product = self.env["product.product"].create({"name": "Busy Widget", "is_storable": True})
        self.env["stock.quant"]._update_available_quantity(product, self.stock_location, 3)
        product.tracking = "serial"
        action = product.action_assign_serials_to_stock()
        form = Form(self.env["serial.entry.wizard"].with_context(**action["context"]))
        form.serial_text = "BUSY1-BUSY3"
        wizard = form.save()
        # Meanwhile another user names one of the units.
        self.env["stock.quant"]._update_available_quantity(product, self.stock_location, -1)
        with self.assertRaisesRegex(UserError, "now holds 2.0 units of Busy Widget"):
            wizard.action_apply()
        self.assertFalse(self.env["stock.lot"].search([("product_id", "=", product.id)]))
