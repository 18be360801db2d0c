"""``python -m wargame`` runs the command line."""

from wargame.cli import run

run()
