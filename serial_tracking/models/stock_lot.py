# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import logging
import re
from collections import defaultdict
from contextlib import contextmanager, nullcontext

from psycopg2 import errors as pg_errors

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import (
    SQL,
    create_index,
    create_unique_index,
    format_date,
    index_exists,
    ormcache,
)
from odoo.tools.safe_eval import safe_eval

from ..tools.serial_parser import serials_to_text
from ..tools.warranty import warranty_end, warranty_state
from .serial_rules import OPEN_ORDER_STATES

_logger = logging.getLogger(__name__)

# Odoo checks "one lot/serial name per product and company" in Python only, so two transactions
# can both pass the check and insert the same serial. This index makes the database refuse the
# second one. Companies are compared with NULL as 0: two company-less lots of a product may not
# share a name either (as Odoo's own check says).
LOT_UNIQUE_INDEX = "stock_lot_serial_tracking_unique_name_index"
LOT_UNIQUE_EXPRESSIONS = ["product_id", "name", "COALESCE(company_id, 0)"]
# Odoo indexes serial names for searches on part of them (trigram) only: a scanned serial, looked
# up by its whole name, takes milliseconds at a million serials without this one.
LOT_NAME_INDEX = "stock_lot_serial_tracking_name_index"
# PostgreSQL's detail of a violation: Key (product_id, name, ...)=(7, SN-1, 1) already exists.
LOT_UNIQUE_DETAIL = re.compile(r"\)=\((\d+), (.*), (\d+)\) already exists", re.DOTALL)

SERIAL_STATES = [
    ("expected", "Expected"),
    ("in_stock", "In Stock"),
    ("reserved", "Reserved"),
    ("in_transit", "In Transit"),
    ("delivered", "Delivered"),
    ("returned_to_vendor", "Returned to Vendor"),
    ("scrapped", "Scrapped"),
    ("consumed", "Consumed"),
    ("adjusted_out", "Adjusted Out"),
]

WARRANTY_STATES = [
    ("none", "No Warranty"),
    ("pending", "Pending"),
    ("active", "Active"),
    ("expiring", "Expiring Soon"),
    ("expired", "Expired"),
]

# What the add-on derives from moves and orders. Only its own code writes them: a user setting
# them could tie a unit to another company's order or show it in a customer's portal.
DERIVED_FIELDS = frozenset(
    {
        "serial_state",
        "holder_partner_id",
        "purchase_line_id",
        "sale_line_id",
        "serial_announced",
        "serial_receipt_date",
        "serial_vendor_id",
        "serial_delivery_date",
        "serial_unit_cost",
        "vendor_warranty_end_date",
        "warranty_reminded_date",
    }
)
# The context value that lets the add-on's code write them: an object, which no RPC call can send.
_DERIVED_WRITE = object()

# What a portal customer may read of the serials they hold.
PORTAL_FIELDS = frozenset(
    {
        "id",
        "name",
        "display_name",
        "product_id",
        "company_id",
        "holder_partner_id",
        "serial_state",
        "serial_delivery_date",
        "warranty_type_id",
        "warranty_start_date",
        "warranty_end_date",
        "warranty_state",
    }
)

# Units in these states will not be sold any more: no warranty is pending for them.
GONE_STATES = ("returned_to_vendor", "scrapped", "consumed", "adjusted_out")

# Where a unit is (the usage of the location holding it) tells its status.
STATE_BY_USAGE = {
    "internal": "in_stock",
    "transit": "in_transit",
    "customer": "delivered",
    "supplier": "returned_to_vendor",
    "production": "consumed",
    "inventory": "adjusted_out",
}


class StockLot(models.Model):
    _inherit = "stock.lot"

    serial_product_tracking = fields.Selection(
        related="product_id.tracking", string="Product Tracking"
    )
    serial_state = fields.Selection(
        SERIAL_STATES,
        string="Serial Status",
        index=True,
        readonly=True,
        copy=False,
        help="Where the unit stands: expected (announced, not received), in stock, reserved for "
        "a transfer, in transit, delivered to a customer, returned to the vendor, scrapped, "
        "consumed in manufacturing or adjusted out of the inventory.",
    )
    holder_partner_id = fields.Many2one(
        "res.partner",
        string="Holder",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="Who has the unit while it is outside the company: the customer it was delivered "
        "to, or the vendor it went back to.",
    )
    purchase_line_id = fields.Many2one(
        "purchase.order.line",
        string="Purchase Order Line",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
    purchase_order_id = fields.Many2one(
        related="purchase_line_id.order_id", string="Purchase Order"
    )
    serial_announced = fields.Boolean(
        string="Announced",
        readonly=True,
        copy=False,
        help="Entered on the purchase order line before it was received (from the vendor's "
        "list), rather than at the receipt.",
    )
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Sales Order Line",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
    sale_order_id = fields.Many2one(related="sale_line_id.order_id", string="Sales Order")
    serial_warehouse_id = fields.Many2one(
        related="location_id.warehouse_id",
        string="Warehouse",
        store=True,
        index="btree_not_null",
        help="The warehouse of the location holding the unit.",
    )
    serial_receipt_date = fields.Datetime(
        string="Receipt Date", readonly=True, copy=False, index="btree_not_null"
    )
    serial_vendor_id = fields.Many2one(
        "res.partner", string="Vendor", readonly=True, copy=False, index="btree_not_null"
    )
    serial_delivery_date = fields.Datetime(string="Delivery Date", readonly=True, copy=False)
    serial_currency_id = fields.Many2one(related="company_id.currency_id", string="Serial Currency")
    serial_unit_cost = fields.Monetary(
        string="Unit Cost",
        groups="stock.group_stock_manager,purchase.group_purchase_user",
        currency_field="serial_currency_id",
        readonly=True,
        copy=False,
        help="What the unit cost when it was received: its own valuation when the product is "
        "valued per serial, else the valuation of its receipt (the purchase price).",
    )
    serial_invoice_ids = fields.Many2many(
        "account.move",
        string="Customer Invoices",
        compute="_compute_serial_invoice_ids",
        help="Invoices of the sales order line the unit went out on.",
    )
    # A serial of a product shared by all companies has no company itself (Odoo's lots take the
    # product's company): it takes the warranty type of the company that sells it. A serial of a
    # company takes only that company's types or shared ones (_check_warranty_type_company).
    warranty_type_id = fields.Many2one(
        "serial.warranty.type",
        tracking=True,
        copy=False,
        domain="company_id and [('company_id', 'in', (False, company_id))] or []",
    )
    warranty_start_date = fields.Date(
        string="Warranty Start",
        tracking=True,
        copy=False,
        help="When the customer warranty of the unit started: its delivery, the posting of its "
        "invoice or a date entered here, as the product's warranty policy says.",
    )
    warranty_end_date = fields.Date(
        string="Warranty End",
        tracking=True,
        copy=False,
        index="btree_not_null",
        help="Last day of the customer warranty: the start plus the product's warranty "
        "duration, unless changed here.",
    )
    warranty_state = fields.Selection(
        WARRANTY_STATES,
        string="Warranty",
        compute="_compute_warranty_state",
        store=True,
        index=True,
        help="No warranty; pending (starts at delivery, invoice or a date still to enter); "
        "active; expiring soon (ends within the company's number of days); expired.",
    )
    vendor_warranty_end_date = fields.Date(
        string="Vendor Warranty End",
        readonly=True,
        copy=False,
        help="Last day of the vendor's warranty on the unit: its receipt plus the vendor "
        "warranty of the product's vendor line.",
    )
    warranty_reminded_date = fields.Date(
        string="Warranty Reminded For",
        readonly=True,
        copy=False,
        help="The warranty end a reminder activity was scheduled for.",
    )
    serial_move_line_ids = fields.One2many("stock.move.line", "lot_id", string="Move Lines")
    history_line_ids = fields.Many2many(
        "stock.move.line",
        string="History",
        compute="_compute_history_line_ids",
        help="Every done move of the unit, oldest first.",
    )

    def check_field_access_rights(self, operation, field_names):
        """Portal customers read the units they hold (record rule), and of them only what the
        portal shows: no internal reference, note, vendor, cost, location or moves."""
        if self.env.su or not self.env.user.share or not self._serial_reads_as_customer():
            return super().check_field_access_rights(operation, field_names)
        if not field_names:
            field_names = [name for name in self._fields if name in PORTAL_FIELDS]
        hidden = [
            name for name in field_names if name in self._fields and name not in PORTAL_FIELDS
        ]
        if hidden:
            raise AccessError(
                _(
                    "Customers cannot read these fields of serial numbers: %(fields)s.",
                    fields=", ".join(sorted(hidden)),
                )
            )
        return super().check_field_access_rights(operation, field_names)

    @api.model
    @ormcache("self.env.uid", "tuple(self.env.companies.ids)")
    def _serial_reads_as_customer(self):
        """Whether this portal user reads serials only as their holder. Another module may let
        some portal users read serials (Odoo's subcontracting portal lets subcontractors read
        and create the serials of the products they make, through its own record rule): they
        read those as that module says. Cached like Odoo caches record rules (per user,
        cleared when rights or rules change)."""
        own = self.env.ref("serial_tracking.stock_lot_portal_rule", raise_if_not_found=False)
        # sudo: users may not read record rules; only the rules of their own groups are used,
        # and nothing of the serials found is returned.
        Rule = self.env["ir.rule"].sudo()
        rules = Rule.search(
            [
                ("model_id.model", "=", self._name),
                ("perm_read", "=", True),
                ("groups", "in", self.env.user.groups_id.ids),
                ("id", "!=", own.id if own else 0),
            ]
        )
        if not rules:
            return True
        context = Rule._eval_context()
        domain = expression.OR([safe_eval(rule.domain_force or "[]", context) for rule in rules])
        return not self.sudo().search_count(domain, limit=1)

    def init(self):
        res = super().init()
        create_index(self.env.cr, LOT_NAME_INDEX, self._table, ["name"])
        if index_exists(self.env.cr, LOT_UNIQUE_INDEX):
            return res
        self.env.cr.execute(
            SQL(
                "SELECT product_id, name, company_id FROM stock_lot "
                "GROUP BY product_id, name, company_id HAVING count(*) > 1 LIMIT 5"
            )
        )
        duplicates = self.env.cr.fetchall()
        if duplicates:
            # Like Odoo with a unique constraint that existing rows break: say so and go on;
            # the index is created at the next update once the duplicates are renamed.
            _logger.warning(
                "Serial numbers are not unique per product and company in the database, so "
                "the unique index %s is not created. Rename these duplicates (product id, "
                "name, company id) and update the add-on: %s",
                LOT_UNIQUE_INDEX,
                duplicates,
            )
            return res
        create_unique_index(self.env.cr, LOT_UNIQUE_INDEX, self._table, LOT_UNIQUE_EXPRESSIONS)
        return res

    def _serial_duplicate_error(self, duplicates):
        """The message for serials that exist already: ``duplicates`` is [(product id, name)]."""
        products = self.env["product.product"].browse({product for product, _name in duplicates})
        names = {product.id: product.display_name for product in products}
        shown = [
            _("%(serial)s of %(product)s", serial=name, product=names[product])
            for product, name in duplicates[:10]
        ]
        if len(duplicates) > 10:
            shown.append(_("… and %(count)s more", count=len(duplicates) - 10))
        return ValidationError(
            _(
                "A serial number exists once per product and company, and these exist "
                "already (someone may just have entered them): nothing was saved.\n%(serials)s",
                serials="\n".join(shown),
            )
        )

    def _serial_check_new_names(self, vals_list):
        """Refuse new lots whose name exists already for their product and company, or twice in
        ``vals_list``, in one query (Odoo checks after inserting them, which the unique index
        now refuses first)."""
        products = self.env["product.product"].browse(
            {vals["product_id"] for vals in vals_list if vals.get("product_id")}
        )
        keys = [
            (
                vals["product_id"],
                vals["name"],
                vals.get("company_id") or products.browse(vals["product_id"]).company_id.id or 0,
            )
            for vals in vals_list
            if vals.get("product_id") and vals.get("name")
        ]
        if not keys:
            return
        self.env.cr.execute(
            SQL(
                "SELECT product_id, name, COALESCE(company_id, 0) FROM stock_lot "
                "WHERE product_id = ANY(%s) AND name = ANY(%s)",
                list({key[0] for key in keys}),
                list({key[1] for key in keys}),
            )
        )
        seen = set(self.env.cr.fetchall())
        duplicates = []
        for key in keys:
            if key in seen:
                duplicates.append(key[:2])
            seen.add(key)
        if duplicates:
            raise self._serial_duplicate_error(duplicates)

    @contextmanager
    def _serial_unique_names(self):
        """Turn the database's refusal of a duplicate serial (another transaction created the
        same one meanwhile) into a message naming the product and the serial."""
        try:
            # A savepoint, so that the transaction can still read what the message names.
            with self.env.cr.savepoint():
                yield
        except pg_errors.UniqueViolation as error:
            match = LOT_UNIQUE_DETAIL.search(error.diag.message_detail or "")
            if error.diag.constraint_name != LOT_UNIQUE_INDEX or not match:
                raise
            raise self._serial_duplicate_error([(int(match.group(1)), match.group(2))]) from error

    def _serial_derived(self):
        """These serials, to write the fields the add-on derives (DERIVED_FIELDS)."""
        return self.with_context(serial_tracking_derived=_DERIVED_WRITE)

    def _serial_check_derived(self, field_names):
        if self.env.su or self.env.context.get("serial_tracking_derived") is _DERIVED_WRITE:
            return
        fixed = DERIVED_FIELDS.intersection(field_names)
        if fixed:
            raise AccessError(
                _(
                    "These fields of serial numbers follow from their moves and orders and "
                    "cannot be set by hand: %(fields)s.",
                    fields=", ".join(self._fields[name].string for name in sorted(fixed)),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._serial_check_derived({name for vals in vals_list for name in vals})
        self._serial_check_new_names(vals_list)
        # A new serial is expected until it moves. Set in the values created, not written
        # afterwards: whoever may create serials (a subcontractor on the portal) need not
        # also be allowed to write them.
        products = self.env["product.product"].browse(
            {vals["product_id"] for vals in vals_list if vals.get("product_id")}
        )
        serial_products = set(products.filtered(lambda p: p.tracking == "serial").ids)
        vals_list = [
            dict(vals, serial_state="expected")
            if vals.get("product_id") in serial_products and not vals.get("serial_state")
            else vals
            for vals in vals_list
        ]
        with self._serial_unique_names():
            lots = super().create(vals_list)
        # A warranty start given without an end: the end follows from the policy.
        by_start = defaultdict(lambda: self.browse())
        for lot, vals in zip(lots, vals_list, strict=True):
            if vals.get("warranty_start_date") and "warranty_end_date" not in vals:
                by_start[lot.warranty_start_date] |= lot
        for start, group in by_start.items():
            group.write({"warranty_start_date": start})
        return lots

    def write(self, vals):
        self._serial_check_derived(vals)
        identity = [name for name in ("name", "product_id", "company_id") if name in vals]
        with self._serial_unique_names() if identity else nullcontext():
            if "warranty_start_date" in vals and "warranty_end_date" not in vals:
                # A new start without an end: the end (and the type) follow from each product's
                # policy.
                start = fields.Date.to_date(vals["warranty_start_date"])
                groups = defaultdict(lambda: self.browse())
                for lot in self:
                    extra = lot._serial_warranty_values(start)
                    groups[tuple(sorted(extra.items()))] |= lot
                for items, group in groups.items():
                    super(StockLot, group).write(dict(vals, **dict(items)))
                res = True
            else:
                res = super().write(vals)
            if identity:
                # The database checks a new name here, not at a later flush, where the error
                # could not name it.
                self.flush_recordset(identity)
        return res

    def _serial_company(self, move_line=None):
        """The company whose policies apply to this serial: its own. A serial of a product
        shared by all companies has none (Odoo's lots take the product's company): it follows
        the company of ``move_line`` (the move that just moved it), else of the sale it went
        out on, else of its purchase, else the current company."""
        self.ensure_one()
        # sudo: only the orders' companies; the user may not read the orders.
        serial = self.sudo()
        company = (
            serial.company_id
            or (move_line and move_line.sudo().company_id)
            or serial.sale_line_id.company_id
            or serial.purchase_line_id.company_id
            or self.env.company
        )
        return company.with_env(self.env)

    def _serial_warranty_product(self, company=None):
        """The product in the serial's company, to read its (per company) warranty policy."""
        self.ensure_one()
        return self.product_id.with_company(company or self._serial_company())

    def _serial_warranty_starts_at_invoice(self):
        """Whether the product's policy starts this serial's customer warranty at the posting
        of its invoice."""
        duration, _unit, start, _type = self._serial_warranty_product()._serial_warranty_policy()
        return bool(duration) and start == "invoice"

    def _serial_warranty_values(self, start, company=None):
        """The end and type of a warranty of this serial starting on ``start``, from the
        policy of ``company`` (default: the serial's); without a policy (duration 0) the end
        entered stays."""
        self.ensure_one()
        if not start:
            return {"warranty_end_date": False}
        duration, unit, _start, warranty_type = self._serial_warranty_product(
            company
        )._serial_warranty_policy()
        if not duration:
            return {}
        values = {"warranty_end_date": warranty_end(start, duration, unit)}
        if warranty_type:
            values["warranty_type_id"] = warranty_type.id
        return values

    @api.onchange("warranty_start_date")
    def _onchange_warranty_start_date(self):
        for lot in self:
            values = lot._serial_warranty_values(lot.warranty_start_date)
            if "warranty_end_date" in values:
                lot.warranty_end_date = values["warranty_end_date"]
            if values.get("warranty_type_id") and not lot.warranty_type_id:
                lot.warranty_type_id = values["warranty_type_id"]

    @api.constrains("warranty_type_id", "company_id")
    def _check_warranty_type_company(self):
        for lot in self:
            company = lot.warranty_type_id.sudo().company_id
            if not lot.company_id and company and not self.env.su:
                # A serial shared by all companies: a type of the user's companies only.
                if company not in self.env.user.company_ids:
                    raise AccessError(
                        _(
                            "The warranty type %(type)s of %(serial)s (%(product)s) belongs to "
                            "a company you do not work for.",
                            type=lot.warranty_type_id.sudo().name,
                            serial=lot.name,
                            product=lot.product_id.display_name,
                        )
                    )
            elif lot.company_id and company and company != lot.company_id:
                raise ValidationError(
                    _(
                        "The serial number %(serial)s (%(product)s) belongs to %(company)s: its "
                        "warranty type %(type)s belongs to %(other)s.",
                        serial=lot.name,
                        product=lot.product_id.display_name,
                        company=lot.company_id.name,
                        type=lot.warranty_type_id.name,
                        other=company.name,
                    )
                )

    @api.constrains("warranty_start_date", "warranty_end_date")
    def _check_warranty_dates(self):
        for lot in self:
            if (
                lot.warranty_start_date
                and lot.warranty_end_date
                and lot.warranty_end_date < lot.warranty_start_date
            ):
                raise ValidationError(
                    _(
                        "The warranty of %(serial)s (%(product)s) cannot end (%(end)s) before "
                        "it starts (%(start)s).",
                        serial=lot.name,
                        product=lot.product_id.display_name,
                        end=format_date(self.env, lot.warranty_end_date),
                        start=format_date(self.env, lot.warranty_start_date),
                    )
                )

    @api.depends("warranty_start_date", "warranty_end_date", "product_id", "serial_state")
    def _compute_warranty_state(self):
        today = fields.Date.context_today(self)
        for lot in self:
            company = lot._serial_company()
            if lot.serial_state in GONE_STATES:
                lot.warranty_state = "none"
                continue
            pending = False
            if not lot.warranty_end_date:
                # sudo: the policy is product data; users reading serials may not read products.
                policy = lot.sudo()._serial_warranty_product(company)._serial_warranty_policy()
                pending = bool(policy[0])
            lot.warranty_state = warranty_state(
                lot.warranty_start_date,
                lot.warranty_end_date,
                today,
                company.serial_warranty_expiring_days,
                pending=pending,
            )

    @api.depends("sale_line_id.invoice_lines.move_id")
    def _compute_serial_invoice_ids(self):
        for lot in self:
            lot.serial_invoice_ids = lot.sale_line_id.invoice_lines.move_id.filtered(
                lambda move: move.move_type in ("out_invoice", "out_refund")
            )

    @api.depends("serial_move_line_ids.state", "serial_move_line_ids.date")
    def _compute_history_line_ids(self):
        for lot in self:
            lot.history_line_ids = lot.serial_move_line_ids.filtered(
                lambda line: line.state == "done"
            ).sorted(lambda line: (line.date, line.id))

    @api.model
    def _serial_create_missing(self, product, company, names, lots_by_name):
        """Complete ``lots_by_name`` (serials found by name) with new serials of ``product`` in
        ``company`` for the other ``names``, created in one batch; return the mapping."""
        lots_by_name = dict(lots_by_name)
        missing = [name for name in names if name not in lots_by_name]
        if missing:
            new_lots = self.create(
                [
                    {"name": name, "product_id": product.id, "company_id": company.id}
                    for name in missing
                ]
            )
            lots_by_name.update((lot.name, lot) for lot in new_lots)
        return lots_by_name

    def action_open_serial_popup(self, mode):
        """Open the serial popup (scrap, adjust out) with these serials filled in."""
        if len(self.product_id) != 1:
            raise UserError(
                _(
                    "Select serials of one product at a time (selected: %(products)s).",
                    products=", ".join(self.product_id.mapped("display_name")),
                )
            )
        Wizard = self.env["serial.entry.wizard"]
        return Wizard._action_open(
            dict(Wizard._fields["mode"]._description_selection(self.env))[mode],
            {
                "default_mode": mode,
                "default_product_id": self.product_id.id,
                "default_company_id": (self.company_id or self.env.company)[:1].id,
                "default_serial_text": serials_to_text(self.mapped("name")),
            },
        )

    # ------------------------------------------------------------------
    # Status, holder and origin, from the moves, for many serials at once
    # ------------------------------------------------------------------

    def _serial_refresh(self):
        """Recompute status, holder, links and receipt data of these serials from their quants
        and move lines, in a fixed number of queries whatever their number."""
        # sudo: the status is derived data of these very serials; the user who validates a
        # transfer (or a buyer whose order changes a receipt) may not read every serial,
        # quant, move line or valuation layer behind it.
        lots = self.sudo().filtered(lambda lot: lot.product_id.tracking == "serial")
        if not lots:
            return
        self.env.flush_all()
        location_of = lots._serial_current_locations()
        reserved = lots._serial_reserved_ids()
        last_lines = lots._serial_last_done_lines()
        receipts = lots._serial_receipt_lines()
        costs = lots._serial_receipt_costs(receipts)
        went_out = lots._serial_sale_lines_gone_out()
        vendor_warranties = {}

        values_by_lot = {}
        for lot in lots:
            location = location_of.get(lot.id)
            last_line = last_lines.get(lot.id)
            if not location and last_line:
                location = last_line.location_dest_id
            vals = {"holder_partner_id": False}
            if not location:
                vals["serial_state"] = "expected"
            elif location.usage == "internal":
                chosen = lot.sale_line_id.order_id.state in OPEN_ORDER_STATES
                if chosen and (lot.id, lot.sale_line_id.id) in went_out:
                    # Back in stock after going out on that line: no longer chosen for it.
                    vals["sale_line_id"] = False
                    chosen = False
                vals["serial_state"] = "reserved" if lot.id in reserved or chosen else "in_stock"
            elif location.usage == "inventory" and location.scrap_location:
                vals["serial_state"] = "scrapped"
            else:
                vals["serial_state"] = STATE_BY_USAGE.get(location.usage, "adjusted_out")
            if vals["serial_state"] in ("delivered", "returned_to_vendor") and last_line:
                partner = last_line.move_id.partner_id or last_line.picking_id.partner_id
                vals["holder_partner_id"] = partner.commercial_partner_id.id
                if vals["serial_state"] == "delivered":
                    vals["serial_delivery_date"] = last_line.date
                    if last_line.move_id.sale_line_id:
                        vals["sale_line_id"] = last_line.move_id.sale_line_id.id
            receipt = receipts.get(lot.id)
            if receipt:
                vals["serial_receipt_date"] = receipt.date
                if receipt.location_id.usage == "supplier":
                    # The purchase order's vendor first: on a dropship the move's partner is
                    # the customer.
                    partner = (
                        receipt.move_id.purchase_line_id.order_id.partner_id
                        or receipt.picking_id.partner_id
                        or receipt.move_id.partner_id
                    )
                    vals["serial_vendor_id"] = partner.commercial_partner_id.id
                    if receipt.move_id.purchase_line_id:
                        vals["purchase_line_id"] = receipt.move_id.purchase_line_id.id
                if lot.product_id.lot_valuated:
                    # The serial's own cost is company-dependent: read it in its company.
                    vals["serial_unit_cost"] = lot.with_company(
                        lot._serial_company(receipt)
                    ).standard_price
                elif receipt.move_id.id in costs:
                    vals["serial_unit_cost"] = costs[receipt.move_id.id]
            vals.update(
                lot._serial_warranty_refresh_values(vals, receipt, vendor_warranties, last_line)
            )
            values_by_lot[lot] = vals
        # One write per distinct set of values (a delivery of many serials is one write).
        lots_by_values = defaultdict(lambda: self.env["stock.lot"].sudo())
        for lot, vals in values_by_lot.items():
            changed = {
                key: value
                for key, value in vals.items()
                if lot._fields[key].convert_to_write(lot[key], lot) != value
            }
            if changed:
                lots_by_values[tuple(sorted(changed.items()))] |= lot
        for items, group in lots_by_values.items():
            # Automatic warranty dates are not tracked in each serial's chatter (thousands of
            # messages per delivery); the history page shows the delivery itself.
            group._serial_derived().with_context(tracking_disable=True).write(dict(items))
        # Sold again with a warranty starting at the invoice: an invoice posted before the
        # delivery starts it now.
        invoice_start = lots.filtered(
            lambda lot: (
                lot.serial_state == "delivered"
                and not lot.warranty_start_date
                and lot._serial_warranty_starts_at_invoice()
            )
        )
        invoices = invoice_start.sale_line_id.invoice_lines.move_id.filtered(
            lambda move: move.move_type == "out_invoice" and move.state == "posted"
        )
        invoices._serial_start_invoice_warranties()

    def _serial_warranty_refresh_values(self, vals, receipt, vendor_warranties, last_line):
        """Warranty changes of this serial given its refreshed values ``vals``: a new delivery
        starts the warranty (policy "at delivery") or makes it wait for its own start; a
        customer return clears it (company setting); a receipt from a vendor gives the
        vendor warranty end. ``vendor_warranties`` caches vendor lines per product.
        ``last_line`` is the serial's last done move line."""
        self.ensure_one()
        extra = {}
        company = self._serial_company(last_line)
        product = self._serial_warranty_product(company)
        duration, _unit, start_event, _type = product._serial_warranty_policy()
        new_state = vals["serial_state"]
        delivered_at = vals.get("serial_delivery_date")
        newly_delivered = new_state == "delivered" and (
            self.serial_state != "delivered"
            or (delivered_at and delivered_at != self.serial_delivery_date)
        )
        if newly_delivered and duration:
            extra["warranty_reminded_date"] = False
            if start_event == "delivery":
                start = fields.Date.context_today(self, delivered_at or fields.Datetime.now())
                extra["warranty_start_date"] = start
                extra.update(self._serial_warranty_values(start, company))
            elif self.serial_delivery_date:
                # Sold again, at invoice or by hand: the new sale's warranty waits for its own
                # start (dates entered before a first delivery stay).
                extra.update(warranty_start_date=False, warranty_end_date=False)
        elif (
            self.serial_state == "delivered"
            and new_state != "delivered"
            and (self.warranty_start_date or self.warranty_end_date)
            and (new_state in GONE_STATES or company.serial_warranty_on_return == "clear")
        ):
            # Back from the customer (or gone: scrapped, back to the vendor): no warranty.
            extra.update(
                warranty_start_date=False,
                warranty_end_date=False,
                warranty_type_id=False,
                warranty_reminded_date=False,
            )
        received_at = vals.get("serial_receipt_date")
        if (
            receipt
            and receipt.location_id.usage == "supplier"
            and received_at
            and received_at != self.serial_receipt_date
        ):
            key = (product.id, vals.get("serial_vendor_id"), company.id)
            if key not in vendor_warranties:
                vendor = self.env["res.partner"].browse(vals.get("serial_vendor_id"))
                vendor_warranties[key] = product.seller_ids.filtered(
                    lambda info: (
                        info.warranty_duration > 0
                        and info.partner_id.commercial_partner_id == vendor
                        and info.company_id in (company, info.company_id.browse())
                        and info.product_id in (product, info.product_id.browse())
                    )
                )[:1]
            info = vendor_warranties[key]
            extra["vendor_warranty_end_date"] = (
                warranty_end(
                    fields.Date.context_today(self, received_at),
                    info.warranty_duration,
                    info.warranty_unit or "month",
                )
                if info
                else False
            )
        return extra

    def _serial_available_in(self, location, sale_line=None, moves=None):
        """The serials among these that can be taken from ``location`` (and its children) for
        ``sale_line`` or ``moves`` (default: the sales lines they are chosen on): in stock
        there, not chosen on another open sales line, not reserved by another transfer."""
        if not self:
            return self
        Quant = self.env["stock.quant"].sudo()
        here = {
            lot.id
            for (lot,) in Quant._read_group(
                [
                    ("lot_id", "in", self.ids),
                    ("location_id", "child_of", location.id),
                    ("location_id.usage", "=", "internal"),
                    ("quantity", ">", 0),
                ],
                ["lot_id"],
            )
        }
        own_moves = self.env["stock.move"].sudo()
        if sale_line:
            own_moves |= sale_line.sudo().move_ids
        elif not moves:
            own_moves |= self.sudo().sale_line_id.move_ids
        if moves:
            own_moves |= moves.sudo()
        # The whole chain (pick, pack, ship) serves the same line.
        linked = own_moves.move_orig_ids | own_moves.move_dest_ids
        while linked - own_moves:
            own_moves |= linked
            linked = own_moves.move_orig_ids | own_moves.move_dest_ids
        reserved_elsewhere = {
            lot.id
            for (lot,) in self.env["stock.move.line"]
            .sudo()
            ._read_group(
                [
                    ("lot_id", "in", self.ids),
                    ("state", "not in", ("done", "cancel")),
                    ("location_id.usage", "=", "internal"),
                    ("quantity", ">", 0),
                    ("move_id", "not in", own_moves.ids),
                ],
                ["lot_id"],
            )
        }
        own_line = sale_line or (moves and moves[:1]._serial_sale_line())
        return (
            self.sudo()
            .filtered(
                lambda lot: (
                    lot.id in here
                    and lot.id not in reserved_elsewhere
                    and not (
                        lot.sale_line_id
                        and lot.sale_line_id != (own_line or (not moves and lot.sale_line_id))
                        and lot.serial_state in ("in_stock", "reserved")
                        and lot.sale_line_id.order_id.state in OPEN_ORDER_STATES
                    )
                )
            )
            .with_env(self.env)
        )

    def _serial_where(self):
        """Where the unit stands, in words: its status, and its order, holder or location."""
        self.ensure_one()
        state = dict(self._fields["serial_state"]._description_selection(self.env)).get(
            self.serial_state, ""
        )
        order = self.sudo().sale_line_id.order_id
        if order and self.serial_state in ("in_stock", "reserved"):
            return _("chosen on %(order)s", order=order.name)
        if self.holder_partner_id:
            return "%s, %s" % (state, self.holder_partner_id.display_name)
        locations = self.quant_ids.filtered(lambda q: q.quantity > 0).location_id
        if locations:
            return "%s, %s" % (state, ", ".join(locations.mapped("display_name")))
        return state

    def _serial_on_open_line_ids(self):
        """Ids of these serials named on a move line not done nor cancelled."""
        return {
            lot.id
            for (lot,) in self.env["stock.move.line"]
            .sudo()
            ._read_group(
                [("lot_id", "in", self.ids), ("state", "not in", ("done", "cancel"))], ["lot_id"]
            )
        }

    def _serial_sale_lines_gone_out(self):
        """(serial, sales line) pairs where the serial went out on a done move of the line."""
        with_line = self.filtered("sale_line_id")
        if not with_line:
            return set()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ml.lot_id, m.sale_line_id
                  FROM stock_move_line ml
                  JOIN stock_move m ON m.id = ml.move_id
                 WHERE ml.lot_id = ANY(%s) AND ml.state = 'done' AND m.sale_line_id IS NOT NULL
                """,
                with_line.ids,
            )
        )
        return set(self.env.cr.fetchall())

    def _serial_current_locations(self):
        """Location holding each serial (a quant with a positive quantity), internal first."""
        location_of = {}
        groups = self.env["stock.quant"]._read_group(
            [("lot_id", "in", self.ids), ("quantity", ">", 0)], ["lot_id", "location_id"]
        )
        for lot, location in groups:
            if lot.id not in location_of or location.usage == "internal":
                location_of[lot.id] = location
        return location_of

    def _serial_reserved_ids(self):
        """Serials on an open transfer line taking them out of an internal location."""
        groups = self.env["stock.move.line"]._read_group(
            [
                ("lot_id", "in", self.ids),
                ("state", "not in", ("done", "cancel")),
                ("location_id.usage", "=", "internal"),
                ("quantity", ">", 0),
            ],
            ["lot_id"],
        )
        return {lot.id for (lot,) in groups}

    def _serial_last_lines(self, condition):
        """The newest done move line of each serial meeting ``condition`` (an SQL on ``ml``, the
        move line, and ``src``, its source location)."""
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (ml.lot_id) ml.lot_id, ml.id
                  FROM stock_move_line ml
                  JOIN stock_location src ON src.id = ml.location_id
                 WHERE ml.lot_id = ANY(%s) AND ml.state = 'done' AND %s
              ORDER BY ml.lot_id, ml.date DESC, ml.id DESC
                """,
                self.ids,
                condition,
            )
        )
        rows = self.env.cr.fetchall()
        lines = self.env["stock.move.line"].browse([line_id for _lot, line_id in rows])
        return {lot_id: line for (lot_id, _line_id), line in zip(rows, lines, strict=True)}

    def _serial_last_done_lines(self):
        """The newest done move line of each serial."""
        return self._serial_last_lines(SQL("TRUE"))

    def _serial_receipt_lines(self):
        """The newest done move line that brought each serial in from a vendor, an inventory
        adjustment or production (customer returns are not receipts)."""
        return self._serial_last_lines(
            SQL("src.usage IN %s", ("supplier", "inventory", "production"))
        )

    def _serial_receipt_costs(self, receipts):
        """Unit cost of each receipt move: the purchase line's price (discounted, without taxes)
        in the company's currency, else what the valuation recorded."""
        moves = self.env["stock.move"].browse({line.move_id.id for line in receipts.values()})
        costs = {}
        for move in moves.filtered("purchase_line_id"):
            line = move.purchase_line_id
            if not line.product_qty:
                continue
            price = line.price_subtotal / line.product_qty
            price /= line.product_uom._compute_quantity(1, move.product_id.uom_id)
            costs[move.id] = line.currency_id._convert(
                price, move.company_id.currency_id, move.company_id, move.date or move.create_date
            )
        others = moves.filtered(lambda move: move.id not in costs)
        if others:
            groups = self.env["stock.valuation.layer"]._read_group(
                [("stock_move_id", "in", others.ids), ("quantity", ">", 0)],
                ["stock_move_id"],
                ["value:sum", "quantity:sum"],
            )
            costs.update(
                (move.id, value / quantity) for move, value, quantity in groups if quantity
            )
        return costs

    # ------------------------------------------------------------------
    # Warranty: daily states and reminders, certificate
    # ------------------------------------------------------------------

    def _get_report_base_filename(self):
        """File name of the warranty certificate downloaded from the customer portal."""
        self.ensure_one()
        return _("Warranty %(serial)s", serial=self.name)

    def action_print_warranty_certificate(self):
        return self.env.ref("serial_tracking.action_report_warranty_certificate").report_action(
            self
        )

    @api.model
    def _serial_cron_warranty(self):
        """Daily: bring warranty states up to date (pending to active, active to expiring,
        expiring to expired) and schedule one reminder per delivered serial whose warranty
        ends within its company's reminder days. Running it again creates nothing new."""
        today = fields.Date.context_today(self)
        Company = self.env["res.company"]
        [(longest,)] = Company._read_group([], aggregates=["serial_warranty_expiring_days:max"])
        longest = longest or 0
        changing = self.search(
            [
                "|",
                "|",
                "&",
                ("warranty_state", "=", "active"),
                ("warranty_end_date", "<=", today + datetime.timedelta(days=longest)),
                "&",
                ("warranty_state", "=", "expiring"),
                ("warranty_end_date", "<", today),
                "&",
                ("warranty_state", "=", "pending"),
                ("warranty_start_date", "<=", today),
            ]
        )
        changing._compute_warranty_state()
        for company in Company.search([("serial_warranty_reminder_days", ">", 0)]):
            self._serial_schedule_warranty_reminders(company, today)

    @api.model
    def _serial_schedule_warranty_reminders(self, company, today):
        """One activity per delivered serial of ``company`` whose warranty ends within the
        company's reminder days and was not reminded for that end yet."""
        lots = self.search(
            [
                ("company_id", "=", company.id),
                ("serial_state", "=", "delivered"),
                ("warranty_end_date", ">=", today),
                (
                    "warranty_end_date",
                    "<=",
                    today + datetime.timedelta(days=company.serial_warranty_reminder_days),
                ),
            ]
        ).filtered(lambda lot: lot.warranty_reminded_date != lot.warranty_end_date)
        if not lots:
            return
        activity_type = self.env.ref(
            "serial_tracking.mail_activity_type_warranty_ending", raise_if_not_found=False
        ) or self.env.ref("mail.mail_activity_data_todo")
        model = self.env["ir.model"]._get_id("stock.lot")
        activities = []
        reminded = defaultdict(lambda: self.browse())
        for lot in lots:
            user = (
                company.serial_warranty_reminder_user_id
                or lot.sale_line_id.order_id.user_id
                or lot.product_id.with_company(company).responsible_id
            )
            if not user:
                continue  # reminded once someone can be (setting, salesperson, responsible)
            reminded[lot.warranty_end_date] |= lot
            activities.append(
                {
                    "res_model_id": model,
                    "res_id": lot.id,
                    "activity_type_id": activity_type.id,
                    "summary": _(
                        "Warranty of %(serial)s ends on %(date)s",
                        serial=lot.name,
                        date=format_date(self.env, lot.warranty_end_date),
                    ),
                    "note": _(
                        "%(product)s %(serial)s, held by %(customer)s.",
                        product=lot.product_id.display_name,
                        serial=lot.name,
                        customer=lot.holder_partner_id.display_name or "",
                    ),
                    "date_deadline": lot.warranty_end_date,
                    "user_id": user.id,
                }
            )
        # Quick update: the activities show in each user's activity menu; no e-mail per serial.
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(activities)
        for end, group in reminded.items():
            group._serial_derived().write({"warranty_reminded_date": end})
