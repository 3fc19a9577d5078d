# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the serial popup (``serial.entry.wizard``) is opened on: its target.

The popup reads the text, parses it, looks the serials up and previews them; the target says
which serials it can take and what applying them does. A target is a document (a move, a
purchase or sales order line; a bridge add-on's manufacturing order, count or order) or an
operation without a document of its own (scrap, adjust out, installed base, stock on hand: the
``serial.entry.*`` models of ``wizards/serial_entry_operations.py``).

A target inherits ``serial.entry.target`` and implements:

- ``_check_serial_entry_allowed()``: raise a UserError where the popup may not open or apply.
- ``_serial_entry_defaults(values)``: the popup's values (``mode``, product, quantity, the
  serials already there as ``serial_text``, location...).
- ``_serial_entry_invalid(entry, names, lots, in_stock)``: ``{serial: reason}`` for the entered
  serials it cannot take.
- ``_serial_entry_errors(entry, analysis)``: other reasons the entry cannot be applied.
- ``_serial_entry_apply(entry, analysis)``: write the serials, in one batch; may return the
  next action.

and may set ``_serial_entry_counts_quantity`` (the popup counts the entry against a number of
units) and ``_serial_entry_mode`` (an operation: the popup's ``mode`` that opens it). The popup
is opened with ``serial.entry.wizard._action_open(title, {"default_target_model": model,
"default_target_id": id})``.
"""

from odoo import _, api, models
from odoo.exceptions import UserError


class SerialEntryTarget(models.AbstractModel):
    _name = "serial.entry.target"
    _description = "Serial Popup Target"

    _serial_entry_counts_quantity = True
    _serial_entry_mode = None

    def _check_serial_entry_allowed(self):
        return True

    def _serial_entry_defaults(self, values):
        return {}

    def _serial_entry_invalid(self, entry, names, lots, in_stock):
        return {}

    def _serial_entry_errors(self, entry, analysis):
        return []

    def _serial_entry_apply(self, entry, analysis):
        raise NotImplementedError

    def _serial_entry_known_label(self):
        """How the preview calls a serial that exists already."""
        return _("Existing")

    def _serial_entry_counts(self, entry):
        """Whether the popup counts the entry against its number of units."""
        return self._serial_entry_counts_quantity

    def _serial_entry_available(self, entry, lots):
        """Those of ``lots`` (serials in stock) the target may take from the popup's
        location."""
        return lots._serial_available_in(entry.location_id)

    def _serial_entry_oldest(self, entry, count, exclude_names):
        """The ``count`` serials received first among those the target may take from the
        popup's location (also those its own delivery reserved), but ``exclude_names``: checked
        for availability a chunk at a time."""
        groups = self.env["stock.quant"]._read_group(
            [
                ("product_id", "=", entry.product_id.id),
                ("location_id", "child_of", entry.location_id.id),
                ("location_id.usage", "=", "internal"),
                ("lot_id", "!=", False),
                ("quantity", ">", 0),
            ],
            ["lot_id"],
        )
        candidates = self.env["stock.lot"].search(
            [
                ("id", "in", [lot.id for (lot,) in groups]),
                ("name", "not in", exclude_names),
                ("serial_state", "in", ("in_stock", "reserved")),
            ],
            order="serial_receipt_date, name, id",
        )
        picked = self.env["stock.lot"]
        chunk = max(count * 2, 100)
        for start in range(0, len(candidates), chunk):
            picked |= self._serial_entry_available(entry, candidates[start : start + chunk])
            if len(picked) >= count:
                break
        return picked[:count]

    def _get_serial_entry_quantity(self):
        """Units the popup takes serials for (targets that count them)."""
        return 0

    # ------------------------------------------------------------------
    # What targets share
    # ------------------------------------------------------------------

    @api.model
    def _serial_state_label(self, lot):
        return dict(lot._fields["serial_state"]._description_selection(self.env)).get(
            lot.serial_state, ""
        )

    @api.model
    def _serial_entry_unknown(self, entry, name):
        return _(
            "%(serial)s is not a serial number of %(product)s in %(company)s.",
            serial=name,
            product=entry.product_id.display_name,
            company=entry.company_id.name,
        )

    @api.model
    def _serial_entry_in_stock(self, entry, in_stock):
        """New units: a serial already in stock cannot come in again."""
        return {
            name: _(
                "the serial number %(serial)s of %(product)s is already in stock at %(location)s.",
                serial=name,
                product=entry.product_id.display_name,
                location=quant.location_id.display_name,
            )
            for name, quant in in_stock.items()
        }

    def _serial_entry_unavailable(self, entry, names, lots, available):
        """Units taken from stock: each must be a known serial among ``available``."""
        invalid = {}
        available_ids = set(available.ids)  # (a recordset's "in" reads all its ids each time)
        for name in names:
            lot = lots.get(name)
            if not lot:
                invalid[name] = self._serial_entry_unknown(entry, name)
            elif lot.id not in available_ids:
                invalid[name] = _(
                    "%(serial)s of %(product)s is not available in %(location)s (%(where)s).",
                    serial=name,
                    product=entry.product_id.display_name,
                    location=entry.location_id.display_name,
                    where=lot._serial_where(),
                )
        return invalid

    def _serial_entry_too_many(self, entry, analysis, what):
        count = len(analysis["names"])
        quantity = entry.quantity  # what the popup shows; apply checks the target's own
        if count <= quantity:
            return []
        return [
            _(
                "%(count)s serial numbers are entered but only %(quantity)s units of "
                "%(product)s are %(what)s: remove %(extra)s.",
                count=count,
                quantity=quantity,
                product=entry.product_id.display_name,
                what=what,
                extra=count - quantity,
            )
        ]

    def _serial_entry_check_fits(self, entry, analysis):
        """At apply, the document itself (not the values the popup was given) says how many
        serials of which product it takes."""
        quantity = self._get_serial_entry_quantity()
        if self.product_id != entry.product_id or len(analysis["names"]) > quantity:
            raise UserError(
                _(
                    "%(document)s is for %(quantity)s units of %(product)s: the entry does not "
                    "fit it.",
                    document=self._serial_entry_reference(),
                    quantity=quantity,
                    product=self.product_id.display_name,
                )
            )

    def _serial_entry_reference(self):
        return self.display_name

    @api.model
    def _serial_entry_done_action(self, message, move_lines):
        """After an operation: a confirmation, then the moves it made (Moves History)."""
        history = self.env["ir.actions.act_window"]._for_xml_id("stock.stock_move_line_action")
        history.update(
            domain=[("id", "in", move_lines.ids)],
            context={"create": 0},
            name=message,
            target="current",
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"title": message, "message": "", "type": "success", "next": history},
        }

    @api.model
    def _serial_entry_lots(self, analysis):
        """The entered serials' lots, in the order entered."""
        return self.env["stock.lot"].union(*(analysis["lots"][name] for name in analysis["names"]))
