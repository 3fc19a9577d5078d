# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase
from odoo.tools.safe_eval import safe_eval


class SerialTrackingCase(TransactionCase):
    """Data shared by the add-on's tests: two companies, a serial-tracked product, and a stock
    user of the first company. Everything is built here; nothing comes from demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env["res.company"].create({"name": "Serial Co A"})
        cls.company_b = cls.env["res.company"].create({"name": "Serial Co B"})
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=[cls.company.id, cls.company_b.id])
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.warehouse_b = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company_b.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.vendor = cls.env["res.partner"].create({"name": "Vendor of Serials"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Serial Widget",
                "is_storable": True,
                "tracking": "serial",
            }
        )
        cls.stock_user = cls._create_user(
            "serial_clerk_a", "Stock Clerk A", ["stock.group_stock_user"]
        )

    @classmethod
    def _create_user(cls, login, name, groups, companies=None):
        """An internal user of ``companies`` (default: the first company) with ``groups``
        (XML ids) and nothing else."""
        companies = companies or cls.company
        return cls.env["res.users"].create(
            {
                "name": name,
                "login": login,
                "email": "%s@example.com" % login,
                "company_id": companies[0].id,
                "company_ids": [Command.set(companies.ids)],
                "groups_id": [
                    Command.set([cls.env.ref(xmlid).id for xmlid in ["base.group_user", *groups]])
                ],
            }
        )

    @classmethod
    def _create_receipt(cls, quantity, product=None, warehouse=None, picking_type=None):
        """A confirmed receipt from the vendor of ``quantity`` units, as Odoo prepares it."""
        warehouse = warehouse or cls.warehouse
        picking_type = picking_type or warehouse.in_type_id
        product = product or cls.product
        picking = (
            cls.env["stock.picking"]
            .with_company(warehouse.company_id)
            .create(
                {
                    "picking_type_id": picking_type.id,
                    "partner_id": cls.vendor.id,
                    "location_id": cls.supplier_location.id,
                    "location_dest_id": warehouse.lot_stock_id.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": product.name,
                                "product_id": product.id,
                                "product_uom_qty": quantity,
                                "product_uom": product.uom_id.id,
                                "location_id": cls.supplier_location.id,
                                "location_dest_id": warehouse.lot_stock_id.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        return picking

    @classmethod
    def _put_in_stock(cls, names, product=None, location=None):
        """Serials of ``product`` counted into stock at ``location`` (inventory adjustment)."""
        product = product or cls.product
        location = location or cls.stock_location
        company = location.company_id
        lots = cls.env["stock.lot"].create(
            [{"name": name, "product_id": product.id, "company_id": company.id} for name in names]
        )
        quants = (
            cls.env["stock.quant"]
            .with_company(company)
            .with_context(inventory_mode=True)
            .create(
                [
                    {
                        "product_id": product.id,
                        "lot_id": lot.id,
                        "location_id": location.id,
                        "inventory_quantity": 1,
                    }
                    for lot in lots
                ]
            )
        )
        quants.action_apply_inventory()
        return lots

    def _transfer(
        self, lots, location, location_dest, partner=None, picking_type=None, taken_from=None
    ):
        """A confirmed transfer whose lines name exactly ``lots`` (taken from ``taken_from``,
        default ``location``), as a user sets them; not validated."""
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": (picking_type or self.warehouse.out_type_id).id,
                "partner_id": partner and partner.id,
                "location_id": location.id,
                "location_dest_id": location_dest.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": len(lots),
                            "product_uom": self.product.uom_id.id,
                            "location_id": location.id,
                            "location_dest_id": location_dest.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        move = picking.move_ids
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            [
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": self.product.id,
                    "product_uom_id": self.product.uom_id.id,
                    "location_id": (taken_from or location).id,
                    "location_dest_id": location_dest.id,
                    "lot_id": lot.id,
                    "quantity": 1,
                }
                for lot in lots
            ]
        )
        return picking

    def assertAccessRefused(self, function, *args):
        """``function(*args)`` is refused with an access error (QWeb wraps the one it meets
        while rendering a report)."""
        with self.assertRaises(Exception) as caught:
            function(*args)
        error = caught.exception
        self.assertIsInstance(error.__cause__ or error, AccessError, repr(error))

    def _open_popup(self, record, user=None):
        """Open the serial popup of ``record`` (a move or an order line) as its icon does."""
        if user:
            record = record.with_user(user).with_context(allowed_company_ids=user.company_ids.ids)
        action = record.action_open_serial_entry()
        self.assertEqual(action["res_model"], "serial.entry.wizard")
        self.assertEqual(action["target"], "new")
        return Form(record.env["serial.entry.wizard"].with_context(**action["context"]))

    def _popup_error(self, record, text, snapshot):
        """Apply ``text`` in the popup of ``record``: it must fail, leaving what ``snapshot()``
        returns and the text as they were. Returns the message."""
        before = snapshot()
        form = self._open_popup(record)
        form.serial_text = text
        wizard = form.save()
        with self.assertRaises(UserError) as caught:
            wizard.action_apply()
        self.assertEqual(snapshot(), before, "nothing is half written")
        self.assertEqual(wizard.serial_text, text, "the entry is kept")
        return str(caught.exception)

    def _return_wizard(self, picking):
        """The return wizard of ``picking`` as its Return button opens it (the button's action
        context included)."""
        action = self.env.ref("stock.act_stock_return_picking")
        context = dict(
            safe_eval(action.context or "{}"), active_id=picking.id, active_model="stock.picking"
        )
        return Form(picking.env["stock.return.picking"].with_context(**context)).save()

    def _return_lots(self, picking, lots, quantity=None):
        """The return of ``picking`` created as its Return button does: serial lines (on a
        delivery) for ``lots``, other lines for ``quantity`` (default: as many as ``lots``)."""
        wizard = self._return_wizard(picking)
        for line in wizard.product_return_moves:
            if line.lot_id:
                line.quantity = 1 if line.lot_id in lots else 0
            else:
                line.quantity = len(lots) if quantity is None else quantity
        return wizard._create_return()


class SerialSaleCase(SerialTrackingCase):
    """Selling serials: customers, a seller, and helpers to order, choose, deliver."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Customer of Serials"})
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "Receiving Dock", "parent_id": cls.customer.id, "type": "delivery"}
        )
        cls.other_customer = cls.env["res.partner"].create({"name": "Other Customer"})
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.seller = cls._create_user(
            "serial_seller_a",
            "Seller and Clerk A",
            ["sales_team.group_sale_salesman", "stock.group_stock_user"],
        )

    def _order(self, quantity, company=None, product=None, partner=None):
        company = company or self.company
        return (
            self.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": (partner or self.customer).id,
                    "company_id": company.id,
                    "warehouse_id": (
                        self.warehouse if company == self.company else self.warehouse_b
                    ).id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": (product or self.product).id,
                                "product_uom_qty": quantity,
                                "price_unit": 500.0,
                            }
                        )
                    ],
                }
            )
        )

    def _open(self, line, user=None):
        return self._open_popup(line, user=user)

    def _choose(self, line, text, user=None):
        form = self._open(line, user=user)
        form.serial_text = text
        form.save().action_apply()

    def _apply_error(self, line, text):
        return self._popup_error(line, text, lambda: line.serial_ids.sorted("id").mapped("name"))

    def _stock_by_receipts(self, batches):
        """Serials received in separate receipts, oldest batch first (receipt dates set apart)."""
        lots = self.env["stock.lot"]
        for month, names in batches:
            receipt = self._create_receipt(len(names))
            receipt.move_ids._set_serial_names(names)
            receipt.move_ids.picked = True
            receipt.button_validate()
            batch = receipt.move_line_ids.lot_id
            date = f"2026-0{month}-01 10:00:00"
            receipt.move_line_ids.write({"date": date})
            batch._serial_refresh()
            lots |= batch
        return lots

    def _validate(self, picking):
        picking.move_ids.picked = True
        result = picking.button_validate()
        self.assertIs(result, True, "validated without a backorder question")
        return picking
