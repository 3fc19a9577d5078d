"""serial_tracking beside OCA's stock_picking_import_serial_number: serials imported from a
spreadsheet into a receipt are received as serial_tracking's serials (in stock, from the
receipt's vendor, with their receipt in their history), and a serial that is already in stock
is refused at validation, naming it, as when typed in serial_tracking's own popup.

Runs only in the coexistence database of scripts/coexistence.sh, where both are installed. The
spreadsheet is the add-on's own test file (serials LOT-1 to LOT-6 of the product "1234").
"""

from base64 import b64encode
from pathlib import Path

from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.modules.module import get_module_path
from odoo.tests import Form, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestImportSerialNumber(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env.ref("stock.warehouse0")
        cls.warehouse.in_type_id.use_create_lots = True
        cls.vendor = cls.env["res.partner"].create({"name": "Import Vendor"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Imported Unit",
                "default_code": "1234",
                "is_storable": True,
                "tracking": "serial",
            }
        )
        folder = Path(get_module_path("stock_picking_import_serial_number"))
        cls.data_file = b64encode((folder / "tests" / "data" / "SNImport-1.xls").read_bytes())

    def _receipt(self, quantity):
        supplier = self.env.ref("stock.stock_location_suppliers")
        receipt = self.env["stock.picking"].create(
            {
                "partner_id": self.vendor.id,
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": supplier.id,
                "location_dest_id": self.warehouse.lot_stock_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": quantity,
                            "product_uom": self.product.uom_id.id,
                            "location_id": supplier.id,
                            "location_dest_id": self.warehouse.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()
        return receipt

    def _import(self, receipt):
        wizard = Form(
            self.env["stock.picking.import.serial.number.wiz"].with_context(
                default_picking_ids=receipt.ids, default_filename="SNImport-1.xls"
            )
        )
        wizard.data_file = self.data_file
        wizard.save().action_import()

    def test_imported_serials_are_received_and_followed(self):
        receipt = self._receipt(3)
        self._import(receipt)
        self.assertEqual(
            sorted(receipt.move_line_ids.mapped("lot_name")), ["LOT-1", "LOT-2", "LOT-3"]
        )
        receipt.move_ids.picked = True
        receipt.button_validate()
        lots = receipt.move_line_ids.lot_id
        self.assertEqual(sorted(lots.mapped("name")), ["LOT-1", "LOT-2", "LOT-3"])
        self.assertEqual(set(lots.mapped("serial_state")), {"in_stock"})
        self.assertEqual(lots.serial_vendor_id, self.vendor)
        for lot in lots:
            self.assertEqual(lot.history_line_ids.picking_id, receipt)

    def test_importing_a_serial_in_stock_again_is_refused(self):
        first = self._receipt(1)
        self._import(first)
        first.move_ids.picked = True
        first.button_validate()
        self.assertEqual(first.move_line_ids.lot_id.serial_state, "in_stock")
        second = self._receipt(1)
        self._import(second)
        self.assertEqual(second.move_line_ids.lot_name, "LOT-1")
        second.move_ids.picked = True
        with self.assertRaisesRegex((UserError, ValidationError), "LOT-1"):
            second.button_validate()
