"""Pure-Python core of the cadre archive addon (no Odoo import allowed here)."""

from . import (
    bulk_import,
    catalog,
    errors,
    integrity,
    numbering,
    ocr,
    pages,
    partial_date,
    period,
    quality,
    registry_xlsx,
    scans,
    snippets,
    suggest,
    watermark,
)

__all__ = [
    "bulk_import",
    "catalog",
    "errors",
    "integrity",
    "numbering",
    "ocr",
    "pages",
    "partial_date",
    "period",
    "quality",
    "registry_xlsx",
    "scans",
    "snippets",
    "suggest",
    "watermark",
]
