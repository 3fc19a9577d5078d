from . import test_install
from . import test_serial_numbering
from . import test_serial_entry_wizard
from . import test_tours
from . import test_serial_state
from . import test_serial_views
from . import test_serial_rules
from . import test_serial_operations
