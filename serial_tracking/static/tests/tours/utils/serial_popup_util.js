/** @odoo-module **/

// Headless Chromium's window never has the focus, so ":focus" never matches: the focused element
// is read from the document instead.
export function serialBoxHasFocus() {
    const box = document.querySelector(".modal .o_field_widget[name=serial_text] textarea");
    if (!box || document.activeElement !== box) {
        throw new Error(`The serial box does not have the focus: ${document.activeElement?.outerHTML}`);
    }
}
