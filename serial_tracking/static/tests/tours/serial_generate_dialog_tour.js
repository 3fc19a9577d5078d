/** @odoo-module **/
import { registry } from "@web/core/registry";

// A clerk opens the detailed operations of a receipt and uses Odoo's own Generate Serials
// dialog: its First SN is the next serial of the product's numbering rule, and generating
// gives the rule's serials.
registry.category("web_tour.tours").add("serial_tracking_generate_dialog", {
    steps: () => [
        {
            content: "Open the detailed operations of the receipt's line",
            trigger: ".o_data_row button.fa-list",
            run: "click",
        },
        {
            content: "Odoo's Generate Serials/Lots",
            trigger: ".modal button:contains('Generate Serials/Lots')",
            run: "click",
        },
        {
            content: "The First SN is the rule's next serial",
            trigger: ".modal input#next_serial_0",
            run() {
                if (this.anchor.value !== "TGEN-0001") {
                    throw new Error(`First SN is ${JSON.stringify(this.anchor.value)}`);
                }
            },
        },
        {
            trigger: ".modal .modal-footer button.btn-primary:contains('Generate')",
            run: "click",
        },
        {
            content: "The rule's serials are on the lines",
            trigger: ".modal .o_field_widget[name=move_line_ids] .o_data_row:contains('TGEN-0004')",
        },
        {
            content: "Save the detailed operations",
            trigger: ".modal .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            content: "Save the receipt",
            trigger: "body:not(:has(.modal)) .o_form_button_save",
            run: "click",
        },
        {
            trigger: "body:not(:has(.o_form_button_save:visible))",
        },
    ],
});
