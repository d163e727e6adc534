"""Does a value a client sent have the shape its field can take?

Over JSON-RPC any JSON value can arrive for any field. Odoo's ORM refuses most
wrong values with a ValueError, but some fail deep inside it instead: a list
for a date or a selection (TypeError), an integer or an id beyond PostgreSQL's
``int4`` (a database error), a text for a many2one id. ``fits`` tells such
values apart beforehand, so that the Odoo layer refuses them with a clear
ValidationError; every value of the right shape is left to the ORM and the
model's own checks (a malformed date text still gets Odoo's ValueError).
"""

import datetime

# An Integer field and a record id are PostgreSQL int4 columns.
INT4_MIN = -(2**31)
INT4_MAX = 2**31 - 1

_TEXT_TYPES = frozenset({"char", "text", "html", "selection"})
_DATE_TYPES = frozenset({"date", "datetime"})
_CONTAINERS = (list, tuple, dict, set, frozenset)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _integer_fits(value) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, str):
        try:
            value = int(value)
        except ValueError:
            return True  # not a number: the ORM says so (ValueError)
    if isinstance(value, int | float):
        return INT4_MIN <= value <= INT4_MAX
    return False


def fits(field_type: str, value) -> bool:
    """Return whether ``value`` has a shape a field of ``field_type`` takes.

    ``False`` and ``None`` (no value) always fit, as do the values of field
    types not named here (binary, float, x2many...: the ORM checks those
    cleanly). Text and selection fields refuse containers; date fields take
    only text or dates; integer fields numbers within int4 (or text, which
    the ORM reads); many2one fields an id within int4 (or a (id, name) pair
    built by server code, never sent by a JSON client).
    """
    if value is None or value is False:
        return True
    if field_type in _TEXT_TYPES:
        return not isinstance(value, _CONTAINERS)
    if field_type in _DATE_TYPES:
        return isinstance(value, str | datetime.date)
    if field_type == "integer":
        return _integer_fits(value)
    if field_type == "many2one":
        if isinstance(value, tuple) and value:
            value = value[0]
        return _is_int(value) and INT4_MIN <= value <= INT4_MAX
    return True
