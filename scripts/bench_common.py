"""What the benchmark scripts share: timing with SQL queries counted, and the run loop over sizes
in a transaction that is rolled back."""

import argparse
import time

import odoo
from odoo import SUPERUSER_ID, api, sql_db
from odoo.tools import config


def measure(label, func, rows):
    """Run ``func``; add (label, seconds, SQL queries) to ``rows``; return its result."""
    queries = sql_db.sql_counter
    start = time.perf_counter()
    result = func()
    rows.append((label, time.perf_counter() - start, sql_db.sql_counter - queries))
    return result


def make_receipt(env, product, count, vendor=None):
    """A draft receipt of ``count`` units of ``product`` into the company's first warehouse."""
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    supplier = env.ref("stock.stock_location_suppliers")
    return env["stock.picking"].create(
        {
            "picking_type_id": warehouse.in_type_id.id,
            "partner_id": vendor and vendor.id,
            "location_id": supplier.id,
            "location_dest_id": warehouse.lot_stock_id.id,
            "move_ids": [
                odoo.Command.create(
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": count,
                        "product_uom": product.uom_id.id,
                        "location_id": supplier.id,
                        "location_dest_id": warehouse.lot_stock_id.id,
                    }
                )
            ],
        }
    )


def run(bench, default_counts):
    """Parse -c/-d/-n, then print the rows of ``bench(env, count)`` for each size."""
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-n", "--count", type=int, nargs="+", default=default_counts)
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
