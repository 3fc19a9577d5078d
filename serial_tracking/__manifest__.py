{
    "name": "Serial Tracking",
    "summary": "Every serialized unit numbered, entered, picked, followed, warranted and reported",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "author": "Serial Tracking",
    "license": "LGPL-3",
    "depends": ["sale_stock", "purchase_stock"],
    "data": [
        "security/ir.model.access.csv",
        "data/res_groups_data.xml",
    ],
    "demo": [
        "demo/serial_tracking_demo.xml",
    ],
    "installable": True,
    "application": False,
}
