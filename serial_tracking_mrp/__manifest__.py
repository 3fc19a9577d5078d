# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Serial Tracking: Manufacturing",
    "summary": "Serials of produced units and consumed components, and what each unit contains",
    "version": "18.0.1.0.0",
    "category": "Manufacturing/Manufacturing",
    "author": "Serial Tracking",
    "website": "https://github.com/serial-tracking/serial_tracking",
    "maintainers": ["serial-tracking"],
    "license": "LGPL-3",
    "depends": ["serial_tracking", "mrp"],
    "data": [
        "data/mrp_production_actions.xml",
        "views/mrp_production_views.xml",
        "views/stock_picking_type_views.xml",
        "views/stock_lot_views.xml",
        "wizards/serial_report_wizard_views.xml",
        "report/report_templates.xml",
    ],
    "demo": [
        "demo/serial_tracking_mrp_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "serial_tracking_mrp/static/tests/tours/**/*.js",
        ],
    },
    "installable": True,
    "auto_install": True,
    "application": False,
}
