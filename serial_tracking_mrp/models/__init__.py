# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import mrp_batch_produce
from . import mrp_production
from . import mrp_unbuild
from . import stock_lot
from . import stock_move_line
from . import stock_picking_type
