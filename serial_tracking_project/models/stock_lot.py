# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The project of a serial: the project of the transfer that last moved it (project_stock's
``stock.picking.project_id``), read for many serials in one query."""

from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class StockLot(models.Model):
    _inherit = "stock.lot"

    serial_project_id = fields.Many2one(
        "project.project",
        string="Project",
        compute="_compute_serial_project_id",
        search="_search_serial_project_id",
        help="The project of the transfer that last moved this unit (its materials).",
    )

    def _compute_serial_project_id(self):
        # sudo: the project is read from move lines and transfers the user may not read.
        self.env.flush_all()
        lines = self.env["serial.status"].sudo()._last_lines(self, SQL("ml.picking_id IS NOT NULL"))
        for lot in self:
            line = lines.get(lot.id)
            lot.serial_project_id = line.picking_id.project_id.id if line else False

    def _search_serial_project_id(self, operator, value):
        if operator in ("!=", "not in", "not ilike"):
            positive = {"!=": "=", "not in": "in", "not ilike": "ilike"}[operator]
            return ["!", *self._search_serial_project_id(positive, value)]
        if operator == "ilike" or (operator in ("=", "in") and isinstance(value, str)):
            projects = self.env["project.project"].search([("name", "ilike", value)])
            ids = projects.ids
        elif operator in ("=", "in"):
            ids = value if isinstance(value, (list, tuple)) else [value]
        else:
            raise UserError(_("Serials cannot be searched by project with %s.", operator))
        without = False in ids or not ids
        ids = [project_id for project_id in ids if project_id]
        # The serials any project's transfer moved; a serial's project is the one of the
        # transfer that last moved it.
        moved = self.browse(
            lot.id
            for (lot,) in self.env["stock.move.line"]
            .sudo()
            ._read_group(
                [
                    ("picking_id.project_id", "!=", False),
                    ("state", "=", "done"),
                    ("lot_id", "!=", False),
                ],
                ["lot_id"],
            )
        )
        with_project = moved.filtered("serial_project_id")
        found = with_project.filtered(lambda lot: lot.serial_project_id.id in ids)
        if without:
            return ["|", ("id", "in", found.ids), ("id", "not in", with_project.ids)]
        return [("id", "in", found.ids)]
