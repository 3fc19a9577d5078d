# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import split_every

from odoo.addons.stock.models.stock_quant import StockQuant as OdooStockQuant

# Quants created per call when the held-back ones are created.
FLUSH_BLOCK = 1000


class SerialQuantBatch:
    """Quants of serials that one validation creates, held back and created together at the end
    of its loop over move lines (Odoo creates them one by one, a few queries each)."""

    def __init__(self):
        self.pending = {}  # quant key -> values Odoo would create it with
        self.products = set()  # ids of the products of the pending quants

    def hold(self, key, vals):
        self.pending[key] = vals
        self.products.add(key[0])

    def take(self):
        vals_list = list(self.pending.values())
        self.pending.clear()
        self.products.clear()
        return vals_list


def _quant_key(product, location, lot, package, owner):
    return (
        product.id,
        location.id,
        lot.id,
        package.id if package else False,
        owner.id if owner else False,
    )


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _get_gather_domain(
        self, product_id, location_id, lot_id=None, package_id=None, owner_id=None, strict=False
    ):
        domain = super()._get_gather_domain(
            product_id, location_id, lot_id, package_id, owner_id, strict
        )
        # A move restricted to exact serials (chosen on its sales line) reserves only them.
        restrict = self.env.context.get("serial_restrict_lot_ids")
        if restrict:
            if lot_id and strict:
                # One serial asked for (a line being reserved): allowed or not, no list needed.
                if lot_id.id not in restrict:
                    domain = expression.FALSE_DOMAIN
            else:
                domain = expression.AND([domain, [("lot_id", "in", list(restrict))]])
        elif self.env.context.get("serial_exclude_chosen") and not (lot_id and strict):
            # (A serial asked for by name was found by a gather that excluded the chosen ones,
            # or comes from an earlier step of its own delivery.)
            domain = expression.AND(
                [domain, ["|", ("lot_id", "=", False), ("lot_id.sale_line_id", "=", False)]]
            )
        return domain

    # ------------------------------------------------------------------
    # Validation: the quants of serials created in one batch
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("serial_plain_quants"):
            # Odoo's stock.quant.create() creates one quant at a time, for its inventory mode;
            # for plain quants it does nothing else than create them and note them in the
            # validation's quant cache (done by _serial_flush_quants): all of them at once here.
            return super(OdooStockQuant, self).create(vals_list)
        return super().create(vals_list)

    def _gather(
        self,
        product_id,
        location_id,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=False,
        qty=0,
    ):
        batch = self.env.context.get("serial_quant_batch")
        # Someone reads this product's quants: the held-back ones must be there first. (An exact
        # look reads one serial's quants, or the ones without serial: only a held-back quant of
        # that serial matters.)
        if (
            batch
            and batch.pending
            and product_id.id in batch.products
            and (
                not strict
                or (
                    lot_id
                    and _quant_key(product_id, location_id, lot_id, package_id, owner_id)
                    in batch.pending
                )
            )
        ):
            self._serial_flush_quants(batch)
        return super()._gather(
            product_id,
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
            qty=qty,
        )

    @api.model
    def _update_available_quantity(
        self,
        product_id,
        location_id,
        quantity=False,
        reserved_quantity=False,
        lot_id=None,
        package_id=None,
        owner_id=None,
        in_date=None,
    ):
        key = _quant_key(product_id, location_id, lot_id, package_id, owner_id) if lot_id else None
        reserved_keys = self.env.context.get("serial_reserved_quant_keys")
        if reserved_keys and reserved_quantity > 0 and not quantity and key in reserved_keys:
            # A move line created for a quant its move reserved already (stock.move
            # _serial_reserve_chosen): nothing more to reserve.
            reserved_keys.discard(key)
            return 0, None
        batch = self.env.context.get("serial_quant_batch")
        if self._serial_holds_back(
            batch,
            key,
            quantity,
            reserved_quantity,
            product_id,
            location_id,
            lot_id,
            package_id,
            owner_id,
        ):
            # Odoo would create the quant now, with these values, and answer the quantity it
            # holds.
            in_date = in_date or fields.Datetime.now()
            batch.hold(
                key,
                {
                    "product_id": product_id.id,
                    "location_id": location_id.id,
                    "lot_id": lot_id.id,
                    "package_id": package_id and package_id.id,
                    "owner_id": owner_id and owner_id.id,
                    "in_date": in_date,
                    "quantity": quantity,
                },
            )
            return quantity, in_date
        if batch and key in batch.pending:
            # Odoo updates this quant: the held-back one is created first.
            self._serial_flush_quants(batch)
        return super()._update_available_quantity(
            product_id,
            location_id,
            quantity=quantity,
            reserved_quantity=reserved_quantity,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            in_date=in_date,
        )

    def _serial_holds_back(
        self, batch, key, quantity, reserved_quantity, product, location, lot, package, owner
    ):
        """Whether the quant a validation is about to create for a serial (Odoo finds none to
        update at ``key``) is held back, to be created with the others."""
        if (
            batch is None
            or not key
            or not quantity
            or reserved_quantity
            or key in batch.pending
            or product.tracking != "serial"
            or "quants_cache" not in self.env.context
            or self._is_inventory_mode()
        ):
            return False
        quants = self.sudo()._gather(
            product, location, lot_id=lot, package_id=package, owner_id=owner, strict=True
        )
        if quantity > 0:
            quants = quants.filtered("lot_id")
        return not quants

    def _serial_flush_quants(self, batch):
        """Create the held-back quants, in the order Odoo would have created them."""
        if not batch.pending:
            return
        vals_list = batch.take()
        Quant = self.env["stock.quant"].sudo().with_context(serial_plain_quants=True)
        # In blocks: Odoo checks each created serial quant in one query whose condition grows
        # with the number of quants (PostgreSQL refuses it at ten thousand).
        quants = Quant.union(
            *(Quant.create(block) for block in split_every(FLUSH_BLOCK, vals_list, list))
        ).with_env(self.sudo().env)
        cache = self.env.context.get("quants_cache")
        if cache is not None:
            for quant in quants:
                cache[
                    _quant_key(
                        quant.product_id,
                        quant.location_id,
                        quant.lot_id,
                        quant.package_id,
                        quant.owner_id,
                    )
                ] |= quant
