# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer and vendor warranty of each serial: its dates and state, the daily check and
reminders, the certificate."""

import datetime
import logging
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from ..tools.warranty import warranty_end, warranty_state
from .stock_lot import GONE_STATES, WARRANTY_STATES

_logger = logging.getLogger(__name__)


class StockLot(models.Model):
    _inherit = "stock.lot"

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

    def _serial_warranty_product(self, company=None):
        """The product in the serial's company, to read its (per company) warranty policy."""
        self.ensure_one()
        return self.product_id.with_company(company or self._serial_company())

    def _serial_warranty_starts_at_invoice(self):
        """Whether the product's policy starts this serial's customer warranty at the posting
        of its invoice."""
        duration, _unit, start, _type = self._serial_warranty_product()._serial_warranty_policy()
        return bool(duration) and start == "invoice"

    def _serial_warranty_start(self, date):
        """Start the customer warranty of these serials on ``date``: the end and the type follow
        from each product's policy (written by groups of serials alike, see ``write``)."""
        self._serial_derived().with_context(tracking_disable=True).write(
            {"warranty_start_date": date, "warranty_reminded_date": False}
        )

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
            if not lot.warranty_end_date and lot.product_id:  # (a new serial has none yet)
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
        # Recomputed by the framework, as if their dates had changed: grouped writes.
        self.env.add_to_compute(self._fields["warranty_state"], changing)
        changing.flush_recordset(["warranty_state"])
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
        reminded = defaultdict(list)
        for lot in lots:
            user = (
                company.serial_warranty_reminder_user_id
                or lot.sale_line_id.order_id.user_id
                or lot.product_id.with_company(company).responsible_id
            )
            if not user:
                continue  # reminded once someone can be (setting, salesperson, responsible)
            reminded[lot.warranty_end_date].append(lot.id)
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
        for end, ids in reminded.items():
            lots.browse(ids)._serial_derived().write({"warranty_reminded_date": end})


class ReportWarrantyCertificate(models.AbstractModel):
    """The certificate of a serial: printed once its warranty has started (delivered, or
    dated by hand), never as an empty form for a unit still in stock."""

    _name = "report.serial_tracking.report_warranty_certificate"
    _description = "Warranty Certificate"

    @api.model
    def _get_report_values(self, docids, data=None):
        lots = self.env["stock.lot"].browse(docids)
        without = lots.filtered(lambda lot: not lot.warranty_start_date)
        if without:
            raise UserError(
                _(
                    "No warranty has started for %(serials)s: a certificate is printed for a "
                    "unit once its warranty starts (at its delivery, as its product says, or "
                    "dated by hand on the serial).",
                    serials=", ".join(without[:10].mapped("name")),
                )
            )
        return {"doc_ids": docids, "doc_model": "stock.lot", "docs": lots}
