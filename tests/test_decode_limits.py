"""Decoding limits: small uploads that would decode into gigabytes are refused
from their headers, and every path decodes one page at a time.

The crafted files are made here: a TIFF whose many large blank frames share
one group 4 strip (a few kilobytes), and a hand-written PDF of huge pages (a
few hundred bytes).  Nothing is mocked: Pillow, poppler and Tesseract run for
real.  Peak memory is measured in child processes.
"""

import io
import json
import math
import os
import resource
import shutil
import stat
import struct
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from _tesseract import needs_tesseract
from cadre_archive_lib import ocr, pages, quality, scans, watermark
from cadre_archive_lib.errors import ScanError
from cadre_archive_lib.scans import DecodeLimits
from PIL import Image, ImageChops, ImageDraw

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdfinfo") is None,
    reason="poppler's pdftoppm and pdfinfo are not installed",
)
needs_cjk_font = pytest.mark.skipif(
    pages.find_cjk_font() is None, reason="no CJK font (fonts-noto-cjk)"
)
quiet_bombs = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")

LINES = ["张三 (zhangsan)", "2026-11-25 14:03"]
TESTS_DIR = Path(__file__).resolve().parent
# Peak resident memory allowed to a child process that decodes a crafted
# file: decoding all its pages at once takes several times more.
PEAK_RSS_BOUND_MB = 400

# ----------------------------------------------------------------- helpers


def encode(img, fmt, **params):
    buffer = io.BytesIO()
    img.save(buffer, fmt, **params)
    return buffer.getvalue()


def repeated_frames(single: bytes, count: int) -> bytes:
    """A TIFF of ``count`` frames that all point to the strips of ``single``.

    ``single`` is a one-frame TIFF; its directory (IFD) is copied ``count - 1``
    times at the end of the file and the copies are chained: each frame is
    the first one again, at the cost of one directory.
    """
    endian = "<" if single[:2] == b"II" else ">"
    (first,) = struct.unpack(endian + "L", single[4:8])
    (entries,) = struct.unpack(endian + "H", single[first : first + 2])
    size = 2 + 12 * entries + 4
    directory = single[first : first + size - 4]
    out = bytearray(single)
    if len(out) % 2:
        out += b"\0"
    next_pointer = first + size - 4
    for _ in range(count - 1):
        offset = len(out)
        out[next_pointer : next_pointer + 4] = struct.pack(endian + "L", offset)
        out += directory + b"\0\0\0\0"
        next_pointer = offset + size - 4
    return bytes(out)


def blank_tiff(count: int, side: int) -> bytes:
    """``count`` blank 1-bit frames of ``side`` x ``side`` px (group 4)."""
    frame = Image.new("1", (side, side), 1)
    return repeated_frames(encode(frame, "TIFF", compression="group4"), count)


def write_pdf(objects, info=None) -> bytes:
    """A hand-written PDF (object 1 is the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    info_ref = b" /Info %d 0 R" % info if info else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(objects) + 1, info_ref)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def pdf_of_pages(boxes, title=None) -> bytes:
    """A PDF of blank pages, page n with the MediaBox (width, height) boxes[n-1]."""
    count = len(boxes)
    kids = b" ".join(b"%d 0 R" % (3 + index) for index in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] >>" % box for box in boxes
    ]
    if title is None:
        return write_pdf(objects)
    objects.append(b"<< /Title (%s) >>" % title)
    return write_pdf(objects, info=len(objects))


def huge_pdf(count=3, side=14400) -> bytes:
    """``count`` pages of ``side`` x ``side`` pt, inherited from the page tree."""
    kids = b" ".join(b"%d 0 R" % (3 + index) for index in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 %d %d] >>"
        % (kids, count, side, side),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R >>"] * count
    return write_pdf(objects)


def pdf_pixels(points, dpi=scans.PDF_DPI):
    return -(-points * dpi // 72)  # pdftoppm rounds up


def numbered_frame(number, size=(200, 300)):
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    draw.text((20, 20), str(number), fill=0, font=pages.load_font(60))
    draw.rectangle((10, 200, 10 + 30 * number, 220), fill=0)
    return img


def numbered_tiff(count=4, **params):
    frames = [numbered_frame(n) for n in range(1, count + 1)]
    return encode(frames[0], "TIFF", save_all=True, append_images=frames[1:], **params)


def same_pixels(a, b):
    return a.size == b.size and ImageChops.difference(a, b).getbbox() is None


def scan_error(function, *args, **kwargs) -> ScanError:
    with pytest.raises(ScanError) as info:
        function(*args, **kwargs)
    return info.value


# Every way into the decoder, as the Odoo layer and the scripts call them.
ENTRY_POINTS = {
    "identify": lambda data, limits: scans.identify(data, limits=limits),
    "page_count": lambda data, limits: scans.page_count(data, limits),
    "page_image": lambda data, limits: scans.page_image(data, 1, limits),
    "iter_pages": lambda data, limits: next(scans.iter_pages(data, limits)),
    "check_scan": lambda data, limits: quality.check_scan(data, limits=limits),
    "ocr_page": lambda data, limits: ocr.ocr_page(data, 1, limits=limits),
    "render_page": lambda data, limits: watermark.render_page(
        data, 1, LINES, limits=limits
    ),
}
# The same, with the default limits only (the deprecated names too).
DEFAULT_ENTRY_POINTS = {
    **{
        name: (lambda data, call=call: call(data, None))
        for name, call in ENTRY_POINTS.items()
    },
    "watermark.page_count": watermark.page_count,
    "watermark.page_images": watermark.page_images,
}


@pytest.fixture(scope="module")
def crafted_tiff():
    """40 blank frames of 10000 x 10000 px: 4 billion pixels in a few KB."""
    return blank_tiff(40, 10_000)


@pytest.fixture(scope="module")
def crafted_pdf():
    """3 pages of 14400 x 14400 pt (30000 x 30000 px each at 150 dpi)."""
    return huge_pdf(3)


@pytest.fixture
def pdftoppm_log(monkeypatch, tmp_path):
    """Run pdftoppm through a wrapper that logs each run and the PNGs it made.

    Each entry of the returned list (filled as pdftoppm runs) is (its
    arguments, the number of PNG files in its output folder after it ran).
    """
    real = shutil.which("pdftoppm")
    log = tmp_path / "pdftoppm.log"
    log.write_text("")
    wrapper = tmp_path / "pdftoppm-wrapper"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'"{real}" "$@"\n'
        "status=$?\n"
        "for root; do :; done\n"  # the last argument: the output root
        'made=$(ls "$(dirname "$root")" | grep -c "\\.png$")\n'
        f'echo "$made $*" >> "{log}"\n'
        "exit $status\n"
    )
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(scans, "PDFTOPPM", os.fspath(wrapper))

    class Log:
        def runs(self):
            runs = []
            for line in log.read_text().splitlines():
                made, *args = line.split()
                runs.append((args, int(made)))
            return runs

        def pages(self):
            """The pages asked of each run, as (first, last)."""
            result = []
            for args, _made in self.runs():
                first = int(args[args.index("-f") + 1])
                last = int(args[args.index("-l") + 1])
                result.append((first, last))
            return result

    return Log()


# ----------------------------------------------------------- DecodeLimits


def test_default_limits():
    assert scans.DEFAULT_LIMITS == DecodeLimits()
    assert DecodeLimits() == DecodeLimits(
        max_page_pixels=100_000_000, max_pages=500, max_total_pixels=1_000_000_000
    )
    assert scans.DEFAULT_MAX_PIXELS == DecodeLimits().max_page_pixels


def test_limits_are_frozen():
    with pytest.raises(AttributeError):
        DecodeLimits().max_pages = 10


@pytest.mark.parametrize("value", [0, -1, True, 1.5, "5", None])
@pytest.mark.parametrize("field", ["max_page_pixels", "max_pages", "max_total_pixels"])
def test_bad_limits(field, value):
    error = scan_error(DecodeLimits, **{field: value})
    assert (error.code, error.params) == ("bad_limit", {"limit": field, "value": value})


def test_limits_must_be_decode_limits():
    with pytest.raises(TypeError):
        scans.page_count(numbered_tiff(), {"max_pages": 2})


@pytest.mark.parametrize("dpi", [0, -150, 150.0, True, 10_000])
def test_bad_pdf_dpi(dpi):
    error = scan_error(scans.page_image, numbered_tiff(), 1, pdf_dpi=dpi)
    assert (error.code, error.params) == (
        "bad_limit",
        {"limit": "pdf_dpi", "value": dpi},
    )


# ------------------------------------------------------ the crafted TIFF


@quiet_bombs
def test_crafted_tiff_is_small(crafted_tiff):
    assert len(crafted_tiff) < 20_000
    with Image.open(io.BytesIO(crafted_tiff)) as img:
        assert img.n_frames == 40
        assert img.size == (10_000, 10_000)


@quiet_bombs
@pytest.mark.parametrize("entry", DEFAULT_ENTRY_POINTS)
def test_crafted_tiff_over_the_total_limit(crafted_tiff, entry):
    error = scan_error(DEFAULT_ENTRY_POINTS[entry], crafted_tiff)
    assert error.code == "too_many_total_pixels"
    assert error.params == {"total": 40 * 10**8, "max": 10**9}


@quiet_bombs
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_crafted_tiff_over_a_lowered_page_count(crafted_tiff, entry):
    limits = DecodeLimits(max_pages=10, max_total_pixels=10**12)
    error = scan_error(ENTRY_POINTS[entry], crafted_tiff, limits)
    assert (error.code, error.params) == ("too_many_pages", {"count": 40, "max": 10})


@quiet_bombs
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_crafted_tiff_over_a_lowered_page_size(crafted_tiff, entry):
    limits = DecodeLimits(max_page_pixels=50_000_000, max_total_pixels=10**12)
    error = scan_error(ENTRY_POINTS[entry], crafted_tiff, limits)
    size = {"width": 10_000, "height": 10_000, "max": 50_000_000}
    if entry == "identify":  # identify keeps the code it has always used
        assert (error.code, error.params) == ("too_many_pixels", size)
    else:
        assert (error.code, error.params) == ("page_too_large", {"page": 1, **size})


def test_a_page_over_the_limit_is_found_anywhere():
    small = Image.new("L", (100, 100), 255)
    large = Image.new("L", (300, 200), 255)
    data = encode(small, "TIFF", save_all=True, append_images=[small, large, small])
    limits = DecodeLimits(max_page_pixels=50_000)
    for call in (scans.page_count, scans.iter_pages):
        error = scan_error(call, data, limits)
        assert (error.code, error.params) == (
            "page_too_large",
            {"page": 3, "width": 300, "height": 200, "max": 50_000},
        )
    # even when another page is asked for: the file is over its limits
    assert scan_error(scans.page_image, data, 1, limits).code == "page_too_large"


def test_the_page_count_of_a_long_tiff_is_told():
    data = blank_tiff(600, 10)
    error = scan_error(scans.page_count, data)
    assert (error.code, error.params) == ("too_many_pages", {"count": 600, "max": 500})
    assert scans.page_count(data, DecodeLimits(max_pages=600)) == 600


def test_deprecated_page_images_iterate_with_their_own_page_limit():
    data = blank_tiff(600, 10)  # over the default 500 pages
    images = watermark.page_images(data, max_pages=600)
    assert len(images) == 600
    assert sum(1 for _image in images) == 600
    assert images[599].size == (10, 10)
    assert images[-1].size == (10, 10)


def test_deprecated_page_images_default_to_500_pages():
    error = scan_error(watermark.page_images, blank_tiff(501, 10))
    assert (error.code, error.params) == ("too_many_pages", {"count": 501, "max": 500})
    assert len(watermark.page_images(blank_tiff(500, 10))) == 500


def test_deprecated_page_images_keep_their_own_copy_of_the_data():
    data = bytearray(blank_tiff(2, 10))
    images = watermark.page_images(data)
    data[:] = b"\0" * len(data)  # the caller reuses its buffer
    assert images[1].size == (10, 10)


def test_deprecated_page_images_of_nothing():
    assert scan_error(watermark.page_images, None).code == "empty"
    assert scan_error(watermark.page_images, b"").code == "empty"


def test_a_tiff_directory_of_more_than_32767_entries_is_refused():
    # a readable directory, but of 40000 entries (an unsigned 16-bit count)
    data = tiff_of_one_directory([(65000, 3, 1, 0)] * (40000 - 8))
    assert scan_error(scans.page_count, data).code == "unreadable"


def test_a_tiff_directory_loop_ends_the_frames():
    data = bytearray(blank_tiff(3, 10))
    # point the third directory back to the second one
    with Image.open(io.BytesIO(bytes(data))) as img:
        img.seek(2)
        third = img.tag_v2.offset
        img.seek(1)
        second = img.tag_v2.offset
    (entries,) = struct.unpack("<H", data[third : third + 2])
    pointer = third + 2 + 12 * entries
    data[pointer : pointer + 4] = struct.pack("<L", second)
    assert scans.page_count(bytes(data)) == 3
    with Image.open(io.BytesIO(bytes(data))) as img:
        assert img.n_frames == 3  # as Pillow sees it


def tiff_frame_offsets(data: bytes) -> list[int]:
    """Return the offsets of the image file directories of a TIFF, in order."""
    offsets = []
    with Image.open(io.BytesIO(data)) as img:
        for index in range(img.n_frames):
            img.seek(index)
            offsets.append(img.tag_v2.offset)
    return offsets


def test_a_directory_loop_after_the_page_limit_is_counted_once():
    data = bytearray(blank_tiff(5, 10))
    offsets = tiff_frame_offsets(bytes(data))
    # point the fifth directory back to the third one, past max_pages=2
    (entries,) = struct.unpack("<H", data[offsets[4] : offsets[4] + 2])
    pointer = offsets[4] + 2 + 12 * entries
    data[pointer : pointer + 4] = struct.pack("<L", offsets[2])
    error = scan_error(scans.page_count, bytes(data), DecodeLimits(max_pages=2))
    assert (error.code, error.params) == ("too_many_pages", {"count": 5, "max": 2})


def test_the_directories_past_the_page_limit_are_counted_up_to_a_cap():
    cap = scans._TIFF_COUNT_CAP
    data = bytearray(blank_tiff(1, 10))
    (offset,) = tiff_frame_offsets(bytes(data))
    (entries,) = struct.unpack("<H", data[offset : offset + 2])
    pointer = offset + 2 + 12 * entries
    # a chain of cap + 5 empty directories (6 bytes each) after the first one
    start = len(data)
    data[pointer : pointer + 4] = struct.pack("<L", start)
    for index in range(cap + 5):
        following = start + 6 * (index + 1) if index < cap + 4 else 0
        data += struct.pack("<HL", 0, following)
    error = scan_error(scans.page_count, bytes(data), DecodeLimits(max_pages=1))
    assert (error.code, error.params) == (
        "too_many_pages",
        {"count": 1 + cap, "max": 1},
    )


def tiff_of_one_directory(entries):
    """A little-endian TIFF of one directory of ``entries`` (tag, type, count,
    inline value), a 10 x 10 px frame whose strip is the header."""
    table = [
        (256, 3, 1, 10),
        (257, 3, 1, 10),
        (258, 3, 1, 1),
        (259, 3, 1, 1),
        (262, 3, 1, 1),
        (273, 4, 1, 0),
        (278, 3, 1, 10),
        (279, 4, 1, 20),
        *entries,
    ]
    directory = struct.pack("<H", len(table))
    directory += b"".join(struct.pack("<HHLL", *entry) for entry in table)
    return b"II*\x00" + struct.pack("<L", 8) + directory + struct.pack("<L", 0)


def test_a_plain_tiff_directory_is_read():
    assert scans.page_count(tiff_of_one_directory([])) == 1


def test_a_tiff_directory_of_too_many_tags_is_refused():
    data = tiff_of_one_directory([(40000 + n, 3, 1, 0) for n in range(1000)])
    assert scan_error(scans.page_count, data).code == "unreadable"


def test_a_tiff_directory_of_exactly_the_entry_limit_is_read():
    data = tiff_of_one_directory([(65000, 3, 1, 0)] * (scans._TIFF_MAX_ENTRIES - 8))
    assert scans.page_count(data) == 1


def test_only_the_directory_itself_is_checked_for_tag_data():
    # 24 entries; the bytes after the directory (here not part of any tag)
    # would read as a tag of 4 GB of LONG values if taken for an entry.
    data = tiff_of_one_directory([(65000, 3, 1, 0)] * 16)
    data += b"\0" * 8 + struct.pack("<HHL4s", 700, 4, 2**30, b"\0" * 4)
    assert scans.page_count(data) == 1


def test_a_tiff_directory_of_exactly_the_tag_data_limit_is_read():
    limit = scans._TIFF_MAX_DIRECTORY_DATA
    data = tiff_of_one_directory([(65000, 1, limit, 8)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert scans.page_count(data) == 1
    data = tiff_of_one_directory([(65000, 1, limit + 1, 8)])
    assert scan_error(scans.page_count, data).code == "unreadable"


def test_a_tiff_tag_of_unknown_type_holds_no_data():
    data = tiff_of_one_directory([(65000, 99, 2**30, 8)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert scans.page_count(data) == 1


def test_four_bytes_of_tag_data_are_inside_the_directory():
    limit = scans._TIFF_MAX_DIRECTORY_DATA
    # LONG x 1 = 4 bytes: stored in the entry, not counted
    data = tiff_of_one_directory([(65000, 1, limit - 3, 8), (65001, 4, 1, 0)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert scans.page_count(data) == 1
    # BYTE x 5 = 5 bytes: stored outside, counted
    data = tiff_of_one_directory([(65000, 1, limit - 4, 8), (65001, 1, 5, 8)])
    assert scan_error(scans.page_count, data).code == "unreadable"


def test_a_tiff_tag_count_is_unsigned():
    data = tiff_of_one_directory([(65000, 1, 2**31, 8)])  # 2 GB of bytes
    assert scan_error(scans.page_count, data).code == "unreadable"


def test_a_tiff_directory_cut_inside_an_entry_is_left_to_pillow():
    # The cost check reads the whole entries only (no struct.error on the
    # partial one); Pillow reads the frame, warning about the cut entry.
    data = tiff_of_one_directory([])[:-10]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert scans.page_count(data) == 1


def test_a_tiff_directory_of_too_much_tag_data_is_refused():
    xmp = (700, 1, 20 * 1024 * 1024, 8)  # 20 MB of XMP, says the directory
    data = tiff_of_one_directory([xmp])
    assert scan_error(scans.page_count, data).code == "unreadable"
    assert scan_error(scans.identify, data).code == "unreadable"


def tiff_of_size(width, height, bits=1):
    """A one-frame little-endian TIFF header of ``width`` x ``height`` px."""
    table = [
        (256, 4, 1, width),
        (257, 4, 1, height),
        (258, 3, 1, bits),
        (259, 3, 1, 1),
        (262, 3, 1, 1),
        (273, 4, 1, 0),
        (278, 4, 1, height),
        (279, 4, 1, 20),
    ]
    directory = struct.pack("<H", len(table))
    directory += b"".join(struct.pack("<HHLL", *entry) for entry in table)
    return b"II*\x00" + struct.pack("<L", 8) + directory + struct.pack("<L", 0)


def test_pillow_bomb_limit_on_a_tiff_reports_the_callers_limit():
    # The frame size is read from the directory (within max_pixels); Pillow
    # then refuses to open it: too_many_pixels, with the caller's limit.
    side = math.isqrt(3 * Image.MAX_IMAGE_PIXELS) + 1
    error = scan_error(scans.identify, tiff_of_size(side, side), max_pixels=10**12)
    assert (error.code, error.params) == ("too_many_pixels", {"max": 10**12})


def test_a_tiff_pillow_cannot_open_is_unreadable():
    data = tiff_of_size(10, 10, bits=7)  # 7 bits per sample: no such mode
    assert scans.page_count(data) == 1  # its directory is fine
    assert scan_error(scans.identify, data).code == "unreadable"


# ------------------------------------------------------- the crafted PDF


def test_crafted_pdf_is_small(crafted_pdf):
    assert len(crafted_pdf) < 600
    assert scans.pdf_page_count(crafted_pdf) == 3


@needs_poppler
@pytest.mark.parametrize("entry", DEFAULT_ENTRY_POINTS)
def test_crafted_pdf_pages_are_too_large(crafted_pdf, pdftoppm_log, entry):
    error = scan_error(DEFAULT_ENTRY_POINTS[entry], crafted_pdf)
    size = {"width": 30_000, "height": 30_000, "max": 100_000_000}
    if entry == "identify":
        assert (error.code, error.params) == ("too_many_pixels", size)
    else:
        assert (error.code, error.params) == ("page_too_large", {"page": 1, **size})
    assert pdftoppm_log.runs() == []  # refused before any rasterization


@needs_poppler
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_crafted_pdf_over_a_lowered_page_count(crafted_pdf, pdftoppm_log, entry):
    limits = DecodeLimits(max_pages=2)
    error = scan_error(ENTRY_POINTS[entry], crafted_pdf, limits)
    assert (error.code, error.params) == ("too_many_pages", {"count": 3, "max": 2})
    assert pdftoppm_log.runs() == []


@needs_poppler
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_crafted_pdf_over_the_total_limit(crafted_pdf, pdftoppm_log, entry):
    limits = DecodeLimits(max_page_pixels=10**9)
    error = scan_error(ENTRY_POINTS[entry], crafted_pdf, limits)
    assert error.code == "too_many_total_pixels"
    assert error.params == {"total": 3 * 30_000**2, "max": 10**9}
    assert pdftoppm_log.runs() == []


@needs_poppler
def test_page_sizes_are_poppler_s_own():
    """Inherited boxes, rotation, a CropBox or a UserUnit change nothing."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 /MediaBox [0 0 99 50] >>",
        b"<< /Type /Page /Parent 2 0 R /Rotate 90 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /CropBox [0 0 9 9] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] /UserUnit 10 >>",
    ]
    data = write_pdf(objects)
    expected = [(99, 50), (600, 800), (72, 72)]
    limits = DecodeLimits(max_page_pixels=1250 * 1667)
    for (number, image), (width, height) in zip(
        scans.iter_pages(data, limits), expected, strict=True
    ):
        rotated = (height, width) if number == 1 else (width, height)
        assert image.size == tuple(pdf_pixels(side) for side in rotated)
    error = scan_error(
        scans.page_count, data, DecodeLimits(max_page_pixels=1250 * 1666)
    )
    assert error.params == {
        "page": 2,
        "width": 1250,
        "height": 1667,
        "max": 1250 * 1666,
    }


@needs_poppler
def test_metadata_cannot_fake_a_page_size(pdftoppm_log):
    """pdfinfo prints the title as it is: a fake size line in it is not believed."""
    fake = b"x\nPage    1 MediaBox:      0.00     0.00     1.00     1.00\n"
    data = pdf_of_pages([(14400, 14400)], title=fake)
    error = scan_error(scans.page_image, data, 1)
    assert error.code == "page_too_large"
    assert (error.params["width"], error.params["height"]) == (30_000, 30_000)
    assert pdftoppm_log.runs() == []


# ---------------------------------- legitimate files, page by page, in limits


@pytest.fixture(scope="module")
def small_pdf():
    """Pages 1..5 of (100 + 20 n) x 150 pt: each page is told by its width."""
    return pdf_of_pages([(100 + 20 * n, 150) for n in range(1, 6)])


def pdf_page_size(number):
    return (pdf_pixels(100 + 20 * number), pdf_pixels(150))


def test_small_tiff_at_its_limits_works_page_by_page():
    data = numbered_tiff(4, dpi=(300, 300))
    exact = DecodeLimits(max_page_pixels=60_000, max_pages=4, max_total_pixels=240_000)
    assert scans.identify(data, limits=exact).page_count == 4
    assert scans.page_count(data, exact) == 4
    for number in range(1, 5):
        page = scans.page_image(data, number, exact)
        assert same_pixels(page, numbered_frame(number))
        assert scans.page_dpi(page) == (300.0, 300.0)
    numbers = [number for number, _image in scans.iter_pages(data, exact)]
    assert numbers == [1, 2, 3, 4]
    assert [r.page for r in quality.check_scan(data, limits=exact)] == [1, 2, 3, 4]
    over = [
        DecodeLimits(max_page_pixels=59_999, max_total_pixels=240_000),
        DecodeLimits(max_pages=3),
        DecodeLimits(max_total_pixels=239_999),
    ]
    codes = [scan_error(scans.page_image, data, 1, limits).code for limits in over]
    assert codes == ["page_too_large", "too_many_pages", "too_many_total_pixels"]


@needs_poppler
def test_small_pdf_at_its_limits_works_page_by_page(small_pdf):
    sizes = [pdf_page_size(n) for n in range(1, 6)]
    largest = max(w * h for w, h in sizes)
    total = sum(w * h for w, h in sizes)
    exact = DecodeLimits(max_page_pixels=largest, max_pages=5, max_total_pixels=total)
    assert scans.identify(small_pdf, limits=exact).page_count == 5
    assert scans.page_count(small_pdf, exact) == 5
    assert scans.page_image(small_pdf, 4, exact).size == sizes[3]
    assert [
        (number, image.size) for number, image in scans.iter_pages(small_pdf, exact)
    ] == list(enumerate(sizes, 1))
    results = quality.check_scan(small_pdf, limits=exact)
    assert [(r.page, r.width, r.dpi) for r in results] == [
        (n, w, None) for n, (w, _h) in enumerate(sizes, 1)
    ]
    over = DecodeLimits(max_total_pixels=total - 1)
    assert scan_error(scans.page_image, small_pdf, 1, over).code == (
        "too_many_total_pixels"
    )


@needs_poppler
def test_pdf_pages_at_another_resolution(small_pdf):
    image = scans.page_image(small_pdf, 2, pdf_dpi=72)
    assert image.size == (140, 150)
    assert scans.page_dpi(image) is None  # a rasterized page has no scan resolution


@pytest.mark.parametrize("number", [0, -1, 5, 100, "1", 1.0, True, None])
def test_no_such_page(number):
    data = numbered_tiff(4)
    error = scan_error(scans.page_image, data, number)
    assert (error.code, error.params) == ("bad_page", {"page": number, "count": 4})
    error = scan_error(ocr.ocr_page, data, number)
    assert (error.code, error.params) == ("bad_page", {"page": number, "count": 4})
    error = scan_error(watermark.render_page, data, number, LINES)
    assert (error.code, error.params) == ("no_such_page", {"page": number, "count": 4})


@needs_poppler
@pytest.mark.parametrize("number", [0, 6])
def test_no_such_pdf_page(small_pdf, pdftoppm_log, number):
    error = scan_error(scans.page_image, small_pdf, number)
    assert (error.code, error.params) == ("bad_page", {"page": number, "count": 5})
    assert pdftoppm_log.runs() == []


def test_page_image_of_a_jpeg_with_an_exif_orientation():
    img = Image.new("RGB", (40, 20), "black")
    img.paste((255, 255, 255), (0, 0, 10, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # turn 90 degrees clockwise
    data = encode(img, "JPEG", exif=exif, dpi=(200, 200))
    page = scans.page_image(data, 1)
    assert (page.mode, page.size) == ("RGB", (20, 40))
    assert scans.page_dpi(page) == (200.0, 200.0)


def test_deprecated_page_images_decode_a_page_when_asked():
    data = numbered_tiff(3)
    images = watermark.page_images(data)
    assert len(images) == 3
    assert same_pixels(images[-1], numbered_frame(3))
    assert same_pixels(images[1], numbered_frame(2))
    assert [img.size for img in images[0:2]] == [(200, 300), (200, 300)]
    assert [same_pixels(a, numbered_frame(n)) for n, a in enumerate(images, 1)] == [
        True
    ] * 3
    with pytest.raises(IndexError):
        images[3]


# ------------------------------------------------------ one page, one decode


def tiff_with_one_good_frame(keep, count=5):
    """A deflate TIFF of numbered frames where only frame ``keep`` can be decoded.

    The compressed strips of every other frame are overwritten with bytes
    that are not deflate data: decoding any of them fails.
    """
    data = bytearray(numbered_tiff(count, compression="tiff_deflate"))
    with Image.open(io.BytesIO(bytes(data))) as img:
        strips = []
        for index in range(count):
            img.seek(index)
            offsets, lengths = img.tag_v2[273], img.tag_v2[279]
            if isinstance(offsets, int):
                offsets, lengths = (offsets,), (lengths,)
            strips.append(list(zip(offsets, lengths, strict=True)))
    for index, frame_strips in enumerate(strips, 1):
        if index != keep:
            for offset, length in frame_strips:
                data[offset : offset + length] = b"\xff" * length
    return bytes(data)


@pytest.mark.parametrize("keep", [1, 3, 5])
def test_tiff_page_image_decodes_no_other_frame(keep):
    data = tiff_with_one_good_frame(keep)
    assert same_pixels(scans.page_image(data, keep), numbered_frame(keep))
    other = 2 if keep != 2 else 1
    assert scan_error(scans.page_image, data, other).code == "unreadable"
    # the upload check decodes every page, so it finds the damage
    assert scan_error(scans.identify, data).code in ("truncated", "unreadable")


@needs_cjk_font
def test_tiff_render_page_decodes_no_other_frame():
    data = tiff_with_one_good_frame(4)
    rendered = Image.open(io.BytesIO(watermark.render_page(data, 4, LINES)))
    assert rendered.width == 200


def test_iter_pages_decodes_a_page_when_it_is_asked_for():
    data = tiff_with_one_good_frame(1)
    pages_ = scans.iter_pages(data)  # the limits are checked here already
    number, image = next(pages_)
    assert number == 1 and same_pixels(image, numbered_frame(1))
    assert scan_error(next, pages_).code == "unreadable"  # page 2 is broken


def test_iter_pages_checks_the_limits_when_called():
    with pytest.raises(ScanError):
        scans.iter_pages(numbered_tiff(4), DecodeLimits(max_pages=3))


@needs_poppler
def test_pdf_page_n_is_rasterized_alone(small_pdf, pdftoppm_log):
    image = scans.page_image(small_pdf, 4)
    assert image.size == pdf_page_size(4)
    assert pdftoppm_log.pages() == [(4, 4)]
    assert [made for _args, made in pdftoppm_log.runs()] == [1]


@needs_poppler
def test_pdf_pages_are_rasterized_one_run_each(small_pdf, pdftoppm_log):
    sizes = [image.size for _number, image in scans.iter_pages(small_pdf)]
    assert sizes == [pdf_page_size(n) for n in range(1, 6)]
    assert pdftoppm_log.pages() == [(n, n) for n in range(1, 6)]
    assert all(made == 1 for _args, made in pdftoppm_log.runs())
    quality.check_scan(small_pdf)
    assert len(pdftoppm_log.runs()) == 10  # 5 more: one per page


@needs_poppler
@needs_cjk_font
def test_viewer_page_of_a_pdf_is_rasterized_alone(small_pdf, pdftoppm_log):
    assert watermark.page_count(small_pdf) == 5
    watermark.render_page(small_pdf, 5, LINES)
    assert pdftoppm_log.pages() == [(5, 5)]


@needs_poppler
@needs_tesseract
def test_ocr_of_a_pdf_page_rasterizes_it_alone(pdftoppm_log):
    data = pages.images_to_pdf(
        [
            pages.render_text_page([text], dpi=150, image_format="PNG")
            for text in ("干部履历表", "入党志愿书", "年度考核登记表")
        ],
        dpi=150,
    )
    assert "入党志愿书" in ocr.ocr_page(data, 2)
    assert pdftoppm_log.pages() == [(2, 2)]
    # the deprecated access the OCR jobs used: page n alone too
    watermark.page_images(data)[2]
    assert pdftoppm_log.pages() == [(2, 2), (3, 3)]


# --------------------------------------------------- poppler's own limits


def pdf_page_of_points(points):
    return pdf_of_pages([(points, points)])


@needs_poppler
def test_pdftoppm_runs_with_a_memory_limit(monkeypatch):
    # 2000 pt at 150 dpi: 4167 x 4167 px, a 52 MB bitmap for pdftoppm
    data = pdf_page_of_points(2000)
    assert scans.page_image(data, 1).size == (4167, 4167)
    monkeypatch.setattr(scans, "PDF_MEMORY_BASE", 32 * 1024 * 1024)
    monkeypatch.setattr(scans, "PDF_MEMORY_PER_PIXEL", 0)
    assert scan_error(scans.page_image, data, 1).code == "unreadable"
    assert scans.page_image(pdf_page_of_points(500), 1).size == (1042, 1042)


@needs_poppler
def test_pdfinfo_runs_with_a_memory_limit(monkeypatch, small_pdf):
    monkeypatch.setattr(scans, "PDFINFO_MEMORY", 1024 * 1024)
    assert scan_error(scans.page_count, small_pdf).code == "unreadable"


def test_pdfinfo_missing(monkeypatch, small_pdf):
    monkeypatch.setattr(scans, "PDFINFO", "no-such-pdfinfo-here")
    assert scan_error(scans.identify, small_pdf).code == "unreadable"
    assert scan_error(scans.page_image, small_pdf, 1).code == "unreadable"


def test_pdfinfo_timeout(monkeypatch, tmp_path, small_pdf):
    slow = tmp_path / "slow-pdfinfo"
    slow.write_text("#!/bin/sh\nsleep 10\n")
    slow.chmod(slow.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(scans, "PDFINFO", os.fspath(slow))
    monkeypatch.setattr(scans, "PDF_TIMEOUT", 0.2)
    assert scan_error(scans.page_count, small_pdf).code == "unreadable"


# ------------------------------------------------------------ peak memory

CHILD = r"""
import json, resource, sys, warnings
sys.path.insert(0, sys.argv[1])
import conftest  # loads cadre_archive/lib as cadre_archive_lib
from cadre_archive_lib import ocr, quality, scans, watermark
from cadre_archive_lib.errors import ScanError



def peak_kb():
    # VmHWM: the high-water mark of this program's own memory.  ru_maxrss
    # would also count the memory of the process that started this one (it
    # is carried over by fork and exec).
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


warnings.simplefilter("ignore")
job = json.loads(sys.argv[2])
with open(job["path"], "rb") as scan:
    data = scan.read()
limits = scans.DecodeLimits(**job["limits"]) if job["limits"] else None
last = job["last"]
operations = {
    "identify": lambda: scans.identify(data, limits=limits).page_count,
    "page_count": lambda: scans.page_count(data, limits),
    "page_image": lambda: scans.page_image(data, last, limits).size,
    "iter_pages": lambda: [n for n, _image in scans.iter_pages(data, limits)],
    "check_scan": lambda: len(quality.check_scan(data, limits=limits)),
    "ocr_page": lambda: ocr.ocr_page(data, last, limits=limits),
    "render_page": lambda: len(watermark.render_page(data, last, ["x"], limits=limits)),
    "page_images": lambda: watermark.page_images(data)[last - 1].size,
    # what the code did before: every page decoded into one list
    "keep_every_page": lambda: len(list(scans.iter_pages(data, limits))),
}
baseline = peak_kb()
results = {}
for name in job["operations"]:
    try:
        results[name] = operations[name]()
    except ScanError as error:
        results[name] = error.code
print(json.dumps({
    "results": results,
    "baseline_kb": baseline,
    "peak_kb": peak_kb(),
}))
"""


def run_child(tmp_path, data, operations, limits=None, last=1):
    """Run ``operations`` on ``data`` in a fresh Python; return its report."""
    path = tmp_path / "scan.bin"
    path.write_bytes(data)
    job = {
        "path": os.fspath(path),
        "operations": operations,
        "limits": limits,
        "last": last,
    }
    completed = subprocess.run(
        [sys.executable, "-c", CHILD, os.fspath(TESTS_DIR), json.dumps(job)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    report = json.loads(completed.stdout)
    for key in ("baseline_kb", "peak_kb"):
        report[key.replace("_kb", "_mb")] = round(report.pop(key) / 1024, 1)
    return report


def show(record_property, name, report):
    print(
        f"\n{name}: peak RSS {report['peak_mb']} MB (after imports "
        f"{report['baseline_mb']} MB): {report['results']}"
    )
    record_property(f"{name}_peak_rss_mb", report["peak_mb"])
    record_property(f"{name}_baseline_rss_mb", report["baseline_mb"])


EVERY_OPERATION = [
    "identify",
    "page_count",
    "page_image",
    "iter_pages",
    "check_scan",
    "ocr_page",
    "render_page",
    "page_images",
]


def test_peak_memory_of_the_crafted_tiff(tmp_path, record_property, crafted_tiff):
    report = run_child(tmp_path, crafted_tiff, EVERY_OPERATION, last=40)
    show(record_property, "crafted_tiff", report)
    assert set(report["results"].values()) == {"too_many_total_pixels"}
    assert report["peak_mb"] < PEAK_RSS_BOUND_MB


@needs_poppler
def test_peak_memory_of_the_crafted_pdf(tmp_path, record_property, crafted_pdf):
    report = run_child(tmp_path, crafted_pdf, EVERY_OPERATION, last=3)
    show(record_property, "crafted_pdf", report)
    results = report["results"]
    assert results.pop("identify") == "too_many_pixels"
    assert set(results.values()) == {"page_too_large"}
    assert report["peak_mb"] < PEAK_RSS_BOUND_MB


def test_peak_memory_of_a_large_tiff_within_limits(tmp_path, record_property):
    """10 frames of 8000 x 8000 px (640 M pixels, within the default limits):
    every page is decoded, one at a time; keeping them all would take far more."""
    data = blank_tiff(10, 8000)
    operations = ["identify", "page_count", "page_image", "iter_pages", "check_scan"]
    report = run_child(tmp_path, data, operations, last=10)
    show(record_property, "large_tiff", report)
    assert report["results"] == {
        "identify": 10,
        "page_count": 10,
        "page_image": [8000, 8000],
        "iter_pages": list(range(1, 11)),
        "check_scan": 10,
    }
    assert report["peak_mb"] < PEAK_RSS_BOUND_MB
    # the bound tells the two apart: decoding everything at once exceeds it
    control = run_child(tmp_path, data, ["keep_every_page"])
    show(record_property, "large_tiff_all_pages_kept", control)
    assert control["results"] == {"keep_every_page": 10}
    assert control["peak_mb"] > PEAK_RSS_BOUND_MB


@needs_poppler
def test_peak_memory_of_a_large_pdf_within_limits(tmp_path, record_property):
    """8 pages of 2000 x 2000 pt (4167 x 4167 px each at 150 dpi, 70 MB once
    decoded in RGB): the quality checks go through them one at a time."""
    data = pdf_of_pages([(2000, 2000)] * 8)
    operations = ["identify", "page_count", "page_image", "check_scan"]
    report = run_child(tmp_path, data, operations, last=8)
    show(record_property, "large_pdf", report)
    assert report["results"] == {
        "identify": 8,
        "page_count": 8,
        "page_image": [4167, 4167],
        "check_scan": 8,
    }
    assert report["peak_mb"] < PEAK_RSS_BOUND_MB
    # keeping every page (Pillow holds RGB in 4 bytes a pixel) would exceed it
    assert 8 * 4167 * 4167 * 4 / 2**20 > PEAK_RSS_BOUND_MB


def test_peak_memory_is_measured_in_kilobytes():
    # VmHWM and ru_maxrss are in kilobytes on Linux, where the server runs
    assert sys.platform.startswith("linux")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 1024
