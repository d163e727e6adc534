"""Rearrangement (重新整理): renumbering a category of a dossier by date."""

import datetime
from collections.abc import Hashable, Iterable

from .errors import NumberingError

_UNDATED = datetime.date.max


def renumber_by_date(
    materials: Iterable[tuple[Hashable, int, datetime.date | None]],
) -> list[tuple[Hashable, int, int]]:
    """Return (key, old number, new number) for every material, renumbered
    1..n by formation date; materials of the same date keep their old order,
    undated ones come last.
    """
    items = list(materials)
    keys = [key for key, __, __ in items]
    if len(set(keys)) != len(keys):
        raise NumberingError("duplicate_material", code=",".join(map(str, keys)))
    ordered = sorted(items, key=lambda item: (item[2] or _UNDATED, item[1]))
    return [(key, old, new) for new, (key, old, __) in enumerate(ordered, start=1)]
