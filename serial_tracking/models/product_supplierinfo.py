# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .product_template import WARRANTY_UNIT_SELECTION


class ProductSupplierinfo(models.Model):
    _inherit = "product.supplierinfo"

    warranty_duration = fields.Integer(
        string="Vendor Warranty",
        help="How long the vendor warrants each unit bought from it, from its receipt.",
    )
    warranty_unit = fields.Selection(
        WARRANTY_UNIT_SELECTION,
        string="Vendor Warranty Unit",
        default="month",
    )

    @api.constrains("warranty_duration")
    def _check_warranty_duration(self):
        for info in self:
            if info.warranty_duration < 0:
                raise ValidationError(
                    _(
                        "The vendor warranty of %(vendor)s for %(product)s cannot be negative.",
                        vendor=info.partner_id.display_name,
                        product=info.product_tmpl_id.display_name,
                    )
                )
