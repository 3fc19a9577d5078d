"""Helpers shared by the steps: native stock flows (they must work with and without the add-on)
and snapshots read with SQL (they must not depend on the add-on's fields)."""

import datetime
import decimal

from odoo import Command

ADDON = "serial_tracking"
ADDON_INDEXES = (
    "stock_move_line_serial_tracking_lot_date_index",
    "stock_lot_serial_tracking_unique_name_index",
    "stock_lot_serial_tracking_name_index",
)
# What the add-on computes on a serial; read only while it is installed.
ADDON_LOT_FIELDS = (
    "serial_state",
    "holder_partner_id",
    "serial_vendor_id",
    "serial_receipt_date",
    "serial_delivery_date",
    "warranty_start_date",
    "warranty_end_date",
    "warranty_state",
)


def jsonable(value):
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    return value


def _rows(cr, query, params):
    cr.execute(query, params)
    return [jsonable(row) for row in cr.dictfetchall()]


def module_state(env):
    env.cr.execute("SELECT state FROM ir_module_module WHERE name = %s", [ADDON])
    return env.cr.fetchone()[0]


def existing_indexes(env):
    env.cr.execute("SELECT indexname FROM pg_indexes WHERE indexname IN %s", [ADDON_INDEXES])
    return sorted(name for (name,) in env.cr.fetchall())


def existing_tables(env, tables):
    if not tables:
        return []
    env.cr.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_name IN %s",
        [tuple(tables)],
    )
    return sorted(name for (name,) in env.cr.fetchall())


def existing_columns(env, columns):
    """Which of ``columns`` ([table, column] pairs) exist."""
    if not columns:
        return []
    env.cr.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND (table_name, column_name) IN %s",
        [tuple(tuple(pair) for pair in columns)],
    )
    return sorted([table, column] for table, column in env.cr.fetchall())


def snapshot(env, lot_ids):
    """Native records of these serials, as stored: lots, stock on hand by location (zero quants
    left out: Odoo may clean them up at any time), done move lines and their moves."""
    env.flush_all()
    cr = env.cr
    ids = tuple(lot_ids)
    lots = _rows(
        cr,
        "SELECT id, name, product_id, company_id FROM stock_lot WHERE id IN %s ORDER BY id",
        [ids],
    )
    stock = _rows(
        cr,
        "SELECT lot_id, location_id, SUM(quantity) AS quantity, "
        "SUM(reserved_quantity) AS reserved_quantity FROM stock_quant WHERE lot_id IN %s "
        "GROUP BY lot_id, location_id "
        "HAVING SUM(quantity) != 0 OR SUM(reserved_quantity) != 0 ORDER BY lot_id, location_id",
        [ids],
    )
    lines = _rows(
        cr,
        "SELECT id, lot_id, move_id, picking_id, location_id, location_dest_id, quantity, state, "
        "date FROM stock_move_line WHERE lot_id IN %s AND state = 'done' ORDER BY id",
        [ids],
    )
    moves = _rows(
        cr,
        "SELECT id, product_id, state, product_uom_qty, quantity, location_id, location_dest_id "
        "FROM stock_move WHERE id IN %s ORDER BY id",
        [tuple({line["move_id"] for line in lines}) or (0,)],
    )
    return {"lots": lots, "stock": stock, "move_lines": lines, "moves": moves}


def addon_values(env, lot_ids):
    """The add-on's view of these serials, keyed by lot id (only while it is installed)."""
    lots = env["stock.lot"].browse(lot_ids)
    return {
        str(vals["id"]): {
            key: jsonable(value[0] if isinstance(value, tuple) else value)
            for key, value in vals.items()
        }
        for vals in lots.read(list(ADDON_LOT_FIELDS))
    }


def _validate(picking):
    picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
    if picking.state != "done":
        raise AssertionError(f"{picking.name} is {picking.state} after validation, not done")


def _picking(env, picking_type, partner, product, source, destination, quantity):
    picking = env["stock.picking"].create(
        {
            "picking_type_id": picking_type.id,
            "partner_id": partner.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "move_ids": [
                Command.create(
                    {
                        "name": product.display_name,
                        "product_id": product.id,
                        "product_uom_qty": quantity,
                        "product_uom": product.uom_id.id,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                    }
                )
            ],
        }
    )
    picking.action_confirm()
    move = picking.move_ids
    # The exact units are named below, as a user does on the detailed operations.
    move.move_line_ids.unlink()
    line = {
        "move_id": move.id,
        "picking_id": picking.id,
        "product_id": product.id,
        "product_uom_id": product.uom_id.id,
        "location_id": source.id,
        "location_dest_id": destination.id,
        "quantity": 1,
    }
    return picking, move, line


def receive(env, warehouse, product, vendor, names=(), lots=None):
    """A native receipt of one unit per new serial name and per existing serial, validated."""
    lots = lots or env["stock.lot"]
    picking, move, line = _picking(
        env,
        warehouse.in_type_id,
        vendor,
        product,
        env.ref("stock.stock_location_suppliers"),
        warehouse.lot_stock_id,
        len(names) + len(lots),
    )
    env["stock.move.line"].create(
        [{**line, "lot_name": name} for name in names]
        + [{**line, "lot_id": lot.id} for lot in lots]
    )
    move.picked = True
    _validate(picking)
    return picking


def deliver(env, warehouse, product, customer, lots):
    """A native delivery of exactly these serials from stock to the customer, validated."""
    picking, move, line = _picking(
        env,
        warehouse.out_type_id,
        customer,
        product,
        warehouse.lot_stock_id,
        env.ref("stock.stock_location_customers"),
        len(lots),
    )
    env["stock.move.line"].create([{**line, "lot_id": lot.id} for lot in lots])
    move.picked = True
    _validate(picking)
    return picking


def partners(env, name):
    """A customer or vendor company and a contact of it (deliveries go to the contact)."""
    company = env["res.partner"].create({"name": name, "is_company": True})
    contact = env["res.partner"].create({"name": f"{name} Buyer", "parent_id": company.id})
    return company, contact
