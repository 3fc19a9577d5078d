# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import Form

from odoo.addons.serial_tracking.tests.common import SerialTrackingCase


class SerialMrpCase(SerialTrackingCase):
    """A serial drone built from a serial motor and a serial board, each in stock five times in
    the first company, and a manufacturing user of that company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.drone = cls.env["product.product"].create(
            {
                "name": "Serial Drone",
                "is_storable": True,
                "tracking": "serial",
                "serial_prefix": "DR-",
                "serial_padding": 4,
            }
        )
        cls.motor = cls.env["product.product"].create(
            {"name": "Serial Motor", "is_storable": True, "tracking": "serial"}
        )
        cls.board = cls.env["product.product"].create(
            {"name": "Serial Board", "is_storable": True, "tracking": "serial"}
        )
        cls.bom = cls._create_bom(cls.drone, [cls.motor, cls.board])
        cls.motors = cls._put_in_stock(["M1", "M2", "M3", "M4", "M5"], product=cls.motor)
        cls.boards = cls._put_in_stock(["B1", "B2", "B3", "B4", "B5"], product=cls.board)
        cls.mrp_user = cls._create_user(
            "serial_maker_a", "Maker A", ["mrp.group_mrp_user", "stock.group_production_lot"]
        )

    @classmethod
    def _create_bom(cls, product, components, company=None):
        return cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": product.product_tmpl_id.id,
                "product_qty": 1,
                "company_id": (company or cls.company).id,
                "bom_line_ids": [
                    Command.create({"product_id": component.id, "product_qty": 1})
                    for component in components
                ],
            }
        )

    def _create_production(self, quantity, product=None, bom=None, warehouse=None):
        """A confirmed manufacturing order of ``quantity`` units."""
        warehouse = warehouse or self.warehouse
        form = Form(self.env["mrp.production"].with_company(warehouse.company_id))
        form.product_id = product or self.drone
        form.bom_id = bom or self.bom
        form.product_qty = quantity
        form.picking_type_id = warehouse.manu_type_id
        production = form.save()
        production.action_confirm()
        return production

    def _raw_move(self, production, product):
        return production.move_raw_ids.filtered(lambda move: move.product_id == product)

    def _popup_apply(self, record, text=None, generate=False, user=None):
        form = self._open_popup(record, user=user)
        if text is not None:
            form.serial_text = text
        wizard = form.save()
        if generate:
            wizard.action_generate()
        return wizard.action_apply()

    def _choose_components(self, production, motors, boards):
        self._popup_apply(self._raw_move(production, self.motor), "\n".join(motors))
        self._popup_apply(self._raw_move(production, self.board), "\n".join(boards))

    def _produce_all(self, production):
        """Produce All (or Produce) as the web client runs it: a server action it returns is
        run next, as the client does."""
        action = production.button_mark_done()
        if isinstance(action, dict) and action.get("type") == "ir.actions.server":
            self.assertEqual(action["context"]["active_model"], "mrp.production")
            action = (
                production.env["ir.actions.server"]
                .browse(action["id"])
                .with_context(**action["context"])
                .run()
            )
        return action

    def _lot(self, name, product=None):
        return self.env["stock.lot"].search(
            [("name", "=", name), ("product_id", "=", (product or self.drone).id)]
        )
