# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
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
            if lot_id and strict:
                # One serial asked for (a line being reserved): allowed or not, no list needed.
                if lot_id.id not in restrict:
                    domain = expression.FALSE_DOMAIN
            else:
                domain = expression.AND([domain, [("lot_id", "in", list(restrict))]])
        elif self.env.context.get("serial_exclude_chosen") and not (lot_id and strict):
            # (A serial asked for by name was found by a gather that excluded the chosen ones,
            # or comes from an earlier step of its own delivery.)
            domain = expression.AND(
                [domain, ["|", ("lot_id", "=", False), ("lot_id.sale_line_id", "=", False)]]
            )
        return domain
