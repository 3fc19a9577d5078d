# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a user meets the first time: the popup says plainly what it checks and what it did."""

import datetime

from lxml import etree

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SerialSaleCase


@tagged("post_install", "-at_install")
class TestNewUser(SerialSaleCase):
    def _order_and_deliver(self, names):
        order = self._order(len(names))
        self._choose(order.order_line, "\n".join(names))
        order.action_confirm()
        return order.picking_ids

    def _operation(self, mode, text="", product=True):
        context = {"default_mode": mode}
        if product:
            context["default_product_id"] = self.product.id
        form = Form(self.env["serial.entry.wizard"].with_context(**context))
        form.serial_text = text
        return form

    # Scrap Serials from the menu -------------------------------------------------------------

    def test_scrap_without_product_asks_for_it_and_names_no_false(self):
        self._put_in_stock(["NU-1"])
        form = self._operation("scrap", "NU-1", product=False)
        self.assertIn("Choose the product whose serial numbers these are.", form.preview_html)
        self.assertNotIn("False", form.preview_html)
        self.assertEqual(form.counter_state, "error")
        form.product_id = self.product
        self.assertNotIn("Choose the product", form.preview_html)
        self.assertEqual(form.counter_state, "ok")

    def test_units_in_stock_are_called_in_stock_when_scrapping(self):
        self._put_in_stock(["NU-2"])
        form = self._operation("scrap", "NU-2")
        self.assertEqual(form.known_label, "In Stock")
        self.assertIn(">In Stock<", form.preview_html)
        self.assertNotIn("Known", form.preview_html)

    def test_scrap_confirms_and_opens_the_moves_it_made(self):
        lots = self._put_in_stock(["NU-3", "NU-4"])
        action = self._operation("scrap", "NU-3\nNU-4").save().action_apply()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(action["params"]["title"], "2 units of Serial Widget scrapped")
        history = action["params"]["next"]
        self.assertEqual(history["res_model"], "stock.move.line")
        lines = self.env["stock.move.line"].search(history["domain"])
        self.assertEqual(lines.lot_id, lots)
        self.assertTrue(all(lines.move_id.mapped("scrapped")))

    def test_adjust_out_and_installed_base_confirm_too(self):
        lots = self._put_in_stock(["NU-5"])
        action = self._operation("adjust_out", "NU-5").save().action_apply()
        self.assertEqual(action["params"]["title"], "1 units of Serial Widget adjusted out")
        self.assertEqual(
            self.env["stock.move.line"].search(action["params"]["next"]["domain"]).lot_id, lots
        )
        form = self._operation("installed_base", "NU-6")
        form.partner_id = self.customer
        action = form.save().action_apply()
        self.assertIn("registered at %s" % self.customer.name, action["params"]["title"])

    # The counter and Apply -------------------------------------------------------------------

    def test_an_invalid_serial_turns_the_counter_red(self):
        order = self._order(1)
        form = self._open(order.order_line)
        form.serial_text = "NOT-A-SERIAL"
        self.assertEqual(form.counter, "1 / 1 serials")
        self.assertEqual(form.counter_state, "error", "one serial of one, but it cannot be applied")
        # Apply is not offered while the entry has errors.
        arch = self.env["serial.entry.wizard"].get_view(view_type="form")["arch"]
        self.assertIn("counter_state in ('over', 'error')", arch)

    def test_a_serial_in_another_warehouse_is_an_error_too(self):
        other = self.env["stock.warehouse"].create(
            {"name": "Second Warehouse", "code": "WH2", "company_id": self.company.id}
        )
        self._put_in_stock(["NU-7"], location=other.lot_stock_id)
        order = self._order(1)
        form = self._open(order.order_line)
        form.serial_text = "NU-7"
        self.assertIn("not available in", form.preview_html)
        self.assertEqual(form.counter_state, "error")

    def test_take_from_names_the_warehouse(self):
        self.warehouse.name = "Main Warehouse of A"
        order = self._order(1)
        form = self._open(order.order_line)
        self.assertEqual(form.location_label, "Main Warehouse of A")

    def test_summary_and_rows_say_the_same_word(self):
        self._put_in_stock(["NU-8", "NU-9"])
        order = self._order(2)
        form = self._open(order.order_line)
        form.serial_text = "NU-8\nNU-9"
        self.assertEqual((form.known_count, form.known_label), (2, "Available"))
        self.assertEqual(form.preview_html.count(">Available<"), 2)
        # Naming units coming in: a serial that exists but is not in stock is "Existing".
        self.env["stock.lot"].create(
            {"name": "NU-10", "product_id": self.product.id, "company_id": self.company.id}
        )
        receipt = self._create_receipt(1)
        form = self._open_popup(receipt.move_ids)
        form.serial_text = "NU-10"
        self.assertEqual(form.known_label, "Existing")
        self.assertIn(">Existing<", form.preview_html)

    def test_a_transfer_line_without_demand_takes_the_serials_entered(self):
        receipt = self._create_receipt(1)
        receipt.action_confirm()
        receipt.write(
            {
                "move_ids": [
                    Command.create(
                        {
                            "name": "no demand",
                            "product_id": self.product.id,
                            "product_uom_qty": 0,
                            "product_uom": self.product.uom_id.id,
                            "location_id": receipt.location_id.id,
                            "location_dest_id": receipt.location_dest_id.id,
                        }
                    )
                ]
            }
        )
        move = receipt.move_ids.filtered(lambda m: not m.product_uom_qty)
        form = self._open_popup(move)
        form.serial_text = "ND-1\nND-2"
        self.assertEqual(form.counter, "2 serials")
        self.assertEqual(form.counter_state, "ok")
        form.save().action_apply()
        self.assertEqual(sorted(move.move_line_ids.mapped("lot_name")), ["ND-1", "ND-2"])
        self.assertEqual(move.quantity, 2)

    # Reports ---------------------------------------------------------------------------------

    def test_first_print_of_the_serial_report_prints(self):
        """No document layout is set up yet: an internal report prints all the same, instead of
        sending the administrator to the layout set-up (which drops the dialog's filters)."""
        self.env.company.external_report_layout_id = False
        wizard = self.env["serial.report.wizard"].create({"company_id": self.company.id})
        action = wizard.action_print()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], "serial_tracking.report_serial_list")

    # Order lines -----------------------------------------------------------------------------

    def test_order_lines_show_their_serials_and_whether_the_popup_opens(self):
        self._put_in_stock(["NL-%02d" % number for number in range(1, 13)])
        order = self._order(12)
        line = order.order_line
        self.assertTrue(line.serial_entry_open)
        self.assertFalse(line.serial_names_label)
        self._choose(line, "\n".join("NL-%02d" % number for number in range(1, 13)))
        self.assertEqual(
            line.serial_names_label,
            ", ".join("NL-%02d" % number for number in range(1, 11)) + " and 2 more",
        )
        # A seller without Inventory rights sees the serials, not the button.
        seller = self._create_user(
            "nu_seller", "Seller Only", ["sales_team.group_sale_salesman_all_leads"]
        )
        as_seller = line.with_user(seller).with_context(allowed_company_ids=self.company.ids)
        self.assertFalse(as_seller.serial_entry_open)
        self.assertIn("NL-01", as_seller.serial_names_label)
        order.action_confirm()
        order.action_lock()
        line.invalidate_recordset(["serial_entry_open"])
        self.assertFalse(line.serial_entry_open, "a locked order's serials cannot change")

    # Messages --------------------------------------------------------------------------------

    def test_a_fractional_quantity_message_does_not_repeat_itself(self):
        with self.assertRaises(ValidationError) as caught:
            self._order(2.5)
        message = str(caught.exception)
        self.assertIn("2.5 Units of Serial Widget is not a whole number", message)
        self.assertNotIn("is 2.5 units", message)

    def test_cancelling_an_order_says_the_order_was_cancelled(self):
        self._put_in_stock(["NC-1"])
        order = self._order(1)
        self._choose(order.order_line, "NC-1")
        order.action_confirm()
        order.with_context(disable_cancel_warning=True).action_cancel()
        bodies = " ".join(order.message_ids.mapped("body"))
        self.assertIn("released because the order was cancelled", bodies)
        self.assertNotIn("closed without them", bodies)

    # Odoo's own Generate Serials dialog ------------------------------------------------------

    def _generate(self, first, count):
        receipt = self._create_receipt(count)
        context = {
            "default_product_id": self.product.id,
            "default_location_id": receipt.location_id.id,
            "default_location_dest_id": receipt.location_dest_id.id,
            "default_tracking": "serial",
            "default_quantity": count,
        }
        values = self.env["stock.move"].action_generate_lot_line_vals(
            context, "generate", first, count, False
        )
        return [value["lot_name"] for value in values]

    def test_odoo_generate_dialog_follows_the_numbering_rule(self):
        self.product.with_company(self.company).write(
            {"serial_generation": "sequential", "serial_prefix": "GEN-", "serial_padding": 3}
        )
        product = self.product.with_company(self.company)
        self.assertEqual(product.serial_generate_proposal(), "GEN-001")
        # The proposal as the dialog shows it, then an empty First SN: the rule's counter moves.
        self.assertEqual(self._generate("GEN-001", 2), ["GEN-001", "GEN-002"])
        self.assertEqual(product.serial_generate_proposal(), "GEN-003")
        self.assertEqual(self._generate("", 2), ["GEN-003", "GEN-004"])
        # A First SN of the user's own is Odoo's: counted on from it, the rule untouched.
        self.assertEqual(self._generate("OWN-10", 2), ["OWN-10", "OWN-11"])
        self.assertEqual(product.serial_generate_proposal(), "GEN-005")
        # A random rule draws its serials.
        product.write({"serial_generation": "random", "serial_random_length": 6})
        self.assertEqual(product.serial_generate_proposal(), "")
        drawn = self._generate("", 3)
        self.assertEqual(len(set(drawn)), 3)
        self.assertTrue(all(name.startswith("GEN-") and len(name) == 10 for name in drawn))

    # The serial form -------------------------------------------------------------------------

    def test_serial_form_hides_odoo_costs_and_the_second_location(self):
        """Odoo's Cost, Average Cost and Total Value show only for products valued per serial;
        the location shows once, in the Serial group."""
        manager = self._create_user("nu_manager", "Stock Manager", ["stock.group_stock_manager"])
        arch = (
            self.env["stock.lot"]
            .with_user(manager)
            .get_view(self.env.ref("stock.view_production_lot_form").id)["arch"]
        )
        tree = etree.fromstring(arch)
        for name in ("total_value", "avg_cost", "standard_price"):
            for node in tree.xpath(f"//field[@name='{name}']/.. | //label[@for='{name}']"):
                self.assertEqual(
                    node.get("invisible"),
                    "serial_product_tracking == 'serial' and not serial_lot_valuated",
                    name,
                )
        locations = tree.xpath("//field[@name='location_id'][not(ancestor::list)]")
        shown = [
            node
            for node in locations
            if "serial_product_tracking == 'serial'" not in (node.get("invisible") or "")
        ]
        self.assertEqual(len(shown), 1, "one location for a serial")
        self.assertEqual(shown[0].get("string"), "Current Location")

    # Found by trying every flow ----------------------------------------------------------------

    def test_a_new_serial_form_opens(self):
        """Inventory > Serial Inventory > New: the form of a serial without product yet."""
        form = Form(
            self.env["stock.lot"]
            .with_user(self.stock_user)
            .with_context(allowed_company_ids=self.company.ids)
        )
        self.assertEqual(form.warranty_state, "none")
        form.product_id = self.product
        form.name = "NEW-BY-HAND"
        self.assertEqual(form.save().product_id, self.product)

    def test_a_warranty_type_in_use_is_archived_not_deleted(self):
        kind = self.env["serial.warranty.type"].create(
            {"name": "In Use", "company_id": self.company.id}
        )
        lot = self._put_in_stock(["NW-1"])
        lot.warranty_type_id = kind
        with self.assertRaisesRegex(UserError, "In Use cannot be deleted: 1 serials .* Archive it"):
            kind.unlink()
        unused = self.env["serial.warranty.type"].create(
            {"name": "Unused", "company_id": self.company.id}
        )
        unused.unlink()
        self.assertFalse(unused.exists())

    def test_scrap_refuses_a_unit_chosen_on_an_open_order(self):
        self._put_in_stock(["NS-1"])
        order = self._order(1)
        self._choose(order.order_line, "NS-1")
        form = self._operation("scrap", "NS-1")
        self.assertIn(f"NS-1 of Serial Widget is chosen on {order.name}", form.preview_html)
        self.assertEqual(form.counter_state, "error")

    def test_a_vendor_receipt_refuses_a_unit_at_a_customer(self):
        self._put_in_stock(["NV-1"])
        self._validate(self._order_and_deliver(["NV-1"]))
        receipt = self._create_receipt(1)
        form = self._open_popup(receipt.move_ids)
        form.serial_text = "NV-1"
        self.assertIn(
            f"NV-1 of Serial Widget is at {self.customer.name} (delivered)", form.preview_html
        )
        self.assertEqual(form.counter_state, "error")

    def test_a_customer_return_takes_only_what_was_delivered_and_generates_nothing(self):
        self._put_in_stock(["NR-1", "NR-2"])
        delivery = self._validate(self._order_and_deliver(["NR-1"]))
        return_picking = self._return_lots(delivery, delivery.move_line_ids.lot_id)
        form = self._open_popup(return_picking.move_ids)
        self.assertFalse(form.allow_generate)
        form.serial_text = "NR-NEW"
        self.assertIn(
            f"NR-NEW of Serial Widget was not delivered on {delivery.name}", form.preview_html
        )
        form.serial_text = "NR-1"
        self.assertEqual(form.counter_state, "ok")

    def test_oldest_first_replaces_serials_that_cannot_be_taken(self):
        self._put_in_stock(["NO-1"])
        order = self._order(1)
        form = self._open(order.order_line)
        form.serial_text = "NOT-HERE"
        wizard = form.save()
        wizard.action_pick_oldest()
        self.assertEqual(wizard.serial_text.split(), ["NO-1"])

    def test_installed_base_refuses_a_future_date(self):
        form = self._operation("installed_base", "NI-1")
        form.partner_id = self.customer
        form.date = fields.Datetime.now() + datetime.timedelta(days=3)
        self.assertIn("is in the future", form.preview_html)
        self.assertEqual(form.counter_state, "error")

    def test_operations_choose_their_company(self):
        arch = self.env["serial.entry.wizard"].get_view(view_type="form")["arch"]
        tree = etree.fromstring(arch)
        self.assertTrue(
            tree.xpath("//div[hasclass('o_serial_entry_product')]//field[@name='company_id']")
        )
        self._put_in_stock(["NCB-1"], location=self.warehouse_b.lot_stock_id)
        form = self._operation("scrap", "NCB-1")
        form.company_id = self.company_b
        self.assertEqual(form.counter_state, "ok")

    def test_a_seller_without_inventory_rights_is_told_who_chooses_serials(self):
        self.company.serial_sale_required = "confirmation"
        seller = self._create_user(
            "nu_seller2", "Seller Two", ["sales_team.group_sale_salesman_all_leads"]
        )
        order = self._order(1)
        with self.assertRaisesRegex(
            UserError, "Serials are chosen by users with access to Inventory"
        ):
            order.with_user(seller).with_context(
                allowed_company_ids=self.company.ids
            ).action_confirm()
        self.assertEqual(order.state, "draft")

    def test_a_copied_serial_is_a_new_unit_nowhere_yet(self):
        self._put_in_stock(["ND-COPY"])
        delivered = self._order_and_deliver(["ND-COPY"])
        self._validate(delivered)
        lot = delivered.move_line_ids.lot_id
        self.assertEqual(lot.location_id.usage, "customer")
        copy = lot.copy()
        self.assertFalse(copy.location_id)
        self.assertFalse(copy.holder_partner_id)
        self.assertEqual(lot.location_id.usage, "customer", "the original stays where it is")

    def test_a_serial_with_stock_is_not_deleted_with_a_database_error(self):
        lot = self._put_in_stock(["NDEL-1"])
        with self.assertRaisesRegex(UserError, "NDEL-1 cannot be deleted: the units are at"):
            lot.unlink()
        spare = self.env["stock.lot"].create(
            {"name": "NDEL-2", "product_id": self.product.id, "company_id": self.company.id}
        )
        spare.unlink()
        self.assertFalse(spare.exists())

    def test_settings_out_of_range_are_refused_by_a_message(self):
        with self.assertRaisesRegex(ValidationError, "Serials per Entry of Serial Co A must be 1"):
            self.company.serial_entry_limit = -5
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.company_b.serial_warranty_reminder_days = -1

    def test_one_serial_is_one_serial(self):
        self._put_in_stock(["NP-1"])
        self.assertEqual(self._operation("scrap", "NP-1").counter, "1 serial")
        self.assertEqual(self._operation("scrap", "").counter, "0 serials")
