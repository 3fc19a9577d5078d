# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SerialSaleCase


@tagged("post_install", "-at_install")
class TestSaleSerials(SerialSaleCase):
    """Exact serials chosen on sales lines: selection popup, reservation on the delivery,
    delivery, documents, customer returns and resale."""

    def _return(self, picking, lots):
        return self._return_lots(picking, lots)

    # ------------------------------------------------------------------
    # End to end
    # ------------------------------------------------------------------

    def test_choose_confirm_deliver_print_return_and_resell(self):
        self.env["account.chart.template"].try_loading(
            "generic_coa", company=self.company, install_demo=False
        )
        lots = self._stock_by_receipts([(3, ["OLD-1", "OLD-2"]), (5, ["NEW-1", "NEW-2"])])
        order = self._order(3, partner=self.customer_contact)
        order.user_id = self.seller
        line = order.order_line
        self.assertEqual(line.serial_count_label, "0 / 3 serials")

        # A scan, then the oldest available ones.
        form = self._open(line, user=self.seller)
        self.assertEqual(form.mode, "sale")
        self.assertEqual(form.location_id, self.warehouse.view_location_id)
        form.serial_text = "NEW-2"
        self.assertEqual(form.counter, "1 / 3 serials")
        wizard = form.save()
        wizard.action_pick_oldest()
        self.assertEqual(wizard.serial_text.splitlines(), ["NEW-2", "OLD-1", "OLD-2"])
        self.assertEqual(wizard.counter, "3 / 3 serials")
        wizard.action_apply()
        chosen = lots.filtered(lambda lot: lot.name in ("NEW-2", "OLD-1", "OLD-2"))
        self.assertEqual(line.serial_ids, chosen)
        self.assertEqual(set(chosen.mapped("serial_state")), {"reserved"})
        self.assertEqual(line.serial_count_label, "3 / 3 serials")

        # A second quotation cannot take them.
        other = self._order(1, partner=self.other_customer)
        message = self._apply_error(other.order_line, "OLD-1")
        self.assertIn("OLD-1 of Serial Widget is not available", message)
        self.assertIn(order.name, message)
        wizard = self._open(other.order_line).save()
        wizard.action_pick_oldest()
        self.assertEqual(wizard.serial_text, "NEW-1", "the only one left")

        # Confirmation: the delivery reserves exactly them.
        order.action_confirm()
        delivery = order.picking_ids
        self.assertEqual(delivery.move_ids.serial_restrict_lot_ids, chosen)
        self.assertEqual(delivery.move_line_ids.lot_id, chosen)
        self.assertEqual(delivery.state, "assigned")

        # The delivery slip, before and after validation, shows them.
        slip = (
            self.env["ir.actions.report"]
            ._render_qweb_html("stock.report_deliveryslip", delivery.ids)[0]
            .decode()
        )
        self.assertIn("Serial numbers: ", slip)
        self.assertIn("OLD-1", slip)
        self._validate(delivery)
        for lot in chosen:
            self.assertEqual(lot.serial_state, "delivered")
            self.assertEqual(lot.holder_partner_id, self.customer, "the commercial partner")
            self.assertEqual(lot.sale_line_id, line)
            self.assertTrue(lot.serial_delivery_date)
        slip = (
            self.env["ir.actions.report"]
            ._render_qweb_html("stock.report_deliveryslip", delivery.ids)[0]
            .decode()
        )
        for name in ("NEW-2", "OLD-1", "OLD-2"):
            self.assertIn(name, slip)

        # The invoice prints them under the line.
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(invoice.invoice_line_ids.serial_names, "NEW-2, OLD-1, OLD-2")
        self.assertIn(invoice, chosen[0].serial_invoice_ids)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.report_invoice", invoice.ids)[0]
            .decode()
        )
        self.assertIn("Serial numbers: ", html)
        self.assertIn("NEW-2, OLD-1, OLD-2", html)

        # Partial return: one line per serial that went out, one of them taken back.
        wizard = self._return_wizard(delivery)
        self.assertEqual(
            sorted(wizard.product_return_moves.lot_id.mapped("name")), ["NEW-2", "OLD-1", "OLD-2"]
        )
        with self.assertRaises(ValidationError):
            wizard.product_return_moves[0].quantity = 2
        returned_lot = chosen.filtered(lambda lot: lot.name == "OLD-1")
        customer_return = self._return(delivery, returned_lot)
        self.assertEqual(customer_return.move_line_ids.lot_id, returned_lot)
        self._validate(customer_return)
        self.assertEqual(returned_lot.serial_state, "in_stock")
        self.assertFalse(returned_lot.holder_partner_id)
        self.assertFalse(returned_lot.sale_line_id)
        self.assertEqual(set((chosen - returned_lot).mapped("serial_state")), {"delivered"})

        # The returned unit is sold again.
        resale = self._order(1, partner=self.other_customer)
        self._choose(resale.order_line, "OLD-1")
        resale.action_confirm()
        self._validate(resale.picking_ids)
        self.assertEqual(returned_lot.serial_state, "delivered")
        self.assertEqual(returned_lot.holder_partner_id, self.other_customer)
        self.assertEqual(returned_lot.sale_line_id, resale.order_line)

    def test_changing_serials_on_the_delivery_updates_the_line(self):
        lots = self._put_in_stock(["CD-1", "CD-2", "CD-3"])
        order = self._order(2)
        line = order.order_line
        self._choose(line, "CD-1\nCD-2")
        order.action_confirm()
        move = order.picking_ids.move_ids
        form = Form(
            self.env["serial.entry.wizard"].with_context(
                **move.action_open_serial_entry()["context"]
            )
        )
        self.assertEqual(form.mode, "deliver")
        self.assertEqual(sorted(form.serial_text.splitlines()), ["CD-1", "CD-2"])
        form.serial_text = "CD-1\nCD-3"
        form.save().action_apply()
        self.assertEqual(line.serial_ids, lots[0] | lots[2])
        self.assertEqual(move.move_line_ids.lot_id, lots[0] | lots[2])
        self.assertEqual(lots.mapped("serial_state"), ["reserved", "in_stock", "reserved"])

    def test_two_step_delivery_picks_the_chosen_serials(self):
        self.warehouse.delivery_steps = "pick_ship"
        lots = self._put_in_stock(["TS-1", "TS-2", "TS-3"])
        order = self._order(1)
        self._choose(order.order_line, "TS-3")
        order.action_confirm()
        pick = order.picking_ids.filtered(lambda p: p.location_id == self.stock_location)
        self.assertEqual(pick.move_line_ids.lot_id, lots[2])
        self._validate(pick)
        ship = order.picking_ids - pick
        self.assertEqual(ship.move_line_ids.lot_id, lots[2])
        # The picked unit is the one that ships: it cannot be swapped any more.
        message = self._apply_error(order.order_line, "TS-1")
        self.assertIn("TS-3 of Serial Widget already left stock on %s" % pick.name, message)
        self._validate(ship)
        self.assertEqual(lots[2].serial_state, "delivered")
        self.assertEqual(lots[2].sale_line_id, order.order_line)

    def test_cancel_reduce_and_delete_release_the_serials(self):
        lots = self._put_in_stock(["RL-1", "RL-2", "RL-3"])
        order = self._order(3)
        line = order.order_line
        self._choose(line, "RL-1\nRL-2\nRL-3")
        line.product_uom_qty = 2
        self.assertEqual(line.serial_ids, lots[:2], "the last chosen goes back")
        self.assertEqual(lots[2].serial_state, "in_stock")
        self.assertIn("RL-3", order.message_ids[:1].body)
        order.action_confirm()
        self.assertTrue(line.serial_order_open, "a confirmed order's serials can still change")
        order._action_cancel()
        self.assertFalse(line.serial_order_open, "the line's popup button is hidden")
        self.assertFalse(line.serial_ids)
        self.assertEqual(set(lots.mapped("serial_state")), {"in_stock"})
        self.assertEqual(order.picking_ids.state, "cancel")
        quotation = self._order(1)
        self._choose(quotation.order_line, "RL-1")
        quotation.order_line.unlink()
        self.assertEqual(lots[0].serial_state, "in_stock")
        self.assertFalse(lots[0].sale_line_id)

    def test_backorder_keeps_the_chosen_serials(self):
        """A partial delivery: the backorder reserves the chosen serials still due, not the
        oldest in stock; closing the rest without backorder gives them back."""
        self._put_in_stock(["BO-OLD-1", "BO-OLD-2"])
        lots = self._put_in_stock(["BO-1", "BO-2", "BO-3"])
        order = self._order(3)
        line = order.order_line
        self._choose(line, "BO-1\nBO-2\nBO-3")
        order.action_confirm()
        delivery = order.picking_ids
        delivery.move_line_ids.filtered(lambda ml: ml.lot_id == lots[0]).picked = True
        result = delivery.button_validate()
        Form(self.env[result["res_model"]].with_context(**result["context"])).save().process()
        backorder = delivery.backorder_ids
        self.assertEqual(backorder.move_line_ids.lot_id, lots[1:])
        self.assertEqual(backorder.move_ids.serial_restrict_lot_ids, lots)
        form = self._open(line)
        self.assertEqual(form.quantity, 2, "the units still to deliver")
        backorder.move_line_ids.filtered(lambda ml: ml.lot_id == lots[1]).picked = True
        result = backorder.button_validate()
        wizard = Form(self.env[result["res_model"]].with_context(**result["context"])).save()
        wizard.process_cancel_backorder()
        self.assertEqual(lots.mapped("serial_state"), ["delivered", "delivered", "in_stock"])
        self.assertFalse(lots[2].sale_line_id, "given back: the rest will not ship")
        self.assertIn("closed without them", " ".join(order.message_ids.mapped("body")))

    def test_two_lines_of_one_product_on_a_two_step_delivery(self):
        self.warehouse.delivery_steps = "pick_ship"
        self._put_in_stock(["TL-OLD"])
        lots = self._put_in_stock(["TL-1", "TL-2"])
        order = self._order(1)
        order.order_line = [Command.create({"product_id": self.product.id, "product_uom_qty": 1})]
        first, second = order.order_line
        self._choose(first, "TL-2")
        self._choose(second, "TL-1")
        order.action_confirm()
        pick = order.picking_ids.filtered(lambda p: p.location_id == self.stock_location)
        self.assertEqual(pick.move_line_ids.lot_id, lots)
        self._validate(pick)
        ship = order.picking_ids - pick
        self._validate(ship)
        self.assertEqual(lots[1].sale_line_id, first)
        self.assertEqual(lots[0].sale_line_id, second)

    def test_chosen_serials_are_kept_from_other_deliveries(self):
        lots = self._put_in_stock(["KP-1", "KP-2"])
        order = self._order(1)
        self._choose(order.order_line, "KP-1")
        other = self._order(1, partner=self.other_customer)
        other.action_confirm()  # no serial chosen: Odoo reserves any, but not KP-1
        self.assertEqual(other.picking_ids.move_line_ids.lot_id, lots[1])
        order.action_confirm()
        self.assertEqual(order.picking_ids.move_line_ids.lot_id, lots[0])

    def test_changing_the_product_releases_the_serials(self):
        lots = self._put_in_stock(["PR-1"])
        order = self._order(1)
        self._choose(order.order_line, "PR-1")
        other = self.env["product.product"].create({"name": "Plain", "is_storable": True})
        order.order_line.product_id = other
        self.assertFalse(lots.sale_line_id)
        self.assertEqual(lots.serial_state, "in_stock")

    def test_serial_back_in_stock_without_a_return_is_free(self):
        """A unit delivered, then counted back in stock (not through a return), is no longer
        tied to the line it went out on."""
        lots = self._put_in_stock(["BK-1"])
        order = self._order(1)
        self._choose(order.order_line, "BK-1")
        order.action_confirm()
        self._validate(order.picking_ids)
        quant = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": self.product.id,
                    "lot_id": lots.id,
                    "location_id": self.stock_location.id,
                    "inventory_quantity": 1,
                }
            )
        )
        quant.action_apply_inventory()
        self.assertEqual(lots.serial_state, "in_stock")
        self.assertFalse(lots.sale_line_id)
        resale = self._order(1)
        self._choose(resale.order_line, "BK-1")
        self.assertEqual(lots.serial_state, "reserved")

    def test_returns_created_by_code_keep_one_line_per_move(self):
        """Code that creates the return wizard itself (not through the Return button) gets
        Odoo's own lines; the serials it returns are still checked at validation."""
        lots = self._put_in_stock(["CODE-1", "CODE-2"])
        order = self._order(2)
        order.action_confirm()
        delivery = self._validate(order.picking_ids)
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=delivery.id, active_model="stock.picking"
            )
        ).save()
        self.assertEqual(len(wizard.product_return_moves), 1)
        self.assertFalse(wizard.product_return_moves.lot_id)
        wizard.product_return_moves.quantity = 2
        returned = wizard._create_return()
        self.assertEqual(returned.move_line_ids.lot_id, lots)
        self._validate(returned)
        self.assertEqual(set(lots.mapped("serial_state")), {"in_stock"})

    def test_return_for_exchange(self):
        lots = self._put_in_stock(["EX-1", "EX-2", "EX-3"])
        order = self._order(2)
        self._choose(order.order_line, "EX-1\nEX-2")
        order.action_confirm()
        delivery = self._validate(order.picking_ids)
        wizard = self._return_wizard(delivery)
        wizard.product_return_moves.quantity = 1
        wizard.action_create_exchanges()
        returned = delivery.return_ids
        self.assertEqual(returned.move_line_ids.lot_id, lots[:2])
        exchange = order.picking_ids - delivery - returned
        self.assertEqual(sum(exchange.move_ids.mapped("product_uom_qty")), 2)

    def test_each_invoice_prints_the_serials_it_bills(self):
        self.env["account.chart.template"].try_loading(
            "generic_coa", company=self.company, install_demo=False
        )
        self.product.invoice_policy = "delivery"
        lots = self._put_in_stock(["IV-1", "IV-2"])
        order = self._order(2)
        self._choose(order.order_line, "IV-1\nIV-2")
        order.action_confirm()
        delivery = order.picking_ids
        delivery.move_line_ids.filtered(lambda ml: ml.lot_id == lots[0]).picked = True
        result = delivery.button_validate()
        Form(self.env[result["res_model"]].with_context(**result["context"])).save().process()
        first = order._create_invoices()
        first.action_post()
        self._validate(delivery.backorder_ids)
        second = order._create_invoices()
        second.action_post()
        self.assertEqual(first.invoice_line_ids.serial_names, "IV-1")
        self.assertEqual(second.invoice_line_ids.serial_names, "IV-2")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.report_invoice", second.ids)[0]
            .decode()
        )
        self.assertIn("Serial numbers: IV-2", html)
        self.assertNotIn("IV-1", html)
        # With Odoo's own table of lots on invoices, the serials are not printed twice.
        self.env.user.groups_id |= self.env.ref("stock_account.group_lot_on_invoice")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.report_invoice", second.ids)[0]
            .decode()
        )
        self.assertNotIn("Serial numbers: ", html)
        self.assertEqual(html.count("IV-2"), 1)

    def test_confirm_orders_of_two_warehouses_at_once(self):
        lot_a = self._put_in_stock(["TW-A"])
        lot_b = self._put_in_stock(["TW-B"], location=self.warehouse_b.lot_stock_id)
        order_a = self._order(1)
        self._choose(order_a.order_line, "TW-A")
        order_b = self._order(1, company=self.company_b)
        self._choose(order_b.order_line, "TW-B")
        (order_a | order_b).action_confirm()
        self.assertEqual(order_a.picking_ids.move_line_ids.lot_id, lot_a)
        self.assertEqual(order_b.picking_ids.move_line_ids.lot_id, lot_b)

    # ------------------------------------------------------------------
    # When serials are required
    # ------------------------------------------------------------------

    def test_serials_required_at_confirmation(self):
        self._put_in_stock(["RQ-1", "RQ-2"])
        order = self._order(2)
        order.action_confirm()  # the default: at delivery; Odoo reserves any two serials
        self._put_in_stock(["RQ-3", "RQ-4"])
        self.company.serial_sale_required = "confirmation"
        order = self._order(2)
        self._choose(order.order_line, "RQ-3")
        with self.assertRaises(UserError) as caught:
            order.action_confirm()
        self.assertIn("choose a serial for each of the 2 units (1 chosen)", str(caught.exception))
        self.assertIn(order.name, str(caught.exception))
        self.assertEqual(order.state, "draft")

    def test_chosen_serial_no_longer_available_stops_confirmation(self):
        lots = self._put_in_stock(["GN-1", "GN-2"])
        order = self._order(2)
        self._choose(order.order_line, "GN-1\nGN-2")
        # (the serial popup's Scrap refuses a unit chosen on an open order; Odoo's inventory
        # adjustment does not ask)
        quant = self.env["stock.quant"].search([("lot_id", "=", lots[1].id), ("quantity", ">", 0)])
        quant.with_context(inventory_mode=True).write({"inventory_quantity": 0})
        quant.action_apply_inventory()
        self.assertEqual(lots[1].serial_state, "adjusted_out")
        with self.assertRaises(UserError) as caught:
            order.action_confirm()
        self.assertIn("GN-2 is no longer available", str(caught.exception))
        self.assertEqual(order.state, "draft")

    def test_delivery_needs_serials_really_at_the_source(self):
        lots = self._put_in_stock(["SRC-1"])
        other_place = self.env["stock.location"].create(
            {
                "name": "Elsewhere",
                "usage": "internal",
                "location_id": self.warehouse.view_location_id.id,
            }
        )
        moved = self._transfer(
            lots, self.stock_location, other_place, picking_type=self.warehouse.int_type_id
        )
        self._validate(moved)
        order = self._order(1)
        order.action_confirm()
        delivery = order.picking_ids
        delivery.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            {
                "move_id": delivery.move_ids.id,
                "picking_id": delivery.id,
                "product_id": self.product.id,
                "product_uom_id": self.product.uom_id.id,
                "location_id": self.stock_location.id,
                "location_dest_id": self.customer_location.id,
                "lot_id": lots.id,
                "quantity": 1,
            }
        )
        delivery.move_ids.picked = True
        with self.assertRaisesRegex(UserError, "SRC-1 of Serial Widget is not at"):
            delivery.button_validate()

    # ------------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------------

    def test_bad_choices(self):
        self._put_in_stock(["BC-1", "BC-2"])
        other_product = self.env["product.product"].create(
            {"name": "Other Widget", "is_storable": True, "tracking": "serial"}
        )
        self._put_in_stock(["BC-OTHER"], product=other_product)
        self._put_in_stock(["BC-B"], location=self.warehouse_b.lot_stock_id)
        delivered = self._put_in_stock(["BC-GONE"])
        self._validate(self._transfer(delivered, self.stock_location, self.customer_location))
        line = self._order(2).order_line
        message = self._apply_error(line, "BC-1\nBC-OTHER\nBC-B\nBC-GONE\nBC-NONE")
        self.assertIn(
            "Line 2: BC-OTHER is not a serial number of Serial Widget in Serial Co A", message
        )
        self.assertIn(
            "Line 3: BC-B is not a serial number of Serial Widget in Serial Co A", message
        )
        self.assertIn("Line 4: BC-GONE of Serial Widget is not available", message)
        self.assertIn("Delivered", message)
        self.assertIn("Line 5: BC-NONE is not a serial number", message)
        message = self._apply_error(line, "BC-1, BC-2, BC-1")
        self.assertIn("entered 2 times", message)
        self._put_in_stock(["BC-3"])
        message = self._apply_error(line, "BC-1\nBC-2\nBC-3")
        self.assertIn("3 serial numbers are entered but only 2 units", message)

    def test_return_of_a_serial_never_delivered_to_this_customer(self):
        lots = self._put_in_stock(["RT-1", "RT-2"])
        order = self._order(1)
        self._choose(order.order_line, "RT-1")
        order.action_confirm()
        delivery = self._validate(order.picking_ids)
        other = self._order(1, partner=self.other_customer)
        self._choose(other.order_line, "RT-2")
        other.action_confirm()
        self._validate(other.picking_ids)
        customer_return = self._return(delivery, lots[0])
        customer_return.move_line_ids.lot_id = lots[1]  # the other customer's unit
        customer_return.move_ids.picked = True
        with self.assertRaises(UserError) as caught:
            customer_return.button_validate()
        self.assertIn(
            "RT-2 of Serial Widget was not delivered on %s" % delivery.name, str(caught.exception)
        )
        self.assertEqual(lots[1].holder_partner_id, self.other_customer)

    def test_fractional_quantity(self):
        with self.assertRaises(ValidationError):
            self._order(1.5)

    def test_user_without_inventory_rights(self):
        """A seller without Inventory rights cannot choose serials, but sells, confirms and
        cancels orders whose serials a clerk chose."""
        seller_only = self._create_user(
            "serial_seller_only", "Seller Only", ["sales_team.group_sale_salesman"]
        )
        lots = self._put_in_stock(["SO-1", "SO-2"])
        order = self._order(2)
        order.user_id = seller_only
        line = order.order_line
        with self.assertRaisesRegex(AccessError, "Inventory"):
            line.with_user(seller_only).action_open_serial_entry()
        self._choose(line, "SO-1\nSO-2")
        order_as_seller = order.with_user(seller_only).with_context(
            allowed_company_ids=self.company.ids
        )
        self.assertEqual(order_as_seller.order_line.serial_count_label, "2 / 2 serials")
        order_as_seller.action_confirm()
        self.assertEqual(order.picking_ids.move_line_ids.lot_id, lots)
        order_as_seller.order_line.product_uom_qty = 1
        self.assertEqual(line.serial_ids, lots[0])
        order_as_seller._action_cancel()
        self.assertFalse(line.serial_ids)
        self.assertEqual(set(lots.mapped("serial_state")), {"in_stock"})

    # ------------------------------------------------------------------
    # Several companies
    # ------------------------------------------------------------------

    def test_order_of_company_b_chooses_in_b(self):
        self._put_in_stock(["MC-S1"])  # company A
        lot_b = self._put_in_stock(["MC-S1"], location=self.warehouse_b.lot_stock_id)
        order = self._order(1, company=self.company_b)
        line = order.order_line
        form = self._open(line)
        self.assertEqual(form.location_id, self.warehouse_b.view_location_id)
        form.serial_text = "MC-S1"
        form.save().action_apply()
        self.assertEqual(line.serial_ids, lot_b)
        order.action_confirm()
        self.assertEqual(order.picking_ids.move_line_ids.lot_id, lot_b)
        clerk_a = self.stock_user
        with self.assertRaises(AccessError):
            line.with_user(clerk_a).with_context(
                allowed_company_ids=self.company.ids
            ).action_open_serial_entry()
