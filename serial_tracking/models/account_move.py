# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._serial_start_invoice_warranties()
        return posted

    def _serial_start_invoice_warranties(self):
        """Start, on each posted customer invoice's date, the warranty of the serials it bills
        whose product's warranty starts at the invoice (and has not started yet). Which
        serials an invoice bills is Odoo's own share of the delivered lots between the
        invoices of the order: a partly invoiced line starts the first units delivered."""
        invoices = self.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and any(
                    line.product_id.tracking == "serial" and line.sale_line_ids
                    for line in move.invoice_line_ids
                )
            )
        )
        if not invoices:
            return
        # sudo: starting a warranty is a consequence of posting; accountants may not read
        # serials, stock moves or products' policies.
        starts = defaultdict(set)
        for invoice in invoices.sudo():
            for values in invoice._get_invoiced_lot_values():
                if values.get("lot_id"):
                    starts[invoice.invoice_date].add(values["lot_id"])
        Lot = self.env["stock.lot"].sudo()
        for date, lot_ids in starts.items():
            lots = Lot.browse(lot_ids).filtered(
                lambda lot: (
                    lot.serial_state == "delivered"
                    and not lot.warranty_start_date
                    and lot._serial_warranty_starts_at_invoice()
                )
            )
            lots._serial_warranty_start(date)
