"""Combat results as structured data, and the classic notation they are usually typed in.

Standard codes parse into effects: ``AE`` ``DE`` (eliminated), ``AR`` ``DR2`` (retreat,
mandatory), ``BR`` (both retreat), ``EX`` (exchange), ``NE`` or ``-`` (no effect), ``A1``
``D2`` (step losses), ``1/2`` (attacker/defender steps), ``D1r2`` (lose 1 step and retreat
2 hexes or lose a step for each hex not retreated: retreat-or-lose).
"""

from __future__ import annotations

import re

import attrs

from wargame.fields import fld


@attrs.frozen
class Effect:
    """What a result does to one side."""

    steps: int = fld("Steps lost.", 0, min=0, max=20)
    eliminated: bool = fld("Every unit of the side is eliminated.", False)
    retreat: int = fld("Hexes to retreat.", 0, min=0, max=20)
    optional_retreat: bool = fld("Retreat-or-lose: each hex not retreated costs one step.",
                                 False)
    status: tuple[str, ...] = fld("Markers placed, e.g. 'disrupted'.", [],
                                  item_pattern=r"^[a-z][a-z0-9 _-]{0,31}$")
    advance: int = fld("Hexes the side may advance after combat.", 0, min=0, max=20)

    @property
    def is_empty(self) -> bool:
        return self == Effect()

    def describe(self) -> str:
        """Plain words, e.g. 'loses 1 step and retreats 2 hexes'."""
        parts = []
        if self.eliminated:
            parts.append("eliminated")
        if self.steps:
            parts.append(f"loses {self.steps} step{'s' if self.steps > 1 else ''}")
        if self.retreat:
            hexes = f"{self.retreat} hex{'es' if self.retreat > 1 else ''}"
            parts.append(f"retreats {hexes} or loses a step per hex not retreated"
                         if self.optional_retreat else f"retreats {hexes}")
        if self.status:
            parts.append("becomes " + ", ".join(self.status))
        if self.advance:
            parts.append(f"may advance {self.advance} hex{'es' if self.advance > 1 else ''}")
        return " and ".join(parts) if parts else "no effect"


_TERM = re.compile(r"([ADB])(E|\d+)?(?:(R)(\d*)|(r)(\d*))?")


def parse_standard(code: str) -> tuple[Effect, Effect, bool] | None:
    """Effects (attacker, defender, exchange) of a standard code, or None if not standard."""
    text = code.strip()
    if text.upper() in ("NE", "-", "—", "–", "0", "NO EFFECT"):
        return Effect(), Effect(), False
    if text.upper() == "EX":
        return Effect(), Effect(eliminated=True), True
    steps = re.fullmatch(r"(\d+)/(\d+)", text)
    if steps:
        return Effect(steps=int(steps[1])), Effect(steps=int(steps[2])), False
    sides = {"A": Effect(), "D": Effect()}
    position = 0
    text = text.replace("/", "")
    while position < len(text):
        match = _TERM.match(text, position)
        if not match or match.end() == position or (match[2] is None and not (match[3] or match[5])):
            return None
        side, amount, mandatory, mandatory_n, optional, optional_n = match.groups()
        changes = {}
        if amount == "E":
            changes["eliminated"] = True
        elif amount:
            changes["steps"] = int(amount)
        if mandatory:
            changes["retreat"] = int(mandatory_n or 1)
        if optional:
            changes.update(retreat=int(optional_n or 1), optional_retreat=True)
        for name in ("A", "D") if side == "B" else (side,):
            sides[name] = attrs.evolve(sides[name], **changes)
        position = match.end()
    return sides["A"], sides["D"], False


@attrs.frozen
class ResultDef:
    """One result code of a table's legend and what it does."""

    code: str
    text: str
    attacker: Effect = Effect()
    defender: Effect = Effect()
    exchange: bool = False
    blocked: str | None = None  # code that replaces this one when the retreat is blocked
    exchange_counts: str = "factors"  # or "steps": what the attacker's exchange loss matches
    events: tuple[str, ...] = ()  # what else happens, from the table's rules on the dice
    #: (unit type or domain, effect) for units the result treats apart, per side
    attacker_by_type: tuple[tuple[str, Effect], ...] = ()
    defender_by_type: tuple[tuple[str, Effect], ...] = ()

    def effect_for(self, side: str, unit_type: str, domain: str) -> Effect:
        """The effect on one unit of ``side`` ('attacker' or 'defender'): its type's, its
        domain's, or the side's."""
        special = dict(getattr(self, f"{side}_by_type"))
        if unit_type in special:
            return special[unit_type]
        return special.get(domain, getattr(self, side))

    def describe(self) -> str:
        """One line: 'DR2: Defender retreats 2 hexes'."""
        parts = []
        losses = attrs.evolve(self.attacker, advance=0)
        if not losses.is_empty:
            parts.append("attacker " + losses.describe())
        if not self.defender.is_empty:
            parts.append("defender " + self.defender.describe())
        for side in ("attacker", "defender"):
            for kind, effect in getattr(self, f"{side}_by_type"):
                parts.append(f"{side} {kind} units: {effect.describe()}")
        if self.exchange:
            parts.append("then the attacker loses " + (
                "as many steps as the defender lost" if self.exchange_counts == "steps" else
                "units worth at least the printed factors the defender lost"))
        if self.attacker.advance:
            parts.append("attacker " + Effect(advance=self.attacker.advance).describe())
        effect = "; ".join(parts) if parts else "no effect on units"
        line = f"{self.text} ({effect})" if self.text else effect
        return line + "".join(f"; and {event}" for event in self.events)
