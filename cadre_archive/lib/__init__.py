"""Pure-Python core of the cadre archive addon (no Odoo import allowed here)."""

from . import catalog, errors, numbering, partial_date, scans

__all__ = ["catalog", "errors", "numbering", "partial_date", "scans"]
