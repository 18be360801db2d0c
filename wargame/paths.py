"""Where game data lives: the user's folder, ``$WARGAME_DATA``, or the bundled campaign.

The bundled campaign sits at the top of a clone (``units/``, ``rules/``, ``print/``) and is
copied into ``wargame/_data`` inside the wheel; both places are found the same way.
"""

from __future__ import annotations

import os
from pathlib import Path

from wargame.errors import DataError, Problem

ENV_VAR = "WARGAME_DATA"


def bundled_data_dir() -> Path:
    """The folder holding the bundled 1950 campaign."""
    package = Path(__file__).resolve().parent
    installed = package / "_data"
    if (installed / "units").is_dir():
        return installed
    clone = package.parent
    if (clone / "units").is_dir():
        return clone
    raise DataError(f"the bundled campaign is missing (looked in {installed} and {clone}); "
                    "reinstall wargame")


def resolve_data_dir(option: str | os.PathLike | None = None) -> Path:
    """The game folder to use: ``--data`` first, then ``$WARGAME_DATA``, then the bundled one."""
    chosen = option if option is not None else os.environ.get(ENV_VAR) or None
    if chosen is None:
        return bundled_data_dir()
    path = Path(chosen).expanduser()
    source = "--data" if option is not None else f"${ENV_VAR}"
    if not path.is_dir():
        raise DataError(Problem(str(path), "", f"{source}: expected a game folder, found "
                                f"{'a file' if path.exists() else 'nothing'}"))
    if not (path / "units").is_dir():
        raise DataError(Problem(str(path), "", f"{source}: expected a game folder with a "
                                "'units' subfolder, found none"))
    return path


def data_file(root: Path, part: str, name: str) -> Path:
    """A file in the user's folder, else the bundled default (layouts, fonts, texts)."""
    own = root / part / name
    if own.exists():
        return own
    return bundled_data_dir() / part / name
