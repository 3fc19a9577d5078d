# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import io
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import format_date
from odoo.tools.pdf import PdfFileReader

from odoo.addons.base.models.ir_actions_report import IrActionsReport as OdooIrActionsReport

from ..tools.warranty import add_months
from .common import SerialSaleCase


@tagged("post_install", "-at_install")
class TestWarranty(SerialSaleCase):
    """Warranty per serial: policies, start events, states, returns, reminders, documents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manufacturer = cls.env["serial.warranty.type"].create(
            {
                "name": "Manufacturer",
                "company_id": cls.company.id,
                "terms": "<p>Parts and labour, return to base.</p>",
            }
        )
        cls.product.with_company(cls.company).write(
            {
                "warranty_duration": 12,
                "warranty_unit": "month",
                "warranty_start": "delivery",
                "warranty_type_id": cls.manufacturer.id,
            }
        )
        cls.today = fields.Date.context_today(cls.env["stock.lot"])

    def _sell(self, names, quantity=None):
        """Sell and deliver ``names`` (already in stock) on one order; return the order."""
        order = self._order(quantity or len(names))
        self._choose(order.order_line, "\n".join(names))
        order.action_confirm()
        self._validate(order.picking_ids)
        return order

    def _policy(self, **values):
        self.product.with_company(self.company).write(values)

    def _html(self, report, records):
        return self.env["ir.actions.report"]._render_qweb_html(report, records.ids)[0].decode()

    def _chart(self):
        self.env["account.chart.template"].try_loading(
            "generic_coa", company=self.company, install_demo=False
        )

    def _invoice(self, order, quantity=None, date=None):
        invoice = order._create_invoices()
        if quantity is not None:
            invoice.invoice_line_ids.quantity = quantity
        invoice.invoice_date = date or self.today
        invoice.action_post()
        return invoice

    # ------------------------------------------------------------------
    # Start events
    # ------------------------------------------------------------------

    def test_delivery_starts_the_warranty_and_documents_show_it(self):
        lots = self._put_in_stock(["WD-1", "WD-2"])
        self.assertEqual(set(lots.mapped("warranty_state")), {"pending"})
        order = self._sell(["WD-1", "WD-2"])
        end = add_months(self.today, 12)
        for lot in lots:
            self.assertEqual(lot.warranty_start_date, self.today)
            self.assertEqual(lot.warranty_end_date, end)
            self.assertEqual(lot.warranty_type_id, self.manufacturer)
            self.assertEqual(lot.warranty_state, "active")
        shown = format_date(self.env, end)
        slip = self._html("stock.report_deliveryslip", order.picking_ids)
        self.assertIn("WD-1</span>", slip)
        self.assertEqual(slip.count("warranty until"), 2)
        self.assertIn(shown, slip)
        # One certificate per serial, from the serial and from the delivery.
        certificate = self._html("serial_tracking.report_warranty_certificate", lots[0])
        self.assertIn("Warranty Certificate", certificate)
        self.assertIn("WD-1", certificate)
        self.assertNotIn("WD-2", certificate)
        self.assertIn(shown, certificate)
        self.assertIn(format_date(self.env, self.today), certificate)
        self.assertIn("Parts and labour", certificate)
        self.assertIn(self.customer.name, certificate)
        both = self._html("serial_tracking.report_warranty_certificate_picking", order.picking_ids)
        self.assertEqual(both.count("Warranty Certificate"), 2)
        self.assertIn("WD-1", both)
        self.assertIn("WD-2", both)
        clerk = self.stock_user
        action = (
            lots[0]
            .with_user(clerk)
            .with_context(allowed_company_ids=clerk.company_ids.ids)
            .action_print_warranty_certificate()
        )
        self.assertEqual(action["report_name"], "serial_tracking.report_warranty_certificate")

    def test_certificates_of_a_delivery_print_as_one_pdf_with_the_company(self):
        """Two certificates from one delivery give one PDF of two pages with wkhtmltopdf, whatever
        its build (Debian's, without patched Qt, writes no file for several documents); the
        company's name and address are on each page, not in a header the build may drop."""
        self.company.partner_id.write({"street": "12 Serial Street", "city": "Lotville"})
        self._put_in_stock(["WPDF-1", "WPDF-2"])
        picking = self._sell(["WPDF-1", "WPDF-2"]).picking_ids
        html = self._html("serial_tracking.report_warranty_certificate_picking", picking)
        self.assertEqual(html.count("o_serial_company_identity"), 2)
        self.assertEqual(html.count("12 Serial Street"), 2)
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "serial_tracking.action_report_warranty_certificate_picking", picking.ids
            )
        )
        self.assertEqual(kind, "pdf")
        reader = PdfFileReader(io.BytesIO(pdf))
        self.assertEqual(reader.getNumPages(), 2)
        texts = [" ".join(reader.getPage(number).extractText().split()) for number in range(2)]
        self.assertIn("WPDF-1", texts[0])
        self.assertIn("WPDF-2", texts[1])
        for text in texts:
            self.assertIn("Serial Co A", text)
            self.assertIn("12 Serial Street", text)

    def test_an_empty_pdf_is_an_error_not_a_download(self):
        self._put_in_stock(["WPDF-3"])
        lot = self._sell(["WPDF-3"]).order_line.serial_ids
        with (
            patch.object(OdooIrActionsReport, "_run_wkhtmltopdf", return_value=b""),
            self.assertRaisesRegex(UserError, "The PDF could not be made: wkhtmltopdf"),
        ):
            self.env["ir.actions.report"].with_context(
                force_report_rendering=True
            )._render_qweb_pdf("serial_tracking.action_report_warranty_certificate", lot.ids)

    def test_no_certificate_for_a_unit_whose_warranty_has_not_started(self):
        lot = self._put_in_stock(["WNS-1"])
        with self.assertRaisesRegex(UserError, "No warranty has started for WNS-1"):
            self._html("serial_tracking.report_warranty_certificate", lot)

    def test_old_delivery_does_not_print_the_next_customer_warranty(self):
        lots = self._put_in_stock(["WP-1"])
        first = self._sell(["WP-1"]).picking_ids
        self._validate(self._return_lots(first, lots))
        order = self._order(1, partner=self.other_customer)
        self._choose(order.order_line, "WP-1")
        order.action_confirm()
        self._validate(order.picking_ids)
        self.assertEqual(lots.holder_partner_id, self.other_customer)
        old = self._html("serial_tracking.report_warranty_certificate_picking", first)
        self.assertNotIn("WP-1", old)
        self.assertNotIn(self.other_customer.name, old)
        self.assertNotIn("warranty until", self._html("stock.report_deliveryslip", first))
        new = self._html("serial_tracking.report_warranty_certificate_picking", order.picking_ids)
        self.assertIn("WP-1", new)
        self.assertIn(self.other_customer.name, new)
        self.assertIn("warranty until", self._html("stock.report_deliveryslip", order.picking_ids))
        # A receipt has no certificates.
        receipt = self._create_receipt(1)
        receipt.move_ids._set_serial_names(["WP-2"])
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.assertNotIn(
            "WP-2", self._html("serial_tracking.report_warranty_certificate_picking", receipt)
        )

    def test_warranty_type_of_another_company_is_refused(self):
        store_b = self.env["serial.warranty.type"].create(
            {"name": "Store B", "company_id": self.company_b.id}
        )
        lot = self._put_in_stock(["WY-1"])
        with self.assertRaisesRegex(ValidationError, "WY-1 .* belongs to Serial Co A: its"):
            lot.warranty_type_id = store_b

    def test_serial_shared_by_all_companies_takes_the_selling_company_warranty(self):
        """A product without a company gives serials without a company (Odoo's lots take the
        product's company): their delivery gives them the selling company's warranty type."""
        lot = self._put_in_stock(["WS-1"])
        lot.company_id = False
        self._sell(["WS-1"])
        self.assertFalse(lot.company_id)
        self.assertEqual(lot.warranty_type_id, self.manufacturer)
        self.assertEqual(lot.warranty_end_date, add_months(self.today, 12))

    def test_serial_shared_by_all_companies_delivered_by_another_company(self):
        """A shared serial sold and delivered by company B, validated by a user whose current
        company is A: B's policy and type, not A's; B's certificate; A's type cannot be forced
        on it by a user of B only, and a user of B only can print it."""
        store_b = self.env["serial.warranty.type"].create(
            {"name": "Store B", "company_id": self.company_b.id, "terms": "<p>B terms</p>"}
        )
        self.product.with_company(self.company_b).write(
            {
                "warranty_duration": 24,
                "warranty_unit": "month",
                "warranty_start": "delivery",
                "warranty_type_id": store_b.id,
            }
        )
        lot = self._put_in_stock(["WS-B1"], location=self.warehouse_b.lot_stock_id)
        lot.company_id = False
        order = self._order(1, company=self.company_b)
        self._choose(order.order_line, "WS-B1")
        order.action_confirm()
        delivery = order.picking_ids.with_company(self.company)
        self.assertEqual(delivery.env.company, self.company)
        self._validate(delivery)
        self.assertEqual(lot.serial_state, "delivered")
        self.assertEqual(lot.warranty_type_id, store_b)
        self.assertEqual(lot.warranty_end_date, add_months(self.today, 24))
        html = self._html("serial_tracking.report_warranty_certificate", lot)
        self.assertIn("Serial Co B", html)
        self.assertIn("B terms", html)

        clerk_b = self._create_user(
            "serial_clerk_b_only", "Clerk B", ["stock.group_stock_user"], self.company_b
        )
        as_b = lot.with_user(clerk_b).with_context(allowed_company_ids=self.company_b.ids)
        with self.assertRaises(AccessError):  # the chatter's tracking cannot read it
            as_b.warranty_type_id = self.manufacturer
        # Without tracking (a context an RPC call can send) the constraint still refuses it.
        with self.assertRaises(AccessError) as caught:
            as_b.with_context(tracking_disable=True).warranty_type_id = self.manufacturer
        self.assertIn("WS-B1", str(caught.exception))
        self.assertIn("a company you do not work for", str(caught.exception))
        lot.invalidate_recordset()
        self.assertEqual(lot.warranty_type_id, store_b, "nothing written")
        # A shared serial delivered by A, printed by a user of B only: A's type is shown.
        lot.warranty_type_id = self.manufacturer
        html = (
            self.env["ir.actions.report"]
            .with_user(clerk_b)
            .with_context(allowed_company_ids=self.company_b.ids)
            ._render_qweb_html("serial_tracking.report_warranty_certificate", lot.ids)[0]
            .decode()
        )
        self.assertIn("Parts and labour", html)

    def test_invoice_start_with_a_partially_invoiced_line(self):
        self._chart()
        self.product.invoice_policy = "delivery"
        self._policy(warranty_start="invoice", warranty_duration=1)
        lots = self._put_in_stock(["WI-1", "WI-2"])
        order = self._order(2)
        self._choose(order.order_line, "WI-1\nWI-2")
        order.action_confirm()
        delivery = order.picking_ids
        # WI-2 goes out first, WI-1 a day later: the order of deliveries, not of the serials.
        lots = lots[1] | lots[0]
        delivery.move_line_ids.filtered(lambda ml: ml.lot_id == lots[0]).picked = True
        result = delivery.button_validate()
        Form(self.env[result["res_model"]].with_context(**result["context"])).save().process()
        self._validate(delivery.backorder_ids)
        delivery.move_line_ids.write({"date": fields.Datetime.now() - datetime.timedelta(days=1)})
        self.assertEqual(set(lots.mapped("warranty_state")), {"pending"})
        self.assertFalse(any(lots.mapped("warranty_start_date")))
        # Half the line invoiced on 31 January: the unit delivered first starts then.
        first = self._invoice(order, quantity=1, date=datetime.date(2026, 1, 31))
        self.assertEqual(lots[0].name, "WI-2")
        self.assertEqual(lots[0].warranty_start_date, datetime.date(2026, 1, 31))
        self.assertEqual(lots[0].warranty_end_date, datetime.date(2026, 2, 28))
        self.assertEqual(lots[0].warranty_state, "expired")
        self.assertFalse(lots[1].warranty_start_date)
        self.assertEqual(lots[1].warranty_state, "pending")
        second = self._invoice(order)
        self.assertEqual(lots[1].warranty_start_date, self.today)
        self.assertEqual(lots[1].warranty_end_date, add_months(self.today, 1))
        self.assertEqual(lots[0].warranty_start_date, datetime.date(2026, 1, 31), "kept")
        self.assertEqual(
            second.invoice_line_ids.serial_warranty_text,
            "WI-1 until %s" % format_date(self.env, lots[1].warranty_end_date),
        )
        html = self._html("account.report_invoice", first)
        self.assertIn(
            "Warranty: WI-2 until %s" % format_date(self.env, lots[0].warranty_end_date), html
        )
        self.assertNotIn("WI-1", html)

    def test_invoice_before_delivery_starts_at_the_delivery(self):
        self._chart()
        self.product.invoice_policy = "order"
        self._policy(warranty_start="invoice")
        lots = self._put_in_stock(["WO-1"])
        order = self._order(1)
        self._choose(order.order_line, "WO-1")
        order.action_confirm()
        self._invoice(order, date=datetime.date(2026, 3, 2))
        self.assertFalse(lots.warranty_start_date, "not delivered yet")
        self._validate(order.picking_ids)
        self.assertEqual(lots.warranty_start_date, datetime.date(2026, 3, 2))
        self.assertEqual(lots.warranty_end_date, datetime.date(2027, 3, 2))

    def test_manual_start(self):
        self._policy(warranty_start="manual", warranty_unit="year", warranty_duration=1)
        lots = self._put_in_stock(["WM-1", "WM-2"])
        self._sell(["WM-1", "WM-2"])
        self.assertEqual(set(lots.mapped("warranty_state")), {"pending"})
        self.assertFalse(lots[0].warranty_end_date)
        # Entered in the form: the end follows the start.
        form = Form(lots[0])
        form.warranty_start_date = datetime.date(2028, 2, 29)
        self.assertEqual(form.warranty_end_date, datetime.date(2029, 2, 28))
        form.save()
        self.assertEqual(lots[0].warranty_end_date, datetime.date(2029, 2, 28))
        self.assertEqual(lots[0].warranty_type_id, self.manufacturer)
        self.assertEqual(lots[0].warranty_state, "pending", "starts later")
        # Written directly (import, RPC): the same.
        lots[1].warranty_start_date = datetime.date(2027, 1, 31)
        self.assertEqual(lots[1].warranty_end_date, datetime.date(2028, 1, 31))
        # Both given: the end entered wins.
        lots[1].write(
            {
                "warranty_start_date": datetime.date(2026, 1, 1),
                "warranty_end_date": datetime.date(2026, 6, 30),
            }
        )
        self.assertEqual(lots[1].warranty_end_date, datetime.date(2026, 6, 30))
        self.assertEqual(lots[1].warranty_state, "expired")

    def test_manual_dates_entered_before_the_delivery_stay(self):
        self._policy(warranty_start="manual")
        lots = self._put_in_stock(["WM-3"])
        lots.warranty_start_date = datetime.date(2026, 12, 1)
        self.assertEqual(lots.warranty_end_date, datetime.date(2027, 12, 1))
        self._sell(["WM-3"])
        self.assertEqual(lots.warranty_start_date, datetime.date(2026, 12, 1))
        self.assertEqual(lots.warranty_end_date, datetime.date(2027, 12, 1))

    def test_product_without_policy(self):
        self._policy(warranty_duration=0)
        lots = self._put_in_stock(["WN-1"])
        self.assertEqual(lots.warranty_state, "none")
        self._sell(["WN-1"])
        self.assertFalse(lots.warranty_start_date)
        self.assertFalse(lots.warranty_end_date)
        self.assertFalse(lots.warranty_type_id)
        self.assertEqual(lots.warranty_state, "none")
        slip = self._html("stock.report_deliveryslip", lots.sale_line_id.order_id.picking_ids)
        self.assertNotIn("warranty until", slip)

    def test_policy_changed_after_delivery_keeps_dates(self):
        lots = self._put_in_stock(["WC-1"])
        self._sell(["WC-1"])
        end = lots.warranty_end_date
        self._policy(warranty_duration=36, warranty_start="manual")
        self.assertEqual(lots.warranty_end_date, end)
        self.assertEqual(lots.warranty_start_date, self.today)
        self.assertEqual(lots.warranty_state, "active")
        self._policy(warranty_duration=0)
        self.assertEqual(lots.warranty_end_date, end)

    def test_policy_is_per_company(self):
        self.assertEqual(self.product.with_company(self.company_b).warranty_duration, 0)
        lots_b = self._put_in_stock(["WB-1"], location=self.warehouse_b.lot_stock_id)
        self.assertEqual(lots_b.warranty_state, "none")
        self.product.with_company(self.company_b).warranty_duration = 2
        self.assertEqual(lots_b.warranty_state, "pending")
        self.assertEqual(self.product.with_company(self.company).warranty_duration, 12)

    # ------------------------------------------------------------------
    # Returns and resale
    # ------------------------------------------------------------------

    def test_return_clears_and_resale_starts_a_new_warranty(self):
        lots = self._put_in_stock(["WR-1"])
        order = self._sell(["WR-1"])
        self.assertTrue(lots.warranty_end_date)
        self._validate(self._return_lots(order.picking_ids, lots))
        self.assertEqual(lots.serial_state, "in_stock")
        self.assertFalse(lots.warranty_start_date)
        self.assertFalse(lots.warranty_end_date)
        self.assertFalse(lots.warranty_type_id)
        self.assertEqual(lots.warranty_state, "pending")
        # Sold again, a year later in the books: a new warranty from the new delivery.
        self._policy(warranty_duration=6)
        self._sell(["WR-1"])
        self.assertEqual(lots.warranty_start_date, self.today)
        self.assertEqual(lots.warranty_end_date, add_months(self.today, 6))

    def test_return_keeps_the_warranty_when_the_company_says_so(self):
        self.company.serial_warranty_on_return = "keep"
        lots = self._put_in_stock(["WK-1"])
        order = self._sell(["WK-1"])
        lots.write({"warranty_start_date": datetime.date(2026, 1, 31)})
        self.assertEqual(lots.warranty_end_date, datetime.date(2027, 1, 31))
        self._validate(self._return_lots(order.picking_ids, lots))
        self.assertEqual(lots.warranty_start_date, datetime.date(2026, 1, 31))
        self.assertEqual(lots.warranty_end_date, datetime.date(2027, 1, 31))
        # Resold: a new warranty all the same.
        self._sell(["WK-1"])
        self.assertEqual(lots.warranty_start_date, self.today)
        self.assertEqual(lots.warranty_end_date, add_months(self.today, 12))
        # Returned and resold the same day, under a new policy: the new one applies.
        order = lots.sale_line_id.order_id
        self._validate(self._return_lots(order.picking_ids, lots))
        self.assertEqual(lots.warranty_start_date, self.today, "kept")
        self._policy(warranty_duration=6)
        self._sell(["WK-1"])
        self.assertEqual(lots.warranty_start_date, self.today)
        self.assertEqual(lots.warranty_end_date, add_months(self.today, 6))

    def test_a_unit_returned_straight_to_scrap_has_no_warranty(self):
        self.company.serial_warranty_on_return = "keep"
        lots = self._put_in_stock(["WG-1"])
        self._sell(["WG-1"])
        scrap_location = self.env["stock.location"].search(
            [("scrap_location", "=", True), ("company_id", "in", (False, self.company.id))],
            limit=1,
        )
        picking = self._transfer(
            lots, self.customer_location, scrap_location, picking_type=self.warehouse.in_type_id
        )
        self._validate(picking)
        self.assertEqual(lots.serial_state, "scrapped")
        self.assertFalse(lots.warranty_end_date)
        self.assertEqual(lots.warranty_state, "none")

    # ------------------------------------------------------------------
    # States, filters, edits
    # ------------------------------------------------------------------

    def _dated(self, name, start, end):
        lot = self._put_in_stock([name])
        lot.write({"warranty_start_date": start, "warranty_end_date": end})
        return lot

    def test_states_and_filters(self):
        day = datetime.timedelta(days=1)
        active = self._dated("WS-A", self.today - 10 * day, self.today + 100 * day)
        expiring = self._dated("WS-E", self.today - 10 * day, self.today + 30 * day)
        ends_today = self._dated("WS-T", self.today - 10 * day, self.today)
        expired = self._dated("WS-X", self.today - 100 * day, self.today - day)
        later = self._dated("WS-L", self.today + day, self.today + 100 * day)
        pending = self._put_in_stock(["WS-P"])
        self._policy(warranty_duration=0)
        none = self._put_in_stock(["WS-N"])
        self.assertEqual(active.warranty_state, "active")
        self.assertEqual(expiring.warranty_state, "expiring")
        self.assertEqual(ends_today.warranty_state, "expiring")
        self.assertEqual(expired.warranty_state, "expired")
        self.assertEqual(later.warranty_state, "pending")
        self.assertEqual(pending.warranty_state, "none", "the policy is gone")
        self.assertEqual(none.warranty_state, "none")
        everything = active | expiring | ends_today | expired | later | pending | none
        Lot = self.env["stock.lot"]

        def filtered(xmlid):
            view = self.env.ref("serial_tracking.view_serial_inventory_search")
            node = view.arch.split('name="%s"' % xmlid)[1].split('domain="')[1].split('"')[0]
            domain = eval(node.replace("&apos;", "'"))
            return Lot.search(domain + [("id", "in", everything.ids)])

        self.assertEqual(filtered("filter_under_warranty"), active | expiring | ends_today)
        self.assertEqual(filtered("filter_warranty_expiring"), expiring | ends_today)
        self.assertEqual(filtered("filter_warranty_expired"), expired)
        self.assertEqual(filtered("filter_warranty_pending"), later)
        # The company's number of days decides what is expiring soon, at once.
        self.company.serial_warranty_expiring_days = 120
        self.assertEqual(active.warranty_state, "expiring")
        self.company.serial_warranty_expiring_days = 5
        self.assertEqual((active | expiring).mapped("warranty_state"), ["active", "active"])
        self.assertEqual(ends_today.warranty_state, "expiring")

    def test_daily_run_moves_states_with_the_date(self):
        day = datetime.timedelta(days=1)
        lots = (
            self._dated("WT-1", self.today - 10 * day, self.today + 100 * day)
            | self._dated("WT-2", self.today - 10 * day, self.today + 10 * day)
            | self._dated("WT-3", self.today + 5 * day, self.today + 200 * day)
        )
        self.assertEqual(lots.mapped("warranty_state"), ["active", "expiring", "pending"])
        # Time passes: the stored dates move back, as if 80 days had gone by.
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE stock_lot SET warranty_start_date = warranty_start_date - 80,
                                    warranty_end_date = warranty_end_date - 80
                WHERE id = ANY(%s)""",
            [lots.ids],
        )
        lots.invalidate_recordset()
        self.assertEqual(lots.mapped("warranty_state"), ["active", "expiring", "pending"])
        self.env["stock.lot"]._serial_cron_warranty()
        self.assertEqual(lots.mapped("warranty_state"), ["expiring", "expired", "active"])

    def test_end_before_start_is_refused(self):
        lot = self._put_in_stock(["WE-1"])
        with self.assertRaises(ValidationError) as caught:
            lot.write(
                {
                    "warranty_start_date": datetime.date(2026, 5, 1),
                    "warranty_end_date": datetime.date(2026, 4, 30),
                }
            )
        self.assertIn("WE-1", str(caught.exception))
        self.assertIn(self.product.display_name, str(caught.exception))
        self.assertFalse(lot.warranty_start_date, "nothing written")
        lot.warranty_start_date = datetime.date(2026, 5, 1)
        with self.assertRaises(ValidationError):
            lot.warranty_end_date = datetime.date(2026, 4, 30)

    def test_manual_changes_are_tracked(self):
        lot = self._put_in_stock(["WH-1"]).with_context(tracking_disable=False)
        self._sell(["WH-1"])
        # The serial was created without tracking (as every test record here): end that.
        self.env.flush_all()
        self.env.cr.precommit.run()
        lot.warranty_end_date = datetime.date(2030, 12, 31)
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written before the commit
        tracked = lot.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "warranty_end_date"
        )
        self.assertEqual(len(tracked), 1)
        self.assertEqual(tracked.new_value_datetime.date(), datetime.date(2030, 12, 31))
        self.assertEqual(tracked.old_value_datetime.date(), add_months(self.today, 12))

    def test_negative_duration_is_refused(self):
        with self.assertRaises(ValidationError):
            self._policy(warranty_duration=-1)

    # ------------------------------------------------------------------
    # Vendor warranty
    # ------------------------------------------------------------------

    def test_vendor_warranty_starts_at_receipt(self):
        other_vendor = self.env["res.partner"].create({"name": "Other Vendor"})
        self.product.seller_ids = [
            Command.create({"partner_id": other_vendor.id, "warranty_duration": 5}),
            Command.create(
                {
                    "partner_id": self.vendor.id,
                    "warranty_duration": 2,
                    "warranty_unit": "year",
                    "company_id": self.company.id,
                }
            ),
        ]
        receipt = self._create_receipt(2)
        receipt.move_ids._set_serial_names(["WV-1", "WV-2"])
        receipt.move_ids.picked = True
        receipt.button_validate()
        lots = receipt.move_line_ids.lot_id
        self.assertEqual(set(lots.mapped("vendor_warranty_end_date")), {add_months(self.today, 24)})
        self.assertFalse(any(lots.mapped("warranty_end_date")), "the customer's is separate")
        # A vendor without a warranty line gives none.
        self.product.seller_ids.filtered(lambda info: info.partner_id == self.vendor).unlink()
        receipt = self._create_receipt(1)
        receipt.move_ids._set_serial_names(["WV-3"])
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.assertFalse(receipt.move_line_ids.lot_id.vendor_warranty_end_date)

    # ------------------------------------------------------------------
    # Reminders
    # ------------------------------------------------------------------

    def test_reminders_once_per_serial(self):
        day = datetime.timedelta(days=1)
        lots = self._put_in_stock(["WA-1", "WA-2", "WA-3"])
        order = self._sell(["WA-1", "WA-2", "WA-3"])
        order.user_id = self.seller
        lots[0].warranty_end_date = self.today + 10 * day
        lots[1].warranty_end_date = self.today + 29 * day
        # WA-3 ends in a year: no reminder yet.
        activity_type = self.env.ref("serial_tracking.mail_activity_type_warranty_ending")

        def reminders():
            return self.env["mail.activity"].search(
                [("res_model", "=", "stock.lot"), ("res_id", "in", lots.ids)]
            )

        Lot = self.env["stock.lot"]
        mails = self.env["mail.mail"].search_count([])
        Lot._serial_cron_warranty()
        self.assertEqual(self.env["mail.mail"].search_count([]), mails, "no e-mail per serial")
        self.assertEqual(reminders().mapped("res_id"), lots[:2].ids)
        self.assertEqual(reminders().user_id, self.seller)
        self.assertEqual(reminders().activity_type_id, activity_type)
        self.assertEqual(
            reminders().filtered(lambda a: a.res_id == lots[0].id).date_deadline,
            self.today + 10 * day,
        )
        Lot._serial_cron_warranty()
        self.assertEqual(len(reminders()), 2, "running it twice creates nothing new")
        # A set user gets the next ones; a new end date is reminded again.
        manager = self._create_user(
            "warranty_manager", "Warranty Manager", ["stock.group_stock_manager"]
        )
        self.company.serial_warranty_reminder_user_id = manager
        lots[2].warranty_end_date = self.today + 3 * day
        lots[0].warranty_end_date = self.today + 5 * day
        Lot._serial_cron_warranty()
        new = reminders().filtered(lambda a: a.user_id == manager)
        self.assertEqual(sorted(new.mapped("res_id")), sorted([lots[0].id, lots[2].id]))
        Lot._serial_cron_warranty()
        self.assertEqual(len(reminders()), 4)
        # Not delivered: nothing.
        in_stock = self._put_in_stock(["WA-4"])
        in_stock.warranty_end_date = self.today + 2 * day
        Lot._serial_cron_warranty()
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", "stock.lot"), ("res_id", "=", in_stock.id)]
            )
        )
        # No reminder days: nothing.
        self.company.serial_warranty_reminder_days = 0
        lots[1].warranty_end_date = self.today + 2 * day
        Lot._serial_cron_warranty()
        self.assertEqual(len(reminders()), 4)

    def test_reminder_waits_for_someone_to_remind(self):
        lots = self._put_in_stock(["WU-1"])
        order = self._sell(["WU-1"])
        order.user_id = False
        self.product.with_company(self.company).responsible_id = False
        lots.warranty_end_date = self.today + datetime.timedelta(days=3)
        Lot = self.env["stock.lot"]
        Lot._serial_cron_warranty()
        self.assertFalse(lots.activity_ids, "nobody to remind")
        self.assertFalse(lots.warranty_reminded_date)
        self.product.with_company(self.company).responsible_id = self.seller
        Lot._serial_cron_warranty()
        self.assertEqual(lots.activity_ids.user_id, self.seller)

    def test_the_cron_is_scheduled_daily(self):
        cron = self.env.ref("serial_tracking.ir_cron_serial_warranty")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        self.assertEqual(cron.code.strip(), "model._serial_cron_warranty()")

    # ------------------------------------------------------------------
    # Warranty types: companies and groups
    # ------------------------------------------------------------------

    def test_warranty_types_per_company_and_group(self):
        store_b = self.env["serial.warranty.type"].create(
            {"name": "Store", "company_id": self.company_b.id}
        )
        clerk = self.stock_user
        Types = (
            self.env["serial.warranty.type"]
            .with_user(clerk)
            .with_context(allowed_company_ids=clerk.company_ids.ids)
        )
        self.assertEqual(
            Types.search([("id", "in", (self.manufacturer | store_b).ids)]), self.manufacturer
        )
        with self.assertRaises(AccessError):
            store_b.with_env(Types.env).read(["name"])
        with self.assertRaises(AccessError):
            Types.create({"name": "Extended", "company_id": self.company.id})
        with self.assertRaises(AccessError):
            self.manufacturer.with_env(Types.env).name = "Renamed"
        manager = self._create_user(
            "warranty_boss", "Stock Manager A", ["stock.group_stock_manager"]
        )
        sales_manager = self._create_user(
            "warranty_sales_boss", "Sales Manager A", ["sales_team.group_sale_manager"]
        )
        for user in (manager, sales_manager):
            as_user = (
                self.env["serial.warranty.type"]
                .with_user(user)
                .with_context(allowed_company_ids=user.company_ids.ids)
            )
            created = as_user.create({"name": "Extended %s" % user.login})
            self.assertEqual(created.company_id, self.company)
            with self.assertRaises(AccessError):
                store_b.with_env(as_user.env).write({"name": "Not mine"})
        # A user of both companies sees both.
        both = self._create_user(
            "warranty_both",
            "Clerk A and B",
            ["stock.group_stock_user"],
            self.company | self.company_b,
        )
        self.assertEqual(
            self.env["serial.warranty.type"]
            .with_user(both)
            .with_context(allowed_company_ids=(self.company | self.company_b).ids)
            .search([("id", "in", (self.manufacturer | store_b).ids)]),
            self.manufacturer | store_b,
        )
