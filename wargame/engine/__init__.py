"""The resolution engine: dice, rules tables, combat resolution and exact odds.

Nothing here knows about PDFs or the command line.
"""
