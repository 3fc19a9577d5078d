# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

# Changes of move lines that change the genealogy read from their links.
GENEALOGY_KEYS = {"lot_id", "consume_line_ids", "produce_line_ids", "state", "move_id"}


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        self.env["stock.lot"]._serial_genealogy_changed()
        return lines

    def write(self, vals):
        result = super().write(vals)
        if GENEALOGY_KEYS.intersection(vals):
            self.env["stock.lot"]._serial_genealogy_changed()
        return result
