# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The serial popup's operations without a document of their own: scrap, adjust out, register
an installed base, name the units in stock without serial. Each is a target of the popup
(``serial.entry.target``); the popup (``entry``) holds the product, company, location, customer
and date they work on."""

from collections import defaultdict

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from ..models.serial_rules import OPEN_ORDER_STATES
from ..tools.serial_parser import serials_to_text


class StockLot(models.Model):
    _inherit = "stock.lot"

    def action_open_serial_popup(self, mode):
        """Open the serial popup (scrap, adjust out) with these serials filled in."""
        if len(self.product_id) != 1:
            raise UserError(
                _(
                    "Select serials of one product at a time (selected: %(products)s).",
                    products=", ".join(self.product_id.mapped("display_name")),
                )
            )
        Wizard = self.env["serial.entry.wizard"]
        return Wizard._action_open(
            dict(Wizard._fields["mode"]._description_selection(self.env))[mode],
            {
                "default_mode": mode,
                "default_product_id": self.product_id.id,
                "default_company_id": (self.company_id or self.env.company)[:1].id,
                "default_serial_text": serials_to_text(self.mapped("name")),
            },
        )


class SerialEntryOutOfStock(models.AbstractModel):
    """Units in stock that leave it: each serial must be in stock in the company."""

    _name = "serial.entry.out.of.stock"
    _inherit = "serial.entry.target"
    _description = "Serial Popup: Units Leaving Stock"
    _serial_entry_counts_quantity = False

    def _serial_entry_known_label(self):
        return _("In Stock")

    def _serial_entry_invalid(self, entry, names, lots, in_stock):
        invalid = {}
        for name in names:
            if name not in lots:
                invalid[name] = self._serial_entry_unknown(entry, name)
            elif name not in in_stock:
                invalid[name] = _(
                    "%(serial)s of %(product)s is not in stock (%(state)s).",
                    serial=name,
                    product=entry.product_id.display_name,
                    state=self._serial_state_label(lots[name]),
                )
            else:
                # sudo: the order that holds the unit is named even to users who may not read
                # sales orders.
                order = lots[name].sudo().sale_line_id.order_id
                if order and order.state in OPEN_ORDER_STATES:
                    invalid[name] = _(
                        "%(serial)s of %(product)s is chosen on %(order)s: take it off that "
                        "order first.",
                        serial=name,
                        product=entry.product_id.display_name,
                        order=order.name,
                    )
        return invalid

    @api.model
    def _serial_entry_quants(self, analysis):
        return self.env["stock.quant"].union(
            *(analysis["in_stock"][name] for name in analysis["names"])
        )


class SerialEntryScrap(models.AbstractModel):
    _name = "serial.entry.scrap"
    _inherit = "serial.entry.out.of.stock"
    _description = "Serial Popup: Scrap"
    _serial_entry_mode = "scrap"

    @api.model
    def _serial_entry_apply(self, entry, analysis):
        """Scrap the units: one done scrap move per location they are in."""
        scrap_location = self.env["stock.location"].search(
            [
                ("scrap_location", "=", True),
                ("company_id", "in", [entry.company_id.id, False]),
            ],
            limit=1,
            order="company_id",
        )
        if not scrap_location:
            raise UserError(_("%(company)s has no scrap location.", company=entry.company_id.name))
        quants = self._serial_entry_quants(analysis)
        quant_ids = defaultdict(list)
        for quant in quants:
            quant_ids[quant.location_id].append(quant.id)
        quants_by_location = {location: quants.browse(ids) for location, ids in quant_ids.items()}
        product = entry.product_id
        Line = self.env["stock.move.line"]
        moves = self.env["stock.move"].create(
            [
                {
                    "name": "%s: %s" % (_("Scrap"), product.display_name),
                    "product_id": product.id,
                    "product_uom": product.uom_id.id,
                    "product_uom_qty": len(quants),
                    "location_id": location.id,
                    "location_dest_id": scrap_location.id,
                    "company_id": entry.company_id.id,
                    "origin": _("Scrap"),
                    "scrapped": True,
                    "move_line_ids": [
                        Command.create(
                            Line._serial_unit_values(
                                product,
                                location,
                                scrap_location,
                                quant.lot_id,
                                package_id=quant.package_id.id,
                                owner_id=quant.owner_id.id,
                                picked=True,
                            )
                        )
                        for quant in quants
                    ],
                }
                for location, quants in quants_by_location.items()
            ]
        )
        moves._action_confirm()
        moves.picked = True
        moves._action_done()
        return self._serial_entry_done_action(
            _(
                "%(count)s units of %(product)s scrapped",
                count=len(analysis["names"]),
                product=product.display_name,
            ),
            moves.move_line_ids,
        )


class SerialEntryAdjustOut(models.AbstractModel):
    _name = "serial.entry.adjust.out"
    _inherit = "serial.entry.out.of.stock"
    _description = "Serial Popup: Adjust Out"
    _serial_entry_mode = "adjust_out"

    @api.model
    def _serial_entry_apply(self, entry, analysis):
        """Count the units out of the inventory, as an inventory adjustment does."""
        quants = self._serial_entry_quants(analysis)
        quants.with_context(inventory_mode=True).write({"inventory_quantity": 0})
        quants.action_apply_inventory()
        lines = self.env["stock.move.line"].search(
            [
                ("lot_id", "in", quants.lot_id.ids),
                ("move_id.is_inventory", "=", True),
                ("state", "=", "done"),
            ],
            order="id desc",
            limit=len(quants),
        )
        return self._serial_entry_done_action(
            _(
                "%(count)s units of %(product)s adjusted out",
                count=len(quants),
                product=entry.product_id.display_name,
            ),
            lines,
        )


class SerialEntryInstalledBase(models.AbstractModel):
    """Units already at a customer's site, registered with a done move from the inventory
    adjustment location to the customer, dated when they were delivered."""

    _name = "serial.entry.installed.base"
    _inherit = "serial.entry.target"
    _description = "Serial Popup: Installed Base"
    _serial_entry_counts_quantity = False
    _serial_entry_mode = "installed_base"

    def _serial_entry_invalid(self, entry, names, lots, in_stock):
        invalid = self._serial_entry_in_stock(entry, in_stock)
        product = entry.product_id.display_name
        for name, lot in lots.items():
            if lot.serial_state == "in_transit":
                invalid[name] = _(
                    "the serial number %(serial)s of %(product)s is in transit.",
                    serial=name,
                    product=product,
                )
            if lot.holder_partner_id and lot.serial_state == "delivered":
                invalid[name] = _(
                    "the serial number %(serial)s of %(product)s is already at %(partner)s.",
                    serial=name,
                    product=product,
                    partner=lot.holder_partner_id.display_name,
                )
        return invalid

    def _serial_entry_errors(self, entry, analysis):
        errors = [] if entry.partner_id else [_("Say which customer holds these units.")]
        if entry.date and entry.date > fields.Datetime.now():
            errors.append(
                _(
                    "The delivery date %(date)s is in the future: say when the units were "
                    "delivered.",
                    date=fields.Datetime.to_string(entry.date)[:10],
                )
            )
        return errors

    @api.model
    def _serial_entry_apply(self, entry, analysis):
        product = entry.product_id.with_company(entry.company_id)
        source = product.property_stock_inventory
        destination = entry.partner_id.with_company(entry.company_id).property_stock_customer
        names = analysis["names"]
        lots = entry._get_or_create_lots(analysis)
        with self.env["serial.status"].batch():
            move = self.env["stock.move"].create(
                {
                    "name": _("Installed base: %(product)s", product=product.display_name),
                    "product_id": product.id,
                    "product_uom": product.uom_id.id,
                    "product_uom_qty": len(names),
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "partner_id": entry.partner_id.id,
                    "company_id": entry.company_id.id,
                    "origin": _("Installed base"),
                    "date": entry.date,
                    "move_line_ids": [
                        Command.create(
                            self.env["stock.move.line"]._serial_unit_values(
                                product, source, destination, lots[name], picked=True
                            )
                        )
                        for name in names
                    ],
                }
            )
            move._action_confirm()
            move.picked = True
            move._action_done()
            # Done moves are dated now: the units were delivered at the date given.
            move.write({"date": entry.date})
            move.move_line_ids.write({"date": entry.date})
            self.env["serial.status"].touch(move.move_line_ids.lot_id)
        return self._serial_entry_done_action(
            _(
                "%(count)s units of %(product)s registered at %(partner)s",
                count=len(names),
                product=product.display_name,
                partner=entry.partner_id.display_name,
            ),
            move.move_line_ids,
        )


class SerialEntryStockOnHand(models.AbstractModel):
    """Names for the units counted without serial at a location: an inventory adjustment
    takes them out and counts the named serials in, in one go."""

    _name = "serial.entry.stock.on.hand"
    _inherit = "serial.entry.target"
    _description = "Serial Popup: Serials for Stock on Hand"
    _serial_entry_mode = "assign_stock"

    def _serial_entry_defaults(self, values):
        product_id = values.get("product_id") or self.env.context.get("default_product_id")
        if not product_id:
            return {}
        product = self.env["product.product"].browse(product_id)
        location, quantity = next(iter(product._get_serial_unassigned_stock()), (False, 0))
        return {
            "location_id": location and location.id,
            "quantity": int(quantity),
            "generate_count": int(quantity),
        }

    def _serial_entry_invalid(self, entry, names, lots, in_stock):
        invalid = self._serial_entry_in_stock(entry, in_stock)
        for name, lot in lots.items():
            if lot.serial_state in ("delivered", "in_transit") and name not in invalid:
                invalid[name] = _(
                    "the serial number %(serial)s of %(product)s is %(state)s.",
                    serial=name,
                    product=entry.product_id.display_name,
                    state=self._serial_state_label(lot).lower(),
                )
        return invalid

    def _serial_entry_errors(self, entry, analysis):
        count = len(analysis["names"])
        if count == entry.quantity:
            return []
        return [
            _(
                "%(quantity)s units of %(product)s at %(location)s have no serial: enter "
                "exactly %(quantity)s serial numbers (%(count)s entered).",
                quantity=entry.quantity,
                product=entry.product_id.display_name,
                location=entry.location_id.display_name,
                count=count,
            )
        ]

    @api.model
    def _serial_entry_apply(self, entry, analysis):
        names = analysis["names"]
        Quant = self.env["stock.quant"].with_context(inventory_mode=True)
        product = entry.product_id.with_company(entry.company_id)
        unassigned = Quant.search(product._get_serial_unassigned_domain(entry.location_id))
        # Count again under lock: another user may have named these units meanwhile.
        if unassigned:
            self.env.cr.execute(
                "SELECT id FROM stock_quant WHERE id = ANY(%s) FOR UPDATE", [unassigned.ids]
            )
            unassigned.invalidate_recordset(["quantity"])
        available = sum(unassigned.mapped("quantity"))
        if available != len(names):
            raise UserError(
                _(
                    "%(location)s now holds %(available)s units of %(product)s without serial, "
                    "not %(count)s: open the popup again.",
                    location=entry.location_id.display_name,
                    available=available,
                    product=product.display_name,
                    count=len(names),
                )
            )
        lots = entry._get_or_create_lots(analysis)
        unassigned.write({"inventory_quantity": 0})
        named = Quant.create(
            [
                {
                    "product_id": product.id,
                    "location_id": entry.location_id.id,
                    "lot_id": lots[name].id,
                    "inventory_quantity": 1,
                }
                for name in names
            ]
        )
        (unassigned | named).action_apply_inventory()
        if product._get_serial_unassigned_stock():
            return product.action_assign_serials_to_stock()  # the next location
        return None
