"""Identify an uploaded scan by its content (never by its file name)."""

import contextlib
import io
import math
import re
import struct
import threading
import zlib
from dataclasses import dataclass

from PIL import Image, ImageFile

from .errors import ScanError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_PIXELS = 100_000_000

_MAGIC = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"%PDF-", "pdf"),
)
MIMETYPES = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "tiff": "image/tiff",
    "pdf": "application/pdf",
}
_TIFF_X_RESOLUTION = 282
_PIL_FORMATS = {"jpeg": ["JPEG"], "png": ["PNG"], "tiff": ["TIFF"]}
# Whatever Pillow raises on damaged input (it is not limited to OSError).
_PIL_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
    struct.error,
)
_BOMB_ERRORS = (Image.DecompressionBombError, Image.DecompressionBombWarning)
# Pillow's flag is process-wide (Odoo's base module sets it to True); it is
# forced to False only while this module decodes, under this lock.
_PILLOW_LOCK = threading.Lock()

_PDF_EOF_WINDOW = 1024
_PDF_MAX_OBJSTM_BYTES = 16 * 1024 * 1024
_PDF_NAME_END = rb"(?![^\s()<>\[\]{}/%])"
_PDF_OBJ_RE = re.compile(rb"(?<![0-9])([0-9]+)\s+[0-9]+\s+obj(?![A-Za-z0-9])")
_PDF_PAGE_RE = re.compile(rb"/Type\s*/Page" + _PDF_NAME_END)
_PDF_OBJSTM_RE = re.compile(rb"/Type\s*/ObjStm" + _PDF_NAME_END)
_PDF_FLATE_RE = re.compile(rb"/FlateDecode" + _PDF_NAME_END)
_PDF_FILTER_RE = re.compile(rb"/Filter\b")
_PDF_FIRST_RE = re.compile(rb"/First\s+([0-9]+)")


@dataclass(frozen=True)
class ScanInfo:
    """What a scan is: its kind, mimetype, pages, size in pixels and resolution."""

    kind: str  # 'jpeg' | 'png' | 'tiff' | 'pdf'
    mimetype: str
    page_count: int
    width: int | None
    height: int | None
    dpi: tuple[float, float] | None


def sniff_kind(data: bytes) -> str:
    """Return 'jpeg', 'png', 'tiff' or 'pdf' from the magic bytes."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    raise ScanError("unsupported")


def identify(
    data: bytes,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> ScanInfo:
    """Check an uploaded scan and describe it; raise ScanError when unusable."""
    if not data:
        raise ScanError("empty")
    data = bytes(data)
    if len(data) > max_bytes:
        raise ScanError("too_large", size=len(data), max=max_bytes)
    kind = sniff_kind(data)
    if kind == "pdf":
        return _identify_pdf(data)
    return _identify_image(data, kind, max_pixels)


# ---------------------------------------------------------------- images


@contextlib.contextmanager
def _strict_pillow():
    """Make Pillow report truncated files while this module decodes."""
    with _PILLOW_LOCK:
        saved = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = saved


def _reports_truncation(exc: Exception) -> bool:
    return isinstance(exc, EOFError) or "truncat" in str(exc).lower()


@contextlib.contextmanager
def _pillow_errors(code: str, max_pixels: int, truncation: bool = False):
    """Turn Pillow's exceptions into ScanError(code) (or too_many_pixels).

    With ``truncation``, an error in which Pillow reports a truncated file
    becomes ScanError('truncated') instead.
    """
    try:
        yield
    except ScanError:
        raise
    except _BOMB_ERRORS as exc:
        raise ScanError("too_many_pixels", max=max_pixels) from exc
    except _PIL_ERRORS as exc:
        if truncation and _reports_truncation(exc):
            code = "truncated"
        raise ScanError(code) from exc


def _open(data: bytes, kind: str) -> Image.Image:
    return Image.open(io.BytesIO(data), formats=_PIL_FORMATS[kind])


def _check_pixels(img: Image.Image, max_pixels: int) -> None:
    width, height = img.size
    if width * height > max_pixels:
        raise ScanError("too_many_pixels", width=width, height=height, max=max_pixels)


def _dpi(img: Image.Image) -> tuple[float, float] | None:
    """Return the resolution Pillow found, rounded to 0.01; None if absent/bogus."""
    if img.format == "TIFF" and _TIFF_X_RESOLUTION not in img.tag_v2:
        return None  # Pillow reports (1, 1) for a TIFF without resolution tags
    dpi = img.info.get("dpi")
    try:
        x_dpi, y_dpi = (float(value) for value in dpi)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not all(math.isfinite(v) and v > 0 for v in (x_dpi, y_dpi)):
        return None
    return (round(x_dpi, 2), round(y_dpi, 2))


def _describe(img: Image.Image, kind: str) -> ScanInfo:
    return ScanInfo(
        kind=kind,
        mimetype=MIMETYPES[kind],
        page_count=img.n_frames if kind == "tiff" else 1,
        width=img.width,
        height=img.height,
        dpi=_dpi(img),
    )


def _probe(data: bytes, kind: str, max_pixels: int) -> ScanInfo:
    """Open (headers only), check the size, count pages and verify."""
    with _pillow_errors("unreadable", max_pixels):
        img = _open(data, kind)
    with img:
        _check_pixels(img, max_pixels)
        with _pillow_errors("unreadable", max_pixels):
            info = _describe(img, kind)
        with _pillow_errors("unreadable", max_pixels, truncation=True):
            img.verify()
    return info


def _load_pages(data: bytes, kind: str, page_count: int, max_pixels: int) -> None:
    """Decode every page on a fresh image: this is what detects truncation."""
    with _pillow_errors("truncated", max_pixels), _open(data, kind) as img:
        for page in range(page_count):
            img.seek(page)
            _check_pixels(img, max_pixels)
            img.load()


def _identify_image(data: bytes, kind: str, max_pixels: int) -> ScanInfo:
    with _strict_pillow():
        info = _probe(data, kind, max_pixels)
        _load_pages(data, kind, info.page_count, max_pixels)
    return info


# ------------------------------------------------------------------- PDF


def _pdf_dictionary(body: bytes) -> bytes:
    """Return the part of an object body before its stream data."""
    return body.split(b"stream", 1)[0]


def _skip_eol(data: bytes) -> bytes:
    """Drop the end of line (CRLF or LF) that follows the ``stream`` keyword."""
    for eol in (b"\r\n", b"\n"):
        if data.startswith(eol):
            return data[len(eol) :]
    return data


def _pdf_stream(body: bytes) -> bytes | None:
    """Return the decoded data of an object stream, None if not decodable."""
    head, sep, rest = body.partition(b"stream")
    if not sep:
        return None
    raw = _skip_eol(rest).split(b"endstream", 1)[0]
    if not _PDF_FILTER_RE.search(head):
        return raw
    if not _PDF_FLATE_RE.search(head):
        return None
    try:
        return zlib.decompressobj().decompress(raw, _PDF_MAX_OBJSTM_BYTES)
    except zlib.error:
        return None


def _pdf_objstm_pages(body: bytes) -> dict[int, bool]:
    """Return {object number: is a page} for the objects of an object stream."""
    first = _PDF_FIRST_RE.search(_pdf_dictionary(body))
    content = _pdf_stream(body)
    if first is None or content is None:
        return {}
    start = int(first.group(1))
    header = content[:start].split()
    numbers = [int(n) for n in header[0::2] if n.isdigit()]
    offsets = [start + int(n) for n in header[1::2] if n.isdigit()]
    bounds = [*offsets[1:], len(content)]
    return {
        number: bool(_PDF_PAGE_RE.search(content[begin:end]))
        for number, begin, end in zip(numbers, offsets, bounds, strict=False)
    }


def _pdf_objects(data: bytes):
    """Yield (object number, body) for each ``N G obj ... endobj`` in file order."""
    matches = list(_PDF_OBJ_RE.finditer(data))
    for index, match in enumerate(matches):
        following = index + 1
        end = matches[following].start() if following < len(matches) else len(data)
        body = data[match.end() : end].split(b"endobj", 1)[0]
        yield int(match.group(1)), body


def pdf_page_count(data: bytes) -> int:
    """Count the ``/Type /Page`` objects (latest version of each object wins)."""
    pages: dict[int, bool] = {}
    for number, body in _pdf_objects(data):
        dictionary = _pdf_dictionary(body)
        if _PDF_OBJSTM_RE.search(dictionary):
            pages.update(_pdf_objstm_pages(body))
        pages[number] = bool(_PDF_PAGE_RE.search(dictionary))
    return sum(pages.values())


def _identify_pdf(data: bytes) -> ScanInfo:
    if b"%%EOF" not in data[-_PDF_EOF_WINDOW:]:
        raise ScanError("truncated")
    page_count = pdf_page_count(data)
    if not page_count:
        raise ScanError("unreadable")
    return ScanInfo(
        kind="pdf",
        mimetype=MIMETYPES["pdf"],
        page_count=page_count,
        width=None,
        height=None,
        dpi=None,
    )
