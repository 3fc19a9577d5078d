# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import Command, _, fields, models
from odoo.exceptions import UserError

# Where a unit goes when it leaves the company: the moves the location rule always covers.
SERIAL_LEAVING_USAGES = ("customer", "supplier")


class StockMove(models.Model):
    _inherit = "stock.move"

    serial_restrict_lot_ids = fields.Many2many(
        "stock.lot",
        "stock_move_serial_restrict_rel",
        "move_id",
        "lot_id",
        string="Chosen Serials",
        copy=False,
        check_company=True,
        help="Serials chosen on the sales line: the move reserves these units and no other.",
    )

    def _update_reserved_quantity(
        self, need, location_id, lot_id=None, package_id=None, owner_id=None, strict=True
    ):
        if self.product_id.tracking == "serial":
            if self.serial_restrict_lot_ids:
                # (What an earlier step brought but is not a chosen serial is not reserved.)
                self = self.with_context(
                    serial_restrict_lot_ids=frozenset(self.serial_restrict_lot_ids.ids)
                )
            else:
                # Serials chosen on a sales line are kept for it.
                self = self.with_context(serial_exclude_chosen=True)
        return super()._update_reserved_quantity(
            need,
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )

    def _prepare_move_split_vals(self, qty):
        vals = super()._prepare_move_split_vals(qty)
        if self.serial_restrict_lot_ids:
            # The backorder still reserves the chosen serials not delivered yet.
            vals["serial_restrict_lot_ids"] = [Command.set(self.serial_restrict_lot_ids.ids)]
        return vals

    def _prepare_merge_moves_distinct_fields(self):
        return super()._prepare_merge_moves_distinct_fields() + ["serial_restrict_lot_ids"]

    def _action_cancel(self):
        result = super()._action_cancel()
        # A sales line whose deliveries are all closed gives back the serials it never shipped.
        self.sale_line_id._serial_release_unshipped()
        return result

    def _prepare_procurement_values(self):
        values = super()._prepare_procurement_values()
        if self.serial_restrict_lot_ids:
            values["serial_restrict_lot_ids"] = [Command.set(self.serial_restrict_lot_ids.ids)]
        return values

    def _serial_upstream_moves(self):
        """Every move feeding these ones, step by step (pack, pick, ...)."""
        upstream = self.env["stock.move"]
        frontier = self.move_orig_ids
        while frontier:
            upstream |= frontier
            frontier = frontier.move_orig_ids - upstream
        return upstream

    def _serial_sale_line(self):
        """The sales line this move serves: its own, or that of the delivery it feeds."""
        self.ensure_one()
        move, seen = self, set()
        while move and not move.sale_line_id and move.id not in seen:
            seen.add(move.id)
            move = move.move_dest_ids[:1]
        return move.sale_line_id

    def _action_assign(self, force_qty=False):
        with self.env["serial.status"].batch(self.move_line_ids.lot_id):
            result = super()._action_assign(force_qty=force_qty)
            self._serial_fill_expected()
        return result

    def _action_done(self, cancel_backorder=False):
        self._check_serial_source_locations()
        self._check_serial_returns()
        moves = self
        # Backorders are filled with the announced serials once the receipt's own are known.
        self = self.with_context(serial_fill_later=True)
        # Lines Odoo drops at validation (not picked) release their serials too.
        with self.env["serial.status"].batch(moves.move_line_ids.lot_id):
            done_moves = super()._action_done(cancel_backorder=cancel_backorder)
            done_moves = done_moves.with_env(moves.env)
            # Units back from a customer are free to be sold again. sudo: that link is derived
            # data of the units just moved; whoever validates the return (a shop's POS user)
            # need not be allowed to write serials.
            done_moves.filtered(
                lambda m: m.location_id.usage == "customer" and m.origin_returned_move_id
            ).move_line_ids.lot_id.filtered("sale_line_id").sudo()._serial_derived().write(
                {"sale_line_id": False}
            )
            self.env["serial.status"].touch((moves | done_moves).exists().move_line_ids.lot_id)
        (moves | done_moves).exists().sale_line_id._serial_release_unshipped()
        # Units that arrived with other serials than the announced ones replace them.
        purchase_lines = done_moves.filtered(
            lambda m: m.location_id.usage == "supplier"
        ).purchase_line_id
        purchase_lines._serial_trim_expected(
            _("other serials arrived in their place"), replaced=True
        )
        purchase_lines.move_ids.with_env(moves.env)._serial_fill_expected()
        return done_moves

    def _do_unreserve(self):
        with self.env["serial.status"].batch(self.move_line_ids.lot_id):
            return super()._do_unreserve()

    def _check_serial_source_locations(self):
        """A serial cannot leave a location it is not in. A serial that is in no location yet
        may name, at delivery, a loose unit counted there without serial (as Odoo allows).

        The rule covers what the company's ``serial_source_check`` says: by default units leaving
        the company (to a customer or a vendor); moves Odoo deliberately lets take a unit that is
        not recorded there (consumption in production, by-products, unbuild, subcontracting,
        internal transfers, scraps) are checked only when the company extends the rule."""
        lines = self.move_line_ids.filtered(
            lambda ml: (
                ml.lot_id
                and ml.product_id.tracking == "serial"
                and ml.location_id.usage == "internal"
                and ml.state not in ("done", "cancel")
                and ml.quantity > 0
                and (
                    ml.location_dest_id.usage in SERIAL_LEAVING_USAGES
                    or ml.company_id.serial_source_check == "all"
                )
            )
        )
        # Odoo drops the lines that are not picked when some lines of the move are.
        lines = lines.filtered(
            lambda ml: ml.picked or not any(ml.move_id.move_line_ids.mapped("picked"))
        )
        if not lines:
            return
        Quant = self.env["stock.quant"]
        locations_of = defaultdict(lambda: self.env["stock.location"])
        for lot, location in Quant._read_group(
            [("lot_id", "in", lines.lot_id.ids), ("quantity", ">", 0)],
            ["lot_id", "location_id"],
        ):
            locations_of[lot] |= location
        # Units without serial, by where Odoo takes them from: product, location, package, owner.
        unnamed = {
            (product, location, package, owner): quantity
            for product, location, package, owner, quantity in Quant._read_group(
                [
                    ("product_id", "in", lines.product_id.ids),
                    ("lot_id", "=", False),
                    ("quantity", ">", 0),
                    ("location_id", "in", lines.location_id.ids),
                ],
                ["product_id", "location_id", "package_id", "owner_id"],
                ["quantity:sum"],
            )
        }
        errors = []
        for line in lines:
            held = locations_of[line.lot_id]
            if any(
                location.parent_path.startswith(line.location_id.parent_path) for location in held
            ):
                continue
            key = (line.product_id, line.location_id, line.package_id, line.owner_id)
            if not held and unnamed.get(key, 0) >= 1:
                unnamed[key] -= 1  # this line takes one of them
                continue
            errors.append(
                _(
                    "%(serial)s of %(product)s is not at %(location)s (%(where)s).",
                    serial=line.lot_id.name,
                    product=line.product_id.display_name,
                    location=line.location_id.display_name,
                    where=_("it is at %(places)s", places=", ".join(held.mapped("display_name")))
                    if held
                    else _("it is in no location, and no unit there is without serial"),
                )
            )
        if errors:
            raise UserError(
                _(
                    "These serial numbers cannot leave from there:\n%(errors)s",
                    errors="\n".join(errors),
                )
            )

    # ------------------------------------------------------------------
    # Serials announced on purchase lines
    # ------------------------------------------------------------------

    def _serial_fill_expected(self):
        """Put the serials announced on the purchase lines on the receipt lines still without
        serial, one per unit, in the order they were announced (at confirmation, on backorders,
        and when the announced serials change)."""
        if self.env.context.get("serial_fill_later"):
            return
        moves = self.filtered(
            lambda m: (
                m.purchase_line_id
                and m.product_id.tracking == "serial"
                and m.location_id.usage == "supplier"
                and m.state not in ("draft", "done", "cancel")
            )
        )
        if not moves:
            return
        # sudo: a buyer confirming the order fills its receipt without reading serials.
        moves = moves.sudo()
        expected = (
            self.env["stock.lot"]
            .sudo()
            .search(
                [
                    ("purchase_line_id", "in", moves.purchase_line_id.ids),
                    ("company_id", "in", moves.company_id.ids),
                    ("serial_state", "=", "expected"),
                ],
                order="id",
            )
        )
        if not expected:
            return
        # Serials already on an open line (by serial, or by name typed at the receipt) are
        # where the user put them.
        taken_ids = expected._serial_on_open_line_ids()
        open_lines = moves.move_line_ids.filtered(lambda ml: ml.state not in ("done", "cancel"))
        typed = set(open_lines.filtered(lambda ml: not ml.lot_id).mapped("lot_name"))
        free_by_line = defaultdict(list)
        for lot in expected:
            if lot.id not in taken_ids and lot.name not in typed:
                free_by_line[lot.purchase_line_id, lot.product_id].append(lot)
        to_replace = self.env["stock.move.line"].sudo()
        vals_list = []
        for move in moves:
            free = free_by_line[move.purchase_line_id, move.product_id]
            empty = move.move_line_ids.filtered(
                lambda ml: (
                    not ml.lot_id
                    and not ml.lot_name
                    and ml.state not in ("done", "cancel")
                    and ml.quantity_product_uom == 1
                )
            )
            count = min(len(free), len(empty))
            if not count:
                continue
            lots, free[:] = free[:count], free[count:]
            show_names = move._serial_uses_lot_names()
            # Each line Odoo made for a unit is made again, with its own values, the named
            # units first (as on the order), then those still without serial.
            for line, lot in zip(empty, lots + [None] * (len(empty) - count), strict=True):
                vals_list.append(
                    self.env["stock.move.line"]._serial_unit_values(
                        move.product_id,
                        line.location_id,
                        line.location_dest_id,
                        lot,
                        move_id=move.id,
                        picking_id=line.picking_id.id,
                        company_id=line.company_id.id,
                        result_package_id=line.result_package_id.id,
                        package_level_id=line.package_level_id.id,
                        owner_id=line.owner_id.id,
                        picked=line.picked,
                        lot_name=lot and show_names and lot.name,
                    )
                )
            to_replace |= empty
        if vals_list:
            to_replace.unlink()
            self.env["stock.move.line"].sudo().create(vals_list)

    def _serial_is_tracked_return(self):
        """A return from a customer of what was delivered to them, or to a vendor of what was
        received from them, of a serial-tracked product."""
        self.ensure_one()
        origin = self.origin_returned_move_id
        return bool(
            origin
            and self.product_id.tracking == "serial"
            and (
                (
                    self.location_dest_id.usage == "supplier"
                    and origin.location_id.usage == "supplier"
                )
                or (
                    self.location_id.usage == "customer"
                    and origin.location_dest_id.usage == "customer"
                )
            )
        )

    def _serial_return_went_out(self):
        """The serials of the product that went out on the transfer this return returns (its
        moves may be split or merged differently from the return's)."""
        self.ensure_one()
        origin = self.origin_returned_move_id
        origin_lines = origin.picking_id.move_line_ids or origin.move_line_ids
        return origin_lines.filtered(
            lambda ml: ml.state == "done" and ml.product_id == self.product_id
        ).lot_id

    def _check_serial_returns(self):
        """A return takes back only serials that went out on the transfer it returns: to the
        vendor, those received on the receipt; from a customer, those delivered to them."""
        moves = self.filtered(lambda m: m._serial_is_tracked_return())
        errors = []
        for move in moves:
            origin = move.origin_returned_move_id
            went_out = set(move._serial_return_went_out().ids)
            lines = move.move_line_ids.filtered(lambda ml: ml.quantity > 0)
            if any(lines.mapped("picked")):
                lines = lines.filtered("picked")
            for line in lines.filtered(lambda ml, went_out=went_out: ml.lot_id.id not in went_out):
                errors.append(
                    _(
                        "%(serial)s of %(product)s was not %(what)s on %(transfer)s.",
                        serial=line.lot_id.name or line.lot_name or _("A unit without serial"),
                        product=move.product_id.display_name,
                        what=_("received")
                        if move.location_dest_id.usage == "supplier"
                        else _("delivered"),
                        transfer=origin.picking_id.name or origin.reference,
                    )
                )
        if errors:
            raise UserError(
                _(
                    "A return takes back only the serials that went out on the transfer it "
                    "returns:\n%(errors)s",
                    errors="\n".join(errors),
                )
            )
