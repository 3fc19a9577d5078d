from odoo import api, fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    serial_ids = fields.Many2many(
        "stock.lot",
        string="Serial Numbers",
        compute="_compute_serial_ids",
        groups="stock.group_stock_user",
        help="Vendor bills: the serials received for the purchase order line. Customer "
        "invoices: the serials delivered for the sales order lines.",
    )
    serial_names = fields.Text(
        string="Serials",
        compute="_compute_serial_names",
        compute_sudo=True,
        help="The serial numbers of this line, for everyone who can read the invoice.",
    )

    def _get_serial_lots(self):
        """Serials of this invoice line: on a vendor bill, those received for its purchase
        order line and kept; on a vendor refund, those returned; on a customer invoice, those
        delivered for its sales order lines."""
        self.ensure_one()
        move_type = self.move_id.move_type
        if move_type == "in_invoice":
            lots = self.purchase_line_id.serial_ids.filtered(
                lambda lot: lot.serial_state not in ("expected", "returned_to_vendor")
            )
        elif move_type == "in_refund":
            lots = self.purchase_line_id.serial_ids.filtered(
                lambda lot: lot.serial_state == "returned_to_vendor"
            )
        elif move_type == "out_invoice":
            lots = self.sale_line_ids.serial_ids.filtered(
                lambda lot: lot.serial_state == "delivered"
            )
        else:
            lots = self.env["stock.lot"]
        return lots.sorted("name")

    @api.depends(
        "move_id.move_type",
        "purchase_line_id.serial_ids.serial_state",
        "sale_line_ids.serial_ids.serial_state",
    )
    def _compute_serial_ids(self):
        for line in self:
            line.serial_ids = line._get_serial_lots()

    @api.depends(
        "move_id.move_type",
        "purchase_line_id.serial_ids.serial_state",
        "sale_line_ids.serial_ids.serial_state",
    )
    def _compute_serial_names(self):
        for line in self:
            line.serial_names = ", ".join(line._get_serial_lots().mapped("name")) or False
