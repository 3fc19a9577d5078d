# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    def action_open_serials(self):
        """The serials this project's transfers moved (its materials, and what came back)."""
        self.ensure_one()
        self.check_access("read")
        lines = (
            self.env["stock.move.line"]
            .sudo()
            ._read_group(
                [
                    ("picking_id.project_id", "=", self.id),
                    ("state", "=", "done"),
                    ("lot_id", "!=", False),
                    ("product_id.tracking", "=", "serial"),
                ],
                ["lot_id"],
            )
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serial_tracking.action_serial_inventory"
        )
        action.update(
            name=_("Serials"),
            domain=[("id", "in", [lot.id for (lot,) in lines])],
            context={"create": 0},
        )
        action.pop("path", None)
        return action
