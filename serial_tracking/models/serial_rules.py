"""Rules of serialization shared by several models (no model here)."""

from odoo.exceptions import ValidationError
from odoo.tools import float_is_zero, float_round


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
            raise ValidationError(
                lines.env._(
                    "%(document)s: %(quantity)s %(uom)s of %(product)s is %(units)s units. A "
                    "product tracked by serial number is counted in whole units: change the "
                    "quantity.",
                    document=document(line),
                    quantity=line[qty_field],
                    uom=line[uom_field].name,
                    product=product.display_name,
                    units=float_round(quantity, precision_digits=4),
                )
            )
