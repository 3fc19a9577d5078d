# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import datetime
import io
from urllib.parse import quote

import pytz
import xlsxwriter

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..models.stock_lot import SERIAL_STATES
from ..tools.spreadsheet import neutralise

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SerialReportWizard(models.TransientModel):
    """The Serial Number Report: serials filtered by the dates of their moves, products, part
    of their number, customer or vendor, status and company; shown on screen, printed or
    exported to a spreadsheet. Serials are searched with the user's own rights."""

    _name = "serial.report.wizard"
    _description = "Serial Number Report"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    date_from = fields.Date(string="Moved From")
    date_to = fields.Date(string="Moved To")
    product_ids = fields.Many2many(
        "product.product",
        string="Products",
        check_company=True,
        domain="[('tracking', '=', 'serial')]",
    )
    serial = fields.Char(string="Serial Number Contains")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer or Vendor",
        help="Serials this partner holds (delivered to it, or returned to it) or bought from it.",
    )
    serial_state = fields.Selection(SERIAL_STATES, string="Status")
    xlsx_file = fields.Binary(string="Spreadsheet", readonly=True, attachment=False)
    xlsx_name = fields.Char(readonly=True)

    @api.depends(
        "date_from", "date_to", "product_ids", "serial", "partner_id", "serial_state", "company_id"
    )
    def _compute_display_name(self):
        """The filters in words: the facet of the serial list that Show opens."""
        states = dict(self._fields["serial_state"]._description_selection(self.env))
        for wizard in self:
            parts = []
            if wizard.date_from or wizard.date_to:
                parts.append(
                    _(
                        "moved %(start)s to %(end)s",
                        start=format_date(self.env, wizard.date_from) if wizard.date_from else "…",
                        end=format_date(self.env, wizard.date_to) if wizard.date_to else "…",
                    )
                )
            if wizard.product_ids:
                parts.append(", ".join(wizard.product_ids.mapped("display_name")))
            if wizard.serial:
                parts.append(_('serial contains "%(text)s"', text=wizard.serial.strip()))
            if wizard.partner_id:
                parts.append(wizard.partner_id.display_name)
            if wizard.serial_state:
                parts.append(states[wizard.serial_state])
            parts.append(wizard.company_id.name or "")
            wizard.display_name = " · ".join(part for part in parts if part)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from and wizard.date_to and wizard.date_from > wizard.date_to:
                raise UserError(_("The report's start date must be on or before its end date."))

    def _get_domain(self):
        self.ensure_one()
        domain = [("product_id.tracking", "=", "serial"), ("company_id", "=", self.company_id.id)]
        if self.product_ids:
            domain.append(("product_id", "in", self.product_ids.ids))
        if self.serial:
            domain.append(("name", "ilike", self.serial.strip()))
        if self.serial_state:
            domain.append(("serial_state", "=", self.serial_state))
        if self.partner_id:
            partner = self.partner_id.commercial_partner_id
            # Who holds it, who sold it, and who it went to or came from on any transfer
            # (a customer keeps seeing the units it returned or that were sold on).
            domain += [
                "|",
                "|",
                ("holder_partner_id", "child_of", partner.id),
                ("serial_vendor_id", "child_of", partner.id),
                (
                    "serial_move_line_ids",
                    "any",
                    [("state", "=", "done"), ("picking_id.partner_id", "child_of", partner.id)],
                ),
            ]
        if self.date_from or self.date_to:
            moves = [("state", "=", "done")]
            # The dates are days of the user's time zone; moves are dated in UTC.
            if self.date_from:
                moves.append(("date", ">=", self._utc(self.date_from)))
            if self.date_to:
                moves.append(("date", "<", self._utc(self.date_to + datetime.timedelta(days=1))))
            domain.append(("serial_move_line_ids", "any", moves))
        return domain

    def _utc(self, day):
        """Midnight of ``day`` in the user's time zone, as a naive UTC datetime."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        local = tz.localize(datetime.datetime.combine(day, datetime.time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _local_date(self, moment):
        """The day of a UTC datetime in the user's time zone."""
        return moment and fields.Datetime.context_timestamp(self, moment).date()

    def _get_lots(self):
        return self.env["stock.lot"].search(self._get_domain(), order="product_id, name, id")

    def _get_columns(self):
        """Titles of the report's columns; the cost only for users who may see costs."""
        columns = [
            _("Product"),
            _("Serial Number"),
            _("Status"),
            _("Location or Customer"),
            _("Vendor"),
            _("Receipt Date"),
            _("Purchase Order"),
            _("Sales Order"),
            _("Delivery Date"),
        ]
        if self._show_cost():
            columns.append(_("Unit Cost"))
        return columns + [_("Warranty Type"), _("Warranty Start"), _("Warranty End")]

    def _show_cost(self):
        return self.env["stock.lot"]._fields["serial_unit_cost"].is_accessible(self.env)

    def _get_rows(self, lots):
        """One row of values per serial, in the order of the columns; dates as dates."""
        states = dict(
            self.env["stock.lot"]._fields["serial_state"]._description_selection(self.env)
        )
        show_cost = self._show_cost()
        # sudo: only the names of the orders, for serials the user can read (stock users may
        # have no purchase or sales rights).
        rows = []
        for lot, origin in zip(lots, lots.sudo(), strict=True):
            row = [
                lot.product_id.display_name,
                lot.name,
                states.get(lot.serial_state, ""),
                lot.holder_partner_id.display_name or lot.location_id.display_name or "",
                lot.serial_vendor_id.display_name or "",
                self._local_date(lot.serial_receipt_date),
                origin.purchase_line_id.order_id.name or "",
                origin.sale_line_id.order_id.name or "",
                self._local_date(lot.serial_delivery_date),
            ]
            if show_cost:
                row.append(lot.serial_unit_cost)
            row += [
                lot.warranty_type_id.name or "",
                lot.warranty_start_date or None,
                lot.warranty_end_date or None,
            ]
            rows.append(row)
        return rows

    def _format_cell(self, value):
        """A value as printed in the PDF."""
        if isinstance(value, datetime.date):
            return format_date(self.env, value)
        if isinstance(value, float):
            return self.company_id.currency_id.format(value)
        return value or ""

    def action_show(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serial_tracking.action_serial_inventory"
        )
        # The filters as a facet of the search bar (stock.lot.serial_report_id), which shows
        # them in words and can be removed, rather than a hidden domain.
        action["context"] = {
            "search_default_serial_report_id": self.id,
            "serial_report_id": self.id,
        }
        action["name"] = _("Serial Number Report")
        # Not the Serial Inventory's own address: reloading it would drop the filters.
        action.pop("path", None)
        action.pop("id", None)
        return action

    def action_print(self):
        self.ensure_one()
        # config=False: this internal report needs no document layout, so the first print does
        # not send the user to the layout set-up (and lose the dialog's filters).
        return self.env.ref("serial_tracking.action_report_serial_list").report_action(
            self, config=False
        )

    def action_export_xlsx(self):
        self.ensure_one()
        lots = self._get_lots()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(_("Serials"))
        bold = workbook.add_format({"bold": True})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        money = workbook.add_format({"num_format": "#,##0.00"})
        columns = self._get_columns()
        for col, title in enumerate(columns):
            sheet.write_string(0, col, title, bold)
        for row_index, row in enumerate(self._get_rows(lots), start=1):
            for col, value in enumerate(row):
                if value is None or value is False:
                    continue
                if isinstance(value, datetime.date):
                    sheet.write_datetime(
                        row_index,
                        col,
                        datetime.datetime.combine(value, datetime.time()),
                        date_format,
                    )
                elif isinstance(value, float):
                    sheet.write_number(row_index, col, value, money)
                else:
                    # Always text, never a formula, whatever a serial or a name starts with.
                    sheet.write_string(row_index, col, neutralise(str(value)))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(lots), 1), len(columns) - 1)
        workbook.close()
        self.write(
            {
                "xlsx_file": base64.b64encode(output.getvalue()),
                "xlsx_name": "%s.xlsx" % _("Serial Number Report"),
            }
        )
        return {
            "type": "ir.actions.act_url",
            # The type is given: guessed from the file's first bytes, as Odoo does otherwise,
            # a spreadsheet's zip cannot be read and each download logs two tracebacks.
            "url": "/web/content/%s/%s/xlsx_file/%s?download=true&mimetype=%s"
            % (self._name, self.id, quote(self.xlsx_name), quote(XLSX_MIMETYPE, safe="")),
            "target": "self",
        }
