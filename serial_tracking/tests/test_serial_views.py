# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo import Command
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import SerialTrackingCase

SERIAL_STATES = (
    "expected",
    "in_stock",
    "reserved",
    "in_transit",
    "delivered",
    "returned_to_vendor",
    "scrapped",
    "consumed",
    "adjusted_out",
)


@tagged("post_install", "-at_install")
class TestSerialViews(SerialTrackingCase):
    """The serial form (ribbon, Serial group, History page) and the Serial Inventory action,
    its menu, its search by partial serial, and what each company's users see through it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.action = cls.env.ref("serial_tracking.action_serial_inventory")
        cls.product_2 = cls.env["product.product"].create(
            {"name": "Serial Gadget", "is_storable": True, "tracking": "serial"}
        )
        cls.lot_product = cls.env["product.product"].create(
            {"name": "Batch Paint", "is_storable": True, "tracking": "lot"}
        )

    def _action_domain(self):
        return safe_eval(self.action.domain or "[]")

    def _arch(self, view_type, view_id=False):
        views = self.env["stock.lot"].get_views([(view_id, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def _receive(self, name):
        """Receive one unit of the serial product from the vendor as serial ``name``."""
        receipt = self._create_receipt(1)
        receipt.action_assign()
        receipt.move_ids.move_line_ids.lot_name = name
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")
        return receipt

    def test_serial_form(self):
        """A received serial opens in the form with its status, location, vendor and history."""
        receipt = self._receive("VIEW-0001")
        lot = receipt.move_ids.move_line_ids.lot_id
        form = Form(lot)
        self.assertEqual(form.serial_product_tracking, "serial")
        self.assertEqual(form.serial_state, "in_stock")
        self.assertEqual(form.location_id, self.stock_location)
        self.assertEqual(form.serial_vendor_id, self.vendor)
        self.assertTrue(form.serial_receipt_date)
        self.assertFalse(form.holder_partner_id)
        self.assertEqual(len(form.history_line_ids), 1)
        self.assertEqual(form.history_line_ids[0], receipt.move_ids.move_line_ids)

    def test_serial_form_arch(self):
        """One ribbon per status; ribbon, Serial group and History page show for serials only."""
        arch = self._arch("form")
        ribbons = arch.xpath("//widget[@name='web_ribbon']")
        serial_ribbons = [r for r in ribbons if "serial_state" in (r.get("invisible") or "")]
        self.assertEqual(len(serial_ribbons), len(SERIAL_STATES))
        for state in SERIAL_STATES:
            shown = [
                ribbon
                for ribbon in serial_ribbons
                if not safe_eval(
                    ribbon.get("invisible"),
                    {"serial_product_tracking": "serial", "serial_state": state},
                )
            ]
            self.assertEqual(len(shown), 1, "exactly one ribbon for %s" % state)
            self.assertTrue(
                all(
                    safe_eval(
                        ribbon.get("invisible"),
                        {"serial_product_tracking": "lot", "serial_state": state},
                    )
                    for ribbon in serial_ribbons
                ),
                "no ribbon on a lot",
            )
        self.assertEqual(
            {ribbon.get("title") for ribbon in serial_ribbons},
            {
                "Expected",
                "In Stock",
                "Reserved",
                "In Transit",
                "Delivered",
                "Returned to Vendor",
                "Scrapped",
                "Consumed",
                "Adjusted Out",
            },
        )
        (group,) = arch.xpath("//group[@name='serial_group']")
        (page,) = arch.xpath("//page[@name='serial_history']")
        for node in (group, page):
            self.assertFalse(
                safe_eval(node.get("invisible"), {"serial_product_tracking": "serial"})
            )
            self.assertTrue(safe_eval(node.get("invisible"), {"serial_product_tracking": "lot"}))
        for name in (
            "serial_state",
            "holder_partner_id",
            "location_id",
            "serial_vendor_id",
            "serial_receipt_date",
            "serial_unit_cost",
            "serial_delivery_date",
        ):
            self.assertTrue(group.xpath(".//field[@name='%s']" % name), name)
        columns = page.xpath(".//field[@name='history_line_ids']/list/field/@name")
        for name in (
            "date",
            "reference",
            "location_id",
            "location_dest_id",
            "picking_partner_id",
            "quantity",
            "write_uid",
        ):
            self.assertIn(name, columns)

    def test_lot_form_unchanged(self):
        """A lot of a lot-tracked product still opens in the form; serial data stays empty."""
        lot = self.env["stock.lot"].create(
            {"name": "PAINT-01", "product_id": self.lot_product.id, "company_id": self.company.id}
        )
        form = Form(lot)
        self.assertEqual(form.serial_product_tracking, "lot")
        self.assertFalse(form.serial_state)
        self.assertEqual(form.name, "PAINT-01")

    def test_action_and_menu(self):
        """Serial Inventory: list, form, pivot and graph of its own views, under Inventory >
        Products right after Lots/Serial Numbers; the native default views stay the default."""
        self.assertEqual(self.action.res_model, "stock.lot")
        self.assertEqual(
            self.action.view_ids.mapped("view_mode"), ["list", "form", "pivot", "graph"]
        )
        self.assertEqual(
            self.action.view_ids.mapped("view_id"),
            self.env.ref("serial_tracking.view_serial_inventory_list")
            | self.env.ref("stock.view_production_lot_form")
            | self.env.ref("serial_tracking.view_serial_inventory_pivot")
            | self.env.ref("serial_tracking.view_serial_inventory_graph"),
        )
        self.assertEqual(
            self.action.search_view_id, self.env.ref("serial_tracking.view_serial_inventory_search")
        )
        context = safe_eval(self.action.context or "{}")
        self.assertFalse([key for key in context if key.startswith("search_default_")])

        menu = self.env.ref("serial_tracking.menu_serial_inventory")
        lots_menu = self.env.ref("stock.menu_action_production_lot_form")
        self.assertEqual(menu.action, self.action)
        self.assertEqual(menu.parent_id, lots_menu.parent_id)
        self.assertIn(self.env.ref("stock.group_production_lot"), menu.groups_id)
        siblings = list(menu.parent_id.child_id)
        self.assertEqual(siblings.index(menu), siblings.index(lots_menu) + 1)

        views = self.env["stock.lot"].get_views([(False, "list"), (False, "search")])["views"]
        self.assertEqual(views["list"]["id"], self.env.ref("stock.view_production_lot_tree").id)
        self.assertEqual(views["search"]["id"], self.env.ref("stock.search_product_lot_filter").id)
        for view_type, view in (
            ("list", "serial_tracking.view_serial_inventory_list"),
            ("search", "serial_tracking.view_serial_inventory_search"),
            ("pivot", "serial_tracking.view_serial_inventory_pivot"),
            ("graph", "serial_tracking.view_serial_inventory_graph"),
        ):
            self.assertIsNotNone(self._arch(view_type, self.env.ref(view).id))

    def test_action_shows_serials_only(self):
        """Lots of lot-tracked products are not in the Serial Inventory."""
        lot = self.env["stock.lot"].create(
            {"name": "PAINT-02", "product_id": self.lot_product.id, "company_id": self.company.id}
        )
        serial = self.env["stock.lot"].create(
            {"name": "SER-02", "product_id": self.product.id, "company_id": self.company.id}
        )
        found = self.env["stock.lot"].search(
            self._action_domain() + [("id", "in", (lot | serial).ids)]
        )
        self.assertEqual(found, serial)

    def test_search_partial_serial(self):
        """Typing part of a serial (or of its internal reference) in the search finds the serials
        of every product, and no lot of a lot-tracked product."""
        arch = self._arch("search", self.action.search_view_id.id)
        first_field = arch.xpath("//field")[0]
        self.assertEqual(first_field.get("name"), "name")
        Lot = self.env["stock.lot"]
        company = self.company.id
        lot_a, lot_b, by_ref = Lot.create(
            [
                {"name": "AB-QPART-01", "product_id": self.product.id, "company_id": company},
                {"name": "CD-qpart-02", "product_id": self.product_2.id, "company_id": company},
                {
                    "name": "ZZ-9",
                    "ref": "vendor QPART ref",
                    "product_id": self.product_2.id,
                    "company_id": company,
                },
            ]
        )
        Lot.create(
            [
                {"name": "NOPE-04", "product_id": self.product.id, "company_id": company},
                {"name": "LOT-QPART-05", "product_id": self.lot_product.id, "company_id": company},
            ]
        )
        domain = safe_eval(first_field.get("filter_domain"), {"self": "QPart"})
        found = Lot.search(self._action_domain() + domain)
        self.assertEqual(found, lot_a | lot_b | by_ref)
        self.assertEqual(found.product_id, self.product | self.product_2)

    def test_multi_company_users_see_own_serials(self):
        """Through the Serial Inventory, a user of company A never sees company B's serials (even
        one with the same number), nor in its groupings, and the other way round."""
        Lot = self.env["stock.lot"]
        lot_a = Lot.create(
            {"name": "MC-0001", "product_id": self.product.id, "company_id": self.company.id}
        )
        lot_b = Lot.create(
            {"name": "MC-0001", "product_id": self.product.id, "company_id": self.company_b.id}
        )
        lot_b2 = Lot.create(
            {"name": "MC-0002", "product_id": self.product_2.id, "company_id": self.company_b.id}
        )
        groups = [
            Command.set(
                [self.env.ref("base.group_user").id, self.env.ref("stock.group_stock_user").id]
            )
        ]
        users = self.env["res.users"].create(
            [
                {
                    "name": "Serial Viewer %s" % company.name,
                    "login": "serial_viewer_%s" % company.id,
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "groups_id": groups,
                }
                for company in (self.company, self.company_b)
            ]
        )
        domain = self._action_domain() + [("name", "ilike", "MC-000")]
        for user, own, other in (
            (users[0], lot_a, lot_b | lot_b2),
            (users[1], lot_b | lot_b2, lot_a),
        ):
            lots = Lot.with_user(user).with_context(allowed_company_ids=user.company_id.ids)
            found = lots.search(domain)
            self.assertEqual(found, own, user.name)
            self.assertFalse(found & other, user.name)
            self.assertEqual(lots.search_count(domain), len(own), user.name)
            grouped = lots._read_group(domain, ["company_id"], ["__count"])
            self.assertEqual(grouped, [(user.company_id, len(own))], user.name)

    def test_operation_cards_open_the_popup(self):
        """On a phone a transfer's operations are cards (the move kanban): the serial popup is
        reachable from them, for moves of serial products still to do."""
        clerk = self.env(user=self.stock_user, context={"allowed_company_ids": self.company.ids})
        arch = clerk["stock.move"].get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        buttons = etree.fromstring(arch).xpath("//button[@name='action_open_serial_entry']")
        self.assertEqual(len(buttons), 1)
        self.assertIn("has_tracking != 'serial'", buttons[0].get("invisible"))
        receipt = self._create_receipt(2)
        action = receipt.move_ids.with_env(clerk).action_open_serial_entry()
        self.assertEqual(action["res_model"], "serial.entry.wizard")
