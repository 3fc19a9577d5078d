from odoo import models
from odoo.osv import expression


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _get_gather_domain(
        self, product_id, location_id, lot_id=None, package_id=None, owner_id=None, strict=False
    ):
        domain = super()._get_gather_domain(
            product_id, location_id, lot_id, package_id, owner_id, strict
        )
        # A move restricted to exact serials (chosen on its sales line) reserves only them.
        restrict = self.env.context.get("serial_restrict_lot_ids")
        if restrict:
            domain = expression.AND([domain, [("lot_id", "in", list(restrict))]])
        return domain
