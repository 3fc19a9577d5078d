# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A move as the serial popup's target: serials named for the units coming in (receipts,
returns, inventory), or the exact units in stock chosen for those going out."""

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import split_every

from ..tools.serial_parser import serials_to_text
from .serial_rules import OPEN_ORDER_STATES

LINES_PER_CREATE = 1000


class StockMove(models.Model):
    _name = "stock.move"
    _inherit = ["stock.move", "serial.entry.target"]

    def _serial_takes_from_stock(self):
        """Whether the popup chooses units in stock (the move takes them from an internal
        location) rather than naming units coming in."""
        self.ensure_one()
        return self.location_id.usage == "internal"

    def _serial_entry_defaults(self, values):
        names = self._get_serial_names()
        quantity = self._get_serial_quantity()
        defaults = {
            "mode": "receive",
            "company_id": self.company_id.id,
            "product_id": self.product_id.id,
            "quantity": quantity,
            "serial_text": serials_to_text(names),
            "generate_count": max(quantity - len(names), 0),
        }
        if self._serial_takes_from_stock():
            defaults.update(mode="deliver", location_id=self.location_id.id)
        elif self._serial_is_tracked_return():
            # A return takes back units that went out: there is nothing to generate.
            defaults.update(allow_generate=False, generate_count=0)
        return defaults

    def _serial_entry_known_label(self):
        return _("Available") if self._serial_takes_from_stock() else _("Existing")

    def _serial_entry_counts(self, entry):
        """A move without demand (a line added to a transfer) takes as many serials as are
        entered: its quantity follows them."""
        return bool(entry.quantity)

    def _serial_entry_available(self, entry, lots):
        """Those of ``lots`` this move may take from the popup's location."""
        return lots._serial_available_in(entry.location_id, moves=self)

    def _serial_entry_invalid(self, entry, names, lots, in_stock):
        if self._serial_takes_from_stock():
            available = self._serial_entry_available(
                entry, self.env["stock.lot"].union(*lots.values())
            )
            return self._serial_entry_unavailable(entry, names, lots, available)
        invalid = self._serial_entry_in_stock(entry, in_stock)
        product = entry.product_id.display_name
        if self._serial_is_tracked_return():
            went_out = set(self._serial_return_went_out().ids)
            origin = self.origin_returned_move_id
            for name in names:
                lot = lots.get(name)
                if name not in invalid and (not lot or lot.id not in went_out):
                    invalid[name] = _(
                        "%(serial)s of %(product)s was not delivered on %(transfer)s: a return "
                        "takes back only the serials that went out on it.",
                        serial=name,
                        product=product,
                        transfer=origin.picking_id.name or origin.reference,
                    )
        elif self.location_id.usage != "customer":
            for name, lot in lots.items():
                if (
                    name not in invalid
                    and lot.serial_state == "delivered"
                    and lot.holder_partner_id
                ):
                    invalid[name] = _(
                        "the serial number %(serial)s of %(product)s is at %(partner)s "
                        "(delivered): it comes back with a return of its delivery.",
                        serial=name,
                        product=product,
                        partner=lot.holder_partner_id.display_name,
                    )
        return invalid

    def _serial_entry_errors(self, entry, analysis):
        if not entry.quantity:
            return []
        return self._serial_entry_too_many(entry, analysis, _("to be processed"))

    def _serial_entry_check_fits(self, entry, analysis):
        if self._get_serial_entry_quantity() or self.product_id != entry.product_id:
            return super()._serial_entry_check_fits(entry, analysis)
        return None

    def _serial_entry_reference(self):
        return self.reference or self.display_name

    def _serial_entry_apply(self, entry, analysis):
        self._serial_entry_check_fits(entry, analysis)
        if self._serial_takes_from_stock():
            self._serial_choose(self._serial_entry_lots(analysis))
        else:
            self._set_serial_names(analysis["names"])

    @api.model
    def action_generate_lot_line_vals(self, context, mode, first_lot, count, lot_text):
        """Odoo's Generate Serials dialog (detailed operations): left empty, or with the
        rule's next serial it proposes, the First SN gives way to the product's numbering rule,
        whose counter then moves on (random rules included)."""
        product = self.env["product.product"].browse(context.get("default_product_id"))
        first = (first_lot or "").strip()
        if (
            mode == "generate"
            and context.get("default_tracking") == "serial"
            and product.tracking == "serial"
            and isinstance(count, int)
            and count > 0
            and (not first or first == product.serial_generate_proposal())
        ):
            names = product.serial_next_names(count)
            return super().action_generate_lot_line_vals(
                context, "import", False, len(names), "\n".join(names)
            )
        return super().action_generate_lot_line_vals(context, mode, first_lot, count, lot_text)

    def action_open_serial_entry(self):
        """Open the serial popup for this move: serials to name for units coming in (receipts,
        returns, inventory), exact units in stock to choose for units going out."""
        self.ensure_one()
        self._check_serial_entry_allowed()
        return self.env["serial.entry.wizard"]._action_open(
            _("Serial Numbers: %(product)s", product=self.product_id.display_name),
            {"default_target_model": self._name, "default_target_id": self.id},
        )

    def _check_serial_entry_allowed(self):
        for move in self:
            if move.product_id.tracking != "serial":
                raise UserError(
                    _(
                        "%(product)s is not tracked by serial number.",
                        product=move.product_id.display_name,
                    )
                )
            if move.state in ("done", "cancel"):
                raise UserError(
                    _(
                        "The serial numbers of %(product)s on %(reference)s can no longer be "
                        "changed: the move is done or cancelled.",
                        product=move.product_id.display_name,
                        reference=move.reference or move.display_name,
                    )
                )

    def _serial_choose(self, lots):
        """This move (going out of stock) takes exactly ``lots``; on a delivery for a sales
        line, the line's chosen serials follow."""
        self.ensure_one()
        line = self._serial_sale_line()
        if line and line.product_id == self.product_id and line.order_id.state in OPEN_ORDER_STATES:
            others = (
                line._get_serial_chosen() - self.serial_restrict_lot_ids - self.move_line_ids.lot_id
            )
            line._set_serial_lots(others | lots)
            return
        self.serial_restrict_lot_ids = lots
        if self.state not in ("draft", "done", "cancel"):
            self._do_unreserve()
            self._action_assign()

    def _get_serial_entry_quantity(self):
        """Units the popup takes serials for."""
        return self._get_serial_quantity()

    def _get_serial_quantity(self):
        """Units of the product this move processes, each needing a serial."""
        self.ensure_one()
        return int(round(self.product_qty))

    def _get_serial_names(self):
        """Serial numbers on the move lines of this move, in line order."""
        self.ensure_one()
        return [
            ml.lot_id.name or ml.lot_name for ml in self.move_line_ids if ml.lot_id or ml.lot_name
        ]

    def _serial_uses_lot_names(self):
        """True when this move may carry new serials as names, created at validation (as
        receipts do natively); otherwise its lines need existing lots."""
        self.ensure_one()
        return bool(self.picking_type_id.use_create_lots)

    def _serial_lots_for_names(self, names, create=True):
        """Map ``names`` to the lots of this move's product and company; with ``create``, make
        the missing ones in one batch."""
        self.ensure_one()
        Lot = self.env["stock.lot"]
        lots_by_name = Lot._serial_by_names(self.product_id, self.company_id, names)
        if create:
            lots_by_name = Lot._serial_create_missing(
                self.product_id, self.company_id, names, lots_by_name
            )
        return lots_by_name

    def _prepare_serial_move_line_vals(self, names, lots_by_name, base_vals=None):
        """Values of one move line per serial: quantity 1 of the product's unit.

        The destination comes from the putaway rules once for the whole move rather than once
        per unit.
        """
        self.ensure_one()
        if base_vals is None:
            base_vals = self._prepare_serial_base_vals()
        base_vals = dict(base_vals, quantity=1, product_uom_id=self.product_id.uom_id.id)
        # Where the operation shows serials as text (receipts), the text shows known ones too.
        show_names = self._serial_uses_lot_names()
        vals_list = []
        for name in names:
            lot = lots_by_name.get(name)
            if lot:
                vals_list.append(dict(base_vals, lot_id=lot.id, lot_name=show_names and name))
            else:
                vals_list.append(dict(base_vals, lot_id=False, lot_name=name))
        return vals_list

    def _prepare_serial_base_vals(self):
        """Values shared by this move's lines of one unit: Odoo's line values, the destination
        from the putaway rules."""
        base_vals = self._prepare_move_line_vals()
        base_vals["location_dest_id"] = self.location_dest_id._get_putaway_strategy(
            self.product_id, quantity=1
        ).id
        return base_vals

    def _set_serial_names(self, names):
        """Make the move lines of this move exactly one per serial of ``names``, in that order.

        Lines already holding one of the serials are kept as they are; other lines (with
        another serial, or none) are removed; the rest are created in one batch.
        """
        self.ensure_one()
        wanted = set(names)
        keep = self.move_line_ids.filtered(lambda ml: (ml.lot_id.name or ml.lot_name) in wanted)
        kept_names = set(keep.lot_id.mapped("name")) | set(keep.mapped("lot_name"))
        new_names = [name for name in names if name not in kept_names]
        lots_by_name = self._serial_lots_for_names(
            new_names, create=not self._serial_uses_lot_names()
        )
        (self.move_line_ids - keep).unlink()
        # Prepared and created a thousand at a time: the values of tens of thousands of lines
        # made in one call are all held in memory at once (about 3 kB a line).
        base_vals = self._prepare_serial_base_vals()
        ids = []
        for chunk in split_every(LINES_PER_CREATE, new_names):
            vals_list = self._prepare_serial_move_line_vals(chunk, lots_by_name, base_vals)
            ids += self.env["stock.move.line"].create(vals_list).ids
        return self.env["stock.move.line"].browse(ids)
