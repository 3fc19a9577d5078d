import base64
import io
from collections import Counter

from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.serial_parser import parse_csv_bytes, parse_rows, parse_serials

PREVIEW_ROWS = 200  # serials listed in the preview; the counters cover all of them
ERRORS_SHOWN = 20  # problems listed in an error message


class SerialEntryWizard(models.TransientModel):
    """The serial popup: serial numbers typed, scanned, pasted, imported from a file or generated
    from the product's rule, checked in a preview, then applied to the document in one go."""

    _name = "serial.entry.wizard"
    _description = "Serial Number Entry"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    move_id = fields.Many2one("stock.move", readonly=True, check_company=True)
    product_id = fields.Many2one(
        "product.product", required=True, readonly=True, check_company=True
    )
    quantity = fields.Integer(
        string="Quantity to Process",
        readonly=True,
        help="Units of the product to process, each needing its own serial number.",
    )
    serial_text = fields.Text(
        string="Serial Numbers",
        help="One serial per line, or several separated by commas, semicolons or tabs; ranges "
        "such as SN0001-SN0250; a column pasted from a spreadsheet; GS1 barcode scans.",
    )
    upload_file = fields.Binary(string="Import File", attachment=False)
    upload_filename = fields.Char()
    generate_count = fields.Integer(
        string="Generate",
        help="How many serial numbers to add from the product's numbering rule.",
    )
    serial_count = fields.Integer(compute="_compute_preview", string="Serials Entered")
    new_count = fields.Integer(compute="_compute_preview", string="New")
    known_count = fields.Integer(compute="_compute_preview", string="Known")
    duplicate_count = fields.Integer(compute="_compute_preview", string="Duplicates")
    invalid_count = fields.Integer(compute="_compute_preview", string="Invalid")
    counter = fields.Char(compute="_compute_preview")
    counter_state = fields.Selection(
        [("short", "Missing"), ("ok", "Complete"), ("over", "Too many")],
        compute="_compute_preview",
    )
    preview_html = fields.Html(compute="_compute_preview", sanitize=False)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        move = self.env["stock.move"].browse(values.get("move_id"))
        if move:
            move.check_access("write")
            move._check_serial_entry_allowed()
            values.update(
                company_id=move.company_id.id,
                product_id=move.product_id.id,
                quantity=move._get_serial_quantity(),
                serial_text="\n".join(move._get_serial_names()),
            )
            values["generate_count"] = max(
                values["quantity"] - len(values["serial_text"].splitlines()), 0
            )
        return values

    # ------------------------------------------------------------------
    # Checking the entry
    # ------------------------------------------------------------------

    def _parse(self):
        self.ensure_one()
        limit = self.company_id.serial_entry_limit or 10000
        return parse_serials(self.serial_text or "", max_count=limit)

    def _analyse(self):
        """Parse the text and look every serial up, in a fixed number of queries.

        Returns a dict: ``result`` (the parse result), ``names`` (unique serials in order),
        ``lots`` (known lots by name), ``in_stock`` (name -> location name for known serials
        already in stock in the company) and ``status`` (name -> new/known/duplicate/invalid).
        """
        self.ensure_one()
        result = self._parse()
        names = list(dict.fromkeys(result.serials))
        lots = {}
        in_stock = {}
        if names and self.product_id:
            lots = {
                lot.name: lot
                for lot in self.env["stock.lot"].search(
                    [
                        ("product_id", "=", self.product_id.id),
                        ("company_id", "in", [self.company_id.id, False]),
                        ("name", "in", names),
                    ]
                )
            }
            in_stock = self._get_serials_in_stock(lots)
        duplicates = result.duplicates
        status = {}
        for name in names:
            if name in in_stock:
                status[name] = "invalid"
            elif name in duplicates:
                status[name] = "duplicate"
            elif name in lots:
                status[name] = "known"
            else:
                status[name] = "new"
        return {
            "result": result,
            "names": names,
            "lots": lots,
            "in_stock": in_stock,
            "status": status,
        }

    def _get_serials_in_stock(self, lots_by_name):
        """Known serials that are in stock in an internal location of the company: a unit cannot
        be received twice. Units already on this move's own lines are not counted."""
        if not lots_by_name:
            return {}
        quants = self.env["stock.quant"].search(
            [
                ("lot_id", "in", [lot.id for lot in lots_by_name.values()]),
                ("location_id.usage", "=", "internal"),
                ("company_id", "=", self.company_id.id),
                ("quantity", ">", 0),
            ]
        )
        return {quant.lot_id.name: quant.location_id.display_name for quant in quants}

    def _get_errors(self, analysis):
        """Every reason the entry cannot be applied, each naming its line and serial."""
        self.ensure_one()
        result = analysis["result"]
        errors = [problem.message for problem in result.problems]
        lines_of = {}
        for entry in result.entries:
            lines_of.setdefault(entry.serial, []).append(entry.line)
        for name, lines in result.duplicates.items():
            errors.append(
                _(
                    "Lines %(lines)s: the serial number %(serial)s is entered %(count)s times.",
                    lines=", ".join(str(line) for line in lines),
                    serial=name,
                    count=len(lines),
                )
            )
        for name, location in analysis["in_stock"].items():
            errors.append(
                _(
                    "Line %(line)s: the serial number %(serial)s of %(product)s is already in "
                    "stock at %(location)s.",
                    line=lines_of[name][0],
                    serial=name,
                    product=self.product_id.display_name,
                    location=location,
                )
            )
        count = len(analysis["names"])
        if count > self.quantity:
            errors.append(
                _(
                    "%(count)s serial numbers are entered but only %(quantity)s units of "
                    "%(product)s are to be processed: remove %(extra)s.",
                    count=count,
                    quantity=self.quantity,
                    product=self.product_id.display_name,
                    extra=count - self.quantity,
                )
            )
        return errors

    @api.depends("serial_text", "product_id", "quantity", "company_id")
    def _compute_preview(self):
        labels = {
            "new": _("New"),
            "known": _("Known"),
            "duplicate": _("Duplicate"),
            "invalid": _("Already in stock"),
        }
        badge = {
            "new": "text-bg-success",
            "known": "text-bg-info",
            "duplicate": "text-bg-warning",
            "invalid": "text-bg-danger",
        }
        for wizard in self:
            analysis = wizard._analyse()
            counts = Counter(analysis["status"].values())
            result = analysis["result"]
            wizard.serial_count = len(analysis["names"])
            wizard.new_count = counts["new"]
            wizard.known_count = counts["known"]
            wizard.duplicate_count = counts["duplicate"]
            wizard.invalid_count = counts["invalid"] + len(result.problems)
            count = len(analysis["names"])
            wizard.counter = _(
                "%(count)s / %(quantity)s serials", count=count, quantity=wizard.quantity
            )
            wizard.counter_state = (
                "over" if count > wizard.quantity else "ok" if count == wizard.quantity else "short"
            )
            wizard.preview_html = wizard._render_preview(analysis, labels, badge)

    def _render_preview(self, analysis, labels, badge):
        result = analysis["result"]
        errors = self._get_errors(analysis)
        parts = []
        if errors:
            items = Markup("").join(
                Markup("<li>%s</li>") % error for error in errors[:ERRORS_SHOWN]
            )
            more = ""
            if len(errors) > ERRORS_SHOWN:
                more = Markup("<li>%s</li>") % _(
                    "… and %(count)s more.", count=len(errors) - ERRORS_SHOWN
                )
            parts.append(
                Markup(
                    '<div class="alert alert-danger o_serial_entry_errors" role="alert">'
                    '<ul class="mb-0">%s%s</ul></div>'
                )
                % (items, more)
            )
        first_line = {}
        for entry in result.entries:
            first_line.setdefault(entry.serial, entry.line)
        rows = Markup("").join(
            Markup('<tr><td>%s</td><td>%s</td><td><span class="badge %s">%s</span></td></tr>')
            % (first_line[name], name, badge[status], labels[status])
            for name, status in list(analysis["status"].items())[:PREVIEW_ROWS]
        )
        if rows:
            hidden = len(analysis["status"]) - PREVIEW_ROWS
            tail = ""
            if hidden > 0:
                tail = Markup('<tr><td colspan="3" class="text-muted">%s</td></tr>') % _(
                    "… %(count)s more serial numbers.", count=hidden
                )
            parts.append(
                Markup(
                    '<table class="table table-sm o_serial_entry_preview"><thead><tr>'
                    "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>%s%s</tbody></table>"
                )
                % (_("Line"), _("Serial Number"), _("Status"), rows, tail)
            )
        return Markup("").join(parts) or escape("")

    # ------------------------------------------------------------------
    # Buttons and file import
    # ------------------------------------------------------------------

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Serial Numbers: %(product)s", product=self.product_id.display_name),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": self.env.context,
        }

    def _append_serials(self, names):
        text = (self.serial_text or "").rstrip("\n")
        addition = "\n".join(names)
        self.serial_text = "%s\n%s" % (text, addition) if text else addition

    def action_generate(self):
        """Add the next serial numbers of the product's rule to the entry."""
        self.ensure_one()
        if self.generate_count <= 0:
            raise UserError(_("Say how many serial numbers to generate (1 or more)."))
        product = self.product_id.with_company(self.company_id)
        self._append_serials(product.serial_next_names(self.generate_count))
        self.generate_count = 0
        return self._reopen()

    @api.onchange("upload_file")
    def _onchange_upload_file(self):
        if not self.upload_file:
            return None
        data = base64.b64decode(self.upload_file)
        filename = self.upload_filename or ""
        limit = self.company_id.serial_entry_limit or 10000
        self.upload_file = False
        try:
            result = self._read_serial_file(data, filename, limit)
        except UserError as error:
            return {"warning": {"title": _("Import failed"), "message": error.args[0]}}
        if result.problems:
            return {
                "warning": {
                    "title": _("Nothing was imported from %(file)s", file=filename),
                    "message": "\n".join(p.message for p in result.problems[:ERRORS_SHOWN]),
                }
            }
        self._append_serials(result.serials)
        return None

    @api.model
    def _read_serial_file(self, data, filename, limit):
        """Parse an uploaded CSV or XLSX file (a 'serial' column, or the first column)."""
        if filename.lower().endswith(".xlsx") or data[:2] == b"PK":
            return parse_rows(self._read_xlsx_rows(data, filename), max_count=limit)
        return parse_csv_bytes(data, max_count=limit)

    @api.model
    def _read_xlsx_rows(self, data, filename):
        try:
            import openpyxl

            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:
            raise UserError(
                _(
                    "%(file)s is not a readable XLSX file (%(error)s). Save it as .xlsx or .csv.",
                    file=filename or _("The file"),
                    error=error,
                )
            )
        sheet = workbook.worksheets[0]
        rows = [
            ["" if cell is None else cell for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        workbook.close()
        return rows

    def action_apply(self):
        """Write the entered serials on the document, one line per unit, in one batch. Any
        problem stops everything: nothing is written and the entry stays as typed."""
        self.ensure_one()
        analysis = self._analyse()
        errors = self._get_errors(analysis)
        if errors:
            shown = errors[:ERRORS_SHOWN]
            if len(errors) > ERRORS_SHOWN:
                shown.append(_("… and %(count)s more.", count=len(errors) - ERRORS_SHOWN))
            raise UserError(
                _("The serial numbers cannot be applied:\n%(errors)s", errors="\n".join(shown))
            )
        if self.move_id:
            self.move_id._check_serial_entry_allowed()
            self.move_id._set_serial_names(analysis["names"])
        return {"type": "ir.actions.act_window_close"}
