/** @odoo-module **/
import { registry } from "@web/core/registry";

// A clerk receives a subcontracted drone: in "Record components" the drone's serial is entered,
// the motor's serial icon opens the popup, the motor the subcontractor used is chosen, the popup
// goes back to the record, the production is recorded and the receipt validated.
registry.category("web_tour.tours").add("serial_tracking_subcontracting", {
    steps: () => [
        {
            content: "Record the components the subcontractor used",
            trigger: ".o_form_statusbar button[name=action_record_components]:visible",
            run: "click",
        },
        {
            content: "The drone's serial, Odoo's required field of the record",
            trigger: ".modal .o_field_widget[name=lot_producing_id] input",
            run: "edit DR-SUB9",
        },
        {
            content: "Create it",
            trigger: ".modal .o_field_widget[name=lot_producing_id] .o_m2o_dropdown_option_create a",
            run: "click",
        },
        {
            content: "The motor line has the serial icon",
            trigger: ".modal .o_serial_component_moves .o_data_row:contains('Serial Motor') button[name=action_open_serial_entry]",
            run: "click",
        },
        {
            content: "The popup chooses among the motors at the subcontractor",
            trigger: ".modal .o_serial_entry_counter:visible:contains('/ 1 serial')",
        },
        {
            content: "Type the motor's serial",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "edit MS2",
        },
        {
            content: "Leave the text box: the preview is computed",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "press Tab",
        },
        {
            content: "Counter complete",
            trigger: ".modal .o_serial_entry_counter.text-bg-success:visible:contains('1 / 1 serial')",
        },
        {
            content: "Apply",
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "Back in the record: the motor chosen",
            trigger: ".modal .o_serial_component_moves .o_data_row:contains('Serial Motor'):contains('MS2')",
        },
        {
            content: "Record the production",
            trigger: ".modal button[name=subcontracting_record_component]:visible",
            run: "click",
        },
        {
            content: "Validate the receipt",
            trigger: "body:not(:has(.modal)) .o_form_statusbar button[name=button_validate]:visible",
            run: "click",
        },
        {
            content: "The receipt is done",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
    ],
});
