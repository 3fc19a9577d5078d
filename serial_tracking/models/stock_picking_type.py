# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockPickingType(models.Model):
    _inherit = "stock.picking.type"

    serial_auto_generate = fields.Boolean(
        string="Generate Missing Serials",
        help="When a transfer of this type is validated, units of serial-tracked products that "
        "have no serial number yet get the next numbers of their product's numbering rule.",
    )
