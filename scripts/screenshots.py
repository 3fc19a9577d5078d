"""Screenshots of the add-on's screens for the README, taken in headless Chromium from a running
Odoo with the demo database (make run). Usage:

    ~/.cache/serial_tracking/venv/bin/python scripts/screenshots.py [--url http://localhost:8069]

Each scene logs in, opens a page, clicks and types as a user would, and saves a PNG in docs/.
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket


def scenes(rpc):
    """(file name, start path, steps); a step is ("click", css), ("type", css, text),
    ("blur", css), ("scroll", css) or ("wait", css). Records are looked up in the demo database."""
    laptop = rpc("product.template", "search", [[("default_code", "=", "LP14")]])[0]
    receipt = rpc(
        "stock.picking",
        "search",
        [
            [
                ("product_id.default_code", "=", "LP14"),
                ("picking_type_code", "=", "incoming"),
                ("state", "=", "assigned"),
            ]
        ],
        {"limit": 1},
    )[0]
    serial = rpc("stock.lot", "search", [[("name", "=", "LP14-0001")]])[0]
    scanner_order = rpc("purchase.order", "search", [[("partner_ref", "=", "NW-ASN-2211")]])[0]
    return_action = rpc(
        "ir.model.data", "check_object_reference", ["stock", "act_stock_return_picking"]
    )[1]
    delivery = rpc(
        "stock.picking",
        "search",
        [[("picking_type_code", "=", "outgoing"), ("state", "=", "done")]],
        {"limit": 1},
    )[0]
    quotation = rpc(
        "sale.order",
        "search",
        [[("order_line.product_id.default_code", "=", "LP14"), ("state", "=", "draft")]],
        {"limit": 1},
    )[0]
    delivered = rpc(
        "stock.lot",
        "search",
        [[("product_id.default_code", "=", "LP14"), ("serial_state", "=", "delivered")]],
        {"limit": 1},
    )[0]
    scanner_receipt = rpc(
        "stock.picking", "search", [[("purchase_id", "=", scanner_order)]], {"limit": 1}
    )[0]
    return [
        (
            "serial_form.png",
            f"/odoo/action-serial_tracking.action_serial_inventory/{serial}",
            [("click", "a.nav-link[name=serial_history]"), ("wait", ".o_data_row")],
        ),
        (
            "serial_inventory.png",
            "/odoo/action-serial_tracking.action_serial_inventory",
            [("wait", ".o_data_row")],
        ),
        (
            "product_numbering_rule.png",
            f"/odoo/action-stock.product_template_action_product/{laptop}",
            [
                ("click", "a.nav-link[name=inventory]"),
                ("scroll", "div[name=serial_example]"),
            ],
        ),
        (
            # A phone shows a transfer's operations as cards (taken with --phone only).
            "serial_popup_card.png",
            f"/odoo/action-stock.action_picking_tree_all/{receipt}",
            [
                ("click", ".o_kanban_record button[name=action_open_serial_entry]"),
                ("wait", ".modal .o_serial_entry_counter"),
            ],
        ),
        (
            "receipt_serial_icon.png",
            f"/odoo/action-stock.action_picking_tree_all/{receipt}",
            [("wait", ".o_data_row button[name=action_open_serial_entry]")],
        ),
        (
            "serial_popup.png",
            f"/odoo/action-stock.action_picking_tree_all/{receipt}",
            [
                ("click", ".o_data_row button[name=action_open_serial_entry]"),
                (
                    "type",
                    ".modal .o_field_widget[name=serial_text] textarea",
                    "LP14-0004-LP14-0007\nLP14-0002\nLP14-0005",
                ),
                ("blur", ".modal .o_field_widget[name=serial_text] textarea"),
                ("wait", ".modal .o_serial_entry_preview"),
            ],
        ),
        (
            "purchase_line_serials.png",
            f"/odoo/action-purchase.purchase_form_action/{scanner_order}",
            [("wait", ".o_data_row .o_serial_count_label")],
        ),
        (
            "purchase_serial_popup.png",
            f"/odoo/action-purchase.purchase_form_action/{scanner_order}",
            [
                ("click", ".o_data_row button[name=action_open_serial_entry]"),
                (
                    "type",
                    ".modal .o_field_widget[name=serial_text] textarea",
                    "BSX2-Q7K2M9TA\nBSX2-Q7K2M9TB\nBSX2-Q7K2M9TC\nBSX2-Q7K2M9TD",
                ),
                ("blur", ".modal .o_field_widget[name=serial_text] textarea"),
                ("wait", ".modal .o_serial_entry_preview"),
            ],
        ),
        (
            "sale_line_card.png",
            f"/odoo/action-sale.action_quotations_with_onboarding/{quotation}",
            [("wait", ".o_field_widget[name=order_line] .o_kanban_record .o_serial_entry_button")],
        ),
        (
            "sale_serial_popup.png",
            f"/odoo/action-sale.action_quotations_with_onboarding/{quotation}",
            [
                ("click", ".o_data_row button[name=action_open_serial_entry]"),
                ("click", ".modal button[name=action_pick_oldest]"),
                ("wait", ".modal .o_serial_entry_counter.text-bg-success"),
                ("wait", ".modal .o_serial_entry_preview"),
            ],
        ),
        (
            "return_per_serial.png",
            f"/odoo/action-stock.action_picking_tree_all/{delivery}",
            [
                ("click", "button[name='%s']" % return_action),
                ("wait", ".modal .o_field_widget[name=product_return_moves] .o_data_row"),
            ],
        ),
        (
            "serial_warranty.png",
            f"/odoo/action-serial_tracking.action_serial_inventory/{delivered}",
            [("scroll", ".o_field_widget[name=warranty_end_date]")],
        ),
        (
            "product_warranty_policy.png",
            f"/odoo/action-stock.product_template_action_product/{laptop}",
            [
                ("click", "a.nav-link[name=sales]"),
                ("scroll", "div[name=warranty_type_id]"),
            ],
        ),
        (
            "serial_report_dialog.png",
            "/odoo/action-serial_tracking.action_serial_report_wizard",
            [
                ("type", ".modal .o_field_widget[name=serial] input", "LP14"),
                ("wait", ".modal button[name=action_export_xlsx]"),
            ],
        ),
        (
            "setting_source_check.png",
            "/odoo/action-stock.action_stock_config_settings",
            [
                ("scroll", "#serial_source_check"),
                ("wait", "#serial_source_check input[type=radio]"),
            ],
        ),
        (
            "serials_in_stock.png",
            "/odoo/action-serial_tracking.action_serial_stock_analysis",
            [("wait", ".o_pivot table")],
        ),
        (
            "receipt_reconciliation.png",
            f"/odoo/action-stock.action_picking_tree_all/{scanner_receipt}",
            [
                ("click", "a.nav-link[name=serial_reconciliation]"),
                ("wait", ".o_serial_reconciliation"),
            ],
        ),
    ]


def mrp_scenes(rpc):
    """The manufacturing bridge's screens, when the demo database has it (serial_tracking_mrp's
    demo: drones of a serial motor and board)."""
    drone = rpc("product.product", "search", [[("default_code", "=", "DRN")]])
    if not drone:
        return []
    production = rpc(
        "mrp.production",
        "search",
        [[("product_id", "=", drone[0]), ("state", "=", "confirmed")]],
        {"limit": 1},
    )
    unit = rpc("stock.lot", "search", [[("product_id", "=", drone[0])]], {"limit": 1})
    scenes = []
    if production:
        scenes += [
            (
                "mrp_order_serials.png",
                f"/odoo/action-mrp.mrp_production_action/{production[0]}",
                [
                    (
                        "wait",
                        ".o_field_widget[name=move_raw_ids] button[name=action_open_serial_entry]",
                    )
                ],
            ),
            (
                "mrp_serial_popup.png",
                f"/odoo/action-mrp.mrp_production_action/{production[0]}",
                [
                    ("click", ".o_inner_group button.o_serial_entry_button"),
                    (
                        "type",
                        ".modal .o_field_widget[name=serial_text] textarea",
                        "DRN-0002-DRN-0004",
                    ),
                    ("blur", ".modal .o_field_widget[name=serial_text] textarea"),
                    ("wait", ".modal .o_serial_entry_preview"),
                ],
            ),
        ]
    if unit:
        scenes.append(
            (
                "serial_genealogy.png",
                f"/odoo/action-serial_tracking.action_serial_inventory/{unit[0]}",
                [
                    ("click", "a.nav-link[name=serial_genealogy]"),
                    ("wait", ".o_field_widget[name=component_lot_ids] .o_data_row"),
                    ("scroll", "a.nav-link[name=serial_genealogy]"),
                ],
            )
        )
    return scenes


# Seen by a portal customer (the demo's Blue Harbor buyer).
PORTAL_SCENES = [
    ("portal_serials.png", "/my/serials", [("wait", ".o_serial_portal_row")]),
]


def apps_scenes(rpc):
    """The add-on's page in Apps: its static/description/index.html (scripts/readme.py)."""
    module = rpc("ir.module.module", "search", [[("name", "=", "serial_tracking")]])[0]
    return [
        (
            "apps_page.png",
            f"/odoo/action-base.open_module_tree/{module}",
            [("wait", ".o_form_view img[src*='static/description']")],
        )
    ]


# The first visible element matching a CSS selector.
FIND_JS = """
(selector) => [...document.querySelectorAll(selector)].find((n) => n.offsetParent !== null) || null
"""


class Page:
    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=30)
        self.next_id = 0

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def js(self, expression):
        result = self.send(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if result.get("exceptionDetails"):
            raise RuntimeError(result["exceptionDetails"])
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.js(f"!!({FIND_JS})({json.dumps(selector)})"):
                return
            time.sleep(0.2)
        raise TimeoutError(selector)

    def step(self, action, selector, text=None):
        self.wait_for(selector)
        element = f"({FIND_JS})({json.dumps(selector)})"
        if action == "click":
            self.js(f"{element}.click()")
        elif action == "type":
            self.js(
                f"(() => {{ const el = {element}; el.focus(); el.value = {json.dumps(text)};"
                " el.dispatchEvent(new Event('input', {bubbles: true})); })()"
            )
        elif action == "scroll":
            self.js(f"{element}.scrollIntoView({{block: 'center'}})")
        elif action == "blur":
            self.js(f"{element}.dispatchEvent(new Event('change', {{bubbles: true}}))")
        time.sleep(1.0)

    def goto(self, url):
        self.send("Page.navigate", url=url)
        time.sleep(2.5)

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="serial_tracking_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--portal-login", default="blueharbor")
    parser.add_argument("--portal-password", default="blueharbor")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "docs"))
    parser.add_argument(
        "--only", nargs="+", help="take these screenshots only (file names), the others stay"
    )
    parser.add_argument(
        "--phone",
        action="store_true",
        help="a phone's screen (390 x 844); the files get the suffix _phone",
    )
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    chrome = (
        shutil.which("chromium")
        or shutil.which("google-chrome")
        or shutil.which("chromium-browser")
    )
    if not chrome:
        raise SystemExit("No Chromium found: apt-get install chromium")
    profile = tempfile.mkdtemp()
    port = 9333
    process = subprocess.Popen(
        [
            chrome,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            f"--remote-debugging-port={port}",
            "--window-size=1280,800",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _i in range(50):
            try:
                targets = json.load(
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=2)
                )
                break
            except OSError:
                time.sleep(0.2)
        page = Page(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
        page.send("Page.enable")
        page.send(
            "Emulation.setDeviceMetricsOverride",
            width=390 if args.phone else 1280,
            height=844 if args.phone else 800,
            deviceScaleFactor=1,
            mobile=args.phone,
        )
        session = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())

        def call(route, params):
            request = urllib.request.Request(
                args.url + route,
                json.dumps({"jsonrpc": "2.0", "params": params}).encode(),
                {"Content-Type": "application/json"},
            )
            answer = json.load(session.open(request, timeout=60))
            if "error" in answer:
                raise RuntimeError(answer["error"])
            return answer["result"]

        call(
            "/web/session/authenticate",
            {"db": args.db, "login": args.login, "password": args.password},
        )

        def rpc(model, method, params, kwargs=None):
            return call(
                "/web/dataset/call_kw",
                {"model": model, "method": method, "args": params, "kwargs": kwargs or {}},
            )

        def log_in(login, password):
            page.goto(f"{args.url}/web/session/logout")
            page.goto(f"{args.url}/web/login?db={args.db}")
            page.js(
                f"document.querySelector('input[name=login]').value = {json.dumps(login)};"
                f"document.querySelector('input[name=password]').value = {json.dumps(password)};"
                "document.querySelector('form').submit();"
            )
            time.sleep(3)

        def shoot(scene_list):
            for name, path, steps in scene_list:
                if (args.only and name not in args.only) or (
                    name.endswith("_card.png") and not args.phone
                ):
                    continue
                page.goto(args.url + path)
                for step in steps:
                    page.step(*step)
                if args.phone:
                    name = name.replace(".png", "_phone.png")
                page.screenshot(os.path.join(args.out, name))
                print("saved", name)

        log_in(args.login, args.password)
        shoot(scenes(rpc) + mrp_scenes(rpc) + apps_scenes(rpc))
        log_in(args.portal_login, args.portal_password)
        shoot(PORTAL_SCENES)
    finally:
        process.terminate()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
