# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    serial_component_move_ids = fields.Many2many(
        "stock.move",
        string="Serial Components",
        compute="_compute_serial_component_move_ids",
        help="The serial-tracked components still to consume: each names its serials in the "
        "serial popup.",
    )

    @api.depends("move_raw_ids.state", "move_raw_ids.has_tracking")
    def _compute_serial_component_move_ids(self):
        for production in self:
            production.serial_component_move_ids = production.move_raw_ids.filtered(
                lambda move: move.has_tracking == "serial" and move.state not in ("done", "cancel")
            )
