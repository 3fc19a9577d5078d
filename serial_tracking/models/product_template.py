# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_is_zero, float_round

from ..tools.serial_parser import format_serial

RANDOM_LENGTH_DEFAULT = 10

WARRANTY_UNIT_SELECTION = [
    ("day", "Days"),
    ("week", "Weeks"),
    ("month", "Months"),
    ("year", "Years"),
]
WARRANTY_START_SELECTION = [
    ("delivery", "At Delivery"),
    ("invoice", "At Invoice"),
    ("manual", "Manual"),
]

# Who may change a product's numbering rule and its warranty policy (other users who may edit
# products keep them as they are).
RULE_FIELDS = (
    "serial_prefix",
    "serial_suffix",
    "serial_padding",
    "serial_generation",
    "serial_random_length",
    "serial_next_number",
)
RULE_GROUPS = ("stock.group_stock_manager",)
POLICY_FIELDS = ("warranty_duration", "warranty_unit", "warranty_start", "warranty_type_id")
POLICY_GROUPS = ("stock.group_stock_manager", "sales_team.group_sale_manager")


class ProductTemplate(models.Model):
    _inherit = "product.template"

    # The numbering rule. Company-dependent: a product shared between companies numbers its
    # serials by each company's own rule, from each company's own counter.
    serial_prefix = fields.Char(
        company_dependent=True,
        help="Text before the number, e.g. 'SN-'.",
    )
    serial_suffix = fields.Char(
        company_dependent=True,
        help="Text after the number, e.g. '-EU'.",
    )
    serial_padding = fields.Integer(
        company_dependent=True,
        help="Digits of the number, filled with leading zeros: 5 gives 00042.",
    )
    serial_generation = fields.Selection(
        [("sequential", "Sequential"), ("random", "Random")],
        string="Serial Numbering",
        company_dependent=True,
        help="Sequential: prefix, next number and suffix. Random: prefix, random characters "
        "without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B) and suffix.",
    )
    serial_random_length = fields.Integer(
        string="Random Characters",
        company_dependent=True,
        help="How many random characters a random serial number has (default 10).",
    )
    serial_sequence_id = fields.Many2one(
        "ir.sequence",
        string="Serial Counter",
        company_dependent=True,
        copy=False,
        readonly=True,
        help="The counter behind the next serial number of this company.",
    )
    serial_next_number = fields.Integer(
        string="Next Serial Number",
        compute="_compute_serial_next_number",
        inverse="_inverse_serial_next_number",
        help="Number of the next serial number the rule gives out.",
    )
    # The customer warranty policy, per company like the numbering rule.
    warranty_duration = fields.Integer(
        company_dependent=True,
        help="How long the warranty of each unit sold lasts, in the unit below (0: none).",
    )
    warranty_unit = fields.Selection(
        WARRANTY_UNIT_SELECTION,
        company_dependent=True,
        default="month",
    )
    warranty_start = fields.Selection(
        WARRANTY_START_SELECTION,
        string="Warranty Starts",
        company_dependent=True,
        default="delivery",
        help="When a unit's warranty starts: when it is delivered to the customer, on the "
        "posting date of the customer invoice billing it, or on a date entered on the serial.",
    )
    warranty_type_id = fields.Many2one(
        "serial.warranty.type",
        company_dependent=True,
        check_company=True,
        domain="[('company_id', 'in', (False, current_company_id))]",
    )
    serial_unassigned_qty = fields.Float(
        string="Units without Serial",
        compute="_compute_serial_unassigned_qty",
        digits="Product Unit of Measure",
        help="Units in stock in this company that have no serial yet (e.g. counted before the "
        "product was tracked by serial number).",
    )
    serial_example = fields.Char(
        string="Next Serial",
        compute="_compute_serial_example",
        help="What the next serial number of the rule looks like.",
    )

    @api.depends_context("company")
    def _compute_serial_unassigned_qty(self):
        groups = self.env["stock.quant"]._read_group(
            [
                ("product_id.product_tmpl_id", "in", self.ids),
                ("lot_id", "=", False),
                ("package_id", "=", False),
                ("owner_id", "=", False),
                ("location_id.usage", "=", "internal"),
                ("company_id", "=", self.env.company.id),
            ],
            ["product_id"],
            ["quantity:sum"],
        )
        quantity_of = defaultdict(float)
        for product, quantity in groups:
            quantity_of[product.product_tmpl_id] += quantity
        for template in self:
            quantity = quantity_of[template] if template.tracking == "serial" else 0
            template.serial_unassigned_qty = max(quantity, 0)

    def action_assign_serials_to_stock(self):
        self.ensure_one()
        return self.product_variant_ids[:1].action_assign_serials_to_stock()

    @api.depends_context("company")
    @api.depends("serial_sequence_id")
    def _compute_serial_next_number(self):
        for template in self:
            template.serial_next_number = (
                template.serial_sequence_id.number_next_actual if template.serial_sequence_id else 1
            )

    def _inverse_serial_next_number(self):
        for template in self:
            if not template.serial_sequence_id and template.serial_next_number in (0, 1):
                continue  # the default: the counter is made on first use
            if template.serial_next_number < 1:
                raise ValidationError(
                    _(
                        "The next serial number of %(product)s must be 1 or more.",
                        product=template.display_name,
                    )
                )
            sequence = template._get_serial_sequence()
            if sequence.number_next_actual != template.serial_next_number:
                # sudo: the counter is an internal ir.sequence of this product and company,
                # which stock users may not write; its company is the current one.
                sequence.sudo().number_next = template.serial_next_number

    @api.depends_context("company")
    @api.depends(*RULE_FIELDS, "tracking")
    def _compute_serial_example(self):
        for template in self:
            if template.tracking != "serial":
                template.serial_example = False
            elif template.serial_generation == "random":
                length = template.serial_random_length or RANDOM_LENGTH_DEFAULT
                template.serial_example = "%s%s%s" % (
                    template.serial_prefix or "",
                    "X" * length,
                    template.serial_suffix or "",
                )
            else:
                template.serial_example = template._format_serial(template.serial_next_number or 1)

    @api.constrains("serial_padding", "serial_random_length")
    def _check_serial_rule(self):
        for template in self:
            if not 0 <= (template.serial_padding or 0) <= 30:
                raise ValidationError(
                    _(
                        "The serial number padding of %(product)s must be between 0 and 30 digits.",
                        product=template.display_name,
                    )
                )
            if not 0 <= (template.serial_random_length or 0) <= 40:
                raise ValidationError(
                    _(
                        "Random serial numbers of %(product)s can have at most 40 characters.",
                        product=template.display_name,
                    )
                )

    @api.constrains("tracking", "uom_id", "uom_po_id")
    def _check_serial_units_of_measure(self):
        for template in self.filtered(lambda t: t.tracking == "serial"):
            for uom in (template.uom_po_id | template.uom_id) - template.uom_id:
                units = uom._compute_quantity(1, template.uom_id, round=False)
                if not float_is_zero(units - round(units), precision_digits=6):
                    raise ValidationError(
                        _(
                            "1 %(uom)s of %(product)s is %(units)s units: a product tracked by "
                            "serial number needs units of measure holding whole units.",
                            uom=uom.name,
                            product=template.display_name,
                            units=float_round(units, precision_digits=4),
                        )
                    )

    @api.constrains("warranty_duration")
    def _check_warranty_duration(self):
        for template in self:
            if (template.warranty_duration or 0) < 0:
                raise ValidationError(
                    _(
                        "The warranty duration of %(product)s cannot be negative.",
                        product=template.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        defaults = self.default_get([*RULE_FIELDS, *POLICY_FIELDS])
        for vals in vals_list:
            self._check_serial_rule_access(vals, lambda name: defaults.get(name) or False)
        return super().create(vals_list)

    def write(self, vals):
        for template in self:
            template._check_serial_rule_access(
                vals,
                lambda name, template=template: template._fields[name].convert_to_write(
                    template[name], template
                ),
            )
        if "tracking" in vals:
            self._check_serial_tracking_change(vals["tracking"])
        res = super().write(vals)
        if {"warranty_duration", "warranty_start"} & set(vals):
            # Units not started yet are pending or not under warranty any more; started
            # warranties keep their dates.
            lots = (
                self.env["stock.lot"]
                .sudo()
                .search(
                    [
                        ("product_id.product_tmpl_id", "in", self.ids),
                        ("warranty_end_date", "=", False),
                        ("company_id", "in", (False, self.env.company.id)),
                    ]
                )
            )
            lots._compute_warranty_state()
        return res

    def _check_serial_rule_access(self, vals, current):
        """Numbering rules are for Inventory managers, warranty policies for Inventory or Sales
        managers: other users may save a product only with these values as they are
        (``current(field name)``)."""
        if self.env.su:
            return
        for names, groups in ((RULE_FIELDS, RULE_GROUPS), (POLICY_FIELDS, POLICY_GROUPS)):
            changed = [
                name for name in names if name in vals and (vals[name] or False) != current(name)
            ]
            if changed and not any(self.env.user.has_group(group) for group in groups):
                raise AccessError(
                    _(
                        "Only managers may change %(fields)s of %(product)s.",
                        fields=", ".join(self._fields[name].string for name in changed),
                        product=self.display_name or vals.get("name") or _("a product"),
                    )
                )

    def _check_serial_tracking_change(self, tracking):
        """Serial tracking starts only without negative stock, and (company setting) does not stop
        once the product has moved."""
        if tracking == "serial":
            to_serial = self.filtered(lambda t: t.tracking != "serial")
            if not to_serial:
                return
            # sudo: stock of every company counts, also the ones this user cannot see.
            negative = (
                self.env["stock.quant"]
                .sudo()
                ._read_group(
                    [
                        ("product_id.product_tmpl_id", "in", to_serial.ids),
                        ("location_id.usage", "=", "internal"),
                        ("quantity", "<", 0),
                    ],
                    ["product_id"],
                    ["quantity:sum"],
                )
            )
            if negative:
                raise UserError(
                    _(
                        "Products with negative stock cannot be tracked by serial number: "
                        "%(products)s. Bring their stock to zero or more first.",
                        products=", ".join(
                            "%s (%s)" % (product.display_name, quantity)
                            for product, quantity in negative
                        ),
                    )
                )
            return
        from_serial = self.filtered(lambda t: t.tracking == "serial")
        if not from_serial:
            return
        # sudo: moves of every company count; each company's own setting decides.
        moved = [
            (product, quantity)
            for company, product, quantity in self.env["stock.move.line"]
            .sudo()
            ._read_group(
                [("product_id.product_tmpl_id", "in", from_serial.ids), ("state", "=", "done")],
                ["company_id", "product_id"],
                ["quantity:sum"],
            )
            if company.serial_lock_tracking
        ]
        if moved:
            raise UserError(
                _(
                    "%(products)s already moved with serial numbers: their tracking cannot "
                    "change any more (Inventory settings: Lock Serial Tracking).",
                    products=", ".join(
                        "%s (%s units moved)" % (product.display_name, quantity)
                        for product, quantity in moved
                    ),
                )
            )

    def _format_serial(self, number):
        self.ensure_one()
        return format_serial(
            self.serial_prefix or "", number, self.serial_padding or 0, self.serial_suffix or ""
        )

    def _get_serial_sequence(self):
        """Return the counter of this product's rule in the current company, made on first use."""
        self.ensure_one()
        if self.serial_sequence_id:
            return self.serial_sequence_id
        # Two transactions making the first counter at once would each make one: the row lock
        # makes the second wait, and then fail with a serialization error that Odoo retries.
        self.env.cr.execute("SELECT id FROM product_template WHERE id = %s FOR UPDATE", [self.id])
        self.invalidate_recordset(["serial_sequence_id"])
        if self.serial_sequence_id:
            return self.serial_sequence_id
        company = self.env.company
        # sudo: ir.sequence is writable by administrators only; this one is the product's
        # private counter, made in the current company.
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .create(
                {
                    "name": _("Serial numbers of %(product)s", product=self.display_name),
                    "code": "serial_tracking.product.%s" % self.id,
                    "implementation": "standard",
                    "number_next": 1,
                    "number_increment": 1,
                    "padding": 0,
                    "company_id": company.id,
                }
            )
        )
        self.sudo().with_company(company).serial_sequence_id = sequence
        return sequence.sudo(False)
