# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from ..tools.serial_parser import serials_to_text
from .serial_rules import OPEN_ORDER_STATES, check_whole_units


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "serial.order.line.mixin"]
    _serial_open_states = OPEN_ORDER_STATES
    _serial_quantity_field = "product_uom_qty"

    serial_ids = fields.One2many(
        "stock.lot",
        "sale_line_id",
        string="Serial Numbers",
        help="Serials of this line: chosen for it (reserved), then delivered on it.",
    )
    serial_product_tracking = fields.Selection(
        related="product_id.tracking", string="Product Tracking"
    )
    serial_count = fields.Integer(compute="_compute_serial_count", compute_sudo=True)
    serial_count_label = fields.Char(
        compute="_compute_serial_count", compute_sudo=True, string="Serials"
    )
    # For the views, which cannot read OPEN_ORDER_STATES.
    serial_order_open = fields.Boolean(
        compute="_compute_serial_order_open",
        string="Serials Can Be Chosen",
        help="The order is in a state in which the serials of its lines can still be chosen.",
    )

    @api.depends("state")
    def _compute_serial_order_open(self):
        for line in self:
            line.serial_order_open = line.state in OPEN_ORDER_STATES

    @api.constrains("product_id", "product_uom_qty", "product_uom")
    def _check_serial_whole_units(self):
        check_whole_units(
            self, "product_uom_qty", "product_uom", lambda line: line.order_id.name or line.name
        )

    def _get_serial_chosen(self):
        """Serials chosen for these lines and not delivered yet (also those that became
        unavailable since, e.g. scrapped: confirmation names them). In sudo: sellers without
        Inventory rights confirm, change and cancel orders whose lines hold serials."""
        serial_lines = self.filtered(lambda line: line.product_id.tracking == "serial")
        return serial_lines.sudo().serial_ids.filtered(lambda lot: lot.serial_state != "delivered")

    def write(self, vals):
        if "product_id" in vals:
            changed = self.filtered(lambda line: line.product_id.id != vals["product_id"])
            changed.order_id._serial_release(
                changed._get_serial_chosen(), _("the product of their line changed")
            )
        result = super().write(vals)
        if {"product_uom_qty", "product_uom"} & set(vals):
            self._serial_trim_chosen()
        return result

    def _get_serial_entry_quantity(self):
        """Units the popup chooses serials for: those not delivered yet."""
        self.ensure_one()
        delivered = self.sudo().serial_ids.filtered(lambda lot: lot.serial_state == "delivered")
        return max(self._get_serial_quantity() - len(delivered), 0)

    def _serial_release_unshipped(self):
        """Lines whose deliveries are all done or cancelled give back the serials chosen for
        them that did not go out (delivered without backorder, backorder cancelled)."""
        to_release = self.env["stock.lot"].sudo()
        for line in self.filtered(lambda line: line.product_id.tracking == "serial"):
            moves = line.sudo().move_ids
            if not moves or any(move.state not in ("done", "cancel") for move in moves):
                continue
            shipped = moves.filtered(lambda m: m.state == "done").move_line_ids.lot_id
            to_release |= line._get_serial_chosen() - shipped
        if to_release:
            # Cancelling the order cancels its deliveries first: say why they were closed.
            reason = self.env.context.get("serial_release_reason")
            self.order_id._serial_release(
                to_release, reason or _("their deliveries were closed without them")
            )

    def unlink(self):
        self.order_id._serial_release(self._get_serial_chosen(), _("their line was deleted"))
        return super().unlink()

    def _serial_trim_chosen(self):
        """A line never holds more chosen serials than units still to deliver: the last chosen
        go back to stock."""
        to_release = self.env["stock.lot"].sudo()
        for line in self.filtered(lambda line: line.product_id.tracking == "serial"):
            surplus = len(line.sudo().serial_ids) - line._get_serial_quantity()
            if surplus > 0:
                to_release |= line._get_serial_chosen().sorted("id", reverse=True)[:surplus]
        if to_release:
            self.order_id._serial_release(to_release, _("the ordered quantity was reduced"))
            self._serial_update_deliveries()

    # ------------------------------------------------------------------
    # The selection popup on the line
    # ------------------------------------------------------------------

    def _check_serial_entry_allowed(self):
        self._check_serial_line_allowed(self._serial_open_states, _("Choosing"))

    def action_open_serial_entry(self):
        """Open the serial popup in selection mode: pick the exact units this line sells."""
        return self._action_open_serial_popup()

    def _serial_entry_defaults(self, values):
        return dict(
            super()._serial_entry_defaults(values),
            mode="sale",
            location_id=self._serial_location().id,
            serial_text=serials_to_text(self._get_serial_chosen().sorted("id").mapped("name")),
        )

    def _serial_entry_known_label(self):
        return _("Available")

    def _serial_entry_available(self, entry, lots):
        return lots._serial_available_in(entry.location_id, sale_line=self)

    def _serial_entry_invalid(self, entry, names, lots, in_stock):
        available = self._serial_entry_available(entry, self.env["stock.lot"].union(*lots.values()))
        return self._serial_entry_unavailable(entry, names, lots, available)

    def _serial_entry_errors(self, entry, analysis):
        return self._serial_entry_too_many(entry, analysis, _("ordered"))

    def _serial_entry_apply(self, entry, analysis):
        self._serial_entry_check_fits(entry, analysis)
        self._set_serial_lots(self._serial_entry_lots(analysis))

    def _serial_location(self):
        """Where the units of this line are taken from: the order's warehouse."""
        self.ensure_one()
        return self.order_id.warehouse_id.view_location_id

    def _set_serial_lots(self, lots):
        """Make the serials chosen for this line exactly ``lots`` (delivered ones stay)."""
        self.ensure_one()
        self._check_serial_already_picked(lots)
        chosen = self._get_serial_chosen()
        released = chosen - lots
        self.order_id._serial_release(released, _("they were removed from the line"))
        (lots - chosen)._serial_derived().write({"sale_line_id": self.id})
        self.env["serial.status"].touch(released | lots)
        self._serial_update_deliveries()

    def _check_serial_already_picked(self, lots):
        """Units an earlier step of the delivery (pick, pack) already took out of stock are
        the ones that ship: they cannot be swapped for others from here."""
        open_moves = self.sudo().move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
        upstream = open_moves._serial_upstream_moves()
        stock_path = self.order_id.warehouse_id.sudo().lot_stock_id.parent_path or "/"
        taken = upstream.filtered(
            lambda m: m.state == "done" and m.location_id.parent_path.startswith(stock_path)
        )
        missing = (
            taken.move_line_ids.lot_id.filtered(lambda lot: lot.serial_state != "delivered") - lots
        )
        if missing:
            raise UserError(
                _(
                    "%(serials)s of %(product)s already left stock on %(transfers)s for "
                    "%(order)s: keep them, or return them to stock there first.",
                    serials=", ".join(missing.mapped("name")),
                    product=self.product_id.display_name,
                    transfers=", ".join(taken.picking_id.mapped("name")),
                    order=self.order_id.name,
                )
            )

    def _serial_update_deliveries(self):
        """Open deliveries of these lines reserve exactly their chosen serials."""
        moves = self.sudo().move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
        # The steps before the delivery (pick, pack) take the units out of stock.
        moves |= moves._serial_upstream_moves().filtered(
            lambda m: m.state not in ("done", "cancel")
        )
        for line in self:
            line_moves = moves.filtered(lambda m, line=line: m._serial_sale_line() == line)
            line_moves.write(
                {"serial_restrict_lot_ids": [Command.set(line._get_serial_chosen().ids)]}
            )
        moves = moves.filtered(lambda m: m.state != "draft")
        if moves:
            moves._do_unreserve()
            moves._action_assign()

    def _prepare_procurement_values(self, group_id=False):
        values = super()._prepare_procurement_values(group_id=group_id)
        chosen = self._get_serial_chosen()
        if chosen:
            values["serial_restrict_lot_ids"] = [Command.set(chosen.ids)]
        return values


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_confirm(self):
        self._check_serial_choices()
        return super().action_confirm()

    def _check_serial_choices(self):
        """Before confirmation: the chosen serials are still available; and, where the company
        asks for serials at confirmation, every unit has one."""
        lines = self.order_line.filtered(lambda line: line.product_id.tracking == "serial")
        errors = []
        for line in lines:
            chosen = line._get_serial_chosen()
            # Units bought for the order (make to order, dropship) have no serial yet.
            if line.is_mto:
                continue
            if line.company_id.serial_sale_required == "confirmation" and (
                len(chosen) != line._get_serial_quantity()
            ):
                errors.append(
                    _(
                        "%(order)s, %(product)s: choose a serial for each of the %(quantity)s "
                        "units (%(count)s chosen).",
                        order=line.order_id.name,
                        product=line.product_id.display_name,
                        quantity=line._get_serial_quantity(),
                        count=len(chosen),
                    )
                )
        unavailable = self.env["stock.lot"].sudo()
        for warehouse, warehouse_lines in lines.grouped(
            lambda line: line.order_id.warehouse_id
        ).items():
            chosen = warehouse_lines._get_serial_chosen()
            if chosen:
                location = warehouse.sudo().view_location_id
                unavailable |= chosen - chosen._serial_available_in(location)
        if unavailable:
            for lot in unavailable:
                errors.append(
                    _(
                        "%(order)s, %(product)s: the serial %(serial)s is no longer available "
                        "(%(state)s).",
                        order=lot.sale_line_id.order_id.name,
                        product=lot.product_id.display_name,
                        serial=lot.name,
                        state=lot._serial_where(),
                    )
                )
        if errors and not self.env.user.has_group("stock.group_stock_user"):
            errors.append(
                _(
                    "Serials are chosen by users with access to Inventory: ask one of them to "
                    "choose these, or an administrator to give %(user)s that access.",
                    user=self.env.user.name,
                )
            )
        if errors:
            raise UserError(
                _("The order cannot be confirmed:\n%(errors)s", errors="\n".join(errors))
            )

    def _action_cancel(self):
        reason = _("the order was cancelled")
        result = super(SaleOrder, self.with_context(serial_release_reason=reason))._action_cancel()
        self._serial_release(self.order_line._get_serial_chosen(), reason)
        return result

    def _serial_release(self, lots, reason):
        """Give chosen serials back to stock and say so on their orders."""
        lots = lots.sudo().filtered(lambda lot: lot.serial_state != "delivered")
        if not lots:
            return
        for order in self:
            order_lots = lots.filtered(lambda lot, order=order: lot.sale_line_id.order_id == order)
            if order_lots:
                order.sudo()._message_log(
                    author_id=self.env.user.partner_id.id,
                    body=Markup("%s<br/>%s")
                    % (
                        _("Serial numbers released because %(reason)s:", reason=reason),
                        ", ".join(order_lots.mapped("name")),
                    ),
                )
        lots._serial_derived().write({"sale_line_id": False})
        self.env["serial.status"].touch(lots)
