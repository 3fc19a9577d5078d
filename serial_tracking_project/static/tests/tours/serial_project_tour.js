/** @odoo-module **/
import { registry } from "@web/core/registry";

// From a project, its Serials (beside project_stock's transfers) lists the units it used.
registry.category("web_tour.tours").add("serial_tracking_project_serials", {
    steps: () => [
        {
            content: "Show the project's embedded actions",
            trigger: ".o_control_panel button:has(i.fa-sliders):not(.dropdown-toggle)",
            run: "click",
        },
        {
            content: "Open the list of the project's actions",
            trigger: ".o_embedded_actions .dropdown-toggle, .o_embedded_actions button:has(i.fa-sliders)",
            run: "click",
        },
        {
            content: "Show Serials among them",
            trigger: ".o_embedded_actions_dropdown_menu .dropdown-item:contains('Serials')",
            run: "click",
        },
        {
            content: "Open the project's serials",
            trigger: ".o_embedded_actions button.o_draggable:contains('Serials')",
            run: "click",
        },
        {
            content: "The unit the project used, delivered",
            trigger: ".o_list_view .o_data_row:contains('CAM1'):contains('Delivered')",
        },
    ],
});
