# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The group boundary: managers configure (numbering rules, warranty policies and types,
settings), Inventory users enter and pick serials, other users are refused. Each claim is
asserted both ways, with restricted users of the first of two companies."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SerialSaleCase


@tagged("post_install", "-at_install")
class TestSecurityGroups(SerialSaleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        users = {
            # Every new internal user may create products ("Product Creation").
            "clerk": ["stock.group_stock_user", "product.group_product_manager"],
            "stock_manager": ["stock.group_stock_manager"],
            "sales_manager": ["sales_team.group_sale_manager"],
            "salesman_only": ["sales_team.group_sale_salesman_all_leads"],
            "buyer_only": ["purchase.group_purchase_user"],
            "seller_clerk": ["sales_team.group_sale_salesman_all_leads", "stock.group_stock_user"],
            "admin": ["base.group_system", "stock.group_stock_manager"],
        }
        for key, groups in users.items():
            setattr(
                cls,
                key,
                cls._create_user("serial_sec_%s" % key, key.replace("_", " ").title(), groups),
            )
        cls.in_stock = cls._put_in_stock(["GRP-1", "GRP-2"])

    def _as(self, record, user):
        return record.with_user(user).with_context(allowed_company_ids=user.company_ids.ids)

    # ------------------------------------------------------------------
    # Configuration: managers
    # ------------------------------------------------------------------

    def test_numbering_rule_is_for_inventory_managers(self):
        template = self.product.product_tmpl_id
        self._as(template, self.stock_manager).write({"serial_prefix": "MGR-", "serial_padding": 4})
        self.assertEqual(self.product.serial_next_names(1), ["MGR-0001"])
        as_clerk = self._as(template, self.clerk)
        as_clerk.write({"name": "Serial Widget Mk2"})  # other fields: as Odoo allows
        for values in (
            {"serial_prefix": "HACK-"},
            {"serial_padding": 2},
            {"serial_next_number": 500},
            {"serial_generation": "random"},
        ):
            with self.subTest(values=values), self.assertRaisesRegex(AccessError, "managers"):
                as_clerk.write(values)
        # Saving the form with the rule as it is stays possible.
        as_clerk.write({"serial_prefix": "MGR-", "name": "Serial Widget Mk3"})
        with self.assertRaises(AccessError):
            self._as(self.product, self.clerk).write({"serial_prefix": "HACK-"})
        with self.assertRaises(AccessError):
            self._as(self.env["product.template"], self.clerk).create(
                {"name": "Clerk Product", "tracking": "serial", "serial_prefix": "HACK-"}
            )
        created = self._as(self.env["product.template"], self.clerk).create(
            {"name": "Clerk Product", "is_storable": True, "tracking": "serial"}
        )
        self.assertFalse(created.serial_prefix)
        self.assertEqual(self.product.serial_next_names(1), ["MGR-0002"])

    def test_warranty_policy_is_for_managers(self):
        template = self.product.product_tmpl_id
        for manager in (self.stock_manager, self.sales_manager):
            with self.subTest(user=manager.name):
                self._as(template, manager).write({"warranty_duration": 6})
                self.assertEqual(template.warranty_duration, 6)
        with self.assertRaisesRegex(AccessError, "managers"):
            self._as(template, self.clerk).write({"warranty_duration": 60})
        self.assertEqual(template.warranty_duration, 6)

    def test_warranty_types_are_managed_by_managers(self):
        Type = self.env["serial.warranty.type"]
        for manager in (self.stock_manager, self.sales_manager):
            with self.subTest(user=manager.name):
                created = self._as(Type, manager).create({"name": "By %s" % manager.name})
                created.name = "Renamed by %s" % manager.name
        basic = Type.create({"name": "Basic", "company_id": self.company.id})
        for user in (self.clerk, self.salesman_only, self.buyer_only):
            with self.subTest(user=user.name):
                self.assertEqual(self._as(basic, user).name, "Basic")
                with self.assertRaises(AccessError):
                    self._as(Type, user).create({"name": "By %s" % user.name})
                with self.assertRaises(AccessError):
                    self._as(basic, user).write({"name": "Changed"})

    def test_settings_are_for_administrators(self):
        Settings = self.env["res.config.settings"]
        self._as(Settings, self.admin).create({"serial_entry_limit": 500}).execute()
        self.assertEqual(self.company.serial_entry_limit, 500)
        for user in (self.stock_manager, self.clerk):
            with self.subTest(user=user.name):
                with self.assertRaises(AccessError):
                    self._as(Settings, user).create({"serial_entry_limit": 5})
                with self.assertRaises(AccessError):
                    self._as(self.company, user).write({"serial_entry_limit": 5})
        self.assertEqual(self.company.serial_entry_limit, 500)

    # ------------------------------------------------------------------
    # Entering and picking serials: Inventory users
    # ------------------------------------------------------------------

    def test_popup_is_for_inventory_users(self):
        receipt = self._create_receipt(1)
        form = self._open_popup(receipt.move_ids, user=self.clerk)
        form.serial_text = "GRP-NEW"
        form.save().action_apply()
        self.assertEqual(receipt.move_ids.move_line_ids.lot_name, "GRP-NEW")
        purchase_line = (
            self.env["purchase.order"]
            .create(
                {
                    "partner_id": self.vendor.id,
                    "order_line": [(0, 0, {"product_id": self.product.id, "product_qty": 1})],
                }
            )
            .order_line
        )
        sale_line = self._order(1).order_line
        for user, document in (
            (self.salesman_only, receipt.move_ids),
            (self.salesman_only, sale_line),
            (self.buyer_only, purchase_line),
        ):
            with self.subTest(user=user.name, document=document._name):
                self.assertAccessRefused(self._open_popup, document, user)
                with self.assertRaises(AccessError):
                    self._as(self.env["serial.entry.wizard"], user).create(
                        {"serial_text": "GRP-X", "company_id": self.company.id}
                    )
        self._choose(sale_line, "GRP-1", user=self.seller_clerk)
        self.assertEqual(sale_line.serial_ids.name, "GRP-1")

    def test_names_are_handed_out_to_inventory_users(self):
        self.assertEqual(len(self._as(self.product, self.clerk).serial_next_names(2)), 2)
        for user in (self.salesman_only, self.buyer_only):
            with self.subTest(user=user.name), self.assertRaises(AccessError):
                self._as(self.product, user).serial_next_names(2)

    def test_reports_are_for_inventory_users(self):
        wizard = self._as(self.env["serial.report.wizard"], self.clerk).create({"serial": "GRP-"})
        self.assertEqual(sorted(wizard._get_lots().mapped("name")), ["GRP-1", "GRP-2"])
        history = self._as(self.env["ir.actions.report"], self.clerk)._render_qweb_html(
            "serial_tracking.action_report_serial_history", self.in_stock[:1].ids
        )[0]
        self.assertIn(b"GRP-1", history)
        for user in (self.salesman_only, self.buyer_only):
            with self.subTest(user=user.name):
                with self.assertRaises(AccessError):
                    self._as(self.env["serial.report.wizard"], user).create({"serial": "GRP-"})
                self.assertAccessRefused(
                    self._as(self.env["ir.actions.report"], user)._render_qweb_html,
                    "serial_tracking.action_report_serial_history",
                    self.in_stock[:1].ids,
                )

    # ------------------------------------------------------------------
    # What follows from moves and orders: nobody sets it by hand
    # ------------------------------------------------------------------

    def test_derived_fields_cannot_be_set_by_hand(self):
        lot = self.in_stock[0]
        customer = self.customer
        for user in (self.clerk, self.stock_manager):
            for values in (
                {"serial_state": "delivered"},
                {"holder_partner_id": customer.id},
                {"sale_line_id": self._order(1).order_line.id},
                {"serial_vendor_id": self.vendor.id},
            ):
                with (
                    self.subTest(user=user.name, values=values),
                    self.assertRaisesRegex(AccessError, "cannot be set by hand"),
                ):
                    self._as(lot, user).write(values)
            with self.assertRaises(AccessError):
                self._as(self.env["stock.lot"], user).create(
                    {
                        "name": "GRP-FORGED",
                        "product_id": self.product.id,
                        "holder_partner_id": customer.id,
                        "serial_state": "delivered",
                    }
                )
        self.assertEqual(lot.serial_state, "in_stock")
        self.assertFalse(lot.holder_partner_id)
        # What users may edit on a serial stays editable.
        self._as(lot, self.clerk).write({"ref": "Shelf 4", "note": "<p>Scratched</p>"})
        # Delivering the unit sets them.
        order = self._order(1)
        self._choose(order.order_line, lot.name, user=self.seller_clerk)
        order.action_confirm()
        self._validate(order.picking_ids)
        self.assertEqual(lot.serial_state, "delivered")
        self.assertEqual(lot.holder_partner_id, customer)

    def test_a_user_who_may_only_create_serials_creates_them(self):
        """Some users may create serials but not change them (Odoo's subcontracting portal gives
        subcontractors exactly that): the serial they create starts expected without their
        writing it, and they still may neither write it nor set its status."""
        group = self.env["res.groups"].create({"name": "Serial creators (test)"})
        self.env["ir.model.access"].create(
            {
                "name": "serial creators: read and create serials",
                "model_id": self.env.ref("stock.model_stock_lot").id,
                "group_id": group.id,
                "perm_read": True,
                "perm_create": True,
                "perm_write": False,
                "perm_unlink": False,
            }
        )
        creator = self._create_user("serial_sec_creator", "Creator", [])
        creator.groups_id = [(4, group.id)]
        lot = self._as(self.env["stock.lot"], creator).create(
            {"name": "GRP-NEW", "product_id": self.product.id, "company_id": self.company.id}
        )
        self.assertEqual(lot.serial_state, "expected")
        with self.assertRaises(AccessError):
            self._as(lot, creator).write({"ref": "Shelf 5"})
        with self.assertRaisesRegex(AccessError, "cannot be set by hand"):
            self._as(self.env["stock.lot"], creator).create(
                {"name": "GRP-NEW2", "product_id": self.product.id, "serial_state": "in_stock"}
            )
