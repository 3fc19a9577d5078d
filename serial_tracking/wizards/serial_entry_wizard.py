# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import binascii
from collections import Counter

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from ..models.serial_messages import file_message, line_message, parser_message
from ..tools.serial_files import SerialFileError, read_serial_file
from ..tools.serial_parser import parse_serials, serials_to_text

PREVIEW_ROWS = 200  # serials listed in the preview; the counters cover all of them
ERRORS_SHOWN = 20  # problems listed in an error message
# The popup's fields that may hold its target when it is opened on one of these documents.
DOCUMENT_FIELDS = ("move_id", "purchase_line_id", "sale_line_id")


class SerialEntryWizard(models.TransientModel):
    """The serial popup: serial numbers typed, scanned, pasted, imported from a file or generated
    from the product's rule, checked in a preview, then applied in one go to its target (a
    ``serial.entry.target``: a document, or an operation such as scrap), which says which
    serials it can take and what applying them does."""

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
        help="What the popup does, as its target says: Receive: serials for a move's units. "
        "Announce on Purchase: the serials a vendor announced for a purchase order line, "
        "expected until received. Choose for Sale and for Transfer: the exact units in stock a "
        "sales line or an outgoing move takes. Scrap and Adjust Out: units in stock that leave "
        "it. Installed Base: units already at a customer's site, registered. Serials for Stock "
        "on Hand: names for the units counted without serial at a location.",
    )
    target_model = fields.Char(readonly=True, help="The model of the popup's target.")
    target_id = fields.Many2oneReference(model_field="target_model", readonly=True)
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
    allow_generate = fields.Boolean(
        default=True,
        readonly=True,
        help="The target takes new serials, which the product's rule may generate.",
    )
    generate_count = fields.Integer(
        string="Generate",
        help="How many serial numbers to add from the product's numbering rule.",
    )
    serial_count = fields.Integer(compute="_compute_preview", string="Serials Entered")
    new_count = fields.Integer(compute="_compute_preview", string="New")
    known_count = fields.Integer(compute="_compute_preview", string="Known")
    known_label = fields.Char(
        compute="_compute_preview",
        help="What the target calls a serial that exists already: Existing where serials are "
        "named for units coming in, Available or In Stock where units are taken from stock.",
    )
    location_label = fields.Char(
        compute="_compute_location_label",
        string="Take From",
        help="The warehouse and location whose units are offered.",
    )
    duplicate_count = fields.Integer(compute="_compute_preview", string="Duplicates")
    invalid_count = fields.Integer(compute="_compute_preview", string="Invalid")
    counter = fields.Char(compute="_compute_preview")
    counter_state = fields.Selection(
        [("short", "Missing"), ("ok", "Complete"), ("over", "Too many"), ("error", "Has errors")],
        compute="_compute_preview",
    )
    preview_html = fields.Html(compute="_compute_preview", sanitize=False)

    # ------------------------------------------------------------------
    # The target
    # ------------------------------------------------------------------

    @api.model
    def _target_model_of_mode(self, mode):
        """The operation (a target without records) that ``mode`` opens, if any."""
        for name in self.env.registry.descendants(["serial.entry.target"], "_inherit"):
            if self.env[name]._abstract and self.env[name]._serial_entry_mode == mode:
                return name
        return False

    @api.model
    def _target_values(self, vals):
        """``target_model`` and ``target_id`` from the values the popup is given: its target,
        a document field (``move_id``...), or the mode of an operation."""
        if vals.get("target_model"):
            model, res_id = vals["target_model"], vals.get("target_id") or 0
        else:
            field = next((name for name in DOCUMENT_FIELDS if vals.get(name)), None)
            if field:
                model, res_id = self._fields[field].comodel_name, vals[field]
            else:
                model, res_id = self._target_model_of_mode(vals.get("mode") or "receive"), 0
        if not model:
            return {}
        if model not in self.env.registry.descendants(["serial.entry.target"], "_inherit"):
            raise UserError(_("The serial popup cannot be opened on %(model)s.", model=model))
        values = {"target_model": model, "target_id": res_id}
        for field in DOCUMENT_FIELDS:
            if res_id and self._fields[field].comodel_name == model:
                values[field] = res_id
        return values

    def _serial_target(self):
        self.ensure_one()
        if not self.target_model:
            raise UserError(_("The serial popup needs the move or order line it is for."))
        return self.env[self.target_model].browse(self.target_id)

    @api.model
    def _check_target(self, target):
        """The user may change the target, and the target may take serials now."""
        if target:
            target.check_access("write")
        target._check_serial_entry_allowed()
        return target

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
        # The target first: another company's id gets an access error, before Odoo's company
        # check would name the document in its message.
        vals_list = [dict(vals, **self._target_values(vals)) for vals in vals_list]
        for vals in vals_list:
            self._check_storable_text(vals)
            if vals.get("target_id"):
                self.env[vals["target_model"]].browse(vals["target_id"]).check_access("write")
        return super().create(vals_list)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        # The target from the context also when the popup's values hold it already (a form
        # saved asks only for the fields it did not send).
        given = {
            name: self.env.context["default_" + name]
            for name in ("target_model", "target_id", "mode", *DOCUMENT_FIELDS)
            if self.env.context.get("default_" + name)
        }
        values.update(self._target_values(dict(given, **values)))
        if values.get("target_model"):
            target = self.env[values["target_model"]].browse(values.get("target_id"))
            self._check_target(target)
            if target._serial_entry_mode:
                values["mode"] = target._serial_entry_mode
            values.update(target._serial_entry_defaults(values))
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
        ``lots`` (known lots by name), ``in_stock`` (name -> quant for known serials already in
        stock in the company), ``invalid`` (name -> reason) and ``status`` (name ->
        new/known/duplicate/invalid).
        """
        self.ensure_one()
        result = self._parse()
        names = list(dict.fromkeys(result.serials))
        lots, in_stock = {}, {}
        if names and self.product_id:
            lots = self.env["stock.lot"]._serial_by_names(self.product_id, self.company_id, names)
            in_stock = self._get_serials_in_stock(lots)
        invalid = {}
        if self.target_model and self.product_id:
            invalid = self._serial_target()._serial_entry_invalid(self, names, lots, in_stock)
        duplicates = result.duplicates  # (computed at each read)
        status = {}
        for name in names:
            if name in invalid:
                status[name] = "invalid"
            elif name in duplicates:
                status[name] = "duplicate"
            else:
                status[name] = "known" if name in lots else "new"
        return {
            "result": result,
            "names": names,
            "lots": lots,
            "in_stock": in_stock,
            "invalid": invalid,
            "status": status,
        }

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
        if not self.product_id:
            # Nothing can be checked without it (and no message may name a product "False").
            errors.insert(0, _("Choose the product whose serial numbers these are."))
            return errors
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
        if self.target_model:
            errors += self._serial_target()._serial_entry_errors(self, analysis)
        return errors

    @api.depends(
        "serial_text",
        "product_id",
        "quantity",
        "company_id",
        "target_model",
        "target_id",
        "partner_id",
        "location_id",
        "date",
    )
    def _compute_preview(self):
        for wizard in self:
            target = wizard._serial_target() if wizard.target_model else None
            analysis = wizard._analyse()
            errors = wizard._get_errors(analysis)
            counts = Counter(analysis["status"].values())
            count = len(analysis["names"])
            wizard.serial_count = count
            wizard.new_count = counts["new"]
            wizard.known_count = counts["known"]
            wizard.known_label = (
                target._serial_entry_known_label() if target is not None else _("Existing")
            )
            wizard.duplicate_count = counts["duplicate"]
            wizard.invalid_count = counts["invalid"] + len(analysis["result"].problems)
            # Green only when the entry can be applied as it is: an entry with errors is red,
            # whatever its count (and the popup offers no Apply).
            counted = target is not None and target._serial_entry_counts(wizard)
            if counted:
                wizard.counter = _(
                    "%(count)s / %(quantity)s serials", count=count, quantity=wizard.quantity
                )
            elif count == 1:
                wizard.counter = _("1 serial")
            else:
                wizard.counter = _("%(count)s serials", count=count)
            if counted and count > wizard.quantity:
                wizard.counter_state = "over"
            elif errors and (count or analysis["result"].problems):
                wizard.counter_state = "error"
            elif count and (not counted or count == wizard.quantity):
                wizard.counter_state = "ok"
            else:
                wizard.counter_state = "short"
            wizard.preview_html = wizard._render_preview(analysis, target, errors)

    @api.depends("location_id")
    def _compute_location_label(self):
        for wizard in self:
            location = wizard.location_id
            warehouse = location.warehouse_id
            if not warehouse:
                wizard.location_label = location.display_name
            elif location in (warehouse.view_location_id, warehouse.lot_stock_id):
                wizard.location_label = warehouse.name
            else:
                wizard.location_label = "%s: %s" % (warehouse.name, location.display_name)

    def _render_preview(self, analysis, target, errors):
        """The preview (QWeb template ``serial_tracking.serial_entry_preview``): the errors,
        then the first PREVIEW_ROWS serials with their line and status."""
        first_line = {}
        for entry in analysis["result"].entries:
            first_line.setdefault(entry.serial, entry.line)
        statuses = list(analysis["status"].items())
        return self.env["ir.qweb"]._render(
            "serial_tracking.serial_entry_preview",
            {
                "errors": errors[:ERRORS_SHOWN],
                "errors_hidden": max(len(errors) - ERRORS_SHOWN, 0),
                "rows": [(first_line[name], name, status) for name, status in statuses][
                    :PREVIEW_ROWS
                ],
                "rows_hidden": max(len(statuses) - PREVIEW_ROWS, 0),
                "known_label": self.known_label,
            },
        )

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
        # Serials that cannot be taken hold no unit: they give way to the oldest available.
        valid = [name for name in analysis["names"] if analysis["status"][name] != "invalid"]
        missing = self.quantity - len(valid)
        if missing <= 0:
            raise UserError(_("The entry already holds a serial for every unit."))
        picked = self._serial_target()._serial_entry_oldest(self, missing, analysis["names"])
        if picked and len(valid) < len(analysis["names"]):
            self.serial_text = serials_to_text(valid + picked.mapped("name"))
            return self._reopen()
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
            message = "\n".join(
                parser_message(self.env, problem) for problem in result.problems[:ERRORS_SHOWN]
            )
            return {"warning": {"title": title, "message": message}}
        entered = len(self._parse().entries)
        if entered + len(result.entries) > limit:
            message = _(
                "The file holds %(count)s serial numbers and %(entered)s are entered already: at "
                "most %(limit)s can be entered at once (Serials per Entry, in the Inventory "
                "settings).",
                count=len(result.entries),
                entered=entered,
                limit=limit,
            )
            return {"warning": {"title": title, "message": message}}
        self._append_serials(result.serials)
        return None

    @api.model
    def _read_serial_file(self, data, filename, limit):
        """``tools.serial_files.read_serial_file``, its errors as UserErrors in the user's
        language."""
        try:
            return read_serial_file(data, filename, limit)
        except SerialFileError as error:
            raise UserError(file_message(self.env, error)) from None

    def action_apply(self):
        """Apply the entered serials to the target, in one batch. Any problem stops everything:
        nothing is written and the entry stays as typed."""
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
        # The target is checked again: the document, not the values the popup was given, says
        # what may be written.
        target = self._check_target(self._serial_target())
        return target._serial_entry_apply(self, analysis) or {"type": "ir.actions.act_window_close"}

    def _get_or_create_lots(self, analysis):
        """Lots of the entered serials by name; the new ones are created in one batch."""
        return self.env["stock.lot"]._serial_create_missing(
            self.product_id, self.company_id, analysis["names"], analysis["lots"]
        )
