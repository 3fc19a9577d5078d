# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import project_project
from . import stock_lot
from . import stock_move_line
