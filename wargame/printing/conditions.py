"""The printing conditions a print-shop file may name as its PDF/X output intent.

Plain data, without reportlab: the command line offers these names on every start.
"""

from __future__ import annotations

import attrs


@attrs.frozen
class OutputCondition:
    """A characterised printing condition of the ICC registry, as a PDF/X output intent
    names it."""

    identifier: str
    description: str
    registry: str = "http://www.color.org"


#: The conditions a shop may name: offset on coated paper in Europe (FOGRA39, FOGRA51) and
#: in North America (SWOP, GRACoL). FOGRA39 is the one most digital and offset printers of
#: game components in Europe and Asia take as their default.
CONDITIONS = {
    "fogra39": OutputCondition("FOGRA39", "Coated FOGRA39 (ISO 12647-2:2004)"),
    "fogra51": OutputCondition("FOGRA51", "PSO Coated v3 (ISO 12647-2:2013)"),
    "swop": OutputCondition("CGATS TR 001", "SWOP (CGATS TR 001-1995), coated #5"),
    "gracol": OutputCondition("CGATS TR 006", "GRACoL 2006 Coated #1 (CGATS TR 006)"),
}
DEFAULT_CONDITION = "fogra39"
