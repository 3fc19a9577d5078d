# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The company boundary: a user of company A works on A's serials and documents, and is refused
B's, also when given B's ids directly (popup context, wizard values, reports, RPC calls). Each
claim is asserted both ways."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import SerialSaleCase


@tagged("post_install", "-at_install")
class TestSecurityCompany(SerialSaleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = cls._create_user(
            "serial_sec_clerk_a",
            "Clerk A",
            ["stock.group_stock_user", "purchase.group_purchase_user"],
        )
        cls.seller_a = cls._create_user(
            "serial_sec_seller_a",
            "Seller A",
            ["sales_team.group_sale_salesman_all_leads", "stock.group_stock_user"],
        )
        # Works in both companies; which ones are enabled in the context decides.
        cls.clerk_ab = cls._create_user(
            "serial_sec_clerk_ab",
            "Clerk A and B",
            ["stock.group_stock_user", "purchase.group_purchase_user"],
            cls.company | cls.company_b,
        )
        cls.in_a = cls._put_in_stock(["SEC-A1", "SEC-A2"])
        cls.in_b = cls._put_in_stock(["SEC-B1", "SEC-B2"], location=cls.warehouse_b.lot_stock_id)

    def _as(self, record, user, companies=None):
        companies = companies or user.company_id
        return record.with_user(user).with_context(allowed_company_ids=companies.ids)

    def _purchase_line(self, company):
        order = (
            self.env["purchase.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": self.vendor.id,
                    "company_id": company.id,
                    "order_line": [(0, 0, {"product_id": self.product.id, "product_qty": 1})],
                }
            )
        )
        return order.order_line

    def _documents(self, company):
        warehouse = self.warehouse if company == self.company else self.warehouse_b
        return {
            "move": self._create_receipt(1, warehouse=warehouse).move_ids,
            "purchase_line": self._purchase_line(company),
            "sale_line": self._order(1, company=company).order_line,
        }

    # ------------------------------------------------------------------
    # The popup
    # ------------------------------------------------------------------

    def test_popup_opens_on_own_documents_only(self):
        for company, allowed in ((self.company, True), (self.company_b, False)):
            for kind, document in self._documents(company).items():
                with self.subTest(company=company.name, document=kind):
                    user = self.seller_a if kind == "sale_line" else self.clerk
                    document = self._as(document, user)
                    if allowed:
                        action = document.action_open_serial_entry()
                        self.assertEqual(action["res_model"], "serial.entry.wizard")
                    else:
                        with self.assertRaises(AccessError):
                            document.action_open_serial_entry()

    def test_crafted_popup_context_is_refused(self):
        """The ids the popup is opened with (default_move_id, default_purchase_line_id,
        default_sale_line_id) are checked: B's ids give an access error."""
        for company, allowed in ((self.company, True), (self.company_b, False)):
            for kind, document in self._documents(company).items():
                with self.subTest(company=company.name, document=kind):
                    user = self.seller_a if kind == "sale_line" else self.clerk
                    Wizard = self._as(self.env["serial.entry.wizard"], user).with_context(
                        **{"default_%s_id" % kind: document.id}
                    )
                    fields_list = list(Wizard._fields)  # as the web client asks
                    if allowed:
                        values = Wizard.default_get(fields_list)
                        self.assertEqual(values["company_id"], self.company.id)
                    else:
                        with self.assertRaises(AccessError):
                            Wizard.default_get(fields_list)

    def test_crafted_popup_values_are_refused(self):
        """Creating the popup directly (as an RPC call can) for B's move: refused whether the
        popup says company A (the move is not A's) or B (not the user's company)."""
        move_a = self._documents(self.company)["move"]
        move_b = self._documents(self.company_b)["move"]
        Wizard = self._as(self.env["serial.entry.wizard"], self.clerk)
        wizard = Wizard.with_context(default_move_id=move_a.id).create({"serial_text": "OK-1"})
        wizard.action_apply()
        self.assertEqual(move_a.move_line_ids.lot_name, "OK-1")
        for company in (self.company, self.company_b):
            with self.subTest(company=company.name), self.assertRaises(AccessError):
                Wizard.create(
                    {
                        "move_id": move_b.id,
                        "company_id": company.id,
                        "product_id": self.product.id,
                        "serial_text": "BAD-1",
                    }
                ).action_apply()
        self.assertFalse(move_b.move_line_ids.lot_name, "nothing written on B's move")

    def test_sales_popup_offers_and_takes_own_company_serials_only(self):
        line = self._order(1).order_line
        form = self._open(line, user=self.seller_a)
        form.serial_text = "SEC-A1"
        self.assertEqual(form.invalid_count, 0)
        form.serial_text = "SEC-B1"
        self.assertIn("SEC-B1", form.preview_html)
        self.assertEqual(form.invalid_count, 1, "B's serial is not in A's stock")
        with self.assertRaisesRegex(UserError, "SEC-B1"):
            form.save().action_apply()
        self.assertFalse(line.serial_ids)
        # The search list offers A's serials only.
        Lot = self._as(self.env["stock.lot"], self.seller_a)
        found = Lot.name_search("SEC-", args=[("product_id", "=", self.product.id)])
        self.assertEqual(sorted(name for _id, name in found), ["SEC-A1", "SEC-A2"])

    def test_sales_popup_refuses_picked_serials_of_another_company(self):
        line = self._order(1).order_line
        form = self._open(line, user=self.seller_a)
        with self.assertRaises(AccessError):
            form.pick_lot_ids.add(self.in_b[0].with_user(self.seller_a))
            form.save().action_apply()
        self.assertFalse(line.serial_ids)
        form = self._open(line, user=self.seller_a)
        form.pick_lot_ids.add(self.in_a[0])
        form.save().action_apply()
        self.assertEqual(line.serial_ids, self.in_a[0])

    def test_return_wizard_of_another_company_is_refused(self):
        delivered = {}
        for company in (self.company, self.company_b):
            order = self._order(1, company=company)
            lot = (self.in_a if company == self.company else self.in_b)[0]
            order.order_line.serial_ids = lot  # chosen, as the popup does
            order.action_confirm()
            self._validate(order.picking_ids)
            delivered[company] = order.picking_ids
        clerk_env = self.env(user=self.clerk, context={"allowed_company_ids": self.company.ids})
        wizard = self._return_wizard(delivered[self.company].with_env(clerk_env))
        self.assertEqual(wizard.product_return_moves.lot_id, self.in_a[0])
        with self.assertRaises(AccessError):
            self._return_wizard(delivered[self.company_b].with_env(clerk_env))

    # ------------------------------------------------------------------
    # Serials, numbering, warranty types
    # ------------------------------------------------------------------

    def test_serials_of_another_company_cannot_be_read(self):
        Lot = self._as(self.env["stock.lot"], self.clerk)
        self.assertEqual(
            Lot.search([("name", "like", "SEC-")]).mapped("name"), ["SEC-A1", "SEC-A2"]
        )
        self.assertEqual(Lot.browse(self.in_a[0].id).serial_state, "in_stock")
        with self.assertRaises(AccessError):
            Lot.browse(self.in_b[0].id).read(["serial_state"])
        with self.assertRaises(AccessError):
            Lot.browse(self.in_b[0].id).action_open_serial_popup("scrap")

    def test_user_of_both_companies_works_in_the_enabled_ones(self):
        lot_b = self.in_b[0]
        with self.assertRaises(AccessError):
            self._as(lot_b, self.clerk_ab, self.company).read(["serial_state"])
        both = self._as(lot_b, self.clerk_ab, self.company | self.company_b)
        self.assertEqual(both.serial_state, "in_stock")
        move_b = self._documents(self.company_b)["move"]
        with self.assertRaises(AccessError):
            self._as(move_b, self.clerk_ab, self.company).action_open_serial_entry()
        action = self._as(move_b, self.clerk_ab, self.company_b).action_open_serial_entry()
        self.assertEqual(action["res_model"], "serial.entry.wizard")

    def test_numbering_of_another_company_product(self):
        own = self.env["product.product"].create(
            {
                "name": "Own Gadget",
                "is_storable": True,
                "tracking": "serial",
                "company_id": self.company.id,
            }
        )
        other = self.env["product.product"].create(
            {
                "name": "B Gadget",
                "is_storable": True,
                "tracking": "serial",
                "company_id": self.company_b.id,
            }
        )
        self.assertEqual(len(self._as(own, self.clerk).serial_next_names(2)), 2)
        with self.assertRaises(AccessError):
            self._as(other, self.clerk).serial_next_names(2)

    def test_warranty_types_of_another_company(self):
        Type = self.env["serial.warranty.type"]
        type_a = Type.create({"name": "Basic A", "company_id": self.company.id})
        type_b = Type.create({"name": "Basic B", "company_id": self.company_b.id})
        self.assertEqual(self._as(type_a, self.clerk).name, "Basic A")
        with self.assertRaises(AccessError):
            self._as(type_b, self.clerk).read(["name"])
        lot = self.in_a[0]
        lot.warranty_type_id = type_a
        with self.assertRaises(UserError):  # the lot is of company A
            lot.warranty_type_id = type_b

    # ------------------------------------------------------------------
    # Reports
    # ------------------------------------------------------------------

    def test_printed_reports_of_another_company_are_refused(self):
        # (a certificate is printed once the warranty has started)
        (self.in_a[:1] | self.in_b[:1]).write({"warranty_start_date": "2026-01-01"})
        Report = self._as(self.env["ir.actions.report"], self.clerk)
        for report in (
            "serial_tracking.action_report_serial_history",
            "serial_tracking.action_report_warranty_certificate",
        ):
            with self.subTest(report=report):
                html = Report._render_qweb_html(report, self.in_a[:1].ids)[0].decode()
                self.assertIn("SEC-A1", html)
                self.assertAccessRefused(Report._render_qweb_html, report, self.in_b[:1].ids)

    def test_report_wizard_of_another_company_is_refused(self):
        Wizard = self._as(self.env["serial.report.wizard"], self.clerk)
        names = Wizard.create({"serial": "SEC-"})._get_lots().mapped("name")
        self.assertEqual(sorted(names), ["SEC-A1", "SEC-A2"])
        with self.assertRaises(AccessError):
            Wizard.create({"serial": "SEC-", "company_id": self.company_b.id})
        both = self._as(self.env["serial.report.wizard"], self.clerk_ab, self.company_b)
        names = both.create({"serial": "SEC-", "company_id": self.company_b.id})._get_lots()
        self.assertEqual(sorted(names.mapped("name")), ["SEC-B1", "SEC-B2"])


@tagged("post_install", "-at_install")
class TestSecurityCompanyHttp(HttpCase):
    """The same boundary through the web: report URLs and JSON-RPC calls with another
    company's ids."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Http Co B"})
        cls.product = cls.env["product.product"].create(
            {"name": "Http Widget", "is_storable": True, "tracking": "serial"}
        )
        cls.lots = cls.env["stock.lot"]
        for name, company in (("HTTP-A1", cls.env.company), ("HTTP-B1", cls.company_b)):
            cls.lots |= cls.env["stock.lot"].create(
                {
                    "name": name,
                    "product_id": cls.product.id,
                    "company_id": company.id,
                    # (a certificate is printed once the warranty has started)
                    "warranty_start_date": "2026-01-01",
                }
            )
        cls.clerk = cls.env["res.users"].create(
            {
                "name": "Http Clerk A",
                "login": "serial_http_clerk",
                "password": "serial_http_clerk",
                "company_id": cls.env.company.id,
                "company_ids": [Command.set(cls.env.company.ids)],
                "groups_id": [Command.set([cls.env.ref("stock.group_stock_user").id])],
            }
        )

    def test_report_urls(self):
        self.authenticate(self.clerk.login, self.clerk.login)
        own, other = self.lots
        for report in ("report_serial_history", "report_warranty_certificate"):
            with self.subTest(report=report):
                url = "/report/html/serial_tracking.%s/%%s" % report
                response = self.url_open(url % own.id)
                self.assertEqual(response.status_code, 200)
                self.assertIn("HTTP-A1", response.text)
                with mute_logger("odoo.http", "odoo.addons.base.models.ir_qweb"):
                    response = self.url_open(url % other.id)
                self.assertNotEqual(response.status_code, 200)
                self.assertNotIn("HTTP-B1", response.text)

    def test_rpc_calls(self):
        self.authenticate(self.clerk.login, self.clerk.login)
        own, other = self.lots

        def call(model, method, args, kwargs=None):
            return self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
            )

        self.assertEqual(call("stock.lot", "read", [own.ids, ["name"]])[0]["name"], "HTTP-A1")
        for model, method, args in (
            ("stock.lot", "read", [other.ids, ["name"]]),
            ("stock.lot", "action_open_serial_popup", [other.ids, "scrap"]),
            ("stock.lot", "write", [own.ids, {"holder_partner_id": self.clerk.partner_id.id}]),
        ):
            with (
                self.subTest(method=method),
                mute_logger("odoo.http"),
                self.assertRaisesRegex(Exception, "AccessError"),
            ):
                call(model, method, args)
