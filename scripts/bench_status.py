"""Benchmark of the serial status: a delivery of N serials, validated, and the refresh of their
status alone, with SQL queries counted. Run through scripts/bench.sh; everything is rolled back.
"""

from bench_common import measure, run

from odoo import Command


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


if __name__ == "__main__":
    run(bench, [1000, 5000])
