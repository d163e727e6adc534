import io
import os
import shutil
import stat

import pytest
from cadre_archive_lib import pages, scans, watermark
from cadre_archive_lib.errors import ScanError
from cadre_archive_lib.watermark import WatermarkError
from PIL import Image, ImageChops, ImageDraw, ImageStat

LINES = ["张三 (zhangsan)", "2026-11-25 14:03", "CY2026-0007"]

needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is not installed"
)
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract is not installed"
)
needs_cjk_font = pytest.mark.skipif(
    pages.find_cjk_font() is None, reason="no CJK font (fonts-noto-cjk)"
)

# ----------------------------------------------------------------- helpers


def encode(img, fmt, **params):
    buffer = io.BytesIO()
    img.save(buffer, fmt, **params)
    return buffer.getvalue()


def decode(data):
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def numbered_page(number, size=(400, 560), mode="L"):
    """A page with a big page number on it, to tell pages apart."""
    img = Image.new(mode, size, "white")
    draw = ImageDraw.Draw(img)
    draw.text((40, 40), f"page {number}", fill="black", font=pages.load_font(60))
    draw.rectangle((20, 20, size[0] - 20, size[1] - 20), outline="black", width=3)
    return img


def tiff_3_pages():
    images = [numbered_page(n) for n in (1, 2, 3)]
    return encode(images[0], "TIFF", save_all=True, append_images=images[1:])


def pdf_2_pages():
    images = [numbered_page(n, mode="RGB") for n in (1, 2)]
    return encode(
        images[0], "PDF", save_all=True, append_images=images[1:], resolution=72
    )


def changed_ratio(before, after, threshold=10):
    """Fraction of the pixels that differ by more than ``threshold`` grey levels."""
    diff = ImageChops.difference(before.convert("L"), after.convert("L"))
    changed = sum(diff.point(lambda v: 255 if v > threshold else 0).histogram()[255:])
    return changed / (before.width * before.height)


def split(rendered, source_size):
    """Return (page, band) of a rendered image whose page keeps its size."""
    width, height = source_size
    assert rendered.width == width
    return (
        rendered.crop((0, 0, width, height)),
        rendered.crop((0, height, width, rendered.height)),
    )


@pytest.fixture(scope="module")
def form_page():
    """A 150 dpi A4 page (1240 x 1754) of the form title, as JPEG."""
    return pages.render_text_page(["干部履历表"], dpi=150)


@pytest.fixture(scope="module")
def rendered(form_page):
    return decode(watermark.render_page(form_page, 1, LINES))


# ----------------------------------------------------------------- pages


def test_page_images_of_a_jpeg_and_a_png(form_page):
    (jpeg,) = watermark.page_images(form_page)
    assert (jpeg.mode, jpeg.size) == ("L", (1240, 1754))
    rgba = Image.new("RGBA", (100, 80), (255, 0, 0, 0))
    (png,) = watermark.page_images(encode(rgba, "PNG"))
    assert (png.mode, png.size) == ("RGB", (100, 80))
    assert png.getpixel((5, 5)) == (255, 255, 255)  # transparent becomes white


def test_page_images_of_a_3_page_tiff():
    data = tiff_3_pages()
    images = watermark.page_images(data)
    assert len(images) == 3
    assert watermark.page_count(data) == 3
    assert all(img.mode == "L" and img.size == (400, 560) for img in images)
    assert len({img.tobytes() for img in images}) == 3  # three different pages


def test_page_images_max_pages():
    with pytest.raises(ScanError) as info:
        watermark.page_images(tiff_3_pages(), max_pages=2)
    assert info.value.code == "too_many_pages"
    assert info.value.params == {"count": 3, "max": 2}


def test_page_images_of_a_1_bit_tiff():
    data = encode(numbered_page(1).convert("1"), "TIFF", compression="group4")
    (img,) = watermark.page_images(data)
    assert img.mode == "L"


@pytest.mark.parametrize("fmt", ["JPEG", "TIFF"])
def test_page_images_apply_the_orientation_once(fmt):
    """An EXIF/TIFF orientation 6 (rotate 90° clockwise) is applied, once."""
    img = Image.new("L", (40, 20), 0)
    img.paste(255, (0, 0, 10, 10))  # white square top left
    exif = Image.Exif()
    exif[0x0112] = 6
    (page,) = watermark.page_images(encode(img, fmt, exif=exif))
    assert page.size == (20, 40)
    assert page.getpixel((15, 5)) > 200  # now top right
    assert page.getpixel((5, 35)) < 50


@pytest.mark.parametrize("data", [b"", b"GIF89a...", b"\x89PNG\r\n\x1a\n broken"])
def test_page_images_of_unusable_data(data):
    with pytest.raises(ScanError):
        watermark.page_images(data)


@needs_pdftoppm
def test_page_images_of_a_2_page_pdf():
    data = pdf_2_pages()
    assert watermark.page_count(data) == 2
    images = watermark.page_images(data)
    assert len(images) == 2
    # 400 x 560 pt pages at 72 dpi, rasterized at 150 dpi (833.3 x 1166.7)
    for img in images:
        assert abs(img.width - 833) <= 1 and abs(img.height - 1167) <= 1
    assert images[0].tobytes() != images[1].tobytes()


@needs_pdftoppm
def test_pdf_pages_come_in_order():
    images = watermark.page_images(pdf_2_pages())
    expected = [numbered_page(n).resize(images[0].size) for n in (1, 2)]
    for index, img in enumerate(images):
        own = changed_ratio(expected[index], img, threshold=128)
        other = changed_ratio(expected[1 - index], img, threshold=128)
        assert own < other


@needs_pdftoppm
def test_pdf_page_with_too_many_pixels():
    # 400 x 560 pt at 150 dpi: 834 x 1167 px, refused before pdftoppm runs
    limits = scans.DecodeLimits(max_page_pixels=500_000)
    with pytest.raises(ScanError) as info:
        scans.page_image(pdf_2_pages(), 1, limits)
    assert info.value.code == "page_too_large"
    assert info.value.params == {
        "page": 1,
        "width": 834,
        "height": 1167,
        "max": 500_000,
    }
    with pytest.raises(ScanError) as info:
        watermark.render_page(pdf_2_pages(), 2, LINES, limits=limits)
    assert info.value.code == "page_too_large"
    assert info.value.params["page"] == 1  # the first page over the limit


def test_pdftoppm_missing(monkeypatch):
    monkeypatch.setattr(scans, "PDFTOPPM", "no-such-pdftoppm-here")
    with pytest.raises(ScanError) as info:
        scans.page_image(pdf_2_pages(), 1)
    assert info.value.code == "unreadable"


@needs_pdftoppm
def test_pdftoppm_fails_on_a_damaged_pdf():
    data = b"%PDF-1.4\n1 0 obj\n<< /Type /Page >>\nendobj\ntrailer\n%%EOF\n"
    assert scans.pdf_page_count(data) == 1  # counted, but poppler cannot open it
    for decode_it in (watermark.page_images, scans.identify, scans.page_count):
        with pytest.raises(ScanError) as info:
            decode_it(data)
        assert info.value.code == "unreadable"


def test_pdftoppm_timeout(monkeypatch, tmp_path):
    slow = tmp_path / "slow-pdftoppm"
    slow.write_text("#!/bin/sh\nsleep 10\n")
    slow.chmod(slow.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(scans, "PDFTOPPM", os.fspath(slow))
    monkeypatch.setattr(scans, "PDF_TIMEOUT", 0.2)
    with pytest.raises(ScanError) as info:
        scans.page_image(pdf_2_pages(), 1)
    assert info.value.code == "unreadable"


# ---------------------------------------------------------- render_page


@needs_cjk_font
def test_render_page_keeps_the_page_and_adds_a_band(form_page, rendered):
    source = decode(form_page)
    assert rendered.format == "PNG"
    assert rendered.mode == "L"  # a grey page stays grey
    assert rendered.width == source.width
    assert rendered.height > source.height


@needs_cjk_font
def test_render_page_marks_the_whole_page(form_page, rendered):
    source = decode(form_page)
    page, _band = split(rendered, source.size)
    assert changed_ratio(source, page) > 0.02
    # in each quarter of the page, not just in one place
    half_w, half_h = source.width // 2, source.height // 2
    for left, top in [(0, 0), (half_w, 0), (0, half_h), (half_w, half_h)]:
        box = (left, top, left + half_w, top + half_h)
        assert changed_ratio(source.crop(box), page.crop(box)) > 0.01


@needs_cjk_font
def test_render_page_diagonal_is_light(form_page, rendered):
    """The watermark is translucent: nothing of it is darker than ~mid grey."""
    source = decode(form_page)
    page, _band = split(rendered, source.size)
    marked = ImageChops.difference(source, page).point(lambda v: 255 if v > 10 else 0)
    darkest, _lightest = page.getextrema()
    assert darkest < 50  # the form's own black text
    # where the page was white, the watermark leaves at least 255 - 80/255*127
    blank = source.point(lambda v: 255 if v > 250 else 0)
    overlay = ImageChops.multiply(marked, blank)
    values = [
        value
        for value, mask in zip(page.getdata(), overlay.getdata(), strict=True)
        if mask
    ]
    assert values and min(values) >= 205


@needs_cjk_font
def test_render_page_band_is_dark_text_on_light(form_page, rendered):
    source = decode(form_page)
    _page, band = split(rendered, source.size)
    assert band.height >= 40
    darkest, lightest = band.getextrema()
    assert darkest < 30 and lightest > 240
    below = Image.new("L", band.size, 255)
    assert changed_ratio(below, band) > 0.02
    assert ImageStat.Stat(band).mean[0] < 250


@needs_cjk_font
@needs_tesseract
def test_band_reads_back_with_ocr(form_page, rendered):
    pytesseract = pytest.importorskip("pytesseract")
    source = decode(form_page)
    _page, band = split(rendered, source.size)
    text = pytesseract.image_to_string(band, lang="chi_sim+eng")
    squeezed = "".join(text.split())
    assert "zhangsan" in squeezed
    assert "CY2026-0007" in squeezed
    assert "2026-11-25" in squeezed


@needs_cjk_font
@needs_tesseract
def test_jpeg_band_of_a_colour_page_reads_back_with_ocr():
    pytesseract = pytest.importorskip("pytesseract")
    data = pages.render_text_page(["干部任免审批表"], dpi=200, mode="RGB")
    out = decode(watermark.render_page(data, 1, LINES, image_format="jpeg"))
    assert (out.format, out.mode) == ("JPEG", "RGB")
    source = decode(data)
    page_height = round(source.height * out.width / source.width)
    band = out.crop((0, page_height + 2, out.width, out.height))
    squeezed = "".join(pytesseract.image_to_string(band, lang="chi_sim+eng").split())
    assert "zhangsan" in squeezed
    assert "CY2026-0007" in squeezed


@needs_cjk_font
@pytest.mark.parametrize("max_side", [2000, 1000, 600])
def test_render_page_downscales_page_and_band(max_side):
    data = pages.render_text_page(["干部履历表"], dpi=300)  # 2480 x 3508
    out = decode(watermark.render_page(data, 1, LINES, max_side=max_side))
    assert max(out.size) <= max_side
    assert out.height > max_side * 0.95  # not smaller than needed


@needs_cjk_font
def test_render_page_does_not_upscale():
    data = encode(numbered_page(1), "PNG")
    out = decode(watermark.render_page(data, 1, LINES))
    assert out.width == 400


@needs_cjk_font
def test_render_page_of_a_tiff_page():
    data = tiff_3_pages()
    third = decode(watermark.render_page(data, 3, LINES))
    page, _band = split(third, (400, 560))
    assert changed_ratio(numbered_page(3), page) < changed_ratio(numbered_page(1), page)


@needs_cjk_font
@needs_pdftoppm
def test_render_page_of_a_pdf_page():
    out = decode(watermark.render_page(pdf_2_pages(), 2, LINES))
    assert out.mode == "RGB"
    assert abs(out.width - 833) <= 1 and out.height > 1167


@pytest.mark.parametrize("page", [0, -1, 4, 100])
def test_render_page_no_such_page(page):
    with pytest.raises(ScanError) as info:
        watermark.render_page(tiff_3_pages(), page, LINES)
    assert info.value.code == "no_such_page"
    assert info.value.params == {"page": page, "count": 3}


@pytest.mark.parametrize("page", ["1", 1.0, True, None])
def test_render_page_page_must_be_an_int(page, form_page):
    with pytest.raises(ScanError) as info:
        watermark.render_page(form_page, page, LINES)
    assert info.value.code == "no_such_page"


@pytest.mark.parametrize("lines", [[], ["", "   "], None])
def test_render_page_refuses_to_serve_without_watermark(lines, form_page):
    with pytest.raises(WatermarkError) as info:
        watermark.render_page(form_page, 1, lines)
    assert info.value.code == "no_watermark_text"


@needs_cjk_font
def test_render_page_a_single_string_is_one_line(form_page):
    data = watermark.render_page(form_page, 1, "zhangsan", max_side=500)
    assert decode(data).height <= 500


def test_render_page_bad_format_and_size(form_page):
    with pytest.raises(WatermarkError) as info:
        watermark.render_page(form_page, 1, LINES, image_format="GIF")
    assert (info.value.code, info.value.params) == (
        "bad_image_format",
        {"image_format": "GIF"},
    )
    with pytest.raises(WatermarkError) as info:
        watermark.render_page(form_page, 1, LINES, max_side=10)
    assert info.value.code == "bad_max_side"


def test_render_page_without_a_cjk_font(form_page, monkeypatch):
    monkeypatch.setattr(watermark, "find_cjk_font", lambda: None)
    with pytest.raises(WatermarkError) as info:
        watermark.render_page(form_page, 1, LINES)
    assert info.value.code == "no_cjk_font"


def test_render_page_with_a_missing_font_file(form_page, tmp_path):
    with pytest.raises(WatermarkError) as info:
        watermark.render_page(form_page, 1, LINES, font_path=str(tmp_path / "x.ttc"))
    assert info.value.code == "no_cjk_font"


@needs_cjk_font
def test_long_lines_wrap_in_the_band():
    data = encode(numbered_page(1), "PNG")  # 400 px wide
    one = decode(watermark.render_page(data, 1, ["zhangsan"]))
    many = decode(watermark.render_page(data, 1, LINES + ["某某市委组织部干部一处"]))
    assert many.height > one.height + 14  # at least one more row of text
    very_long = ["x" * 300]
    assert decode(watermark.render_page(data, 1, very_long)).width == 400


@needs_cjk_font
def test_watermark_image_keeps_modes():
    for mode, expected in [("L", "L"), ("RGB", "RGB"), ("1", "L"), ("RGBA", "RGB")]:
        img = Image.new(mode, (300, 200), "white")
        assert watermark.watermark_image(img, LINES).mode == expected
