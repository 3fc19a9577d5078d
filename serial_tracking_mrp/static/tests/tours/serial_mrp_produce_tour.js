/** @odoo-module **/
import { registry } from "@web/core/registry";

// A manufacturing user opens an order of 3 drones, chooses the serials of both components in
// the popup of each component line, generates the drones' serials in the popup of the finished
// product, and produces all: one order per serial, each done.
function chooseComponents(product, text) {
    return [
        {
            content: `The serial icon of the ${product} line opens the popup`,
            trigger: `.o_field_widget[name=move_raw_ids] .o_data_row:contains('${product}') button[name=action_open_serial_entry]`,
            run: "click",
        },
        {
            content: "The popup counts against the 3 units to consume",
            trigger: ".modal .o_serial_entry_counter:visible:contains('/ 3 serials')",
        },
        {
            content: `Type the ${product} serials taken from the shelf`,
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: `edit ${text}`,
        },
        {
            content: "Leave the text box: the preview is computed",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "press Tab",
        },
        {
            content: "Three available units, counter complete",
            trigger: ".modal .o_serial_entry_counter.text-bg-success:visible:contains('3 / 3 serials')",
        },
        {
            content: "Apply",
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "The popup closed",
            trigger: "body:not(:has(.modal))",
        },
    ];
}

registry.category("web_tour.tours").add("serial_tracking_mrp_produce", {
    steps: () => [
        ...chooseComponents("Tour Motor", "TM3, TM4, TM5"),
        ...chooseComponents("Tour Board", "TB1, TB2, TB4"),
        {
            content: "The serial icon beside the order's Lot/Serial Number opens the popup",
            trigger: ".o_form_sheet .o_inner_group button.o_serial_entry_button[name=action_open_serial_entry]",
            run: "click",
        },
        {
            content: "Nothing entered yet for the 3 drones",
            trigger: ".modal .o_serial_entry_counter:visible:contains('0 / 3 serials')",
        },
        {
            content: "Generate the 3 serials from the product's rule",
            trigger: ".modal button[name=action_generate]",
            run: "click",
        },
        {
            content: "They follow the rule",
            trigger: ".modal .o_serial_entry_preview tr:contains('DRT-0003'):contains('New')",
        },
        {
            content: "Counter complete",
            trigger: ".modal .o_serial_entry_counter.text-bg-success:visible:contains('3 / 3 serials')",
        },
        {
            content: "Apply",
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "The order shows the serials it will produce",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=serial_finished_text]:contains('DRT-0001')",
        },
        {
            content: "Produce All",
            trigger: ".o_form_statusbar button[name=button_mark_done]:visible:contains('Produce All')",
            run: "click",
        },
        {
            content: "The orders produced are named by their serials",
            trigger: ".o_control_panel:contains('Produced: DRT-0001, DRT-0002, DRT-0003')",
        },
        {
            content: "The three orders are done, one per serial",
            trigger: ".o_list_view .o_data_row:nth-child(3):contains('Done')",
        },
    ],
});

// From the Serial Inventory, the finished unit's form shows what it contains.
registry.category("web_tour.tours").add("serial_tracking_mrp_genealogy", {
    steps: () => [
        {
            content: "The serial form counts the unit's components",
            trigger: ".o_stat_text:contains('Components')",
        },
        {
            content: "Open the Genealogy tab",
            trigger: ".o_notebook .nav-link:contains('Genealogy')",
            run: "click",
        },
        {
            content: "The motor inside the unit",
            trigger: ".o_field_widget[name=component_lot_ids] .o_data_row:contains('Tour Motor'):contains('TM3')",
        },
        {
            content: "The board inside the unit",
            trigger: ".o_field_widget[name=component_lot_ids] .o_data_row:contains('Tour Board'):contains('TB1')",
        },
    ],
});
