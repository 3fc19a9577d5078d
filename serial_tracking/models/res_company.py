# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


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

    serial_source_check = fields.Selection(
        [
            ("leaving", "Units Leaving the Company"),
            ("all", "Every Move Out of Stock"),
        ],
        string="Serials Leave Only From Where They Are",
        default="leaving",
        required=True,
        help="Which moves refuse a serial that is not at the location they take it from. Units "
        "Leaving the Company: deliveries to customers and returns to vendors. Every Move Out of "
        "Stock: also internal transfers, scraps, inventory losses and consumption in production, "
        "which Odoo otherwise allows (a component consumed before its receipt is recorded, an "
        "unbuilt serial used again).",
    )

    serial_sale_required = fields.Selection(
        [("confirmation", "At Confirmation"), ("delivery", "At Delivery")],
        string="Serials Required on Sales",
        default="delivery",
        required=True,
        help="When every unit sold needs its serial: when the sales order is confirmed, or only "
        "when the delivery is validated.",
    )

    serial_warranty_expiring_days = fields.Integer(
        string="Warranty Expiring Within",
        default=30,
        help="A unit's warranty shows as expiring this many days before its end.",
    )
    serial_warranty_on_return = fields.Selection(
        [("clear", "Clear the Warranty"), ("keep", "Keep the Warranty")],
        string="Warranty on Customer Returns",
        default="clear",
        required=True,
        help="What a customer return does to the unit's warranty. A unit sold again starts a "
        "new warranty either way.",
    )
    serial_warranty_reminder_days = fields.Integer(
        string="Warranty Reminder Days",
        default=30,
        help="How many days before a delivered unit's warranty ends a reminder activity is "
        "scheduled (0: no reminders).",
    )
    serial_warranty_reminder_user_id = fields.Many2one(
        "res.users",
        string="Warranty Reminders To",
        help="Who gets the warranty reminders. Empty: the salesperson of the order the unit "
        "was sold on (else the product's responsible).",
    )

    _sql_constraints = [
        (
            "serial_warranty_expiring_days_positive",
            "CHECK(serial_warranty_expiring_days >= 0)",
            "The warranty expiring days cannot be negative.",
        ),
        (
            "serial_warranty_reminder_days_positive",
            "CHECK(serial_warranty_reminder_days >= 0)",
            "The warranty reminder days cannot be negative.",
        ),
        (
            "serial_entry_limit_positive",
            "CHECK(serial_entry_limit > 0)",
            "The number of serials per entry must be positive.",
        ),
    ]

    @api.constrains(
        "serial_entry_limit", "serial_warranty_expiring_days", "serial_warranty_reminder_days"
    )
    def _check_serial_numbers(self):
        """Said before PostgreSQL's checks refuse them (which log the failed query as an
        error)."""
        for company in self:
            if company.serial_entry_limit <= 0:
                raise ValidationError(
                    _(
                        "Serials per Entry of %(company)s must be 1 or more (%(value)s given).",
                        company=company.name,
                        value=company.serial_entry_limit,
                    )
                )
            for field in ("serial_warranty_expiring_days", "serial_warranty_reminder_days"):
                if company[field] < 0:
                    raise ValidationError(
                        _(
                            "%(setting)s of %(company)s cannot be negative (%(value)s given).",
                            setting=self._fields[field].get_description(self.env)["string"],
                            company=company.name,
                            value=company[field],
                        )
                    )

    def write(self, vals):
        res = super().write(vals)
        if "serial_warranty_expiring_days" in vals:
            # sudo: every serial of these companies, whoever changes the setting.
            lots = (
                self.env["stock.lot"]
                .sudo()
                .search(
                    [
                        ("company_id", "in", self.ids),
                        ("warranty_state", "in", ("active", "expiring")),
                    ]
                )
            )
            lots._compute_warranty_state()
        return res

    @api.model
    def _get_serial_entry_limit(self):
        return self.env.company.serial_entry_limit or 10000
