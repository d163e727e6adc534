"""Pages of a material named as a text such as ``"1-3,5"``.

Excerpts and copies (摘抄、复制) made for a request are recorded with the
pages they took. The officer writes them as page numbers and ranges separated
by commas (``1-3,5``; the Chinese comma and 、 work too, as do ``~`` and an
en dash in a range); they are read as ranges of pages of the material, which
has ``page_count`` pages in the catalog.

Ranges are kept as (first, last) pairs, never expanded page by page: a range
costs the same whatever its length.
"""

import re

from .errors import ArchiveLibError

_PARTS = re.compile(r"[,，、;；]")
# at most 9 digits: a page number, never a number too long to read
_PART = re.compile(r"^\s*(\d{1,9})\s*(?:[-–~～]\s*(\d{1,9})\s*)?$")


class PageRangeError(ArchiveLibError):
    """A text of pages is empty, malformed or goes beyond the material."""


def parse_pages(text: str | None, page_count: int) -> tuple[tuple[int, int], ...]:
    """Return the pages ``text`` names as sorted, merged (first, last) ranges.

    Overlapping and adjacent ranges are merged (``1-3,2,4`` is ``1-4``).
    Raise PageRangeError, in this order: 'bad_page_count' unless
    ``page_count`` is a whole number of at least 1; 'no_pages' when ``text``
    names no page; 'bad_page_range' (part=) for a part that is not a page
    number of at least 1 or a range of them; 'page_range_reversed' (part=)
    for a range that ends before it starts; 'page_beyond_count' (page=,
    count=) for a page the material does not have.
    """
    if isinstance(page_count, bool) or not isinstance(page_count, int):
        raise PageRangeError("bad_page_count", count=page_count)
    if page_count < 1:
        raise PageRangeError("bad_page_count", count=page_count)
    if not isinstance(text, str) or not text.strip():
        raise PageRangeError("no_pages")
    ranges = []
    for part in _PARTS.split(text):
        if not part.strip():
            continue
        ranges.append(_parse_part(part, page_count))
    if not ranges:
        raise PageRangeError("no_pages")
    return _merge(ranges)


def _parse_part(part: str, page_count: int) -> tuple[int, int]:
    match = _PART.match(part)
    if not match:
        raise PageRangeError("bad_page_range", part=part.strip())
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) is not None else first
    if first < 1:
        raise PageRangeError("bad_page_range", part=part.strip())
    if last < first:
        raise PageRangeError("page_range_reversed", part=part.strip())
    if last > page_count:
        raise PageRangeError("page_beyond_count", page=last, count=page_count)
    return first, last


def _merge(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return tuple(merged)


def format_pages(ranges) -> str:
    """Return ranges as the canonical text: ``1-3,5``."""
    return ",".join(
        str(first) if first == last else f"{first}-{last}" for first, last in ranges
    )


def count_pages(ranges) -> int:
    """Return how many pages the ranges hold."""
    return sum(last - first + 1 for first, last in ranges)
