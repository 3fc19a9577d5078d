# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The add-on's fast paths give exactly what Odoo's own way gives: the same scenario is run twice,
once as Odoo does it (context ``serial_one_by_one``) and once through the fast path, on two
products set up alike; the quants, move lines and valuation that result must be the same."""

import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tests import tagged

from ..models.stock_fast_paths import _bounding_lot_ids
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

    def _product(self, name, lot_valuated=True, category=None):
        return self.env["product.product"].create(
            {
                "name": name,
                "is_storable": True,
                "tracking": "serial",
                "categ_id": (category or self.category).id,
                "standard_price": 10.0,
                "lot_valuated": lot_valuated,
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
        from_package = values.pop("from_package", None)
        owner = values.pop("owner", None)
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
                        "package_id": from_package and from_package.id,
                        "owner_id": owner and owner.id,
                    }
                    for lot in lots
                ]
            )
        else:
            picking.action_assign()
        if package:
            move.move_line_ids.result_package_id = package
        if owner and names:
            move.move_line_ids.owner_id = owner
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
        # Out of its package, onto the shelf.
        fp6 = self.env["stock.lot"].search([("product_id", "=", product.id), ("name", "=", "FP-6")])
        self._move(product, 1, self.shelf, self.stock_location, lots=fp6, from_package=package)
        # Units the vendor owns (consignment): received, moved, one delivered.
        self._move(
            product,
            2,
            supplier,
            self.stock_location,
            names=["FP-7", "FP-8"],
            picking_type=self.warehouse.in_type_id,
            owner=self.vendor,
        )
        owned = self.env["stock.lot"].search(
            [("product_id", "=", product.id), ("name", "in", ["FP-7", "FP-8"])]
        )
        self._move(product, 2, self.stock_location, self.shelf, lots=owned, owner=self.vendor)
        self._move(
            product,
            1,
            self.shelf,
            customer,
            lots=owned[:1],
            owner=self.vendor,
            picking_type=self.warehouse.out_type_id,
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
        entries = layers.account_move_id.line_ids.sorted("id")
        return {
            "entries": [
                (line.account_id.code, line.debit, line.credit, line.quantity) for line in entries
            ],
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
                    # The chatter: the creation message Odoo writes.
                    tuple(lot.message_ids.mapped(lambda message: str(message.body))),
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

    def _return_scenario(self, product):
        """Deliver 3 serials, take 2 back with Odoo's return of the delivery."""
        customer = self.env.ref("stock.stock_location_customers")
        self._move(
            product,
            3,
            self.supplier_location,
            self.stock_location,
            names=["FR-1", "FR-2", "FR-3"],
            picking_type=self.warehouse.in_type_id,
            price_unit=12.0,
        )
        lots = self.env["stock.lot"].search([("product_id", "=", product.id)], order="name")
        delivery = self._move(
            product,
            3,
            self.stock_location,
            customer,
            lots=lots,
            picking_type=self.warehouse.out_type_id,
            partner=self.customer,
        )
        with self._tick():
            wizard = (
                self.env["stock.return.picking"]
                .with_context(
                    active_ids=delivery.ids, active_id=delivery.id, serial_return_per_unit=True
                )
                .create({"picking_id": delivery.id})
            )
            for line in wizard.product_return_moves:
                line.quantity = 0 if line.lot_id == lots[2] else 1
            returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
            self.assertEqual(returned.move_line_ids.lot_id, lots[:2])
            returned.move_ids.picked = True
            returned._action_done()
        self.assertEqual(returned.state, "done")
        return self._snapshot(product)

    def _run(self, name, one_by_one, scenario=None, **product_values):
        self.clock = datetime.datetime(2026, 3, 2, 8, 0)
        env = self.env
        self.env = env(context=dict(env.context, serial_one_by_one=one_by_one))
        try:
            return (scenario or self._scenario)(self._product(name, **product_values))
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
        self.assertIn(("Stock", "FP-6", 1.0), placed)
        owned = [quant[:3] for quant in fast["quants"] if quant[6]]
        self.assertIn(("Shelf 1", "FP-8", 1.0), owned)
        self.assertIn(("Customers", "FP-7", 1.0), owned)

    def test_return_of_a_delivery_the_same(self):
        slow = self._run("Returned Odoo Way", one_by_one=True, scenario=self._return_scenario)
        fast = self._run("Returned Fast Path", one_by_one=False, scenario=self._return_scenario)
        self.assertEqual(fast, slow)
        self.assertEqual(
            [(lot[0], lot[2]) for lot in fast["lots"]],
            [("FR-1", "in_stock"), ("FR-2", "in_stock"), ("FR-3", "delivered")],
        )

    def test_validation_the_same_in_chunks(self):
        """Quants are written and created a thousand at a time (Odoo's check of their quantity
        reads them with one domain term each): with chunks of two, the same result."""
        with patch("odoo.addons.serial_tracking.models.stock_fast_paths._CHUNK", 2):
            fast = self._run("Chunked Fast Path", one_by_one=False)
            sold = self._run("Chunked Sale", one_by_one=False, scenario=self._sale_scenario)
        slow = self._run("Chunked Odoo Way", one_by_one=True)
        sold_slow = self._run("Chunked Sale Odoo", one_by_one=True, scenario=self._sale_scenario)
        self.assertEqual(fast, slow)
        self.assertEqual(sold, sold_slow)

    def test_validation_the_same_without_valuation_by_serial(self):
        slow = self._run("Plain Odoo Way", one_by_one=True, lot_valuated=False)
        fast = self._run("Plain Fast Path", one_by_one=False, lot_valuated=False)
        self.assertEqual(fast, slow)
        self.assertTrue(slow["layers"])
        self.assertFalse(any(layer[0] for layer in slow["layers"]), "no layer names a serial")

    def test_validation_the_same_with_automated_valuation(self):
        accounts = self.env["account.account"].create(
            [
                {"name": name, "code": code, "account_type": "asset_current"}
                for name, code in (
                    ("Stock Interim Received", "X1101"),
                    ("Stock Interim Delivered", "X1102"),
                    ("Stock Valuation", "X1103"),
                )
            ]
        )
        journal = self.env["account.journal"].create(
            {"name": "Inventory Valuation", "code": "XSTJ", "type": "general"}
        )
        category = self.env["product.category"].create(
            {
                "name": "Serial FIFO automated",
                "property_cost_method": "fifo",
                "property_valuation": "real_time",
                "property_stock_account_input_categ_id": accounts[0].id,
                "property_stock_account_output_categ_id": accounts[1].id,
                "property_stock_valuation_account_id": accounts[2].id,
                "property_stock_journal": journal.id,
            }
        )
        slow = self._run("Booked Odoo Way", one_by_one=True, category=category)
        fast = self._run("Booked Fast Path", one_by_one=False, category=category)
        self.assertEqual(fast, slow)
        self.assertTrue(slow["entries"], "the valuation was booked")

    def test_validation_the_same_without_valuation(self):
        """A product of a category that is not valued (a standard price of zero, manual): quants
        and lines only."""
        category = self.env["product.category"].create(
            {"name": "Serial standard", "property_cost_method": "standard"}
        )
        slow = self._run("Unvalued Odoo Way", one_by_one=True, category=category)
        fast = self._run("Unvalued Fast Path", one_by_one=False, category=category)
        self.assertEqual(fast, slow)

    def _validation_queries(self, count, prefix, one_by_one=False):
        product = self._product("Counted %s" % prefix)
        receipt = self._create_receipt(count, product=product)
        receipt.move_ids._set_serial_names(["%s-%d" % (prefix, i) for i in range(count)])
        receipt.move_ids.picked = True
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        receipt.with_context(serial_one_by_one=one_by_one)._action_done()
        self.env.flush_all()
        self.assertEqual(sum(receipt.move_line_ids.lot_id.mapped("product_qty")), count)
        return self.env.cr.sql_log_count - before

    def test_validation_queries_do_not_grow_with_the_serials(self):
        """Odoo's own way costs about four queries a serial to move quants; the batch a fixed
        number: a receipt of 24 serials costs what one of 4 does, give or take a few."""
        few = self._validation_queries(4, "QF")
        many = self._validation_queries(24, "QM")
        self.assertLess(many - few, 10, "queries per serial: %s for 4, %s for 24" % (few, many))
        odoo_few = self._validation_queries(4, "QOF", one_by_one=True)
        odoo_many = self._validation_queries(24, "QOM", one_by_one=True)
        self.assertGreater(odoo_many - odoo_few, 60, "Odoo's own way queries per serial")

    def test_delivery_queries_do_not_grow_with_the_serials(self):
        customer = self.env.ref("stock.stock_location_customers")

        def delivery_queries(count, prefix):
            product = self._product("Delivered %s" % prefix)
            lots = self.env["stock.lot"].create(
                [{"name": "%s-%d" % (prefix, i), "product_id": product.id} for i in range(count)]
            )
            for lot in lots:
                self.env["stock.quant"]._update_available_quantity(
                    product, self.stock_location, 1, lot_id=lot
                )
            picking = self.env["stock.picking"].create(
                {
                    "picking_type_id": self.warehouse.out_type_id.id,
                    "location_id": self.stock_location.id,
                    "location_dest_id": customer.id,
                    "partner_id": self.customer.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": product.name,
                                "product_id": product.id,
                                "product_uom_qty": count,
                                "location_id": self.stock_location.id,
                                "location_dest_id": customer.id,
                            }
                        )
                    ],
                }
            )
            picking.action_confirm()
            picking.action_assign()
            picking.move_ids.picked = True
            self.assertEqual(picking.move_line_ids.lot_id, lots)
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            picking._action_done()
            self.env.flush_all()
            self.assertEqual(set(lots.mapped("serial_state")), {"delivered"})
            return self.env.cr.sql_log_count - before

        few = delivery_queries(4, "DF")
        many = delivery_queries(24, "DM")
        self.assertLess(many - few, 10, "queries per serial: %s for 4, %s for 24" % (few, many))

    def test_reservation_queries_do_not_grow_with_the_serials(self):
        """Reserving chosen serials: Odoo's creation of the lines reserves each quant with a
        write of its own; the fast path writes them together."""

        def confirm_queries(count, prefix, one_by_one=False):
            product = self._product("Reserved %s" % prefix)
            names = ["%s-%d" % (prefix, i) for i in range(count)]
            lots = self._put_in_stock(names, product=product)
            order = self._order(count, product=product)
            self._choose(order.order_line, "\n".join(names))
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            order.with_context(serial_one_by_one=one_by_one).action_confirm()
            self.env.flush_all()
            queries = self.env.cr.sql_log_count - before
            self.assertEqual(order.picking_ids.move_line_ids.lot_id, lots)
            self.assertEqual(sum(lots.quant_ids.mapped("reserved_quantity")), count)
            return queries

        few = confirm_queries(4, "RF")
        many = confirm_queries(24, "RM")
        odoo_few = confirm_queries(4, "ROF", one_by_one=True)
        odoo_many = confirm_queries(24, "ROM", one_by_one=True)
        self.assertLess(many - few, 10, "queries per serial: %s for 4, %s for 24" % (few, many))
        self.assertGreater(
            odoo_many - odoo_few, 40, "Odoo's own way: %s for 4, %s for 24" % (odoo_few, odoo_many)
        )

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


@tagged("post_install", "-at_install")
class TestQuantSearchBySerial(SerialSaleCase):
    """Odoo's check that a serial is at most once in a location reads the quants of many serials
    with one alternative (product, location, serial) per quant: those searches also name the
    serials as one condition, so that PostgreSQL finds the quants by serial, and find exactly the
    quants they found before."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shelf = cls.env["stock.location"].create(
            {"name": "Search Shelf", "location_id": cls.stock_location.id}
        )
        cls.lots = cls._put_in_stock(["QS-1", "QS-2", "QS-3", "QS-4"])
        cls._put_in_stock(["QS-5"], location=cls.shelf)

    def _check_domain(self, lots, location):
        """The domain Odoo's check_quantity builds for the quants of ``lots`` at ``location``."""
        return expression.OR(
            [
                [
                    ("product_id", "=", self.product.id),
                    ("location_id", "=", location.id),
                    ("lot_id", "=", lot.id),
                ]
                for lot in lots
            ]
        )

    def test_bounding_serials_of_a_domain(self):
        lots = self.lots
        self.assertEqual(
            _bounding_lot_ids(self._check_domain(lots, self.stock_location)), set(lots.ids)
        )
        self.assertEqual(
            _bounding_lot_ids([("lot_id", "in", lots[:2].ids), ("quantity", ">", 0)]),
            set(lots[:2].ids),
        )
        # An alternative that does not name its serial, a negation, no serial at all: unbound.
        unbound = expression.OR(
            [self._check_domain(lots[:2], self.stock_location), [("location_id", "=", 1)]]
        )
        self.assertIsNone(_bounding_lot_ids(unbound))
        self.assertIsNone(_bounding_lot_ids(["!", ("lot_id", "=", lots[0].id)]))
        self.assertIsNone(_bounding_lot_ids([("product_id", "=", self.product.id)]))
        self.assertIsNone(_bounding_lot_ids([("lot_id", "=", False)]))
        # The check of a large transfer: thousands of alternatives.
        many = expression.OR(
            [[("location_id", "=", 1), ("lot_id", "=", lot_id)] for lot_id in range(1, 5001)]
        )
        self.assertEqual(_bounding_lot_ids(many), set(range(1, 5001)))

    def test_check_search_names_the_serials_and_finds_the_same_quants(self):
        Quant = self.env["stock.quant"]
        domain = self._check_domain(self.lots, self.stock_location)
        query = Quant._search(domain)
        sql = query.select().code
        self.assertIn('"stock_quant"."lot_id" IN', sql)
        self.assertEqual(
            Quant.search(domain).mapped("lot_id.name"), ["QS-1", "QS-2", "QS-3", "QS-4"]
        )
        # Odoo's check itself still refuses a serial twice in a location.
        with self.assertRaisesRegex(ValidationError, "QS-2"):
            Quant.create(
                {
                    "product_id": self.product.id,
                    "location_id": self.stock_location.id,
                    "lot_id": self.lots[1].id,
                    "quantity": 1,
                }
            )

    def test_unbound_search_is_left_as_it_is(self):
        Quant = self.env["stock.quant"]
        domain = expression.OR(
            [
                self._check_domain(self.lots[:2], self.stock_location),
                [("location_id", "=", self.shelf.id)],
            ]
        )
        self.assertNotIn('"stock_quant"."lot_id" IN', Quant._search(domain).select().code)
        self.assertEqual(
            sorted(Quant.search(domain).mapped("lot_id.name")), ["QS-1", "QS-2", "QS-5"]
        )
