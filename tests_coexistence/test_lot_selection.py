"""serial_tracking beside OCA's sale_order_lot_selection (and its stock_restrict_lot): a serial
chosen in that add-on's Lot field of a sales order line is the unit the delivery reserves and
ships, and serial_tracking follows it (reserved, then delivered to the customer, who holds it);
the serials not chosen stay in stock.

Runs only in the coexistence database of scripts/coexistence.sh, where both are installed.
"""

from odoo.fields import Command
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestLotSelection(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = cls.env.ref("stock.warehouse0").lot_stock_id
        cls.customer = cls.env["res.partner"].create({"name": "Lot Selection Customer"})
        cls.product = cls.env["product.product"].create(
            {"name": "Lot Selection Unit", "is_storable": True, "tracking": "serial"}
        )
        cls.lots = cls.env["stock.lot"].create(
            [{"name": f"LS-{n}", "product_id": cls.product.id} for n in (1, 2, 3)]
        )
        quants = cls.env["stock.quant"].create(
            [
                {
                    "product_id": cls.product.id,
                    "location_id": cls.stock.id,
                    "lot_id": lot.id,
                    "inventory_quantity": 1,
                }
                for lot in cls.lots
            ]
        )
        quants.action_apply_inventory()

    def test_lot_chosen_on_the_line_is_reserved_delivered_and_followed(self):
        self.assertEqual(set(self.lots.mapped("serial_state")), {"in_stock"})
        chosen = self.lots[1]
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 1, "lot_id": chosen.id}
                    )
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        self.assertEqual(picking.move_line_ids.lot_id, chosen)
        self.assertEqual(chosen.serial_state, "reserved")
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(chosen.serial_state, "delivered")
        self.assertEqual(chosen.holder_partner_id, self.customer)
        self.assertEqual(set((self.lots - chosen).mapped("serial_state")), {"in_stock"})
