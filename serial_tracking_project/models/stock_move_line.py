# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    serial_project_id = fields.Many2one(
        "project.project", string="Project", related="picking_id.project_id"
    )
