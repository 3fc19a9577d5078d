# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.serial_parser import serials_to_text
from .serial_rules import check_whole_units, whole_units_quantity


class PurchaseOrderLine(models.Model):
    _name = "purchase.order.line"
    _inherit = ["purchase.order.line", "serial.order.line.mixin"]
    _serial_open_states = ("draft", "sent", "to approve", "purchase")
    _serial_quantity_field = "product_qty"

    serial_ids = fields.One2many(
        "stock.lot",
        "purchase_line_id",
        string="Serial Numbers",
        help="Serials of this line: announced by the vendor (expected), then received.",
    )
    serial_product_tracking = fields.Selection(
        related="product_id.tracking", string="Product Tracking"
    )
    serial_count = fields.Integer(compute="_compute_serial_count", compute_sudo=True)
    serial_count_label = fields.Char(
        compute="_compute_serial_count", compute_sudo=True, string="Serials"
    )

    serial_names = fields.Text(
        string="Serial Numbers Text",
        compute="_compute_serial_names",
        compute_sudo=True,
        help="The serials of this line (announced, then received), for everyone who can read "
        "the order, e.g. on its printout.",
    )

    @api.depends("serial_ids.name")
    def _compute_serial_names(self):
        for line in self:
            line.serial_names = ", ".join(line.serial_ids.sorted("id").mapped("name")) or False

    @api.constrains("product_id", "product_qty", "product_uom")
    def _check_serial_whole_units(self):
        check_whole_units(
            self, "product_qty", "product_uom", lambda line: line.order_id.name or line.name
        )

    @api.model
    def _prepare_purchase_order_line(
        self, product_id, product_qty, product_uom, company_id, supplier, po
    ):
        # Replenishment buys in the purchase unit: a serial product is bought in quantities
        # holding whole units (5 units in dozens: half a dozen, not 0.42).
        vals = super()._prepare_purchase_order_line(
            product_id, product_qty, product_uom, company_id, supplier, po
        )
        uom = self.env["uom.uom"].browse(vals["product_uom"])
        vals["product_qty"] = whole_units_quantity(product_id, uom, vals["product_qty"])
        return vals

    def write(self, vals):
        if "product_id" in vals:
            changed = self.filtered(lambda line: line.product_id.id != vals["product_id"])
            changed.order_id._serial_remove_expected(
                changed.sudo().serial_ids, _("the product of their line changed")
            )
        result = super().write(vals)
        if {"product_qty", "product_uom"} & set(vals):
            self._serial_trim_expected()
        return result

    def unlink(self):
        # Before the lines go: their serials still say which order to tell. Should Odoo refuse
        # to delete the lines, the whole operation is rolled back, the serials with it.
        lots = self.sudo().serial_ids
        if self.env.context.get("serial_merging"):
            # Merging requests for quotation: the serials go to the line that takes the units.
            lots = self._serial_move_to_siblings(lots)
        self.order_id._serial_remove_expected(lots, _("their order line was deleted"))
        return super().unlink()

    def _merge_po_line(self, rfq_line):
        result = super()._merge_po_line(rfq_line)
        rfq_line.sudo().serial_ids.write({"purchase_line_id": self.id})
        return result

    def _serial_move_to_siblings(self, lots):
        """Give the expected ``lots`` of these lines to another line of the same order and
        product; return those that found none."""
        left = self.env["stock.lot"].sudo()
        for line in self:
            sibling = line.order_id.order_line.filtered(
                lambda other, line=line: other not in self and other.product_id == line.product_id
            )[:1]
            line_lots = lots.filtered(lambda lot, line=line: lot.purchase_line_id == line)
            if sibling:
                line_lots._serial_derived().write({"purchase_line_id": sibling.id})
            else:
                left |= line_lots
        return left

    # ------------------------------------------------------------------
    # The serial popup on the line
    # ------------------------------------------------------------------

    def _check_serial_entry_allowed(self):
        self._check_serial_line_allowed(self._serial_open_states, _("Entering"))

    def action_open_serial_entry(self):
        """Open the serial popup for the units of this line: the serials the vendor announced."""
        return self._action_open_serial_popup()

    def _serial_entry_defaults(self, values):
        names = self.serial_ids.sorted("id").mapped("name")
        return dict(
            super()._serial_entry_defaults(values),
            mode="purchase",
            serial_text=serials_to_text(names),
            generate_count=max(self._get_serial_quantity() - len(names), 0),
        )

    def _serial_entry_invalid(self, entry, names, lots, in_stock):
        """A serial of the product that exists already belongs to another line or unit."""
        return {
            name: _(
                "the serial number %(serial)s of %(product)s already exists in %(company)s "
                "(%(state)s%(origin)s).",
                serial=name,
                product=self.product_id.display_name,
                company=entry.company_id.name,
                state=self._serial_state_label(lot) or _("no status"),
                origin=lot.purchase_order_id and ", %s" % lot.purchase_order_id.name or "",
            )
            for name, lot in lots.items()
            if lot.purchase_line_id != self
        }

    def _serial_entry_errors(self, entry, analysis):
        errors = self._serial_entry_too_many(entry, analysis, _("ordered"))
        entered = set(analysis["names"])
        for lot in self.serial_ids:
            if lot.serial_state != "expected" and lot.name not in entered:
                errors.append(
                    _(
                        "%(serial)s was received already (%(state)s): it stays on the line; "
                        "only expected serials can be removed.",
                        serial=lot.name,
                        state=self._serial_state_label(lot).lower(),
                    )
                )
        return errors

    def _serial_entry_apply(self, entry, analysis):
        self._serial_entry_check_fits(entry, analysis)
        self._set_serial_names(analysis["names"])

    def _set_serial_names(self, names):
        """Make the serials of this line exactly ``names``: new ones are created expected (in
        the order's company), announced ones no longer named are removed, received ones stay."""
        self.ensure_one()
        current = {lot.name: lot for lot in self.serial_ids}
        wanted = set(names)
        removed = self.serial_ids.filtered(lambda lot: lot.name not in wanted)
        received = removed.filtered(lambda lot: lot.serial_state != "expected")
        if received:
            raise UserError(
                _(
                    "%(serials)s of %(product)s on %(order)s were received already: they stay on "
                    "the line.",
                    serials=", ".join(received.mapped("name")),
                    product=self.product_id.display_name,
                    order=self.order_id.name,
                )
            )
        self.order_id._serial_remove_expected(removed, _("they were removed from the line"))
        new_names = [name for name in names if name not in current]
        if new_names:
            self.env["stock.lot"]._serial_derived().create(
                [
                    {
                        "name": name,
                        "product_id": self.product_id.id,
                        "company_id": self.company_id.id,
                        "purchase_line_id": self.id,
                        "serial_announced": True,
                    }
                    for name in new_names
                ]
            )
        self.move_ids._serial_fill_expected()

    def _serial_trim_expected(self, reason=None, replaced=False):
        """A line never expects more serials than units still due (ordered minus received).
        When it is reduced, or when units arrive with serials other than the announced ones
        (``replaced``), expected serials that never moved are dropped: first those no open
        receipt line names, then the others; the last announced first, or, for replaced ones,
        the first announced first (receipts take them in that order)."""
        lines = self.filtered(lambda line: line.product_id.tracking == "serial")
        expected = lines.sudo().serial_ids.filtered(lambda lot: lot.serial_state == "expected")
        if not expected:
            return
        on_open_lines = expected._serial_on_open_line_ids()
        to_remove = self.env["stock.lot"].sudo()
        for line in lines:
            line_expected = expected.filtered(lambda lot, line=line: lot.purchase_line_id == line)
            received = line.product_uom._compute_quantity(line.qty_received, line.product_id.uom_id)
            due = max(line._get_serial_quantity() - int(round(received)), 0)
            surplus = len(line_expected) - due
            if surplus > 0:
                to_remove |= line_expected.sorted(
                    lambda lot: (lot.id in on_open_lines, lot.id if replaced else -lot.id)
                )[:surplus]
        if to_remove:
            self.order_id._serial_remove_expected(
                to_remove, reason or _("the ordered quantity was reduced")
            )
            lines.move_ids._serial_fill_expected()


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    def button_cancel(self):
        result = super().button_cancel()
        lots = self.order_line.sudo().serial_ids.filtered(
            lambda lot: lot.serial_state == "expected"
        )
        self._serial_remove_expected(lots, _("the order was cancelled"))
        return result

    def action_merge(self):
        self = self.with_context(serial_merging=True)
        return super().action_merge()

    def _serial_remove_expected(self, lots, reason):
        """Delete announced serials that never moved, say so on their orders, and leave the
        receipt lines that named them without serial (the units are still due)."""
        # sudo: buyers and clerks alike change orders and receipts; the serials follow.
        lots = lots.sudo().filtered(lambda lot: lot.serial_state == "expected").exists()
        if not lots:
            return
        open_lines = (
            self.env["stock.move.line"]
            .sudo()
            .search([("lot_id", "in", lots.ids), ("state", "!=", "done")])
        )
        open_lines.write({"lot_id": False, "lot_name": False})
        for order in self:
            order_lots = lots.filtered(
                lambda lot, order=order: lot.purchase_line_id.order_id == order
            )
            if order_lots:
                order.sudo()._message_log(
                    author_id=self.env.user.partner_id.id,
                    body=Markup("%s<br/>%s")
                    % (
                        _(
                            "Expected serial numbers removed because %(reason)s:",
                            reason=reason,
                        ),
                        ", ".join(
                            "%s (%s)" % (lot.name, lot.product_id.display_name)
                            for lot in order_lots
                        ),
                    ),
                )
        lots.unlink()
