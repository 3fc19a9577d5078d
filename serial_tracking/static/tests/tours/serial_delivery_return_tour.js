/** @odoo-module **/
import { registry } from "@web/core/registry";

// A clerk validates a delivery that reserved the serials chosen on its sales order, then takes
// one unit back: the return offers one line per serial delivered.
registry.category("web_tour.tours").add("serial_tracking_delivery_return", {
    steps: () => [
        {
            content: "The delivery reserved exactly the chosen serials",
            trigger: ".o_form_view .o_field_widget[name=move_ids_without_package] .o_data_row:contains('Tour Widget')",
        },
        {
            content: "Validate the delivery",
            trigger: ".o_form_view button[name=button_validate]:visible",
            run: "click",
        },
        {
            content: "The delivery is done",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
        {
            content: "Return",
            trigger: ".o_form_view .o_statusbar_buttons button:contains('Return')",
            run: "click",
        },
        {
            content: "The return offers one line per serial delivered",
            trigger: ".modal .o_data_row:contains('TDL-1') + .o_data_row:contains('TDL-2'), .modal .o_data_row:contains('TDL-2') + .o_data_row:contains('TDL-1')",
        },
        {
            content: "Take TDL-2 back: its quantity",
            trigger: ".modal .o_data_row:contains('TDL-2') td[name=quantity]",
            run: "click",
        },
        {
            content: "One unit",
            trigger: ".modal .o_data_row:contains('TDL-2') td[name=quantity] input",
            run: "edit 1",
        },
        {
            content: "Create the return",
            trigger: ".modal button[name=action_create_returns]",
            run: "click",
        },
        {
            content: "The return of the delivery opens, for one unit",
            trigger: ".o_breadcrumb:contains('/OUT/') .active:contains('/IN/')",
        },
        {
            content: "It takes back one unit",
            trigger: ".o_field_widget[name=move_ids_without_package] .o_data_row:contains('Tour Widget') td[name=product_uom_qty]:contains('1.00')",
        },
        {
            content: "Validate the return",
            trigger: ".o_form_view button[name=button_validate]:visible",
            run: "click",
        },
        {
            content: "The return is done",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
    ],
});
