"""Benchmark of the serial status: a delivery of N serials, validated, and the refresh of their
status alone, with SQL queries counted. Run through scripts/bench.sh; everything is rolled back.
"""

import argparse
import time

import odoo
from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.tools import config


def measure(label, func, rows):
    queries = sql_db.sql_counter
    start = time.perf_counter()
    func()
    rows.append((label, time.perf_counter() - start, sql_db.sql_counter - queries))


def bench(env, count):
    rows = []
    product = env["product.product"].create(
        {"name": "Status Widget", "is_storable": True, "tracking": "serial"}
    )
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    stock = warehouse.lot_stock_id
    customers = env.ref("stock.stock_location_customers")
    customer = env["res.partner"].create({"name": "Status Customer"})
    lots = env["stock.lot"].create(
        [{"name": "ST%06d" % i, "product_id": product.id} for i in range(count)]
    )
    for lot in lots:  # set-up only: stock without moves
        env["stock.quant"]._update_available_quantity(product, stock, 1, lot_id=lot)
    lots._serial_refresh()
    picking = env["stock.picking"].create(
        {
            "picking_type_id": warehouse.out_type_id.id,
            "partner_id": customer.id,
            "location_id": stock.id,
            "location_dest_id": customers.id,
            "move_ids": [
                Command.create(
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": count,
                        "product_uom": product.uom_id.id,
                        "location_id": stock.id,
                        "location_dest_id": customers.id,
                    }
                )
            ],
        }
    )
    measure("delivery confirmed and reserved (native + status)", picking.action_confirm, rows)
    assert set(lots.mapped("serial_state")) == {"reserved"}
    env.invalidate_all()
    measure("status refresh alone, reserved serials", lots._serial_refresh, rows)
    picking.move_ids.picked = True
    measure("delivery validated (native + status)", picking.button_validate, rows)
    assert set(lots.mapped("serial_state")) == {"delivered"}, set(lots.mapped("serial_state"))
    assert lots.holder_partner_id == customer
    env.invalidate_all()
    # Force a full rewrite: the statuses are cleared first.
    env.cr.execute("UPDATE stock_lot SET serial_state = 'in_stock' WHERE id = ANY(%s)", [lots.ids])
    env.invalidate_all()
    measure("status refresh alone, delivered serials (all rewritten)", lots._serial_refresh, rows)
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-n", "--count", type=int, nargs="+", default=[1000, 5000])
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(args.database)
    print(f"{'step':<58} {'N':>6} {'seconds':>8} {'queries':>8}")
    for count in args.count:
        with registry.cursor() as cr:
            rows = bench(api.Environment(cr, SUPERUSER_ID, {}), count)
            cr.rollback()
        for label, elapsed, queries in rows:
            print(f"{label:<58} {count:>6} {elapsed:>8.2f} {queries:>8}")


if __name__ == "__main__":
    main()
