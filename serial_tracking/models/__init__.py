from . import res_company
from . import res_config_settings
from . import product_template
from . import product_product
from . import stock_picking_type
from . import stock_move
from . import stock_picking
from . import stock_move_line
