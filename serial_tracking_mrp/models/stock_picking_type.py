# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockPickingType(models.Model):
    _inherit = "stock.picking.type"

    serial_generate_at_produce = fields.Boolean(
        string="Generate Serials at Produce All",
        help="Produce All on a manufacturing order of this type gives the units still without "
        "a serial number the next numbers of the product's numbering rule.",
    )
