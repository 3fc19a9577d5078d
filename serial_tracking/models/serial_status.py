# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The status service: every serial's status, holder, links and receipt data follow from its
quants and move lines. ``refresh(lots)`` is the one entry point, in a fixed number of queries
whatever the number of serials.

Every operation that changes serials reports them with ``touch(lots)``: move lines do when they
are created, changed or removed, order lines when their chosen serials change. Outside a
batch the serials are refreshed at once; an operation that changes many lines at once (a
validation, a reservation, an unreservation) runs inside ``with env["serial.status"].batch():``
and its serials are refreshed once, together, when it ends."""

from collections import defaultdict
from contextlib import contextmanager

from odoo import api, models
from odoo.tools import SQL

from .serial_rules import OPEN_ORDER_STATES
from .stock_lot import STATE_BY_USAGE

# The serials touched inside the batches under way (innermost last), on the cursor: a batch
# adds its set when it starts and takes it off when it ends, whatever happens in between
# (flushes, savepoints).
_BATCHES = "serial_tracking.status_batches"


class SerialStatus(models.AbstractModel):
    _name = "serial.status"
    _description = "Serial Status Service"

    @api.model
    def touch(self, lots):
        """These serials changed: refresh them now, or when the batch under way ends."""
        batches = self.env.cr.cache.get(_BATCHES)
        if batches:
            batches[-1].update(lots.ids)
        elif lots:
            self.refresh(lots)

    @contextmanager
    def batch(self, lots=None):
        """Refresh the serials touched inside the block (and ``lots``) once, when it ends
        without error. Batches nest: an inner one hands its serials to the outer one."""
        batches = self.env.cr.cache.setdefault(_BATCHES, [])
        touched = set(lots.ids if lots else ())
        batches.append(touched)
        try:
            yield
        finally:
            batches.pop()
        self.touch(self.env["stock.lot"].browse(touched).exists())

    # ------------------------------------------------------------------
    # Status, holder and origin, from the moves, for many serials at once
    # ------------------------------------------------------------------

    @api.model
    def refresh(self, lots):
        """Recompute status, holder, links and receipt data of these serials from their quants
        and move lines, in a fixed number of queries whatever their number."""
        # sudo: the status is derived data of these very serials; the user who validates a
        # transfer (or a buyer whose order changes a receipt) may not read every serial,
        # quant, move line or valuation layer behind it.
        status = self.sudo()
        lots = lots.sudo().filtered(lambda lot: lot.product_id.tracking == "serial")
        if not lots:
            return
        self.env.flush_all()
        location_of = status._current_locations(lots)
        reserved = status._reserved_ids(lots)
        last_lines = status._last_done_lines(lots)
        receipts = status._receipt_lines(lots)
        costs = status._receipt_costs(receipts)
        went_out = status._sale_lines_gone_out(lots)
        vendor_warranties = {}

        values_by_lot = {}
        for lot in lots:
            location = location_of.get(lot.id)
            last_line = last_lines.get(lot.id)
            if not location and last_line:
                location = last_line.location_dest_id
            vals = {"holder_partner_id": False}
            if not location:
                vals["serial_state"] = "expected"
            elif location.usage == "internal":
                chosen = lot.sale_line_id.order_id.state in OPEN_ORDER_STATES
                if chosen and (lot.id, lot.sale_line_id.id) in went_out:
                    # Back in stock after going out on that line: no longer chosen for it.
                    vals["sale_line_id"] = False
                    chosen = False
                vals["serial_state"] = "reserved" if lot.id in reserved or chosen else "in_stock"
            elif location.usage == "inventory" and location.scrap_location:
                vals["serial_state"] = "scrapped"
            else:
                vals["serial_state"] = STATE_BY_USAGE.get(location.usage, "adjusted_out")
            if vals["serial_state"] in ("delivered", "returned_to_vendor") and last_line:
                partner = last_line.move_id.partner_id or last_line.picking_id.partner_id
                vals["holder_partner_id"] = partner.commercial_partner_id.id
                if vals["serial_state"] == "delivered":
                    vals["serial_delivery_date"] = last_line.date
                    if last_line.move_id.sale_line_id:
                        vals["sale_line_id"] = last_line.move_id.sale_line_id.id
            receipt = receipts.get(lot.id)
            if receipt:
                vals["serial_receipt_date"] = receipt.date
                if receipt.location_id.usage == "supplier":
                    # The purchase order's vendor first: on a dropship the move's partner is
                    # the customer.
                    partner = (
                        receipt.move_id.purchase_line_id.order_id.partner_id
                        or receipt.picking_id.partner_id
                        or receipt.move_id.partner_id
                    )
                    vals["serial_vendor_id"] = partner.commercial_partner_id.id
                    if receipt.move_id.purchase_line_id:
                        vals["purchase_line_id"] = receipt.move_id.purchase_line_id.id
                if lot.product_id.lot_valuated:
                    # The serial's own cost is company-dependent: read it in its company.
                    vals["serial_unit_cost"] = lot.with_company(
                        lot._serial_company(receipt)
                    ).standard_price
                elif receipt.move_id.id in costs:
                    vals["serial_unit_cost"] = costs[receipt.move_id.id]
            vals.update(
                lot._serial_warranty_refresh_values(vals, receipt, vendor_warranties, last_line)
            )
            values_by_lot[lot] = vals
        # One write per distinct set of values (a delivery of many serials is one write).
        # Ids collected in lists: a recordset grown one record at a time is copied each time.
        lots_by_values = defaultdict(list)
        for lot, vals in values_by_lot.items():
            changed = {
                key: value
                for key, value in vals.items()
                if lot._fields[key].convert_to_write(lot[key], lot) != value
            }
            if changed:
                lots_by_values[tuple(sorted(changed.items()))].append(lot.id)
        for items, ids in lots_by_values.items():
            group = lots.browse(ids)
            # Automatic warranty dates are not tracked in each serial's chatter (thousands of
            # messages per delivery); the history page shows the delivery itself.
            group._serial_derived().with_context(tracking_disable=True).write(dict(items))
        # Sold again with a warranty starting at the invoice: an invoice posted before the
        # delivery starts it now.
        invoice_start = lots.filtered(
            lambda lot: (
                lot.serial_state == "delivered"
                and not lot.warranty_start_date
                and lot._serial_warranty_starts_at_invoice()
            )
        )
        invoices = invoice_start.sale_line_id.invoice_lines.move_id.filtered(
            lambda move: move.move_type == "out_invoice" and move.state == "posted"
        )
        invoices._serial_start_invoice_warranties()

    @api.model
    def _sale_lines_gone_out(self, lots):
        """(serial, sales line) pairs where the serial went out on a done move of the line."""
        with_line = lots.filtered("sale_line_id")
        if not with_line:
            return set()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ml.lot_id, m.sale_line_id
                  FROM stock_move_line ml
                  JOIN stock_move m ON m.id = ml.move_id
                 WHERE ml.lot_id = ANY(%s) AND ml.state = 'done' AND m.sale_line_id IS NOT NULL
                """,
                with_line.ids,
            )
        )
        return set(self.env.cr.fetchall())

    @api.model
    def _current_locations(self, lots):
        """Location holding each serial (a quant with a positive quantity), internal first."""
        location_of = {}
        groups = self.env["stock.quant"]._read_group(
            [("lot_id", "in", lots.ids), ("quantity", ">", 0)], ["lot_id", "location_id"]
        )
        for lot, location in groups:
            if lot.id not in location_of or location.usage == "internal":
                location_of[lot.id] = location
        return location_of

    @api.model
    def _reserved_ids(self, lots):
        """Serials on an open transfer line taking them out of an internal location."""
        groups = self.env["stock.move.line"]._read_group(
            [
                ("lot_id", "in", lots.ids),
                ("state", "not in", ("done", "cancel")),
                ("location_id.usage", "=", "internal"),
                ("quantity", ">", 0),
            ],
            ["lot_id"],
        )
        return {lot.id for (lot,) in groups}

    @api.model
    def _last_lines(self, lots, condition):
        """The newest done move line of each serial meeting ``condition`` (an SQL on ``ml``, the
        move line, and ``src``, its source location)."""
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (ml.lot_id) ml.lot_id, ml.id
                  FROM stock_move_line ml
                  JOIN stock_location src ON src.id = ml.location_id
                 WHERE ml.lot_id = ANY(%s) AND ml.state = 'done' AND %s
              ORDER BY ml.lot_id, ml.date DESC, ml.id DESC
                """,
                lots.ids,
                condition,
            )
        )
        rows = self.env.cr.fetchall()
        lines = self.env["stock.move.line"].browse([line_id for _lot, line_id in rows])
        return {lot_id: line for (lot_id, _line_id), line in zip(rows, lines, strict=True)}

    @api.model
    def _last_done_lines(self, lots):
        """The newest done move line of each serial."""
        return self._last_lines(lots, SQL("TRUE"))

    @api.model
    def _receipt_lines(self, lots):
        """The newest done move line that brought each serial in from a vendor, an inventory
        adjustment or production (customer returns are not receipts)."""
        return self._last_lines(
            lots, SQL("src.usage IN %s", ("supplier", "inventory", "production"))
        )

    @api.model
    def _receipt_costs(self, receipts):
        """Unit cost of each receipt move: the purchase line's price (discounted, without taxes)
        in the company's currency, else what the valuation recorded."""
        moves = self.env["stock.move"].browse({line.move_id.id for line in receipts.values()})
        costs = {}
        for move in moves.filtered("purchase_line_id"):
            line = move.purchase_line_id
            if not line.product_qty:
                continue
            price = line.price_subtotal / line.product_qty
            price /= line.product_uom._compute_quantity(1, move.product_id.uom_id)
            costs[move.id] = line.currency_id._convert(
                price, move.company_id.currency_id, move.company_id, move.date or move.create_date
            )
        others = moves.filtered(lambda move: move.id not in costs)
        if others:
            groups = self.env["stock.valuation.layer"]._read_group(
                [("stock_move_id", "in", others.ids), ("quantity", ">", 0)],
                ["stock_move_id"],
                ["value:sum", "quantity:sum"],
            )
            costs.update(
                (move.id, value / quantity) for move, value, quantity in groups if quantity
            )
        return costs
