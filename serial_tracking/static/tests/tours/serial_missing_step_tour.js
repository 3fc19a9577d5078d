/** @odoo-module **/
import { registry } from "@web/core/registry";

// Proof that a tour fails when what a step waits for is not on the screen: the popup opens, and
// then the tour waits for an element the add-on never shows.
registry.category("web_tour.tours").add("serial_tracking_missing_step", {
    steps: () => [
        {
            content: "Open the serial popup",
            trigger: ".o_data_row button[name=action_open_serial_entry]",
            run: "click",
        },
        {
            content: "The popup is open",
            trigger: ".modal .o_serial_entry_counter:visible",
        },
        {
            content: "An element that is never there",
            trigger: ".modal .o_serial_no_such_element",
            timeout: 2000,
        },
    ],
});
