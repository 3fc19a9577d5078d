"""Pure-Python helpers of the serial_tracking add-on (standard library only, no Odoo import)."""
