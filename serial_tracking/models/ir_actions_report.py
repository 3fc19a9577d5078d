# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import functools
import logging
import subprocess

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools.pdf import merge_pdf

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

_logger = logging.getLogger(__name__)


@functools.cache
def wkhtmltopdf_has_patched_qt():
    """Whether the wkhtmltopdf binary is the build Odoo recommends ("with patched qt").

    The builds of Linux distributions (Debian's among them) use an unpatched Qt: they ignore
    headers and footers, and given several documents they exit without writing any PDF."""
    try:
        out = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"], capture_output=True, check=False, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return b"patched qt" in out.lower()


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _run_wkhtmltopdf(self, bodies, report_ref=False, header=None, footer=None, **kwargs):
        """One PDF with every document, whatever the wkhtmltopdf build: an unpatched one is
        given the documents one at a time and the PDFs are merged; an empty result is an
        error that says so, never an empty file."""
        if len(bodies) > 1 and not wkhtmltopdf_has_patched_qt():
            _logger.info(
                "wkhtmltopdf without patched Qt: printing %s documents one at a time", len(bodies)
            )
            parts = [
                super(IrActionsReport, self)._run_wkhtmltopdf(
                    [body], report_ref=report_ref, header=header, footer=footer, **kwargs
                )
                for body in bodies
            ]
            if all(parts):
                return merge_pdf(parts)
            pdf = b""
        else:
            pdf = super()._run_wkhtmltopdf(
                bodies, report_ref=report_ref, header=header, footer=footer, **kwargs
            )
        if not pdf:
            raise UserError(
                _(
                    "The PDF could not be made: wkhtmltopdf (%(binary)s) wrote an empty file. "
                    "Check the server log, or install the wkhtmltopdf build Odoo recommends "
                    "(0.12.6.1 with patched Qt).",
                    binary=_get_wkhtmltopdf_bin(),
                )
            )
        return pdf
