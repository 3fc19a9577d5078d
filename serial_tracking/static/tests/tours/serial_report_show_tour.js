/** @odoo-module **/
import { registry } from "@web/core/registry";

// A clerk opens the Serial Number Report dialog: each empty filter says what it means when left
// empty. Show opens the serials with the filters as one facet, in words, which can be removed;
// at 1440 px the serial numbers are read whole.
registry.category("web_tour.tours").add("serial_tracking_report_show", {
    steps: () => [
        {
            content: "Empty filters say what they mean",
            trigger: ".modal .o_field_widget[name=serial_state] select:contains('Any status')",
        },
        {
            trigger: ".modal .o_field_widget[name=product_ids] input[placeholder='All serial-tracked products']",
        },
        {
            trigger: ".modal .o_field_widget[name=partner_id] input[placeholder='Anyone']",
        },
        {
            content: "Filter on part of the serial",
            trigger: ".modal .o_field_widget[name=serial] input",
            run: "edit RPT-LONG",
        },
        {
            trigger: ".modal button[name=action_show]",
            run: "click",
        },
        {
            content: "The filters are a facet of the search bar, in words",
            trigger: ".o_searchview_facet:contains('serial contains \"RPT-LONG\"')",
        },
        {
            content: "Only the filtered serials, each read whole",
            trigger: ".o_data_row td[name=name]:contains('RPT-LONG-SERIAL-NUMBER-0001')",
            run() {
                const rows = document.querySelectorAll(".o_data_row");
                if (rows.length !== 2) {
                    throw new Error(`${rows.length} rows shown, not 2`);
                }
                for (const cell of document.querySelectorAll(".o_data_row td[name=name]")) {
                    if (cell.scrollWidth > cell.clientWidth + 1) {
                        throw new Error(`The serial ${cell.textContent} is cut off`);
                    }
                }
            },
        },
        {
            content: "The facet can be removed like any other",
            trigger: ".o_searchview_facet:contains('RPT-LONG') .o_facet_remove",
            run: "click",
        },
        {
            trigger: ".o_searchview:not(:has(.o_searchview_facet:contains('RPT-LONG')))",
        },
    ],
});
