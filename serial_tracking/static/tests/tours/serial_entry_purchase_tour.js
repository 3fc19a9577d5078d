/** @odoo-module **/
import { registry } from "@web/core/registry";

// A buyer opens a draft purchase order, clicks the serial icon of its line, pastes the serials
// the vendor announced, applies, sees the line count them, and confirms the order.
registry.category("web_tour.tours").add("serial_tracking_purchase_popup", {
    steps: () => [
        {
            content: "The line counts no serial yet",
            trigger: ".o_data_row .o_serial_count_label:contains('0 / 3 serials')",
        },
        {
            content: "The serial icon sits beside the product of the purchase line",
            trigger: ".o_data_row button[name=action_open_serial_entry]",
            run: "click",
        },
        {
            content: "The popup opens for the product, counting against the ordered quantity",
            trigger: ".modal .o_serial_entry_counter:visible:contains('0 / 3 serials')",
        },
        {
            content: "Paste the vendor's list: a range and a serial",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "edit POT001-POT002; POT-LAST",
        },
        {
            content: "Leave the text box (Tab): the preview is computed",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "press Tab",
        },
        {
            content: "The counter reached the ordered quantity",
            trigger: ".modal .o_serial_entry_counter.text-bg-success:visible:contains('3 / 3 serials')",
        },
        {
            content: "Each serial is previewed as new",
            trigger: ".modal .o_serial_entry_preview tr:contains('POT-LAST'):contains('New')",
        },
        {
            content: "Apply",
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "The popup closed and the line counts the announced serials",
            trigger: "body:not(:has(.modal)) .o_data_row .o_serial_count_label:contains('3 / 3 serials')",
        },
        {
            content: "Confirm the order",
            trigger: "button[name=button_confirm]:visible",
            run: "click",
        },
        {
            content: "The order is confirmed and its receipt is there",
            trigger: "button[name=action_view_picking]:visible:contains('Receipt')",
        },
    ],
});
