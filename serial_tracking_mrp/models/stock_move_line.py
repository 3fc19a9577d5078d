# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

# Changes of move lines that change the genealogy read from their links.
GENEALOGY_KEYS = {"lot_id", "consume_line_ids", "produce_line_ids", "state", "move_id"}


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    serial_produced_into = fields.Char(
        string="Into",
        compute="_compute_serial_produced_into",
        help="For a component consumed by a manufacturing order: the serials of the units it "
        "went into.",
    )

    @api.depends("produce_line_ids.lot_id")
    def _compute_serial_produced_into(self):
        for line in self:
            # sudo: the finished lines of the same order, whoever reads the history.
            units = (
                line.sudo().produce_line_ids.lot_id
                if line.move_id.raw_material_production_id
                else None
            )
            line.serial_produced_into = (
                _("into %(serials)s", serials=", ".join(units.mapped("name"))) if units else False
            )

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
