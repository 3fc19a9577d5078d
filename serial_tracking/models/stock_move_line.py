# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import create_index

from .stock_quant import SerialQuantBatch

SML_LOT_DATE_INDEX = "stock_move_line_serial_tracking_lot_date_index"

# Fields of a move line that change which serials it reserves.
RESERVATION_FIELDS = {"lot_id", "quantity", "location_id", "location_dest_id", "move_id"}


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def init(self):
        res = super().init()
        # Odoo does not index move lines by serial: the status refresh, the history and the
        # report's date filter all look up the lines of given serials, newest first.
        create_index(
            self.env.cr,
            SML_LOT_DATE_INDEX,
            self._table,
            ["lot_id", "date"],
            where="lot_id IS NOT NULL",
        )
        return res

    def _prepare_new_lot_vals(self):
        vals = super()._prepare_new_lot_vals()
        # A serial belongs to the company that received it, also for products shared between
        # companies (natively such lots get no company, which would forbid the same serial
        # text in another company).
        if self.product_id.tracking == "serial" and not vals.get("company_id"):
            vals["company_id"] = self.company_id.id
        return vals

    # Serial status follows the move lines. Inside the batch operations below (validation,
    # reservation) the status is refreshed once at the end, for all their serials together.

    def _serial_refresh_lots(self, lots):
        if not self.env.context.get("serial_refresh_later"):
            lots._serial_refresh()

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._serial_refresh_lots(lines.lot_id)
        return lines

    def _action_done(self):
        """Odoo moves the quants of the lines one line at a time; the quants of serials it
        creates on the way (at the destination, or negative at a vendor's) are created together
        once the loop is over (context ``serial_one_by_one``: as Odoo does)."""
        if self.env.context.get("serial_one_by_one"):
            return super()._action_done()
        outer = self.env.context.get("serial_quant_batch")
        if outer is not None:
            # Inside another validation's loop: its held-back quants first, so that this one's
            # quant cache holds them.
            self.env["stock.quant"]._serial_flush_quants(outer)
            return super()._action_done()
        batch = SerialQuantBatch()
        result = super(StockMoveLine, self.with_context(serial_quant_batch=batch))._action_done()
        self.env["stock.quant"]._serial_flush_quants(batch)
        return result

    def write(self, vals):
        batch = self.env.context.get("serial_quant_batch")
        if batch and batch.pending:
            # (Odoo's validation dates its lines once their quants are moved.)
            self.env["stock.quant"]._serial_flush_quants(batch)
        if "lot_name" in vals and "lot_id" not in vals:
            # A serial typed over a pre-filled one (receipts show serials as text) replaces it.
            stale = self.filtered(
                lambda ml: (
                    ml.lot_id
                    and ml.product_id.tracking == "serial"
                    and ml.state != "done"
                    and ml.lot_id.name != vals["lot_name"]
                )
            )
            if stale:
                stale.write({"lot_id": False})
        lots = self.lot_id if RESERVATION_FIELDS & set(vals) else self.env["stock.lot"]
        result = super().write(vals)
        if lots or "lot_id" in vals:
            self._serial_refresh_lots(lots | self.lot_id)
        return result

    def unlink(self):
        lots = self.lot_id
        result = super().unlink()
        self._serial_refresh_lots(lots.exists())
        return result
