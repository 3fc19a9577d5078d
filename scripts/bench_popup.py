"""Benchmark of the serial popup: parse and check N serials, then apply them to a receipt.

Run through scripts/bench.sh, which prepares the database. Prints server time and SQL queries of
each step; everything it creates is rolled back.
"""

from bench_common import make_receipt, measure, run


def bench(env, count):
    """Time the popup on a receipt of ``count`` units; return the rows."""
    # Importable once the registry is loaded (the add-on is on Odoo's addons path).
    from odoo.addons.serial_tracking.tools.serial_parser import parse_serials

    rows = []
    product = env["product.product"].create(
        {"name": "Bench Widget", "is_storable": True, "tracking": "serial"}
    )
    receipt = make_receipt(env, product, count)
    measure("receipt confirmed (native, one line per unit)", receipt.action_confirm, rows)
    move = receipt.move_ids
    range_text = "SN%06d-SN%06d" % (1, count)
    lines_text = "\n".join("SN%06d" % i for i in range(1, count + 1))
    measure("parse a range (pure Python)", lambda: parse_serials(range_text), rows)
    measure("parse one serial per line (pure Python)", lambda: parse_serials(lines_text), rows)
    wizard = env["serial.entry.wizard"].with_context(default_move_id=move.id).create({})
    wizard.serial_text = lines_text

    def check():
        wizard.invalidate_recordset(["preview_html", "counter"])
        return wizard.counter, len(wizard.preview_html)

    measure("popup: parse + check + preview (one per line)", check, rows)
    measure("popup: apply (move lines written)", wizard.action_apply, rows)
    assert len(move.move_line_ids) == count
    measure("receipt validated (native)", receipt.button_validate, rows)
    assert receipt.state == "done", receipt.state
    return rows


if __name__ == "__main__":
    run(bench, [1000, 10000])
