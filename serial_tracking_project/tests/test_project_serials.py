# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from odoo.addons.serial_tracking.tests.common import SerialTrackingCase


class ProjectSerialCase(SerialTrackingCase):
    """A project of the first company for its customer, three cameras in stock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site = cls.env["res.partner"].create({"name": "Building Site Owner"})
        cls.project = cls.env["project.project"].create(
            {"name": "Install Cameras", "partner_id": cls.site.id, "company_id": cls.company.id}
        )
        cls.lots = cls._put_in_stock(["CAM1", "CAM2", "CAM3"])
        cls.project_user = cls._create_user(
            "serial_project_a",
            "Project Stock A",
            ["stock.group_stock_user", "project.group_project_user"],
        )

    def _project_delivery(self, project, quantity, warehouse=None):
        warehouse = warehouse or self.warehouse
        customers = self.env.ref("stock.stock_location_customers")
        picking = (
            self.env["stock.picking"]
            .with_company(warehouse.company_id)
            .create(
                {
                    "picking_type_id": warehouse.out_type_id.id,
                    "partner_id": project.partner_id.id,
                    "project_id": project.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "location_dest_id": customers.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": self.product.name,
                                "product_id": self.product.id,
                                "product_uom_qty": quantity,
                                "product_uom": self.product.uom_id.id,
                                "location_id": warehouse.lot_stock_id.id,
                                "location_dest_id": customers.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        return picking


@tagged("post_install", "-at_install")
class TestProjectSerials(ProjectSerialCase):
    def test_a_project_takes_the_exact_serials_and_shows_them(self):
        picking = self._project_delivery(self.project, 2)
        form = self._open_popup(picking.move_ids, user=self.project_user)
        form.serial_text = "CAM3\nCAM1"
        form.save().action_apply()
        self.assertEqual(
            sorted(picking.move_ids.move_line_ids.lot_id.mapped("name")), ["CAM1", "CAM3"]
        )
        picking.button_validate()
        cam1, cam2, cam3 = self.lots
        used = cam1 | cam3
        self.assertEqual(used.mapped("serial_state"), ["delivered", "delivered"])
        self.assertEqual(used.holder_partner_id, self.site)
        self.assertEqual(used.serial_project_id, self.project)
        self.assertFalse(cam2.serial_project_id)
        self.assertEqual(
            used.history_line_ids.filtered(lambda line: line.picking_id == picking).mapped(
                "serial_project_id"
            ),
            self.project,
        )
        action = (
            self.project.with_user(self.project_user)
            .with_context(allowed_company_ids=self.company.ids)
            .action_open_serials()
        )
        self.assertEqual(self.env["stock.lot"].search(action["domain"]), used)
        self.assertEqual(
            self.env["stock.lot"].search([("serial_project_id", "=", self.project.id)]), used
        )

    def test_a_serial_not_in_stock_is_refused_on_a_project_transfer(self):
        picking = self._project_delivery(self.project, 1)
        message = self._popup_error(
            picking.move_ids, "CAM9", lambda: picking.move_ids.move_line_ids.lot_id
        )
        self.assertIn("CAM9", message)

    def test_another_companys_project_stays_out_of_reach(self):
        project_b = self.env["project.project"].create(
            {"name": "Site B", "partner_id": self.site.id, "company_id": self.company_b.id}
        )
        self._put_in_stock(["CAMB"], location=self.warehouse_b.lot_stock_id)
        picking = self._project_delivery(project_b, 1, warehouse=self.warehouse_b)
        form = self._open_popup(picking.move_ids)
        form.serial_text = "CAMB"
        form.save().action_apply()
        picking.button_validate()
        lot_b = self.env["stock.lot"].search([("name", "=", "CAMB")])
        self.assertEqual(lot_b.serial_project_id, project_b)
        as_user = project_b.with_user(self.project_user).with_context(
            allowed_company_ids=self.company.ids
        )
        with self.assertRaises(AccessError):
            as_user.action_open_serials()

    def test_the_project_is_the_one_of_the_last_transfer(self):
        picking = self._project_delivery(self.project, 1)
        form = self._open_popup(picking.move_ids)
        form.serial_text = "CAM2"
        form.save().action_apply()
        picking.button_validate()
        cam2 = self.lots[1]
        Lot = self.env["stock.lot"]
        self.assertEqual(cam2.serial_project_id, self.project)
        self.assertEqual(Lot.search([("serial_project_id", "ilike", "Cameras")]), cam2)
        self.assertEqual(
            Lot.search([("serial_project_id", "=", False), ("id", "in", self.lots.ids)]),
            self.lots - cam2,
        )
        self.assertEqual(
            Lot.search([("serial_project_id", "!=", self.project.id), ("id", "in", self.lots.ids)]),
            self.lots - cam2,
        )
        # Back from the customer on a return without a project: no project any more.
        returned = self._return_lots(picking, cam2)
        returned.project_id = False
        returned.move_ids.picked = True
        returned.button_validate()
        cam2.invalidate_recordset()
        self.assertEqual(cam2.serial_state, "in_stock")
        self.assertFalse(cam2.serial_project_id)
        self.assertEqual(
            Lot.search([("serial_project_id", "=", False), ("id", "in", self.lots.ids)]),
            self.lots,
        )


@tagged("post_install", "-at_install")
class TestProjectSerialsTour(HttpCase, ProjectSerialCase):
    def test_the_project_lists_its_serials(self):
        picking = self._project_delivery(self.project, 1)
        form = self._open_popup(picking.move_ids)
        form.serial_text = "CAM1"
        form.save().action_apply()
        picking.button_validate()
        self.project_user.password = "serial_project_a"
        self.env.flush_all()
        self.start_tour(
            "/odoo/project/%s/tasks" % self.project.id,
            "serial_tracking_project_serials",
            login=self.project_user.login,
        )
