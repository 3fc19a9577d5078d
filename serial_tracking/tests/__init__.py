from . import test_install
from . import test_serial_numbering
from . import test_serial_entry_wizard
from . import test_tours
