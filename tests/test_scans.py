import base64
import io
import math
import struct
import warnings
import zlib

import pytest
from cadre_archive_lib import scans
from cadre_archive_lib.errors import ScanError
from cadre_archive_lib.scans import ScanInfo, identify
from PIL import Image, ImageDraw, ImageFile

# ----------------------------------------------------------------- helpers


def page_image(size=(620, 877), mode="RGB"):
    """A small "page" with enough detail that JPEG data is not trivial."""
    img = Image.new(mode, size, "white")
    draw = ImageDraw.Draw(img)
    for y in range(0, size[1], 9):
        draw.line((0, y, size[0], size[1] - y), fill="black")
    draw.rectangle((40, 40, 200, 120), outline="black", width=5)
    return img


def encode(img, fmt, **params):
    buffer = io.BytesIO()
    img.save(buffer, fmt, **params)
    return buffer.getvalue()


def jpeg_300dpi():
    return encode(page_image(), "JPEG", dpi=(300, 300), quality=90)


def tiff_3_pages():
    pages = [page_image((300, 420), "L") for _ in range(3)]
    return encode(
        pages[0], "TIFF", save_all=True, append_images=pages[1:], dpi=(300, 300)
    )


def png_chunk(kind, payload):
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def png_header_only(width, height):
    """A PNG whose header claims a huge size (the pixels are never there)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + png_chunk(b"IEND", b"")
    )


def pdf(objects, trailer_root=1):
    """A hand-written PDF with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (len(objects) + 1, trailer_root)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


TWO_PAGE_PDF_OBJECTS = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
]


def scan_error(data, **kwargs):
    with pytest.raises(ScanError) as info:
        identify(data, **kwargs)
    return info.value


# ------------------------------------------------------------------ images


def test_jpeg_300_dpi():
    info = identify(jpeg_300dpi())
    assert info == ScanInfo(
        kind="jpeg",
        mimetype="image/jpeg",
        page_count=1,
        width=620,
        height=877,
        dpi=(300.0, 300.0),
    )


def test_jpeg_without_dpi():
    info = identify(encode(page_image((50, 40)), "JPEG"))
    assert (info.kind, info.width, info.height, info.dpi) == ("jpeg", 50, 40, None)


def test_png():
    info = identify(encode(page_image((200, 100)), "PNG", dpi=(200, 200)))
    assert info.kind == "png"
    assert info.mimetype == "image/png"
    assert info.page_count == 1
    assert (info.width, info.height) == (200, 100)
    assert info.dpi == (200.0, 200.0)


def test_png_without_dpi():
    assert identify(encode(page_image((20, 10)), "PNG")).dpi is None


def test_tiff_three_pages():
    info = identify(tiff_3_pages())
    assert info == ScanInfo(
        kind="tiff",
        mimetype="image/tiff",
        page_count=3,
        width=300,
        height=420,
        dpi=(300.0, 300.0),
    )


def test_tiff_big_endian_compressed_single_page():
    data = encode(page_image((64, 48)), "TIFF", compression="tiff_lzw", dpi=(400, 400))
    info = identify(data)
    assert (info.kind, info.page_count, info.dpi) == ("tiff", 1, (400.0, 400.0))


def test_tiff_without_resolution_has_no_dpi():
    info = identify(encode(page_image((64, 48), "L"), "TIFF"))
    assert info.kind == "tiff"
    assert info.dpi is None


def test_accepts_bytearray_and_memoryview():
    data = jpeg_300dpi()
    assert identify(bytearray(data)).kind == "jpeg"
    assert identify(memoryview(data)).kind == "jpeg"


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize("data", [b"", None, bytearray()])
def test_empty(data):
    error = scan_error(data)
    assert error.code == "empty"
    assert error.params == {}


def test_too_large():
    data = jpeg_300dpi()
    error = scan_error(data, max_bytes=len(data) - 1)
    assert error.code == "too_large"
    assert error.params == {"size": len(data), "max": len(data) - 1}
    assert identify(data, max_bytes=len(data)).kind == "jpeg"


@pytest.mark.parametrize(
    "data",
    [
        "干部履历表\nplain text\n".encode(),
        encode(page_image((20, 20)), "GIF"),
        encode(page_image((20, 20)), "BMP"),
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" * 8,
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        b"<html><body>%PDF-1.4</body></html>",
        b"\xff\xd8",
    ],
    ids=["text", "gif", "bmp", "exe", "zip", "html", "jpeg-2-bytes"],
)
def test_unsupported(data):
    error = scan_error(data)
    assert error.code == "unsupported"


def test_base64_of_a_jpeg_is_unsupported():
    assert scan_error(base64.b64encode(jpeg_300dpi())).code == "unsupported"


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xd8\xff" + b"not a jpeg at all" * 10,
        b"\x89PNG\r\n\x1a\n" + b"garbage" * 10,
        b"II*\x00" + b"\xff" * 40,
        b"MM\x00*" + b"\x00" * 40,
    ],
    ids=["jpeg", "png", "tiff-le", "tiff-be"],
)
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_unreadable(data):
    assert scan_error(data).code == "unreadable"


def test_png_with_bad_header_crc_is_unreadable():
    data = bytearray(encode(page_image((30, 30)), "PNG"))
    data[29] ^= 0xFF  # the CRC of the IHDR chunk
    assert scan_error(bytes(data)).code == "unreadable"


def test_png_with_damaged_pixel_data_is_unreadable():
    data = bytearray(encode(page_image((30, 30)), "PNG"))
    idat = data.index(b"IDAT")
    data[idat + 10] ^= 0xFF  # pixel data no longer matches the chunk's CRC
    assert identify(encode(page_image((30, 30)), "PNG")).kind == "png"
    assert scan_error(bytes(data)).code == "unreadable"


def test_half_jpeg_is_truncated():
    data = jpeg_300dpi()
    error = scan_error(data[: len(data) // 2])
    assert error.code == "truncated"


def test_half_jpeg_is_truncated_even_when_pillow_tolerates_truncation(monkeypatch):
    # Odoo's base module sets this flag to True for the whole process.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = jpeg_300dpi()
    assert scan_error(data[: len(data) // 2]).code == "truncated"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # restored afterwards
    assert identify(data).kind == "jpeg"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


def test_jpeg_missing_its_last_bytes_is_truncated():
    data = jpeg_300dpi()
    assert scan_error(data[:-200]).code == "truncated"


def test_half_png_is_truncated():
    data = encode(page_image(), "PNG")
    assert scan_error(data[: len(data) // 2]).code == "truncated"


def test_tiff_missing_its_last_page_data_is_truncated():
    data = tiff_3_pages()
    assert scan_error(data[:-10]).code == "truncated"


def test_too_many_pixels_own_limit():
    data = encode(page_image((100, 60)), "PNG")
    error = scan_error(data, max_pixels=5999)
    assert error.code == "too_many_pixels"
    assert error.params == {"width": 100, "height": 60, "max": 5999}
    assert identify(data, max_pixels=6000).width == 100


def test_too_many_pixels_checked_on_every_tiff_page():
    pages = [page_image((10, 10), "L"), page_image((100, 100), "L")]
    data = encode(pages[0], "TIFF", save_all=True, append_images=pages[1:])
    error = scan_error(data, max_pixels=5000)
    assert error.code == "too_many_pixels"
    assert error.params["width"] == 100


def test_pillow_decompression_bomb_error_is_too_many_pixels():
    side = math.isqrt(3 * Image.MAX_IMAGE_PIXELS) + 1
    error = scan_error(png_header_only(side, side), max_pixels=10**12)
    assert error.code == "too_many_pixels"
    assert error.params == {"max": 10**12}


def test_pillow_decompression_bomb_warning_as_error_is_too_many_pixels():
    side = math.isqrt(Image.MAX_IMAGE_PIXELS * 3 // 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        error = scan_error(png_header_only(side, side), max_pixels=10**12)
    assert error.code == "too_many_pixels"


def test_pillow_global_limit_is_left_alone():
    before = Image.MAX_IMAGE_PIXELS
    scan_error(encode(page_image((100, 60)), "PNG"), max_pixels=10)
    identify(jpeg_300dpi(), max_pixels=10**9)
    assert before == Image.MAX_IMAGE_PIXELS


def test_default_limits():
    assert scans.DEFAULT_MAX_BYTES == 50 * 1024 * 1024
    assert scans.DEFAULT_MAX_PIXELS == 100_000_000
    data = b"\x89PNG\r\n\x1a\n" + b"\x00" * (50 * 1024 * 1024)
    assert scan_error(data).code == "too_large"


def test_file_name_plays_no_role():
    # identify() only takes bytes: a PDF is a PDF whatever it was called
    assert identify(pdf(TWO_PAGE_PDF_OBJECTS)).kind == "pdf"


# --------------------------------------------------------------------- PDF


def test_hand_written_two_page_pdf():
    info = identify(pdf(TWO_PAGE_PDF_OBJECTS))
    assert info == ScanInfo(
        kind="pdf",
        mimetype="application/pdf",
        page_count=2,
        width=None,
        height=None,
        dpi=None,
    )


def test_pillow_saved_pdf():
    pages = [page_image((120, 170)) for _ in range(2)]
    data = encode(pages[0], "PDF", save_all=True, append_images=pages[1:])
    info = identify(data)
    assert (info.kind, info.page_count) == ("pdf", 2)


def test_pdf_pages_counted_not_page_trees():
    objects = [
        *TWO_PAGE_PDF_OBJECTS[:2],
        b"<< /Type /Pages /Kids [4 0 R 5 0 R 6 0 R] /Count 3 /Parent 2 0 R >>",
        b"<< /Type\n/Page /Parent 3 0 R >>",
        b"<< /Type /Page/Parent 3 0 R >>",
        b"<</Type /Page>>",
    ]
    assert identify(pdf(objects)).page_count == 3


def test_pdf_without_pages_is_unreadable():
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ]
    assert scan_error(pdf(objects)).code == "unreadable"


def test_pdf_garbage_is_unreadable():
    assert scan_error(b"%PDF-1.7\nhello\n%%EOF\n").code == "unreadable"


def test_pdf_without_eof_is_truncated():
    data = pdf(TWO_PAGE_PDF_OBJECTS)
    assert scan_error(data[: len(data) // 2]).code == "truncated"
    assert scan_error(data.replace(b"%%EOF", b"%%EOX")).code == "truncated"


def test_pdf_eof_must_be_near_the_end():
    data = pdf(TWO_PAGE_PDF_OBJECTS) + b" " * 2000
    assert scan_error(data).code == "truncated"
    assert identify(pdf(TWO_PAGE_PDF_OBJECTS) + b"\r\n").page_count == 2


def test_pdf_must_start_with_its_header():
    data = b"\n" + pdf(TWO_PAGE_PDF_OBJECTS)
    assert scan_error(data).code == "unsupported"


def test_pdf_incremental_update_counts_each_page_once():
    data = pdf(TWO_PAGE_PDF_OBJECTS)
    update = b"4 0 obj\n<< /Type /Page /Parent 2 0 R /Rotate 90 >>\nendobj\n%%EOF\n"
    assert identify(data + update).page_count == 2
    removal = b"4 0 obj\nnull\nendobj\n%%EOF\n"
    assert identify(data + removal).page_count == 1


def object_stream(objects, compress=True):
    """An /ObjStm object holding ``objects`` ({number: body})."""
    offsets, content = [], b""
    for body in objects.values():
        offsets.append(len(content))
        content += body + b"\n"
    header = b" ".join(
        b"%d %d" % (number, offset)
        for number, offset in zip(objects, offsets, strict=True)
    )
    header += b"\n"
    stream = zlib.compress(header + content) if compress else header + content
    filter_ = b"/Filter /FlateDecode " if compress else b""
    return (
        b"<< /Type /ObjStm /N %d /First %d %s/Length %d >>\nstream\n%s\nendstream"
        % (
            len(objects),
            len(header),
            filter_,
            len(stream),
            stream,
        )
    )


@pytest.mark.parametrize("compress", [True, False])
def test_pdf_pages_inside_object_streams(compress):
    objects = [
        TWO_PAGE_PDF_OBJECTS[0],
        b"<< /Type /Pages /Kids [4 0 R 5 0 R 6 0 R] /Count 3 >>",
        object_stream(
            {
                4: b"<</Type/Page/Parent 2 0 R>>",
                5: b"<< /Type /Page /Parent 2 0 R >>",
                6: b"<< /Type /Page /Parent 2 0 R >>",
                7: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            },
            compress=compress,
        ),
    ]
    assert identify(pdf(objects)).page_count == 3


def test_pdf_object_stream_with_unknown_filter_is_ignored():
    stream = b"4 0\n<< /Type /Page >>"
    objects = [
        TWO_PAGE_PDF_OBJECTS[0],
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /LZWDecode /Length %d >>\n"
        b"stream\n%s\nendstream" % (len(stream), stream),
    ]
    assert scan_error(pdf(objects)).code == "unreadable"


def test_pdf_page_count_function():
    assert scans.pdf_page_count(pdf(TWO_PAGE_PDF_OBJECTS)) == 2
    assert scans.pdf_page_count(b"") == 0


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\xff\xd8\xff\xe0", "jpeg"),
        (b"\x89PNG\r\n\x1a\n", "png"),
        (b"II*\x00", "tiff"),
        (b"MM\x00*", "tiff"),
        (b"%PDF-1.7", "pdf"),
    ],
)
def test_sniff_kind(data, kind):
    assert scans.sniff_kind(data) == kind
    assert scans.MIMETYPES[kind].endswith(kind if kind != "jpeg" else "jpeg")


# ------------------------------------------- object streams: edge cases


def pdf_with_object_stream(stream_object, kids=b"4 0 R 5 0 R 6 0 R"):
    return pdf(
        [
            TWO_PAGE_PDF_OBJECTS[0],
            b"<< /Type /Pages /Kids [%s] /Count 3 >>" % kids,
            stream_object,
        ]
    )


def test_pdf_compressed_object_stream_after_crlf():
    stream = object_stream({4: b"<< /Type /Page >>", 5: b"<< /Type /Page >>"})
    stream = stream.replace(b">>\nstream\n", b">>\nstream\r\n", 1)
    assert b"stream\r\n" in stream
    assert scans.pdf_page_count(pdf_with_object_stream(stream)) == 2


def test_pdf_object_stream_of_three_pages_counts_each():
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    stream = object_stream({4: page, 5: page, 6: page}, compress=False)
    assert scans.pdf_page_count(pdf_with_object_stream(stream)) == 3


def test_pdf_object_stream_page_replaced_by_a_later_update():
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    stream = object_stream({4: page, 5: page}, compress=False)
    data = pdf_with_object_stream(stream)
    assert scans.pdf_page_count(data) == 2
    removal = b"4 0 obj\nnull\nendobj\n%%EOF\n"
    assert scans.pdf_page_count(data + removal) == 1


def test_pdf_object_stream_with_a_short_header_keeps_the_complete_pairs():
    header = b"4 0 5\n"
    content = header + b"<< /Type /Page >>\n"
    stream = b"<< /Type /ObjStm /N 2 /First %d /Length %d >>\nstream\n%s\nendstream" % (
        len(header),
        len(content),
        content,
    )
    assert scans.pdf_page_count(pdf_with_object_stream(stream)) == 1


def test_pdf_object_stream_decoded_only_up_to_its_limit():
    limit = scans._PDF_MAX_OBJSTM_BYTES
    page = b"<< /Type /Page >>"
    far = limit + 100
    header = b"4 0 5 %d\n" % far
    body = page + b" " * (far - len(page)) + page
    packed = zlib.compress(header + body)
    stream = b"<< /Type /ObjStm /N 2 /First %d /Filter /FlateDecode /Length %d >>\n" % (
        len(header),
        len(packed),
    )
    stream += b"stream\n%s\nendstream" % packed
    # Object 5 lies beyond the decoded limit: only object 4 is seen.
    assert scans.pdf_page_count(pdf_with_object_stream(stream)) == 1


def test_pdf_object_without_endobj_ends_at_the_next_object():
    data = (
        b"%PDF-1.4\n"
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [4 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Font >>\n"  # no endobj
        b"4 0 obj\n<< /Type /Page /Parent 2 0 R >>\nendobj\n"
        b"%%EOF\n"
    )
    assert scans.pdf_page_count(data) == 1
