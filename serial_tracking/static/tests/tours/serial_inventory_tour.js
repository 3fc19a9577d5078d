/** @odoo-module **/
import { registry } from "@web/core/registry";

// A clerk looks a unit up in the Serial Inventory by part of its number, opens it, and reads
// its status and its history.
registry.category("web_tour.tours").add("serial_tracking_find_serial", {
    steps: () => [
        {
            content: "The Serial Inventory lists the units",
            trigger: ".o_list_view .o_data_row td[name=name]:contains('TSO-1')",
        },
        {
            content: "Type part of a serial in the search box",
            trigger: ".o_searchview_input",
            run: "edit SO-2",
        },
        {
            content: "Search it",
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Only the matching unit is listed, with its status",
            trigger:
                ".o_list_view:not(:has(td[name=name]:contains('TSO-1'))) .o_data_row:only-child td[name=name]:contains('TSO-2')",
        },
        {
            content: "The unit is in stock",
            trigger: ".o_data_row td[name=serial_state]:contains('In Stock')",
        },
        {
            content: "Open it",
            trigger: ".o_data_row td[name=name]:contains('TSO-2')",
            run: "click",
        },
        {
            content: "Its form opens",
            trigger: ".o_form_view .o_field_widget[name=name]:contains('TSO-2'), .o_form_view .o_field_widget[name=name] input",
        },
        {
            content: "Its form shows the status ribbon",
            trigger: ".o_form_view .ribbon:contains('In Stock')",
        },
        {
            content: "Open its history",
            trigger: ".o_notebook a[name=serial_history], .o_notebook .nav-link:contains('History')",
            run: "click",
        },
        {
            content: "The history lists the move that brought it into stock",
            trigger:
                ".o_form_view .o_field_widget[name=history_line_ids] .o_data_row td[name=location_dest_id]:contains('Stock')",
        },
    ],
});
