"""Exceptions raised by the pure-Python core.

Every exception carries a machine ``code`` and a ``params`` dict; the Odoo
layer turns them into translated messages.  Nothing here is user-facing text.
"""


class ArchiveLibError(ValueError):
    """Base error of the library: a machine ``code`` plus ``params``.

    ``code`` is positional-only so that ``params`` may hold a key named
    ``code`` too, e.g. ``NumberingError("bad_category_code", code="4-9")``.
    """

    def __init__(self, code, /, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self):
        if not self.params:
            return self.code
        details = ", ".join(f"{key}={value!r}" for key, value in self.params.items())
        return f"{self.code} ({details})"


class PartialDateError(ArchiveLibError):
    """A formation date cannot be parsed or does not exist."""


class NumberingError(ArchiveLibError):
    """A category code, material number or material code is wrong."""


class ScanError(ArchiveLibError):
    """An uploaded scan is empty, too large, unsupported or damaged."""
