# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_mrp_genealogy, test_mrp_serials, test_mrp_tours
