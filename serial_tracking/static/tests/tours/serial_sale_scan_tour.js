/** @odoo-module **/
import { registry } from "@web/core/registry";
import { serialBoxHasFocus } from "@serial_tracking/../tests/tours/utils/serial_popup_util";

// A seller scans two serials into the popup of a sales line (a scanner types each serial and
// Enter), sees the counter and the preview follow each scan while the box keeps the focus,
// applies, and the line counts them.

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
            content: "The box has the focus: the first scan goes into it without a click",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: serialBoxHasFocus,
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
            content: "The counter and preview follow the scan at once, the box keeps the focus",
            trigger: ".modal .o_serial_entry_counter:visible:contains('1 / 2 serials')",
        },
        {
            trigger: ".modal .o_field_widget[name=preview_html]:contains('TSO-3')",
        },
        {
            content: "The box keeps the focus: the next scan goes into it",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: serialBoxHasFocus,
        },
        {
            content: "Scan a serial that does not exist",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "fill TSO-404",
        },
        {
            content: "Enter again",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "press Enter",
        },
        {
            content: "The dialog names the wrong line and why, at once",
            trigger: ".modal .o_serial_entry_errors:contains('Line 2: TSO-404 is not a serial number of Tour Widget')",
        },
        {
            trigger: ".modal .o_field_widget[name=preview_html] .text-bg-danger:contains('Invalid')",
        },
        {
            content: "Still in the box after the wrong scan; the counter is red, not green",
            trigger: ".modal .o_serial_entry_counter.text-bg-danger:visible:contains('2 / 2 serials')",
            run: serialBoxHasFocus,
        },
        {
            content: "No Apply is offered while the entry has errors",
            trigger: ".modal .modal-footer:not(:has(button[name=action_apply]:visible))",
        },
        {
            content: "The popup is still open with both scans as entered",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run() {
                const value = this.anchor.value.trim();
                if (value !== "TSO-3\nTSO-404") {
                    throw new Error(`The entry changed to ${JSON.stringify(value)}`);
                }
            },
        },
        {
            content: "Replace the wrong scan by another serial",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "edit TSO-3,TSO-1",
        },
        {
            content: "Enter",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "press Enter",
        },
        {
            content: "The error is gone",
            trigger: ".modal:not(:has(.o_serial_entry_errors)) .o_field_widget[name=preview_html]:contains('TSO-1')",
            run: serialBoxHasFocus,
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
