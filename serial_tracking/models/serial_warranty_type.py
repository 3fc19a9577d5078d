# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


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
