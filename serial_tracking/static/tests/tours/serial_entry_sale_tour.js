/** @odoo-module **/
import { registry } from "@web/core/registry";

// A seller opens a quotation, clicks the serial icon of its line, finds one serial by part of
// its number, completes with the oldest ones in stock, applies, and confirms the order.
registry.category("web_tour.tours").add("serial_tracking_sale_popup", {
    steps: () => [
        {
            content: "The line counts no serial yet",
            trigger: ".o_data_row .o_serial_count_label:contains('0 / 2 serials')",
        },
        {
            content: "The serial icon sits beside the product of the sales line",
            trigger: ".o_data_row button[name=action_open_serial_entry]",
            run: "click",
        },
        {
            content: "The popup opens in selection mode, counting against the quantity",
            trigger: ".modal .o_serial_entry_counter:visible:contains('0 / 2 serials')",
        },
        {
            content: "Search a serial in stock by part of its number",
            trigger: ".modal .o_serial_pick_lots input",
            run: "edit SO-3",
        },
        {
            content: "Choose it in the list",
            trigger: ".o-autocomplete--dropdown-item:contains('TSO-3')",
            run: "click",
        },
        {
            content: "It is added to the entry",
            trigger: ".modal .o_serial_entry_counter:visible:contains('1 / 2 serials')",
        },
        {
            content: "Complete with the oldest serials in stock",
            trigger: ".modal button[name=action_pick_oldest]",
            run: "click",
        },
        {
            content: "The counter reached the quantity",
            trigger: ".modal .o_serial_entry_counter.text-bg-success:visible:contains('2 / 2 serials')",
        },
        {
            content: "Apply",
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "The popup closed and the line counts the chosen serials",
            trigger: "body:not(:has(.modal)) .o_data_row .o_serial_count_label:contains('2 / 2 serials')",
        },
        {
            content: "Confirm the order",
            trigger: "button[name=action_confirm]:visible",
            run: "click",
        },
        {
            content: "The order is confirmed and its delivery is there",
            trigger: "button[name=action_view_delivery]:visible",
        },
    ],
});
