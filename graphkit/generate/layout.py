"""What background firms do: segments, and each segment's countries and registration dates."""

from __future__ import annotations

import numpy as np

from graphkit.generate.messy import (
    CODE,
    EU,
    EU_MARKETS,
    INVASION,
    NO_DAY,
    WORLD_END,
    WORLD_START,
    day,
)
from graphkit.generate.tables import Segment

# Share of background firms in each segment.
SEGMENT_SHARES: dict[Segment, float] = {
    Segment.EU_SUPPLIER: 0.22,
    Segment.RU_BUYER: 0.20,
    Segment.ASIAN_SUPPLIER: 0.13,
    Segment.KZ_OLD: 0.19,
    Segment.KZ_NEW_LOCAL: 0.10,
    Segment.KZ_NEW_RU_DOMESTIC: 0.015,
    Segment.KZ_NEW_RU_EXPORTER: 0.015,
    Segment.REGIONAL: 0.07,
    Segment.HOLDING: 0.04,
    Segment.GULF_TRADER: 0.02,
}

# Countries within a segment, with odds.
_EU_ODDS = np.array(list(EU_MARKETS.values()), dtype=float)
SEGMENT_COUNTRIES: dict[Segment, tuple[np.ndarray, np.ndarray]] = {
    Segment.EU_SUPPLIER: (np.array(EU), _EU_ODDS / _EU_ODDS.sum()),
    Segment.RU_BUYER: (np.array([CODE["RU"]]), np.array([1.0])),
    Segment.ASIAN_SUPPLIER: (np.array([CODE["CN"], CODE["TR"]]), np.array([0.7, 0.3])),
    Segment.KZ_OLD: (np.array([CODE["KZ"]]), np.array([1.0])),
    Segment.KZ_NEW_LOCAL: (np.array([CODE["KZ"]]), np.array([1.0])),
    Segment.KZ_NEW_RU_DOMESTIC: (np.array([CODE["KZ"]]), np.array([1.0])),
    Segment.KZ_NEW_RU_EXPORTER: (np.array([CODE["KZ"]]), np.array([1.0])),
    Segment.REGIONAL: (np.array([CODE["KG"], CODE["AM"]]), np.array([0.55, 0.45])),
    Segment.HOLDING: (np.array([CODE["CY"], CODE["AE"]]), np.array([0.6, 0.4])),
    Segment.GULF_TRADER: (np.array([CODE["AE"]]), np.array([1.0])),
}

LAST_TRADING_REGISTRATION = day("2025-03-31")  # firms registered later have not traded yet
_NEW = (INVASION, LAST_TRADING_REGISTRATION)

# Registration periods per segment: (first day, last day, odds) for each period.
SEGMENT_PERIODS: dict[Segment, tuple[tuple[int, int, float], ...]] = {
    Segment.EU_SUPPLIER: ((day("1990-01-01"), day("2020-12-31"), 1.0),),
    Segment.RU_BUYER: (
        (day("1995-01-01"), day("2021-12-31"), 0.8),
        (day("2022-03-01"), day("2024-12-31"), 0.2),
    ),
    Segment.ASIAN_SUPPLIER: ((day("1998-01-01"), day("2021-12-31"), 1.0),),
    Segment.KZ_OLD: ((day("1996-01-01"), INVASION - 1, 1.0),),
    Segment.KZ_NEW_LOCAL: ((*_NEW, 1.0),),
    Segment.KZ_NEW_RU_DOMESTIC: ((*_NEW, 1.0),),
    Segment.KZ_NEW_RU_EXPORTER: ((*_NEW, 1.0),),
    Segment.REGIONAL: (
        (day("2000-01-01"), INVASION - 1, 0.7),
        (INVASION, LAST_TRADING_REGISTRATION, 0.3),
    ),
    Segment.HOLDING: ((day("2000-01-01"), day("2021-12-31"), 1.0),),
    Segment.GULF_TRADER: ((day("2008-01-01"), day("2024-12-31"), 1.0),),
}

_DISSOLVED_ODDS = 0.04  # of firms registered before the extract starts


def allocate(shares: np.ndarray, total: int, minimum: int = 2) -> np.ndarray:
    """Split total by shares, at least minimum each (a world needs some of everything)."""
    counts = np.maximum(minimum, np.floor(shares / shares.sum() * total).astype(int))
    counts[np.argmax(counts)] += total - counts.sum()
    return counts


def segment_counts(background: int) -> dict[Segment, int]:
    counts = allocate(np.array(list(SEGMENT_SHARES.values())), background)
    return dict(zip(SEGMENT_SHARES, counts.tolist(), strict=True))


def background_segments(rng: np.random.Generator, background: int) -> np.ndarray:
    counts = segment_counts(background)
    segments = np.repeat(np.array(list(counts), dtype=np.int8), list(counts.values()))
    return rng.permutation(segments)


def background_countries(rng: np.random.Generator, segments: np.ndarray) -> np.ndarray:
    country = np.zeros(len(segments), dtype=np.int8)
    for segment, (codes, odds) in SEGMENT_COUNTRIES.items():
        rows = np.flatnonzero(segments == segment)
        country[rows] = rng.choice(codes, size=len(rows), p=odds)
    return country


def background_registrations(rng: np.random.Generator, segments: np.ndarray) -> np.ndarray:
    registered = np.zeros(len(segments), dtype=np.int32)
    for segment, periods in SEGMENT_PERIODS.items():
        rows = np.flatnonzero(segments == segment)
        period = rng.choice(len(periods), size=len(rows), p=[p[2] for p in periods])
        first = np.array([p[0] for p in periods])[period]
        last = np.array([p[1] for p in periods])[period]
        registered[rows] = first + (rng.random(len(rows)) * (last - first + 1)).astype(np.int32)
    return registered


def background_dissolutions(rng: np.random.Generator, registered: np.ndarray) -> np.ndarray:
    """Some old firms were dissolved; they stay in the registry but no longer trade."""
    dissolved = np.full(len(registered), NO_DAY, dtype=np.int32)
    rows = np.flatnonzero(
        (registered < WORLD_START) & (rng.random(len(registered)) < _DISSOLVED_ODDS)
    )
    first = registered[rows] + 365
    dissolved[rows] = first + (rng.random(len(rows)) * (WORLD_END - first)).astype(np.int32)
    return dissolved
