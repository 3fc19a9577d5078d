# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import clean_context


class StockMove(models.Model):
    _inherit = "stock.move"

    def _serial_takes_from_stock(self):
        """A subcontracted receipt comes from the subcontractor's location, an internal one:
        its units come in, produced there, and the popup names them."""
        return not self.is_subcontract and super()._serial_takes_from_stock()

    def _serial_entry_apply(self, entry, analysis):
        """A component of a subcontracting record: back to that record (Odoo's "Record
        components" dialog), where the production is recorded."""
        result = super()._serial_entry_apply(entry, analysis)
        production = self.raw_material_production_id
        subcontract_move = production and production._get_subcontract_move().filtered(
            lambda move: move.state not in ("done", "cancel")
        )
        if result or not subcontract_move:
            return result
        # Not the popup's own context (its defaults) for the record's dialog.
        action = (
            subcontract_move[:1]
            .with_context(clean_context(self.env.context))
            ._action_record_components()
        )
        action["res_id"] = production.id
        return action
