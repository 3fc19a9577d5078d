# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Genealogy of serials: what a produced unit contains, and what a component went into.

It is read from Odoo's own links between the move lines of a manufacturing order (a finished
line's ``consume_line_ids`` are the component lines it consumed), one query per level whatever
the number of serials. A unit counts the components of its last production, unless it was
taken apart by an unbuild since (its components are back in stock, or in other units).
"""

from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# A negative operator and its positive form: the negation is searched as "not" of the other.
NEGATIONS = {"not in": "in", "not ilike": "ilike"}

# Fields read from the move lines' links, not stored: computed again after a production or an
# unbuild has linked lines in this transaction.
GENEALOGY_FIELDS = [
    "component_lot_ids",
    "produced_lot_ids",
    "component_count",
    "produced_in_count",
    "serial_production_id",
]

# Levels followed at most (sub-assemblies of sub-assemblies...): a guard against a loop in data.
MAX_LEVELS = 20


class StockLot(models.Model):
    _inherit = "stock.lot"

    component_lot_ids = fields.Many2many(
        "stock.lot",
        string="Components",
        compute="_compute_serial_genealogy",
        search="_search_component_lot_ids",
        help="The serials consumed into this unit when it was produced. Searching finds the "
        "units that contain a serial, at any level.",
    )
    produced_lot_ids = fields.Many2many(
        "stock.lot",
        string="Used In",
        compute="_compute_serial_genealogy",
        search="_search_produced_lot_ids",
        help="The units this serial went into. Searching finds the components of a unit, at "
        "any level.",
    )
    component_count = fields.Integer(
        string="Components (all levels)", compute="_compute_serial_genealogy_counts"
    )
    produced_in_count = fields.Integer(
        string="Used In (all levels)", compute="_compute_serial_genealogy_counts"
    )
    serial_production_id = fields.Many2one(
        "mrp.production",
        string="Produced By",
        compute="_compute_serial_production_id",
        search="_search_serial_production_id",
        help="The manufacturing order that produced this unit.",
    )

    @api.model
    def _serial_genealogy_changed(self):
        """Move lines were linked or produced: the genealogy read before is stale."""
        self.invalidate_model(GENEALOGY_FIELDS, flush=False)

    # ------------------------------------------------------------------
    # One level of links, for many serials at once
    # ------------------------------------------------------------------

    def _serial_genealogy_links(self, direction):
        """``{serial id: {linked serial ids}}``: with ``direction`` "down" the components of
        these units, "up" the units these serials went into; one query."""
        if not self.ids:
            return {}
        return self._serial_genealogy_query(direction, self.ids)

    @api.model
    def _serial_genealogy_query(self, direction, ids=None):
        """The links of the serials ``ids`` (all serials when None), as
        ``_serial_genealogy_links`` gives them."""
        self.env.flush_all()
        column = SQL("fin.lot_id") if direction == "down" else SQL("comp.lot_id")
        where = SQL("%s = ANY(%s)", column, list(ids)) if ids is not None else SQL("TRUE")
        query = SQL(
            """
            SELECT fin.lot_id, comp.lot_id
              FROM stock_move_line_consume_rel rel
              JOIN stock_move_line fin ON fin.id = rel.consume_line_id
              JOIN stock_move fin_move ON fin_move.id = fin.move_id
              JOIN stock_move_line comp ON comp.id = rel.produce_line_id
              JOIN stock_move comp_move ON comp_move.id = comp.move_id
             WHERE %(where)s
               AND fin.state = 'done' AND comp.state = 'done'
               AND fin.lot_id IS NOT NULL AND comp.lot_id IS NOT NULL
               AND fin_move.production_id IS NOT NULL
               AND comp_move.raw_material_production_id IS NOT NULL
               -- not taken apart since: no later unbuild of the unit
               AND NOT EXISTS (
                    SELECT 1
                      FROM stock_move_line unbuilt
                      JOIN stock_move unbuilt_move ON unbuilt_move.id = unbuilt.move_id
                      JOIN stock_location unbuilt_dest ON unbuilt_dest.id = unbuilt.location_dest_id
                     WHERE unbuilt.lot_id = fin.lot_id
                       AND unbuilt_dest.usage = 'production'
                       AND unbuilt.state = 'done'
                       AND unbuilt_move.unbuild_id IS NOT NULL
                       AND unbuilt.id > fin.id
               )
               -- the unit's last production only
               AND NOT EXISTS (
                    SELECT 1
                      FROM stock_move_line later
                      JOIN stock_move later_move ON later_move.id = later.move_id
                     WHERE later.lot_id = fin.lot_id
                       AND later.state = 'done'
                       AND later_move.production_id IS NOT NULL
                       AND later.id > fin.id
               )
            """,
            where=where,
        )
        self.env.cr.execute(query)
        links = defaultdict(set)
        for finished, component in self.env.cr.fetchall():
            if direction == "down":
                links[finished].add(component)
            else:
                links[component].add(finished)
        return links

    def _serial_genealogy_reach(self, direction):
        """``{serial id: {ids linked at any level}}`` for each of these serials (not itself):
        one query per level for all of them together."""
        reach = {lot_id: set() for lot_id in self.ids}
        frontier = {lot_id: {lot_id} for lot_id in self.ids}
        for _level in range(MAX_LEVELS):
            ids = set().union(*frontier.values()) if frontier else set()
            if not ids:
                break
            links = self.browse(ids)._serial_genealogy_links(direction)
            next_frontier = {}
            for start, nodes in frontier.items():
                found = set().union(*(links.get(node, ()) for node in nodes)) - reach[start]
                found.discard(start)
                if found:
                    reach[start] |= found
                    next_frontier[start] = found
            frontier = next_frontier
        return reach

    def _serial_genealogy_all(self, direction):
        """The serials linked to these at any level (not these themselves): one query per
        level."""
        reach = self._serial_genealogy_reach(direction)
        found = set().union(*reach.values()) if reach else set()
        return self.browse(found - set(self.ids))

    def _serial_readable_ids(self, ids):
        """Those of ``ids`` the user may read (a shared serial can link to another company's)."""
        return set(self.browse(ids)._filtered_access("read").ids)

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_serial_genealogy(self):
        # sudo: genealogy is read from move lines the user may not read; only the serials the
        # user may read are shown.
        lots = self.sudo()
        down = lots._serial_genealogy_links("down")
        up = lots._serial_genealogy_links("up")
        readable = self._serial_readable_ids(set().union(*down.values(), *up.values()))
        for lot in self:
            lot.component_lot_ids = self.browse(sorted(down.get(lot.id, set()) & readable))
            lot.produced_lot_ids = self.browse(sorted(up.get(lot.id, set()) & readable))

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_serial_genealogy_counts(self):
        lots = self.sudo()
        down = lots._serial_genealogy_reach("down")
        up = lots._serial_genealogy_reach("up")
        readable = self._serial_readable_ids(set().union(*down.values(), *up.values()))
        for lot in self:
            lot.component_count = len(down.get(lot.id, set()) & readable)
            lot.produced_in_count = len(up.get(lot.id, set()) & readable)

    def _search_genealogy(self, operator, value, direction):
        if operator == "!=" and value is not False:
            return ["!", *self._search_genealogy("=", value, direction)]
        if operator in NEGATIONS:
            # "not in", "!=", "not ilike": the serials the positive form does not find.
            positive = self._search_genealogy(NEGATIONS[operator], value, direction)
            return ["!", *positive]
        if operator in ("!=", "=") and value is False:
            # Serials with (or without) links that way: "up" finds the units containing
            # something, so a unit has components when it is a key of the "down" links.
            links = self._serial_genealogy_query("down" if direction == "up" else "up")
            return [("id", "in" if operator == "!=" else "not in", list(links))]
        if operator == "any":
            targets = self.search(value)
        elif operator == "ilike" or (operator in ("=", "in") and isinstance(value, str)):
            # Typed in the search bar: serials whose number holds the text.
            targets = self.search([("name", "ilike", value)])
        elif operator in ("=", "in"):
            ids = value if isinstance(value, (list, tuple)) else [value]
            if ids and all(isinstance(item, str) for item in ids):
                targets = self.search([("name", "in", list(ids))])
            else:
                targets = self.browse([item for item in ids if item])
        else:
            raise UserError(_("Serials cannot be searched by their genealogy with %s.", operator))
        related = targets.sudo()._serial_genealogy_all(direction)
        return [("id", "in", related.ids)]

    def _search_component_lot_ids(self, operator, value):
        # Units containing the given serials: follow the links up from them.
        return self._search_genealogy(operator, value, "up")

    def _search_produced_lot_ids(self, operator, value):
        # Components of the given units: follow the links down from them.
        return self._search_genealogy(operator, value, "down")

    # ------------------------------------------------------------------
    # Origin: the manufacturing order
    # ------------------------------------------------------------------

    def _serial_production_lines(self):
        """``{serial id: manufacturing order id}``: the order that last produced each."""
        if not self.ids:
            return {}
        self.env.flush_all()
        lines = (
            self.env["serial.status"]
            .sudo()
            ._last_lines(
                self,
                SQL(
                    "EXISTS (SELECT 1 FROM stock_move move"
                    " WHERE move.id = ml.move_id AND move.production_id IS NOT NULL)"
                ),
            )
        )
        return {lot_id: line.move_id.production_id.id for lot_id, line in lines.items()}

    def _serial_unbuilt_ids(self):
        """Ids of these serials whose last move was their unbuild (taken apart: the unit may
        be produced again)."""
        if not self.ids:
            return set()
        self.env.flush_all()
        lines = self.env["serial.status"].sudo()._last_done_lines(self)
        return {
            lot_id
            for lot_id, line in lines.items()
            if line.move_id.unbuild_id and line.location_dest_id.usage == "production"
        }

    def _compute_serial_production_id(self):
        productions = self.sudo()._serial_production_lines()
        for lot in self:
            lot.serial_production_id = productions.get(lot.id, False)

    def _search_serial_production_id(self, operator, value):
        if operator == "!=" and value is not False:
            return ["!", *self._search_serial_production_id("=", value)]
        if operator in NEGATIONS:
            return ["!", *self._search_serial_production_id(NEGATIONS[operator], value)]
        if operator in ("!=", "=") and value is False:
            self.env.flush_all()
            self.env.cr.execute(
                """
                SELECT DISTINCT ml.lot_id
                  FROM stock_move_line ml
                  JOIN stock_move move ON move.id = ml.move_id
                 WHERE ml.lot_id IS NOT NULL AND ml.state = 'done'
                   AND move.production_id IS NOT NULL
                """
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            return [("id", "not in" if operator == "=" else "in", ids)]
        if operator == "ilike" or (operator in ("=", "in") and isinstance(value, str)):
            productions = self.env["mrp.production"].search([("name", "ilike", value)])
        elif operator in ("=", "in"):
            productions = self.env["mrp.production"].browse(
                value if isinstance(value, (list, tuple)) else [value]
            )
        else:
            raise UserError(_("Serials cannot be searched by their order with %s.", operator))
        produced = self.sudo().search([("serial_production_id", "!=", False)])
        productions_of = produced._serial_production_lines()
        wanted = set(productions.ids)
        return [("id", "in", [lot for lot, order in productions_of.items() if order in wanted])]

    # ------------------------------------------------------------------
    # Actions (smart buttons)
    # ------------------------------------------------------------------

    def _serial_genealogy_action(self, lots, name):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serial_tracking.action_serial_inventory"
        )
        action.update(
            name=name,
            domain=[("id", "in", lots.ids)],
            context={"create": 0},
        )
        return action

    def action_view_serial_components(self):
        self.ensure_one()
        return self._serial_genealogy_action(
            self.sudo()._serial_genealogy_all("down").with_env(self.env),
            _("Components of %(serial)s", serial=self.name),
        )

    def action_view_serial_produced(self):
        self.ensure_one()
        return self._serial_genealogy_action(
            self.sudo()._serial_genealogy_all("up").with_env(self.env),
            _("Units containing %(serial)s", serial=self.name),
        )
