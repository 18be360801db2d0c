"""Longitude and latitude to map kilometres and hex units, and back.

Lambert conformal conic on a sphere of radius 6,371 km (shapes are true in the small, and
scale errors stay under 1% across a box of ten degrees of latitude with standard parallels
at its sixths). Pure arithmetic, so renderers and the loader need no geodesy library.
"""

from __future__ import annotations

import math

from wargame.maps.hexgrid import Hex, nearest_hex
from wargame.maps.model import MapInfo, Projection

EARTH_RADIUS_KM = 6371.0


class Lambert:
    """A Lambert conformal conic projection in kilometres.

    Standard parallels symmetric about the equator make the cone a cylinder: the formulas'
    limit, Mercator with true scale on the standard parallels, is used there (a box across
    the equator works like any other).
    """

    def __init__(self, projection: Projection):
        phi1, phi2 = math.radians(projection.lat_1), math.radians(projection.lat_2)
        phi0 = math.radians(projection.lat_0)
        self.lon_0 = math.radians(projection.lon_0)
        if abs(phi1 - phi2) < 1e-9:
            self.n = math.sin(phi1)
        else:
            self.n = (math.log(math.cos(phi1) / math.cos(phi2))
                      / math.log(math.tan(math.pi / 4 + phi2 / 2)
                                 / math.tan(math.pi / 4 + phi1 / 2)))
        self.mercator = abs(self.n) < 1e-9
        if self.mercator:
            self.n, self.f = 0.0, math.cos(phi1)
            self.rho_0 = EARTH_RADIUS_KM * self.f * math.log(math.tan(math.pi / 4 + phi0 / 2))
        else:
            self.f = math.cos(phi1) * math.tan(math.pi / 4 + phi1 / 2) ** self.n / self.n
            self.rho_0 = self._rho(phi0)

    def _rho(self, phi: float) -> float:
        return EARTH_RADIUS_KM * self.f / math.tan(math.pi / 4 + phi / 2) ** self.n

    def forward(self, lon: float, lat: float) -> tuple[float, float]:
        """Projected (x east, y north) in km."""
        return self.forward_arrays(math, lon, lat)

    def inverse(self, x: float, y: float) -> tuple[float, float]:
        """(lon, lat) in degrees of a projected point."""
        return self.inverse_arrays(_Scalar, x, y)

    def forward_arrays(self, np, lon, lat):
        """``forward`` over arrays (``np`` is numpy, or ``math`` for plain numbers)."""
        phi, lam = np.radians(lat), np.radians(lon) - self.lon_0
        if self.mercator:
            x = EARTH_RADIUS_KM * self.f * lam
            return x, EARTH_RADIUS_KM * self.f * np.log(np.tan(np.pi / 4 + phi / 2)) - self.rho_0
        rho = EARTH_RADIUS_KM * self.f / np.tan(np.pi / 4 + phi / 2) ** self.n
        theta = self.n * lam
        return rho * np.sin(theta), self.rho_0 - rho * np.cos(theta)

    def inverse_arrays(self, np, x, y):
        """``inverse`` over arrays (``np`` is numpy)."""
        if self.mercator:
            scale = EARTH_RADIUS_KM * self.f
            lat = 2 * np.arctan(np.exp((y + self.rho_0) / scale)) - np.pi / 2
            return np.degrees(self.lon_0 + x / scale), np.degrees(lat)
        sign = 1.0 if self.n > 0 else -1.0
        dy = self.rho_0 - y
        rho = sign * np.hypot(x, dy)
        theta = np.arctan2(x * sign, dy * sign)
        lat = 2 * np.arctan((EARTH_RADIUS_KM * self.f / rho) ** (1 / self.n)) - np.pi / 2
        return np.degrees(self.lon_0 + theta / self.n), np.degrees(lat)


class _Scalar:
    """The few numpy names ``inverse_arrays`` uses, for plain numbers."""

    pi = math.pi
    radians, degrees = staticmethod(math.radians), staticmethod(math.degrees)
    exp, arctan, hypot = staticmethod(math.exp), staticmethod(math.atan), staticmethod(math.hypot)
    arctan2 = staticmethod(math.atan2)


class MapFrame:
    """Where the hexes of a map lie on the earth."""

    def __init__(self, info: MapInfo):
        self.info = info
        self.lambert = Lambert(info.projection)
        self.x0, self.y0 = info.origin_km
        self.km = info.hex_km

    def to_km(self, lon: float, lat: float) -> tuple[float, float]:
        """Map km from the centre of hex 0101: x east, y south (as on paper)."""
        x, y = self.lambert.forward(lon, lat)
        return x - self.x0, self.y0 - y

    def to_hex_units(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self.to_km(lon, lat)
        return x / self.km, y / self.km

    def hex_at(self, lon: float, lat: float) -> Hex:
        """The hex holding a point of the earth (it may lie off the map)."""
        return nearest_hex(*self.to_hex_units(lon, lat))

    def lonlat(self, x_km: float, y_km: float) -> tuple[float, float]:
        """(lon, lat) of a point given in map km."""
        return self.lambert.inverse(x_km + self.x0, self.y0 - y_km)
