# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Rules of serialization shared by several models (no model here)."""

from odoo.exceptions import ValidationError
from odoo.tools import float_is_zero, float_round

# Sale order states in which the serials chosen on a line are held for it: such a line may
# still change them, and no other order may take them. Views use serial_order_open instead.
OPEN_ORDER_STATES = ("draft", "sent", "sale")


def check_whole_units(lines, qty_field, uom_field, document):
    """Quantities of serial-tracked products must be whole numbers of their serialized unit."""
    for line in lines:
        product = line.product_id
        if product.tracking != "serial" or not line[uom_field]:
            continue
        quantity = line[uom_field]._compute_quantity(
            line[qty_field], product.uom_id, rounding_method="HALF-UP", round=False
        )
        if not float_is_zero(
            quantity - float_round(quantity, precision_digits=0), precision_digits=6
        ):
            values = {
                "document": document(line),
                "quantity": line[qty_field],
                "uom": line[uom_field].name,
                "product": product.display_name,
                "units": float_round(quantity, precision_digits=4),
            }
            if line[uom_field] == product.uom_id:
                message = lines.env._(
                    "%(document)s: %(quantity)s %(uom)s of %(product)s is not a whole number. "
                    "A product tracked by serial number is counted in whole units, one serial "
                    "each: change the quantity.",
                    **values,
                )
            else:
                message = lines.env._(
                    "%(document)s: %(quantity)s %(uom)s of %(product)s is %(units)s units. A "
                    "product tracked by serial number is counted in whole units, one serial "
                    "each: change the quantity.",
                    **values,
                )
            raise ValidationError(message)


def whole_units_quantity(product, uom, quantity):
    """The smallest quantity of ``uom``, at its rounding, not below ``quantity`` and holding a
    whole number of the product's units (procurement buys in the purchase unit)."""
    if product.tracking != "serial" or uom == product.uom_id:
        return quantity
    units_per_uom = uom._compute_quantity(1, product.uom_id, round=False)
    needed = uom._compute_quantity(quantity, product.uom_id, round=False)
    first = (
        int(needed) if float_is_zero(needed - int(needed), precision_digits=6) else int(needed) + 1
    )
    for units in range(first, first + int(units_per_uom) + 2):
        candidate = float_round(units / units_per_uom, precision_rounding=uom.rounding)
        if float_is_zero(candidate * units_per_uom - units, precision_digits=6):
            return candidate
    return quantity
