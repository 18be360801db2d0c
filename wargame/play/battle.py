"""A battle as a person describes it (units by name, terrain, named modifiers, ad hoc shifts
and DRMs), turned into the engine's Combat for any table or procedure stage.

Shared by `wargame resolve` and the play-by-post rulings sheet, so a ruling is resolved
exactly as the same battle typed on the command line.
"""

from __future__ import annotations

import re
from fractions import Fraction

from wargame.engine.combat import Combat, Contribution, Modifier, UnitKind
from wargame.engine.effects import Engaged
from wargame.engine.tables import Table
from wargame.errors import UsageError


_AD_HOC = re.compile(r"^\s*([+-]?\d+)\s*(?::\s*(.+))?$")
_UNIT_TIMES = re.compile(r"x(\d+(?:\.\d+)?)(?:/(\d+))?")
_UNIT_ADD = re.compile(r"[+-]\d+(?:\.\d+)?")


def _number(text: str, query: str) -> Fraction:
    value = Fraction(text)
    if abs(value) > 99:
        raise UsageError(f'"{query}": expected a number of at most 99, found {text}')
    return value


def _ad_hoc(values, kind: str) -> list[Modifier]:
    out = []
    for value in values:
        match = _AD_HOC.match(value)
        if not match:
            raise UsageError(f'--{kind}: expected a whole number and an optional reason, like '
                             f'"+1:river crossing", found "{value}"')
        amount = int(match[1])
        reason = match[2] or f"ad hoc {kind}"
        out.append(Modifier(reason, **{"shift" if kind == "shift" else "drm": amount}))
    return out


def unit_kind(catalog, unit) -> UnitKind:
    """What a unit is, for modifiers that apply to some units only."""
    faction = catalog.factions[unit.faction]
    return UnitKind(unit.faction, faction.side or faction.id, unit.type,
                    catalog.types[unit.type].domain)


class Battle:
    """The combat described by the options, turned into a Combat for any table."""

    def __init__(self, session, attackers, defenders, attack, defend, stage_strengths,
                 terrain_name, mods, shifts, drms, columns, no_retreat, map_terrain=()):
        self.session = session
        catalog = session.catalog if (attackers or defenders) else None
        self.catalog = catalog
        rules = session.rules
        attacking = [self._engaged(q, rules) for q in attackers]
        defending = [self._engaged(q, rules) for q in defenders]
        self.attackers = [e for e, _ in attacking]
        self.defenders = [e for e, _ in defending]
        # each unit's own modifiers (":x2", ":+1", ":point-blank"), by the unit's place
        self.own = {("a", i): mods for i, (_, mods) in enumerate(attacking)}
        self.own.update({("d", i): mods for i, (_, mods) in enumerate(defending)})
        self.attack, self.defend = attack, defend
        self.stage_strengths = dict(self._stage_strength(s) for s in stage_strengths)
        from wargame.query import find_one

        # -t may be given several times (a mountain hex behind a river): a name or a list
        names = [terrain_name] if isinstance(terrain_name, str) else list(terrain_name or ())
        self.terrains = [(find_one(n, rules.terrain, lambda t: (t.id, t.name), "terrain"), "")
                         for n in names]
        # terrain read from the map: (id, where), named in the explanation
        self.terrains += [(rules.terrain[t], where) for t, where in map_terrain
                          if t in rules.terrain]

        self.mods = [find_one(m, rules.modifiers, lambda x: (x.id, x.text), "modifier")
                     for m in mods]
        self.extra = _ad_hoc(shifts, "shift") + _ad_hoc(drms, "drm")
        self.columns = {}
        for value in columns:
            stage, _, name = value.rpartition("=")
            self.columns[stage or None] = name
        self.no_retreat = no_retreat

    def _engaged(self, query: str, rules) -> tuple[Engaged, tuple[Modifier, ...]]:
        """A unit as typed: ``ID[:r][:x2][:+1][:MODIFIER]``: its reduced side, and what
        changes its strength alone."""
        from wargame.loading.rules import modifier_from
        from wargame.query import find_unit

        reduced, mods = False, []
        while ":" in query:
            head, _, suffix = query.rpartition(":")
            word = suffix.strip().lower()
            if word in ("r", "reduced"):
                reduced = True
            elif (match := _UNIT_TIMES.fullmatch(word)) is not None:
                factor = _number(match[1], query) / (_number(match[2], query) if match[2]
                                                     else 1)
                if not 0 < factor <= 10:
                    raise UsageError(f'"{query}": a multiplier above 0 and at most 10, found '
                                     f"x{match[0][1:]}")
                mods.append(Modifier("ad hoc", attack_multiplier=factor,
                                     defence_multiplier=factor))
            elif _UNIT_ADD.fullmatch(word):
                amount = _number(word, query)
                mods.append(Modifier("ad hoc", attack_add=amount, defence_add=amount))
            elif word in rules.modifiers:
                mods.append(modifier_from(rules.modifiers[word]))
            else:
                break
            query = head
        unit = find_unit(self.catalog, query)
        if reduced and unit.reduced is None:
            raise UsageError(f"{unit.id} has no reduced side (it is a one-step unit)")
        return Engaged(unit, reduced), tuple(reversed(mods))

    @staticmethod
    def _stage_strength(text: str):
        match = re.fullmatch(r"([a-z0-9_-]+)=(\d+):(\d+)", text.strip())
        if not match:
            raise UsageError(f'--strength: expected STAGE=ATTACK:DEFENCE like "air=6:4", '
                             f'found "{text}"')
        return match[1], (int(match[2]), int(match[3]))

    def _side(self, engaged: list[Engaged], own: list[tuple[Modifier, ...]], factor: str,
              ad_hoc, table: Table, strict: bool) -> tuple[Contribution, ...]:
        parts = []
        for e, mods in zip(engaged, own):
            values = e.unit.reduced if e.reduced else e.unit.factors
            if factor not in values:
                if strict:
                    scheme = self.catalog.scheme_of(e.unit)
                    raise UsageError(
                        f'{e.unit.id} has no "{factor}" factor, which table "{table.id}" reads '
                        f"(its factors are {', '.join(scheme.factors)}); choose another table")
                continue
            parts.append(Contribution(e.unit.id + (" reduced" if e.reduced else ""),
                                      values[factor], mods, unit_kind(self.catalog, e.unit)))
        if ad_hoc is not None:
            parts.append(Contribution("ad hoc", ad_hoc))
        return tuple(parts)

    def combat(self, table: Table, stage_id: str | None = None, reverse: bool = False,
               strict: bool = True) -> Combat:
        """The Combat for ``table`` (one stage of a procedure when ``stage_id`` is given)."""
        from wargame.loading.rules import modifier_from

        spec = table.spec
        attackers, defenders = self.attackers, self.defenders
        a_own = [self.own[("a", i)] for i in range(len(attackers))]
        d_own = [self.own[("d", i)] for i in range(len(defenders))]
        attack, defend = self.attack, self.defend
        if stage_id in self.stage_strengths:
            attack, defend = self.stage_strengths[stage_id]
            attackers, defenders = [], []
        elif reverse:
            attackers, defenders, attack, defend = defenders, attackers, defend, attack
            a_own, d_own = d_own, a_own
        attack_parts = self._side(attackers, a_own, spec.attack_factor, attack, table, strict)
        defence_parts = self._side(defenders, d_own, spec.defence_factor, defend, table, strict)
        if spec.kind != "choice" and not attack_parts:
            where = f' in stage "{stage_id}"' if stage_id else ""
            raise UsageError(f"no attack strength{where} for table \"{table.id}\": name units "
                             f"with a \"{spec.attack_factor}\" factor, or give --attack"
                             + (f" or --strength {stage_id}=A:D" if stage_id else ""))
        if spec.kind in ("odds", "differential") and not defence_parts:
            raise UsageError(f'no defence strength for table "{table.id}": name defending '
                             "units or give --defend")
        modifiers = []
        for terrain, where in self.terrains:
            if not terrain.tables or table.id in terrain.tables:
                reason = f"terrain: {terrain.name}" + (f" ({where})" if where else "")
                modifiers.append(modifier_from(terrain, reason))
        for mod in self.mods:
            if not mod.tables or table.id in mod.tables:
                modifiers.append(modifier_from(mod))
        modifiers += self.extra
        column = self.columns.get(stage_id) or self.columns.get(None)
        return Combat(attack_parts, defence_parts, tuple(modifiers), column, self.no_retreat)

    def engaged_for(self, table: Table, reverse: bool = False):
        """(attackers, defenders) that fight on ``table``: units carrying its factors."""
        attackers, defenders = ((self.defenders, self.attackers) if reverse
                                else (self.attackers, self.defenders))

        def fighting(engaged, factor):
            return [e for e in engaged if factor in e.unit.factors]

        return (fighting(attackers, table.spec.attack_factor),
                fighting(defenders, table.spec.defence_factor))


def force_of(engaged: list[Engaged], ad_hoc: str | None, side: str):
    """Men, tanks and guns of one side: the units' historical strength plus any ad hoc."""
    from wargame.engine.attrition import Force

    men = tanks = guns = 0
    for e in engaged:
        strength = e.unit.strength
        share = 0.5 if e.reduced else 1.0  # a reduced unit has lost about half its strength
        men += round((strength.men or 0) * share)
        tanks += round((strength.tanks or 0) * share)
        guns += round((strength.guns or 0) * share)
    if ad_hoc:
        parts = ad_hoc.replace(" ", "").split(",")
        if len(parts) > 3 or not all(p.isdigit() for p in parts):
            raise UsageError(f'--{side}-force: expected MEN[,TANKS[,GUNS]] like "12000,40", '
                             f'found "{ad_hoc}"')
        values = [int(p) for p in parts] + [0] * (3 - len(parts))
        men, tanks, guns = men + values[0], tanks + values[1], guns + values[2]
    if men + tanks + guns == 0:
        raise UsageError(f"the {side}er has no men, tanks or guns: name units with a "
                         f"historical strength or give --{side}-force")
    return Force(men, tanks, guns)
