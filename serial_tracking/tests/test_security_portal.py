# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, models
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import format_date


@tagged("post_install", "-at_install")
class TestSecurityPortal(HttpCase):
    """The portal boundary. "My serial numbers" on the customer portal: each customer sees the
    units they hold, of their own company, and only those, whatever id they type; nothing else
    of a serial, and nothing an internal user could forge."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Portal Widget", "is_storable": True, "tracking": "serial"}
        )
        cls.product.write(
            {"warranty_duration": 2, "warranty_unit": "year", "warranty_start": "delivery"}
        )
        cls.customers = cls.env["res.partner"]
        cls.portal_users = cls.env["res.users"]
        cls.lots = cls.env["stock.lot"]
        for letter in ("A", "B"):
            customer = cls.env["res.partner"].create(
                {"name": "Portal Customer %s" % letter, "is_company": True}
            )
            contact = cls.env["res.partner"].create(
                {
                    "name": "Buyer %s" % letter,
                    "parent_id": customer.id,
                    "email": "%s@x.example" % letter,
                }
            )
            login = "serial_portal_%s" % letter.lower()
            cls.portal_users |= cls.env["res.users"].create(
                {
                    "login": login,
                    "password": login,
                    "partner_id": contact.id,
                    "groups_id": [Command.set([cls.env.ref("base.group_portal").id])],
                }
            )
            cls.customers |= customer
            cls.lots |= cls._deliver("PORTAL-%s1" % letter, customer)
        # A unit of customer A still in stock is not theirs yet.
        cls.in_stock = cls._put_in_stock("PORTAL-STOCK")

    @classmethod
    def _put_in_stock(cls, name):
        lot = cls.env["stock.lot"].create(
            {"name": name, "product_id": cls.product.id, "company_id": cls.company.id}
        )
        quant = (
            cls.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": cls.product.id,
                    "lot_id": lot.id,
                    "location_id": cls.warehouse.lot_stock_id.id,
                    "inventory_quantity": 1,
                }
            )
        )
        quant.action_apply_inventory()
        return lot

    @classmethod
    def _deliver(cls, name, customer):
        """Deliver a new unit ``name`` (or the serial ``name``, the only unit in stock)."""
        lot = name if isinstance(name, models.BaseModel) else cls._put_in_stock(name)
        customers = cls.env.ref("stock.stock_location_customers")
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.warehouse.out_type_id.id,
                "partner_id": customer.id,
                "location_id": cls.warehouse.lot_stock_id.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": name,
                            "product_id": cls.product.id,
                            "product_uom_qty": 1,
                            "product_uom": cls.product.uom_id.id,
                            "location_id": cls.warehouse.lot_stock_id.id,
                            "location_dest_id": customers.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.picked = True
        picking.button_validate()
        assert lot.serial_state == "delivered" and lot.holder_partner_id == customer
        return lot

    def _get(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return response

    def test_each_customer_sees_their_own_serials(self):
        for user, own, other in (
            (self.portal_users[0], self.lots[0], self.lots[1]),
            (self.portal_users[1], self.lots[1], self.lots[0]),
        ):
            with self.subTest(customer=user.login):
                self.authenticate(user.login, user.login)
                page = self._get("/my/serials").text
                self.assertIn(own.name, page)
                self.assertIn("Portal Widget", page)
                self.assertIn(format_date(self.env, own.warranty_end_date), page)
                self.assertIn("Active", page)
                self.assertNotIn(other.name, page)
                self.assertNotIn(self.in_stock.name, page)
                found = self._get("/my/serials?search=Widget").text
                self.assertIn(own.name, found)
                self.assertNotIn(other.name, found)
                self.assertIn(own.name, self._get("/my/serials?search=%s" % own.name[-2:]).text)
                self.assertNotIn(own.name, self._get("/my/serials?search=Gadget").text)
                detail = self._get("/my/serials/%s" % own.id)
                self.assertTrue(detail.url.endswith("/my/serials/%s" % own.id))
                self.assertIn(own.name, detail.text)
                self.assertIn("Warranty Certificate", detail.text)
                # Under test Odoo renders the "PDF" as HTML: its text can be checked.
                response = self._get("/my/serials/%s?report_type=pdf&download=true" % own.id)
                self.assertIn(
                    "Warranty_%s.pdf" % own.name.replace("-", "_"),
                    response.headers["Content-Disposition"],
                )
                certificate = response.text
                self.assertIn(own.name, certificate)
                self.assertIn(format_date(self.env, own.warranty_end_date), certificate)
                # Guessing the other customer's serial id leads back home, with nothing shown.
                for url in (
                    "/my/serials/%s" % other.id,
                    "/my/serials/%s?report_type=pdf" % other.id,
                    "/my/serials/%s?report_type=html" % self.in_stock.id,
                    "/my/serials/999999999",
                ):
                    response = self._get(url)
                    self.assertTrue(response.url.rstrip("/").endswith("/my"), url)
                    self.assertNotIn(other.name, response.text)
                    self.assertNotIn(self.in_stock.name, response.text)
                counters = self.make_jsonrpc_request("/my/counters", {"counters": ["serial_count"]})
                self.assertEqual(counters["serial_count"], 1)

    def test_record_rules_hold_outside_the_portal_pages(self):
        user_a = self.portal_users[0]
        Lot = self.env["stock.lot"].with_user(user_a)
        self.assertEqual(Lot.search([]), self.lots[0])
        self.assertEqual(self.lots[0].with_user(user_a).read(["name"])[0]["name"], "PORTAL-A1")
        for lot in (self.lots[1], self.in_stock):
            with self.assertRaises(AccessError):
                lot.with_user(user_a).read(["name"])
        with self.assertRaises(AccessError):
            self.lots[0].with_user(user_a).write({"warranty_end_date": "2099-01-01"})
        # Of their own units, only what the portal shows.
        own = self.lots[0].with_user(user_a)
        self.assertEqual(own.read(["warranty_state", "product_id"])[0]["warranty_state"], "active")
        self.assertIn("warranty_end_date", own.read()[0])
        self.assertNotIn("note", own.read()[0])
        for field in (
            "note",
            "ref",
            "serial_vendor_id",
            "location_id",
            "quant_ids",
            "purchase_line_id",
        ):
            with self.assertRaises(AccessError):
                own.read([field])
        with self.assertRaises(AccessError):
            Lot.search([("note", "ilike", "secret")])
        # Back from the customer: no longer theirs.
        self.lots[0].sudo().write({"holder_partner_id": False, "serial_state": "in_stock"})
        self.assertFalse(Lot.search([]))
        # Nor can they write anything, or create serials.
        with self.assertRaises(AccessError):
            Lot.create({"name": "PORTAL-NEW", "product_id": self.product.id})

    def test_portal_users_given_serials_by_another_module_read_them(self):
        """Another module may let some portal users read serials through its own rights and
        rule (Odoo's subcontracting portal does, for the products a subcontractor makes): they
        read those serials as that module says, while customers still see only what the portal
        shows of the units they hold."""
        made = self.env["product.product"].create(
            {"name": "Subcontracted Widget", "is_storable": True, "tracking": "serial"}
        )
        lot = self.env["stock.lot"].create(
            {"name": "SUB-1", "product_id": made.id, "company_id": self.company.id, "ref": "R7"}
        )
        group = self.env["res.groups"].create({"name": "Makers (test)"})
        self.env["ir.model.access"].create(
            {
                "name": "makers read serials",
                "model_id": self.env.ref("stock.model_stock_lot").id,
                "group_id": group.id,
                "perm_read": True,
            }
        )
        self.env["ir.rule"].create(
            {
                "name": "makers: serials of what they make",
                "model_id": self.env.ref("stock.model_stock_lot").id,
                "groups": [Command.set(group.ids)],
                "domain_force": "[('product_id', '=', %d)]" % made.id,
            }
        )
        maker, customer = self.portal_users
        maker.groups_id = [Command.link(group.id)]
        self.assertEqual(lot.with_user(maker).read(["ref"])[0]["ref"], "R7")
        self.assertEqual(lot.with_user(maker).location_id, self.env["stock.location"])
        with self.assertRaises(AccessError):
            lot.with_user(customer).read(["name"])
        with self.assertRaises(AccessError):
            self.lots[1].with_user(customer).read(["ref"])
        self.assertEqual(self.lots[1].with_user(customer).read(["name"])[0]["name"], "PORTAL-B1")

    def test_internal_user_sees_only_units_they_hold(self):
        clerk = self.env["res.users"].create(
            {
                "name": "Portal Page Clerk",
                "login": "serial_portal_clerk",
                "password": "serial_portal_clerk",
                "groups_id": [Command.set([self.env.ref("stock.group_stock_user").id])],
            }
        )
        self.assertTrue(self.lots[0].with_user(clerk).read(["name"]), "can read it in the back end")
        self.authenticate(clerk.login, clerk.login)
        self.assertNotIn(self.lots[0].name, self._get("/my/serials").text)
        response = self._get("/my/serials/%s" % self.lots[0].id)
        self.assertTrue(response.url.rstrip("/").endswith("/my"))

    def test_units_of_another_company_stay_in_its_portal(self):
        """Customer A also buys from a second company: each company's portal user of that
        customer sees that company's units only."""
        company_b = self.env["res.company"].create({"name": "Portal Co B"})
        warehouse_b = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)])
        customer = self.customers[0]
        lot_b = self.env["stock.lot"].create(
            {"name": "PORTAL-B-CO", "product_id": self.product.id, "company_id": company_b.id}
        )
        self.env["stock.quant"].with_company(company_b).with_context(inventory_mode=True).create(
            {
                "product_id": self.product.id,
                "lot_id": lot_b.id,
                "location_id": warehouse_b.lot_stock_id.id,
                "inventory_quantity": 1,
            }
        ).action_apply_inventory()
        customers = self.env.ref("stock.stock_location_customers")
        picking = (
            self.env["stock.picking"]
            .with_company(company_b)
            .create(
                {
                    "picking_type_id": warehouse_b.out_type_id.id,
                    "partner_id": customer.id,
                    "location_id": warehouse_b.lot_stock_id.id,
                    "location_dest_id": customers.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": "B unit",
                                "product_id": self.product.id,
                                "product_uom_qty": 1,
                                "location_id": warehouse_b.lot_stock_id.id,
                                "location_dest_id": customers.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(lot_b.holder_partner_id, customer)
        contact_b = self.env["res.partner"].create(
            {"name": "Buyer A at B", "parent_id": customer.id, "email": "ab@x.example"}
        )
        user_b = self.env["res.users"].create(
            {
                "login": "serial_portal_ab",
                "password": "serial_portal_ab",
                "partner_id": contact_b.id,
                "company_id": company_b.id,
                "company_ids": [Command.set(company_b.ids)],
                "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        user_a = self.portal_users[0]
        for user, own, other in ((user_a, self.lots[0], lot_b), (user_b, lot_b, self.lots[0])):
            with self.subTest(user=user.login):
                self.assertEqual(self.env["stock.lot"].with_user(user).search([]), own)
                with self.assertRaises(AccessError):
                    other.with_user(user).read(["name"])
                self.authenticate(user.login, user.login)
                page = self._get("/my/serials").text
                self.assertIn(own.name, page)
                self.assertNotIn(other.name, page)
                response = self._get("/my/serials/%s?report_type=pdf" % other.id)
                self.assertTrue(response.url.rstrip("/").endswith("/my"))
                self.assertNotIn(other.name, response.text)

    def test_holder_cannot_be_forged(self):
        """An internal user cannot put a unit in a customer's portal by setting its holder:
        only a delivery does."""
        clerk = self.env["res.users"].create(
            {
                "name": "Forging Clerk",
                "login": "serial_portal_forger",
                "groups_id": [Command.set([self.env.ref("stock.group_stock_manager").id])],
            }
        )
        user_a = self.portal_users[0]
        with self.assertRaises(AccessError):
            self.in_stock.with_user(clerk).write(
                {"holder_partner_id": self.customers[0].id, "serial_state": "delivered"}
            )
        self.assertEqual(self.env["stock.lot"].with_user(user_a).search([]), self.lots[0])
        self._deliver(self.in_stock, self.customers[0])
        self.assertEqual(
            self.env["stock.lot"].with_user(user_a).search([]), self.lots[0] | self.in_stock
        )

    def test_portal_tour(self):
        """The same, clicked through in a browser by customer A."""
        user = self.portal_users[0]
        self.start_tour("/my", "serial_tracking_portal", login=user.login)

    def test_portal_list_on_a_phone(self):
        self.browser_size = "390x844"
        self.touch_enabled = True
        user = self.portal_users[0]
        self.start_tour("/my/serials", "serial_tracking_portal_phone", login=user.login)
