"""Step 3, in a new process after the reinstall: the serials' status rebuilt from their moves,
the add-on's schema back, and the add-on at work (numbering, a delivery). Nothing committed."""

from .common import (
    addon_values,
    deliver,
    existing_columns,
    existing_indexes,
    existing_tables,
    module_state,
    snapshot,
)


def main(env, params):
    installed = params["installed"]
    lot_ids = params["uninstalled"]["all_lot_ids"]
    footprint = installed["footprint"]
    product = env["product.product"].browse(installed["product_id"])
    result = {
        "module_state": module_state(env),
        "snapshot": snapshot(env, lot_ids),
        "addon_values": addon_values(env, lot_ids),
        "indexes": existing_indexes(env),
        "footprint_tables": existing_tables(env, footprint["tables"]),
        "footprint_columns": existing_columns(env, footprint["columns"]),
        "next_names": product.serial_next_names(2),
    }
    last_in_stock = env["stock.lot"].browse(installed["lot_ids"][2])
    deliver(
        env,
        env["stock.warehouse"].browse(installed["warehouse_id"]),
        product,
        env["res.partner"].browse(installed["buyer_id"]),
        last_in_stock,
    )
    result["delivered_after_reinstall"] = addon_values(env, last_in_stock.ids)
    return result
