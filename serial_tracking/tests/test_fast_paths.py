# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The add-on's fast paths give exactly what Odoo's own way gives: the same scenario is run twice,
once as Odoo does it (context ``serial_one_by_one``) and once through the fast path, on two
products set up alike; the quants, move lines and valuation that result must be the same."""

import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import SerialSaleCase


@tagged("post_install", "-at_install")
class TestFastPaths(SerialSaleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env["product.category"].create(
            {"name": "Serial FIFO", "property_cost_method": "fifo"}
        )
        cls.shelf = cls.env["stock.location"].create(
            {"name": "Shelf 1", "location_id": cls.stock_location.id}
        )

    def _product(self, name):
        return self.env["product.product"].create(
            {
                "name": name,
                "is_storable": True,
                "tracking": "serial",
                "categ_id": self.category.id,
                "standard_price": 10.0,
                "lot_valuated": True,
            }
        )

    def _tick(self):
        """The next hour of the scenario's clock (each run starts at the same time, so that
        dates Odoo takes from the clock can be compared)."""
        self.clock += datetime.timedelta(hours=1)
        return freeze_time(self.clock)

    def _move(self, product, quantity, source, destination, names=None, lots=None, **values):
        with self._tick():
            return self._do_move(product, quantity, source, destination, names, lots, **values)

    def _do_move(self, product, quantity, source, destination, names=None, lots=None, **values):
        picking_type = values.pop("picking_type", self.warehouse.int_type_id)
        package = values.pop("package", None)
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "partner_id": values.pop("partner", self.vendor).id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                            "price_unit": values.pop("price_unit", 0.0),
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        move = picking.move_ids
        if names:
            move._set_serial_names(names)
        elif lots:
            move.move_line_ids.unlink()
            self.env["stock.move.line"].create(
                [
                    {
                        "move_id": move.id,
                        "picking_id": picking.id,
                        "product_id": product.id,
                        "location_id": (values.get("taken_from") or source).id,
                        "location_dest_id": destination.id,
                        "lot_id": lot.id,
                        "quantity": 1,
                    }
                    for lot in lots
                ]
            )
        else:
            picking.action_assign()
        if package:
            move.move_line_ids.result_package_id = package
        move.picked = True
        picking._action_done()
        self.assertEqual(picking.state, "done")
        return picking

    def _scenario(self, product):
        """Receive 5 serials (2 onto a shelf), move one off the shelf, deliver 3, take one
        back."""
        supplier = self.supplier_location
        customer = self.env.ref("stock.stock_location_customers")
        receipt = self._move(
            product,
            3,
            supplier,
            self.stock_location,
            names=["FP-1", "FP-2", "FP-3"],
            picking_type=self.warehouse.in_type_id,
            price_unit=12.0,
        )
        self._move(
            product,
            2,
            supplier,
            self.shelf,
            names=["FP-4", "FP-5"],
            picking_type=self.warehouse.in_type_id,
            price_unit=15.0,
        )
        # Into a package.
        package = self.env["stock.quant.package"].create({"name": "PK-FP6"})
        self._move(
            product,
            1,
            supplier,
            self.shelf,
            names=["FP-6"],
            picking_type=self.warehouse.in_type_id,
            price_unit=15.0,
            package=package,
        )
        lots = {lot.name: lot for lot in receipt.move_line_ids.lot_id}
        lots.update(
            (lot.name, lot)
            for lot in self.env["stock.lot"].search(
                [("product_id", "=", product.id), ("name", "in", ["FP-4", "FP-5"])]
            )
        )
        self._move(product, 1, self.shelf, self.stock_location, lots=lots["FP-4"])
        self._move(
            product,
            3,
            self.stock_location,
            customer,
            lots=lots["FP-1"] | lots["FP-2"] | lots["FP-4"],
            picking_type=self.warehouse.out_type_id,
            partner=self.customer,
        )
        self._move(
            product,
            1,
            customer,
            self.stock_location,
            lots=lots["FP-2"],
            picking_type=self.warehouse.in_type_id,
            partner=self.customer,
        )
        return self._snapshot(product)

    def _snapshot(self, product):
        quants = self.env["stock.quant"].search([("product_id", "=", product.id)], order="id")
        lines = self.env["stock.move.line"].search([("product_id", "=", product.id)], order="id")
        layers = self.env["stock.valuation.layer"].search(
            [("product_id", "=", product.id)], order="id"
        )
        lots = self.env["stock.lot"].search([("product_id", "=", product.id)], order="name")
        return {
            "quants": [
                (
                    q.location_id.name,
                    q.lot_id.name,
                    q.quantity,
                    q.reserved_quantity,
                    q.in_date,
                    q.package_id.name,
                    q.owner_id.name,
                )
                for q in quants
            ],
            "lines": [
                (
                    line.lot_id.name,
                    line.location_id.name,
                    line.location_dest_id.name,
                    line.quantity,
                    line.state,
                    line.package_id.name,
                    line.result_package_id.name,
                    line.owner_id.name,
                )
                for line in lines
            ],
            "layers": [
                (lay.lot_id.name, lay.quantity, lay.value, lay.remaining_qty) for lay in layers
            ],
            "lots": [
                (
                    lot.name,
                    lot.product_qty,
                    lot.serial_state,
                    lot.location_id.name,
                    lot.standard_price,
                )
                for lot in lots
            ],
        }

    def _sale_scenario(self, product):
        """Sell 3 chosen serials of 5 in stock (2 on a shelf): the delivery reserves them, a
        serial is swapped on the delivery, it is validated."""
        self._move(
            product,
            3,
            self.supplier_location,
            self.stock_location,
            names=["FS-1", "FS-2", "FS-3"],
            picking_type=self.warehouse.in_type_id,
            price_unit=12.0,
        )
        self._move(
            product,
            2,
            self.supplier_location,
            self.shelf,
            names=["FS-4", "FS-5"],
            picking_type=self.warehouse.in_type_id,
            price_unit=15.0,
        )
        order = self._order(3, product=product)
        self._choose(order.order_line, "FS-2\nFS-4\nFS-5")
        with self._tick():
            order.action_confirm()
        delivery = order.picking_ids
        reserved = self._snapshot(product)
        with self._tick():
            self._choose(order.order_line, "FS-1\nFS-4\nFS-5")
        swapped = self._snapshot(product)
        with self._tick():
            self._validate(delivery)
        return {"reserved": reserved, "swapped": swapped, "done": self._snapshot(product)}

    def _run(self, name, one_by_one, scenario=None):
        self.clock = datetime.datetime(2026, 3, 2, 8, 0)
        env = self.env
        self.env = env(context=dict(env.context, serial_one_by_one=one_by_one))
        try:
            return (scenario or self._scenario)(self._product(name))
        finally:
            self.env = env

    def test_chosen_serials_are_reserved_as_odoo_reserves_them(self):
        slow = self._run("Sold Odoo Way", one_by_one=True, scenario=self._sale_scenario)
        fast = self._run("Sold Fast Path", one_by_one=False, scenario=self._sale_scenario)
        self.assertEqual(fast, slow)
        reserved = [q for q in fast["reserved"]["quants"] if q[3]]
        self.assertEqual(
            sorted((q[0], q[1]) for q in reserved),
            [("Shelf 1", "FS-4"), ("Shelf 1", "FS-5"), ("Stock", "FS-2")],
        )

    def test_validation_creates_the_same_quants_moves_and_valuation(self):
        slow = self._run("Widget Odoo Way", one_by_one=True)
        fast = self._run("Widget Fast Path", one_by_one=False)
        self.assertEqual(fast, slow)
        self.assertTrue(slow["quants"] and slow["layers"])
        placed = [quant[:3] for quant in fast["quants"]]
        self.assertIn(("Customers", "FP-4", 1.0), placed)
        self.assertIn(("Stock", "FP-2", 1.0), placed)
        self.assertIn(("Shelf 1", "FP-6", 1.0), placed)

    def test_chosen_serials_next_to_a_unit_without_serial(self):
        """A unit without serial counted in stock before the chosen serials came: Odoo gives
        the reserved serial the older date of that unit; so must the fast path."""

        def scenario(product):
            with self._tick():
                self.env["stock.quant"]._update_available_quantity(product, self.stock_location, 1)
            return self._sale_scenario(product)

        slow = self._run("Loose Odoo Way", one_by_one=True, scenario=scenario)
        fast = self._run("Loose Fast Path", one_by_one=False, scenario=scenario)
        self.assertEqual(fast, slow)
