# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SerialMrpCase


@tagged("post_install", "-at_install")
class TestGenealogy(SerialMrpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chip = cls.env["product.product"].create(
            {"name": "Serial Chip", "is_storable": True, "tracking": "serial"}
        )
        cls.chips = cls._put_in_stock(["C1", "C2"], product=cls.chip)
        cls.board_bom = cls._create_bom(cls.board, [cls.chip])

    def _produce(self, name, product, bom, components):
        production = self._create_production(1, product=product, bom=bom)
        for component_product, serial in components:
            self._popup_apply(self._raw_move(production, component_product), serial)
        self._popup_apply(production, name)
        self._produce_all(production)
        return self._lot(name, product)

    def _assembly(self):
        """Chip C1 in board BX1, board BX1 and motor M1 in drone DR-G."""
        board = self._produce("BX1", self.board, self.board_bom, [(self.chip, "C1")])
        drone = self._produce(
            "DR-G", self.drone, self.bom, [(self.motor, "M1"), (self.board, "BX1")]
        )
        return self._lot("C1", self.chip), board, drone

    def test_both_directions_several_levels_deep(self):
        chip, board, drone = self._assembly()
        motor = self._lot("M1", self.motor)
        self.assertEqual(drone.component_lot_ids, motor | board)
        self.assertEqual(board.component_lot_ids, chip)
        self.assertEqual(chip.produced_lot_ids, board)
        self.assertEqual(board.produced_lot_ids, drone)
        self.assertEqual(drone.component_count, 3, "the chip inside the board too")
        self.assertEqual(chip.produced_in_count, 2)
        components = self.env["stock.lot"].search(
            self.env["stock.lot"].browse(drone.id).action_view_serial_components()["domain"]
        )
        self.assertEqual(components, motor | board | chip)

    def test_which_units_contain_a_serial(self):
        chip, board, drone = self._assembly()
        Lot = self.env["stock.lot"]
        self.assertEqual(Lot.search([("component_lot_ids", "in", chip.ids)]), board | drone)
        self.assertEqual(Lot.search([("component_lot_ids", "in", "C1")]), board | drone)
        self.assertEqual(
            Lot.search([("produced_lot_ids", "in", drone.ids)]),
            board | chip | self._lot("M1", self.motor),
        )
        self.assertEqual(
            Lot.search([("component_lot_ids", "!=", False)]), board | drone, "units with parts"
        )
        in_production = Lot.search(
            [("serial_state", "=", "consumed"), ("produced_lot_ids", "!=", False)]
        )
        self.assertEqual(in_production, chip | board | self._lot("M1", self.motor))

    def test_every_operator_of_the_filters(self):
        chip, board, drone = self._assembly()
        Lot = self.env["stock.lot"]
        containing = board | drone
        self.assertEqual(
            Lot.search([("component_lot_ids", "not in", chip.ids), ("id", "in", containing.ids)]),
            Lot,
        )
        self.assertEqual(
            Lot.search([("component_lot_ids", "!=", chip.id), ("id", "=", drone.id)]), Lot
        )
        self.assertEqual(
            Lot.search([("component_lot_ids", "not ilike", "C1"), ("id", "=", drone.id)]), Lot
        )
        self.assertEqual(
            Lot.search([("component_lot_ids", "=", False), ("id", "in", (chip | drone).ids)]), chip
        )
        self.assertEqual(
            Lot.search(
                [
                    ("serial_production_id", "not ilike", drone.serial_production_id.name),
                    ("id", "in", containing.ids),
                ]
            ),
            board,
        )
        self.assertEqual(
            Lot.search(
                [
                    ("serial_production_id", "!=", drone.serial_production_id.id),
                    ("id", "in", containing.ids),
                ]
            ),
            board,
        )

    def test_unbuilding_the_top_keeps_the_sub_assembly_whole(self):
        chip, board, drone = self._assembly()
        self.assertEqual(len(drone.component_lot_ids), 2, "read before the unbuild")
        self.env["mrp.unbuild"].create(
            {
                "product_id": self.drone.id,
                "mo_id": drone.serial_production_id.id,
                "lot_id": drone.id,
                "product_qty": 1,
            }
        ).action_unbuild()
        self.assertFalse(drone.component_lot_ids, "read again after it")
        self.assertEqual(board.serial_state, "in_stock")
        self.assertEqual(board.component_lot_ids, chip, "the board still holds its chip")
        self.assertFalse(board.produced_lot_ids)

    def test_produced_filter_and_order(self):
        _chip, board, drone = self._assembly()
        Lot = self.env["stock.lot"]
        produced = Lot.search([("serial_production_id", "!=", False)])
        self.assertEqual(produced, board | drone)
        self.assertEqual(
            Lot.search([("serial_production_id", "ilike", drone.serial_production_id.name)]),
            drone,
        )
        self.assertEqual(
            Lot.search([("serial_production_id", "=", False), ("id", "=", drone.id)]), Lot
        )

    def test_serial_number_report_filters_on_a_component(self):
        chip, board, drone = self._assembly()
        wizard = self.env["serial.report.wizard"].create(
            {"company_id": self.company.id, "component_serial": " C1 "}
        )
        self.assertEqual(wizard._get_lots(), board | drone)
        self.assertIn('contains component "C1"', wizard.display_name)
        shown = self.env["stock.lot"].search([("serial_report_id", "=", wizard.id)])
        self.assertEqual(shown, board | drone, "Show opens the same serials")
        wizard.component_serial = False
        self.assertIn(chip, wizard._get_lots())

    def test_serial_history_pdf_shows_the_genealogy(self):
        chip, board, drone = self._assembly()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("serial_tracking.report_serial_history", board.ids)[0]
            .decode()
        )
        self.assertIn("o_serial_genealogy", html)
        self.assertIn(chip.name, html)
        self.assertIn(drone.name, html)
        self.assertIn("Used in", html)

    def test_one_query_per_level_whatever_the_number_of_units(self):
        units = self.env["stock.lot"]
        for index in range(1, 4):
            units |= self._produce(
                "DR-Q%s" % index,
                self.drone,
                self.bom,
                [(self.motor, "M%s" % index), (self.board, "B%s" % index)],
            )

        def queries(lots):
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            lots.sudo()._serial_genealogy_all("down")
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries(units[:1]), 2, "components, then theirs (none)")
        self.assertEqual(queries(units), 2)

    def test_warranty_of_the_unit_and_of_its_components(self):
        self.drone.warranty_duration = 12
        supplier = self.env["product.supplierinfo"].create(
            {
                "partner_id": self.vendor.id,
                "product_tmpl_id": self.motor.product_tmpl_id.id,
                "warranty_duration": 24,
            }
        )
        receipt = self._create_receipt(1, product=self.motor)
        self._popup_apply(receipt.move_ids, "MV1")
        receipt.button_validate()
        motor = self._lot("MV1", self.motor)
        self.assertTrue(motor.vendor_warranty_end_date, supplier)
        drone = self._produce(
            "DR-W", self.drone, self.bom, [(self.motor, "MV1"), (self.board, "B1")]
        )
        self.assertEqual(drone.warranty_state, "pending", "starts when it ships")
        self.assertFalse(drone.serial_vendor_id, "made here, not bought")
        self.assertIn(motor, drone.component_lot_ids)
        self.assertEqual(
            drone.component_lot_ids.filtered("vendor_warranty_end_date"), motor, "visible from it"
        )
        customer = self.env["res.partner"].create({"name": "Drone Owner"})
        self.product = self.drone  # the transfer helper's product, for this test
        delivery = self._transfer(
            drone, self.stock_location, self.env.ref("stock.stock_location_customers"), customer
        )
        delivery.button_validate()
        self.assertEqual(drone.warranty_start_date, fields.Date.context_today(drone))
        self.assertEqual(drone.warranty_state, "active")
        self.assertEqual(drone.holder_partner_id, customer)


@tagged("post_install", "-at_install")
class TestMrpSecurity(SerialMrpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.drone_bom_b = cls._create_bom(cls.drone, [cls.motor, cls.board], cls.company_b)
        cls._put_in_stock(["MB1"], product=cls.motor, location=cls.warehouse_b.lot_stock_id)
        cls._put_in_stock(["BB1"], product=cls.board, location=cls.warehouse_b.lot_stock_id)

    def test_a_manufacturing_user_enters_and_produces_in_their_company(self):
        production = self._create_production(1)
        as_user = production.with_user(self.mrp_user).with_context(
            allowed_company_ids=self.company.ids
        )
        self._popup_apply(self._raw_move(production, self.motor), "M1", user=self.mrp_user)
        self._popup_apply(self._raw_move(production, self.board), "B1", user=self.mrp_user)
        self._popup_apply(production, "DR-S", user=self.mrp_user)
        self._produce_all(as_user)
        unit = (
            self._lot("DR-S")
            .with_user(self.mrp_user)
            .with_context(allowed_company_ids=self.company.ids)
        )
        self.assertEqual(unit.serial_state, "in_stock")
        self.assertEqual(len(unit.component_lot_ids), 2)

    def test_another_companys_order_and_units_stay_out_of_reach(self):
        production_b = self._create_production(1, bom=self.drone_bom_b, warehouse=self.warehouse_b)
        self._popup_apply(self._raw_move(production_b, self.motor), "MB1")
        self._popup_apply(self._raw_move(production_b, self.board), "BB1")
        self._popup_apply(production_b, "DR-B")
        self._produce_all(production_b)
        user_env = self.env(user=self.mrp_user, context={"allowed_company_ids": self.company.ids})
        with self.assertRaises(AccessError):
            user_env["mrp.production"].browse(production_b.id).action_open_serial_entry()
        motor_b = self.env["stock.lot"].search([("name", "=", "MB1")])
        found = user_env["stock.lot"].search([("component_lot_ids", "in", motor_b.ids)])
        self.assertFalse(found, "B's unit is not found by A's user")
        self.assertTrue(
            self.env["stock.lot"].search([("component_lot_ids", "in", motor_b.ids)]),
            "but it is there for a user of both",
        )

    def test_a_shared_component_shows_no_unit_of_another_company(self):
        shared = self.env["stock.lot"].create(
            {"name": "M-SHARED", "product_id": self.motor.id, "company_id": False}
        )
        self.env["stock.quant"].with_company(self.company_b).with_context(
            inventory_mode=True
        ).create(
            {
                "product_id": self.motor.id,
                "lot_id": shared.id,
                "location_id": self.warehouse_b.lot_stock_id.id,
                "inventory_quantity": 1,
            }
        ).action_apply_inventory()
        production_b = self._create_production(1, bom=self.drone_bom_b, warehouse=self.warehouse_b)
        self._popup_apply(self._raw_move(production_b, self.motor), "M-SHARED")
        self._popup_apply(self._raw_move(production_b, self.board), "BB1")
        self._popup_apply(production_b, "DR-B2")
        self._produce_all(production_b)
        self.assertEqual(shared.produced_lot_ids.mapped("name"), ["DR-B2"], "for a user of both")
        as_user = shared.with_user(self.mrp_user).with_context(allowed_company_ids=self.company.ids)
        self.assertFalse(as_user.produced_lot_ids, "B's unit stays out of A's reach")
        self.assertEqual(as_user.produced_in_count, 0)
        as_user.read(["produced_lot_ids", "component_lot_ids", "produced_in_count"])

    def test_a_stock_user_without_manufacturing_rights_cannot_enter_produced_serials(self):
        production = self._create_production(1)
        with self.assertRaises(AccessError):
            self._popup_apply(production, "DR-N", user=self.stock_user)
        self.assertFalse(production.lot_producing_id)
