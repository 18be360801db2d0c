"""One order round, carried out by the rules: the phases of the sequence of play that belong
to it, each side's orders checked and executed in them, dice rolled where a phase needs
them, and every change written as an event.

The work is a pure function of the state, the orders, the umpire's rulings and the dice
key: :func:`run_round` gives the same events every time, so the game record's verifier
re-runs it and demands exactly the events recorded. Without a key (``dice=None``) it is a
dry run: the orders are checked and every attack's odds are shown, but nothing is rolled
(the lock uses it to put the round on the rulings sheet).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import attrs

from wargame.engine.combat import distribution, prepare, resolve
from wargame.maps.hexgrid import Hex, hex_id, parse_hex
from wargame.play.combat import Attack, battle_combat, check_attack, scenario_modifiers
from wargame.play.gunfire import fired, gunfire
from wargame.play.orders import Order, Orders, parse_orders
from wargame.play.position import POOL, Piece
from wargame.play.refusal import Refusal
from wargame.play.rules import Phase, PlayRules
from wargame.play.state import PlayState, apply, control_record
from wargame.play.theatre import Theatre
from wargame.play.zoc import BLOCKING, stacking_excess

DiceSource = Callable[[str], object]  # label -> a FaceSource


def rounds_of(play: PlayRules) -> list[tuple[str, tuple[Phase, ...]]]:
    """The order rounds of a turn: (the player whose round it is, its phases). A round
    starts at each movement phase; phases before the first belong to the first round."""
    out: list[tuple[str, list[Phase]]] = []
    pending: list[Phase] = []
    for phase in play.turn:
        if phase.kind == "movement":
            if out:
                out.append((phase.player, [phase]))
            else:
                out.append((phase.player, pending + [phase]))
                pending = []
        elif out:
            out[-1][1].append(phase)
        else:
            pending.append(phase)
    if not out:
        out.append(("first", pending))
    return [(player, tuple(phases)) for player, phases in out]


def round_letter(index: int) -> str:
    return "abcdefgh"[index]


@attrs.frozen
class RoundInput:
    """What a round is carried out from: the turn and round, each side's orders as typed,
    and the umpire's rulings (corrections and overrides) that were on the locked sheet."""

    turn: int
    round: int
    orders: Mapping[str, str]
    rulings: tuple[dict, ...] = ()


class Run:
    """A round being carried out. ``emit`` records an event and applies it to the working
    state, so the events and the state never disagree."""

    def __init__(self, theatre: Theatre, state: PlayState, inputs: RoundInput,
                 dice: DiceSource | None):
        self.theatre = theatre
        self.state = state.copy()
        self.inputs = inputs
        self.dice = dice
        self.events: list[tuple[str, dict]] = []
        self.previews: list[dict] = []
        self.turn = inputs.turn
        first, second = theatre.scenario.sides_in_order()
        self.players = {"first": first.id, "second": second.id}
        player, self.phases = rounds_of(theatre.play)[inputs.round]
        self.player = self.players[player]
        self.orders: dict[str, Orders] = {
            side: parse_orders(theatre, side, inputs.orders.get(side, ""))
            for side in theatre.sides()}
        self.overrides = {(r["side"], r["line"]): r["reason"] for r in inputs.rulings
                          if r.get("kind") == "override"}
        self.attacked: set[str] = set()
        self.moved: dict[str, set[str]] = {}
        self.done_lines: set[tuple[str, int]] = set()
        self.modifier_uses: dict[str, int] = {}
        self.combat_count = 0
        self.labels: dict[str, int] = {}
        self.landed_lines: set[int] = set()
        self.flown: set[str] = set()  # aircraft and transports that flew this round
        self.gunfire_used: dict[int, dict[str, int]] = {}  # phase index: ship: battles
        self.phase: Phase | None = None
        self.phase_index = -1

    # ---- recording ------------------------------------------------------------------------

    def emit(self, kind: str, body: dict) -> None:
        self.events.append((kind, body))
        apply(self.state, kind, body)

    def set_piece(self, piece: Piece, cause: dict) -> None:
        cause = {"phase": self.phase.kind if self.phase else "round", **cause}
        self.emit("unit-change", {"piece": piece.as_record(), "cause": cause})

    def move_piece(self, unit_id: str, path: list[Hex], cause: dict) -> None:
        piece = self.state.position[unit_id]
        self.set_piece(attrs.evolve(piece, hex=hex_id(path[-1]), box=""),
                       {**cause, "path": [hex_id(h) for h in path]})
        if self.theatre.domain(unit_id) in BLOCKING and self.theatre.play.control == "enter":
            self.take_control(piece.side, path[1:] if piece.hex else path)

    def take_control(self, side: str, hexes) -> None:
        changed = {hex_id(h): side for h in hexes
                   if self.theatre.is_land(h) and self.state.position.control.get(h) != side}
        if changed:
            self.emit("control", {"hexes": changed})

    def refuse(self, side: str, order: Order | None, refusal: Refusal, line: int = 0,
               text: str = "") -> None:
        self.emit("refused", {"side": side, "line": order.line if order else line,
                              "text": order.text if order else text, **refusal.as_record()})

    def overridden(self, side: str, order: Order) -> str | None:
        return self.overrides.get((side, order.line))

    def note(self, text: str, **extra) -> None:
        self.emit("note", {"text": text, **extra})

    def phase_key(self) -> int:
        """The phase being carried out, as a key for what may be done once a phase."""
        return self.phase_index

    def next_label(self, prefix: str) -> str:
        """A roll label unique in the game: T03a/N2 is the second naval roll of turn 3's
        first round."""
        self.labels[prefix] = self.labels.get(prefix, 0) + 1
        return f"T{self.turn:02d}{round_letter(self.inputs.round)}/{prefix}{self.labels[prefix]}"

    # ---- the round ------------------------------------------------------------------------

    def run(self) -> list[tuple[str, dict]]:
        self._corrections()
        for side in self.theatre.sides():
            orders = self.orders[side]
            for number, text, refusal in orders.errors:
                self.refuse(side, None, refusal, number, text)
            self._standing(side, orders)
            self._out_of_round(side, orders)
        for index, phase in enumerate(self.phases):
            self.phase, self.phase_index = phase, index
            player = self.players.get(phase.player)
            sides = [player] if player else [self.players["first"], self.players["second"]]
            self.emit("phase", {"phase": phase.kind, "sides": sides, "case": phase.case})
            getattr(self, "_" + phase.kind)(sides)
            if self.state.over:
                return self.events
        self.phase = None
        rounds = len(rounds_of(self.theatre.play))
        if self.inputs.round + 1 < rounds:
            self.emit("round-end", {"turn": self.turn, "round": self.inputs.round,
                                    "next_round": self.inputs.round + 1})
        else:
            self._end_of_turn()
        return self.events

    def _corrections(self) -> None:
        for ruling in self.inputs.rulings:
            if ruling.get("kind") != "correct":
                continue
            piece = self.state.position[ruling["unit"]]
            changed = attrs.evolve(
                piece, steps=ruling.get("steps", piece.steps),
                hex=ruling.get("hex", piece.hex), box=ruling.get("box", piece.box),
                markers=tuple(ruling.get("markers", piece.markers)))
            self.set_piece(changed, {"by": "correction", "reason": ruling["reason"]})

    def _standing(self, side: str, orders: Orders) -> None:
        standing = self.state.standing.get(side)
        losses = list(standing.losses) if standing else []
        retreats = dict(standing.retreats) if standing else {}
        changed = False
        for order in orders.of("losses"):
            losses, changed = list(order.units), True
            self.done_lines.add((side, order.line))
        for order in orders.of("retreat"):
            if order.path:
                retreats[order.unit] = {"via": [hex_id(h) for h in order.path]}
            else:
                retreats[order.unit] = {"toward": hex_id(order.to)}
            changed = True
            self.done_lines.add((side, order.line))
        if changed:
            self.emit("standing-orders", {"side": side, "losses": losses,
                                          "retreats": retreats})

    def _out_of_round(self, side: str, orders: Orders) -> None:
        """Orders that have no phase in this round for this side."""
        kinds = {(p.kind, self.players.get(p.player)) for p in self.phases}

        def has(kind: str, own: bool) -> bool:
            return any(k == kind and (who is None or who == side or not own)
                       for k, who in kinds)

        needs = {"move": ("movement", True), "attack": ("combat", True),
                 "exploit": ("exploitation", True), "air": ("air", False),
                 "enter": ("reinforcement", False), "call": ("reinforcement", False),
                 "embark": ("movement", True), "land": ("movement", True),
                 "drop": ("movement", True), "raid": ("combat", True)}
        for order in orders.orders:
            if order.verb not in needs:
                continue
            kind, own = needs[order.verb]
            ok = has(kind, own)
            if order.verb == "enter" and not ok:
                ok = has("movement", True)
            if not ok:
                whose = "your" if own else "the"
                self.refuse(side, order, Refusal("3.1", f"'{order.verb}' belongs to {whose} "
                                                 f"{kind} phase, which is not in this round",
                                                 "give it in the round of that phase"))
                self.done_lines.add((side, order.line))

    def _pending(self, side: str, *verbs: str) -> list[Order]:
        return [o for o in self.orders[side].of(*verbs)
                if (side, o.line) not in self.done_lines]

    # ---- A: reinforcements ------------------------------------------------------------------

    def _reinforcement(self, sides: list[str]) -> None:
        from wargame.play.arrivals import due, rolled_groups, where

        for side in sides:
            for order in self._pending(side, "call"):
                self.done_lines.add((side, order.line))
                entry = self.theatre.entries.get(order.unit)
                piece = self.state.position.pieces.get(order.unit)
                case = self.theatre.play.reinforcements.case
                if entry is None or not entry.called:
                    self.refuse(side, order, Refusal(case, f"{self.theatre.name(order.unit)} "
                                                     "is not a unit that is called"))
                elif self.turn < entry.turn:
                    self.refuse(side, order, Refusal(case, f"{self.theatre.name(order.unit)} "
                                                     f"may be called from turn {entry.turn}"))
                elif piece.box != POOL or order.unit in self.state.called:
                    self.refuse(side, order, Refusal(case, f"{self.theatre.name(order.unit)} "
                                                     "has been called already"))
                else:
                    self.emit("called", {"side": side, "unit": order.unit,
                                         "line": order.line})
            arriving = due(self.theatre, self.state, side, self.turn)
            for group in rolled_groups(self.theatre, self.state, side, self.turn):
                if self._arrival_roll(side, group):
                    arriving += group
            wanted = {o.unit: o for o in self._pending(side, "enter")
                      if self.state.position[o.unit].box == POOL}
            for entry in arriving:
                order = wanted.get(entry.unit)
                target = order.to if order else None
                try:
                    hex_, box = where(self.theatre, self.state.position, entry, target)
                except Refusal as refusal:
                    self.refuse(side, order, refusal)
                    hex_, box = where(self.theatre, self.state.position, entry, None)
                if order is not None:
                    self.done_lines.add((side, order.line))
                if box == POOL:
                    self.note(f"{self.theatre.name(entry.unit)} finds no hex to arrive in and "
                              "waits", unit=entry.unit)
                    continue
                piece = self.state.position[entry.unit]
                self.set_piece(attrs.evolve(piece, hex=hex_, box=box),
                               {"by": "arrival", "case": self.theatre.play.reinforcements.case})
                if hex_ and self.theatre.domain(entry.unit) in BLOCKING:
                    self.take_control(side, [parse_hex(hex_)])

    def _arrival_roll(self, side: str, group) -> bool:
        from wargame.engine.dice import parse_dice

        leader = group[0]
        spec = leader.roll
        label = f"T{self.turn:02d}{round_letter(self.inputs.round)}/arrival-{leader.group or leader.unit}"
        drm = 0
        if spec.drm_per_unit and spec.drm_box:
            count = sum(1 for p in self.state.position.pieces.values()
                        if p.box == spec.drm_box and self.theatre.in_class(p.unit, spec.drm_units))
            drm = spec.drm_per_unit * count
        if self.dice is None:
            self.previews.append({"label": label, "arrival": [e.unit for e in group],
                                  "needs": spec.at_least, "dice": spec.dice, "drm": drm})
            return False
        dice = parse_dice(spec.dice)
        roll = dice.roll(self.dice(label))
        success = roll.total + drm >= spec.at_least
        self.emit("roll", {"label": label, "kind": "arrival", "side": side, "dice": spec.dice,
                           "units": [e.unit for e in group], "faces": [list(f) for f in roll.faces],
                           "total": roll.total, "drm": drm, "needs": spec.at_least,
                           "result": "arrives" if success else "not yet"})
        return success

    # ---- B: air -----------------------------------------------------------------------------

    def _air(self, sides: list[str]) -> None:
        from wargame.play.air import air_phase

        air_phase(self, sides)

    # ---- C: movement ------------------------------------------------------------------------

    def _movement(self, sides: list[str], exploitation: bool = False) -> None:
        """Ships sail and troops land first (3.2), airborne units drop, the ground units
        move, and units embark at the end of their movement (10.1)."""
        from wargame.play.airborne import drop
        from wargame.play.moves import carry_out_move
        from wargame.play.sea import embark, land

        verb = "exploit" if exploitation else "move"
        for side in sides:
            moves = self._pending(side, verb) + ([] if exploitation else
                                                 self._pending(side, "enter"))
            naval = [o for o in moves if self.theatre.domain(o.unit) == "naval"]
            ground = [o for o in moves if o not in naval]
            for order in naval:
                self._each(side, order, lambda o: carry_out_move(self, side, o, exploitation))
            if not exploitation:
                landings = self._pending(side, "land")
                self.done_lines.update((side, o.line) for o in landings)
                land(self, side, landings)
                for order in self._pending(side, "drop"):
                    self._each(side, order, lambda o: drop(self, side, o))
            for order in ground:
                self._each(side, order, lambda o: carry_out_move(self, side, o, exploitation))
            if not exploitation:
                for order in self._pending(side, "embark"):
                    self._each(side, order, lambda o: embark(self, side, o))
            self._end_of_phase(side)

    def _each(self, side: str, order: Order, action) -> None:
        self.done_lines.add((side, order.line))
        try:
            action(order)
        except Refusal as refusal:
            self.refuse(side, order, refusal)

    def _exploitation(self, sides: list[str]) -> None:
        self._movement(sides, exploitation=True)

    # ---- D: combat --------------------------------------------------------------------------

    def _combat(self, sides: list[str]) -> None:
        from wargame.play.guerrilla import raid

        for side in sides:
            attacked_hexes: set[Hex] = set()
            attacked_units: set[str] = set()
            for order in self._pending(side, "raid"):
                self._each(side, order, lambda o: raid(self, side, o, attacked_units))
            for order in self._pending(side, "attack"):
                self._each(side, order, lambda o: self._attack(side, o, attacked_units,
                                                                attacked_hexes))
            self._end_of_phase(side)
            self._end_of_phase(self.theatre.enemy(side))

    def _attack(self, side: str, order: Order, attacked_units: set[str],
                attacked_hexes: set[Hex]) -> None:
        theatre = self.theatre
        position = self.state.position
        # a unit eliminated earlier in the round (by a strike, an earlier battle) drops
        # out of the attack; the others still attack
        attackers = [u for u in order.units if position[u].alive]
        gone = [u for u in order.units if u not in attackers]
        if not attackers:
            raise Refusal(theatre.play.combat.case, "every attacker of this order has been "
                          "eliminated earlier in the round")
        if gone:
            self.note(", ".join(theatre.name(u) for u in gone) + " was eliminated earlier in "
                      "the round and does not attack", line=order.line, side=side)
        if self.overridden(side, order):
            from wargame.play.combat import defenders_in

            defenders = defenders_in(theatre, position, order.to, side)
            if not defenders:
                raise Refusal(theatre.play.combat.case, f"no enemy unit stands in "
                              f"{hex_id(order.to)}")
        else:
            defenders = check_attack(theatre, position, side, attackers, order.to,
                                     attacked_units, attacked_hexes, self.turn)
        self.combat_count += 1
        label = f"T{self.turn:02d}{round_letter(self.inputs.round)}/C{self.combat_count}"
        table_id = theatre.play.combat.table
        if all(theatre.domain(d) == "guerrilla" for d in defenders) and \
                "guerrilla-sweep" in theatre.rules.tables:
            table_id = "guerrilla-sweep"
        attack = Attack(label, side, tuple(attackers), order.to, tuple(defenders), table_id,
                        tuple(order.advance), order.advance_to, tuple(order.using), order.line)
        for name in order.using:
            if name not in {m.modifier for r in theatre.scenario.special_rules
                            for m in r.modifiers if m.chosen and m.attacker == side}:
                raise Refusal(theatre.play.combat.case, f'"{name}" is not a modifier this '
                              "side may choose for an attack in this scenario")
        table = theatre.rules.tables[table_id]
        extra = scenario_modifiers(theatre, position, attack, self.turn, self.modifier_uses)
        extra += self._air_modifiers(attack, table_id)
        fire, ships = gunfire(self, side, order.to, table_id)
        prepared = prepare(table, battle_combat(theatre, position, attack, self.turn,
                                                extra + fire))
        from wargame.engine.combat import NO_ATTACK

        if prepared.automatic is NO_ATTACK:
            raise Refusal(theatre.play.combat.odds_case, f"the odds ({prepared.attack} to "
                          f"{prepared.defence}) are below the lowest column of the "
                          f"{table.spec.name}", "add attackers or pick a weaker hex")
        attacked_units.update(attackers)
        attacked_hexes.add(order.to)
        self.attacked.update(attackers)
        fired(self, ships)
        summary = {"label": label, "side": side, "line": order.line,
                   "attackers": list(attackers), "target": hex_id(order.to),
                   "defenders": list(defenders), "table": table_id,
                   "column": prepared.column_label, "shift": prepared.shift,
                   "drm": prepared.drm, "explanation": list(prepared.explanation)}
        if ships:
            summary["gunfire"] = ships
        if self.dice is None:
            odds = {r.code: f"{p.numerator}/{p.denominator}"
                    for r, p in distribution(prepared).items()}
            self.previews.append({**summary, "odds": odds})
            return
        resolution = resolve(prepared, self.dice(label))
        roll = resolution.roll
        from wargame.play.results import carry_out

        body = {**summary, "kind": "combat",
                "faces": [list(f) for f in roll.faces] if roll else [],
                "total": roll.total if roll else None, "modified": resolution.modified,
                "row": resolution.row, "result": resolution.result.code,
                "text": resolution.result.text,
                "explanation": list(resolution.explanation)}
        self.emit("roll", body)
        lines = carry_out(self, attack, resolution.result, label,
                          table.spec.blocked_retreat)
        if lines:
            self.emit("note", {"label": label, "text": "; ".join(lines)})

    def _air_modifiers(self, attack: Attack, table_id: str) -> list:
        from wargame.play.combat import _modifier

        air = self.state.air
        rules = self.theatre.play.air
        out = []
        if not air:
            return out
        target = hex_id(attack.target)
        enemy = self.theatre.enemy(attack.side)
        superiority = air.get("superiority", {})
        for side, modifier_id, reason in ((attack.side, rules.superiority_modifier,
                                           "air superiority"),
                                          (enemy, rules.enemy_modifier,
                                           "enemy air superiority")):
            if target in superiority.get(side, []) and modifier_id in self.theatre.rules.modifiers:
                modifier = _modifier(self.theatre, modifier_id,
                                     f"{reason} ({rules.superiority_case})")
                if _for_table(self.theatre, table_id, modifier_id):
                    out.append(modifier)
        support = air.get("support", {}).get(attack.side, [])
        if target in support and rules.support_modifier in self.theatre.rules.modifiers:
            modifier = _modifier(self.theatre, rules.support_modifier,
                                 f"close air support ({rules.support_case})")
            if _for_table(self.theatre, table_id, rules.support_modifier):
                out.append(modifier)
        return out

    # ---- G: supply --------------------------------------------------------------------------

    def _supply(self, sides: list[str]) -> None:
        from wargame.play.supply import supplied

        if self.theatre.map is None:
            return
        rules = self.theatre.play.supply
        for side in sides:
            cuts = frozenset(parse_hex(h) for h, by in self.state.cuts.items() if by != side)
            status = supplied(self.theatre, self.state.position, side, cuts)
            for unit_id, ok in status.items():
                piece = self.state.position[unit_id]
                if not piece.on_map:
                    continue
                if ok:
                    if piece.out_of_supply or "out of supply" in piece.markers:
                        self.set_piece(attrs.evolve(piece.unmarked("out of supply"),
                                                    out_of_supply=0),
                                       {"by": "supply", "case": rules.case,
                                        "text": "back in supply"})
                    continue
                count = piece.out_of_supply + 1
                self.set_piece(attrs.evolve(piece.marked("out of supply"),
                                            out_of_supply=count),
                               {"by": "supply", "case": rules.case, "text": "out of supply"})
                if rules.loss_after and count >= rules.loss_after:
                    from wargame.play.results import reduce

                    reduce(self, unit_id, 1, {"by": "supply", "case": rules.out_case,
                                              "text": f"out of supply {count} times in a row"})

    # ---- H: victory -------------------------------------------------------------------------

    def _victory(self, sides: list[str]) -> None:
        from wargame.play.victory import History, objective_hexes, standing

        if self.theatre.map is not None:
            hexes = objective_hexes(self.theatre).values()
            control = {h: s for h, s in self.state.position.control.items() if h in hexes}
            self.emit("history", {"turn": self.turn, "control": control_record(control)})
        final = self.turn >= self.theatre.scenario.turns
        history = History(self.state.control_history, frozenset(self.state.called))
        verdict = standing(self.theatre, self.state.position, history, self.turn, final,
                           self.state.hits)
        if verdict is not None:
            self.emit("game-over", {"turn": self.turn, **verdict.as_record()})

    def _end_of_phase(self, side: str) -> None:
        from wargame.play.results import eliminate_overstacked

        eliminate_overstacked(self, side, {"by": "stacking"})
        if self.theatre.play.control == "occupy" and self.theatre.map is not None:
            for piece in self.state.position.side_pieces(side):
                if piece.on_map and self.theatre.domain(piece.unit) in BLOCKING:
                    self.take_control(side, [piece.at])

    def _end_of_turn(self) -> None:
        lasting = ("aborted", "turned back", "scattered", "disrupted", "pinned")
        for piece in list(self.state.position.pieces.values()):
            if any(m in piece.markers for m in lasting):
                self.set_piece(attrs.evolve(piece, markers=tuple(
                    m for m in piece.markers if m not in lasting)),
                    {"by": "marker", "text": "the turn's markers come off"})
        self.emit("turn-end", {"turn": self.turn})


def _for_table(theatre: Theatre, table_id: str, modifier_id: str) -> bool:
    """Whether a named modifier applies on a table (modifiers list their tables)."""
    spec = theatre.rules.modifiers.get(modifier_id)
    return spec is None or not spec.tables or table_id in spec.tables


def run_round(theatre: Theatre, state: PlayState, inputs: RoundInput,
              dice: DiceSource | None) -> Run:
    """Carry out a round (or, without dice, check it); the Run holds the events."""
    run = Run(theatre, state, inputs, dice)
    run.run()
    return run


def stacking_report(theatre: Theatre, state: PlayState) -> list[str]:
    """Hexes over the stacking limit now (for checks and tests)."""
    out = []
    for hex_ in state.position.occupied_hexes():
        for side in theatre.sides():
            problem = stacking_excess(theatre, state.position, hex_, side)
            if problem:
                out.append(problem)
    return out

