# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger


class SerialTourCase(HttpCase):
    """Documents and users the tours work on; no test of its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Tour Widget", "is_storable": True, "tracking": "serial"}
        )
        cls.clerk = cls.env["res.users"].create(
            {
                "name": "Tour Clerk",
                "login": "serial_tour_clerk",
                "email": "tour.clerk@example.com",
                "password": "serial_tour_clerk",
                "groups_id": [Command.set([cls.env.ref("stock.group_stock_user").id])],
            }
        )
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        supplier = cls.env.ref("stock.stock_location_suppliers")
        cls.receipt = cls.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "location_id": supplier.id,
                "location_dest_id": warehouse.lot_stock_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": cls.product.name,
                            "product_id": cls.product.id,
                            "product_uom_qty": 4,
                            "product_uom": cls.product.uom_id.id,
                            "location_id": supplier.id,
                            "location_dest_id": warehouse.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        cls.receipt.action_confirm()
        cls.buyer = cls.env["res.users"].create(
            {
                "name": "Tour Buyer",
                "login": "serial_tour_buyer",
                "password": "serial_tour_buyer",
                "groups_id": [
                    Command.set(
                        [
                            cls.env.ref("stock.group_stock_user").id,
                            cls.env.ref("purchase.group_purchase_user").id,
                        ]
                    )
                ],
            }
        )
        cls.seller = cls.env["res.users"].create(
            {
                "name": "Tour Seller",
                "login": "serial_tour_seller",
                "password": "serial_tour_seller",
                "groups_id": [
                    Command.set(
                        [
                            cls.env.ref("stock.group_stock_user").id,
                            cls.env.ref("sales_team.group_sale_salesman_all_leads").id,
                        ]
                    )
                ],
            }
        )
        cls.customer = cls.env["res.partner"].create({"name": "Tour Customer"})
        lots = cls.env["stock.lot"].create(
            [{"name": "TSO-%s" % number, "product_id": cls.product.id} for number in (1, 2, 3)]
        )
        quants = (
            cls.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                [
                    {
                        "product_id": cls.product.id,
                        "lot_id": lot.id,
                        "location_id": warehouse.lot_stock_id.id,
                        "inventory_quantity": 1,
                    }
                    for lot in lots
                ]
            )
        )
        quants.action_apply_inventory()
        cls.quotation = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "warehouse_id": warehouse.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 2})
                ],
            }
        )
        # A sale of two chosen serials, confirmed: its delivery reserved them.
        sold = cls.env["stock.lot"].create(
            [{"name": "TDL-%s" % number, "product_id": cls.product.id} for number in (1, 2)]
        )
        cls.env["stock.quant"].with_context(inventory_mode=True).create(
            [
                {
                    "product_id": cls.product.id,
                    "lot_id": lot.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "inventory_quantity": 1,
                }
                for lot in sold
            ]
        ).action_apply_inventory()
        cls.sale = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "warehouse_id": warehouse.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 2})
                ],
            }
        )
        cls.sale.order_line._set_serial_lots(sold)
        cls.sale.action_confirm()
        cls.vendor = cls.env["res.partner"].create({"name": "Tour Vendor"})
        cls.order = cls.env["purchase.order"].create(
            {
                "partner_id": cls.vendor.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.product.id, "product_qty": 3, "price_unit": 9}
                    )
                ],
            }
        )


@tagged("post_install", "-at_install")
class TestSerialTours(SerialTourCase):
    """The add-on's popups, clicked through in a real browser as a stock clerk does."""

    def test_a_missing_element_fails_the_tour(self):
        """A step whose element never shows makes the tour, and so the test, fail: the tours
        of this file check what the user sees, they do not merely run."""
        with (
            mute_logger(self._logger.getChild("browser").name),
            self.assertRaisesRegex(AssertionError, "o_serial_no_such_element"),
        ):
            self.start_tour(
                "/odoo/action-stock.action_picking_tree_all/%s" % self.receipt.id,
                "serial_tracking_missing_step",
                login=self.clerk.login,
            )

    def test_receipt_popup(self):
        self.start_tour(
            "/odoo/action-stock.action_picking_tree_all/%s" % self.receipt.id,
            "serial_tracking_receipt_popup",
            login=self.clerk.login,
        )
        self.assertEqual(
            self.receipt.move_ids.move_line_ids.mapped("lot_name"),
            ["TOUR001", "TOUR002", "TOUR003", "TOUR-EXTRA"],
        )

    def test_purchase_line_popup(self):
        self.start_tour(
            "/odoo/action-purchase.purchase_form_action/%s" % self.order.id,
            "serial_tracking_purchase_popup",
            login=self.buyer.login,
        )
        line = self.order.order_line
        self.assertEqual(self.order.state, "purchase")
        self.assertEqual(
            line.serial_ids.sorted("id").mapped("name"), ["POT001", "POT002", "POT-LAST"]
        )
        self.assertEqual(set(line.serial_ids.mapped("serial_state")), {"expected"})
        self.assertEqual(
            self.order.picking_ids.move_line_ids.lot_id, line.serial_ids, "receipt pre-filled"
        )

    def test_sale_line_popup(self):
        self.start_tour(
            "/odoo/action-sale.action_quotations_with_onboarding/%s" % self.quotation.id,
            "serial_tracking_sale_popup",
            login=self.seller.login,
        )
        line = self.quotation.order_line
        self.assertEqual(self.quotation.state, "sale")
        self.assertEqual(sorted(line.serial_ids.mapped("name")), ["TSO-1", "TSO-3"])
        self.assertEqual(
            self.quotation.picking_ids.move_line_ids.lot_id, line.serial_ids, "reserved exactly"
        )

    def test_find_serial_and_history(self):
        self.start_tour(
            "/odoo/serial-inventory", "serial_tracking_find_serial", login=self.clerk.login
        )

    def test_validate_delivery_and_return_one_unit(self):
        delivery = self.sale.picking_ids
        self.assertEqual(delivery.move_line_ids.lot_id.mapped("name"), ["TDL-1", "TDL-2"])
        self.start_tour(
            "/odoo/action-stock.action_picking_tree_all/%s" % delivery.id,
            "serial_tracking_delivery_return",
            login=self.clerk.login,
        )
        returned = self.env["stock.lot"].search([("name", "=", "TDL-2")])
        self.assertEqual(returned.serial_state, "in_stock")
        self.assertEqual(
            self.env["stock.lot"].search([("name", "=", "TDL-1")]).serial_state, "delivered"
        )

    def test_print_warranty_certificate(self):
        warranty = self.env["serial.warranty.type"].create(
            {"name": "Tour Warranty", "terms": "<p>Parts and labour for a year.</p>"}
        )
        self.product.write(
            {
                "warranty_duration": 12,
                "warranty_unit": "month",
                "warranty_start": "delivery",
                "warranty_type_id": warranty.id,
            }
        )
        delivery = self.sale.picking_ids
        delivery.move_ids.picked = True
        self.assertIs(delivery.button_validate(), True)
        lot = delivery.move_line_ids.lot_id.filtered(lambda lot: lot.name == "TDL-1")
        self.assertTrue(lot.warranty_end_date)
        self.start_tour(
            "/odoo/serial-inventory/%s" % lot.id,
            "serial_tracking_print_certificate",
            login=self.clerk.login,
        )

    def test_new_order_line_popup_saves_the_order_first(self):
        self.start_tour(
            "/odoo/action-purchase.purchase_form_action/new",
            "serial_tracking_new_order_popup",
            login=self.buyer.login,
        )
        order = (
            self.env["purchase.order"].search([("partner_id", "=", self.vendor.id)]) - self.order
        )
        self.assertEqual(len(order), 1, "the new order was saved")
        self.assertEqual(order.order_line.serial_ids.mapped("name"), ["NEW-PO-1", "NEW-PO-2"])

    def test_odoo_generate_serials_dialog_proposes_the_rule(self):
        self.product.write({"serial_prefix": "TGEN-", "serial_padding": 4})
        self.start_tour(
            "/odoo/action-stock.action_picking_tree_all/%s" % self.receipt.id,
            "serial_tracking_generate_dialog",
            login=self.clerk.login,
        )
        self.assertEqual(
            sorted(self.receipt.move_line_ids.mapped("lot_name")),
            ["TGEN-0001", "TGEN-0002", "TGEN-0003", "TGEN-0004"],
        )
        self.assertEqual(self.product.serial_generate_proposal(), "TGEN-0005", "the counter moved")

    def test_sale_line_scan(self):
        self.start_tour(
            "/odoo/action-sale.action_quotations_with_onboarding/%s" % self.quotation.id,
            "serial_tracking_sale_scan",
            login=self.seller.login,
        )
        self.assertEqual(
            sorted(self.quotation.order_line.serial_ids.mapped("name")), ["TSO-1", "TSO-3"]
        )


@tagged("post_install", "-at_install")
class TestSerialToursPhone(SerialTourCase):
    """The same popups on a phone, where Odoo shows the lines of orders and transfers as cards."""

    browser_size = "390x844"
    touch_enabled = True

    def test_sale_line_card(self):
        self.start_tour(
            "/odoo/action-sale.action_quotations_with_onboarding/%s" % self.quotation.id,
            "serial_tracking_phone_sale",
            login=self.seller.login,
        )
        chosen = self.quotation.order_line.serial_ids
        self.assertEqual(sorted(chosen.mapped("name")), ["TSO-1", "TSO-2"], "scanned and oldest")

    def test_purchase_line_card(self):
        self.start_tour(
            "/odoo/action-purchase.purchase_form_action/%s" % self.order.id,
            "serial_tracking_phone_purchase",
            login=self.buyer.login,
        )
        self.assertEqual(
            self.order.order_line.serial_ids.sorted("name").mapped("name"),
            ["PHP001", "PHP002", "PHP003"],
        )

    def test_receipt_operation_card(self):
        self.start_tour(
            "/odoo/action-stock.action_picking_tree_all/%s" % self.receipt.id,
            "serial_tracking_phone_receipt",
            login=self.clerk.login,
        )
        self.assertEqual(
            self.receipt.move_ids.move_line_ids.mapped("lot_name"),
            ["PHR001", "PHR002", "PHR003", "PHR004"],
        )


@tagged("post_install", "-at_install")
class TestSerialToursWide(SerialTourCase):
    """A laptop's screen, 1440 px wide."""

    browser_size = "1440x900"

    def test_report_show_is_a_facet_and_serials_read_whole(self):
        self.env["stock.lot"].create(
            [
                {
                    "name": "RPT-LONG-SERIAL-NUMBER-%04d" % number,
                    "product_id": self.product.id,
                    "company_id": self.env.company.id,
                }
                for number in (1, 2)
            ]
        )
        self.start_tour(
            "/odoo/action-serial_tracking.action_serial_report_wizard",
            "serial_tracking_report_show",
            login=self.clerk.login,
        )


@tagged("post_install", "-at_install")
class TestSerialDownloads(HttpCase):
    """Files the add-on offers for download, fetched as the web client does."""

    def test_xlsx_download_logs_nothing(self):
        self.authenticate("admin", "admin")
        admin = self.env.ref("base.user_admin")
        wizard = (
            self.env["serial.report.wizard"]
            .with_user(admin)
            .create({"company_id": admin.company_id.id})
        )
        action = wizard.action_export_xlsx()
        with self.assertNoLogs(level="WARNING"):
            response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.headers["Content-Type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        self.assertIn("Serial Number Report.xlsx", response.headers["Content-Disposition"])
        self.assertEqual(response.content[:2], b"PK")
