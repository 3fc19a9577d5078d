# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import Form, TransactionCase, tagged

from ..hooks import post_init_hook


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    """The add-on is installed in a real database and Odoo's product form works with it."""

    def test_module_installed(self):
        module = self.env["ir.module.module"].search([("name", "=", "serial_tracking")])
        self.assertEqual(module.state, "installed")
        # The add-on brings the sales and purchase stock flows along.
        deps = self.env["ir.module.module"].search(
            [("name", "in", ("sale_stock", "purchase_stock"))]
        )
        self.assertEqual(set(deps.mapped("state")), {"installed"})

    def test_product_form_serial_tracking(self):
        """A user creates a serial-tracked product through the form, as in the web client."""
        with Form(self.env["product.template"]) as form:
            form.name = "Serial Test Device"
            form.is_storable = True
            form.tracking = "serial"
        product = form.record
        self.assertEqual(product.tracking, "serial")
        self.assertTrue(product.is_storable)
        self.assertEqual(product.product_variant_count, 1)

    def test_lots_and_serials_enabled(self):
        """Installing the add-on switches Lots & Serial Numbers on for internal users."""
        user = self.env["res.users"].create(
            {
                "name": "Clerk",
                "login": "clerk_install",
                "groups_id": [(6, 0, self.env.ref("base.group_user").ids)],
            }
        )
        self.assertTrue(user.has_group("stock.group_production_lot"))

    def test_existing_serials_get_their_status_at_install(self):
        """Serials made before the add-on was installed get their status from their moves."""
        product = self.env["product.product"].create(
            {"name": "Old Widget", "is_storable": True, "tracking": "serial"}
        )
        lot = self.env["stock.lot"].create({"name": "OLD1", "product_id": product.id})
        stock = self.env["stock.warehouse"].search([], limit=1).lot_stock_id
        quant = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": product.id,
                    "lot_id": lot.id,
                    "location_id": stock.id,
                    "inventory_quantity": 1,
                }
            )
        )
        quant.action_apply_inventory()
        # As before the install: no status at all.
        self.env.cr.execute(
            "UPDATE stock_lot SET serial_state = NULL, serial_receipt_date = NULL WHERE id = %s",
            [lot.id],
        )
        lot.invalidate_recordset()
        post_init_hook(self.env)
        self.assertEqual(lot.serial_state, "in_stock")
        self.assertTrue(lot.serial_receipt_date)
