# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import mrp_production
from . import stock_move
