# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class SerialOrderLineMixin(models.AbstractModel):
    """What purchase and sales order lines share about serials: the count against the ordered
    units, and who may open the serial popup on them. The line model declares ``serial_ids``,
    ``serial_count`` and ``serial_count_label`` (computed here, in sudo: buyers and sellers
    without Inventory rights see the count, not the serials) and names its quantity field in
    ``_serial_quantity_field``."""

    _name = "serial.order.line.mixin"
    _inherit = "serial.entry.target"
    _description = "Serials on Order Lines"
    _serial_quantity_field = "product_qty"
    _serial_open_states = ()  # order states in which the popup may change the line's serials
    SERIAL_NAMES_SHOWN = 10

    serial_names_label = fields.Char(
        compute="_compute_serial_count",
        compute_sudo=True,
        string="Serial Numbers Chosen",
        help="The line's serials, as its Serials column shows them (the first ten).",
    )
    serial_entry_open = fields.Boolean(
        compute="_compute_serial_entry_open",
        string="Serial Popup Available",
        help="The current user may open the serial popup on this line now.",
    )

    @api.depends(
        lambda self: (
            "serial_ids",
            self._serial_quantity_field,
            "product_uom",
            "product_id.tracking",
        )
    )
    def _compute_serial_count(self):
        for line in self:
            if line.product_id.tracking != "serial":
                line.serial_count = 0
                line.serial_count_label = False
                line.serial_names_label = False
                continue
            names = line.serial_ids.sorted("id").mapped("name")
            shown = ", ".join(names[: self.SERIAL_NAMES_SHOWN])
            if len(names) > self.SERIAL_NAMES_SHOWN:
                shown = _(
                    "%(names)s and %(count)s more",
                    names=shown,
                    count=len(names) - self.SERIAL_NAMES_SHOWN,
                )
            line.serial_names_label = shown or False
            line.serial_count = len(line.serial_ids)
            line.serial_count_label = _(
                "%(count)s / %(quantity)s serials",
                count=line.serial_count,
                quantity=line._get_serial_quantity(),
            )

    @api.depends("product_id.tracking", "order_id.state")
    @api.depends_context("uid")
    def _compute_serial_entry_open(self):
        may = self.env.user.has_group("stock.group_stock_user")
        for line in self:
            order = line.order_id
            line.serial_entry_open = bool(
                may
                and line.product_id.tracking == "serial"
                and order.state in self._serial_open_states
                and not ("locked" in order._fields and order.locked)
            )

    def _get_serial_quantity(self):
        """Ordered units in the product's unit, each needing a serial."""
        self.ensure_one()
        if not self.product_id:
            return 0
        quantity = self[self._serial_quantity_field]
        return int(round(self.product_uom._compute_quantity(quantity, self.product_id.uom_id)))

    def _get_serial_entry_quantity(self):
        """Units the popup takes serials for."""
        return self._get_serial_quantity()

    def _check_serial_line_allowed(self, open_states, what):
        """The popup on these lines needs Inventory rights, a serial-tracked product and an
        order in one of ``open_states`` (and not locked)."""
        if not self.env.user.has_group("stock.group_stock_user"):
            raise AccessError(
                _(
                    "%(what)s serial numbers needs access to Inventory (User): ask an "
                    "administrator to give it to %(user)s.",
                    what=what,
                    user=self.env.user.name,
                )
            )
        for line in self:
            order = line.order_id
            locked = "locked" in order._fields and order.locked
            if line.product_id.tracking != "serial":
                raise UserError(
                    _(
                        "%(product)s on %(order)s is not tracked by serial number.",
                        product=line.product_id.display_name or line.name,
                        order=order.name,
                    )
                )
            if order.state not in open_states or locked:
                raise UserError(
                    _(
                        "The serial numbers of %(product)s on %(order)s can no longer be "
                        "changed: the order is %(state)s.",
                        product=line.product_id.display_name,
                        order=order.name,
                        state=_("locked")
                        if locked
                        else dict(order._fields["state"]._description_selection(self.env))[
                            order.state
                        ].lower(),
                    )
                )

    def _action_open_serial_popup(self):
        self.ensure_one()
        self._check_serial_entry_allowed()
        self.check_access("write")
        return self.env["serial.entry.wizard"]._action_open(
            _("Serial Numbers: %(product)s", product=self.product_id.display_name),
            {"default_target_model": self._name, "default_target_id": self.id},
        )

    def _serial_entry_reference(self):
        return self.order_id.name

    def _serial_entry_defaults(self, values):
        return {
            "company_id": self.company_id.id,
            "product_id": self.product_id.id,
            "quantity": self._get_serial_entry_quantity(),
        }
