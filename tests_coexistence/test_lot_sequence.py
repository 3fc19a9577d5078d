"""serial_tracking beside OCA's product_lot_sequence: each numbering applies where it is asked
for. A serial created without a name takes the product's lot sequence (product_lot_sequence),
and serial_tracking follows it like any serial (in stock once received); serial_tracking's
popup and its generation give the names of serial_tracking's own numbering rule.

Runs only in the coexistence database of scripts/coexistence.sh, where both are installed.
"""

from odoo.fields import Command
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestLotSequence(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("product_lot_sequence.policy", "product")
        cls.warehouse = cls.env.ref("stock.warehouse0")
        cls.product = cls.env["product.product"].create(
            {
                "name": "Sequenced Unit",
                "is_storable": True,
                "tracking": "serial",
                "lot_sequence_prefix": "PLS-",
                "lot_sequence_padding": 3,
                "serial_prefix": "STR-",
                "serial_padding": 4,
            }
        )

    def test_each_numbering_where_it_is_asked_for(self):
        self.assertTrue(self.product.lot_sequence_id)
        lot = self.env["stock.lot"].create({"product_id": self.product.id})
        self.assertTrue(lot.name.startswith("PLS-"), lot.name)
        self.assertEqual(self.product.serial_next_names(2), ["STR-0001", "STR-0002"])
        supplier = self.env.ref("stock.stock_location_suppliers")
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": supplier.id,
                "location_dest_id": self.warehouse.lot_stock_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "product_uom": self.product.uom_id.id,
                            "location_id": supplier.id,
                            "location_dest_id": self.warehouse.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()
        receipt.move_ids.move_line_ids.lot_id = lot
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.assertEqual(lot.serial_state, "in_stock")
