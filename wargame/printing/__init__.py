"""Printing: counter sheets, PNG faces, charts and booklets, drawn with reportlab.

Everything here sits on top of the model; importing it pulls in reportlab, so the fast
commands never do.
"""

from reportlab import rl_config as _rl_config

# Streams are Flate-compressed and written as binary, not also wrapped in ASCII85 (reportlab's
# default, made for 7-bit mail): a quarter smaller, and PDF/X-1a takes binary streams.
_rl_config.useA85 = 0
