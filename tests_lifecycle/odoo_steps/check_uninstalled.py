"""Step 2, in a new process after the uninstall: what is left, then native stock flows on the
serials of step 1 (a new serial created, a receipt and a delivery validated), committed."""

from .common import (
    ADDON,
    deliver,
    existing_columns,
    existing_indexes,
    existing_tables,
    module_state,
    receive,
    snapshot,
)

# Native fields of a serial, read through the ORM.
NATIVE_LOT_FIELDS = ["name", "product_id", "company_id", "location_id", "product_qty"]


def main(env, params):
    installed = params["installed"]
    lot_ids = installed["lot_ids"]
    footprint = installed["footprint"]
    Lot = env["stock.lot"]
    result = {
        "module_state": module_state(env),
        "snapshot": snapshot(env, lot_ids),
        "indexes": existing_indexes(env),
        "serial_counters": env["ir.sequence"].search_count(
            [("code", "=like", "serial_tracking.product.%")]
        ),
        "footprint_tables": existing_tables(env, footprint["tables"]),
        "footprint_columns": existing_columns(env, footprint["columns"]),
        "addon_lot_fields": sorted(
            name
            for name in ("serial_state", "holder_partner_id", "warranty_end_date")
            if name in Lot._fields
        ),
        "addon_models": sorted(
            name for name in ("serial.warranty.type", "serial.entry.wizard") if name in env
        ),
        "native_lots": [
            {key: value[0] if isinstance(value, tuple) else value for key, value in vals.items()}
            for vals in Lot.browse(lot_ids).read(NATIVE_LOT_FIELDS)
        ],
        "last_delivery_partner_id": Lot.browse(lot_ids[0]).last_delivery_partner_id.id,
    }
    if result["module_state"] != "uninstalled":
        raise AssertionError(f"{ADDON} is {result['module_state']} after the uninstall")

    warehouse = env["stock.warehouse"].browse(installed["warehouse_id"])
    product = env["product.product"].browse(installed["product_id"])
    new_lot = Lot.create(
        {
            "name": "LC-NATIVE-1",
            "product_id": product.id,
            "company_id": installed["company_id"],
        }
    )
    receipt = receive(
        env,
        warehouse,
        product,
        env["res.partner"].browse(installed["vendor_id"]),
        names=["LC-NATIVE-2"],
        lots=new_lot,
    )
    delivery = deliver(
        env,
        warehouse,
        product,
        env["res.partner"].browse(installed["other_buyer_id"]),
        Lot.browse(lot_ids[1]),
    )
    new_lot_ids = receipt.move_line_ids.lot_id.sorted("id").ids
    all_ids = lot_ids + new_lot_ids
    result.update(
        new_lot_ids=new_lot_ids,
        new_lot_names=Lot.browse(new_lot_ids).mapped("name"),
        receipt_id=receipt.id,
        delivery_id=delivery.id,
        all_lot_ids=all_ids,
        snapshot_after_flows=snapshot(env, all_ids),
    )
    env.cr.commit()
    return result
