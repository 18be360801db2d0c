"""wargame: print counters, resolve combat and adjudicate play-by-post hex-and-counter wargames.

The package is layered the way python-chess is: ``wargame.model`` and ``wargame.engine`` know
nothing of PDFs or the command line; ``wargame.printing`` draws on top of the model and
``wargame.cli`` wires everything to click.
"""

__version__ = "0.1.0"
