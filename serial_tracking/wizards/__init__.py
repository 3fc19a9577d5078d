# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import serial_entry_operations
from . import serial_entry_wizard
from . import stock_return_picking
from . import serial_report_wizard
