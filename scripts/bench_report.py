"""Benchmark of the Serial Number Report over N serials in stock (received, so each has a
vendor, a receipt date and a cost): the filtered search, the PDF's HTML, the PDF (wkhtmltopdf
on that HTML, when installed) and the XLSX export. Run through scripts/bench.sh
(BENCH=report). Everything is rolled back.
"""

from bench_common import make_receipt, measure, run

from odoo import fields


def bench(env, count):
    rows = []
    product = env["product.product"].create(
        {"name": "Report Bench Widget", "is_storable": True, "tracking": "serial"}
    )
    vendor = env["res.partner"].create({"name": "Report Bench Vendor"})
    picking = make_receipt(env, product, count, vendor=vendor)
    picking.action_confirm()
    picking.move_ids._set_serial_names(["RB%06d" % i for i in range(count)])
    picking.move_ids.picked = True
    picking.button_validate()
    # Table statistics, as autovacuum keeps them in a live database (without them, PostgreSQL
    # plans the new rows of this transaction as if the tables were empty).
    env.flush_all()
    env.cr.execute("ANALYZE stock_move_line, stock_lot")
    wizard = env["serial.report.wizard"].create({"product_ids": [(6, 0, product.ids)]})
    env.invalidate_all()
    lots = measure("report: search the serials", wizard._get_lots, rows)
    assert len(lots) == count
    env.invalidate_all()
    dated = env["serial.report.wizard"].create(
        {"date_from": fields.Date.today(), "serial": "RB", "partner_id": vendor.id}
    )
    found = measure("report: search by moved date, serial and vendor", dated._get_lots, rows)
    assert len(found) == count
    env.invalidate_all()
    html = measure(
        "report: render the PDF's HTML",
        lambda: env["ir.actions.report"]._render_qweb_html(
            "serial_tracking.report_serial_list", wizard.ids
        )[0],
        rows,
    )
    assert html.count(b"o_serial_list_row") == count
    env.invalidate_all()
    pdf = measure(
        "report: print the PDF (wkhtmltopdf)",
        lambda: env["ir.actions.report"]._render_qweb_pdf(
            "serial_tracking.report_serial_list", wizard.ids
        )[0],
        rows,
    )
    assert pdf.startswith(b"%PDF")
    env.invalidate_all()
    measure("report: export the XLSX", wizard.action_export_xlsx, rows)
    assert wizard.xlsx_file
    return rows


if __name__ == "__main__":
    run(bench, [1000, 10000])
