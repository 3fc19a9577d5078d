# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import _, fields, models

NAMES_SHOWN = 20  # serials listed per cell of the reconciliation


class StockPicking(models.Model):
    _inherit = "stock.picking"

    serial_show_reconciliation = fields.Boolean(compute="_compute_serial_reconciliation")
    serial_reconciliation_html = fields.Html(
        string="Serial Reconciliation",
        compute="_compute_serial_reconciliation",
        sanitize=False,
        help="Serials announced on the purchase order next to those on this receipt: "
        "expected, received, missing and extra.",
    )

    def _compute_serial_reconciliation(self):
        for picking in self:
            moves = picking.move_ids.filtered(
                lambda m: (
                    m.purchase_line_id
                    and m.product_id.tracking == "serial"
                    and m.location_id.usage == "supplier"
                    and m.state != "cancel"
                )
            )
            # Only where the vendor announced serials: otherwise every serial would be "extra".
            announced = moves and moves.purchase_line_id.sudo().serial_ids.filtered(
                "serial_announced"
            )
            picking.serial_show_reconciliation = bool(announced)
            picking.serial_reconciliation_html = (
                picking._serial_render_reconciliation(picking._serial_reconcile(moves))
                if announced
                else False
            )

    def _serial_reconcile(self, moves):
        """For each purchase line received here: the serials announced for it and still due or
        on this receipt (expected), on this receipt (received), expected but not here
        (missing), and here without having been announced (extra)."""
        self.ensure_one()
        on_receipt = defaultdict(list)
        for line in moves.move_line_ids:
            name = line.lot_id.name or line.lot_name
            if name and line.state != "cancel":
                on_receipt[line.move_id.purchase_line_id].append(name)
        rows = []
        for purchase_line in moves.purchase_line_id:
            here = list(dict.fromkeys(on_receipt[purchase_line]))
            here_set = set(here)
            announced = purchase_line.sudo().serial_ids.filtered("serial_announced").sorted("id")
            announced_names = set(announced.mapped("name"))
            expected = [
                lot.name
                for lot in announced
                if lot.serial_state == "expected" or lot.name in here_set
            ]
            rows.append(
                {
                    "product": purchase_line.product_id,
                    "order": purchase_line.order_id,
                    "expected": expected,
                    "received": here,
                    "missing": [name for name in expected if name not in here_set],
                    "extra": [name for name in here if name not in announced_names],
                }
            )
        return rows

    def _serial_render_reconciliation(self, rows):
        def names(values, css):
            if not values:
                return Markup('<span class="text-muted">—</span>')
            shown = Markup(", ").join(
                Markup('<span class="badge %s">%s</span>') % (css, name)
                for name in values[:NAMES_SHOWN]
            )
            if len(values) > NAMES_SHOWN:
                shown += Markup(" %s") % _("and %(count)s more", count=len(values) - NAMES_SHOWN)
            return shown

        body = Markup("").join(
            Markup(
                "<tr><td>%s<br/><small class='text-muted'>%s</small></td><td>%s</td><td>%s</td>"
                "<td class='o_serial_missing'>%s</td><td class='o_serial_extra'>%s</td></tr>"
            )
            % (
                row["product"].display_name,
                row["order"].name,
                len(row["expected"]),
                len(row["received"]),
                names(row["missing"], "text-bg-warning"),
                names(row["extra"], "text-bg-info"),
            )
            for row in rows
        )
        return Markup(
            '<table class="table table-sm o_serial_reconciliation"><thead><tr>'
            "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>"
            "<tbody>%s</tbody></table>"
        ) % (_("Product"), _("Expected"), _("Received"), _("Missing"), _("Extra"), body)

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

    def _serial_certified_lots(self):
        """The serials this delivery brought to its customer and still with that customer:
        those its warranty certificates are for."""
        self.ensure_one()
        if self.state != "done" or self.picking_type_code != "outgoing":
            return self.env["stock.lot"]
        customer = self.partner_id.commercial_partner_id
        return self.move_line_ids.filtered(
            lambda ml: (
                ml.product_id.tracking == "serial" and ml.location_dest_id.usage == "customer"
            )
        ).lot_id.filtered(
            lambda lot: lot.serial_state == "delivered" and lot.holder_partner_id == customer
        )


def _offsets(units):
    """Where each line's names start in the list of names reserved for all the lines."""
    offsets, total = [], 0
    for _ml, count in units:
        offsets.append(total)
        total += count
    return offsets
