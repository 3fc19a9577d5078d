from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    serial_entry_limit = fields.Integer(
        related="company_id.serial_entry_limit",
        readonly=False,
    )
    serial_sale_required = fields.Selection(
        related="company_id.serial_sale_required",
        readonly=False,
    )
    serial_lock_tracking = fields.Boolean(
        related="company_id.serial_lock_tracking",
        readonly=False,
    )
