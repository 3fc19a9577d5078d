from odoo.tools import SQL, split_every


def post_init_hook(env):
    """Serials that exist before the add-on is installed get their status, holder and origin
    from their moves, in batches."""
    lot_ids = env["stock.lot"].search([("product_id.tracking", "=", "serial")]).ids
    for batch in split_every(20000, lot_ids):
        env["stock.lot"].browse(batch)._serial_refresh()
        env.invalidate_all()


def uninstall_hook(env):
    """The add-on's own index on Odoo's move lines goes with it."""
    from .models.stock_move_line import SML_LOT_DATE_INDEX

    env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(SML_LOT_DATE_INDEX)))
