# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The add-on's fast paths, in one place.

Contract: a fast path changes how many steps an Odoo operation takes, never what it does. It
runs inside Odoo's own method, after ``super()``'s own checks, through Odoo's extension points:
every override of these methods, by any module loaded before or after this one, still runs, and
the records that result are those Odoo's own way gives. The context key ``serial_one_by_one``
switches every fast path off (``tests/test_fast_paths.py`` runs each scenario both ways and
compares quants, move lines, valuation and serials; ``tests/test_fast_path_overrides.py`` checks
that overrides of the methods below still run).

Reserving serials. Odoo's ``stock.move._update_reserved_quantity`` takes the quants to reserve
(``stock.quant._get_reserve_quantity``) and, for a serial product, creates the move lines
``_add_serial_move_line_to_vals_list`` prepares, one quant at a time; each new line makes its
look for an updatable line longer, and each creation recomputes the move, so N serials take N²
steps. Here the lines Odoo prepared are held until its loop is over and created in one
``stock.move.line.create``, given the quants' cache Odoo's own validation uses: the same lines,
the same quants reserved, in the same order.

Validation has no fast path: ``stock.quant.create`` creates one quant at a time, and creating
them together would skip it (and every module's override of it).
"""

from odoo import models

# Move lines Odoo prepared for the reservation under way, by move id, on the cursor: added when
# the reservation starts, taken off when it ends.
_PENDING = "serial_tracking.reservation_lines"


class StockMove(models.Model):
    _inherit = "stock.move"

    def _update_reserved_quantity(
        self, need, location_id, lot_id=None, package_id=None, owner_id=None, strict=True
    ):
        pending = self.env.cr.cache.setdefault(_PENDING, {})
        holds = self._serial_holds_reservation_lines() and self.id not in pending
        if holds:
            pending[self.id] = []
        try:
            taken = super()._update_reserved_quantity(
                need,
                location_id,
                lot_id=lot_id,
                package_id=package_id,
                owner_id=owner_id,
                strict=strict,
            )
            vals_list = pending[self.id] if holds else []
        finally:
            if holds:
                del pending[self.id]
        if vals_list:
            self._serial_create_reservation_lines(vals_list)
        return taken

    def _serial_holds_reservation_lines(self):
        """Whether the move lines Odoo makes while reserving for this move are created together:
        serial products whose operation takes serials (where Odoo makes one line per unit)."""
        self.ensure_one()
        return (
            not self.env.context.get("serial_one_by_one")
            and self.product_id.tracking == "serial"
            and bool(self.picking_type_id.use_create_lots or self.picking_type_id.use_existing_lots)
        )

    def _add_serial_move_line_to_vals_list(self, reserved_quant, quantity):
        vals_list = super()._add_serial_move_line_to_vals_list(reserved_quant, quantity)
        pending = self.env.cr.cache.get(_PENDING, {}).get(self.id)
        if vals_list and pending is not None:
            pending.extend(vals_list)
            return []  # created once Odoo's loop is over
        return vals_list

    def _serial_create_reservation_lines(self, vals_list):
        """Create the move lines Odoo prepared while reserving for this move, in one batch:
        Odoo's creation reserves each line's quant, found in the quants' cache."""
        lines_lots = self.env["stock.lot"].browse(
            {vals["lot_id"] for vals in vals_list if vals.get("lot_id")}
        )
        locations = self.env["stock.location"].browse({vals["location_id"] for vals in vals_list})
        cache = self.env["stock.quant"]._get_quants_by_products_locations(
            self.product_id,
            locations,
            extra_domain=["|", ("lot_id", "in", lines_lots.ids), ("lot_id", "=", False)],
        )
        return self.env["stock.move.line"].with_context(quants_cache=cache).create(vals_list)
