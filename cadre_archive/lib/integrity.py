"""Fixity of stored scans: a SHA-256 checksum taken when a scan is filed and
checked again later (the file may have changed or disappeared from storage).
"""

import hashlib
import hmac
import re

from .errors import ArchiveLibError

_SHA256_RE = re.compile(r"[0-9a-fA-F]{64}")
STATES = ("ok", "changed", "missing")


class IntegrityError(ArchiveLibError):
    """A stored checksum is not a SHA-256 hex digest."""


def sha256_hex(data: bytes) -> str:
    """Return the SHA-256 of ``data`` as 64 lower-case hex digits."""
    return hashlib.sha256(data).hexdigest()


def verify(expected: str, data: bytes | None) -> str:
    """Compare ``data`` with the checksum taken when it was stored.

    Return 'ok', 'changed' (other content) or 'missing' (``data`` is None).
    Raise IntegrityError('bad_checksum', checksum=) when ``expected`` is not
    a SHA-256 hex digest.
    """
    if not isinstance(expected, str) or not _SHA256_RE.fullmatch(expected):
        raise IntegrityError("bad_checksum", checksum=expected)
    if data is None:
        return "missing"
    actual = sha256_hex(data)
    return "ok" if hmac.compare_digest(actual, expected.lower()) else "changed"
