# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A manufacturing order as the serial popup's target: the serials of the units it produces.

Odoo produces one serial unit per manufacturing order: producing several units of a serial
product splits the order into one order per unit (its "Serial numbers" step, the batch produce
wizard). The popup names the units to produce; with one serial it is the order's own Lot/Serial
Number (Produce then asks for a backorder of the rest, as natively); with several they are kept
on the order until Produce All splits it, one order per serial, each with its share of the
components, and produces them all. The components' serials are chosen on each component's move
(the add-on's own popup on ``stock.move``), before or after the finished ones.
"""

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.serial_tracking.tools.serial_parser import serials_to_text


class MrpProduction(models.Model):
    _name = "mrp.production"
    _inherit = ["mrp.production", "serial.entry.target"]

    serial_finished_text = fields.Text(
        string="Serials to Produce",
        copy=False,
        help="The serial numbers entered for the units this order still produces, one per line: "
        "Produce All makes one order per serial.",
    )
    serial_finished_count = fields.Integer(
        string="Serials Entered", compute="_compute_serial_finished_count"
    )

    @api.depends("serial_finished_text", "lot_producing_id")
    def _compute_serial_finished_count(self):
        for production in self:
            production.serial_finished_count = len(production._serial_finished_names())

    def _serial_finished_names(self):
        """The serials entered for the units still to produce, in order."""
        self.ensure_one()
        # One name per line, as written by _serial_set_finished_names (names hold no line break).
        names = [name for name in (self.serial_finished_text or "").split("\n") if name]
        if not names and self.lot_producing_id:
            names = [self.lot_producing_id.name]
        return names

    # ------------------------------------------------------------------
    # The popup's target
    # ------------------------------------------------------------------

    def _get_serial_entry_quantity(self):
        """Units this order still produces, each needing a serial."""
        self.ensure_one()
        return max(int(round(self.product_qty - self.qty_produced)), 0)

    def _serial_entry_reference(self):
        return self.name

    def _check_serial_entry_allowed(self):
        for production in self:
            if production.product_id.tracking != "serial":
                raise UserError(
                    _(
                        "%(product)s is not tracked by serial number.",
                        product=production.product_id.display_name,
                    )
                )
            if production.state not in ("confirmed", "progress", "to_close"):
                raise UserError(
                    _(
                        "The serial numbers of %(production)s can be entered once it is "
                        "confirmed and until it is done.",
                        production=production.name,
                    )
                )

    def _serial_entry_defaults(self, values):
        names = self._serial_finished_names()
        quantity = self._get_serial_entry_quantity()
        return {
            "mode": "receive",
            "company_id": self.company_id.id,
            "product_id": self.product_id.id,
            "quantity": quantity,
            "location_id": self.location_dest_id.id,
            "serial_text": serials_to_text(names),
            "generate_count": max(quantity - len(names), 0),
        }

    def _serial_entry_invalid(self, entry, names, lots, in_stock):
        invalid = self._serial_entry_in_stock(entry, in_stock)
        invalid.update(self._serial_unproducible(names, lots, skip=invalid))
        return invalid

    def _serial_unproducible(self, names, lots, skip=()):
        """``{serial: reason}`` for the existing units among ``names`` that cannot be produced:
        one in stock, reserved, at a partner or on its way exists already."""
        invalid = {}
        product = self.product_id.display_name
        existing = self.env["stock.lot"].union(*lots.values())
        # New units, and units taken apart by an unbuild, may be produced (again).
        unbuilt = existing.filtered(
            lambda lot: lot.serial_state == "consumed"
        )._serial_unbuilt_ids()
        for name in names:
            lot = lots.get(name)
            if name in skip or not lot or lot.serial_state == "expected" or lot.id in unbuilt:
                continue
            invalid[name] = _(
                "%(serial)s of %(product)s exists already (%(where)s): a unit is produced once.",
                serial=name,
                product=product,
                where=lot._serial_where(),
            )
        return invalid

    def _serial_entry_errors(self, entry, analysis):
        return self._serial_entry_too_many(entry, analysis, _("to be produced"))

    def _serial_entry_apply(self, entry, analysis):
        self._serial_entry_check_fits(entry, analysis)
        self._serial_set_finished_names(analysis["names"])

    def _serial_set_finished_names(self, names):
        """This order produces the units ``names``: one is the order's own serial (Produce
        makes it, and a backorder of the rest); several wait for Produce All."""
        self.ensure_one()
        if len(names) == 1:
            lot = self._serial_finished_lots(names)[0]
            self.write({"serial_finished_text": False, "lot_producing_id": lot.id})
            if not self.qty_producing:
                self.qty_producing = 1
                self._set_qty_producing()
            return
        values = {"serial_finished_text": "\n".join(names) or False}
        if self.lot_producing_id and self.lot_producing_id.name not in names:
            values["lot_producing_id"] = False
        if len(names) > 1 and self.qty_producing:
            values["qty_producing"] = 0
        self.write(values)

    def _serial_finished_lots(self, names):
        """The serials of ``names`` for this order's product and company, in that order; the
        missing ones are created in one batch."""
        self.ensure_one()
        Lot = self.env["stock.lot"]
        lots_by_name = Lot._serial_by_names(self.product_id, self.company_id, names)
        lots_by_name = Lot._serial_create_missing(
            self.product_id, self.company_id, names, lots_by_name
        )
        return Lot.union(*(lots_by_name[name] for name in names))

    def action_open_serial_entry(self):
        """The serial popup for the units this order produces."""
        self.ensure_one()
        self._check_serial_entry_allowed()
        return self.env["serial.entry.wizard"]._action_open(
            _("Serial Numbers: %(product)s", product=self.product_id.display_name),
            {"default_target_model": self._name, "default_target_id": self.id},
        )

    def _post_inventory(self, cancel_backorder=False):
        result = super()._post_inventory(cancel_backorder=cancel_backorder)
        self.env["stock.lot"]._serial_genealogy_changed()
        return result

    # ------------------------------------------------------------------
    # Numbering rule and Produce All
    # ------------------------------------------------------------------

    def _serial_has_rule(self):
        template = self.product_id.product_tmpl_id
        return bool(
            template.serial_prefix
            or template.serial_suffix
            or template.serial_generation == "random"
        )

    def _prepare_stock_lot_values(self):
        """A serial generated on the order (its "+" button, or Produce of a single unit) is the
        next of the product's numbering rule, where the product has one, in the order's
        company."""
        values = super()._prepare_stock_lot_values()
        if self.product_id.tracking == "serial":
            # A serial belongs to a company, as the popup's and receipts' do.
            values.setdefault("company_id", self.company_id.id)
            if self._serial_has_rule():
                product = self.product_id.with_company(self.company_id)
                values["name"] = product.serial_next_names(1)[0]
        return values

    def _serial_names_to_produce(self):
        """The serials Produce All gives the units still to produce: those entered, then, when
        the operation type says so, the next numbers of the rule for the others."""
        self.ensure_one()
        names = self._serial_finished_names()
        missing = self._get_serial_entry_quantity() - len(names)
        if missing > 0 and self.picking_type_id.serial_generate_at_produce:
            names += self.product_id.with_company(self.company_id).serial_next_names(missing)
        return names

    def action_mass_produce(self):
        """Produce All of several serial units: with serials entered (or generated by the
        operation type's option), one order per serial is made and produced; otherwise Odoo's
        own "Serial numbers" step opens."""
        self.ensure_one()
        if (
            self.product_id.tracking != "serial"
            or self.state not in ("confirmed", "progress", "to_close")
            or self._auto_production_checks()
            or not (self.serial_finished_text or self.picking_type_id.serial_generate_at_produce)
        ):
            return super().action_mass_produce()
        names = self._serial_names_to_produce()
        if not names:
            return super().action_mass_produce()
        return self._serial_produce(names)

    def _serial_produce(self, names):
        """Split this order into one order per serial of ``names`` (the units left over stay on
        a backorder) and produce them."""
        self.ensure_one()
        quantity = self._get_serial_entry_quantity()
        if len(names) > quantity:
            raise UserError(
                _(
                    "%(production)s produces %(quantity)s units of %(product)s: %(count)s serial "
                    "numbers are entered.",
                    production=self.name,
                    quantity=quantity,
                    product=self.product_id.display_name,
                    count=len(names),
                )
            )
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise UserError(
                _(
                    "%(serials)s are entered more than once on %(production)s.",
                    serials=", ".join(duplicates),
                    production=self.name,
                )
            )
        Lot = self.env["stock.lot"]
        existing = Lot._serial_by_names(self.product_id, self.company_id, names)
        invalid = self._serial_unproducible(names, existing)
        if invalid:
            raise UserError("\n".join(invalid[name] for name in names if name in invalid))
        lots = self._serial_finished_lots(names)
        productions = self
        if len(names) > 1:
            productions = self._split_productions({self: [1] * len(names)})
        productions = productions[: len(names)]
        productions.serial_finished_text = False
        for production, lot in zip(productions, lots, strict=True):
            production.lot_producing_id = lot
        # As Odoo's own batch production does: the quantities last order first (the original
        # order's finished line would otherwise lose its link to the components it consumes).
        for production in reversed(productions):
            production.qty_producing = 1
            production.set_qty_producing()
        # Produced in a call of their own, as Odoo's "Serial numbers" step does: this one runs
        # inside Odoo's Produce All of this order (``button_mark_done``), whose overrides go on
        # with this order once it returns (``mrp_account`` posts its labour).
        action = self.env["ir.actions.actions"]._for_xml_id(
            "serial_tracking_mrp.action_serial_produce_prepared"
        )
        action["context"] = {
            "active_model": self._name,
            "active_ids": productions.ids,
            "active_id": productions[:1].id,
        }
        return action

    def action_serial_produce_prepared(self):
        """Produce these orders, prepared one per serial by Produce All: Odoo's Produce, then
        the orders produced (or the next step Odoo asks for: a consumption warning...)."""
        result = self.with_context(from_wizard=True).button_mark_done()
        if isinstance(result, dict):
            return result
        return self._serial_produced_action()

    def _serial_produced_action(self):
        """The orders just produced: the form of one, the list of several, named by the
        serials they produced."""
        names = self.lot_producing_id.mapped("name")
        shown = ", ".join(names[:5]) + (", …" if len(names) > 5 else "")
        action = {
            "type": "ir.actions.act_window",
            "res_model": "mrp.production",
            "name": _("Produced: %(serials)s", serials=shown),
            "target": "main",
        }
        if len(self) == 1:
            action.update(res_id=self.id, views=[(False, "form")])
        else:
            action.update(domain=[("id", "in", self.ids)], views=[(False, "list"), (False, "form")])
        return action
