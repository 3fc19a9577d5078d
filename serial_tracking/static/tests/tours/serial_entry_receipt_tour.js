/** @odoo-module **/
import { registry } from "@web/core/registry";
import { serialBoxHasFocus } from "@serial_tracking/../tests/tours/utils/serial_popup_util";

// A clerk opens a receipt, clicks the serial icon of its line, pastes a range and a serial,
// sees the counter and preview, applies, and finds the serials on the receipt.
registry.category("web_tour.tours").add("serial_tracking_receipt_popup", {
    steps: () => [
        {
            content: "The serial icon sits on the operation line of the serial-tracked product",
            trigger: ".o_data_row button[name=action_open_serial_entry]",
            run: "click",
        },
        {
            content: "The popup opens for the product, counting against the quantity",
            trigger: ".modal .o_serial_entry_counter:visible:contains('0 / 4 serials')",
        },
        {
            content: "The text box has the focus: a scan or a paste goes into it without a click",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: serialBoxHasFocus,
        },
        {
            content: "Paste a range and one more serial",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "edit TOUR001-TOUR003, TOUR-EXTRA",
        },
        {
            content: "Leave the text box (Tab): the preview is computed",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "press Tab",
        },
        {
            content: "The counter reached the quantity",
            trigger: ".modal .o_serial_entry_counter.text-bg-success:visible:contains('4 / 4 serials')",
        },
        {
            content: "Each serial is previewed with its status",
            trigger: ".modal .o_serial_entry_preview tr:contains('TOUR-EXTRA'):contains('New')",
        },
        {
            content: "Apply",
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "The popup closed and the receipt line holds the four units",
            trigger: "body:not(:has(.modal)) .o_data_row .o_data_cell[name=quantity]:contains('4')",
        },
    ],
});
