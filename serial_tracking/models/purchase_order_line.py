from odoo import api, models

from .serial_rules import check_whole_units, whole_units_quantity


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    @api.constrains("product_id", "product_qty", "product_uom")
    def _check_serial_whole_units(self):
        check_whole_units(
            self, "product_qty", "product_uom", lambda line: line.order_id.name or line.name
        )

    @api.model
    def _prepare_purchase_order_line(
        self, product_id, product_qty, product_uom, company_id, supplier, po
    ):
        # Replenishment buys in the purchase unit: a serial product is bought in quantities
        # holding whole units (5 units in dozens: half a dozen, not 0.42).
        vals = super()._prepare_purchase_order_line(
            product_id, product_qty, product_uom, company_id, supplier, po
        )
        uom = self.env["uom.uom"].browse(vals["product_uom"])
        vals["product_qty"] = whole_units_quantity(product_id, uom, vals["product_qty"])
        return vals
