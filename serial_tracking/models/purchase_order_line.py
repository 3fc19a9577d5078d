from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .serial_rules import check_whole_units, whole_units_quantity


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    serial_ids = fields.One2many(
        "stock.lot",
        "purchase_line_id",
        string="Serial Numbers",
        help="Serials of this line: announced by the vendor (expected), then received.",
    )
    serial_product_tracking = fields.Selection(
        related="product_id.tracking", string="Product Tracking"
    )
    serial_count = fields.Integer(compute="_compute_serial_count")
    serial_count_label = fields.Char(compute="_compute_serial_count", string="Serials")

    @api.depends("serial_ids", "product_qty", "product_uom", "product_id.tracking")
    def _compute_serial_count(self):
        for line in self:
            line.serial_count = len(line.serial_ids)
            line.serial_count_label = (
                _(
                    "%(count)s / %(quantity)s serials",
                    count=line.serial_count,
                    quantity=line._get_serial_quantity(),
                )
                if line.product_id.tracking == "serial"
                else False
            )

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
        result = super().write(vals)
        if {"product_qty", "product_uom"} & set(vals):
            self._serial_trim_expected()
        return result

    def unlink(self):
        # Before the lines go: their serials still say which order to tell. Should Odoo refuse
        # to delete the lines, the whole operation is rolled back, the serials with it.
        self.order_id._serial_remove_expected(self.serial_ids, _("their order line was deleted"))
        return super().unlink()

    # ------------------------------------------------------------------
    # The serial popup on the line
    # ------------------------------------------------------------------

    def _get_serial_quantity(self):
        """Ordered units in the product's unit, each needing a serial."""
        self.ensure_one()
        if not self.product_id:
            return 0
        return int(
            round(self.product_uom._compute_quantity(self.product_qty, self.product_id.uom_id))
        )

    def _check_serial_entry_allowed(self):
        if not self.env.user.has_group("stock.group_stock_user"):
            raise AccessError(
                _(
                    "Entering serial numbers needs access to Inventory (User): ask an "
                    "administrator to give it to %(user)s.",
                    user=self.env.user.name,
                )
            )
        for line in self:
            if line.product_id.tracking != "serial":
                raise UserError(
                    _(
                        "%(product)s on %(order)s is not tracked by serial number.",
                        product=line.product_id.display_name or line.name,
                        order=line.order_id.name,
                    )
                )
            if line.order_id.state in ("done", "cancel"):
                raise UserError(
                    _(
                        "The serial numbers of %(product)s on %(order)s can no longer be "
                        "changed: the order is %(state)s.",
                        product=line.product_id.display_name,
                        order=line.order_id.name,
                        state=dict(line.order_id._fields["state"]._description_selection(self.env))[
                            line.order_id.state
                        ].lower(),
                    )
                )

    def action_open_serial_entry(self):
        """Open the serial popup for the units of this line: the serials the vendor announced."""
        self.ensure_one()
        self._check_serial_entry_allowed()
        self.check_access("write")
        return self.env["serial.entry.wizard"]._action_open(
            _("Serial Numbers: %(product)s", product=self.product_id.display_name),
            {"default_purchase_line_id": self.id, "default_mode": "purchase"},
        )

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
            self.env["stock.lot"].create(
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

    def _serial_trim_expected(self, reason=None):
        """A line never holds more serials than units ordered. When it is reduced, or when
        units arrive with serials other than the announced ones, expected serials that never
        moved are dropped: first those no receipt line names any more, then the last
        announced. (Received ones stay: Odoo refuses to go below the received quantity.)"""
        lines = self.filtered(lambda line: line.product_id.tracking == "serial")
        expected = lines.serial_ids.filtered(lambda lot: lot.serial_state == "expected")
        if not expected:
            return
        on_open_lines = {
            lot.id
            for (lot,) in self.env["stock.move.line"]._read_group(
                [("lot_id", "in", expected.ids), ("state", "not in", ("done", "cancel"))],
                ["lot_id"],
            )
        }
        to_remove = self.env["stock.lot"]
        for line in lines:
            surplus = len(line.serial_ids) - line._get_serial_quantity()
            if surplus > 0:
                candidates = line.serial_ids.filtered(
                    lambda lot: lot.serial_state == "expected"
                ).sorted(lambda lot: (lot.id in on_open_lines, -lot.id))
                to_remove |= candidates[:surplus]
        if to_remove:
            self.order_id._serial_remove_expected(
                to_remove, reason or _("the ordered quantity was reduced")
            )
            lines.move_ids._serial_fill_expected()


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    def button_cancel(self):
        result = super().button_cancel()
        lots = self.order_line.serial_ids.filtered(lambda lot: lot.serial_state == "expected")
        self._serial_remove_expected(lots, _("the order was cancelled"))
        return result

    def _serial_remove_expected(self, lots, reason):
        """Delete announced serials that never moved, say so on their orders, and leave the
        receipt lines that named them without serial (the units are still due)."""
        lots = lots.filtered(lambda lot: lot.serial_state == "expected").exists()
        if not lots:
            return
        open_lines = self.env["stock.move.line"].search(
            [("lot_id", "in", lots.ids), ("state", "!=", "done")]
        )
        open_lines.write({"lot_id": False, "lot_name": False})
        for order in self:
            order_lots = lots.filtered(
                lambda lot, order=order: lot.purchase_line_id.order_id == order
            )
            if order_lots:
                order.message_post(
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
                    )
                )
        lots.unlink()
