# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class SerialCustomerPortal(CustomerPortal):
    """ "My serial numbers": the units a customer holds, with their warranty. The search runs
    with the customer's own rights (record rules let a portal user read only the units they
    hold); records are read with more rights only once found that way."""

    def _serial_portal_domain(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return [("holder_partner_id", "=", partner.id), ("serial_state", "=", "delivered")]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "serial_count" in counters:
            Lot = request.env["stock.lot"]
            values["serial_count"] = (
                Lot.search_count(self._serial_portal_domain()) if Lot.has_access("read") else 0
            )
        return values

    def _serial_portal_sortings(self):
        return {
            "date": {"label": _("Delivery Date"), "order": "serial_delivery_date desc, id desc"},
            "name": {"label": _("Serial Number"), "order": "name, id"},
            "warranty": {"label": _("Warranty End"), "order": "warranty_end_date, id"},
        }

    @http.route(
        ["/my/serials", "/my/serials/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_serials(self, page=1, sortby=None, search=None, **kw):
        Lot = request.env["stock.lot"]
        if not Lot.has_access("read"):
            return request.redirect("/my")
        sortings = self._serial_portal_sortings()
        if sortby not in sortings:
            sortby = "date"
        domain = self._serial_portal_domain()
        if search:
            # sudo: customers cannot read products; only their ids narrow the search.
            products = request.env["product.product"].sudo()._search([("name", "ilike", search)])
            domain += ["|", ("name", "ilike", search), ("product_id", "in", products)]
        url_args = {"sortby": sortby}
        if search:
            url_args["search"] = search
        pager = portal_pager(
            url="/my/serials",
            url_args=url_args,
            total=Lot.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        lots = Lot.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # sudo: only to show the product's name; the serials were found with the
                # customer's own rights.
                "serials": lots.sudo(),
                "page_name": "serials",
                "pager": pager,
                "default_url": "/my/serials",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "search": search,
            }
        )
        return request.render("serial_tracking.portal_my_serials", values)

    @http.route(["/my/serials/<int:lot_id>"], type="http", auth="user", website=True)
    def portal_my_serial(self, lot_id, report_type=None, download=False, **kw):
        try:
            lot_sudo = self._document_check_access("stock.lot", lot_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        # Internal users may read more serials: here too, only the ones they hold.
        if not lot_sudo.filtered_domain(self._serial_portal_domain()):
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=lot_sudo,
                report_type=report_type,
                report_ref="serial_tracking.action_report_warranty_certificate",
                download=download,
            )
        values = self._prepare_portal_layout_values()
        values.update({"serial": lot_sudo, "page_name": "serial"})
        return request.render("serial_tracking.portal_my_serial", values)
