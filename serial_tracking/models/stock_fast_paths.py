# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The add-on's fast paths, in one place.

Contract: a fast path changes how many steps an Odoo operation takes, never what it does. It
runs inside Odoo's own method, after ``super()``'s own checks, through Odoo's extension points:
every override of these methods, by any module loaded before or after this one, still runs, and
the records that result are those Odoo's own way gives. The context key ``serial_one_by_one``
switches every fast path off (``tests/test_fast_paths.py`` runs each scenario both ways and
compares quants, move lines, valuation and serials; ``tests/test_fast_path_overrides.py`` checks
that overrides of the methods below still run).

Reserving serials. Odoo's ``stock.move._update_reserved_quantity`` takes the quants to reserve
(``stock.quant._get_reserve_quantity``) and, for a serial product, creates the move lines
``_add_serial_move_line_to_vals_list`` prepares, one quant at a time; each new line makes its
look for an updatable line longer, and each creation recomputes the move, so N serials take N²
steps. Here the lines Odoo prepared are held until its loop is over and created in one
``stock.move.line.create``, given the quants' cache Odoo's own validation uses: the same lines,
the same quants reserved, in the same order. That creation reserves each line's quant, one
``stock.quant._update_reserved_quantity`` call a line (a write each): while it runs, the calls
on a serial's single quant in the cache are held, and once the lines exist, the quants are
locked as Odoo locks them and written together (one write per set of values); a quant another
transaction holds is left to Odoo's own call.

Moving serials' quants. Odoo's ``stock.move.line._action_done`` moves each line's quants in its
loop, three ``_synchronize_quant`` calls a line (unreserve at the source, take from the source,
put at the destination), each a ``stock.quant._update_available_quantity`` that writes or creates
one quant (``stock.quant.create`` inserts one at a time and checks each serial's quantity with a
query of its own): about four queries and a few milliseconds of Python per serial. Here the first
of those calls in Odoo's loop moves the quants of every serial line of the batch at once, and each
line's calls then return what Odoo's would have: the quants written in one ``write`` per set of
values, the new ones created in one insert (Odoo's checks run once, on all of them), Odoo's
quants' cache kept as Odoo keeps it, the same values, dates and return values. A line takes part
when its product is a serial one whose every line moves one unit of a serial of its own, where
Odoo's own way is a plain sum: at most one quant of that serial at each end, no unit without a
serial beside it, the source quant there and not left short (else Odoo would free other
reservations), quants not locked by another transaction, no ``least_packages`` removal. Other
lines go through Odoo's calls, one by one, in the same loop.

Creating the quants together is below ``stock.quant.create``, whose loop creates one at a time;
it is taken only when no other module overrides the methods it stands for (``_odoo_own``):
``stock.quant.create``, ``write``, ``_update_available_quantity``, ``_update_reserved_quantity``,
``_get_available_quantity``, ``_gather`` and ``stock.move.line._synchronize_quant``. Where one
does, Odoo's own way runs, and with it that override.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import float_compare, split_every

# Quants written or created by one call: Odoo's check of serials' quantities (check_quantity)
# reads the quants of one call with a domain of one term each, which PostgreSQL cannot parse
# for tens of thousands.
_CHUNK = 1000
# The methods the batched move of quants stands for, by model: it is taken only while every
# definition of them comes from Odoo's stock, the ORM or this add-on.
_QUANT_METHODS = {
    "stock.quant": (
        "create",
        "write",
        "_update_available_quantity",
        "_update_reserved_quantity",
        "_get_available_quantity",
        "_gather",
    ),
    "stock.move.line": ("_synchronize_quant",),
}
_OWN_MODULES = ("odoo.models", "odoo.addons.stock.models.", "odoo.addons.serial_tracking.models.")


def _odoo_own(env):
    """Whether every definition of the methods the batched move of quants stands for is Odoo's
    own (stock's, the ORM's) or this add-on's: no other module overrides them."""
    for model, names in _QUANT_METHODS.items():
        for klass in type(env[model]).__mro__:
            for name in names:
                method = vars(klass).get(name)
                module = getattr(method, "__module__", None) or ""
                if method is not None and not module.startswith(_OWN_MODULES):
                    return False
    return True


# Move lines Odoo prepared for the reservation under way, by move id, on the cursor: added when
# the reservation starts, taken off when it ends.
_PENDING = "serial_tracking.reservation_lines"
# While the lines of a reservation are created: the reservations of their quants Odoo's creation
# asked for, (quant, quantity, the call's arguments), on the cursor.
_RESERVING = "serial_tracking.reserving"
# The validations under way (stock.move.line._action_done), innermost last, on the cursor: the
# lines validated, and once their quants are moved, what each line's calls return.
_VALIDATIONS = "serial_tracking.validations"


class StockMove(models.Model):
    _inherit = "stock.move"

    def _update_reserved_quantity(
        self, need, location_id, lot_id=None, package_id=None, owner_id=None, strict=True
    ):
        pending = self.env.cr.cache.setdefault(_PENDING, {})
        holds = self._serial_holds_reservation_lines() and self.id not in pending
        if holds:
            pending[self.id] = []
        try:
            taken = super()._update_reserved_quantity(
                need,
                location_id,
                lot_id=lot_id,
                package_id=package_id,
                owner_id=owner_id,
                strict=strict,
            )
            vals_list = pending[self.id] if holds else []
        finally:
            if holds:
                del pending[self.id]
        if vals_list:
            self._serial_create_reservation_lines(vals_list)
        return taken

    def _serial_holds_reservation_lines(self):
        """Whether the move lines Odoo makes while reserving for this move are created together:
        serial products whose operation takes serials (where Odoo makes one line per unit)."""
        self.ensure_one()
        return (
            not self.env.context.get("serial_one_by_one")
            and self.product_id.tracking == "serial"
            and bool(self.picking_type_id.use_create_lots or self.picking_type_id.use_existing_lots)
        )

    def _add_serial_move_line_to_vals_list(self, reserved_quant, quantity):
        vals_list = super()._add_serial_move_line_to_vals_list(reserved_quant, quantity)
        pending = self.env.cr.cache.get(_PENDING, {}).get(self.id)
        if vals_list and pending is not None:
            pending.extend(vals_list)
            return []  # created once Odoo's loop is over
        return vals_list

    def _serial_create_reservation_lines(self, vals_list):
        """Create the move lines Odoo prepared while reserving for this move, in one batch:
        Odoo's creation reserves each line's quant, found in the quants' cache."""
        lines_lots = self.env["stock.lot"].browse(
            {vals["lot_id"] for vals in vals_list if vals.get("lot_id")}
        )
        locations = self.env["stock.location"].browse({vals["location_id"] for vals in vals_list})
        cache = self.env["stock.quant"]._get_quants_by_products_locations(
            self.product_id,
            locations,
            extra_domain=["|", ("lot_id", "in", lines_lots.ids), ("lot_id", "=", False)],
        )
        lines = self.env["stock.move.line"].with_context(quants_cache=cache)
        if not _odoo_own(self.env) or _RESERVING in self.env.cr.cache:
            return lines._serial_create_in_chunks(vals_list)
        held = self.env.cr.cache[_RESERVING] = []
        try:
            lines = lines._serial_create_in_chunks(vals_list)
        finally:
            del self.env.cr.cache[_RESERVING]
        self.env["stock.quant"].with_context(quants_cache=cache)._serial_reserve_held(held)
        return lines


def _bounding_lot_ids(domain):
    """The serials a quant matching ``domain`` must have: a set of lot ids, or None when the
    domain does not bind them (it does when each of its alternatives names its lot by ``=`` or
    ``in``). Read from the end of the normalized (prefix) domain, operands before operators:
    no recursion, whatever the number of alternatives."""
    stack = []
    for token in reversed(expression.normalize_domain(list(domain))):
        if token in (expression.OR_OPERATOR, expression.AND_OPERATOR):
            if len(stack) < 2:
                return None
            left, right = stack.pop(), stack.pop()
            if token == expression.OR_OPERATOR:
                stack.append(None if left is None or right is None else left | right)
            elif left is None or right is None:
                stack.append(left if right is None else right)
            else:
                stack.append(left & right)
        elif token == expression.NOT_OPERATOR:
            if not stack:
                return None
            stack[-1] = None
        else:
            stack.append(_leaf_lot_ids(token))
    return stack[0] if len(stack) == 1 else None


def _leaf_lot_ids(leaf):
    """The lot ids a domain leaf binds a quant's serial to, or None."""
    if not (isinstance(leaf, (list, tuple)) and len(leaf) == 3 and leaf[0] == "lot_id"):
        return None
    operator, value = leaf[1], leaf[2]
    if operator == "=" and type(value) is int and value:
        return {value}
    if (
        operator == "in"
        and isinstance(value, (list, tuple, set))
        and value
        and all(type(item) is int and item for item in value)
    ):
        return set(value)
    return None


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model
    def _search(self, domain, *args, **kwargs):
        # Odoo's check that a serial is at most once in a location (check_quantity) reads the
        # quants of many serials with one alternative per quant (product, location and serial
        # alike): PostgreSQL tests each alternative on every quant of the location, so checking
        # the quants of a large transfer grows with the square of its serials. The serials the
        # alternatives name, added as one more condition, let it find the quants by serial: the
        # same quants, read through the serial's index.
        lots = _bounding_lot_ids(domain) if len(domain) > 4 else None
        if lots and len(lots) > 1:
            domain = expression.AND([[("lot_id", "in", sorted(lots))], domain])
        return super()._search(domain, *args, **kwargs)

    @api.model
    def _update_reserved_quantity(
        self,
        product_id,
        location_id,
        quantity,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=True,
    ):
        held = self.env.cr.cache.get(_RESERVING)
        cache = self.env.context.get("quants_cache")
        if held is not None and cache is not None and lot_id and product_id.tracking == "serial":
            key = (
                product_id.id,
                location_id.id,
                lot_id.id,
                package_id.id if package_id else False,
                owner_id.id if owner_id else False,
            )
            quants = cache[key]
            if (
                len(quants) == 1
                and not cache[key[:2] + (False,) + key[3:]]
                and self._get_removal_strategy(product_id, location_id) != "least_packages"
            ):
                # Written with the others once Odoo has created the lines.
                held.append(
                    (quants, quantity, (product_id, location_id, lot_id, package_id, owner_id))
                )
                return None
        return super()._update_reserved_quantity(
            product_id,
            location_id,
            quantity,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )

    def _serial_reserve_held(self, held):
        """Reserve the quants held while the lines of a reservation were created, as Odoo's
        ``_update_available_quantity`` would have one call at a time: the reserved quantity
        raised, the date kept while the quant holds units (else today), a quant another
        transaction holds left to Odoo's own call (which makes a quant of its own)."""
        if not held:
            return
        quants = self.browse({quant.id for quant, _quantity, _args in held}).sudo()
        locked = _lock_quants(self.env.cr, quants.ids)
        now = fields.Datetime.now()
        reserved = defaultdict(float)
        for quant, quantity, args in held:
            if quant.id in locked:
                reserved[quant] += quantity
            else:
                product, location, lot, package, owner = args
                # Odoo's own call: nothing is held any more.
                self._update_reserved_quantity(
                    product, location, quantity, lot_id=lot, package_id=package, owner_id=owner
                )
        groups = defaultdict(list)
        for quant, quantity in reserved.items():
            rounding = quant.product_id.uom_id.rounding
            in_date = (
                quant.in_date
                if quant.in_date
                and float_compare(quant.quantity, 0, precision_rounding=rounding) > 0
                and not quant.location_id.should_bypass_reservation()
                else now
            )
            values = {"reserved_quantity": quant.reserved_quantity + quantity}
            if in_date != quant.in_date:
                values["in_date"] = in_date
            groups[tuple(sorted(values.items()))].append(quant.id)
        for values, ids in groups.items():
            for chunk in split_every(_CHUNK, ids):
                quants.browse(chunk).write(dict(values))


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _action_done(self):
        if self.env.context.get("serial_one_by_one"):
            return super()._action_done()
        validations = self.env.cr.cache.setdefault(_VALIDATIONS, [])
        validations.append({"ids": self.ids, "members": set(self.ids), "calls": None})
        try:
            return super()._action_done()
        finally:
            validations.pop()

    @api.model
    def _serial_create_in_chunks(self, vals_list):
        """Create these lines _CHUNK at a time, in order: tens of thousands created in one call
        hold all their values in memory at once (2 to 3 kB a line)."""
        ids = []
        for chunk in split_every(_CHUNK, vals_list):
            ids += self.create(list(chunk)).ids
        return self.browse(ids)

    def _create_and_assign_production_lot(self):
        """Odoo's creation of the new serials of a validation, a thousand at a time: creating
        tens of thousands in one call holds all their values and creation messages in memory
        at once (about 8 kB a serial). Lines of one serial name stay in one call."""
        chunks = [] if self.env.context.get("serial_one_by_one") else self._serial_lot_chunks()
        if len(chunks) < 2:
            return super()._create_and_assign_production_lot()
        for chunk in chunks:
            self.browse(chunk)._create_and_assign_production_lot()
            # The serials' creation messages are not read again by the validation: out of the
            # cache, the next chunk's take their place in memory.
            self.env["mail.message"].invalidate_model()
        return None

    def _serial_lot_chunks(self):
        """The ids of these lines by chunks of about _CHUNK, those of one serial name together."""
        by_name = defaultdict(list)
        for line in self:
            by_name[(line.product_id.id, line.lot_name)].append(line.id)
        chunks = [[]]
        for ids in by_name.values():
            if len(chunks[-1]) >= _CHUNK:
                chunks.append([])
            chunks[-1].extend(ids)
        return chunks

    def _synchronize_quant(
        self, quantity, location, action="available", in_date=False, **quants_value
    ):
        validations = self.env.cr.cache.get(_VALIDATIONS)
        validation = validations[-1] if validations else None
        if validation is not None and len(self) == 1 and self.id in validation["members"]:
            calls = validation["calls"]
            if (
                calls is None
                and action == "reserved"
                and location == self.location_id
                and not quants_value
                and "quants_cache" in self.env.context
            ):
                # The first move of Odoo's loop: every serial line's quants move now.
                calls = validation["calls"] = self.browse(validation["ids"])._serial_move_quants(
                    self.env.context["quants_cache"]
                )
            expected = calls.get(self.id) if calls else None
            if expected:
                call, result = expected.pop()
                if not expected:
                    del calls[self.id]  # its calls are made: freed as the loop goes
                if call != (action, location.id):
                    raise RuntimeError(
                        "Serial line %s: quants moved for %s, asked for %s."
                        % (self.id, call, (action, location.id))
                    )
                return result
        return super()._synchronize_quant(
            quantity, location, action=action, in_date=in_date, **quants_value
        )

    def _serial_move_quants(self, quants_cache):
        """Move the quants of the serial lines among these at once, as Odoo's three calls a line
        in ``_action_done`` would. Return, by line, the calls Odoo's loop will make and what each
        returns (``_synchronize_quant``'s value); lines not taken part are not in it."""
        lines = self.exists()
        if not lines or not _odoo_own(self.env):
            return {}
        by_product = defaultdict(list)
        for line in lines:
            by_product[line.product_id].append(line)
        candidates = {
            product: product_lines
            for product, product_lines in by_product.items()
            if self._serial_may_move_together(product, product_lines, quants_cache)
        }
        if not candidates:
            return {}
        # Lock the quants Odoo would lock (FOR NO KEY UPDATE SKIP LOCKED); a serial whose quant
        # another transaction holds goes Odoo's way (which makes a quant of its own).
        locked = _lock_quants(
            self.env.cr,
            {
                quant.id
                for product_lines in candidates.values()
                for line in product_lines
                for quant in quants_cache[_key(line, "source")] | quants_cache[_key(line, "dest")]
            },
        )
        now = fields.Datetime.now()
        state = {}  # quant -> {field: value}, as Odoo's writes leave it
        creates = []  # (vals, cache key), in Odoo's order
        calls = {}
        for product, product_lines in candidates.items():
            plan = _QuantPlan(self.env, product, quants_cache, state, now)
            for line in product_lines:
                if not plan.add(line, locked):
                    break
            else:
                creates.extend(plan.creates)
                state.update(plan.state)
                calls.update(plan.calls)
        if not calls:
            return {}
        quant_model = self.env["stock.quant"].sudo()
        groups = defaultdict(list)
        for quant, values in state.items():
            changed = {name: value for name, value in values.items() if quant[name] != value}
            if changed:
                groups[tuple(sorted(changed.items()))].append(quant.id)
        for values, ids in groups.items():
            for chunk in split_every(_CHUNK, ids):
                quant_model.browse(chunk).write(dict(values))
        if creates:
            # stock.quant.create creates one quant at a time through the ORM's create and adds it
            # to Odoo's quants' cache; _odoo_own made sure no module overrides it: the same, for
            # all of them at once.
            ids = []
            for chunk in split_every(_CHUNK, [vals for vals, _key_ in creates]):
                new_quants = models.Model.create(quant_model, list(chunk))
                ids.extend(new_quants.ids)
                # Written, then out of the cache: Odoo's loop reads what the quants' calls
                # return, not the quants; tens of thousands would weigh about 1.3 kB each.
                new_quants.invalidate_recordset()
            created = quant_model.browse(ids)
            for quant, (_vals, key) in zip(created, creates, strict=True):
                quants_cache[key] |= quant
            if quant_model._is_inventory_mode():
                created._check_company()
        return calls

    def _serial_may_move_together(self, product, lines, quants_cache):
        """Whether the lines of this product may have their quants moved together: a storable
        serial product, each line one unit of a serial no other line moves, at most one quant of
        it at each end and none without a serial, removal read from Odoo's quants' cache."""
        if product.tracking != "serial" or not product.is_storable:
            return False
        rounding = product.uom_id.rounding
        lot_ids = set()
        locations = set()
        for line in lines:
            lot_id = line.lot_id.id
            if (
                not lot_id
                or lot_id in lot_ids
                or float_compare(line.quantity_product_uom, 1.0, precision_rounding=rounding)
            ):
                return False
            lot_ids.add(lot_id)
            source, dest = _key(line, "source"), _key(line, "dest")
            if (
                source == dest
                or len(quants_cache[source]) > 1
                or len(quants_cache[dest]) > 1
                or quants_cache[source[:2] + (False,) + source[3:]]
                or quants_cache[dest[:2] + (False,) + dest[3:]]
            ):
                return False
            locations.update((line.location_id, line.location_dest_id))
        quant_model = self.env["stock.quant"]
        return all(
            quant_model._get_removal_strategy(product, location) != "least_packages"
            for location in locations
        )


def _lock_quants(cr, ids):
    """Lock these quants as Odoo's ``_update_available_quantity`` locks the one it updates
    (FOR NO KEY UPDATE SKIP LOCKED); return the ids locked (not those another transaction
    holds)."""
    if not ids:
        return set()
    cr.execute(
        "SELECT id FROM stock_quant WHERE id IN %s FOR NO KEY UPDATE SKIP LOCKED", [tuple(ids)]
    )
    return {row[0] for row in cr.fetchall()}


def _key(line, end):
    """Odoo's quants' cache key of a line's serial at its source or destination."""
    if end == "source":
        return (
            line.product_id.id,
            line.location_id.id,
            line.lot_id.id,
            line.package_id.id,
            line.owner_id.id,
        )
    return (
        line.product_id.id,
        line.location_dest_id.id,
        line.lot_id.id,
        line.result_package_id.id,
        line.owner_id.id,
    )


class _QuantPlan:
    """The quants of one product's serial lines, moved as Odoo's
    ``stock.quant._update_available_quantity`` moves them, call by call, in memory."""

    def __init__(self, env, product, quants_cache, state, now):
        self.env = env
        self.product = product
        self.rounding = product.uom_id.rounding
        self.cache = quants_cache
        self.base_state = state
        self.now = now
        self.state = {}
        self.creates = []
        self.calls = {}

    def _values(self, quant):
        if quant not in self.state:
            self.state[quant] = dict(
                self.base_state.get(quant)
                or {
                    "quantity": quant.quantity,
                    "reserved_quantity": quant.reserved_quantity,
                    "in_date": quant.in_date,
                }
            )
        return self.state[quant]

    def _in_date(self, location, quant, in_date=None):
        """Odoo's date of a quant that is updated: the oldest of the given date and, where
        reservation counts, the quant's own while it holds units."""
        dates = []
        if quant and not location.should_bypass_reservation():
            values = self._values(quant)
            if (
                values["in_date"]
                and float_compare(values["quantity"], 0, precision_rounding=self.rounding) > 0
            ):
                dates.append(values["in_date"])
        if in_date:
            dates.append(in_date)
        return min(dates) if dates else self.now

    def add(self, line, locked):
        """Plan the three calls of this line; False when it cannot be planned (then none of the
        product's lines are)."""
        source = self.cache[_key(line, "source")]
        dest = self.cache[_key(line, "dest")]
        if any(quant.id not in locked for quant in source | dest):
            return False
        quantity = line.quantity_product_uom
        calls = []
        # 1. Unreserve at the source, unless the move does not reserve there.
        if not line.move_id._should_bypass_reservation(line.location_id):
            if not source:
                return False  # Odoo would make a quant of reserved units only
            values = self._values(source)
            values["in_date"] = self._in_date(line.location_id, source)
            values["reserved_quantity"] -= quantity
        calls.append((("reserved", line.location_id.id), (0, False)))
        # 2. Take from the source.
        in_date = self._in_date(line.location_id, source)
        if source:
            values = self._values(source)
            values["in_date"] = in_date
            values["quantity"] -= quantity
            available = values["quantity"] - values["reserved_quantity"]
        else:
            self.creates.append(
                (self._create_values(line, "source", -quantity, in_date), _key(line, "source"))
            )
            available = -quantity
        if float_compare(
            available, 0, precision_rounding=self.rounding
        ) < 0 and not line.move_id._should_bypass_reservation(line.location_id):
            return False  # Odoo would free other lines' reservations of it
        calls.append((("available", line.location_id.id), (available, in_date)))
        # 3. Put at the destination, dated as the units left the source.
        dest_date = self._in_date(line.location_dest_id, dest, in_date)
        if dest:
            values = self._values(dest)
            values["in_date"] = dest_date
            values["quantity"] += quantity
            dest_available = values["quantity"] - values["reserved_quantity"]
        else:
            self.creates.append(
                (self._create_values(line, "dest", quantity, dest_date), _key(line, "dest"))
            )
            dest_available = quantity
        calls.append((("available", line.location_dest_id.id), (dest_available, dest_date)))
        calls.reverse()  # Odoo's loop makes them in order: each is popped from the end
        self.calls[line.id] = calls
        return True

    def _create_values(self, line, end, quantity, in_date):
        product, location, lot, package, owner = _key(line, end)
        return {
            "product_id": product,
            "location_id": location,
            "lot_id": lot,
            "package_id": package or False,
            "owner_id": owner or False,
            "in_date": in_date,
            "quantity": quantity,
        }
