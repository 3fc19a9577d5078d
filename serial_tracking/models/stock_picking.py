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
        vals_list = []
        for move, move_lines in lines.grouped("move_id").items():
            product = move.product_id.with_company(move.company_id)
            # A line may hold several units: each unit becomes a line of its own.
            units = [(ml, int(round(ml.quantity_product_uom))) for ml in move_lines]
            names = iter(product.serial_next_names(sum(count for _ml, count in units)))
            lots_by_name = {}
            if not move._serial_uses_lot_names():
                names = list(names)
                lots_by_name = move._serial_lots_for_names(names)
                names = iter(names)
            for ml, count in units:
                base_vals = {
                    "move_id": move.id,
                    "picking_id": ml.picking_id.id,
                    "company_id": ml.company_id.id,
                    "product_id": ml.product_id.id,
                    "location_id": ml.location_id.id,
                    "location_dest_id": ml.location_dest_id.id,
                    "package_id": ml.package_id.id,
                    "result_package_id": ml.result_package_id.id,
                    "owner_id": ml.owner_id.id,
                    "picked": ml.picked,
                }
                unit_names = [next(names) for _i in range(count)]
                vals_list += move._prepare_serial_move_line_vals(
                    unit_names, lots_by_name, base_vals=base_vals
                )
        lines.unlink()
        self.env["stock.move.line"].create(vals_list)
