# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
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
    index_exists,
    ormcache,
)
from odoo.tools.safe_eval import safe_eval

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

    serial_report_id = fields.Many2one(
        "serial.report.wizard",
        string="Serial Number Report",
        compute="_compute_serial_report_id",
        search="_search_serial_report_id",
        help="Search only: the serials of a Serial Number Report's filters.",
    )
    serial_lot_valuated = fields.Boolean(
        related="product_id.lot_valuated", string="Valued per Serial", readonly=True
    )
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
        by_start = defaultdict(list)
        for lot, vals in zip(lots, vals_list, strict=True):
            if vals.get("warranty_start_date") and "warranty_end_date" not in vals:
                by_start[lot.warranty_start_date].append(lot.id)
        for start, ids in by_start.items():
            lots.browse(ids).write({"warranty_start_date": start})
        return lots

    def write(self, vals):
        self._serial_check_derived(vals)
        identity = [name for name in ("name", "product_id", "company_id") if name in vals]
        lots = self
        with self._serial_unique_names() if identity else nullcontext():
            if "warranty_start_date" in vals and "warranty_end_date" not in vals:
                # A new start without an end: the end (and the type) follow from each product's
                # policy, written by groups of serials alike (their values hold the end).
                start = fields.Date.to_date(vals["warranty_start_date"])
                groups = defaultdict(list)
                for lot in lots:
                    groups[tuple(sorted(lot._serial_warranty_values(start).items()))].append(lot.id)
                self = lots.browse(groups.pop((), []))  # no policy: the end entered stays
                for items, ids in groups.items():
                    lots.browse(ids).write(dict(vals, **dict(items)))
            res = super().write(vals) if self else True
            if identity:
                # The database checks a new name here, not at a later flush, where the error
                # could not name it.
                lots.flush_recordset(identity)
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

    def copy_data(self, default=None):
        """A copy of a serial is a new unit: it is nowhere yet (Odoo's stored location of the
        original would put it at the original's customer, or in its stock)."""
        vals_list = super().copy_data(default=default)
        for lot, vals in zip(self, vals_list, strict=True):
            if lot.product_id.tracking == "serial" and "location_id" not in (default or {}):
                vals.pop("location_id", None)
        return vals_list

    @api.ondelete(at_uninstall=False)
    def _unlink_except_serial_in_stock(self):
        """A serial still in stock (or anywhere with a quantity) is scrapped or adjusted out,
        not deleted: its quants and moves name it."""
        # sudo: the quants are counted whoever deletes.
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", self.ids),
                    ("lot_id.product_id.tracking", "=", "serial"),
                    ("quantity", "!=", 0),
                ]
            )
        )
        if quants:
            raise UserError(
                _(
                    "%(serials)s cannot be deleted: the units are at %(where)s. A unit in "
                    "stock is scrapped or adjusted out (Inventory > Operations > Serials); a "
                    "serial that has moved stays in the history of its moves.",
                    serials=", ".join(quants.lot_id[:10].mapped("name")),
                    where=", ".join(quants[:10].location_id.mapped("display_name")),
                )
            )

    def _compute_serial_report_id(self):
        self.serial_report_id = False

    def _search_serial_report_id(self, operator, value):
        """The serials of the given Serial Number Reports (the user's own dialogs)."""
        if operator not in ("=", "in") or not value:
            return []
        ids = [value] if isinstance(value, int) else list(value)
        wizards = self.env["serial.report.wizard"].browse(ids).exists()
        try:
            domains = [wizard._get_domain() for wizard in wizards]
        except AccessError:
            domains = []
        return expression.OR(domains) if domains else expression.FALSE_DOMAIN

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
    def _serial_by_names(self, product, company, names, fields=None):
        """The serials of ``product`` in ``company`` (or shared) named in ``names``, by name, in
        one query (with ``fields``: only those fields are read)."""
        domain = [
            ("product_id", "=", product.id),
            ("company_id", "in", [company.id, False]),
            ("name", "in", list(names)),
        ]
        lots = self.search_fetch(domain, fields) if fields else self.search(domain)
        return {lot.name: lot for lot in lots}

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

    def _serial_refresh(self):
        """Recompute status, holder, links and receipt data of these serials from their quants
        and move lines: the status service (``serial.status``) does it."""
        self.env["serial.status"].refresh(self)
