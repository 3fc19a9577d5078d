from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    serial_entry_limit = fields.Integer(
        string="Serials per Entry",
        default=10000,
        help="Most serial numbers one entry (and one range in it) may hold in the serial popup.",
    )

    serial_lock_tracking = fields.Boolean(
        string="Lock Serial Tracking",
        default=True,
        help="A product tracked by serial number that has moved keeps its serial tracking.",
    )

    serial_sale_required = fields.Selection(
        [("confirmation", "At Confirmation"), ("delivery", "At Delivery")],
        string="Serials Required on Sales",
        default="delivery",
        required=True,
        help="When every unit sold needs its serial: when the sales order is confirmed, or only "
        "when the delivery is validated.",
    )

    _sql_constraints = [
        (
            "serial_entry_limit_positive",
            "CHECK(serial_entry_limit > 0)",
            "The number of serials per entry must be positive.",
        ),
    ]

    @api.model
    def _get_serial_entry_limit(self):
        return self.env.company.serial_entry_limit or 10000
