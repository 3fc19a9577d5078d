/** @odoo-module **/
import {registry} from "@web/core/registry";

// The receipt popup of serial_entry_receipt_tour.js, for a clerk who works in French: the
// popup's title, counter, the parser's message for a range entered backwards, the preview and
// the Apply button all speak French (serial_tracking/i18n/fr.po).
registry.category("web_tour.tours").add("serial_tracking_receipt_popup_fr", {
    steps: () => [
        {
            content: "L'icône des numéros de série est sur la ligne d'opération",
            trigger: ".o_data_row button[name=action_open_serial_entry]",
            run: "click",
        },
        {
            content: "La fenêtre a un titre en français",
            trigger: ".modal .modal-title:contains('Numéros de série')",
        },
        {
            content: "Le compteur compte en français",
            trigger: ".modal .o_serial_entry_counter:visible:contains('0 / 4 numéros de série')",
        },
        {
            content: "Une plage saisie à l'envers",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "edit FR009-FR007",
        },
        {
            content: "Quitter la zone de texte : l'aperçu est calculé",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "press Tab",
        },
        {
            content: "Le message de l'analyseur est en français",
            trigger: '.modal li:contains("Ligne 1 : la plage « FR009-FR007 » est à l\'envers")',
        },
        {
            content: "Saisir une plage correcte",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "edit FR001-FR004",
        },
        {
            content: "Quitter la zone de texte",
            trigger: ".modal .o_field_widget[name=serial_text] textarea",
            run: "press Tab",
        },
        {
            content: "Le compteur a atteint la quantité",
            trigger:
                ".modal .o_serial_entry_counter.text-bg-success:visible:contains('4 / 4 numéros de série')",
        },
        {
            content: "Chaque numéro de série est prévisualisé avec son statut en français",
            trigger: ".modal .o_serial_entry_preview tr:contains('FR004'):contains('Nouveau')",
        },
        {
            content: "Appliquer",
            trigger: ".modal button[name=action_apply]:contains('Appliquer')",
            run: "click",
        },
        {
            content: "La fenêtre est fermée et la ligne de réception a les quatre unités",
            trigger: "body:not(:has(.modal)) .o_data_row .o_data_cell[name=quantity]:contains('4')",
        },
    ],
});
