"""Serial lookups in a database holding 100,000 and then 1,000,000 serials of one product (one in
ten in stock, the others delivered), inserted by SQL into a copy of the benchmark database (see
scripts/bench.sh). Each lookup runs 7 times; the median is printed, in milliseconds, with its SQL
queries.

  lookup by exact serial        what a barcode scan does (stock.lot search on name =)
  search box, part of a serial  the Serial Inventory's search (name ilike, first 80)
  many2one dropdown             stock.lot name_search (first 8)
  sales popup search            the popup's "Search Serials" on a sales line: part of a serial,
                                in stock in the warehouse, first 8
"""

import argparse
import statistics
import time

import odoo
from odoo import SUPERUSER_ID, api, sql_db
from odoo.tools import config

SIZES = (100_000, 1_000_000)
BATCH = 100_000
RUNS = 7
PRODUCT = "Lookup Bench Widget"


def grow(env, product, stock, size):
    """Add serials LK0000001… until the product has ``size``; one in ten gets a quant in stock."""
    cr = env.cr
    cr.execute("SELECT count(*) FROM stock_lot WHERE product_id = %s", [product.id])
    have = cr.fetchone()[0]
    while have < size:
        first, last = have + 1, min(have + BATCH, size)
        cr.execute(
            """
            INSERT INTO stock_lot (name, product_id, company_id, serial_state, create_uid,
                                   write_uid, create_date, write_date)
            SELECT 'LK' || lpad(i::text, 7, '0'), %(product)s, %(company)s,
                   CASE WHEN i %% 10 = 0 THEN 'in_stock' ELSE 'delivered' END,
                   1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM generate_series(%(first)s, %(last)s) AS i
            """,
            {"product": product.id, "company": env.company.id, "first": first, "last": last},
        )
        cr.execute(
            """
            INSERT INTO stock_quant (product_id, company_id, location_id, lot_id, quantity,
                                     reserved_quantity, in_date, create_uid, write_uid,
                                     create_date, write_date)
            SELECT %(product)s, %(company)s, %(location)s, id, 1, 0,
                   now() at time zone 'UTC', 1, 1, now() at time zone 'UTC',
                   now() at time zone 'UTC'
              FROM stock_lot
             WHERE product_id = %(product)s AND serial_state = 'in_stock'
               AND name BETWEEN 'LK' || lpad(%(first)s::text, 7, '0')
                            AND 'LK' || lpad(%(last)s::text, 7, '0')
            """,
            {
                "product": product.id,
                "company": env.company.id,
                "location": stock.id,
                "first": first,
                "last": last,
            },
        )
        cr.commit()
        have = last
        print(f"  {have:,} serials", flush=True)
    cr.execute("ANALYZE stock_lot")
    cr.execute("ANALYZE stock_quant")
    cr.commit()


def timed(env, func):
    durations, queries = [], 0
    for _run in range(RUNS):
        env.invalidate_all()
        before = sql_db.sql_counter
        start = time.perf_counter()
        result = func()
        durations.append(time.perf_counter() - start)
        queries = sql_db.sql_counter - before
    return statistics.median(durations) * 1000, queries, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        stock = warehouse.lot_stock_id
        Product = env["product.product"]
        product = Product.search([("name", "=", PRODUCT)], limit=1) or Product.create(
            {"name": PRODUCT, "is_storable": True, "tracking": "serial"}
        )
        cr.commit()
        Lot = env["stock.lot"]
        popup_domain = [
            ("product_id", "=", product.id),
            ("serial_state", "=", "in_stock"),
            ("company_id", "in", [env.company.id, False]),
            ("quant_ids.location_id", "child_of", stock.id),
        ]
        print(f"{'lookup':<34} {'serials':>10} {'ms':>8} {'queries':>8} {'found':>6}")
        for size in SIZES:
            grow(env, product, stock, size)
            probe = "LK%07d" % (size - 3)  # a late one, not in the first pages
            lookups = [
                ("lookup by exact serial", lambda probe=probe: Lot.search([("name", "=", probe)])),
                (
                    "search box, part of a serial",
                    lambda probe=probe: Lot.search([("name", "ilike", probe[3:])], limit=80),
                ),
                (
                    "many2one dropdown",
                    lambda probe=probe: Lot.name_search(probe[3:], limit=8),
                ),
                (
                    "sales popup search",
                    lambda size=size: Lot.name_search(
                        ("%07d" % (size - 10))[:-1], args=popup_domain, limit=8
                    ),
                ),
            ]
            for label, func in lookups:
                ms, queries, result = timed(env, func)
                print(f"{label:<34} {size:>10,} {ms:>8.1f} {queries:>8} {len(result):>6}")


if __name__ == "__main__":
    main()
