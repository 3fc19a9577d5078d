# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The project of a serial: the project of the transfer that last moved it (project_stock's
``stock.picking.project_id``), read for many serials in one query."""

from odoo import fields, models
from odoo.tools import SQL


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    serial_project_id = fields.Many2one(
        "project.project", string="Project", related="picking_id.project_id"
    )


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
        projects = {}
        if self.ids:
            # sudo: the project is read from move lines and transfers the user may not read.
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    """
                    SELECT DISTINCT ON (ml.lot_id) ml.lot_id, picking.project_id
                      FROM stock_move_line ml
                      JOIN stock_picking picking ON picking.id = ml.picking_id
                     WHERE ml.lot_id = ANY(%s) AND ml.state = 'done'
                  ORDER BY ml.lot_id, ml.date DESC, ml.id DESC
                    """,
                    list(self.ids),
                )
            )
            projects = dict(self.env.cr.fetchall())
        for lot in self:
            lot.serial_project_id = projects.get(lot.id) or False

    def _search_serial_project_id(self, operator, value):
        if operator not in ("=", "in"):
            return NotImplemented
        ids = value if isinstance(value, (list, tuple)) else [value]
        ids = [project_id for project_id in ids if project_id]
        lots = self.browse(
            lot.id
            for (lot,) in self.env["stock.move.line"]
            .sudo()
            ._read_group(
                [
                    ("picking_id.project_id", "in", ids),
                    ("state", "=", "done"),
                    ("lot_id", "!=", False),
                ],
                ["lot_id"],
            )
        )
        # The project of a serial is the one that last moved it.
        return [("id", "in", lots.filtered(lambda lot: lot.serial_project_id.id in ids).ids)]
