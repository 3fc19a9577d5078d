# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Serial Tracking: Projects",
    "summary": "The exact serials a project used, and the project on each serial",
    "version": "18.0.1.0.0",
    "category": "Services/Project",
    "author": "Serial Tracking",
    "website": "https://github.com/serial-tracking/serial_tracking",
    "maintainers": ["serial-tracking"],
    "license": "LGPL-3",
    "depends": ["serial_tracking", "project_stock"],
    "data": [
        "views/stock_lot_views.xml",
        "views/project_project_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "serial_tracking_project/static/tests/tours/**/*.js",
        ],
    },
    "installable": True,
    "auto_install": True,
    "application": False,
}
