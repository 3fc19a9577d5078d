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
        "security/serial_tracking_security.xml",
        "data/res_groups_data.xml",
        "data/ir_default_data.xml",
        "wizards/serial_entry_wizard_views.xml",
        "views/product_template_views.xml",
        "views/stock_picking_type_views.xml",
        "views/stock_picking_views.xml",
        "views/res_config_settings_views.xml",
        "views/stock_lot_views.xml",
        "views/purchase_order_views.xml",
        "views/account_move_views.xml",
    ],
    "demo": [
        "demo/serial_tracking_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "serial_tracking/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
    "application": False,
}
