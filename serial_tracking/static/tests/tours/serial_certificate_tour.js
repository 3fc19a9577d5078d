/** @odoo-module **/
import { registry } from "@web/core/registry";
import { download } from "@web/core/network/download";

// A clerk opens a delivered serial and prints its warranty certificate from the Print menu.
// The browser would save the file where the tour cannot look, so the download is caught: the
// same request is sent to the server and the pages it returns are shown for the tour to read
// (under tests Odoo answers a PDF request with the report's HTML).
function catchDownloads() {
    download._download = async (options) => {
        const body = new FormData();
        for (const [key, value] of Object.entries(options.data)) {
            body.append(key, value);
        }
        body.append("csrf_token", odoo.csrf_token);
        const response = await fetch(options.url, { method: "POST", body });
        const disposition = response.headers.get("Content-Disposition") || "";
        const quoted = disposition.match(/filename\*=UTF-8''([^;]+)/);
        const plain = disposition.match(/filename="([^"]+)"/);
        const received = document.createElement("div");
        received.className = "o_serial_tour_download";
        received.dataset.filename = quoted ? decodeURIComponent(quoted[1]) : plain?.[1] || "";
        const pages = new DOMParser()
            .parseFromString(await response.text(), "text/html")
            .querySelectorAll(".page");
        received.append(...[...pages].map((page) => document.importNode(page, true)));
        document.body.append(received);
    };
}

registry.category("web_tour.tours").add("serial_tracking_print_certificate", {
    steps: () => [
        {
            content: "The serial's form shows it delivered",
            trigger: ".o_form_view .ribbon:contains('Delivered')",
            run: catchDownloads,
        },
        {
            content: "Open the gear menu",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Open Print",
            trigger: ".o-dropdown--menu button:has(.fa-print)",
            run: "click",
        },
        {
            content: "Print the warranty certificate",
            trigger: ".o-dropdown--menu .o_menu_item:contains('Warranty Certificate')",
            run: "click",
        },
        {
            content: "The file is named after the serial",
            trigger: ".o_serial_tour_download[data-filename='Warranty - TDL-1.pdf']",
        },
        {
            content: "It certifies the serial for the customer who holds it",
            trigger: ".o_serial_tour_download .o_warranty_certificate:contains('Warranty Certificate'):contains('Tour Widget'):contains('TDL-1'):contains('Tour Customer')",
        },
        {
            content: "Under the product's warranty type",
            trigger: ".o_serial_tour_download .o_warranty_certificate:contains('Tour Warranty')",
        },
        {
            content: "With the warranty's start and end dates the serial's form shows",
            trigger: ".o_serial_tour_download .o_serial_warranty_end",
            run() {
                for (const name of ["warranty_start", "warranty_end"]) {
                    const form = document.querySelector(`.o_form_view [name=${name}_date]`);
                    const printed = document.querySelector(`.o_serial_tour_download .o_serial_${name}`);
                    const expected = form.textContent.trim() || form.querySelector("input")?.value;
                    if (!expected || printed.textContent.trim() !== expected) {
                        throw new Error(`${name}: printed ${printed.textContent}, form ${expected}`);
                    }
                }
            },
        },
        {
            content: "With the warranty's terms",
            trigger: ".o_serial_tour_download .o_warranty_terms:contains('Parts and labour')",
        },
        {
            content: "Only this serial's certificate",
            trigger: ".o_serial_tour_download:not(:has(.o_warranty_certificate:contains('TDL-2')))",
        },
    ],
});
