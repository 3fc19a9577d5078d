/** @odoo-module **/
import { registry } from "@web/core/registry";

// A customer opens their portal, finds their serial numbers, searches one by part of its
// number, opens it and sees its warranty and the certificate to download.
registry.category("web_tour.tours").add("serial_tracking_portal", {
    steps: () => [
        {
            content: "The portal home counts the customer's serial numbers",
            trigger: "a[href='/my/serials']:contains('Serial Numbers')",
            run: "click",
        },
        {
            content: "The list shows the units the customer holds, with their warranty",
            trigger: ".o_serial_portal_row:contains('PORTAL-A1'):contains('Active')",
        },
        {
            content: "Units of other customers are not shown",
            trigger: "body:not(:has(.o_serial_portal_row:contains('PORTAL-B1')))",
        },
        {
            content: "Search by part of the serial",
            trigger: ".o_serial_portal_search input[name=search]",
            run: "edit TAL-A",
        },
        {
            content: "Search",
            trigger: ".o_serial_portal_search button[type=submit]",
            run: "click",
        },
        {
            content: "The unit is found; open it",
            trigger: ".o_serial_portal_row a:contains('PORTAL-A1')",
            run: "click",
        },
        {
            content: "Its page shows the product, the serial and the warranty",
            trigger: ".o_serial_portal_detail:contains('Portal Widget') .o_serial_name:contains('PORTAL-A1')",
        },
        {
            content: "The warranty certificate can be downloaded",
            trigger: ".o_serial_portal_detail a[href*='report_type=pdf']:contains('Warranty Certificate')",
        },
    ],
});

// The same list on a phone: the serial, its product, the warranty end and state fit the screen,
// without scrolling sideways.
registry.category("web_tour.tours").add("serial_tracking_portal_phone", {
    steps: () => [
        {
            content: "The unit is listed with its product under the serial",
            trigger: ".o_serial_portal_row:contains('PORTAL-A1') .d-md-none:visible:contains('Portal Widget')",
        },
        {
            content: "Its warranty state is on the screen",
            trigger: ".o_serial_portal_row:contains('PORTAL-A1') .badge:visible:contains('Active')",
            run() {
                const table = document.querySelector(".o_portal_my_doc_table");
                const box = table.closest(".table-responsive") || table.parentElement;
                const badge = this.anchor.getBoundingClientRect();
                if (box.scrollWidth > box.clientWidth + 1 || badge.right > window.innerWidth) {
                    throw new Error(
                        `The list is wider than the phone: ${box.scrollWidth} > ${box.clientWidth}, badge at ${badge.right} of ${window.innerWidth}`
                    );
                }
            },
        },
    ],
});
