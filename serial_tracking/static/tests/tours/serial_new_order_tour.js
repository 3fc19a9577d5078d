/** @odoo-module **/
import { registry } from "@web/core/registry";

// A buyer starts a new purchase order, adds a line and clicks its serials at once, before ever
// saving: the order is saved for them and the popup opens (no "save your changes first"); after
// Apply the line shows the serials it holds, not only their count.
registry.category("web_tour.tours").add("serial_tracking_new_order_popup", {
    steps: () => [
        {
            content: "Choose the vendor of the new order",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour Vendor",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Vendor')",
            run: "click",
        },
        {
            content: "Add a line",
            trigger: ".o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_data_row .o_field_widget[name=product_id] input",
            run: "edit Tour Widget",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Widget')",
            run: "click",
        },
        {
            trigger: ".o_data_row .o_field_widget[name=product_qty] input",
            run: "edit 2",
        },
        {
            content: "The count of the new line is its serial button: click it at once",
            trigger: ".o_data_row .o_serial_entry_button:contains('serials')",
            run: "click",
        },
        {
            content: "The popup opens for the quantity typed: the order was saved, no toast asks to save first",
            trigger: ".modal .o_serial_entry_counter:visible:contains('0 / 2 serials')",
            run() {
                if (document.querySelector(".o_notification.border-danger, .o_notification_manager .text-bg-danger")) {
                    throw new Error("A 'save your changes first' notification was shown");
                }
            },
        },
        {
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "edit NEW-PO-1, NEW-PO-2",
        },
        {
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "press Tab",
        },
        {
            trigger: ".modal .o_serial_entry_counter.text-bg-success:visible:contains('2 / 2 serials')",
        },
        {
            content: "Apply",
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "The line shows the serials it holds under its count",
            trigger: "body:not(:has(.modal)) .o_data_row .o_serial_entry_names:contains('NEW-PO-1, NEW-PO-2')",
        },
        {
            trigger: ".o_data_row .o_serial_count_label:contains('2 / 2 serials')",
        },
    ],
});
