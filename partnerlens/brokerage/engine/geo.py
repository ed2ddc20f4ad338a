"""Coordinates: WGS84 latitude/longitude to British National Grid, and straight-line distance.

Every school ends up with BNG easting/northing in metres, so distances are plain Euclidean
distances on the grid and a k-d tree can find candidate pairs. Latitude/longitude rows are
converted with the Ordnance Survey's published method ("A guide to coordinate systems in Great
Britain"): WGS84 to OSGB36 by the seven-parameter Helmert transform, then the Airy 1830
transverse Mercator projection. The Helmert step is good to about 5 m against OSTN15, which is
nothing next to a distance limit in kilometres; pyproj is not needed.
"""

from __future__ import annotations

import numpy as np

# WGS84 / GRS80 and Airy 1830 ellipsoids (semi-major, semi-minor axes in metres).
_WGS84 = (6378137.000, 6356752.3141)
_AIRY = (6377563.396, 6356256.909)
# Helmert WGS84 -> OSGB36: translations (m), scale (ppm), rotations (arc seconds).
_TX, _TY, _TZ = -446.448, 125.157, -542.060
_S_PPM = 20.4894
_RX, _RY, _RZ = -0.1502, -0.2470, -0.8421
# National Grid projection.
_F0 = 0.9996012717
_LAT0 = np.radians(49.0)
_LON0 = np.radians(-2.0)
_E0, _N0 = 400000.0, -100000.0


def _to_cartesian(lat, lon, axes):
    a, b = axes
    e2 = 1 - (b * b) / (a * a)
    nu = a / np.sqrt(1 - e2 * np.sin(lat) ** 2)
    return (
        nu * np.cos(lat) * np.cos(lon),
        nu * np.cos(lat) * np.sin(lon),
        (1 - e2) * nu * np.sin(lat),
    )


def _from_cartesian(x, y, z, axes):
    a, b = axes
    e2 = 1 - (b * b) / (a * a)
    p = np.hypot(x, y)
    lat = np.arctan2(z, p * (1 - e2))
    for _ in range(10):  # converges to well under a millimetre in three or four steps
        nu = a / np.sqrt(1 - e2 * np.sin(lat) ** 2)
        lat = np.arctan2(z + e2 * nu * np.sin(lat), p)
    return lat, np.arctan2(y, x)


def _helmert(x, y, z):
    s = _S_PPM * 1e-6
    rx, ry, rz = (np.radians(r / 3600) for r in (_RX, _RY, _RZ))
    return (
        _TX + (1 + s) * x - rz * y + ry * z,
        _TY + rz * x + (1 + s) * y - rx * z,
        _TZ - ry * x + rx * y + (1 + s) * z,
    )


def _project(lat, lon):
    a, b = _AIRY
    e2 = 1 - (b * b) / (a * a)
    n = (a - b) / (a + b)
    sin, cos, tan = np.sin(lat), np.cos(lat), np.tan(lat)
    nu = a * _F0 / np.sqrt(1 - e2 * sin**2)
    rho = a * _F0 * (1 - e2) / (1 - e2 * sin**2) ** 1.5
    eta2 = nu / rho - 1
    dlat, slat = lat - _LAT0, lat + _LAT0
    m = (
        b
        * _F0
        * (
            (1 + n + 1.25 * n**2 + 1.25 * n**3) * dlat
            - (3 * n + 3 * n**2 + 2.625 * n**3) * np.sin(dlat) * np.cos(slat)
            + (1.875 * n**2 + 1.875 * n**3) * np.sin(2 * dlat) * np.cos(2 * slat)
            - (35 / 24) * n**3 * np.sin(3 * dlat) * np.cos(3 * slat)
        )
    )
    i = m + _N0
    ii = nu / 2 * sin * cos
    iii = nu / 24 * sin * cos**3 * (5 - tan**2 + 9 * eta2)
    iiia = nu / 720 * sin * cos**5 * (61 - 58 * tan**2 + tan**4)
    iv = nu * cos
    v = nu / 6 * cos**3 * (nu / rho - tan**2)
    vi = nu / 120 * cos**5 * (5 - 18 * tan**2 + tan**4 + 14 * eta2 - 58 * tan**2 * eta2)
    dl = lon - _LON0
    northing = i + ii * dl**2 + iii * dl**4 + iiia * dl**6
    easting = _E0 + iv * dl + v * dl**3 + vi * dl**5
    return easting, northing


def wgs84_to_bng(lat, lon):
    """WGS84 degrees (scalars or arrays) to British National Grid easting, northing in metres."""
    lat_r = np.radians(np.asarray(lat, dtype=float))
    lon_r = np.radians(np.asarray(lon, dtype=float))
    x, y, z = _helmert(*_to_cartesian(lat_r, lon_r, _WGS84))
    return _project(*_from_cartesian(x, y, z, _AIRY))


def distance_km(e1, n1, e2, n2):
    """Straight-line distance on the grid, in kilometres (the rule the engine applies)."""
    return np.hypot(np.subtract(e1, e2), np.subtract(n1, n2)) / 1000.0
