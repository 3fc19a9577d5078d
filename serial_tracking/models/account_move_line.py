from odoo import api, fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    serial_ids = fields.Many2many(
        "stock.lot",
        string="Serial Numbers",
        compute="_compute_serial_ids",
        groups="stock.group_stock_user",
        help="Vendor bills: the serials received for the purchase order line.",
    )
    serial_names = fields.Text(
        string="Serials",
        compute="_compute_serial_names",
        compute_sudo=True,
        help="The serial numbers of this line, for everyone who can read the invoice.",
    )

    def _get_serial_lots(self):
        """Serials of this invoice line: for a vendor bill, those received for its purchase
        order line."""
        self.ensure_one()
        return self.purchase_line_id.serial_ids.filtered(
            lambda lot: lot.serial_state != "expected"
        ).sorted("name")

    @api.depends("purchase_line_id.serial_ids.serial_state")
    def _compute_serial_ids(self):
        for line in self:
            line.serial_ids = line._get_serial_lots()

    @api.depends("purchase_line_id.serial_ids.serial_state")
    def _compute_serial_names(self):
        for line in self:
            line.serial_names = ", ".join(line._get_serial_lots().mapped("name")) or False
