# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import binascii
import io
import zipfile
from collections import Counter, defaultdict

from markupsafe import Markup, escape

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from ..models.serial_messages import line_message, parser_message
from ..tools.serial_parser import parse_csv_bytes, parse_rows, parse_serials, serials_to_text

PREVIEW_ROWS = 200  # serials listed in the preview; the counters cover all of them
ERRORS_SHOWN = 20  # problems listed in an error message
XLSX_MAX_UNPACKED = 50 * 1024 * 1024  # bytes of an uploaded workbook once unzipped
XLSX_MAX_COLUMNS = 200  # columns of an uploaded workbook looked at


class SerialEntryWizard(models.TransientModel):
    """The serial popup: serial numbers typed, scanned, pasted, imported from a file or generated
    from the product's rule, checked in a preview, then applied to the document in one go."""

    _name = "serial.entry.wizard"
    _description = "Serial Number Entry"
    _check_company_auto = True

    mode = fields.Selection(
        [
            ("receive", "Receive"),
            ("purchase", "Announce on Purchase"),
            ("sale", "Choose for Sale"),
            ("deliver", "Choose for Transfer"),
            ("scrap", "Scrap"),
            ("adjust_out", "Adjust Out"),
            ("installed_base", "Installed Base"),
            ("assign_stock", "Serials for Stock on Hand"),
        ],
        default="receive",
        required=True,
        readonly=True,
        help="Receive: serials for a move's units. Announce on Purchase: the serials a vendor "
        "announced for a purchase order line, expected until received. Choose for Sale and for "
        "Transfer: the exact units in stock a sales line or an outgoing move takes. Scrap and "
        "Adjust Out: "
        "units in stock that leave it. Installed Base: units already at a customer's site, "
        "registered. Serials for Stock on Hand: names for the units counted without serial at "
        "a location.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    move_id = fields.Many2one("stock.move", readonly=True, check_company=True)
    purchase_line_id = fields.Many2one(
        "purchase.order.line", string="Purchase Order Line", readonly=True, check_company=True
    )
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Sales Order Line", readonly=True, check_company=True
    )
    pick_lot_ids = fields.Many2many(
        "stock.lot",
        string="Search Serials",
        check_company=True,
        help="Find serials in stock by part of their number and add them to the entry.",
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        domain="[('tracking', '=', 'serial'), ('is_storable', '=', True)]",
    )
    location_id = fields.Many2one(
        "stock.location",
        readonly=True,
        check_company=True,
        help="Serials for stock on hand: the location whose units get the serials.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        check_company=True,
        help="Installed base: the customer whose site holds the units.",
    )
    date = fields.Datetime(
        default=fields.Datetime.now,
        help="Installed base: when the units were delivered (their warranty starts then).",
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

    def _check_storable_text(self, vals):
        """PostgreSQL stores no NUL character: say on which line it is, rather than fail."""
        text = vals.get("serial_text") or ""
        if "\x00" in text:
            lines = [
                str(number) for number, line in enumerate(text.splitlines(), 1) if "\x00" in line
            ]
            raise UserError(
                _(
                    "Line %(lines)s of the entry holds a NUL character (U+0000), which cannot be "
                    "saved: remove it.",
                    lines=", ".join(lines[:10]),
                )
            )

    def write(self, vals):
        self._check_storable_text(vals)
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        # The document first: another company's id gets an access error, before Odoo's company
        # check would name the document in its message.
        for vals in vals_list:
            self._check_storable_text(vals)
            for field_name in ("move_id", "purchase_line_id", "sale_line_id"):
                if vals.get(field_name):
                    comodel = self._fields[field_name].comodel_name
                    self.env[comodel].browse(vals[field_name]).check_access("write")
        return super().create(vals_list)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        move = self.env["stock.move"].browse(values.get("move_id"))
        if move:
            move.check_access("write")
            move._check_serial_entry_allowed()
            if move.location_id.usage == "internal":
                values.update(mode="deliver", location_id=move.location_id.id)
            values.update(
                company_id=move.company_id.id,
                product_id=move.product_id.id,
                quantity=move._get_serial_quantity(),
                serial_text=serials_to_text(move._get_serial_names()),
            )
            values["generate_count"] = max(
                values["quantity"] - len(values["serial_text"].splitlines()), 0
            )
        elif values.get("purchase_line_id"):
            line = self.env["purchase.order.line"].browse(values["purchase_line_id"])
            line.check_access("write")
            line._check_serial_entry_allowed()
            names = line.serial_ids.sorted("id").mapped("name")
            values.update(
                mode="purchase",
                company_id=line.company_id.id,
                product_id=line.product_id.id,
                quantity=line._get_serial_quantity(),
                serial_text=serials_to_text(names),
                generate_count=max(line._get_serial_quantity() - len(names), 0),
            )
        elif values.get("sale_line_id"):
            line = self.env["sale.order.line"].browse(values["sale_line_id"])
            line.check_access("write")
            line._check_serial_entry_allowed()
            values.update(
                mode="sale",
                company_id=line.company_id.id,
                product_id=line.product_id.id,
                location_id=line._serial_location().id,
                quantity=line._get_serial_entry_quantity(),
                serial_text=serials_to_text(line._get_serial_chosen().sorted("id").mapped("name")),
            )
        elif values.get("mode") == "assign_stock" and values.get("product_id"):
            product = self.env["product.product"].browse(values["product_id"])
            location, quantity = next(iter(product._get_serial_unassigned_stock()), (False, 0))
            values.update(
                location_id=location and location.id,
                quantity=int(quantity),
                generate_count=int(quantity),
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
        invalid = self._get_invalid_serials(names, lots, in_stock)
        duplicates = result.duplicates
        status = {}
        for name in names:
            if name in invalid:
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
            "invalid": invalid,
            "status": status,
        }

    def _get_invalid_serials(self, names, lots, in_stock):
        """Serials that this entry cannot take, with the reason, by mode."""
        self.ensure_one()
        product = self.product_id.display_name
        invalid = {}
        if self.mode in ("scrap", "adjust_out"):
            for name in names:
                if name not in lots:
                    invalid[name] = _(
                        "%(serial)s is not a serial number of %(product)s in %(company)s.",
                        serial=name,
                        product=product,
                        company=self.company_id.name,
                    )
                elif name not in in_stock:
                    invalid[name] = _(
                        "%(serial)s of %(product)s is not in stock (%(state)s).",
                        serial=name,
                        product=product,
                        state=dict(
                            lots[name]._fields["serial_state"]._description_selection(self.env)
                        ).get(lots[name].serial_state, ""),
                    )
            return invalid
        if self.mode in ("sale", "deliver"):
            available = set(
                self.env["stock.lot"]
                .union(*lots.values())
                ._serial_available_in(
                    self.location_id, sale_line=self.sale_line_id, moves=self.move_id
                )
                .ids
            )
            for name in names:
                lot = lots.get(name)
                if not lot:
                    invalid[name] = _(
                        "%(serial)s is not a serial number of %(product)s in %(company)s.",
                        serial=name,
                        product=product,
                        company=self.company_id.name,
                    )
                elif lot.id not in available:
                    invalid[name] = _(
                        "%(serial)s of %(product)s is not available in %(location)s (%(where)s).",
                        serial=name,
                        product=product,
                        location=self.location_id.display_name,
                        where=lot._serial_where(),
                    )
            return invalid
        if self.mode == "purchase":
            for name, lot in lots.items():
                if lot.purchase_line_id != self.purchase_line_id:
                    invalid[name] = _(
                        "the serial number %(serial)s of %(product)s already exists in "
                        "%(company)s (%(state)s%(origin)s).",
                        serial=name,
                        product=product,
                        company=self.company_id.name,
                        state=dict(
                            lot._fields["serial_state"]._description_selection(self.env)
                        ).get(lot.serial_state, "")
                        or _("no status"),
                        origin=lot.purchase_order_id and ", %s" % lot.purchase_order_id.name or "",
                    )
            return invalid
        for name, quant in in_stock.items():
            invalid[name] = _(
                "the serial number %(serial)s of %(product)s is already in stock at %(location)s.",
                serial=name,
                product=product,
                location=quant.location_id.display_name,
            )
        if self.mode == "assign_stock":
            for name, lot in lots.items():
                if lot.serial_state in ("delivered", "in_transit") and name not in invalid:
                    invalid[name] = _(
                        "the serial number %(serial)s of %(product)s is %(state)s.",
                        serial=name,
                        product=product,
                        state=dict(lot._fields["serial_state"]._description_selection(self.env))[
                            lot.serial_state
                        ].lower(),
                    )
        if self.mode == "installed_base":
            for name, lot in lots.items():
                if lot.serial_state == "in_transit":
                    invalid[name] = _(
                        "the serial number %(serial)s of %(product)s is in transit.",
                        serial=name,
                        product=product,
                    )
                if lot.holder_partner_id and lot.serial_state == "delivered":
                    invalid[name] = _(
                        "the serial number %(serial)s of %(product)s is already at %(partner)s.",
                        serial=name,
                        product=product,
                        partner=lot.holder_partner_id.display_name,
                    )
        return invalid

    def _get_serials_in_stock(self, lots_by_name):
        """Known serials in stock in an internal location of the company, with their quant."""
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
        return {quant.lot_id.name: quant for quant in quants}

    def _get_errors(self, analysis):
        """Every reason the entry cannot be applied, each naming its line and serial."""
        self.ensure_one()
        result = analysis["result"]
        errors = [parser_message(self.env, problem) for problem in result.problems]
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
        for name, reason in analysis["invalid"].items():
            errors.append(line_message(self.env, lines_of[name][0], reason))
        count = len(analysis["names"])
        if self.mode == "installed_base" and not self.partner_id:
            errors.append(_("Say which customer holds these units."))
        if self.mode == "assign_stock" and count != self.quantity:
            errors.append(
                _(
                    "%(quantity)s units of %(product)s at %(location)s have no serial: enter "
                    "exactly %(quantity)s serial numbers (%(count)s entered).",
                    quantity=self.quantity,
                    product=self.product_id.display_name,
                    location=self.location_id.display_name,
                    count=count,
                )
            )
        if self.mode in ("receive", "purchase", "sale", "deliver") and count > self.quantity:
            errors.append(
                _(
                    "%(count)s serial numbers are entered but only %(quantity)s units of "
                    "%(product)s are %(what)s: remove %(extra)s.",
                    count=count,
                    quantity=self.quantity,
                    product=self.product_id.display_name,
                    what=_("ordered")
                    if self.mode in ("purchase", "sale")
                    else _("to be processed"),
                    extra=count - self.quantity,
                )
            )
        if self.mode == "purchase":
            entered = set(analysis["names"])
            for lot in self.purchase_line_id.serial_ids:
                if lot.serial_state != "expected" and lot.name not in entered:
                    errors.append(
                        _(
                            "%(serial)s was received already (%(state)s): it stays on the "
                            "line; only expected serials can be removed.",
                            serial=lot.name,
                            state=dict(
                                lot._fields["serial_state"]._description_selection(self.env)
                            )[lot.serial_state].lower(),
                        )
                    )
        return errors

    @api.depends(
        "serial_text",
        "product_id",
        "quantity",
        "company_id",
        "mode",
        "partner_id",
        "purchase_line_id",
        "sale_line_id",
        "location_id",
    )
    def _compute_preview(self):
        labels = {
            "new": _("New"),
            "known": _("Known"),
            "duplicate": _("Duplicate"),
            "invalid": _("Invalid"),
        }
        badge = {
            "new": "text-bg-success",
            "known": "text-bg-info",
            "duplicate": "text-bg-warning",
            "invalid": "text-bg-danger",
        }
        for wizard in self:
            if wizard.mode in ("sale", "deliver"):
                labels["known"] = _("Available")
            analysis = wizard._analyse()
            counts = Counter(analysis["status"].values())
            result = analysis["result"]
            wizard.serial_count = len(analysis["names"])
            wizard.new_count = counts["new"]
            wizard.known_count = counts["known"]
            wizard.duplicate_count = counts["duplicate"]
            wizard.invalid_count = counts["invalid"] + len(result.problems)
            count = len(analysis["names"])
            if wizard.mode in ("receive", "purchase", "sale", "deliver", "assign_stock"):
                wizard.counter = _(
                    "%(count)s / %(quantity)s serials", count=count, quantity=wizard.quantity
                )
                wizard.counter_state = (
                    "over"
                    if count > wizard.quantity
                    else "ok"
                    if count == wizard.quantity
                    else "short"
                )
            else:
                wizard.counter = _("%(count)s serials", count=count)
                wizard.counter_state = "ok" if count else "short"
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

    @api.model
    def _action_open(self, name, context, res_id=False):
        """The window action showing the popup as a dialog."""
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": self._name,
            "res_id": res_id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    def _reopen(self):
        return self._action_open(
            _("Serial Numbers: %(product)s", product=self.product_id.display_name),
            self.env.context,
            res_id=self.id,
        )

    def _append_serials(self, names):
        text = (self.serial_text or "").rstrip("\n")
        addition = serials_to_text(names)
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

    def action_pick_oldest(self):
        """Complete the entry with the serials received first among those available."""
        self.ensure_one()
        analysis = self._analyse()
        missing = self.quantity - len(analysis["names"])
        if missing <= 0:
            raise UserError(_("The entry already holds a serial for every unit."))
        # The serials in stock there (also those this line's own delivery reserved), oldest
        # received first; checked for availability a chunk at a time.
        groups = self.env["stock.quant"]._read_group(
            [
                ("product_id", "=", self.product_id.id),
                ("location_id", "child_of", self.location_id.id),
                ("location_id.usage", "=", "internal"),
                ("lot_id", "!=", False),
                ("quantity", ">", 0),
            ],
            ["lot_id"],
        )
        candidates = self.env["stock.lot"].search(
            [
                ("id", "in", [lot.id for (lot,) in groups]),
                ("name", "not in", analysis["names"]),
                ("serial_state", "in", ("in_stock", "reserved")),
            ],
            order="serial_receipt_date, name, id",
        )
        picked = self.env["stock.lot"]
        chunk = max(missing * 2, 100)
        for start in range(0, len(candidates), chunk):
            picked |= candidates[start : start + chunk]._serial_available_in(
                self.location_id, sale_line=self.sale_line_id, moves=self.move_id
            )
            if len(picked) >= missing:
                break
        picked = picked[:missing]
        if not picked:
            raise UserError(
                _(
                    "No other serial of %(product)s is available in %(location)s.",
                    product=self.product_id.display_name,
                    location=self.location_id.display_name,
                )
            )
        self._append_serials(picked.mapped("name"))
        return self._reopen()

    @api.onchange("pick_lot_ids")
    def _onchange_pick_lot_ids(self):
        if self.pick_lot_ids:
            entered = set(self._parse().serials)
            self._append_serials(
                [name for name in self.pick_lot_ids.mapped("name") if name not in entered]
            )
            self.pick_lot_ids = [Command.clear()]

    @api.onchange("upload_file")
    def _onchange_upload_file(self):
        """Add the serials of an uploaded CSV or XLSX file to the entry, all or none: a file
        that cannot be read, holds a bad value or too many serials changes nothing and says
        why (naming the row)."""
        if not self.upload_file:
            return None
        filename = self.upload_filename or ""
        limit = self.company_id.serial_entry_limit or 10000
        try:
            data = base64.b64decode(self.upload_file)
        except (binascii.Error, ValueError, TypeError):
            data = None
        self.upload_file = False
        title = _("Nothing was imported from %(file)s", file=filename or _("the file"))
        if data is None:
            return {"warning": {"title": title, "message": _("The upload could not be read.")}}
        try:
            result = self._read_serial_file(data, filename, limit)
        except UserError as error:
            return {"warning": {"title": _("Import failed"), "message": error.args[0]}}
        if result.problems:
            return {
                "warning": {
                    "title": title,
                    "message": "\n".join(
                        parser_message(self.env, problem)
                        for problem in result.problems[:ERRORS_SHOWN]
                    ),
                }
            }
        entered = len(self._parse().entries)
        if entered + len(result.entries) > limit:
            return {
                "warning": {
                    "title": title,
                    "message": _(
                        "The file holds %(count)s serial numbers and %(entered)s are entered "
                        "already: at most %(limit)s can be entered at once (Serials per Entry, "
                        "in the Inventory settings).",
                        count=len(result.entries),
                        entered=entered,
                        limit=limit,
                    ),
                }
            }
        self._append_serials(result.serials)
        return None

    @api.model
    def _read_serial_file(self, data, filename, limit):
        """Parse an uploaded CSV or XLSX file (a 'serial' column, or the first column). A
        workbook is known by its name or by the zip signature at its start (a CSV whose first
        serial starts with "PK" stays a CSV); an old binary .xls is refused with a message."""
        data = bytes(data or b"")
        name = (filename or "").lower()
        if not data.strip():
            return parse_csv_bytes(b"", max_count=limit)  # 'The file contains no serial numbers.'
        if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: Excel 97-2003
            raise UserError(
                _(
                    "%(file)s is an old Excel workbook (.xls): save it as .xlsx or .csv.",
                    file=filename or _("The file"),
                )
            )
        if name.endswith((".xlsx", ".xlsm")) or data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            return parse_rows(self._read_xlsx_rows(data, filename, limit), max_count=limit)
        return parse_csv_bytes(data, max_count=limit)

    @api.model
    def _read_xlsx_rows(self, data, filename, limit=10000):
        """The cells of the first sheet, row by row. Whatever the bytes, this returns rows or
        raises a UserError naming the file: a broken or foreign zip, a workbook that unpacks to
        more than XLSX_MAX_UNPACKED bytes, or claims (or has) far more rows than ``limit``
        serials need, is refused before it can take the server's memory or time."""
        file = filename or _("The file")

        def unreadable(error):
            return UserError(
                self.env._(
                    "%(file)s is not a readable XLSX file (%(error)s). Save it as .xlsx or .csv.",
                    file=file,
                    error=str(error)[:200] or type(error).__name__,
                )
            )

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except Exception as error:
            raise unreadable(error) from None
        if unpacked > XLSX_MAX_UNPACKED:
            raise UserError(
                _(
                    "%(file)s is too large once unpacked (%(size)s MB, at most %(max)s MB): keep "
                    "only the serial numbers in it, or save it as .csv.",
                    file=file,
                    size=unpacked // (1024 * 1024),
                    max=XLSX_MAX_UNPACKED // (1024 * 1024),
                )
            )
        # Blank rows are cheap but not free: a sheet may say it has a million of them.
        max_rows = 2 * limit + 1000
        rows = []
        filled = 0
        workbook = None
        try:
            import openpyxl

            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # the size a sheet states may be false: read what is there
            for row in sheet.iter_rows(values_only=True):
                if len(rows) >= max_rows or filled > limit + 1:  # + 1: the heading
                    raise UserError(
                        _(
                            "%(file)s has more than %(rows)s rows: at most %(limit)s serial "
                            "numbers can be entered at once.",
                            file=file,
                            rows=len(rows) if filled <= limit + 1 else limit + 1,
                            limit=limit,
                        )
                    )
                cells = ["" if cell is None else cell for cell in row[:XLSX_MAX_COLUMNS]]
                filled += any(cell != "" for cell in cells)
                rows.append(cells)
        except UserError:
            raise
        except Exception as error:
            raise unreadable(error) from None
        finally:
            if workbook is not None:
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
        getattr(self, "_apply_%s" % self.mode)(analysis)
        if self.mode == "assign_stock" and self.product_id._get_serial_unassigned_stock():
            return self.product_id.action_assign_serials_to_stock()  # the next location
        return {"type": "ir.actions.act_window_close"}

    def _get_document(self):
        """The move or order line the entry is for, checked again at apply: the document, not
        the values the popup was given, says what may be written."""
        document = self.move_id or self.purchase_line_id or self.sale_line_id
        if not document:
            raise UserError(_("The serial popup needs the move or order line it is for."))
        document.check_access("write")
        document._check_serial_entry_allowed()
        return document

    def _check_fits(self, document, analysis):
        quantity = document._get_serial_entry_quantity()
        if document.product_id != self.product_id or len(analysis["names"]) > quantity:
            raise UserError(
                _(
                    "%(document)s is for %(quantity)s units of %(product)s: the entry does not "
                    "fit it.",
                    document=document._name == "stock.move"
                    and (document.reference or document.display_name)
                    or document.order_id.name,
                    quantity=quantity,
                    product=document.product_id.display_name,
                )
            )

    def _selected_lots(self, analysis):
        return self.env["stock.lot"].union(*(analysis["lots"][name] for name in analysis["names"]))

    def _apply_receive(self, analysis):
        move = self._get_document()
        self._check_fits(move, analysis)
        move._set_serial_names(analysis["names"])

    def _apply_purchase(self, analysis):
        line = self._get_document()
        self._check_fits(line, analysis)
        line._set_serial_names(analysis["names"])

    def _apply_sale(self, analysis):
        line = self._get_document()
        self._check_fits(line, analysis)
        line._set_serial_lots(self._selected_lots(analysis))

    def _apply_deliver(self, analysis):
        move = self._get_document()
        self._check_fits(move, analysis)
        move._serial_choose(self._selected_lots(analysis))

    def _apply_scrap(self, analysis):
        """Scrap the units: one done scrap move per location they are in."""
        scrap_location = self.env["stock.location"].search(
            [
                ("scrap_location", "=", True),
                ("company_id", "in", [self.company_id.id, False]),
            ],
            limit=1,
            order="company_id",
        )
        if not scrap_location:
            raise UserError(_("%(company)s has no scrap location.", company=self.company_id.name))
        self._move_out_of_stock(analysis, scrap_location, _("Scrap"), scrapped=True)

    def _apply_adjust_out(self, analysis):
        """Count the units out of the inventory, as an inventory adjustment does."""
        quants = self.env["stock.quant"].browse(
            [analysis["in_stock"][name].id for name in analysis["names"]]
        )
        quants.with_context(inventory_mode=True).write({"inventory_quantity": 0})
        quants.action_apply_inventory()

    def _move_out_of_stock(self, analysis, destination, label, **move_values):
        quants_by_location = defaultdict(list)
        for name in analysis["names"]:
            quant = analysis["in_stock"][name]
            quants_by_location[quant.location_id].append(quant)
        moves = self.env["stock.move"].create(
            [
                {
                    "name": "%s: %s" % (label, self.product_id.display_name),
                    "product_id": self.product_id.id,
                    "product_uom": self.product_id.uom_id.id,
                    "product_uom_qty": len(quants),
                    "location_id": location.id,
                    "location_dest_id": destination.id,
                    "company_id": self.company_id.id,
                    "origin": label,
                    "move_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product_id.id,
                                "product_uom_id": self.product_id.uom_id.id,
                                "lot_id": quant.lot_id.id,
                                "package_id": quant.package_id.id,
                                "owner_id": quant.owner_id.id,
                                "quantity": 1,
                                "location_id": location.id,
                                "location_dest_id": destination.id,
                                "picked": True,
                            }
                        )
                        for quant in quants
                    ],
                    **move_values,
                }
                for location, quants in quants_by_location.items()
            ]
        )
        moves._action_confirm()
        moves.picked = True
        moves._action_done()

    def _get_or_create_lots(self, analysis):
        """Lots of the entered serials by name; the new ones are created in one batch."""
        return self.env["stock.lot"]._serial_create_missing(
            self.product_id, self.company_id, analysis["names"], analysis["lots"]
        )

    def _apply_assign_stock(self, analysis):
        """Name the units counted without serial at the location: an inventory adjustment takes
        them out and counts the named serials in, in one go."""
        names = analysis["names"]
        Quant = self.env["stock.quant"].with_context(inventory_mode=True)
        product = self.product_id.with_company(self.company_id)
        unassigned = Quant.search(product._get_serial_unassigned_domain(self.location_id))
        # Count again under lock: another user may have named these units meanwhile.
        if unassigned:
            self.env.cr.execute(
                "SELECT id FROM stock_quant WHERE id = ANY(%s) FOR UPDATE", [unassigned.ids]
            )
            unassigned.invalidate_recordset(["quantity"])
        available = sum(unassigned.mapped("quantity"))
        if available != len(names):
            raise UserError(
                _(
                    "%(location)s now holds %(available)s units of %(product)s without serial, "
                    "not %(count)s: open the popup again.",
                    location=self.location_id.display_name,
                    available=available,
                    product=product.display_name,
                    count=len(names),
                )
            )
        lots = self._get_or_create_lots(analysis)
        unassigned.write({"inventory_quantity": 0})
        named = Quant.create(
            [
                {
                    "product_id": self.product_id.id,
                    "location_id": self.location_id.id,
                    "lot_id": lots[name].id,
                    "inventory_quantity": 1,
                }
                for name in names
            ]
        )
        (unassigned | named).action_apply_inventory()

    def _apply_installed_base(self, analysis):
        """Register units already at the customer's site with a done move from the inventory
        adjustment location to the customer, dated when they were delivered."""
        product = self.product_id.with_company(self.company_id)
        source = product.property_stock_inventory
        destination = self.partner_id.with_company(self.company_id).property_stock_customer
        names = analysis["names"]
        lots = self._get_or_create_lots(analysis)
        move = self.env["stock.move"].create(
            {
                "name": _("Installed base: %(product)s", product=product.display_name),
                "product_id": product.id,
                "product_uom": product.uom_id.id,
                "product_uom_qty": len(names),
                "location_id": source.id,
                "location_dest_id": destination.id,
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "origin": _("Installed base"),
                "date": self.date,
                "move_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_id": product.uom_id.id,
                            "lot_id": lots[name].id,
                            "quantity": 1,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                            "picked": True,
                        }
                    )
                    for name in names
                ],
            }
        )
        move._action_confirm()
        move.picked = True
        move._action_done()
        # Done moves are dated now: the units were delivered at the date given.
        move.write({"date": self.date})
        move.move_line_ids.write({"date": self.date})
        move.move_line_ids.lot_id._serial_refresh()
