# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SerialMrpCase


@tagged("post_install", "-at_install")
class TestProducedSerials(SerialMrpCase):
    def _done_productions(self, production):
        return self.env["mrp.production"].search(
            [("procurement_group_id", "=", production.procurement_group_id.id)], order="id"
        )

    def test_components_popup_takes_the_exact_serials(self):
        production = self._create_production(3)
        self._choose_components(production, ["M5", "M3", "M4"], ["B2", "B4", "B5"])
        self.assertEqual(
            set(self._raw_move(production, self.motor).move_line_ids.lot_id.mapped("name")),
            {"M3", "M4", "M5"},
        )
        self.assertEqual(
            set(self._raw_move(production, self.board).move_line_ids.lot_id.mapped("name")),
            {"B2", "B4", "B5"},
        )

    def test_produce_three_with_generated_serials_and_chosen_components(self):
        production = self._create_production(3)
        self._choose_components(production, ["M3", "M4", "M5"], ["B3", "B4", "B5"])
        self._popup_apply(production, generate=True)
        names = production._serial_finished_names()
        self.assertEqual(names, ["DR-0001", "DR-0002", "DR-0003"], "the product's rule")
        self.assertFalse(self.env["stock.lot"].search([("name", "in", names)]), "not yet")

        self._produce_all(production)

        productions = self._done_productions(production)
        self.assertEqual(len(productions), 3)
        self.assertEqual(set(productions.mapped("state")), {"done"})
        units = productions.lot_producing_id
        self.assertEqual(sorted(units.mapped("name")), names)
        self.assertEqual(set(units.mapped("serial_state")), {"in_stock"})
        for unit in units:
            self.assertEqual(
                unit.serial_production_id,
                unit.serial_production_id.browse(
                    productions.filtered(lambda p, unit=unit: p.lot_producing_id == unit).id
                ),
            )
            self.assertEqual(len(unit.component_lot_ids), 2)
            self.assertEqual(set(unit.component_lot_ids.product_id), {self.motor, self.board})
        consumed = units.component_lot_ids
        self.assertEqual(
            sorted(consumed.mapped("name")), ["B3", "B4", "B5", "M3", "M4", "M5"], "as chosen"
        )
        self.assertEqual(set(consumed.mapped("serial_state")), {"consumed"})
        self.assertEqual(
            set(self.motors.filtered(lambda lot: lot.name in ("M1", "M2")).mapped("serial_state")),
            {"in_stock"},
        )
        motor = self.motors.filtered(lambda lot: lot.name == "M4")
        self.assertEqual(len(motor.produced_lot_ids), 1)
        unit = motor.produced_lot_ids
        self.assertIn(motor, unit.component_lot_ids)
        # The component's history names the order that consumed it, and the unit.
        consumed_line = motor.history_line_ids.filtered(
            lambda line: line.reference == unit.serial_production_id.name
        )
        self.assertEqual(consumed_line.serial_produced_into, "into %s" % unit.name)

    def test_produce_all_produces_in_a_call_of_its_own(self):
        production = self._create_production(2)
        self._popup_apply(production, "DR-P1\nDR-P2")
        action = production.button_mark_done()
        # Prepared (one order per serial), produced by the action the client runs next.
        self.assertEqual(action["type"], "ir.actions.server")
        productions = self._done_productions(production)
        self.assertNotIn("done", productions.mapped("state"))
        self.assertEqual(sorted(productions.lot_producing_id.mapped("name")), ["DR-P1", "DR-P2"])
        result = (
            self.env["ir.actions.server"]
            .browse(action["id"])
            .with_context(**action["context"])
            .run()
        )
        self.assertEqual(set(productions.mapped("state")), {"done"})
        self.assertEqual(result["domain"], [("id", "in", productions.ids)])
        self.assertIn("DR-P1, DR-P2", result["name"])

    def test_option_alone_generates_every_serial(self):
        self.warehouse.manu_type_id.serial_generate_at_produce = True
        production = self._create_production(2)
        self._produce_all(production)
        units = self._done_productions(production).lot_producing_id
        self.assertEqual(sorted(units.mapped("name")), ["DR-0001", "DR-0002"])

    def test_without_a_rule_odoo_names_the_serial_in_the_orders_company(self):
        self.drone.serial_prefix = False
        self.drone.serial_padding = 0
        production = self._create_production(1)
        production.action_generate_serial()
        lot = production.lot_producing_id
        self.assertTrue(lot.name)
        self.assertFalse(lot.name.startswith("DR-"))
        self.assertEqual(lot.company_id, self.company)

    def test_a_unit_inside_another_cannot_be_produced_but_an_unbuilt_one_can(self):
        first = self._create_production(1)
        self._popup_apply(first, "DR-IN")
        self._produce_all(first)
        unit = self._lot("DR-IN")
        # DR-IN goes into a bigger product, as a component.
        crate = self.env["product.product"].create(
            {"name": "Drone Crate", "is_storable": True, "tracking": "serial"}
        )
        crate_bom = self._create_bom(crate, [self.drone])
        crate_order = self._create_production(1, product=crate, bom=crate_bom)
        self._popup_apply(self._raw_move(crate_order, self.drone), "DR-IN")
        self._popup_apply(crate_order, "CR-1")
        self._produce_all(crate_order)
        self.assertEqual(unit.serial_state, "consumed")
        again = self._create_production(1)
        snapshot = lambda: (again.lot_producing_id, again.serial_finished_text)  # noqa: E731
        message = self._popup_error(again, "DR-IN", snapshot)
        self.assertIn("DR-IN", message)
        # Taken apart, the crate gives DR-IN back; taken apart in turn, DR-IN may be made again.
        self.env["mrp.unbuild"].create(
            {
                "product_id": crate.id,
                "mo_id": crate_order.id,
                "lot_id": self._lot("CR-1", crate).id,
                "product_qty": 1,
            }
        ).action_unbuild()
        self.assertEqual(unit.serial_state, "in_stock")
        self.env["mrp.unbuild"].create(
            {"product_id": self.drone.id, "mo_id": first.id, "lot_id": unit.id, "product_qty": 1}
        ).action_unbuild()
        self.assertEqual(unit.serial_state, "consumed")
        self._popup_apply(again, "DR-IN")
        self.assertEqual(again.lot_producing_id, unit)

    def test_one_of_five_with_a_backorder(self):
        production = self._create_production(5)
        self._choose_components(production, ["M1"], ["B1"])
        self._popup_apply(production, "DR-7")
        self.assertEqual(production.lot_producing_id.name, "DR-7")
        self.assertEqual(production.qty_producing, 1)
        action = production.button_mark_done()
        self.assertEqual(action["res_model"], "mrp.production.backorder")
        backorder_wizard = Form(
            self.env["mrp.production.backorder"].with_context(**action["context"])
        ).save()
        backorder_wizard.action_backorder()
        self.assertEqual(production.state, "done")
        self.assertEqual(production.qty_produced, 1)
        unit = self._lot("DR-7")
        self.assertEqual(unit.serial_state, "in_stock")
        self.assertEqual(unit.serial_production_id, production)
        self.assertEqual(sorted(unit.component_lot_ids.mapped("name")), ["B1", "M1"])
        backorder = self._done_productions(production) - production
        self.assertEqual(backorder.product_qty, 4)
        self.assertEqual(backorder.state, "confirmed")

    def test_two_of_five_leave_a_backorder_of_three(self):
        production = self._create_production(5)
        self._popup_apply(production, "DR-A\nDR-B")
        self._produce_all(production)
        productions = self._done_productions(production)
        done = productions.filtered(lambda p: p.state == "done")
        self.assertEqual(sorted(done.lot_producing_id.mapped("name")), ["DR-A", "DR-B"])
        rest = productions - done
        self.assertEqual(rest.product_qty, 3)
        self.assertFalse(rest.lot_producing_id)

    def test_operation_type_option_generates_the_missing_serials_at_produce_all(self):
        self.warehouse.manu_type_id.serial_generate_at_produce = True
        production = self._create_production(3)
        self._popup_apply(production, "DR-X")  # one entered: it is the order's own serial
        production.write({"lot_producing_id": False, "qty_producing": 0})
        production.serial_finished_text = "DR-X"
        self._produce_all(production)
        units = self._done_productions(production).lot_producing_id
        self.assertEqual(sorted(units.mapped("name")), ["DR-0001", "DR-0002", "DR-X"])
        self.assertEqual(set(units.mapped("serial_state")), {"in_stock"})

    def test_without_serials_or_option_odoo_asks_in_its_own_step(self):
        production = self._create_production(3)
        action = production.button_mark_done()
        self.assertEqual(action["res_model"], "mrp.batch.produce")
        # ...which opens the popup too.
        wizard = self.env["mrp.batch.produce"].create({"production_id": production.id})
        popup = wizard.action_open_serial_entry()
        self.assertEqual(popup["res_model"], "serial.entry.wizard")
        self.assertEqual(popup["context"]["default_target_model"], "mrp.production")

    def test_generate_on_the_order_uses_the_rule(self):
        production = self._create_production(1)
        production.action_generate_serial()
        self.assertEqual(production.lot_producing_id.name, "DR-0001")
        self.assertEqual(production.lot_producing_id.company_id, self.company)

    def test_unit_cost_is_the_production_cost(self):
        category = self.env["product.category"].create(
            {"name": "Average", "property_cost_method": "average"}
        )
        (self.motor | self.board | self.drone).categ_id = category
        self.motor.standard_price = 40
        self.board.standard_price = 25
        # Components valued at their cost when they came in.
        motors = self._put_in_stock(["MC1"], product=self.motor)
        boards = self._put_in_stock(["BC1"], product=self.board)
        production = self._create_production(1)
        self._choose_components(production, motors.mapped("name"), boards.mapped("name"))
        self._popup_apply(production, "DR-C1")
        self._produce_all(production)
        unit = self._lot("DR-C1")
        self.assertEqual(unit.serial_unit_cost, 65)


@tagged("post_install", "-at_install")
class TestProductionRefusals(SerialMrpCase):
    def _snapshot(self, production):
        return lambda: (
            production.serial_finished_text,
            production.lot_producing_id,
            production.move_raw_ids.move_line_ids.lot_id,
        )

    def test_a_finished_serial_in_stock_is_refused_by_name(self):
        self._put_in_stock(["DR-OLD"], product=self.drone)
        production = self._create_production(2)
        message = self._popup_error(production, "DR-NEW\nDR-OLD", self._snapshot(production))
        self.assertIn("DR-OLD", message)
        self.assertNotIn("DR-NEW", message)

    def test_more_serials_than_units_is_refused(self):
        production = self._create_production(2)
        message = self._popup_error(production, "DR-1\nDR-2\nDR-3", self._snapshot(production))
        self.assertIn("remove 1", message)

    def test_a_duplicate_is_refused(self):
        production = self._create_production(2)
        message = self._popup_error(production, "DR-1\nDR-1", self._snapshot(production))
        self.assertIn("DR-1", message)

    def test_a_delivered_unit_cannot_be_produced_again(self):
        production = self._create_production(1)
        self._popup_apply(production, "DR-D")
        self._produce_all(production)
        unit = self._lot("DR-D")
        customer = self.env["res.partner"].create({"name": "Drone Customer"})
        self.product = self.drone  # the transfer helper's product, for this test
        picking = self._transfer(
            unit, self.stock_location, self.env.ref("stock.stock_location_customers"), customer
        )
        picking.button_validate()
        self.assertEqual(unit.serial_state, "delivered")
        again = self._create_production(1)
        message = self._popup_error(again, "DR-D", self._snapshot(again))
        self.assertIn("DR-D", message)
        self.assertIn("Drone Customer", message)

    def test_a_component_not_in_stock_is_refused_by_name(self):
        production = self._create_production(1)
        move = self._raw_move(production, self.motor)
        message = self._popup_error(move, "M9", self._snapshot(production))
        self.assertIn("M9", message)

    def test_a_component_reserved_for_another_order_is_refused_naming_it(self):
        first = self._create_production(1)
        self._choose_components(first, ["M2"], ["B2"])
        second = self._create_production(1)
        message = self._popup_error(
            self._raw_move(second, self.motor), "M2", self._snapshot(second)
        )
        self.assertIn("M2", message)
        self.assertIn(first.name, message)

    def test_a_component_chosen_on_a_sales_order_is_refused_naming_it(self):
        customer = self.env["res.partner"].create({"name": "Motor Buyer"})
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "company_id": self.company.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    (0, 0, {"product_id": self.motor.id, "product_uom_qty": 1}),
                ],
            }
        )
        self._popup_apply(order.order_line, "M5")
        production = self._create_production(1)
        message = self._popup_error(
            self._raw_move(production, self.motor), "M5", self._snapshot(production)
        )
        self.assertIn("M5", message)
        self.assertIn(order.name, message)

    def test_a_done_order_takes_no_serials(self):
        production = self._create_production(1)
        self._popup_apply(production, "DR-Z")
        self._produce_all(production)
        with self.assertRaises(UserError):
            production.action_open_serial_entry()


@tagged("post_install", "-at_install")
class TestUnbuildAndScrap(SerialMrpCase):
    def _produce(self, name, motor, board):
        production = self._create_production(1)
        self._choose_components(production, [motor], [board])
        self._popup_apply(production, name)
        self._produce_all(production)
        return production, self._lot(name)

    def test_unbuild_returns_the_same_component_serials(self):
        production, unit = self._produce("DR-U", "M2", "B4")
        unbuild = self.env["mrp.unbuild"].create(
            {
                "product_id": self.drone.id,
                "mo_id": production.id,
                "lot_id": unit.id,
                "product_qty": 1,
                "company_id": self.company.id,
            }
        )
        unbuild.action_unbuild()
        motor = self._lot("M2", self.motor)
        board = self._lot("B4", self.board)
        self.assertEqual((motor | board).mapped("serial_state"), ["in_stock", "in_stock"])
        self.assertEqual(unit.serial_state, "consumed")
        self.assertFalse(unit.component_lot_ids, "taken apart")
        self.assertFalse(motor.produced_lot_ids)
        self.assertIn(unbuild.name, unit.history_line_ids.mapped("reference"))
        self.assertIn(unbuild.name, motor.history_line_ids.mapped("reference"))
        # The same motor goes into another unit: that one contains it now.
        _production, other = self._produce("DR-V", "M2", "B1")
        self.assertEqual(motor.produced_lot_ids, other)

    def test_scrap_of_a_component_from_the_order_names_the_serial(self):
        production = self._create_production(1)
        self._choose_components(production, ["M1"], ["B1"])
        motor = self._lot("M1", self.motor)
        action = production.button_scrap()
        form = Form(self.env["stock.scrap"].with_context(**action["context"]))
        form.product_id = self.motor
        form.lot_id = motor
        scrap = form.save()
        scrap.action_validate()
        self.assertEqual(scrap.production_id, production)
        self.assertEqual(motor.serial_state, "scrapped")
        scrapped = motor.history_line_ids.filtered(
            lambda line: line.location_dest_id.scrap_location
        )
        self.assertEqual(scrapped.move_id.scrap_id, scrap)
        self.assertEqual(scrapped.reference, production.name)
