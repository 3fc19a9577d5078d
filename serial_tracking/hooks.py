from odoo.tools import split_every


def post_init_hook(env):
    """Serials that exist before the add-on is installed get their status, holder and origin
    from their moves, in batches."""
    lot_ids = env["stock.lot"].search([("product_id.tracking", "=", "serial")]).ids
    for batch in split_every(20000, lot_ids):
        env["stock.lot"].browse(batch)._serial_refresh()
        env.invalidate_all()
