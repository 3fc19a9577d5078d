# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class MrpUnbuild(models.Model):
    _inherit = "mrp.unbuild"

    def action_unbuild(self):
        result = super().action_unbuild()
        self.env["stock.lot"]._serial_genealogy_changed()
        return result
