# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import random

from odoo import _, models
from odoo.exceptions import UserError

from ..tools.serial_parser import RANDOM_ALPHABET, random_serial
from .product_template import RANDOM_LENGTH_DEFAULT


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _serial_warranty_policy(self):
        """The customer warranty policy of this product in the current company:
        ``(duration, unit, start, type)``; duration 0 means no warranty."""
        self.ensure_one()
        return (
            max(self.warranty_duration or 0, 0),
            self.warranty_unit or "month",
            self.warranty_start or "delivery",
            self.warranty_type_id,
        )

    def serial_next_names(self, count):
        """Reserve and return the next ``count`` serial numbers of this product's numbering rule,
        in the current company.

        Sequential numbers come from a PostgreSQL sequence, so concurrent transactions always get
        disjoint numbers (and a number once given out is never given again, even when the
        transaction that took it is rolled back). Names that already exist as serials of this
        product in this company are skipped.
        """
        self.ensure_one()
        # Names are given out to create serials with: only for users who may create them.
        self.env["stock.lot"].check_access("create")
        if self.tracking != "serial":
            raise UserError(
                _(
                    "%(product)s is not tracked by serial number: it has no serial numbering rule.",
                    product=self.display_name,
                )
            )
        limit = self.env["res.company"]._get_serial_entry_limit()
        if not isinstance(count, int) or not 0 < count <= limit:
            raise UserError(
                _(
                    "Serial numbers of %(product)s can be generated 1 to %(limit)s at a time, "
                    "not %(count)s.",
                    product=self.display_name,
                    limit=limit,
                    count=count,
                )
            )
        if self.serial_generation == "random":
            return self._serial_random_names(count)
        return self._serial_sequential_names(count)

    def _get_serial_unassigned_domain(self, location=None):
        """Quants of this product without serial, loose (no package, no owner), in the internal
        locations of the current company (or in ``location``)."""
        self.ensure_one()
        return [
            ("product_id", "=", self.id),
            ("lot_id", "=", False),
            ("package_id", "=", False),
            ("owner_id", "=", False),
            ("location_id.usage", "=", "internal"),
            ("company_id", "=", self.env.company.id),
        ] + ([("location_id", "=", location.id)] if location else [])

    def _get_serial_unassigned_stock(self):
        """[(location, quantity)] of this product's stock without serial, per internal location of
        the current company, largest first."""
        self.ensure_one()
        groups = self.env["stock.quant"]._read_group(
            self._get_serial_unassigned_domain(),
            ["location_id"],
            ["quantity:sum"],
        )
        return sorted(
            ((location, quantity) for location, quantity in groups if quantity > 0),
            key=lambda item: -item[1],
        )

    def action_assign_serials_to_stock(self):
        """Open the serial popup for the stock on hand that has no serial yet, one location at a
        time."""
        self.ensure_one()
        if self.tracking != "serial":
            raise UserError(
                _("%(product)s is not tracked by serial number.", product=self.display_name)
            )
        if not self._get_serial_unassigned_stock():
            raise UserError(
                _("Every unit of %(product)s in stock has a serial.", product=self.display_name)
            )
        return self.env["serial.entry.wizard"]._action_open(
            _("Serials for Stock on Hand: %(product)s", product=self.display_name),
            {"default_mode": "assign_stock", "default_product_id": self.id},
        )

    def serial_generate_proposal(self):
        """The First SN that Odoo's Generate Serials dialog proposes: the next serial of the
        sequential rule (nothing is reserved until serials are generated); empty for a random
        rule, whose serials are drawn when generated."""
        self.ensure_one()
        if self.tracking != "serial" or self.serial_generation == "random":
            return ""
        template = self.product_tmpl_id
        return template._format_serial(template.serial_next_number or 1)

    def _serial_existing_names(self, names):
        """Return the names among ``names`` that are serials of this product in this company."""
        # sudo: a clash must be seen even in lots the user may not read
        lots = (
            self.env["stock.lot"].sudo()._serial_by_names(self, self.env.company, names, ["name"])
        )
        return set(lots)

    def _serial_sequential_names(self, count):
        template = self.product_tmpl_id
        sequence = template._get_serial_sequence()
        names = []
        while len(names) < count:
            missing = count - len(names)
            # ir.sequence's "standard" implementation keeps its counter in this PostgreSQL
            # sequence; one statement reserves the whole block.
            self.env.cr.execute(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                ["ir_sequence_%03d" % sequence.id, missing],
            )
            candidates = [template._format_serial(number) for (number,) in self.env.cr.fetchall()]
            taken = self._serial_existing_names(candidates)
            names.extend(name for name in candidates if name not in taken)
        sequence.invalidate_recordset(["number_next_actual"])
        template.invalidate_recordset(["serial_next_number"])
        return names

    def _serial_random_names(self, count):
        template = self.product_tmpl_id
        length = template.serial_random_length or RANDOM_LENGTH_DEFAULT
        prefix, suffix = template.serial_prefix or "", template.serial_suffix or ""
        if len(RANDOM_ALPHABET) ** length < 2 * count:
            raise UserError(
                _(
                    "%(count)s random serial numbers of %(length)s characters are too many to "
                    "draw for %(product)s: make them longer.",
                    count=count,
                    length=length,
                    product=self.display_name,
                )
            )
        rng = random.SystemRandom()
        names = {}  # dict: unique names in the order drawn
        while len(names) < count:
            batch = {
                "%s%s%s" % (prefix, random_serial(length, rng), suffix)
                for _i in range(count - len(names))
            }
            batch -= names.keys()
            batch -= self._serial_existing_names(batch)
            names.update(dict.fromkeys(batch))
        return list(names)
