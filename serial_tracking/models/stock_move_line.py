# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import create_index

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

    @api.model
    def _serial_unit_values(self, product, source, destination, lot=None, **values):
        """Values of a move line for one unit of a serial product: quantity 1 of the product's
        unit, from ``source`` to ``destination``, with ``lot`` (and any other ``values``)."""
        return {
            "product_id": product.id,
            "product_uom_id": product.uom_id.id,
            "quantity": 1,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "lot_id": lot.id if lot else False,
            **values,
        }

    # Serial status follows the move lines (refreshed at once, or when the batch operation under
    # way ends: see serial.status).

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        self.env["serial.status"].touch(lines.lot_id)
        return lines

    def write(self, vals):
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
            self.env["serial.status"].touch(lots | self.lot_id)
        return result

    def unlink(self):
        lots = self.lot_id
        result = super().unlink()
        self.env["serial.status"].touch(lots.exists())
        return result
