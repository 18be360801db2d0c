"""Why an order cannot be carried out: the case of the rules it breaks and what would be
legal instead."""

from __future__ import annotations

from wargame.errors import UsageError


class Refusal(UsageError):
    """An order the rules do not allow. ``case`` is the series-rules case ("5.2"); ``legal``
    says what the player could order instead."""

    def __init__(self, case: str, message: str, legal: str = ""):
        self.case, self.reason, self.legal = case, message, legal
        super().__init__(self.text())

    def text(self) -> str:
        out = f"{self.case}: {self.reason}"
        return out + (f"; {self.legal}" if self.legal else "")

    def as_record(self) -> dict:
        return {"case": self.case, "reason": self.reason, "legal": self.legal}
