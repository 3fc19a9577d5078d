"""One serial flow of N units, timed step by step in its own process, printed as JSON lines.

  bench_flows.py -c CONF -d DB --flow receipt|sale|internal|return|production -n N
                 [--profile TOP]

receipt  with the add-on: N serials entered in the popup of the receipt (a range), validated;
         native Odoo: "generate serials" (first serial + count), validated.
sale     with the add-on: N serials in stock chosen in the popup of the sales line, order
         confirmed (the delivery reserves exactly them), delivery validated;
         native Odoo: order confirmed (the delivery reserves any N), delivery validated.
internal N serials in stock moved to a shelf: the transfer confirmed and reserved (any N, both
         ways), validated.
return   N serials delivered (set-up), taken back with Odoo's return of the delivery: the
         return created (its lines name the delivered serials), validated.
production  (databases with Manufacturing) N serial units, each of a serial motor and a serial
         board, on one manufacturing order; with the add-on: the component serials chosen in
         the popup of each component line (a range each), the units' serials in the popup of
         the order (a range), Produce All; native Odoo: its "Serial numbers" step with one line
         per unit naming the unit's serial and its components' (the same serials), Produce.
Each step prints: seconds, SQL queries, the peak memory it added to the process and the
process's own peak during it (resident set, MB). Everything is rolled back. Run by
scripts/bench.sh, which prints the tables.
--profile TOP runs each step under cProfile and prints its TOP functions by own time, then by
cumulative time, to standard error (the timings are then cProfile's, slower than without).
"""

import argparse
import cProfile
import gc
import io
import json
import pstats
import sys
import time

from bench_common import make_receipt

import odoo
from odoo import SUPERUSER_ID, Command, api, fields, models, sql_db
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


PROFILE_TOP = 0
ENV = []  # the environment of the run, for step()


def _profiled(label, func):
    profile = cProfile.Profile()
    profile.runcall(func)
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(PROFILE_TOP)
        print("==== %s, by %s" % (label, order), file=sys.stderr)
        print(out.getvalue(), file=sys.stderr)


def step(results, flow, label, func):
    # Each step is a request of its own in the web client, with an empty cache: so here.
    ENV[0].invalidate_all()
    gc.collect()
    _reset_peak()
    before = _rss_kb("VmRSS")
    queries = sql_db.sql_counter
    start = time.perf_counter()
    cpu = time.process_time()
    if PROFILE_TOP:
        _profiled(label, func)
    else:
        func()
    results.append(
        {
            "flow": flow,
            "step": label,
            "seconds": round(time.perf_counter() - start, 3),
            # The process's own CPU time: the Python side, less sensitive than the wall clock
            # to other work on the machine (PostgreSQL's time is not in it).
            "cpu_seconds": round(time.process_time() - cpu, 3),
            "queries": sql_db.sql_counter - queries,
            "peak_mb": round(max(_rss_kb("VmHWM") - before, 0) / 1024, 1),
            "process_mb": round(_rss_kb("VmHWM") / 1024, 1),
        }
    )


def ranges(prefix, first, last):
    """The popup's text for serials first..last: ranges of at most 10,000 (the default
    for one range), one a line."""
    return "\n".join(
        "%s%06d-%s%06d" % (prefix, start, prefix, min(start + 9999, last))
        for start in range(first, last + 1, 10000)
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
            wizard.serial_text = ranges("SN", 1, count)
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


def in_stock(env, product, prefix, count, location, addon):
    """Set-up only: ``count`` serials of ``product`` in ``location``, as stock without moves (their
    quants made in one batch, below Odoo's one-at-a-time quant creation)."""
    lots = env["stock.lot"].create(
        [{"name": "%s%06d" % (prefix, i), "product_id": product.id} for i in range(count)]
    )
    models.Model.create(
        env["stock.quant"].sudo(),
        [
            {
                "product_id": product.id,
                "location_id": location.id,
                "lot_id": lot.id,
                "quantity": 1,
                "in_date": fields.Datetime.now(),
            }
            for lot in lots
        ],
    )
    if addon:
        lots._serial_refresh()
    return lots


def sale(env, count, addon, results):
    product = env["product.product"].create(
        {"name": "Flow Bench Widget", "is_storable": True, "tracking": "serial"}
    )
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    stock = warehouse.lot_stock_id
    customer = env["res.partner"].create({"name": "Flow Bench Customer"})
    lots = in_stock(env, product, "SB", count + 10, stock, addon)
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
                .create({"serial_text": ranges("SB", 10, count + 9)})
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


def _transfer(env, picking_type, product, count, source, destination, partner=None):
    return env["stock.picking"].create(
        {
            "picking_type_id": picking_type.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "partner_id": partner and partner.id,
            "move_ids": [
                Command.create(
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": count,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                    }
                )
            ],
        }
    )


def internal(env, count, addon, results):
    product = env["product.product"].create(
        {"name": "Flow Bench Widget", "is_storable": True, "tracking": "serial"}
    )
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    stock = warehouse.lot_stock_id
    shelf = env["stock.location"].create({"name": "Bench Shelf", "location_id": stock.id})
    lots = in_stock(env, product, "SI", count, stock, addon)
    picking = _transfer(env, warehouse.int_type_id, product, count, stock, shelf)

    def reserve():
        picking.action_confirm()
        picking.action_assign()

    step(results, "internal", "confirm and reserve", reserve)
    assert len(picking.move_line_ids) == count
    picking.move_ids.picked = True
    step(results, "internal", "validate the transfer", picking.button_validate)
    assert picking.state == "done"
    assert (
        sum(lots.quant_ids.filtered(lambda q: q.location_id == shelf).mapped("quantity")) == count
    )


def return_(env, count, addon, results):
    product = env["product.product"].create(
        {"name": "Flow Bench Widget", "is_storable": True, "tracking": "serial"}
    )
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    stock = warehouse.lot_stock_id
    customers = env.ref("stock.stock_location_customers")
    customer = env["res.partner"].create({"name": "Flow Bench Customer"})
    lots = in_stock(env, product, "SR", count, stock, addon)
    delivery = _transfer(env, warehouse.out_type_id, product, count, stock, customers, customer)
    delivery.action_confirm()
    delivery.action_assign()
    delivery.move_ids.picked = True
    delivery._action_done()
    assert delivery.state == "done"
    returned = {}

    def create_return():
        wizard = (
            env["stock.return.picking"]
            .with_context(
                active_ids=delivery.ids, active_id=delivery.id, active_model="stock.picking"
            )
            .create({})
        )
        wizard.product_return_moves.quantity = count
        returned["picking"] = env["stock.picking"].browse(wizard.action_create_returns()["res_id"])

    step(results, "return", "create the return (Odoo's return wizard)", create_return)
    picking = returned["picking"]
    assert picking.move_line_ids.lot_id == lots, "the return names the delivered serials"
    picking.move_ids.picked = True
    step(results, "return", "validate the return", picking.button_validate)
    assert picking.state == "done"
    assert (
        sum(lots.quant_ids.filtered(lambda q: q.location_id == stock).mapped("quantity")) == count
    )
    if addon:
        assert set(lots.mapped("serial_state")) == {"in_stock"}


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
    for product, prefix in ((motor, "BM"), (board, "BB")):
        in_stock(env, product, prefix, count + 10, stock, addon)
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


FLOWS = {
    "receipt": receipt,
    "sale": sale,
    "internal": internal,
    "return": return_,
    "production": production,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument(
        "--flow", choices=["receipt", "sale", "internal", "return", "production"], required=True
    )
    parser.add_argument("-n", "--count", type=int, required=True)
    parser.add_argument("--profile", type=int, default=0, metavar="TOP")
    args = parser.parse_args()
    global PROFILE_TOP
    PROFILE_TOP = args.profile
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(args.database)
    results = []
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        ENV.append(env)
        addon = "serial.entry.wizard" in env
        if addon and args.count > env.company.serial_entry_limit:
            # The company's Serials per Entry setting (10,000 by default) caps one popup entry.
            env.company.serial_entry_limit = args.count + 100
        FLOWS[args.flow](env, args.count, addon, results)
        cr.rollback()
    for result in results:
        print(json.dumps(dict(result, n=args.count, mode="add-on" if addon else "native")))


if __name__ == "__main__":
    main()
