"""Step 1, add-on installed: serials received and delivered through native transfers, with the
add-on's own data on them; returns what must survive the uninstall."""

from .common import (
    ADDON,
    addon_values,
    deliver,
    existing_columns,
    existing_indexes,
    existing_tables,
    module_state,
    partners,
    receive,
    snapshot,
)


def addon_footprint(env):
    """The tables, columns and many2many tables that only the add-on owns (another module's
    xmlid on a model or field means it stays after the uninstall)."""
    cr = env.cr
    cr.execute(
        """
        SELECT d.model, d.res_id FROM ir_model_data d
         WHERE d.module = %s AND d.model IN ('ir.model', 'ir.model.fields')
           AND NOT EXISTS (SELECT 1 FROM ir_model_data o
                            WHERE o.model = d.model AND o.res_id = d.res_id AND o.module != %s)
        """,
        [ADDON, ADDON],
    )
    owned = {"ir.model": [], "ir.model.fields": []}
    for model, res_id in cr.fetchall():
        owned[model].append(res_id)
    tables = set()
    for model in env["ir.model"].browse(owned["ir.model"]):
        Model = env[model.model]
        if Model._auto and not Model._abstract:
            tables.add(Model._table)
    columns = set()
    for field in env["ir.model.fields"].browse(owned["ir.model.fields"]):
        Model = env[field.model]
        if (
            field.store
            and field.ttype not in ("one2many", "many2many")
            and Model._auto
            and not Model._abstract
            and Model._table not in tables
        ):
            columns.add((Model._table, field.name))
    cr.execute(
        "SELECT r.name FROM ir_model_relation r JOIN ir_module_module m ON m.id = r.module "
        "WHERE m.name = %s",
        [ADDON],
    )
    tables.update(name for (name,) in cr.fetchall())
    return {"tables": sorted(tables), "columns": sorted([t, c] for t, c in columns)}


def main(env, params):
    if module_state(env) != "installed":
        raise AssertionError(f"{ADDON} is {module_state(env)} in the copy, not installed")
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    vendor, _vendor_contact = partners(env, "Lifecycle Vendor")
    customer, buyer = partners(env, "Lifecycle Customer")
    other_customer, other_buyer = partners(env, "Lifecycle Other Customer")
    product = env["product.product"].create(
        {
            "name": "Lifecycle Serial Product",
            "is_storable": True,
            "tracking": "serial",
            # The add-on's numbering rule and warranty policy: columns it owns, with data.
            "serial_prefix": "LC-",
            "serial_padding": 4,
            "warranty_duration": 12,
            "warranty_unit": "month",
            "warranty_start": "delivery",
        }
    )
    names = product.serial_next_names(3)
    receipt = receive(env, warehouse, product, vendor, names=names)
    lots = receipt.move_line_ids.lot_id.sorted("id")
    delivery = deliver(env, warehouse, product, buyer, lots[:1])
    footprint = addon_footprint(env)
    result = {
        "company_id": env.company.id,
        "warehouse_id": warehouse.id,
        "stock_location_id": warehouse.lot_stock_id.id,
        "customer_location_id": env.ref("stock.stock_location_customers").id,
        "product_id": product.id,
        "vendor_id": vendor.id,
        "customer_id": customer.id,
        "buyer_id": buyer.id,
        "other_customer_id": other_customer.id,
        "other_buyer_id": other_buyer.id,
        "names": names,
        "lot_ids": lots.ids,
        "receipt_id": receipt.id,
        "delivery_id": delivery.id,
        "snapshot": snapshot(env, lots.ids),
        "addon_values": addon_values(env, lots.ids),
        "indexes": existing_indexes(env),
        "footprint": footprint,
        "footprint_tables": existing_tables(env, footprint["tables"]),
        "footprint_columns": existing_columns(env, footprint["columns"]),
    }
    env.cr.commit()
    return result
