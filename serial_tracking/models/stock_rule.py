# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from .serial_rules import whole_units_quantity


class StockRule(models.Model):
    _inherit = "stock.rule"

    def _get_custom_move_fields(self):
        # The serials chosen on a sales line go with its procurement into every move made for
        # it (pick, pack, ship), which reserve only them.
        return super()._get_custom_move_fields() + ["serial_restrict_lot_ids"]

    def _update_purchase_order_line(
        self, product_id, product_qty, product_uom, company_id, values, line
    ):
        res = super()._update_purchase_order_line(
            product_id, product_qty, product_uom, company_id, values, line
        )
        if "product_qty" in res:
            res["product_qty"] = whole_units_quantity(
                product_id, line.product_uom, res["product_qty"]
            )
        return res
