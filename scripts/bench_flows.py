"""One serial flow of N units, timed step by step in its own process, printed as JSON lines.

  bench_flows.py -c CONF -d DB --flow receipt|sale|production -n N

receipt  with the add-on: N serials entered in the popup of the receipt (a range), validated;
         native Odoo: "generate serials" (first serial + count), validated.
sale     with the add-on: N serials in stock chosen in the popup of the sales line, order
         confirmed (the delivery reserves exactly them), delivery validated;
         native Odoo: order confirmed (the delivery reserves any N), delivery validated.
production  (databases with Manufacturing) N serial units, each of a serial motor and a serial
         board, on one manufacturing order; with the add-on: the component serials chosen in
         the popup of each component line (a range each), the units' serials in the popup of
         the order (a range), Produce All; native Odoo: its "Serial numbers" step with one line
         per unit naming the unit's serial and its components' (the same serials), Produce.
Each step prints: seconds, SQL queries, and the peak memory it added to the process (resident
set, MB). Everything is rolled back. Run by scripts/bench.sh, which prints the table.
"""

import argparse
import json
import time

from bench_common import make_receipt

import odoo
from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.tools import config


def _rss_kb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak():
    """Start the peak resident set (VmHWM) again from the current one (Linux 4.0+)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def step(results, flow, label, func):
    _reset_peak()
    before = _rss_kb("VmRSS")
    queries = sql_db.sql_counter
    start = time.perf_counter()
    func()
    results.append(
        {
            "flow": flow,
            "step": label,
            "seconds": round(time.perf_counter() - start, 3),
            "queries": sql_db.sql_counter - queries,
            "peak_mb": round(max(_rss_kb("VmHWM") - before, 0) / 1024, 1),
        }
    )


def receipt(env, count, addon, results):
    product = env["product.product"].create(
        {"name": "Flow Bench Widget", "is_storable": True, "tracking": "serial"}
    )
    picking = make_receipt(env, product, count)
    picking.action_confirm()
    move = picking.move_ids
    if addon:

        def enter():
            wizard = env["serial.entry.wizard"].with_context(default_move_id=move.id).create({})
            wizard.serial_text = "SN%06d-SN%06d" % (1, count)
            wizard.action_apply()

        step(results, "receipt", "enter the serials (popup, a range)", enter)
    else:
        step(
            results,
            "receipt",
            "enter the serials (generate: first + count)",
            lambda: move._generate_serial_numbers("SN000001", count),
        )
    assert len(move.move_line_ids) == count
    move.picked = True
    step(results, "receipt", "validate the receipt", picking.button_validate)
    assert picking.state == "done"
    lots = move.move_line_ids.lot_id
    assert len(lots) == count and sum(lots.mapped("product_qty")) == count
    if addon:
        assert set(lots.mapped("serial_state")) == {"in_stock"}


def sale(env, count, addon, results):
    product = env["product.product"].create(
        {"name": "Flow Bench Widget", "is_storable": True, "tracking": "serial"}
    )
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    stock = warehouse.lot_stock_id
    customer = env["res.partner"].create({"name": "Flow Bench Customer"})
    lots = env["stock.lot"].create(
        [{"name": "SB%06d" % i, "product_id": product.id} for i in range(count + 10)]
    )
    for lot in lots:  # set-up only: stock without moves
        env["stock.quant"]._update_available_quantity(product, stock, 1, lot_id=lot)
    if addon:
        lots._serial_refresh()
    chosen = lots[10:]  # not the first ones, which native reservation takes
    order = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "warehouse_id": warehouse.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": count})],
        }
    )
    line = order.order_line
    if addon:

        def choose():
            wizard = (
                env["serial.entry.wizard"]
                .with_context(default_sale_line_id=line.id)
                .create({"serial_text": "SB%06d-SB%06d" % (10, count + 9)})
            )
            wizard.action_apply()

        step(results, "sale", "choose the serials (popup, a range)", choose)
        assert line.serial_ids == chosen
    step(results, "sale", "confirm (delivery reserved)", order.action_confirm)
    delivery = order.picking_ids
    assert len(delivery.move_line_ids) == count
    if addon:
        assert delivery.move_line_ids.lot_id == chosen, "exactly the chosen serials"
    delivery.move_ids.picked = True
    step(results, "sale", "validate the delivery", delivery.button_validate)
    assert delivery.state == "done"
    if addon:
        assert set(chosen.mapped("serial_state")) == {"delivered"}


def production(env, count, addon, results):
    products = env["product.product"]
    drone, motor, board = (
        products.create({"name": name, "is_storable": True, "tracking": "serial"})
        for name in ("Flow Bench Drone", "Flow Bench Motor", "Flow Bench Board")
    )
    bom = env["mrp.bom"].create(
        {
            "product_tmpl_id": drone.product_tmpl_id.id,
            "product_qty": 1,
            "bom_line_ids": [
                Command.create({"product_id": motor.id, "product_qty": 1}),
                Command.create({"product_id": board.id, "product_qty": 1}),
            ],
        }
    )
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    stock = warehouse.lot_stock_id
    components = env["stock.lot"]
    for product, prefix in ((motor, "BM"), (board, "BB")):
        lots = env["stock.lot"].create(
            [{"name": "%s%06d" % (prefix, i), "product_id": product.id} for i in range(count + 10)]
        )
        for lot in lots:  # set-up only: stock without moves
            env["stock.quant"]._update_available_quantity(product, stock, 1, lot_id=lot)
        components |= lots
    if addon:
        components._serial_refresh()
    order = env["mrp.production"].create(
        {
            "product_id": drone.id,
            "bom_id": bom.id,
            "product_qty": count,
            "picking_type_id": warehouse.manu_type_id.id,
        }
    )
    step(results, "production", "confirm the order (components reserved)", order.action_confirm)
    # Not the first serials, which the reservation took.
    last = count + 9
    if addon:

        def popup(model, record, text):
            env["serial.entry.wizard"].with_context(
                default_target_model=model, default_target_id=record.id
            ).create({"serial_text": text}).action_apply()

        def choose():
            for product, prefix in ((motor, "BM"), (board, "BB")):
                move = order.move_raw_ids.filtered(lambda m, p=product: m.product_id == p)
                popup("stock.move", move, "%s%06d-%s%06d" % (prefix, 10, prefix, last))

        step(results, "production", "choose the component serials (popup, a range each)", choose)
        step(
            results,
            "production",
            "name the units (popup, a range)",
            lambda: popup("mrp.production", order, "DR%06d-DR%06d" % (10, last)),
        )

        def produce_all():
            # The server action Produce All returns, run next as the web client does.
            action = order.button_mark_done()
            env["ir.actions.server"].browse(action["id"]).with_context(**action["context"]).run()

        step(results, "production", "produce all", produce_all)
    else:
        text = "\n".join("DR%06d,BM%06d,BB%06d" % (i, i, i) for i in range(10, count + 10))

        def produce():
            env["mrp.batch.produce"].create(
                {"production_id": order.id, "production_text": text}
            ).action_done()

        step(
            results,
            "production",
            "produce (Odoo's Serial numbers step, one line per unit)",
            produce,
        )
    productions = env["mrp.production"].search(
        [("procurement_group_id", "=", order.procurement_group_id.id)]
    )
    assert len(productions) == count and set(productions.mapped("state")) == {"done"}
    units = productions.lot_producing_id
    assert len(units) == count
    consumed = productions.move_raw_ids.move_line_ids.lot_id
    assert len(consumed) == 2 * count and all(lot.name[2:] >= "000010" for lot in consumed)
    if addon:
        assert set(units.mapped("serial_state")) == {"in_stock"}
        assert set(consumed.mapped("serial_state")) == {"consumed"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--flow", choices=["receipt", "sale", "production"], required=True)
    parser.add_argument("-n", "--count", type=int, required=True)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(args.database)
    results = []
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        addon = "serial.entry.wizard" in env
        globals()[args.flow](env, args.count, addon, results)
        cr.rollback()
    for result in results:
        print(json.dumps(dict(result, n=args.count, mode="add-on" if addon else "native")))


if __name__ == "__main__":
    main()
