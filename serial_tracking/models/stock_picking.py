from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _sanity_check(self, separate_pickings=True):
        # Serials are generated before Odoo checks that every tracked unit has one.
        self._serial_generate_missing()
        return super()._sanity_check(separate_pickings=separate_pickings)

    def _serial_generate_missing(self):
        """Give the next numbers of the product's rule to the serial-tracked units that have no
        serial yet, on transfers whose operation type asks for it."""
        pickings = self.filtered(
            lambda p: p.picking_type_id.serial_auto_generate and p.state not in ("done", "cancel")
        )
        lines = pickings.move_line_ids.filtered(
            lambda ml: (
                ml.product_id.tracking == "serial"
                and not ml.lot_id
                and not ml.lot_name
                and ml.quantity_product_uom > 0
            )
        )
        if not lines:
            return
        # One reservation of names, and one creation of lots, per product and company.
        vals_list = []
        for (product, company), product_lines in lines.grouped(
            lambda ml: (ml.product_id, ml.company_id)
        ).items():
            units = [(ml, int(round(ml.quantity_product_uom))) for ml in product_lines]
            names = product.with_company(company).serial_next_names(
                sum(count for _ml, count in units)
            )
            needing_lots = [
                name
                for (ml, count), start in zip(units, _offsets(units), strict=True)
                if not ml.move_id._serial_uses_lot_names()
                for name in names[start : start + count]
            ]
            lots_by_name = {}
            if needing_lots:
                lots = self.env["stock.lot"].create(
                    [
                        {"name": name, "product_id": product.id, "company_id": company.id}
                        for name in needing_lots
                    ]
                )
                lots_by_name = {lot.name: lot for lot in lots}
            for (ml, count), start in zip(units, _offsets(units), strict=True):
                base_vals = {
                    "move_id": ml.move_id.id,
                    "picking_id": ml.picking_id.id,
                    "company_id": company.id,
                    "product_id": product.id,
                    "location_id": ml.location_id.id,
                    "location_dest_id": ml.location_dest_id.id,
                    "package_id": ml.package_id.id,
                    "result_package_id": ml.result_package_id.id,
                    "owner_id": ml.owner_id.id,
                    "picked": ml.picked,
                }
                vals_list += ml.move_id._prepare_serial_move_line_vals(
                    names[start : start + count], lots_by_name, base_vals=base_vals
                )
        lines.unlink()
        self.env["stock.move.line"].create(vals_list)


def _offsets(units):
    """Where each line's names start in the list of names reserved for all the lines."""
    offsets, total = [], 0
    for _ml, count in units:
        offsets.append(total)
        total += count
    return offsets
