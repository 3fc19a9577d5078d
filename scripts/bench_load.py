"""Serials under concurrent load: Odoo with several workers, clients selling, delivering and
receiving serials of one product at once over JSON-RPC for a bounded time, then a consistency
check of what they did. A benchmark, not a test: its figures are printed, not asserted.

  bench_load.py -c CONF -d DB --odoo ODOO_BIN --python PYTHON --log SERVER_LOG
                [--seconds 120] [--workers 4] [--clients 8] [--stock 2000] [--port 8079]

Set-up (committed in DB, a copy made by scripts/bench.sh): a serial product with --stock serials
in stock, a customer, a vendor and a user the clients log in as. Each client, until the time is
up, either sells one to ten units (sales order confirmed, so that Odoo reserves serials of the
same stock the others take from, then its delivery validated) or receives one to ten new serials
(a receipt, its serials entered in the add-on's popup, validated). Each call's latency is kept;
a call that fails on a concurrent update is counted and its operation tried again, from the
start, up to three times.

At the end, with the server stopped: no serial delivered twice (at most one unit of each at the
customers', none left in stock beside it), no negative quant in stock, every serial's status as
the status service computes it again from its moves, and no error in the server's log."""

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import threading
import time
import urllib.request
from collections import Counter, defaultdict

import odoo
from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.tools import config

LOGIN = "load-bench"
PASSWORD = "load-bench-password"
CONCURRENCY = ("could not serialize", "concurrent update", "deadlock", "lock not available")


def set_up(registry, stock_count):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        product = env["product.product"].create(
            {"name": "Load Bench Widget", "is_storable": True, "tracking": "serial"}
        )
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        lots = env["stock.lot"].create(
            [{"name": "LB%06d" % i, "product_id": product.id} for i in range(stock_count)]
        )
        # Stock without moves, made in one batch (set-up only).
        models.Model.create(
            env["stock.quant"].sudo(),
            [
                {
                    "product_id": product.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "lot_id": lot.id,
                    "quantity": 1,
                    "in_date": fields.Datetime.now(),
                }
                for lot in lots
            ],
        )
        lots._serial_refresh()
        groups = [
            env.ref(xmlid).id
            for xmlid in (
                "stock.group_stock_manager",
                "sales_team.group_sale_manager",
                "purchase.group_purchase_manager",
            )
        ]
        user = env["res.users"].create(
            {
                "name": "Load Bench",
                "login": LOGIN,
                "password": PASSWORD,
                "groups_id": [Command.set(groups)],
            }
        )
        values = {
            "product": product.id,
            "customer": env["res.partner"].create({"name": "Load Bench Customer"}).id,
            "vendor": env["res.partner"].create({"name": "Load Bench Vendor"}).id,
            "in_type": warehouse.in_type_id.id,
            "supplier": env.ref("stock.stock_location_suppliers").id,
            "stock": warehouse.lot_stock_id.id,
            "uid": user.id,
        }
        cr.commit()
    return values


class Client:
    """One client: JSON-RPC calls, each timed."""

    def __init__(self, url, db, uid, number, data, latencies, stats):
        self.url, self.db, self.uid, self.number = url, db, uid, number
        self.data, self.latencies, self.stats = data, latencies, stats
        self.random = random.Random(number)
        self.receipts = 0

    def call(self, model, method, *args, **kwargs):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [self.db, self.uid, PASSWORD, model, method, list(args), kwargs],
            },
        }
        request = urllib.request.Request(
            self.url + "/jsonrpc",
            json.dumps(payload).encode(),
            {"Content-Type": "application/json"},
        )
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=600) as response:
            answer = json.loads(response.read())
        self.latencies["%s.%s" % (model, method)].append(time.perf_counter() - start)
        if "error" in answer:
            error = answer["error"].get("data", {}).get("message") or str(answer["error"])
            raise RuntimeError(error)
        return answer["result"]

    def sell(self):
        quantity = self.random.randint(1, 10)
        order = self.call(
            "sale.order",
            "create",
            {
                "partner_id": self.data["customer"],
                "order_line": [
                    [0, 0, {"product_id": self.data["product"], "product_uom_qty": quantity}]
                ],
            },
        )
        self.call("sale.order", "action_confirm", [order])
        pickings = self.call(
            "stock.picking",
            "search_read",
            [("sale_id", "=", order), ("state", "!=", "cancel")],
            fields=["state"],
        )
        if not pickings or pickings[0]["state"] != "assigned":
            self.stats["sales short of stock"] += 1
            return
        picking = pickings[0]["id"]
        self.call("stock.picking", "button_validate", [picking])
        self.stats["sales delivered"] += 1
        self.stats["serials delivered"] += quantity

    def receive(self):
        quantity = self.random.randint(1, 10)
        self.receipts += 1
        picking = self.call(
            "stock.picking",
            "create",
            {
                "picking_type_id": self.data["in_type"],
                "partner_id": self.data["vendor"],
                "location_id": self.data["supplier"],
                "location_dest_id": self.data["stock"],
                "move_ids": [
                    [
                        0,
                        0,
                        {
                            "name": "Load Bench Widget",
                            "product_id": self.data["product"],
                            "product_uom_qty": quantity,
                            "location_id": self.data["supplier"],
                            "location_dest_id": self.data["stock"],
                        },
                    ]
                ],
            },
        )
        self.call("stock.picking", "action_confirm", [picking])
        move = self.call("stock.move", "search", [("picking_id", "=", picking)])[0]
        names = "\n".join(
            "LR%02d-%05d-%02d" % (self.number, self.receipts, i) for i in range(quantity)
        )
        wizard = self.call(
            "serial.entry.wizard",
            "create",
            {"serial_text": names},
            context={"default_move_id": move},
        )
        self.call("serial.entry.wizard", "action_apply", [wizard])
        self.call("stock.picking", "button_validate", [picking])
        self.stats["receipts validated"] += 1
        self.stats["serials received"] += quantity

    def run(self, deadline):
        while time.monotonic() < deadline:
            operation = self.sell if self.random.random() < 0.7 else self.receive
            for attempt in range(4):
                try:
                    operation()
                    break
                except RuntimeError as error:
                    if any(word in str(error).lower() for word in CONCURRENCY) and attempt < 3:
                        self.stats["retries on concurrent updates"] += 1
                        continue
                    self.stats["errors"] += 1
                    self.stats["error: " + str(error).splitlines()[0][:120]] += 1
                    break
                except OSError as error:
                    self.stats["errors"] += 1
                    self.stats["error: " + str(error)[:120]] += 1
                    break


def start_server(args):
    command = [
        args.python,
        args.odoo,
        "-c",
        args.config,
        "-d",
        args.database,
        "--db-filter",
        "^%s$" % args.database,
        "--workers",
        str(args.workers),
        "--max-cron-threads",
        "0",
        "--http-port",
        str(args.port),
        "--gevent-port",
        str(args.port + 1),
        "--limit-time-real",
        "900",
        "--limit-time-cpu",
        "900",
        "--logfile",
        args.log,
        "--log-level",
        "info",
    ]
    server = subprocess.Popen(command, start_new_session=True)
    url = "http://127.0.0.1:%d" % args.port
    for _ in range(120):
        try:
            with urllib.request.urlopen(url + "/web/login", timeout=5):
                return server, url
        except OSError:
            time.sleep(1)
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit("The server did not answer on %s (log: %s)" % (url, args.log))


def check(registry, data, log):
    """The consistency check, on the committed data."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        lots = env["stock.lot"].search([("product_id", "=", data["product"])])
        cr.execute(
            """SELECT q.lot_id, l.usage, SUM(q.quantity)
                 FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
                WHERE q.product_id = %s AND l.usage IN ('internal', 'customer')
             GROUP BY q.lot_id, l.usage""",
            [data["product"]],
        )
        by_lot = defaultdict(dict)
        for lot_id, usage, quantity in cr.fetchall():
            by_lot[lot_id][usage] = quantity
        double = [
            lot
            for lot, quantities in by_lot.items()
            if quantities.get("customer", 0) > 1
            or quantities.get("customer", 0) + quantities.get("internal", 0) > 1
        ]
        cr.execute(
            """SELECT COUNT(*) FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
                WHERE l.usage = 'internal' AND q.quantity < 0"""
        )
        negative = cr.fetchone()[0]
        before = {lot.id: (lot.serial_state, lot.holder_partner_id.id) for lot in lots}
        env["serial.status"].refresh(lots)
        lots.invalidate_recordset(["serial_state", "holder_partner_id"])
        wrong = [
            lot.name
            for lot in lots
            if before[lot.id] != (lot.serial_state, lot.holder_partner_id.id)
        ]
        states = Counter(lot.serial_state for lot in lots)
        cr.rollback()
    with open(log, errors="replace") as server_log:
        text = server_log.read()
    lines = text.splitlines()
    # A query that failed on a concurrent update is logged as an error, then retried by the
    # server: counted as a retry, not as an error.
    errors = sum(
        (" ERROR " in line or " CRITICAL " in line)
        and not (
            "odoo.sql_db: bad query" in line
            and index + 1 < len(lines)
            and any(word in lines[index + 1].lower() for word in CONCURRENCY)
        )
        for index, line in enumerate(lines)
    )
    return {
        "serials": len(lots),
        "states": dict(states),
        "serials delivered twice": len(double),
        "negative quants in stock": negative,
        "serials whose status differs from their moves": len(wrong),
        "server errors": errors,
        "server retries on concurrent updates": text.count("try again in"),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--odoo", required=True)
    parser.add_argument("--python", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("SECONDS_", 120)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", 4)))
    parser.add_argument("--clients", type=int, default=int(os.environ.get("CLIENTS", 8)))
    parser.add_argument("--stock", type=int, default=2000)
    parser.add_argument("--port", type=int, default=8079)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(args.database)
    data = set_up(registry, args.stock)
    if os.path.exists(args.log):
        os.unlink(args.log)
    server, url = start_server(args)
    latencies = defaultdict(list)
    stats = Counter()
    try:
        deadline = time.monotonic() + args.seconds
        clients = [
            Client(url, args.database, data["uid"], number, data, latencies, stats)
            for number in range(args.clients)
        ]
        threads = [threading.Thread(target=client.run, args=(deadline,)) for client in clients]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    result = check(registry.check_signaling(), data, args.log)
    print(
        "Load: %d workers, %d clients, %.0f s, %d serials in stock at the start"
        % (args.workers, args.clients, elapsed, args.stock)
    )
    print()
    print("| counter | value |")
    print("|---|---|")
    print("| sales delivered per second | %.2f |" % (stats["sales delivered"] / elapsed))
    for name, value in sorted(stats.items()):
        print("| %s | %s |" % (name, value))
    for name, value in result.items():
        print("| %s | %s |" % (name, value))
    print()
    print("| call | calls | median s | 95th percentile s | max s |")
    print("|---|---|---|---|---|")
    for name, values in sorted(latencies.items()):
        values.sort()
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        print(
            "| %s | %d | %.3f | %.3f | %.3f |"
            % (name, len(values), statistics.median(values), p95, values[-1])
        )
    print(json.dumps({"stats": stats, "check": result, "seconds": elapsed}, default=str))


if __name__ == "__main__":
    main()
