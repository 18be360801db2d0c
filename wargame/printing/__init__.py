"""Printing: counter sheets, PNG faces, charts and booklets, drawn with reportlab.

Everything here sits on top of the model; importing it pulls in reportlab, so the fast
commands never do.
"""
