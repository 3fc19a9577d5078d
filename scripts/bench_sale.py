"""Benchmark of selling N serial units on one sales line: quotation, serials chosen in the popup
(with the add-on), confirmation (the delivery reserves them), delivery validated (with the
add-on, the product has a 12-month warranty from delivery). Run through
scripts/bench.sh, on the benchmark database (add-on installed) and on a database with Odoo's
sale_stock and purchase_stock only (native Odoo, which cannot choose serials: it reserves any).
Everything is rolled back.
"""

from bench_common import measure, run

from odoo import Command


def bench(env, count):
    rows = []
    addon = "serial.entry.wizard" in env
    product = env["product.product"].create(
        {"name": "Sale Bench Widget", "is_storable": True, "tracking": "serial"}
    )
    if addon:
        # A warranty starting at delivery: the validation also starts N warranties.
        product.write({"warranty_duration": 12, "warranty_start": "delivery"})
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    stock = warehouse.lot_stock_id
    customer = env["res.partner"].create({"name": "Sale Bench Customer"})
    lots = env["stock.lot"].create(
        [{"name": "SB%06d" % i, "product_id": product.id} for i in range(count + 10)]
    )
    for lot in lots:  # set-up only: stock without moves
        env["stock.quant"]._update_available_quantity(product, stock, 1, lot_id=lot)
    if addon:
        lots._serial_refresh()
    chosen = lots[10:]  # not the first ones, which native reservation would take anyway
    order = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "warehouse_id": warehouse.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": count})],
        }
    )
    line = order.order_line
    prefix = "add-on" if addon else "native"
    if addon:

        def choose():
            wizard = (
                env["serial.entry.wizard"]
                .with_context(default_sale_line_id=line.id, default_mode="sale")
                .create({"serial_text": "\n".join(chosen.mapped("name"))})
            )
            wizard.action_apply()

        measure(f"{prefix}: choose the serials in the popup", choose, rows)
        assert line.serial_ids == chosen
    measure(f"{prefix}: confirm (delivery created and reserved)", order.action_confirm, rows)
    delivery = order.picking_ids
    if addon:
        assert delivery.move_line_ids.lot_id == chosen, "exactly the chosen serials"
    assert len(delivery.move_line_ids) == count
    delivery.move_ids.picked = True
    measure(f"{prefix}: validate the delivery", delivery.button_validate, rows)
    assert delivery.state == "done"
    if addon:
        assert set(chosen.mapped("serial_state")) == {"delivered"}
        assert all(chosen.mapped("warranty_end_date")), "warranties started"
    return rows


if __name__ == "__main__":
    run(bench, [1000, 5000])
