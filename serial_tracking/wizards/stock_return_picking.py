# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import Command, _, api, fields, models
from odoo.exceptions import ValidationError


class StockReturnPickingLine(models.TransientModel):
    _inherit = "stock.return.picking.line"

    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        readonly=True,
        help="The unit that went out on the delivery: set the quantity to 1 to take it back.",
    )

    @api.constrains("lot_id", "quantity")
    def _check_serial_quantity(self):
        for line in self.filtered("lot_id"):
            if line.quantity not in (0, 1):
                raise ValidationError(
                    _(
                        "%(serial)s of %(product)s is one unit: return 1 or 0, not %(quantity)s.",
                        serial=line.lot_id.name,
                        product=line.product_id.display_name,
                        quantity=line.quantity,
                    )
                )

    def _prepare_move_default_values(self, new_picking):
        vals = super()._prepare_move_default_values(new_picking)
        count = self.env.context.get("serial_return_counts", {}).get(self.move_id.id)
        if self.lot_id and count:
            vals["product_uom_qty"] = count
        return vals


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    def _compute_moves_locations(self):
        # A transfer the user may not read (another company's, given by id) is refused here,
        # before its moves and serials fill the popup.
        # (Odoo computes this as superuser: the check is the user's.)
        self.picking_id.sudo(False).check_access("read")
        result = super()._compute_moves_locations()
        # From the Return button (its action asks for it): code creating the wizard itself keeps
        # Odoo's one line per move.
        if not self.env.context.get("serial_return_per_unit"):
            return result
        for wizard in self:
            picking = wizard.picking_id
            if not picking or picking.location_dest_id.usage != "customer":
                continue
            commands = []
            for line in wizard.product_return_moves:
                move = line.move_id
                if move.product_id.tracking != "serial":
                    continue
                # One line per serial that went out on this delivery and is still at this
                # customer's (not returned, not sold again to someone else).
                customer = picking.partner_id.commercial_partner_id
                lots = move.move_line_ids.filtered(lambda ml: ml.state == "done").lot_id.filtered(
                    lambda lot, customer=customer: (
                        lot.serial_state == "delivered"
                        and (not customer or lot.holder_partner_id == customer)
                    )
                )
                if not lots:
                    continue
                commands.append(Command.delete(line.id))
                commands += [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "move_id": move.id,
                            "lot_id": lot.id,
                            "quantity": 0,
                        }
                    )
                    for lot in lots.sorted("name")
                ]
            if commands:
                wizard.product_return_moves = commands
        return result

    def _create_return(self):
        # Serial lines of one move return together, as one move naming exactly those serials.
        lot_ids = defaultdict(list)
        for line in self.product_return_moves.filtered(lambda line: line.lot_id and line.quantity):
            lot_ids[line.move_id].append(line.lot_id.id)
        chosen = {move: self.env["stock.lot"].browse(ids) for move, ids in lot_ids.items()}
        quantities = {line: line.quantity for line in self.product_return_moves}
        for move in chosen:
            lines = self.product_return_moves.filtered(
                lambda line, move=move: line.move_id == move and line.quantity
            )
            lines[1:].quantity = 0  # the first line makes the move for all of them
        counts = {move.id: len(lots) for move, lots in chosen.items()}
        picking = super(
            StockReturnPicking, self.with_context(serial_return_counts=counts)
        )._create_return()
        # As entered again (an exchange reads them to order the replacements).
        for line, quantity in quantities.items():
            line.quantity = quantity
        for return_move in picking.move_ids:
            lots = chosen.get(return_move.origin_returned_move_id)
            if lots:
                return_move._set_serial_names(lots.mapped("name"))
        return picking
