from . import serial_entry_wizard
