# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Serial Tracking: Subcontracting",
    "summary": "The serials of the components a subcontractor used, on the subcontracted unit",
    "version": "18.0.1.0.0",
    "category": "Manufacturing/Manufacturing",
    "author": "Serial Tracking",
    "website": "https://github.com/serial-tracking/serial_tracking",
    "maintainers": ["serial-tracking"],
    "license": "LGPL-3",
    "depends": ["serial_tracking_mrp", "mrp_subcontracting"],
    "data": [
        "views/mrp_production_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "serial_tracking_mrp_subcontracting/static/tests/tours/**/*.js",
        ],
    },
    "installable": True,
    "auto_install": True,
    "application": False,
}
