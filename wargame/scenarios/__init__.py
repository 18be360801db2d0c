"""Scenarios as data: who fights where and when (``model``), how a side wins (``victory``),
and the checks that hold a scenario to its units, tables, map and the series rules
(``load``)."""
