# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tools import SQL, split_every


def post_init_hook(env):
    """Serials that exist before the add-on is installed get their status, holder and origin
    from their moves, in batches."""
    lot_ids = env["stock.lot"].search([("product_id.tracking", "=", "serial")]).ids
    for batch in split_every(20000, lot_ids):
        env["stock.lot"].browse(batch)._serial_refresh()
        env.invalidate_all()


def uninstall_hook(env):
    """The add-on's own indexes on Odoo's tables, and the products' serial counters, go with
    it."""
    env["ir.sequence"].search([("code", "=like", "serial_tracking.product.%")]).unlink()
    from .models.stock_lot import LOT_NAME_INDEX, LOT_UNIQUE_INDEX
    from .models.stock_move_line import SML_LOT_DATE_INDEX

    for index in (SML_LOT_DATE_INDEX, LOT_UNIQUE_INDEX, LOT_NAME_INDEX):
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(index)))
