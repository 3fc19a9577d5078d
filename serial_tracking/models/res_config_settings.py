# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
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
    serial_source_check = fields.Selection(
        related="company_id.serial_source_check",
        readonly=False,
    )
    serial_lock_tracking = fields.Boolean(
        related="company_id.serial_lock_tracking",
        readonly=False,
    )
    serial_warranty_expiring_days = fields.Integer(
        related="company_id.serial_warranty_expiring_days",
        readonly=False,
    )
    serial_warranty_on_return = fields.Selection(
        related="company_id.serial_warranty_on_return",
        readonly=False,
    )
    serial_warranty_reminder_days = fields.Integer(
        related="company_id.serial_warranty_reminder_days",
        readonly=False,
    )
    serial_warranty_reminder_user_id = fields.Many2one(
        related="company_id.serial_warranty_reminder_user_id",
        readonly=False,
    )
