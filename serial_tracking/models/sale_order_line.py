from odoo import api, models

from .serial_rules import check_whole_units


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.constrains("product_id", "product_uom_qty", "product_uom")
    def _check_serial_whole_units(self):
        check_whole_units(
            self, "product_uom_qty", "product_uom", lambda line: line.order_id.name or line.name
        )
