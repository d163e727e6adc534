"""Pure-Python core of the cadre archive addon (no Odoo import allowed here)."""

from . import (
    catalog,
    errors,
    numbering,
    pages,
    partial_date,
    period,
    registry_xlsx,
    scans,
    watermark,
)

__all__ = [
    "catalog",
    "errors",
    "numbering",
    "pages",
    "partial_date",
    "period",
    "registry_xlsx",
    "scans",
    "watermark",
]
