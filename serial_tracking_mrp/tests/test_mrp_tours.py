# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestMrpTours(HttpCase):
    """A manufacturing order of serial units clicked through in the browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        product = cls.env["product.product"]
        cls.drone = product.create(
            {
                "name": "Tour Drone",
                "is_storable": True,
                "tracking": "serial",
                "serial_prefix": "DRT-",
                "serial_padding": 4,
            }
        )
        cls.motor = product.create(
            {"name": "Tour Motor", "is_storable": True, "tracking": "serial"}
        )
        cls.board = product.create(
            {"name": "Tour Board", "is_storable": True, "tracking": "serial"}
        )
        cls.bom = cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.drone.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [
                    Command.create({"product_id": cls.motor.id, "product_qty": 1}),
                    Command.create({"product_id": cls.board.id, "product_qty": 1}),
                ],
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        for component, prefix in ((cls.motor, "TM"), (cls.board, "TB")):
            lots = cls.env["stock.lot"].create(
                [
                    {"name": "%s%s" % (prefix, index), "product_id": component.id}
                    for index in range(1, 6)
                ]
            )
            cls.env["stock.quant"].with_context(inventory_mode=True).create(
                [
                    {
                        "product_id": component.id,
                        "lot_id": lot.id,
                        "location_id": cls.warehouse.lot_stock_id.id,
                        "inventory_quantity": 1,
                    }
                    for lot in lots
                ]
            ).action_apply_inventory()
        cls.maker = cls.env["res.users"].create(
            {
                "name": "Tour Maker",
                "login": "serial_tour_maker",
                "email": "tour.maker@example.com",
                "password": "serial_tour_maker",
                "groups_id": [
                    Command.set(
                        [
                            cls.env.ref("mrp.group_mrp_user").id,
                            cls.env.ref("stock.group_production_lot").id,
                        ]
                    )
                ],
            }
        )
        cls.production = cls.env["mrp.production"].create(
            {
                "product_id": cls.drone.id,
                "bom_id": cls.bom.id,
                "product_qty": 3,
                "picking_type_id": cls.warehouse.manu_type_id.id,
            }
        )
        cls.production.action_confirm()

    def test_produce_three_units_and_open_the_genealogy(self):
        self.start_tour(
            "/odoo/action-mrp.mrp_production_action/%s" % self.production.id,
            "serial_tracking_mrp_produce",
            login=self.maker.login,
        )
        productions = self.env["mrp.production"].search(
            [("procurement_group_id", "=", self.production.procurement_group_id.id)]
        )
        self.assertEqual(set(productions.mapped("state")), {"done"})
        units = productions.lot_producing_id
        self.assertEqual(sorted(units.mapped("name")), ["DRT-0001", "DRT-0002", "DRT-0003"])
        self.assertEqual(
            sorted(units.component_lot_ids.mapped("name")),
            ["TB1", "TB2", "TB4", "TM3", "TM4", "TM5"],
        )
        unit = units.filtered(lambda lot: "TM3" in lot.component_lot_ids.mapped("name"))
        self.start_tour(
            "/odoo/action-serial_tracking.action_serial_inventory/%s" % unit.id,
            "serial_tracking_mrp_genealogy",
            login=self.maker.login,
        )
