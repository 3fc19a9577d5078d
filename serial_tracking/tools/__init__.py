# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Pure-Python helpers of the serial_tracking add-on (standard library only, no Odoo import)."""
