# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class MrpBatchProduce(models.TransientModel):
    _inherit = "mrp.batch.produce"

    def action_open_serial_entry(self):
        """From Odoo's "Serial numbers" step: the serial popup of the order instead."""
        self.ensure_one()
        return self.production_id.action_open_serial_entry()
