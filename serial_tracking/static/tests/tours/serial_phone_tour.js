/** @odoo-module **/
import { registry } from "@web/core/registry";

// On a phone Odoo shows the lines of an order or a transfer as cards: the serial count and the
// popup are on each card of a serial product.

registry.category("web_tour.tours").add("serial_tracking_phone_sale", {
    steps: () => [
        {
            content: "The sales line's card counts no serial yet",
            trigger: ".o_field_widget[name=order_line] .o_kanban_record .o_serial_count_label:contains('0 / 2 serials')",
        },
        {
            content: "Tap Serial Numbers on the card",
            trigger: ".o_field_widget[name=order_line] .o_kanban_record button.o_serial_entry_button",
            run: "click",
        },
        {
            content: "The popup fills the phone's screen, counting against the quantity",
            trigger: ".modal .o_serial_entry_counter:visible:contains('0 / 2 serials')",
        },
        {
            content: "Scan a serial",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "edit TSO-2",
        },
        {
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "press Enter",
        },
        {
            content: "Counted at once",
            trigger: ".modal .o_serial_entry_counter:visible:contains('1 / 2 serials')",
        },
        {
            content: "Complete with the oldest serial in stock",
            trigger: ".modal button[name=action_pick_oldest]",
            run: "click",
        },
        {
            trigger: ".modal .o_serial_entry_counter.text-bg-success:visible:contains('2 / 2 serials')",
        },
        {
            content: "Apply, within reach on the phone's screen",
            trigger: ".modal .modal-footer button[name=action_apply]:visible",
            run: "click",
        },
        {
            content: "The card counts the chosen serials",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=order_line] .o_kanban_record .o_serial_count_label:contains('2 / 2 serials')",
        },
    ],
});

registry.category("web_tour.tours").add("serial_tracking_phone_purchase", {
    steps: () => [
        {
            content: "The purchase line's card counts no serial yet",
            trigger: ".o_field_widget[name=order_line] .o_kanban_record .o_serial_count_label:contains('0 / 3 serials')",
        },
        {
            content: "Tap Serial Numbers on the card",
            trigger: ".o_field_widget[name=order_line] .o_kanban_record button.o_serial_entry_button",
            run: "click",
        },
        {
            content: "Paste the vendor's range",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "edit PHP001-PHP003",
        },
        {
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "press Enter",
        },
        {
            content: "Counted and previewed as new",
            trigger: ".modal .o_serial_entry_counter.text-bg-success:visible:contains('3 / 3 serials')",
        },
        {
            trigger: ".modal .o_field_widget[name=preview_html]:contains('PHP003')",
        },
        {
            content: "Apply",
            trigger: ".modal .modal-footer button[name=action_apply]:visible",
            run: "click",
        },
        {
            content: "The card counts the announced serials",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=order_line] .o_kanban_record .o_serial_count_label:contains('3 / 3 serials')",
        },
    ],
});

registry.category("web_tour.tours").add("serial_tracking_phone_receipt", {
    steps: () => [
        {
            content: "Tap Serial Numbers on the operation's card",
            trigger: ".o_field_widget[name=move_ids_without_package] .o_kanban_record button.o_serial_entry_button",
            run: "click",
        },
        {
            content: "Paste a range",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "edit PHR001-PHR004",
        },
        {
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "press Enter",
        },
        {
            content: "The counter reached the quantity",
            trigger: ".modal .o_serial_entry_counter.text-bg-success:visible:contains('4 / 4 serials')",
        },
        {
            content: "Apply",
            trigger: ".modal .modal-footer button[name=action_apply]:visible",
            run: "click",
        },
        {
            content: "Back on the receipt",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=move_ids_without_package] .o_kanban_record",
        },
    ],
});
