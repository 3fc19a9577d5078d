# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.tools import format_date


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    serial_ids = fields.Many2many(
        "stock.lot",
        string="Serial Numbers",
        compute="_compute_serial_ids",
        groups="stock.group_stock_user",
        help="Vendor bills: the serials received for the purchase order line and kept (vendor "
        "refunds: those returned). Customer invoices: the serials this invoice bills.",
    )
    serial_names = fields.Text(
        string="Serials",
        compute="_compute_serial_names",
        compute_sudo=True,
        help="The serial numbers of this line, for everyone who can read the invoice.",
    )

    serial_warranty_text = fields.Text(
        string="Serial Warranties",
        compute="_compute_serial_names",
        compute_sudo=True,
        help="Customer invoices: the warranty end of each serial billed that has one.",
    )

    def _get_serial_lots_by_line(self):
        """Serials of each invoice line: on a vendor bill, those received for its purchase
        order line and kept; on a vendor refund, those returned; on a customer invoice, those
        it bills (once posted, Odoo's own share of the delivered lots between the invoices of
        the order; before, those delivered for its sales order lines)."""
        lots_by_line = {}
        invoiced = {}
        for invoice in self.move_id.filtered(
            lambda move: move.move_type == "out_invoice" and move.state == "posted"
        ):
            by_product = defaultdict(set)
            for values in invoice.sudo()._get_invoiced_lot_values():
                if values.get("lot_id"):
                    lot = self.env["stock.lot"].browse(values["lot_id"])
                    by_product[lot.product_id.id].add(lot.id)
            invoiced[invoice.id] = by_product
        for line in self:
            move_type = line.move_id.move_type
            lots = self.env["stock.lot"]
            if move_type == "in_invoice":
                lots = line.purchase_line_id.serial_ids.filtered(
                    lambda lot: lot.serial_state not in ("expected", "returned_to_vendor")
                )
            elif move_type == "in_refund":
                lots = line.purchase_line_id.serial_ids.filtered(
                    lambda lot: lot.serial_state == "returned_to_vendor"
                )
            elif move_type == "out_invoice" and line.product_id.tracking == "serial":
                lots = line.sale_line_ids.serial_ids.filtered(
                    lambda lot: lot.serial_state == "delivered"
                )
                if line.move_id.id in invoiced:
                    billed = invoiced[line.move_id.id][line.product_id.id]
                    lots = lots.filtered(lambda lot, billed=billed: lot.id in billed)
            lots_by_line[line] = lots.sorted("name")
        return lots_by_line

    @api.depends(
        "move_id.move_type",
        "move_id.state",
        "purchase_line_id.serial_ids.serial_state",
        "sale_line_ids.serial_ids.serial_state",
    )
    def _compute_serial_ids(self):
        lots_by_line = self._get_serial_lots_by_line()
        for line in self:
            line.serial_ids = lots_by_line[line]

    @api.depends(
        "move_id.move_type",
        "move_id.state",
        "purchase_line_id.serial_ids.serial_state",
        "sale_line_ids.serial_ids.serial_state",
        "sale_line_ids.serial_ids.warranty_end_date",
    )
    def _compute_serial_names(self):
        """The serials' names and, on customer invoices, their warranty ends: both from one
        share of the lots between the invoices."""
        lots_by_line = self._get_serial_lots_by_line()
        for line in self:
            lots = lots_by_line[line]
            line.serial_names = ", ".join(lots.mapped("name")) or False
            under_warranty = (
                lots.filtered("warranty_end_date")
                if line.move_id.move_type == "out_invoice"
                else lots.browse()
            )
            line.serial_warranty_text = (
                ", ".join(
                    _(
                        "%(serial)s until %(date)s",
                        serial=lot.name,
                        date=format_date(self.env, lot.warranty_end_date),
                    )
                    for lot in under_warranty
                )
                or False
            )
