"""Parallel XML-RPC clients against an Odoo running several workers (see concurrency.sh).

Three races, each with PROCESSES client processes at once:
  names     every client asks serial_next_names() for blocks of names of the same product;
            all names handed out must be different.
  create    every client creates the same serials (stock.lot.create, one call per serial, in
            its own order); each serial must exist once, created by exactly one client, and the
            others must get the add-on's message.
  receive   every client enters serials in the popup of its own receipt (some serials shared by
            all clients) and validates it; each shared serial must be received once, the
            refused receipts must stay open with nothing received, and every serial received
            must have one unit in stock.
Prints a table and exits 1 when a claim does not hold.
  python scripts/concurrency_rpc.py URL DB LOGIN PASSWORD
"""

import sys
import time
import xmlrpc.client
from collections import Counter
from multiprocessing import Pool

PROCESSES = 8
NAME_BLOCKS = 10  # serial_next_names() calls per client
NAME_BLOCK = 25  # names per call
SHARED = ["RPC-SHARED-%02d" % number for number in range(1, 11)]
OWN_PER_RECEIPT = 5

URL, DB, LOGIN, PASSWORD = sys.argv[1:5] if len(sys.argv) >= 5 else (None,) * 4


def connect():
    common = xmlrpc.client.ServerProxy("%s/xmlrpc/2/common" % URL)
    uid = common.authenticate(DB, LOGIN, PASSWORD, {})
    models = xmlrpc.client.ServerProxy("%s/xmlrpc/2/object" % URL, allow_none=True)

    def call(model, method, *args, **kwargs):
        return models.execute_kw(DB, uid, PASSWORD, model, method, list(args), kwargs)

    return call


def setup():
    call = connect()
    stamp = time.strftime("%Y%m%d%H%M%S")
    product_id = call(
        "product.product",
        "create",
        {
            "name": "RPC Race Widget %s" % stamp,
            "is_storable": True,
            "tracking": "serial",
            "serial_prefix": "RPC%s-" % stamp,
            "serial_padding": 6,
        },
    )
    vendor_id = call("res.partner", "create", {"name": "RPC Race Vendor %s" % stamp})
    warehouse = call("stock.warehouse", "search_read", [], ["in_type_id", "lot_stock_id"], limit=1)
    return product_id, vendor_id, warehouse[0]["in_type_id"][0], warehouse[0]["lot_stock_id"][0]


def race_names(args):
    client, product_id = args
    call = connect()
    names = []
    for _block in range(NAME_BLOCKS):
        names += call("product.product", "serial_next_names", [product_id], NAME_BLOCK)
    return client, names


def race_create(args):
    client, product_id = args
    call = connect()
    order = SHARED[client % len(SHARED) :] + SHARED[: client % len(SHARED)]
    created, refused = [], []
    for name in order:
        try:
            call("stock.lot", "create", {"name": name, "product_id": product_id})
            created.append(name)
        except xmlrpc.client.Fault as fault:
            refused.append((name, " ".join(fault.faultString.split())))
    return client, created, refused


def race_receive(args):
    client, product_id, vendor_id, picking_type_id, stock_id = args
    call = connect()
    supplier = call("stock.location", "search", [("usage", "=", "supplier")], limit=1)[0]
    names = ["RPC-OWN-%02d-%02d" % (client, number) for number in range(OWN_PER_RECEIPT)]
    shared = SHARED[client % 3 :: 3][:2]  # every shared serial is wanted by several clients
    picking_id = call(
        "stock.picking",
        "create",
        {
            "picking_type_id": picking_type_id,
            "partner_id": vendor_id,
            "location_id": supplier,
            "location_dest_id": stock_id,
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "name": "RPC race",
                        "product_id": product_id,
                        "product_uom_qty": len(names) + len(shared),
                        "location_id": supplier,
                        "location_dest_id": stock_id,
                    },
                )
            ],
        },
    )
    call("stock.picking", "action_confirm", [picking_id])
    move_id = call("stock.move", "search", [("picking_id", "=", picking_id)])[0]
    action = call("stock.move", "action_open_serial_entry", [move_id])
    context = action["context"]
    try:
        wizard_id = call(
            "serial.entry.wizard",
            "create",
            {"serial_text": "\n".join(shared + names)},
            context=context,
        )
        call("serial.entry.wizard", "action_apply", [wizard_id], context=context)
        call("stock.move", "write", [move_id], {"picked": True})
        call("stock.picking", "button_validate", [picking_id])
        outcome = "done"
    except xmlrpc.client.Fault as fault:
        outcome = " ".join(fault.faultString.split())
    state = call("stock.picking", "read", [picking_id], ["state"])[0]["state"]
    return client, picking_id, shared, names, outcome, state


def main():
    if not URL:
        sys.exit(__doc__)
    product_id, vendor_id, picking_type_id, stock_id = setup()
    failures = []
    with Pool(PROCESSES) as pool:
        # 1. Numbering
        started = time.monotonic()
        results = pool.map(race_names, [(client, product_id) for client in range(PROCESSES)])
        elapsed = time.monotonic() - started
        handed = [name for _client, names in results for name in names]
        twice = [name for name, count in Counter(handed).items() if count > 1]
        print(
            "names    %d clients x %d calls x %d names: %d names, %d distinct, %d given twice "
            "(%.1f s)"
            % (
                PROCESSES,
                NAME_BLOCKS,
                NAME_BLOCK,
                len(handed),
                len(set(handed)),
                len(twice),
                elapsed,
            )
        )
        if twice or len(handed) != PROCESSES * NAME_BLOCKS * NAME_BLOCK:
            failures.append("numbering handed out the same name twice: %s" % twice[:5])

        # 2. The same serials created by every client
        started = time.monotonic()
        results = pool.map(race_create, [(client, product_id) for client in range(PROCESSES)])
        elapsed = time.monotonic() - started
        created = Counter(name for _client, names, _refused in results for name in names)
        refusals = [reason for _c, _n, refused in results for _name, reason in refused]
        call = connect()
        stored = Counter(
            lot["name"]
            for lot in call(
                "stock.lot",
                "search_read",
                [("product_id", "=", product_id), ("name", "in", SHARED)],
                ["name"],
            )
        )
        print(
            "create   %d clients x %d same serials: %d created, %d refused, in the database "
            "%d serials, each once: %s (%.1f s)"
            % (
                PROCESSES,
                len(SHARED),
                sum(created.values()),
                len(refusals),
                len(stored),
                all(count == 1 for count in stored.values()),
                elapsed,
            )
        )
        if refusals:
            print("         message: %s" % refusals[0])
        if (
            sorted(stored) != sorted(SHARED)
            or any(count != 1 for count in stored.values())
            or any(count != 1 for count in created.values())
            or len(refusals) != (PROCESSES - 1) * len(SHARED)
            or not all("exists once per product and company" in reason for reason in refusals)
        ):
            failures.append("a serial was created twice, or refused without the message")

        # 3. Receipts validated at once, some serials wanted by several receipts
        call(
            "stock.lot",
            "unlink",
            call("stock.lot", "search", [("product_id", "=", product_id), ("name", "in", SHARED)]),
        )
        started = time.monotonic()
        results = pool.map(
            race_receive,
            [
                (client, product_id, vendor_id, picking_type_id, stock_id)
                for client in range(PROCESSES)
            ],
        )
        elapsed = time.monotonic() - started
        received = Counter()
        for client, picking_id, shared, names, outcome, state in sorted(results):
            print(
                "receive  client %d receipt %d %-14s %-9s %s"
                % (client, picking_id, ",".join(name[-2:] for name in shared), state, outcome)
            )
            if outcome == "done":
                received.update(shared + names)
                if state != "done":
                    failures.append("receipt %d said done but is %s" % (picking_id, state))
            elif state == "done":
                failures.append("receipt %d refused but validated" % picking_id)
        quants = call(
            "stock.quant",
            "read_group",
            [("product_id", "=", product_id), ("location_id", "=", stock_id)],
            ["quantity:sum"],
            ["lot_id"],
            lazy=False,
        )
        on_hand = {quant["lot_id"][1]: quant["quantity"] for quant in quants if quant["lot_id"]}
        wanted = {name for _c, _p, shared, _n, _o, _s in results for name in shared}
        print(
            "receive  %d receipts, %d validated, %d refused; shared serials received once: %s; "
            "every serial received has 1 unit on hand: %s (%.1f s)"
            % (
                len(results),
                sum(1 for result in results if result[4] == "done"),
                sum(1 for result in results if result[4] != "done"),
                all(received[name] == 1 for name in wanted),
                all(on_hand.get(name) == 1 for name in received) and len(on_hand) == len(received),
                elapsed,
            )
        )
        if any(received[name] != 1 for name in wanted):
            failures.append("a shared serial was received %s" % dict(received))
        if any(on_hand.get(name) != 1 for name in received) or len(on_hand) != len(received):
            failures.append("stock does not match the receipts: %s" % on_hand)
    print("RESULT: %s" % ("FAIL: %s" % "; ".join(failures) if failures else "all claims hold"))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
