# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Which serials a sales line may take: in stock where the order ships from, not held by
another open order."""

from odoo import _, models

from .serial_rules import OPEN_ORDER_STATES


class StockLot(models.Model):
    _inherit = "stock.lot"

    def _serial_available_in(self, location, sale_line=None, moves=None):
        """The serials among these that can be taken from ``location`` (and its children) for
        ``sale_line`` or ``moves`` (default: the sales lines they are chosen on): in stock
        there, not chosen on another open sales line, not reserved by another transfer."""
        if not self:
            return self
        Quant = self.env["stock.quant"].sudo()
        here = {
            lot.id
            for (lot,) in Quant._read_group(
                [
                    ("lot_id", "in", self.ids),
                    ("location_id", "child_of", location.id),
                    ("location_id.usage", "=", "internal"),
                    ("quantity", ">", 0),
                ],
                ["lot_id"],
            )
        }
        own_moves = self.env["stock.move"].sudo()
        if sale_line:
            own_moves |= sale_line.sudo().move_ids
        elif not moves:
            own_moves |= self.sudo().sale_line_id.move_ids
        if moves:
            own_moves |= moves.sudo()
        # The whole chain (pick, pack, ship) serves the same line.
        linked = own_moves.move_orig_ids | own_moves.move_dest_ids
        while linked - own_moves:
            own_moves |= linked
            linked = own_moves.move_orig_ids | own_moves.move_dest_ids
        reserved_elsewhere = {
            lot.id
            for (lot,) in self.env["stock.move.line"]
            .sudo()
            ._read_group(
                [
                    ("lot_id", "in", self.ids),
                    ("state", "not in", ("done", "cancel")),
                    ("location_id.usage", "=", "internal"),
                    ("quantity", ">", 0),
                    ("move_id", "not in", own_moves.ids),
                ],
                ["lot_id"],
            )
        }
        own_line = sale_line or (moves and moves[:1]._serial_sale_line())
        return (
            self.sudo()
            .filtered(
                lambda lot: (
                    lot.id in here
                    and lot.id not in reserved_elsewhere
                    and not (
                        lot.sale_line_id
                        and lot.sale_line_id != (own_line or (not moves and lot.sale_line_id))
                        and lot.serial_state in ("in_stock", "reserved")
                        and lot.sale_line_id.order_id.state in OPEN_ORDER_STATES
                    )
                )
            )
            .with_env(self.env)
        )

    def _serial_where(self):
        """Where the unit stands, in words: its status, and its order, holder or location."""
        self.ensure_one()
        state = dict(self._fields["serial_state"]._description_selection(self.env)).get(
            self.serial_state, ""
        )
        order = self.sudo().sale_line_id.order_id
        if order and self.serial_state in ("in_stock", "reserved"):
            return _("chosen on %(order)s", order=order.name)
        if self.serial_state == "reserved":
            # sudo: the document holding the unit is named even where the user cannot open it.
            line = (
                self.env["stock.move.line"]
                .sudo()
                .search(
                    [
                        ("lot_id", "=", self.id),
                        ("state", "not in", ("done", "cancel")),
                        ("quantity", ">", 0),
                    ],
                    limit=1,
                )
            )
            if line:
                return _(
                    "reserved on %(reference)s",
                    reference=line.picking_id.name or line.move_id.reference or line.reference,
                )
        if self.holder_partner_id:
            return "%s, %s" % (state, self.holder_partner_id.display_name)
        locations = self.quant_ids.filtered(lambda q: q.quantity > 0).location_id
        if locations:
            return "%s, %s" % (state, ", ".join(locations.mapped("display_name")))
        return state

    def _serial_on_open_line_ids(self):
        """Ids of these serials named on a move line not done nor cancelled."""
        return {
            lot.id
            for (lot,) in self.env["stock.move.line"]
            .sudo()
            ._read_group(
                [("lot_id", "in", self.ids), ("state", "not in", ("done", "cancel"))], ["lot_id"]
            )
        }
