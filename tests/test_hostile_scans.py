"""Hostile uploads through the plain-Python part of the upload pipeline.

Random bytes behind a valid PNG, JPEG, TIFF or PDF header, real scans cut
short or with bytes overwritten, and decompression bombs go through every
function an upload meets before it is stored, viewed, checked or recognised:
``scans.identify``, ``scans.page_count``, ``scans.page_image``,
``scans.iter_pages``, ``quality.check_scan``, ``watermark.render_page`` and
the page decoding of ``ocr.ocr_page``. Each must serve the file or raise
ScanError (the documented error of an unusable scan), never a crash of
another type from inside Pillow or poppler.

Profiles (tests/conftest.py): "ci" by default (fixed seed, bounded), "dev"
with ``HYPOTHESIS_PROFILE=dev``.
"""

import io
import struct
import zlib

import pytest
from cadre_archive_lib import ocr, quality, scans, watermark
from cadre_archive_lib.errors import ScanError
from cadre_archive_lib.ocr import OcrError
from cadre_archive_lib.pages import images_to_pdf
from hypothesis import example, given, settings
from hypothesis import strategies as st
from PIL import Image

HEADERS = {
    "png": b"\x89PNG\r\n\x1a\n",
    "jpeg": b"\xff\xd8\xff",
    "tiff_le": b"II*\x00",
    "tiff_be": b"MM\x00*",
    "pdf": b"%PDF-1.4\n",
}
# Every start of a file the pipeline takes (scans._MAGIC).
MAGICS = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"%PDF-")
# Small limits: a fuzzed header may claim any size, and a test must stay quick.
LIMITS = scans.DecodeLimits(
    max_page_pixels=4_000_000, max_pages=20, max_total_pixels=20_000_000
)


def _encode(fmt, mode="L", size=(64, 48), **params):
    image = Image.new(mode, size, "white")
    for x in range(0, size[0], 7):
        image.putpixel((x, size[1] // 2), 0)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def _valid_files():
    pages = [_encode("PNG"), _encode("PNG", "RGB")]
    return {
        "png": _encode("PNG", dpi=(300, 300)),
        "jpeg": _encode("JPEG", "RGB", dpi=(300, 300)),
        "tiff": _encode("TIFF", dpi=(300, 300)),
        "tiff_g4": _encode("TIFF", "1", compression="group4"),
        "pdf": images_to_pdf(pages, dpi=72),
    }


VALID = _valid_files()


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def png_bomb(width=100_000, height=100_000) -> bytes:
    """A PNG whose header claims width x height pixels, with a tiny body."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * 1024)
    return (
        HEADERS["png"]
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )


def png_zip_bomb() -> bytes:
    """A small PNG (3000 x 3000) whose pixel data compresses 1000 to 1."""
    width = height = 3000
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * ((width + 1) * height), 9)
    return (
        HEADERS["png"]
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )


def tiff_bomb(frames=5000) -> bytes:
    """A TIFF of ``frames`` directories chained one after another."""
    entries = [(256, 3, 1, 10), (257, 3, 1, 10)]
    out = bytearray(b"II*\x00" + struct.pack("<I", 8))
    for index in range(frames):
        offset = len(out)
        nxt = offset + 2 + 12 * len(entries) + 4 if index < frames - 1 else 0
        out += struct.pack("<H", len(entries))
        for tag, typ, count, value in entries:
            out += struct.pack("<HHII", tag, typ, count, value)
        out += struct.pack("<I", nxt)
    return bytes(out)


def pdf_bomb() -> bytes:
    """A PDF page of 200 x 200 inches (30000 x 30000 px at 150 dpi)."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 14400 14400]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


BOMBS = {
    "png_bomb": png_bomb(),
    "png_zip_bomb": png_zip_bomb(),
    "tiff_bomb": tiff_bomb(),
    "pdf_bomb": pdf_bomb(),
}


def _through_pipeline(data: bytes) -> None:
    """Run ``data`` through every step of the upload pipeline.

    Each step must return or raise ScanError; any other exception fails the
    test with its own traceback.
    """
    try:
        info = scans.identify(data, limits=LIMITS)
    except ScanError:
        info = None
    else:
        assert info.kind in scans.MIMETYPES
        assert 1 <= info.page_count <= LIMITS.max_pages
    try:
        count = scans.page_count(data, LIMITS)
    except ScanError:
        count = None
    else:
        assert 1 <= count <= LIMITS.max_pages
    if info is not None:
        assert count == info.page_count, "identify and page_count agree"
    try:
        page = scans.page_image(data, 1, LIMITS)
    except ScanError:
        page = None
    else:
        assert page.mode in ("1", "L", "RGB")
        assert page.width * page.height <= LIMITS.max_page_pixels
    try:
        decoded = [number for number, _image in scans.iter_pages(data, LIMITS)]
    except ScanError:
        pass
    else:
        assert decoded == list(range(1, len(decoded) + 1))
    try:
        results = quality.check_scan(data, limits=LIMITS)
    except ScanError:
        pass
    else:
        assert [r.page for r in results] == list(range(1, len(results) + 1))
        for result in results:
            assert result.state in ("ok", "warning", "rescan")
    try:
        rendered = watermark.render_page(data, 1, ["fuzz"], limits=LIMITS)
    except ScanError:
        pass
    else:
        assert rendered.startswith(HEADERS["png"])
    if page is not None:
        assert ocr._opaque(page).mode in ("1", "L", "RGB")


# ------------------------------------------------ random bytes, valid header


@given(st.sampled_from(sorted(HEADERS)), st.binary(max_size=400))
@example("png", b"")
@example("pdf", b"%%EOF")
@example("pdf", b"1 0 obj<</Type/Page/MediaBox[0 0 1e400 -5]>>endobj\n%%EOF")
@example("pdf", b"1 0 obj<</Type/Page/MediaBox[0 0 nan 1]>>endobj\n%%EOF")
@example("tiff_le", struct.pack("<I", 0xFFFFFFFF))
@example("tiff_le", struct.pack("<IH", 8, 0xFFFF))
@example("jpeg", b"\xc0\x00\x11\x08\xff\xff\xff\xff\x03")
def test_random_bytes_behind_a_valid_header(kind, body):
    _through_pipeline(HEADERS[kind] + body)


@given(st.binary(max_size=200))
def test_random_bytes_without_a_header_are_unsupported(data):
    if data.startswith(MAGICS):
        return
    with pytest.raises(ScanError) as raised:
        scans.identify(data)
    assert raised.value.code in ("empty", "unsupported")


# --------------------------------------------------- real scans, then damaged


@given(st.sampled_from(sorted(VALID)), st.data())
def test_a_scan_cut_short_is_served_or_refused(name, data):
    valid = VALID[name]
    cut = data.draw(st.integers(0, len(valid) - 1), label="cut")
    _through_pipeline(valid[:cut])


@given(
    st.sampled_from(sorted(VALID)),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8),
)
def test_a_scan_with_bytes_overwritten_is_served_or_refused(name, changes):
    damaged = bytearray(VALID[name])
    for position, value in changes:
        damaged[position % len(damaged)] = value
    _through_pipeline(bytes(damaged))


@given(st.sampled_from(sorted(VALID)), st.binary(min_size=1, max_size=300))
def test_a_scan_with_bytes_inserted_is_served_or_refused(name, junk):
    valid = VALID[name]
    middle = len(valid) // 2
    _through_pipeline(valid[:middle] + junk + valid[middle:])


@pytest.mark.parametrize("name", sorted(VALID))
def test_the_valid_scans_go_through_every_step(name):
    """The fuzzing starts from scans the pipeline really serves."""
    info = scans.identify(VALID[name], limits=LIMITS)
    assert info.page_count == (2 if name == "pdf" else 1)
    assert len(quality.check_scan(VALID[name], limits=LIMITS)) == info.page_count
    assert watermark.render_page(VALID[name], 1, ["ok"]).startswith(HEADERS["png"])


# ----------------------------------------------------------------- bombs


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_decompression_bombs_are_refused_before_decoding(name):
    data = BOMBS[name]
    with pytest.raises(ScanError) as raised:
        scans.identify(data, limits=LIMITS)
    assert raised.value.code in (
        "too_many_pixels",
        "page_too_large",
        "too_many_pages",
        "too_many_total_pixels",
    ), raised.value
    for step in (
        lambda: scans.page_count(data, LIMITS),
        lambda: scans.page_image(data, 1, LIMITS),
        lambda: list(scans.iter_pages(data, LIMITS)),
        lambda: quality.check_scan(data, limits=LIMITS),
        lambda: watermark.render_page(data, 1, ["x"], limits=LIMITS),
    ):
        with pytest.raises(ScanError):
            step()


# ----------------------------------------------------------- OCR's decoding


@settings(max_examples=15)
@given(st.sampled_from(sorted(HEADERS)), st.binary(max_size=200), st.integers(-2, 3))
def test_ocr_page_refuses_a_fuzzed_scan_with_scan_error(kind, body, number):
    """OCR decodes the page before Tesseract runs: a bad scan never reaches it."""
    data = HEADERS[kind] + body
    try:
        text = ocr.ocr_page(data, number, limits=LIMITS, timeout=30)
    except (ScanError, OcrError):
        return
    assert isinstance(text, str)
