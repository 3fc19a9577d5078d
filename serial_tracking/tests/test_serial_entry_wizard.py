# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import SerialTrackingCase


@tagged("post_install", "-at_install")
class TestSerialEntryWizard(SerialTrackingCase):
    """The serial popup on a receipt, driven through the same methods its buttons call."""

    def _open(self, move, user=None):
        """Open the popup as the button on the operation line does, as a Form."""
        return self._open_popup(move, user=user)

    def _lines(self, move):
        return [(ml.lot_id.name or ml.lot_name, ml.quantity) for ml in move.move_line_ids]

    def _apply_error(self, move, text):
        """Apply ``text`` on ``move``: it must fail, leaving the move and the text as they were."""
        return self._popup_error(move, text, lambda: self._lines(move))

    # ------------------------------------------------------------------
    # Entering serials
    # ------------------------------------------------------------------

    def test_typed_serials(self):
        """Serials typed or scanned one per line: counter, preview, then one line per unit."""
        receipt = self._create_receipt(5)
        move = receipt.move_ids
        self.assertEqual(len(move.move_line_ids), 5, "Odoo prepares one line per unit")
        form = self._open(move)
        self.assertEqual(form.quantity, 5)
        self.assertEqual(form.counter, "0 / 5 serials")
        form.serial_text = "A001\nA002\n  A003  \n"
        self.assertEqual(form.counter, "3 / 5 serials")
        self.assertEqual(form.new_count, 3)
        self.assertIn("A003", form.preview_html)
        self.assertNotIn("alert-danger", form.preview_html)
        form.save().action_apply()
        self.assertEqual(self._lines(move), [("A001", 1), ("A002", 1), ("A003", 1)])
        self.assertEqual(move.quantity, 3)
        self.assertTrue(
            all(ml.location_dest_id == self.stock_location for ml in move.move_line_ids)
        )

    def test_pasted_lists_and_spreadsheet(self):
        """Lists separated by commas or semicolons, and a column pasted from a spreadsheet."""
        receipt = self._create_receipt(6)
        move = receipt.move_ids
        form = self._open(move)
        form.serial_text = "B1, B2; B3"
        self.assertEqual(form.serial_count, 3)
        form.serial_text = "Serial\tColour\nB1\tred\nB2\tblue\nB3\tgreen\n"
        self.assertEqual(form.serial_count, 3)
        form.save().action_apply()
        self.assertEqual([name for name, _qty in self._lines(move)], ["B1", "B2", "B3"])

    def test_range(self):
        receipt = self._create_receipt(250)
        move = receipt.move_ids
        form = self._open(move)
        form.serial_text = "SN0001-SN0250"
        self.assertEqual(form.counter, "250 / 250 serials")
        form.save().action_apply()
        names = [name for name, _qty in self._lines(move)]
        self.assertEqual(len(names), 250)
        self.assertEqual((names[0], names[-1]), ("SN0001", "SN0250"))

    def test_gs1_scan(self):
        receipt = self._create_receipt(1)
        form = self._open(receipt.move_ids)
        form.serial_text = "(01)09501101530003(17)251231(21)GS1SER42"
        form.save().action_apply()
        self.assertEqual(self._lines(receipt.move_ids), [("GS1SER42", 1)])

    def test_uploaded_csv_and_xlsx(self):
        """A CSV's 'serial' column, or an XLSX's first column, is added to the entry."""
        receipt = self._create_receipt(4)
        form = self._open(receipt.move_ids)
        form.serial_text = "C0"
        form.upload_file = base64.b64encode(b"Product;Serial\nWidget;C1\nWidget;C2\n")
        self.assertEqual(form.serial_text, "C0\nC1\nC2")
        workbook = openpyxl.Workbook()
        workbook.active.append(["Code"])
        workbook.active.append(["C3"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        form.upload_file = base64.b64encode(buffer.getvalue())
        self.assertEqual(form.serial_text, "C0\nC1\nC2\nC3")
        form.save().action_apply()
        self.assertEqual(len(receipt.move_ids.move_line_ids), 4)

    def test_generated_serials(self):
        """'Generate next N' adds names from the product's rule to the entry."""
        self.product.write({"serial_prefix": "GEN-", "serial_padding": 3})
        receipt = self._create_receipt(3)
        form = self._open(receipt.move_ids)
        self.assertEqual(form.generate_count, 3, "proposes the units still without serial")
        form.generate_count = 2
        wizard = form.save()
        action = wizard.action_generate()
        self.assertEqual(action["res_id"], wizard.id, "the popup stays open")
        self.assertEqual(wizard.serial_text, "GEN-001\nGEN-002")
        wizard.action_apply()
        self.assertEqual(self._lines(receipt.move_ids), [("GEN-001", 1), ("GEN-002", 1)])

    def test_generated_names_that_look_like_ranges(self):
        """Names of the rule that would read as ranges ("Q1-Q5") are quoted in the text, and
        come back as they are; random names after a prefix with a hyphen are plain serials."""
        self.product.write({"serial_prefix": "Q1-Q", "serial_padding": 1, "serial_next_number": 5})
        receipt = self._create_receipt(2)
        form = self._open(receipt.move_ids)
        form.generate_count = 1
        wizard = form.save()
        wizard.action_generate()
        self.assertEqual(wizard.serial_text, '"Q1-Q5"')
        wizard.serial_text += "\nBSX2-Q7K2M9TA"
        wizard.action_apply()
        self.assertEqual(self._lines(receipt.move_ids), [("Q1-Q5", 1), ("BSX2-Q7K2M9TA", 1)])
        form = self._open(receipt.move_ids)
        self.assertEqual(form.serial_text, '"Q1-Q5"\nBSX2-Q7K2M9TA')
        self.assertEqual(form.counter, "2 / 2 serials")

    def test_reopen_edits_the_same_serials(self):
        """The popup shows the serials already on the move; removing one removes its line."""
        receipt = self._create_receipt(3)
        move = receipt.move_ids
        form = self._open(move)
        form.serial_text = "E1\nE2\nE3"
        form.save().action_apply()
        kept_line = move.move_line_ids.filtered(lambda ml: ml.lot_name == "E1")
        form = self._open(move)
        self.assertEqual(form.serial_text, "E1\nE2\nE3")
        form.serial_text = "E1\nE3\nE4"
        form.save().action_apply()
        self.assertEqual(sorted(name for name, _qty in self._lines(move)), ["E1", "E3", "E4"])
        self.assertIn(kept_line, move.move_line_ids, "unchanged lines are kept")

    def test_known_serial_and_validation(self):
        """A serial known but not in stock (e.g. returned to the vendor) can be received again;
        validation creates the new serials and puts every unit in stock."""
        known = self.env["stock.lot"].create(
            {"name": "K1", "product_id": self.product.id, "company_id": self.company.id}
        )
        receipt = self._create_receipt(2)
        form = self._open(receipt.move_ids)
        form.serial_text = "K1\nK2"
        self.assertEqual((form.known_count, form.new_count), (1, 1))
        form.save().action_apply()
        self.assertEqual(receipt.move_ids.move_line_ids[0].lot_id, known)
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")
        quants = self.env["stock.quant"].search(
            [("product_id", "=", self.product.id), ("location_id", "=", self.stock_location.id)]
        )
        self.assertEqual(sorted(quants.lot_id.mapped("name")), ["K1", "K2"])

    def test_partial_entry_leaves_a_backorder(self):
        receipt = self._create_receipt(4)
        form = self._open(receipt.move_ids)
        form.serial_text = "P1\nP2"
        form.save().action_apply()
        action = receipt.button_validate()
        backorder_wizard = Form(
            self.env[action["res_model"]].with_context(**action["context"])
        ).save()
        backorder_wizard.process()
        backorder = receipt.backorder_ids
        self.assertEqual(backorder.move_ids.product_uom_qty, 2)
        self.assertEqual(sorted(receipt.move_ids.move_line_ids.lot_id.mapped("name")), ["P1", "P2"])

    def test_existing_lots_operation_type(self):
        """On an operation type that uses existing lots only, the popup creates the serials."""
        picking_type = self.warehouse.in_type_id
        picking_type.write({"use_create_lots": False, "use_existing_lots": True})
        receipt = self._create_receipt(2)
        form = self._open(receipt.move_ids)
        form.serial_text = "L1,L2"
        form.save().action_apply()
        lots = receipt.move_ids.move_line_ids.lot_id
        self.assertEqual(sorted(lots.mapped("name")), ["L1", "L2"])
        self.assertEqual(lots.company_id, self.company)

    def test_auto_generate_at_validation(self):
        """A receipt type set to generate missing serials names every unit at validation."""
        self.product.write({"serial_prefix": "AUTO", "serial_padding": 2})
        self.warehouse.in_type_id.serial_auto_generate = True
        receipt = self._create_receipt(3)
        form = self._open(receipt.move_ids)
        form.serial_text = "MANUAL1"
        form.save().action_apply()
        receipt.move_ids.quantity = 3  # the user processes all three units
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")
        self.assertEqual(
            sorted(receipt.move_ids.move_line_ids.lot_id.mapped("name")),
            ["AUTO01", "AUTO02", "MANUAL1"],
        )

    def test_auto_generate_with_existing_lots_only(self):
        """On a type that takes existing lots only, the generated serials are created as lots."""
        self.product.write({"serial_prefix": "EX", "serial_padding": 3})
        self.warehouse.in_type_id.write(
            {"use_create_lots": False, "use_existing_lots": True, "serial_auto_generate": True}
        )
        receipt = self._create_receipt(2)
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")
        lots = receipt.move_ids.move_line_ids.lot_id
        self.assertEqual(sorted(lots.mapped("name")), ["EX001", "EX002"])
        self.assertEqual(lots.company_id, self.company)

    def test_without_auto_generate_validation_asks_for_serials(self):
        receipt = self._create_receipt(2)
        with self.assertRaisesRegex(UserError, "supply a Lot/Serial Number"):
            receipt.button_validate()

    def test_inventory_in_move(self):
        """A move from the inventory adjustment location (no operation type) takes serials
        through the popup too; its lines need lots, which the popup creates."""
        inventory = self.product.with_company(self.company).property_stock_inventory
        move = self.env["stock.move"].create(
            {
                "name": "Found units",
                "product_id": self.product.id,
                "product_uom_qty": 2,
                "product_uom": self.product.uom_id.id,
                "location_id": inventory.id,
                "location_dest_id": self.stock_location.id,
                "company_id": self.company.id,
            }
        )
        move._action_confirm()
        form = self._open(move)
        form.serial_text = "INV1\nINV2"
        form.save().action_apply()
        self.assertEqual(sorted(move.move_line_ids.lot_id.mapped("name")), ["INV1", "INV2"])
        move.picked = True
        move._action_done()
        self.assertEqual(move.state, "done")
        self.assertEqual(
            self.env["stock.quant"]._get_available_quantity(self.product, self.stock_location),
            2,
        )

    # ------------------------------------------------------------------
    # Bad input: a clear message naming the line, nothing half written
    # ------------------------------------------------------------------

    def test_bad_ranges(self):
        move = self._create_receipt(10).move_ids
        message = self._apply_error(move, "OK1\nSN01A-SN09B")
        self.assertIn("Line 2", message)
        self.assertIn("suffix", message)
        message = self._apply_error(move, "SN1-SN100")
        self.assertIn("Line 1", message)
        self.assertIn("same number of digits", message)
        message = self._apply_error(move, "A\nB\nSN0009-SN0001")
        self.assertIn("Line 3", message)
        self.assertIn("SN0009-SN0001", message)
        message = self._apply_error(move, "0000000001-1000000000")
        self.assertIn("Line 1", message)
        self.assertIn("10000", message)

    def test_duplicates(self):
        move = self._create_receipt(5).move_ids
        form = self._open(move)
        form.serial_text = "D1\nD2\nD1"
        self.assertEqual(form.duplicate_count, 1)
        self.assertIn("alert-danger", form.preview_html)
        message = self._apply_error(move, "D1\nD2\nD1")
        self.assertIn("Lines 1, 3", message)
        self.assertIn("D1", message)

    def test_serial_already_in_stock(self):
        self._put_in_stock(["S1"])
        move = self._create_receipt(2).move_ids
        message = self._apply_error(move, "S0\nS1")
        self.assertIn("Line 2", message)
        self.assertIn("S1", message)
        self.assertIn("already in stock", message)

    def test_control_character_and_long_line(self):
        move = self._create_receipt(2).move_ids
        message = self._apply_error(move, "OK\nBAD\x07ONE")
        self.assertIn("Line 2", message)
        message = self._apply_error(move, "OK\n" + "X" * 500)
        self.assertIn("Line 2", message)
        self.assertIn("500", message)

    def test_more_serials_than_quantity(self):
        move = self._create_receipt(2).move_ids
        message = self._apply_error(move, "M1\nM2\nM3")
        self.assertIn("3 serial numbers are entered but only 2 units", message)

    def test_entry_limit_is_a_company_setting(self):
        self.company.serial_entry_limit = 5
        move = self._create_receipt(10).move_ids
        message = self._apply_error(move, "N01-N06")
        self.assertIn("5", message)

    def test_bad_files_keep_the_entry(self):
        """An empty file or a CSV without serials changes nothing and says why."""
        receipt = self._create_receipt(3)
        form = self._open(receipt.move_ids)
        form.serial_text = "F1"
        form.upload_file = base64.b64encode(b"")
        self.assertEqual(form.serial_text, "F1")
        form.upload_file = base64.b64encode(b"Product,Serial Number\nWidget,BAD\x07\n")
        self.assertEqual(form.serial_text, "F1")
        form.upload_file = base64.b64encode(b"PK\x03\x04 not really a workbook")
        self.assertEqual(form.serial_text, "F1")
        wizard = self.env["serial.entry.wizard"].new({"product_id": self.product.id})
        with self.assertRaisesRegex(UserError, "broken.xlsx is not a readable XLSX file"):
            wizard._read_serial_file(b"PK\x03\x04 nope", "broken.xlsx", 100)
        result = wizard._read_serial_file(b"", "empty.csv", 100)
        self.assertEqual(result.problems[0].code, "empty_file")
        # A CSV whose columns hold no serials (no serial heading, empty first column).
        result = wizard._read_serial_file(b"Colour,Size\n,red\n,blue\n", "cols.csv", 100)
        self.assertEqual(result.problems[0].code, "no_serial_column")
        form.upload_file = base64.b64encode(b"Colour,Size\n,red\n,blue\n")
        self.assertEqual(form.serial_text, "F1")

    def test_done_move_cannot_be_edited(self):
        receipt = self._create_receipt(1)
        form = self._open(receipt.move_ids)
        form.serial_text = "DONE1"
        form.save().action_apply()
        receipt.button_validate()
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            receipt.move_ids.action_open_serial_entry()

    def test_popup_chooses_units_going_out(self):
        """On a transfer out of stock the popup chooses among the serials there: it cannot
        invent new ones, and the move reserves exactly the chosen ones."""
        lots = self._put_in_stock(["OUT1", "OUT2", "OUT3"])
        delivery = self._transfer(
            lots[:1], self.stock_location, self.env.ref("stock.stock_location_customers")
        )
        move = delivery.move_ids
        form = self._open(move)
        self.assertEqual(form.mode, "deliver")
        self.assertEqual(form.serial_text, "OUT1")
        self.assertEqual(form.location_id, self.stock_location)
        message = self._apply_error(move, "NEW-1")
        self.assertIn("NEW-1 is not a serial number of Serial Widget", message)
        form = self._open(move)
        form.serial_text = "OUT3"
        form.save().action_apply()
        self.assertEqual(move.move_line_ids.lot_id, lots[2])
        self.assertEqual(lots.mapped("serial_state"), ["in_stock", "in_stock", "reserved"])

    def test_not_serial_product(self):
        product = self.env["product.product"].create({"name": "Plain Widget", "is_storable": True})
        move = self._create_receipt(1, product=product).move_ids
        with self.assertRaisesRegex(UserError, "Plain Widget is not tracked by serial number"):
            move.action_open_serial_entry()

    # ------------------------------------------------------------------
    # Who may use it
    # ------------------------------------------------------------------

    def test_stock_user_uses_the_popup(self):
        receipt = self._create_receipt(2)
        form = self._open(receipt.move_ids, user=self.stock_user)
        form.serial_text = "U1\nU2"
        form.save().action_apply()
        self.assertEqual(len(receipt.move_ids.move_line_ids), 2)

    def test_sales_user_cannot_use_the_popup(self):
        """The popup is for Inventory users: a salesperson may not create one, even directly."""
        salesman = self._create_user("serial_seller", "Seller", ["sales_team.group_sale_salesman"])
        receipt = self._create_receipt(1)
        with self.assertRaises(AccessError):
            self.env["serial.entry.wizard"].with_user(salesman).with_context(
                allowed_company_ids=self.company.ids
            ).create(
                {
                    "move_id": receipt.move_ids.id,
                    "product_id": self.product.id,
                    "company_id": self.company.id,
                    "serial_text": "SALE1",
                }
            )

    def test_apply_checks_the_move_itself(self):
        """Values sent to the popup (a crafted quantity) do not override what the move says."""
        receipt = self._create_receipt(1)
        wizard = self.env["serial.entry.wizard"].create(
            {
                "move_id": receipt.move_ids.id,
                "product_id": self.product.id,
                "quantity": 5,
                "serial_text": "C1\nC2",
            }
        )
        with self.assertRaisesRegex(UserError, "is for 1 units of Serial Widget"):
            wizard.action_apply()
        self.assertFalse(receipt.move_ids.move_line_ids.lot_name)

    def test_user_without_stock_rights_is_refused(self):
        """A user with no Inventory rights cannot open the popup."""
        user = self._create_user("serial_no_stock", "Sales Only", [])
        receipt = self._create_receipt(1)
        with self.assertRaises(AccessError):
            self._open(receipt.move_ids, user=user)

    def test_other_company_move_is_refused(self):
        """A clerk of company A cannot open the popup on company B's receipt, even with its id."""
        receipt_b = self._create_receipt(1, warehouse=self.warehouse_b)
        clerk_env = self.env(
            user=self.stock_user, context={"allowed_company_ids": self.company.ids}
        )
        move_b = receipt_b.move_ids.with_env(clerk_env)
        with self.assertRaises(AccessError):
            clerk_env["serial.entry.wizard"].with_context(default_move_id=move_b.id).default_get(
                ["move_id", "serial_text"]
            )
        with self.assertRaises(AccessError):
            move_b.action_open_serial_entry()

    def test_same_text_in_two_companies(self):
        """Company B can receive a serial that exists in company A."""
        self._put_in_stock(["SHARED1"])
        receipt_b = self._create_receipt(1, warehouse=self.warehouse_b)
        form = Form(
            self.env["serial.entry.wizard"]
            .with_company(self.company_b)
            .with_context(default_move_id=receipt_b.move_ids.id)
        )
        form.serial_text = "SHARED1"
        self.assertEqual(form.new_count, 1)
        form.save().action_apply()
        receipt_b.button_validate()
        lot_b = receipt_b.move_ids.move_line_ids.lot_id
        self.assertEqual(lot_b.name, "SHARED1")
        self.assertEqual(lot_b.company_id, self.company_b)
