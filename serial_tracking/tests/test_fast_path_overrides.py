# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Another module's overrides still run under the add-on's fast paths.

A module loaded between ``stock`` and this add-on (mrp, an Enterprise or community module)
overrides Odoo's methods and calls ``super()``; it is stood for here by an override put on
``stock``'s own classes, which every call through the method resolution order reaches. A fast
path that skipped ``super()`` (reserved chosen serials without Odoo's
``stock.move._update_reserved_quantity``) would not reach it. Moving serials' quants together
at validation stands for ``stock.quant.create`` and the methods around it: with another module's
override of one of them in place, Odoo's own way must run, and with it the override."""

from contextlib import contextmanager
from unittest.mock import patch

from odoo import api
from odoo.tests import tagged

from odoo.addons.stock.models.stock_move import StockMove as OdooStockMove
from odoo.addons.stock.models.stock_move_line import StockMoveLine as OdooStockMoveLine
from odoo.addons.stock.models.stock_quant import StockQuant as OdooStockQuant

from .common import SerialSaleCase


@contextmanager
def overridden():
    """Overrides of stock.quant.create, stock.move._update_reserved_quantity,
    stock.move._add_serial_move_line_to_vals_list and stock.move.line.create, as another module
    would write them: they note what they see, then call the method they override."""
    seen = {"quants": [], "reserved": [], "prepared": [], "lines": [], "context": {}}
    quant_create = OdooStockQuant.create
    reserve = OdooStockMove._update_reserved_quantity
    prepare = OdooStockMove._add_serial_move_line_to_vals_list
    line_create = OdooStockMoveLine.create
    update_available = OdooStockQuant._update_available_quantity
    gather_domain = OdooStockQuant._get_gather_domain

    def note_context(env):
        # What the add-on passes through the context, as another module sees it.
        seen["context"].update(
            (key, value) for key, value in env.context.items() if key.startswith("serial_")
        )

    @api.model_create_multi
    def create_quants(self, vals_list):
        seen["quants"].extend(vals.get("lot_id") for vals in vals_list)
        return quant_create(self, vals_list)

    def update_reserved_quantity(self, need, location_id, *args, **kwargs):
        seen["reserved"].append((self.id, need))
        return reserve(self, need, location_id, *args, **kwargs)

    def add_serial_move_line_to_vals_list(self, reserved_quant, quantity):
        seen["prepared"].append(reserved_quant.lot_id.id)
        vals_list = prepare(self, reserved_quant, quantity)
        return [dict(vals, description_picking="checked by another module") for vals in vals_list]

    @api.model_create_multi
    def create_lines(self, vals_list):
        seen["lines"].extend(vals.get("lot_id") for vals in vals_list)
        return line_create(self, vals_list)

    def update_available_quantity(self, *args, **kwargs):
        note_context(self.env)
        return update_available(self, *args, **kwargs)

    def get_gather_domain(self, *args, **kwargs):
        note_context(self.env)
        return gather_domain(self, *args, **kwargs)

    with (
        patch.object(OdooStockQuant, "create", create_quants),
        patch.object(OdooStockQuant, "_update_available_quantity", update_available_quantity),
        patch.object(OdooStockQuant, "_get_gather_domain", get_gather_domain),
        patch.object(OdooStockMove, "_update_reserved_quantity", update_reserved_quantity),
        patch.object(
            OdooStockMove, "_add_serial_move_line_to_vals_list", add_serial_move_line_to_vals_list
        ),
        patch.object(OdooStockMoveLine, "create", create_lines),
    ):
        yield seen


@tagged("post_install", "-at_install")
class TestFastPathOverrides(SerialSaleCase):
    def test_a_validation_creates_its_quants_through_stock_quant_create(self):
        receipt = self._create_receipt(4)
        receipt.move_ids._set_serial_names(["OV-1", "OV-2", "OV-3", "OV-4"])
        with overridden() as seen:
            self._validate(receipt)
        lots = receipt.move_line_ids.lot_id
        self.assertEqual(len(lots), 4)
        # Each serial's quant in stock (and its negative one at the vendor's) was created
        # through the override.
        self.assertEqual(sorted(seen["quants"]), sorted(lots.ids * 2))
        self.assertEqual(set(lots.mapped("serial_state")), {"in_stock"})
        self._assert_immutable(seen["context"])

    def _assert_immutable(self, context):
        """State the add-on passes through the context cannot be changed in place by whoever
        reads it: no list, set or dict."""
        for key, value in context.items():
            self.assertNotIsInstance(value, (list, set, dict), key)

    def test_chosen_serials_are_reserved_through_update_reserved_quantity(self):
        lots = self._put_in_stock(["OV-S1", "OV-S2", "OV-S3", "OV-S4", "OV-S5"])
        order = self._order(3)
        self._choose(order.order_line, "OV-S2\nOV-S4\nOV-S5")
        with overridden() as seen:
            order.action_confirm()
        delivery = order.picking_ids
        move = delivery.move_ids
        chosen = lots.filtered(lambda lot: lot.name in ("OV-S2", "OV-S4", "OV-S5"))
        self.assertIn((move.id, 3.0), seen["reserved"])
        # Odoo prepared one line per chosen serial, the override changed them, and the lines
        # were created through stock.move.line.create with the override's values.
        self.assertEqual(sorted(seen["prepared"]), sorted(chosen.ids))
        self.assertEqual(sorted(seen["lines"]), sorted(chosen.ids))
        self.assertEqual(move.move_line_ids.lot_id, chosen)
        self.assertEqual(
            set(move.move_line_ids.mapped("description_picking")), {"checked by another module"}
        )
        self.assertEqual(sum(chosen.quant_ids.mapped("reserved_quantity")), 3)
        self.assertEqual(set(chosen.mapped("serial_state")), {"reserved"})
        self._validate(delivery)
        self.assertEqual(set(chosen.mapped("serial_state")), {"delivered"})
        self.assertIn("serial_restrict_lot_ids", seen["context"])
        self._assert_immutable(seen["context"])
