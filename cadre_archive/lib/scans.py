"""Scans: identify an upload by its content, and decode its pages one at a time.

This is the one module that decodes scans (JPEG, PNG, multi-page TIFF, PDF).
Every entry point checks the :class:`DecodeLimits` from the file's headers
before any pixel is decoded, and never decodes more than the page it serves:

- :func:`identify` checks an upload (its size, kind, limits) and decodes each
  page once, one at a time, to find damaged or truncated files;
- :func:`page_count`, :func:`page_image` and :func:`iter_pages` serve the
  viewer, the quality checks and OCR;
- :func:`page_dpi` reads the scanning resolution of a page.

The pixel size of a TIFF frame is read from its directory (IFD) without
decoding any frame; that of a PDF page from poppler's ``pdfinfo -box`` (its
MediaBox, at the rasterization resolution :data:`PDF_DPI`), and a PDF page is
rasterized alone (``pdftoppm -f N -l N``).  Both poppler programs run with a
time limit and a memory limit (RLIMIT_AS).
"""

import contextlib
import dataclasses
import io
import math
import os
import re
import shutil
import struct
import subprocess
import tempfile
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, ImageFile, ImageOps, TiffImagePlugin

from .errors import ScanError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# Limits of decoding (see DecodeLimits).
DEFAULT_MAX_PIXELS = 100_000_000  # per page: an A0 sheet at 300 dpi (9933 x 14043)
DEFAULT_MAX_PAGES = 500
DEFAULT_MAX_TOTAL_PIXELS = 1_000_000_000  # per file, see DecodeLimits

# PDF pages are rasterized at this resolution (viewer, quality checks, OCR).
PDF_DPI = 150
PDFTOPPM = "pdftoppm"
PDFINFO = "pdfinfo"
PDF_TIMEOUT = 60  # seconds, for each run of pdfinfo or pdftoppm
# Memory (address space) allowed to pdfinfo, and to pdftoppm: a base plus so
# many bytes per pixel of the page it renders (3 for its RGB bitmap, the rest
# for transparency groups and masks).
PDFINFO_MEMORY = 512 * 1024 * 1024
PDF_MEMORY_BASE = 256 * 1024 * 1024
PDF_MEMORY_PER_PIXEL = 8
# Set RLIMIT_AS in the shell that then becomes the program (exec): unlike a
# preexec_fn, no Python code runs between fork and exec, which is not safe in
# a threaded server such as Odoo's.
_LIMITED_EXEC = 'ulimit -v "$1" 2>/dev/null; shift; exec "$@"'
_SHELL = "/bin/sh"

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
_TIFF_IMAGE_WIDTH = 256
_TIFF_IMAGE_LENGTH = 257
_TIFF_X_RESOLUTION = 282
_EXIF_ORIENTATION = 0x0112
# A TIFF over the page limit is counted on up to this many frames, so that
# the error tells how many pages it has (only the chain of directories is read).
_TIFF_COUNT_CAP = 10_000
# Pillow reads every tag of a directory, and the data of every tag: a TIFF
# directory with more tags, or more data out of it (ICC profile, XMP...), is
# refused before it is read.  Real scans have a few dozen tags and a few MB.
_TIFF_MAX_ENTRIES = 1000
_TIFF_MAX_DIRECTORY_DATA = 16 * 1024 * 1024
# Bytes of one value of each TIFF field type (Pillow skips other types).
_TIFF_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8}
_TIFF_TYPE_SIZES.update({11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8})
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
# forced to False only while identify() decodes, under this lock.
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
# pdfinfo -box: "Page    3 MediaBox:     0.00     0.00   595.00   842.00"
_PDFINFO_MEDIABOX_RE = re.compile(
    rb"^Page\s+([0-9]+)\s+MediaBox:((?:\s+\S+){4})\s*$", re.MULTILINE
)
_POINTS_PER_INCH = 72


@dataclass(frozen=True)
class DecodeLimits:
    """What a scan may cost to decode; ScanError when a file exceeds them.

    - ``max_page_pixels``: pixels of one page (width x height; a PDF page at
      the rasterization resolution): ScanError('page_too_large', page=,
      width=, height=, max=).  The default, 100 million, is an A0 sheet at
      300 dpi, and a page of that size takes 100 MB (grey) to 400 MB
      (colour) once decoded.
    - ``max_pages``: pages of one file: ScanError('too_many_pages', count=,
      max=).  Default 500.
    - ``max_total_pixels``: pixels of all the pages of one file, which bounds
      the time to check or OCR it (pages are decoded one at a time, so it
      does not bound memory): ScanError('too_many_total_pixels', total=,
      max=).  The default, 1 billion, is 115 A4 pages at 300 dpi, 250 at
      200 dpi, 460 PDF pages of A4 (rasterized at 150 dpi).

    Each limit is an int of at least 1 (ScanError('bad_limit', limit=,
    value=) otherwise).
    """

    max_page_pixels: int = DEFAULT_MAX_PIXELS
    max_pages: int = DEFAULT_MAX_PAGES
    max_total_pixels: int = DEFAULT_MAX_TOTAL_PIXELS

    def __post_init__(self):
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ScanError("bad_limit", limit=field.name, value=value)


DEFAULT_LIMITS = DecodeLimits()


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


def _limits(limits: DecodeLimits | None, **changes) -> DecodeLimits:
    """Return ``limits`` (the defaults for None) with ``changes`` not None."""
    if limits is None:
        limits = DEFAULT_LIMITS
    if not isinstance(limits, DecodeLimits):
        raise TypeError(f"limits must be a DecodeLimits, not {type(limits).__name__}")
    changes = {name: value for name, value in changes.items() if value is not None}
    return dataclasses.replace(limits, **changes) if changes else limits


def _prepare(data) -> tuple[bytes, str]:
    """Return (the bytes, their kind); ScanError('empty' | 'unsupported')."""
    if not data:
        raise ScanError("empty")
    data = bytes(data)
    return data, sniff_kind(data)


def _check_pdf_dpi(dpi) -> None:
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not 1 <= dpi <= 2400:
        raise ScanError("bad_limit", limit="pdf_dpi", value=dpi)


# ---------------------------------------------------------------- limits


def _check_count(count: int, limits: DecodeLimits) -> None:
    if count > limits.max_pages:
        raise ScanError("too_many_pages", count=count, max=limits.max_pages)


def _page_too_large(number, width, height, limits, legacy) -> ScanError:
    if legacy:  # the error identify() has always raised
        return ScanError(
            "too_many_pixels", width=width, height=height, max=limits.max_page_pixels
        )
    return ScanError(
        "page_too_large",
        page=number,
        width=width,
        height=height,
        max=limits.max_page_pixels,
    )


def _check_page(number, size, limits, legacy=False) -> None:
    width, height = size
    if width * height > limits.max_page_pixels:
        raise _page_too_large(number, width, height, limits, legacy)


def _check_sizes(sizes, limits: DecodeLimits, legacy=False) -> None:
    """Check the count, then each page's pixels, then their total.

    ``sizes`` holds the (width, height) of each page; None for a PDF page
    whose size poppler cannot tell (it is never rasterized).
    """
    _check_count(len(sizes), limits)
    for number, size in enumerate(sizes, 1):
        if size is not None:
            _check_page(number, size, limits, legacy)
    total = sum(width * height for width, height in filter(None, sizes))
    if total > limits.max_total_pixels:
        raise ScanError(
            "too_many_total_pixels", total=total, max=limits.max_total_pixels
        )


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
    becomes ScanError('truncated') instead.  Pillow's own decompression bomb
    limit (``Image.MAX_IMAGE_PIXELS``) is reported as too_many_pixels.
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


def _tiff_directory(data: bytes, offset: int, endian: str) -> tuple[int, int | None]:
    """Return (entry count, offset of the next directory or None if cut short)."""
    head = data[offset : offset + 2]
    if len(head) < 2:
        return 0, None
    (entries,) = struct.unpack(endian + "H", head)
    pointer = offset + 2 + 12 * entries
    tail = data[pointer : pointer + 4]
    if len(tail) < 4:
        return entries, None
    return entries, struct.unpack(endian + "L", tail)[0]


def _check_directory(data: bytes, offset: int, endian: str) -> None:
    """Refuse a directory too costly to read: Pillow reads all its tags' data."""
    entries, _next = _tiff_directory(data, offset, endian)
    if entries > _TIFF_MAX_ENTRIES:
        raise ScanError("unreadable")
    table = data[offset + 2 : offset + 2 + 12 * entries]
    table = table[: len(table) // 12 * 12]
    outside = 0  # bytes of the values stored out of the directory
    for _tag, kind, count, _value in struct.iter_unpack(endian + "HHL4s", table):
        size = _TIFF_TYPE_SIZES.get(kind, 0) * count
        if size > 4:
            outside += size
    if outside > _TIFF_MAX_DIRECTORY_DATA:
        raise ScanError("unreadable")


def _count_directories(data: bytes, offset: int, seen: set, endian: str) -> int:
    """Count the directories left in the chain (up to _TIFF_COUNT_CAP), cheaply."""
    count = 0
    while offset and offset not in seen and count < _TIFF_COUNT_CAP:
        seen.add(offset)
        count += 1
        _entries, offset = _tiff_directory(data, offset, endian)
    return count


def _tiff_frame_sizes(data: bytes, limits: DecodeLimits) -> list[tuple[int, int]]:
    """Return the (width, height) of the frames of a TIFF, from its IFDs only.

    The chain of image file directories is followed as Pillow follows it (a
    directory already seen ends it; Pillow's own reader reads each one),
    reading no pixel data.  A TIFF of more than ``limits.max_pages`` frames
    is refused (too_many_pages) once its directories are counted.
    """
    endian = "<" if data[:2] == b"II" else ">"
    fp = io.BytesIO(data)
    sizes = []
    with _pillow_errors("unreadable", limits.max_page_pixels):
        ifd = TiffImagePlugin.ImageFileDirectory_v2(ifh=data[:8])
        seen = set()
        offset = ifd.next
        while offset and offset not in seen:
            if len(sizes) == limits.max_pages:
                count = len(sizes) + _count_directories(data, offset, seen, endian)
                raise ScanError("too_many_pages", count=count, max=limits.max_pages)
            seen.add(offset)
            _check_directory(data, offset, endian)
            fp.seek(offset)
            ifd.load(fp)
            width = int(ifd.get(_TIFF_IMAGE_WIDTH))
            height = int(ifd.get(_TIFF_IMAGE_LENGTH))
            if width < 1 or height < 1:
                raise ScanError("unreadable")
            sizes.append((width, height))
            offset = ifd.next
    if not sizes:
        raise ScanError("unreadable")
    return sizes


def _image_sizes(data: bytes, kind: str, limits: DecodeLimits) -> list:
    """Return the pixel size of each page of a JPEG, PNG or TIFF (headers only)."""
    if kind == "tiff":
        return _tiff_frame_sizes(data, limits)
    with _pillow_errors("unreadable", limits.max_page_pixels), _open(data, kind) as img:
        return [img.size]


def page_dpi(image: Image.Image) -> tuple[float, float] | None:
    """Return the scanning resolution of a page, rounded to 0.01; None if unknown.

    ``image`` is a frame opened by Pillow or a page from :func:`page_image` /
    :func:`iter_pages` (which carry their file's resolution; a PDF page has
    none).  A TIFF without resolution tags has none (Pillow says (1, 1)), nor
    has a file with a bogus one.
    """
    if image.format == "TIFF" and _TIFF_X_RESOLUTION not in image.tag_v2:
        return None
    dpi = image.info.get("dpi")
    try:
        x_dpi, y_dpi = (float(value) for value in dpi)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not all(math.isfinite(v) and v > 0 for v in (x_dpi, y_dpi)):
        return None
    return (round(x_dpi, 2), round(y_dpi, 2))


def normalize_image(img: Image.Image, copy: bool = True) -> Image.Image:
    """Return ``img`` in mode L (grey pages) or RGB (all others).

    Transparent parts become white.  An image already in mode L or RGB is
    copied, or returned as it is with ``copy=False``.
    """
    if img.mode in ("L", "RGB"):
        return img.copy() if copy else img
    if img.mode in ("1", "I", "I;16", "I;16B", "I;16L", "F"):
        return img.convert("L")
    if img.mode in ("RGBA", "LA", "PA", "P") or ("transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return img.convert("RGB")


def _decode_frame(img, number: int, limits: DecodeLimits, copy: bool):
    """Decode the current frame of ``img`` (page ``number``) into a page image.

    The page is in mode L or RGB, turned as its EXIF orientation says (the
    TIFF loader does it itself), and carries the frame's resolution.
    """
    with _pillow_errors("unreadable", limits.max_page_pixels, truncation=True):
        _check_page(number, img.size, limits)
        img.load()
        dpi = page_dpi(img)
        frame = img
        if img.format != "TIFF" and img.getexif().get(_EXIF_ORIENTATION, 1) != 1:
            frame = ImageOps.exif_transpose(img)
        page = normalize_image(frame, copy=copy and frame is img)
    page.info.pop("dpi", None)
    if dpi is not None:
        page.info["dpi"] = dpi
    return page


def _describe(img: Image.Image, kind: str, page_count: int) -> ScanInfo:
    return ScanInfo(
        kind=kind,
        mimetype=MIMETYPES[kind],
        page_count=page_count,
        width=img.width,
        height=img.height,
        dpi=page_dpi(img),
    )


def _probe(data: bytes, kind: str, sizes, limits: DecodeLimits) -> ScanInfo:
    """Open (headers only), describe and verify."""
    with _pillow_errors("unreadable", limits.max_page_pixels):
        img = _open(data, kind)
    with img:
        _check_page(1, img.size, limits, legacy=True)
        with _pillow_errors("unreadable", limits.max_page_pixels):
            info = _describe(img, kind, len(sizes))
        with _pillow_errors("unreadable", limits.max_page_pixels, truncation=True):
            img.verify()
    return info


def _load_pages(data: bytes, kind: str, sizes, limits: DecodeLimits) -> None:
    """Decode each page, one at a time, on a fresh image: this finds truncation."""
    max_pixels = limits.max_page_pixels
    with _pillow_errors("truncated", max_pixels), _open(data, kind) as img:
        for index in range(len(sizes)):
            img.seek(index)
            _check_page(index + 1, img.size, limits, legacy=True)
            img.load()


def _identify_image(data: bytes, kind: str, limits: DecodeLimits) -> ScanInfo:
    with _strict_pillow():
        sizes = _image_sizes(data, kind, limits)
        _check_sizes(sizes, limits, legacy=True)
        info = _probe(data, kind, sizes, limits)
        _load_pages(data, kind, sizes, limits)
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


def _pdf_count(data: bytes) -> int:
    """Return the page count of a PDF; ScanError('truncated' | 'unreadable')."""
    if b"%%EOF" not in data[-_PDF_EOF_WINDOW:]:
        raise ScanError("truncated")
    page_count = pdf_page_count(data)
    if not page_count:
        raise ScanError("unreadable")
    return page_count


def _run_tool(name: str, args: list[str], memory: int, data: bytes | None = None):
    """Run a poppler program with PDF_TIMEOUT and ``memory`` bytes of address
    space; return its output.  ScanError('unreadable') when it is missing,
    fails, is too slow or runs out of memory."""
    executable = shutil.which(name)
    if executable is None:
        raise ScanError("unreadable")
    kilobytes = str(max(1, memory // 1024))
    command = [_SHELL, "-c", _LIMITED_EXEC, "sh", kilobytes, executable, *args]
    stdin = {"input": data} if data is not None else {"stdin": subprocess.DEVNULL}
    try:
        completed = subprocess.run(
            command, capture_output=True, timeout=PDF_TIMEOUT, check=True, **stdin
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise ScanError("unreadable") from exc
    return completed.stdout


def _points_to_pixels(points: float, dpi: int) -> int:
    """Pixels of ``points`` rasterized at ``dpi`` (pdftoppm rounds up)."""
    return max(1, math.ceil(points * dpi / _POINTS_PER_INCH - 1e-6))


def _pdf_page_sizes(data: bytes, count: int, dpi: int) -> list:
    """Return the pixel size at ``dpi`` of PDF pages 1..count, from pdfinfo.

    pdftoppm renders the MediaBox (whatever the CropBox or UserUnit).  A page
    pdfinfo does not size (poppler cannot find it) is None.  Should a line
    appear more than once (document metadata are printed as they are, and may
    hold line breaks), the largest size counts.
    """
    output = _run_tool(
        PDFINFO, ["-f", "1", "-l", str(count), "-box", "-"], PDFINFO_MEMORY, data
    )
    sizes: list = [None] * count
    for match in _PDFINFO_MEDIABOX_RE.finditer(output):
        number = int(match.group(1))
        if not 1 <= number <= count:
            continue
        try:
            left, bottom, right, top = (float(v) for v in match.group(2).split())
        except ValueError as exc:
            raise ScanError("unreadable") from exc
        if not all(math.isfinite(v) for v in (left, bottom, right, top)):
            raise ScanError("unreadable")
        size = (
            _points_to_pixels(abs(right - left), dpi),
            _points_to_pixels(abs(top - bottom), dpi),
        )
        known = sizes[number - 1]
        if known is None or size[0] * size[1] > known[0] * known[1]:
            sizes[number - 1] = size
    return sizes


def _pdf_sizes(data: bytes, limits: DecodeLimits, dpi: int, legacy=False) -> list:
    """Count the pages, check the count, size them and check their pixels."""
    count = _pdf_count(data)
    _check_count(count, limits)
    sizes = _pdf_page_sizes(data, count, dpi)
    _check_sizes(sizes, limits, legacy)
    return sizes


@contextlib.contextmanager
def _pdf_on_disk(data: bytes):
    """Yield the path of a temporary copy of a PDF (pdftoppm reads it there)."""
    with tempfile.TemporaryDirectory(prefix="cadre_archive_") as tmp:
        path = os.path.join(tmp, "scan.pdf")
        with open(path, "wb") as pdf_file:
            pdf_file.write(data)
        yield path


def _rasterize(pdf_path: str, number: int, size, limits: DecodeLimits, dpi: int):
    """Rasterize page ``number`` (only it) of the PDF at ``pdf_path``."""
    if size is None:  # poppler cannot size this page: it cannot render it
        raise ScanError("unreadable")
    prefix = os.path.join(os.path.dirname(pdf_path), "page")
    args = ["-r", str(dpi), "-png", "-f", str(number), "-l", str(number)]
    memory = PDF_MEMORY_BASE + PDF_MEMORY_PER_PIXEL * size[0] * size[1]
    png_path = prefix + ".png"
    try:
        _run_tool(PDFTOPPM, [*args, "-singlefile", pdf_path, prefix], memory)
        return _load_png(png_path, number, size, limits)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(png_path)


def _is_size(actual, expected) -> bool:
    """Return True when ``actual`` is ``expected``, maybe turned, to 1 px."""
    return any(
        abs(actual[0] - width) <= 1 and abs(actual[1] - height) <= 1
        for width, height in (expected, expected[::-1])
    )


def _load_png(path: str, number: int, size, limits: DecodeLimits) -> Image.Image:
    """Decode one page rendered by pdftoppm, of the size pdfinfo told.

    Out of memory, pdftoppm writes a 1 x 1 px page and succeeds: a page of
    another size than expected is unreadable.
    """
    max_pixels = limits.max_page_pixels
    with _pillow_errors("unreadable", max_pixels):
        if not os.path.exists(path):
            raise ScanError("unreadable")
        with Image.open(path, formats=["PNG"]) as img:
            _check_page(number, img.size, limits)
            if not _is_size(img.size, size):
                raise ScanError("unreadable")
            img.load()
            page = normalize_image(img, copy=False)
    page.info.pop("dpi", None)  # the rasterization's, not the scan's
    return page


def _identify_pdf(data: bytes, limits: DecodeLimits) -> ScanInfo:
    sizes = _pdf_sizes(data, limits, PDF_DPI, legacy=True)
    return ScanInfo(
        kind="pdf",
        mimetype=MIMETYPES["pdf"],
        page_count=len(sizes),
        width=None,
        height=None,
        dpi=None,
    )


# ------------------------------------------------------------ public API


def identify(
    data: bytes,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int | None = None,
    *,
    limits: DecodeLimits | None = None,
) -> ScanInfo:
    """Check an uploaded scan and describe it; raise ScanError when unusable.

    Errors: 'empty', ('too_large', size=, max=) over ``max_bytes``,
    'unsupported', 'unreadable', 'truncated', and the ``limits`` (checked
    from the headers, before any decoding): ('too_many_pages', count=, max=),
    ('too_many_total_pixels', total=, max=) and, for a page over
    ``max_pixels`` (default: ``limits.max_page_pixels``), ('too_many_pixels',
    width=, height=, max=) as identify has always said.  PDF pages are sized
    at PDF_DPI.  Each page of an image file is then decoded, one at a time,
    to find damaged and truncated files.
    """
    if not data:
        raise ScanError("empty")
    data = bytes(data)
    if len(data) > max_bytes:
        raise ScanError("too_large", size=len(data), max=max_bytes)
    limits = _limits(limits, max_page_pixels=max_pixels)
    kind = sniff_kind(data)
    if kind == "pdf":
        return _identify_pdf(data, limits)
    return _identify_image(data, kind, limits)


def page_count(data: bytes, limits: DecodeLimits | None = None) -> int:
    """Return the number of pages of a scan, after checking its ``limits``.

    Nothing is decoded: the limits are checked from the headers (a PDF's
    page sizes at PDF_DPI).  Raise ScanError: 'empty', 'unsupported',
    'unreadable', 'truncated' (a PDF without its end), ('too_many_pages',
    count=, max=), ('page_too_large', page=, width=, height=, max=),
    ('too_many_total_pixels', total=, max=).
    """
    data, kind = _prepare(data)
    limits = _limits(limits)
    if kind == "pdf":
        return len(_pdf_sizes(data, limits, PDF_DPI))
    sizes = _image_sizes(data, kind, limits)
    _check_sizes(sizes, limits)
    return len(sizes)


def _check_number(number, count: int) -> None:
    is_int = isinstance(number, int) and not isinstance(number, bool)
    if not is_int or not 1 <= number <= count:
        raise ScanError("bad_page", page=number, count=count)


def page_image(
    data: bytes,
    number: int,
    limits: DecodeLimits | None = None,
    *,
    pdf_dpi: int = PDF_DPI,
) -> Image.Image:
    """Return page ``number`` (from 1) of a scan as an L or RGB image.

    Only that page is decoded (a PDF page alone is rasterized at ``pdf_dpi``),
    after the ``limits`` are checked as :func:`page_count` does.  The image
    carries the scan's resolution for :func:`page_dpi`.  Raise ScanError as
    page_count does, ('bad_page', page=, count=) when there is no such page
    (or ``number`` is not an int), 'unreadable' or 'truncated' when the page
    cannot be decoded.
    """
    data, kind = _prepare(data)
    limits = _limits(limits)
    _check_pdf_dpi(pdf_dpi)
    if kind == "pdf":
        sizes = _pdf_sizes(data, limits, pdf_dpi)
        _check_number(number, len(sizes))
        with _pdf_on_disk(data) as path:
            return _rasterize(path, number, sizes[number - 1], limits, pdf_dpi)
    sizes = _image_sizes(data, kind, limits)
    _check_sizes(sizes, limits)
    _check_number(number, len(sizes))
    with _pillow_errors("unreadable", limits.max_page_pixels), _open(data, kind) as img:
        img.seek(number - 1)  # reads the directories of the frames before
        return _decode_frame(img, number, limits, copy=False)


def iter_pages(
    data: bytes,
    limits: DecodeLimits | None = None,
    *,
    pdf_dpi: int = PDF_DPI,
) -> Iterator[tuple[int, Image.Image]]:
    """Yield (number from 1, L or RGB image) for each page of a scan, in order.

    The ``limits`` are checked as :func:`page_count` does when this is
    called, before any page is decoded; then each page is decoded (a PDF page
    rasterized alone) when the next one is asked for, and nothing here keeps
    it once it is yielded.  Raise ScanError as :func:`page_image` does.
    """
    data, kind = _prepare(data)
    limits = _limits(limits)
    _check_pdf_dpi(pdf_dpi)
    if kind == "pdf":
        sizes = _pdf_sizes(data, limits, pdf_dpi)
        return _iter_pdf_pages(data, sizes, limits, pdf_dpi)
    sizes = _image_sizes(data, kind, limits)
    _check_sizes(sizes, limits)
    return _iter_image_pages(data, kind, len(sizes), limits)


def _iter_pdf_pages(data: bytes, sizes, limits: DecodeLimits, dpi: int):
    with _pdf_on_disk(data) as path:
        for number, size in enumerate(sizes, 1):
            page = _rasterize(path, number, size, limits, dpi)
            yield number, page
            del page  # not kept while the next page is decoded


def _iter_image_pages(data: bytes, kind: str, count: int, limits: DecodeLimits):
    max_pixels = limits.max_page_pixels
    with _pillow_errors("unreadable", max_pixels):
        img = _open(data, kind)
    with img:
        for number in range(1, count + 1):
            with _pillow_errors("unreadable", max_pixels):
                img.seek(number - 1)  # the next frame replaces the previous one
            page = _decode_frame(img, number, limits, copy=True)
            yield number, page
            del page  # not kept while the next page is decoded
