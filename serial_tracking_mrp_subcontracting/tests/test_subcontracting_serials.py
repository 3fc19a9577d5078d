# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.serial_tracking_mrp.tests.common import SerialMrpCase


class SubcontractingCase(SerialMrpCase):
    """A drone subcontracted with a motor the subcontractor was sent (two in its location)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subcontractor = cls.env["res.partner"].create(
            {"name": "Drone Subcontractor", "company_id": cls.company.id}
        )
        cls.subcontract_bom = cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.drone.product_tmpl_id.id,
                "product_qty": 1,
                "type": "subcontract",
                "company_id": cls.company.id,
                "subcontractor_ids": [Command.set(cls.subcontractor.ids)],
                "bom_line_ids": [Command.create({"product_id": cls.motor.id, "product_qty": 1})],
            }
        )
        # Motors sent to the subcontractor (resupplied): in stock at its location.
        cls.subcontracting_location = cls.company.subcontracting_location_id
        cls._put_in_stock(["MS1", "MS2"], product=cls.motor, location=cls.subcontracting_location)

    def _subcontract_receipt(self):
        supplier = self.env.ref("stock.stock_location_suppliers")
        picking = (
            self.env["stock.picking"]
            .with_company(self.company)
            .create(
                {
                    "picking_type_id": self.warehouse.in_type_id.id,
                    "partner_id": self.subcontractor.id,
                    "location_id": supplier.id,
                    "location_dest_id": self.stock_location.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": self.drone.name,
                                "product_id": self.drone.id,
                                "product_uom_qty": 1,
                                "product_uom": self.drone.uom_id.id,
                                "location_id": supplier.id,
                                "location_dest_id": self.stock_location.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        return picking


@tagged("post_install", "-at_install")
class TestSubcontractedSerials(SubcontractingCase):
    def test_the_subcontracted_unit_records_its_component_serials(self):
        receipt = self._subcontract_receipt()
        production = receipt.move_ids._get_subcontract_production()
        self.assertEqual(len(production), 1)
        component_move = production.serial_component_move_ids
        self.assertEqual(component_move.product_id, self.motor)
        action = self._popup_apply(component_move, "MS2")
        self.assertEqual(action["res_model"], "mrp.production", "back to the record")
        self.assertEqual(action["res_id"], production.id)
        self.assertEqual(component_move.move_line_ids.lot_id.name, "MS2")
        self._popup_apply(receipt.move_ids, "DR-SUB1")
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")
        unit = self._lot("DR-SUB1")
        motor = self._lot("MS2", self.motor)
        self.assertEqual(unit.serial_state, "in_stock")
        self.assertEqual(motor.serial_state, "consumed")
        self.assertEqual(unit.component_lot_ids, motor)
        self.assertEqual(motor.produced_lot_ids, unit)
        self.assertEqual(self._lot("MS1", self.motor).serial_state, "in_stock")

    def test_an_ordinary_orders_component_popup_just_closes(self):
        production = self._create_production(1)
        action = self._popup_apply(self._raw_move(production, self.motor), "M1")
        self.assertEqual(action, {"type": "ir.actions.act_window_close"})

    def test_a_component_not_at_the_subcontractor_is_refused(self):
        receipt = self._subcontract_receipt()
        component_move = receipt.move_ids._get_subcontract_production().serial_component_move_ids
        message = self._popup_error(
            component_move, "M1", lambda: component_move.move_line_ids.lot_id
        )
        self.assertIn("M1", message)


@tagged("post_install", "-at_install")
class TestSubcontractingTour(HttpCase, SubcontractingCase):
    def test_record_component_serials_and_receive(self):
        receipt = self._subcontract_receipt()
        clerk = self._create_user(
            "serial_subcontract_clerk",
            "Subcontract Clerk",
            ["stock.group_stock_user", "mrp.group_mrp_user", "stock.group_production_lot"],
        )
        clerk.password = "serial_subcontract_clerk"
        self.env.flush_all()
        self.start_tour(
            "/odoo/action-stock.action_picking_tree_all/%s" % receipt.id,
            "serial_tracking_subcontracting",
            login=clerk.login,
        )
        unit = self._lot("DR-SUB9")
        self.assertEqual(unit.serial_state, "in_stock")
        self.assertEqual(unit.component_lot_ids, self._lot("MS2", self.motor))
