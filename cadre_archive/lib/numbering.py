"""Category codes (类号) and material numbers (类号-顺序号)."""

import re
from collections.abc import Iterable

from .errors import NumberingError

_CATEGORY_RE = re.compile(r"[0-9]{1,2}(?:-[0-9]{1,2})?")


def category_sort_key(code: str) -> tuple[int, ...]:
    """Return the numeric sort key of a category code: "4-1" -> (4, 1)."""
    if not isinstance(code, str) or not _CATEGORY_RE.fullmatch(code):
        raise NumberingError("bad_category_code", code=code)
    key = tuple(int(part) for part in code.split("-"))
    if 0 in key:
        raise NumberingError("bad_category_code", code=code)
    return key


def next_number(existing: Iterable[int | None]) -> int:
    """Return the next free material number: highest positive number + 1."""
    return max((n for n in existing if n is not None and n > 0), default=0) + 1


def _check_number(number) -> int:
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise NumberingError("bad_number", number=number)
    return number


def material_code(category_code: str, number: int) -> str:
    """Return the material code 类号-顺序号: ("4-1", 3) -> "4-1-3"."""
    category_sort_key(category_code)
    return f"{category_code}-{_check_number(number)}"
