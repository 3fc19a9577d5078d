# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SerialWarrantyType(models.Model):
    _name = "serial.warranty.type"
    _description = "Warranty Type"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    terms = fields.Html(
        translate=True,
        help="What the warranty covers, printed on the warranty certificate.",
    )

    _sql_constraints = [
        (
            "name_company_unique",
            "UNIQUE(name, company_id)",
            "A warranty type of this name already exists in this company.",
        ),
    ]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_use(self):
        """A type that serials or products still carry is archived, not deleted: deleting it
        would take the warranty off every certificate that names it."""
        # sudo: the use is counted in serials and products the user may not read.
        lots = self.env["stock.lot"].sudo().search_count([("warranty_type_id", "in", self.ids)])
        products = 0
        for company in self.company_id:
            products += (
                self.env["product.template"]
                .sudo()
                .with_company(company)
                .search_count([("warranty_type_id", "in", self.ids)])
            )
        if lots or products:
            raise UserError(
                _(
                    "%(types)s cannot be deleted: %(lots)s serials and %(products)s products "
                    "carry it. Archive it instead (Actions > Archive): it stays on their "
                    "certificates and can no longer be chosen.",
                    types=", ".join(self.mapped("name")),
                    lots=lots,
                    products=products,
                )
            )
