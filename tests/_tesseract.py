"""The tests' check for the real Tesseract, with the languages the addon reads.

Tests that run Tesseract are skipped (``@needs_tesseract``) when pytesseract,
the ``tesseract`` program or its ``chi_sim`` and ``eng`` data are missing.
"""

import pytest
from cadre_archive_lib import ocr


def tesseract_available() -> bool:
    """Return True when Tesseract can read the languages of ``ocr.DEFAULT_LANG``."""
    if ocr.pytesseract is None:
        return False
    try:
        installed = set(ocr.pytesseract.get_languages())
    except (OSError, RuntimeError):  # TesseractNotFoundError, TesseractError
        return False
    return set(ocr.DEFAULT_LANG.split("+")) <= installed


needs_tesseract = pytest.mark.skipif(
    not tesseract_available(), reason="tesseract with chi_sim+eng is missing"
)
