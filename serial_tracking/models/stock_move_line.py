from odoo import models


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _prepare_new_lot_vals(self):
        vals = super()._prepare_new_lot_vals()
        # A serial belongs to the company that received it, also for products shared between
        # companies (natively such lots get no company, which would forbid the same serial
        # text in another company).
        if self.product_id.tracking == "serial" and not vals.get("company_id"):
            vals["company_id"] = self.company_id.id
        return vals
