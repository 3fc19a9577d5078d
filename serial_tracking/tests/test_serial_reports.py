# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import datetime
import io

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import SerialSaleCase


@tagged("post_install", "-at_install")
class TestSerialReports(SerialSaleCase):
    """The Serial Number Report: filters, on screen, PDF and spreadsheet, per company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gadget = cls.env["product.product"].create(
            {"name": "Serial Gadget", "is_storable": True, "tracking": "serial"}
        )
        cls.manager = cls._create_user(
            "serial_report_manager", "Stock Manager A", ["stock.group_stock_manager"]
        )

    def _receive(self, names, product=None):
        receipt = self._create_receipt(len(names), product=product)
        receipt.move_ids._set_serial_names(names)
        receipt.move_ids.picked = True
        receipt.button_validate()
        return receipt.move_line_ids.lot_id

    def _wizard(self, user=None, **values):
        user = user or self.stock_user
        return (
            self.env["serial.report.wizard"]
            .with_user(user)
            .with_context(allowed_company_ids=user.company_ids.ids)
            .create(values)
        )

    def _setup_serials(self):
        widgets = self._receive(["RP-W1", "RP-W2", "RP-W3", "=HYPERLINK(1)"])
        gadgets = self._receive(["RP-G1"], product=self.gadget)
        order = self._order(1)
        self._choose(order.order_line, "RP-W1")
        order.action_confirm()
        self._validate(order.picking_ids)
        # RP-W3 came in (and last moved) long ago.
        old = widgets.filtered(lambda lot: lot.name == "RP-W3")
        old.serial_move_line_ids.write({"date": datetime.datetime(2024, 6, 1, 12, 0)})
        old._serial_refresh()
        in_b = self._put_in_stock(["RP-B1"], location=self.warehouse_b.lot_stock_id)
        return widgets, gadgets, in_b

    def _names(self, wizard):
        return sorted(wizard._get_lots().mapped("name"))

    def test_filters(self):
        widgets, gadgets, in_b = self._setup_serials()
        self.assertEqual(
            self._names(self._wizard()), ["=HYPERLINK(1)", "RP-G1", "RP-W1", "RP-W2", "RP-W3"]
        )
        self.assertEqual(
            self._names(self._wizard(product_ids=[(6, 0, self.gadget.ids)])), ["RP-G1"]
        )
        self.assertEqual(self._names(self._wizard(serial="p-w")), ["RP-W1", "RP-W2", "RP-W3"])
        self.assertEqual(self._names(self._wizard(serial_state="delivered")), ["RP-W1"])
        self.assertEqual(self._names(self._wizard(partner_id=self.customer_contact.id)), ["RP-W1"])
        self.assertEqual(
            self._names(self._wizard(partner_id=self.vendor.id)),
            ["=HYPERLINK(1)", "RP-G1", "RP-W1", "RP-W2", "RP-W3"],
        )
        self.assertEqual(
            self._names(
                self._wizard(
                    date_from=datetime.date(2024, 1, 1), date_to=datetime.date(2024, 12, 31)
                )
            ),
            ["RP-W3"],
        )
        self.assertNotIn("RP-W3", self._names(self._wizard(date_from=datetime.date.today())))
        # Days of the user's time zone: in New York, 1 June 2024 12:00 UTC is 08:00 on 1 June;
        # in Auckland it is already 2 June.
        for tz, day, found in (
            ("America/New_York", datetime.date(2024, 6, 1), True),
            ("Pacific/Auckland", datetime.date(2024, 6, 1), False),
            ("Pacific/Auckland", datetime.date(2024, 6, 2), True),
        ):
            self.stock_user.tz = tz
            wizard = self._wizard(date_from=day, date_to=day)
            self.assertEqual("RP-W3" in self._names(wizard), found, (tz, day))
        with self.assertRaises(UserError):
            self._wizard(date_from=datetime.date(2025, 1, 2), date_to=datetime.date(2025, 1, 1))
        # On screen: the Serial Inventory with the same serials.
        wizard = self._wizard(serial="RP-W")
        action = wizard.action_show()
        self.assertEqual(action["res_model"], "stock.lot")
        self.assertNotIn("path", action, "a reload must not show every serial")
        # The filters are a facet of the search bar, named in words, not a hidden domain.
        self.assertNotIn("RP-W", str(action.get("domain")))
        self.assertEqual(action["context"]["search_default_serial_report_id"], wizard.id)
        self.assertIn("Serial Co A", wizard.display_name)
        facet = [("serial_report_id", "=", action["context"]["search_default_serial_report_id"])]
        self.assertEqual(
            sorted(self.env["stock.lot"].search(facet).mapped("name")),
            ["RP-W1", "RP-W2", "RP-W3"],
        )

    def test_partner_filter_keeps_returned_and_resold_units(self):
        widgets, _gadgets, _in_b = self._setup_serials()
        sold = widgets.filtered(lambda lot: lot.name == "RP-W1")
        self._validate(self._return_lots(sold.sale_line_id.order_id.picking_ids, sold))
        self.assertFalse(sold.holder_partner_id)
        self.assertEqual(self._names(self._wizard(partner_id=self.customer.id)), ["RP-W1"])
        self.assertEqual(self._names(self._wizard(partner_id=self.other_customer.id)), [])

    def test_dates_are_the_users_days(self):
        lots = self._receive(["TZ-1"])
        lots.serial_move_line_ids.write({"date": datetime.datetime(2024, 6, 1, 20, 0)})
        lots._serial_refresh()
        self.stock_user.tz = "Pacific/Auckland"
        wizard = self._wizard(serial="TZ-")
        rows = self._sheet(wizard)
        self.assertEqual(rows[1][5], datetime.datetime(2024, 6, 2), "already 2 June there")
        self.assertEqual(
            self._names(
                self._wizard(date_from=datetime.date(2024, 6, 2), date_to=datetime.date(2024, 6, 2))
            ),
            ["TZ-1"],
        )

    def test_purchase_order_column_for_a_clerk_without_purchase_rights(self):
        order = (
            self.env["purchase.order"]
            .with_company(self.company)
            .create(
                {
                    "partner_id": self.vendor.id,
                    "order_line": [(0, 0, {"product_id": self.product.id, "product_qty": 1})],
                }
            )
        )
        order.button_confirm()
        receipt = order.picking_ids
        receipt.move_ids._set_serial_names(["PO-1"])
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.env.invalidate_all()
        rows = self._sheet(self._wizard(serial="PO-"))
        self.assertEqual(rows[1][rows[0].index("Purchase Order")], order.name)

    def test_reports_of_other_users_and_companies_stay_private(self):
        self._setup_serials()
        manager_wizard = self._wizard(user=self.manager)
        manager_wizard.action_export_xlsx()
        self.env.invalidate_all()
        clerk = self.stock_user
        as_clerk = manager_wizard.with_user(clerk).with_context(
            allowed_company_ids=clerk.company_ids.ids
        )
        with self.assertRaises(AccessError):
            as_clerk.read(["xlsx_file"])
        with self.assertRaises(AccessError):
            as_clerk.write({"serial": "x"})
        both = self._create_user(
            "serial_report_both_b",
            "Clerk A and B",
            ["stock.group_stock_user"],
            self.company | self.company_b,
        )
        wizard_b = self._wizard(user=both, company_id=self.company_b.id)
        self.env.invalidate_all()
        # Refused while rendering (QWeb wraps the access error).
        with self.assertRaisesRegex(Exception, "doesn't have 'read' access"):
            self.env["ir.actions.report"].with_user(clerk).with_context(
                allowed_company_ids=clerk.company_ids.ids
            )._render_qweb_html("serial_tracking.report_serial_list", wizard_b.ids)

    def test_other_company_serials_never_show(self):
        self._setup_serials()
        self.assertNotIn("RP-B1", self._names(self._wizard()))
        with self.assertRaises(AccessError):
            self._wizard(company_id=self.company_b.id)
        both = self._create_user(
            "serial_report_both",
            "Clerk A and B",
            ["stock.group_stock_user"],
            self.company | self.company_b,
        )
        self.assertEqual(
            self._names(self._wizard(user=both, company_id=self.company_b.id)), ["RP-B1"]
        )
        self.assertNotIn("RP-B1", self._names(self._wizard(user=both)))

    def test_pdf_lists_the_filtered_serials_only(self):
        self._setup_serials()
        wizard = self._wizard(serial="RP-W")
        self.env.invalidate_all()
        self.assertEqual(wizard.action_print()["report_name"], "serial_tracking.report_serial_list")
        html = (
            self.env["ir.actions.report"]
            .with_user(self.stock_user)
            .with_context(allowed_company_ids=self.company.ids)
            ._render_qweb_html("serial_tracking.report_serial_list", wizard.ids)[0]
            .decode()
        )
        self.assertEqual(html.count("o_serial_list_row"), 3)
        for name in ("RP-W1", "RP-W2", "RP-W3"):
            self.assertIn(name, html)
        self.assertNotIn("RP-G1", html)
        self.assertIn(self.customer.name, html, "where the delivered unit is")
        self.assertIn("Delivered", html)
        self.assertNotIn("Unit Cost", html, "a clerk does not see costs")

    def _sheet(self, wizard):
        action = wizard.action_export_xlsx()
        self.assertIn("/xlsx_file/Serial%20Number%20Report.xlsx?download=true", action["url"])
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.xlsx_file)))
        return [[cell.value for cell in row] for row in book.active.iter_rows()]

    def test_spreadsheet_rows_and_neutralised_formulas(self):
        widgets, _gadgets, _in_b = self._setup_serials()
        rows = self._sheet(self._wizard(user=self.manager, product_ids=[(6, 0, self.product.ids)]))
        header, body = rows[0], rows[1:]
        self.assertEqual(
            header,
            [
                "Product",
                "Serial Number",
                "Status",
                "Location or Customer",
                "Vendor",
                "Receipt Date",
                "Purchase Order",
                "Sales Order",
                "Delivery Date",
                "Unit Cost",
                "Warranty Type",
                "Warranty Start",
                "Warranty End",
            ],
        )
        by_serial = {row[1]: dict(zip(header, row, strict=True)) for row in body}
        self.assertEqual(sorted(by_serial), ["'=HYPERLINK(1)", "RP-W1", "RP-W2", "RP-W3"])
        delivered = by_serial["RP-W1"]
        self.assertEqual(delivered["Status"], "Delivered")
        self.assertEqual(delivered["Location or Customer"], self.customer.name)
        self.assertEqual(delivered["Vendor"], self.vendor.name)
        self.assertEqual(delivered["Sales Order"], widgets[0].sale_line_id.order_id.name)
        self.assertIsInstance(delivered["Receipt Date"], datetime.datetime)
        self.assertIsInstance(delivered["Delivery Date"], datetime.datetime)
        self.assertEqual(by_serial["RP-W3"]["Receipt Date"], datetime.datetime(2024, 6, 1))
        self.assertEqual(by_serial["RP-W2"]["Status"], "In Stock")
        # A clerk gets no cost column.
        clerk_rows = self._sheet(self._wizard(serial="RP-W2"))
        self.assertNotIn("Unit Cost", clerk_rows[0])
        self.assertEqual(len(clerk_rows), 2)

    def test_report_access(self):
        seller_only = self._create_user(
            "serial_report_seller", "Seller Only", ["sales_team.group_sale_salesman"]
        )
        with self.assertRaises(AccessError):
            self._wizard(user=seller_only)
        self.assertTrue(self._wizard(user=self.stock_user))

    def _action_groups(self, xmlid, groupby, extra=()):
        """Counts per group of an analysis action, as its pivot or graph reads them."""
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        return {
            tuple(
                value.display_name if hasattr(value, "display_name") else value
                for value in key[:-1]
            ): key[-1]
            for key in self.env["stock.lot"]._read_group(
                safe_eval(action["domain"]) + list(extra), groupby, ["__count"]
            )
        }

    def test_serials_in_stock_per_product_and_warehouse(self):
        self._receive(["AN-W1", "AN-W2"])
        self._receive(["AN-G1"], product=self.gadget)
        self._put_in_stock(["AN-B1"], location=self.warehouse_b.lot_stock_id)
        sold = self._put_in_stock(["AN-W3"])
        order = self._order(1)
        self._choose(order.order_line, "AN-W3")
        order.action_confirm()
        self._validate(order.picking_ids)
        self.assertEqual(sold.serial_warehouse_id.id, False, "delivered: in no warehouse")
        counts = self._action_groups(
            "serial_tracking.action_serial_stock_analysis", ["product_id", "serial_warehouse_id"]
        )
        self.assertEqual(counts[(self.product.display_name, self.warehouse.display_name)], 2)
        self.assertEqual(counts[(self.gadget.display_name, self.warehouse.display_name)], 1)
        self.assertEqual(counts[(self.product.display_name, self.warehouse_b.display_name)], 1)
        self.assertEqual(sum(counts.values()), 4)
        pivot = self.env.ref("serial_tracking.view_serial_stock_pivot").arch
        self.assertIn('name="serial_warehouse_id" type="col"', pivot)

    def test_warranties_ending_per_month(self):
        lots = self._put_in_stock(["WE-1", "WE-2", "WE-3", "WE-4"])
        ends = ["2027-01-05", "2027-01-31", "2027-02-28", False]
        for lot, end in zip(lots, ends, strict=True):
            lot.warranty_end_date = end
        counts = self._action_groups(
            "serial_tracking.action_serial_warranty_analysis",
            ["warranty_end_date:month"],
            [("id", "in", lots.ids)],
        )
        mine = {month: count for (month,), count in counts.items()}
        self.assertEqual(mine[datetime.date(2027, 1, 1)], 2)
        self.assertEqual(mine[datetime.date(2027, 2, 1)], 1)
        self.assertEqual(sum(mine.values()), 3, "serials without a warranty end are left out")
        graph = self.env.ref("serial_tracking.view_serial_warranty_graph").arch
        self.assertIn('name="warranty_end_date" interval="month"', graph)
