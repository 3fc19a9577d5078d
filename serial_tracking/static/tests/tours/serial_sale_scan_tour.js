/** @odoo-module **/
import { registry } from "@web/core/registry";

// A seller scans two serials into the popup of a sales line (a scanner types each serial and
// Enter), sees the preview and the counter, applies, and the line counts them.
registry.category("web_tour.tours").add("serial_tracking_sale_scan", {
    steps: () => [
        {
            content: "Open the serial popup of the sales line",
            trigger: ".o_data_row button[name=action_open_serial_entry]",
            run: "click",
        },
        {
            content: "The popup counts against the quantity",
            trigger: ".modal .o_serial_entry_counter:visible:contains('0 / 2 serials')",
        },
        {
            content: "Scan a serial",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "edit TSO-3",
        },
        {
            content: "The scanner ends it with Enter",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "press Enter",
        },
        {
            content: "Scan another one",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "fill TSO-1",
        },
        {
            content: "Enter again",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "press Enter",
        },
        {
            content: "Leave the box: the preview and counter follow",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "press Tab",
        },
        {
            content: "Both scanned serials are in stock and counted",
            trigger: ".modal .o_serial_entry_counter.text-bg-success:visible:contains('2 / 2 serials')",
        },
        {
            content: "The preview lists them",
            trigger: ".modal .o_field_widget[name=preview_html]:contains('TSO-3'):contains('TSO-1')",
        },
        {
            content: "Apply",
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "The line counts the scanned serials",
            trigger: "body:not(:has(.modal)) .o_data_row .o_serial_count_label:contains('2 / 2 serials')",
        },
    ],
});
