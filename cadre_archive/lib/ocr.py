"""Chinese OCR of scanned pages with Tesseract (through pytesseract).

Tesseract (Debian's ``tesseract-ocr`` with the ``chi_sim`` and ``eng``
languages) runs as a subprocess per page.  The text it returns is cleaned by
:func:`normalize_text` (Tesseract puts spaces between Chinese characters).

Threads: Tesseract parallelizes with OpenMP, which only slows it down when
several pages or workers run at once on a small server.  pytesseract offers
no way to give its subprocess an environment of its own (it always passes
``os.environ``), so :func:`ocr_image` sets ``OMP_THREAD_LIMIT=1`` in this
process's environment when it is not set yet: the Tesseract subprocesses
inherit it, and an administrator who sets the variable keeps their value.
No other program of an Odoo server (Python, wkhtmltopdf, poppler) reads it.

Priority: recognition is background work that can wait, the people viewing
and searching cannot. Tesseract runs at niceness :data:`NICENESS` (through
the ``nice`` program, as pytesseract offers where there is one), so that on a
busy server the viewer and the searches get the processors first and the
recognition takes what they leave; an idle server recognises at full speed.
"""

import os
import re
import shutil
import subprocess
import unicodedata

from PIL import Image

try:
    import pytesseract
except ImportError:  # pragma: no cover - the addon's requirements install it
    pytesseract = None

from .errors import ArchiveLibError
from .scans import DecodeLimits, page_image

DEFAULT_LANG = "chi_sim+eng"
DEFAULT_TIMEOUT = 120  # seconds per page
DEFAULT_PSM = 6  # a single uniform block of text: the lines of a form
OMP_THREAD_LIMIT = "1"
NICENESS = 10  # added to the server's own: below the viewer, above nothing

_LANG_RE = re.compile(r"[A-Za-z0-9_]+(?:\+[A-Za-z0-9_]+)*")
_PSM_RANGE = range(14)  # Tesseract's page segmentation modes 0..13
_TIMEOUT_MESSAGE = "timeout"
_MISSING_LANGUAGE_MESSAGE = "Failed loading language"
_DETAIL_MAX_CHARS = 500

# Characters written without spaces between them: CJK ideographs (with the
# extensions), CJK symbols and punctuation, kana, full-width forms.
_CJK = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0003134f"
)
# Spaces next to a CJK character are artefacts when the other side is a CJK
# character, a digit (Tesseract writes "1985 年 03 月") or punctuation
# (full-width punctuation is ASCII after NFKC); spaces between latin words,
# or between a CJK character and a latin word, are kept.
_JOINERS = rf"{_CJK}0-9,.:;!?()\[\]%"
_CJK_SPACE_RE = re.compile(
    rf"(?<=[{_CJK}])[^\S\n]+(?=[{_JOINERS}])|(?<=[{_JOINERS}])[^\S\n]+(?=[{_CJK}])"
)
_SPACES_RE = re.compile(r"[^\S\n]+")
_BLANK_LINES_RE = re.compile(r"\n{3,}")


class OcrError(ArchiveLibError):
    """Tesseract is missing, too slow, or failed on a page."""


# ----------------------------------------------------------------- setup


def _limit_openmp_threads() -> None:
    """Make the Tesseract subprocesses single-threaded (see the module doc)."""
    os.environ.setdefault("OMP_THREAD_LIMIT", OMP_THREAD_LIMIT)


def _nice() -> int:
    """The niceness to run Tesseract at: NICENESS where there is ``nice``."""
    return NICENESS if shutil.which("nice") else 0


def _check_arguments(lang, timeout, psm) -> None:
    if not isinstance(lang, str) or not _LANG_RE.fullmatch(lang):
        raise OcrError("bad_lang", lang=lang)
    if isinstance(psm, bool) or not isinstance(psm, int) or psm not in _PSM_RANGE:
        raise OcrError("bad_psm", psm=psm)
    is_number = isinstance(timeout, int | float) and not isinstance(timeout, bool)
    if not is_number or not 0 < timeout < float("inf"):
        raise OcrError("bad_timeout", timeout=timeout)


# ------------------------------------------------------------------- OCR


def _opaque(image: Image.Image) -> Image.Image:
    """Return ``image`` in mode 1, L or RGB; transparent parts become white."""
    if image.mode in ("1", "L", "RGB"):
        return image
    if "A" in image.getbands() or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        return image.convert("L")
    return image.convert("RGB")


def _failure(exc: Exception, lang: str) -> OcrError:
    """Turn what pytesseract raised into an OcrError."""
    if isinstance(exc, pytesseract.TesseractNotFoundError):
        return OcrError("tesseract_missing")
    if isinstance(exc, pytesseract.TesseractError):
        detail = str(exc.message)[:_DETAIL_MAX_CHARS]
        if _MISSING_LANGUAGE_MESSAGE in detail:
            return OcrError("language_missing", lang=lang, detail=detail)
        return OcrError("failed", status=exc.status, detail=detail)
    if isinstance(exc, RuntimeError) and _TIMEOUT_MESSAGE in str(exc).lower():
        return OcrError("timeout")
    return OcrError("failed", detail=f"{type(exc).__name__}: {exc}"[:_DETAIL_MAX_CHARS])


def ocr_image(
    image,
    lang: str = DEFAULT_LANG,
    timeout: float = DEFAULT_TIMEOUT,
    psm: int = DEFAULT_PSM,
) -> str:
    """Return the raw text Tesseract reads on a PIL image (one page).

    Raise OcrError: ('tesseract_missing'), ('timeout') after ``timeout``
    seconds, ('language_missing', lang=, detail=), ('failed', detail=), or
    ('bad_lang' | 'bad_psm' | 'bad_timeout') for wrong arguments.
    """
    _check_arguments(lang, timeout, psm)
    if pytesseract is None or not shutil.which(pytesseract.pytesseract.tesseract_cmd):
        raise OcrError("tesseract_missing")
    image = _opaque(image)
    _limit_openmp_threads()
    try:
        return pytesseract.image_to_string(
            image, lang=lang, config=f"--psm {psm}", timeout=timeout, nice=_nice()
        )
    except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
        # TesseractError is a RuntimeError, TesseractNotFoundError an OSError
        raise _failure(exc, lang) from exc


def normalize_text(text: str) -> str:
    """Clean OCR output for storage and search.

    NFKC (full-width letters, digits and punctuation become ASCII), no spaces
    between a Chinese character and a Chinese character, digit or punctuation
    mark, one space between other words, lines stripped, runs of blank lines collapsed
    to one blank line, no blank lines at the start or the end.
    """
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\v", "\n")
    lines = [_SPACES_RE.sub(" ", line).strip() for line in text.split("\n")]
    text = _CJK_SPACE_RE.sub("", "\n".join(lines))
    return _BLANK_LINES_RE.sub("\n\n", text).strip("\n")


def ocr_page(
    data: bytes,
    number: int,
    lang: str = DEFAULT_LANG,
    timeout: float = DEFAULT_TIMEOUT,
    psm: int = DEFAULT_PSM,
    *,
    limits: DecodeLimits | None = None,
) -> str:
    """Return the normalized text of page ``number`` (from 1) of a scan.

    Only that page is decoded (see :func:`.scans.page_image`: a PDF page is
    rasterized alone).  Raise ScanError as page_image does (('bad_page',
    page=, count=) for no such page), OcrError as :func:`ocr_image` does.
    """
    _check_arguments(lang, timeout, psm)
    image = page_image(data, number, limits)
    return normalize_text(ocr_image(image, lang=lang, timeout=timeout, psm=psm))
