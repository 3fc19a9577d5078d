# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


class SerialReportWizard(models.TransientModel):
    _inherit = "serial.report.wizard"

    component_serial = fields.Char(
        string="Contains Component Serial",
        help="Only the units containing a component whose serial number holds this text, at "
        "any level (a part of a sub-assembly too).",
    )

    @api.depends("component_serial")
    def _compute_display_name(self):
        result = super()._compute_display_name()
        for wizard in self:
            if wizard.component_serial:
                wizard.display_name = " · ".join(
                    [
                        _(
                            'contains component "%(serial)s"',
                            serial=wizard.component_serial.strip(),
                        ),
                        wizard.display_name,
                    ]
                )
        return result

    def _get_domain(self):
        domain = super()._get_domain()
        if self.component_serial and self.component_serial.strip():
            domain.append(("component_lot_ids", "in", self.component_serial.strip()))
        return domain
