"""Lanchester-style attrition for forces counted in men, tanks and guns.

Square law (aimed fire): each side's losses grow with the enemy's strength. Linear law (area
fire): with the product of both strengths. Tanks and guns count as so many men of
firepower; losses are shared by each arm's share of that firepower. A die roll per side
scales the expected loss ("the luck of the day"); the variance table's multipliers are the
designer's, and the exact distribution of losses follows from the dice.
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from wargame.engine.dice import FaceSource, Roll, parse_dice
from wargame.engine.spec import AttritionSpec


@attrs.frozen
class Force:
    """One side's strength in men, tanks and guns."""

    men: int = 0
    tanks: int = 0
    guns: int = 0

    def firepower(self, model: AttritionSpec) -> float:
        return self.men + model.tank_weight * self.tanks + model.gun_weight * self.guns


@attrs.frozen
class Losses:
    men: int
    tanks: int
    guns: int

    def describe(self) -> str:
        return f"{self.men:,} men, {self.tanks} tanks, {self.guns} guns"


def expected_loss(model: AttritionSpec, own: Force, enemy: Force, rate: float,
                  days: float) -> float:
    """Expected loss of firepower for one side, before luck."""
    if model.law == "square":
        loss = rate * enemy.firepower(model) * days
    else:
        loss = rate * own.firepower(model) * enemy.firepower(model) / model.scale * days
    return min(loss, own.firepower(model))


def share_losses(model: AttritionSpec, force: Force, loss: float) -> Losses:
    """Split a firepower loss over men, tanks and guns by each arm's share of firepower."""
    total = force.firepower(model)
    if total <= 0 or loss <= 0:
        return Losses(0, 0, 0)
    fraction = min(1.0, loss / total)
    return Losses(min(force.men, round(force.men * fraction)),
                  min(force.tanks, round(force.tanks * fraction)),
                  min(force.guns, round(force.guns * fraction)))


def luck_table(model: AttritionSpec) -> dict[float, Fraction]:
    """Exact distribution of the loss multiplier."""
    dice = parse_dice(model.dice)
    out: dict[float, Fraction] = {}
    for total, p in dice.probabilities().items():
        multiplier = model.variance[list(dice.counts()).index(total)]
        out[multiplier] = out.get(multiplier, 0) + p
    return out


def multiplier_for(model: AttritionSpec, roll: Roll) -> float:
    dice = parse_dice(model.dice)
    return model.variance[list(dice.counts()).index(roll.total)]


@attrs.frozen
class AttritionResult:
    attacker_roll: Roll
    defender_roll: Roll
    attacker: Losses
    defender: Losses


def fight(model: AttritionSpec, attacker: Force, defender: Force, days: float,
          attacker_faces: FaceSource, defender_faces: FaceSource) -> AttritionResult:
    """One engagement: expected losses, scaled by each side's roll on the luck table."""
    dice = parse_dice(model.dice)
    a_expected = expected_loss(model, attacker, defender, model.attacker_rate, days)
    d_expected = expected_loss(model, defender, attacker, model.defender_rate, days)
    a_roll, d_roll = dice.roll(attacker_faces), dice.roll(defender_faces)
    return AttritionResult(
        a_roll, d_roll,
        share_losses(model, attacker, a_expected * multiplier_for(model, a_roll)),
        share_losses(model, defender, d_expected * multiplier_for(model, d_roll)))


def loss_distribution(model: AttritionSpec, own: Force, enemy: Force, rate: float,
                      days: float) -> dict[Losses, Fraction]:
    """Exact distribution of one side's losses."""
    expected = expected_loss(model, own, enemy, rate, days)
    out: dict[Losses, Fraction] = {}
    for multiplier, p in luck_table(model).items():
        losses = share_losses(model, own, expected * multiplier)
        out[losses] = out.get(losses, 0) + p
    return out
