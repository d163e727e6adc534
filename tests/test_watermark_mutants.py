"""Watermark drawing: the diagonal and the band stay visible and legible.

Written against the surviving mutants of ``cadre_archive.lib.watermark``:
each test checks an observable property of the rendered image.
"""

import io
import os

import pytest
from cadre_archive_lib import pages, watermark
from cadre_archive_lib.watermark import WatermarkError
from PIL import Image, ImageDraw, ImageFont

ALT_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
ITEMS = ["ALICE SMITH", "2026-11-25 14:03", "CY2026-0007"]

needs_fonts = pytest.mark.skipif(
    pages.find_cjk_font() is None or not os.path.exists(ALT_FONT),
    reason="needs a CJK font and DejaVu Sans",
)
pytestmark = needs_fonts


def _font(size, path=ALT_FONT):
    # the layout engine the watermark draws with (Pillow's basic layout)
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


def _zeros_ratio(img):
    return img.histogram()[0] / (img.width * img.height)


# ------------------------------------------------------------ diagonal mask


@pytest.mark.parametrize("size", [(300, 120), (120, 300), (200, 200)])
def test_diagonal_mask_covers_the_whole_page_with_alpha(size):
    font = _font(20)
    mask = watermark._diagonal_mask(size, "ALICE SMITH   CY2026-0007", font)
    assert mask.size == size and mask.mode == "L"
    # glyphs at DIAGONAL_ALPHA, background transparent
    assert mask.getextrema() == (0, watermark.DIAGONAL_ALPHA)
    assert 0.5 < _zeros_ratio(mask) < 0.98
    # every part of the page carries some of the watermark
    w, h = size
    for box in [
        (0, 0, w // 2, h // 2),
        (w // 2, 0, w, h // 2),
        (0, h // 2, w // 2, h),
        (w // 2, h // 2, w, h),
    ]:
        part = mask.crop(box)
        assert _zeros_ratio(part) < 0.99, box


def test_text_tile_is_alpha_glyphs_on_zero():
    font = _font(20)
    tile = watermark._text_tile("HI", font, 80)
    assert tile.getextrema() == (0, 80)
    left, top, right, bottom = font.getbbox("HI")
    assert tile.size == (right, bottom)
    # the glyphs are drawn from the tile's origin, not shifted
    reference = Image.new("L", tile.size, 0)
    ImageDraw.Draw(reference).text((0, 0), "HI", fill=80, font=font)
    assert tile.tobytes() == reference.tobytes()


# -------------------------------------------------------------------- band


def _ink_runs(band, start):
    """Vertical runs of rows holding dark text pixels, below ``start``."""
    runs, current = [], None
    for y in range(start, band.height):
        dark = band.crop((0, y, band.width, y + 1)).getextrema()[0] < 128
        if dark and current is None:
            current = [y, y]
        elif dark:
            current[1] = y
        elif current is not None:
            runs.append(tuple(current))
            current = None
    if current is not None:
        runs.append(tuple(current))
    return runs


@pytest.mark.parametrize(("size", "rule"), [(14, 1), (20, 2), (35, 3)])
def test_band_rule_spans_the_width_at_its_thickness(size, rule):
    font = _font(size)
    band = watermark._draw_band(300, font, ["AB"], "L")
    for y in range(rule):
        assert band.crop((0, y, 300, y + 1)).getextrema() == (64, 64), y
    assert band.getpixel((0, rule)) == watermark.BAND_BACKGROUND
    assert band.getpixel((299, rule)) == watermark.BAND_BACKGROUND


def test_band_rows_are_centred_stacked_and_inside_the_band():
    font = _font(20)
    rows = ["ABC 123", "DEF 456", "HIJ 789"]
    band = watermark._draw_band(400, font, rows, "L")
    assert band.height == watermark._band_height(font, rows)
    rule = 2
    runs = _ink_runs(band, rule)
    assert len(runs) == 3
    line = watermark._line_height(font)
    step = round(line * 1.25)
    # each row starts half a line down, a line and a quarter apart
    for index, (top, _bottom) in enumerate(runs):
        expected = line // 2 + index * step + font.getbbox(rows[index])[1]
        assert abs(top - expected) <= 1, (index, top, expected)
    assert runs[-1][1] < band.height - 1
    # horizontally centred
    text = band.crop((0, rule, band.width, band.height))
    dark = text.point(lambda v: 255 if v < 128 else 0)
    left, _top, right, _bottom = dark.getbbox()
    assert abs((400 - right) - left) <= 3


def test_band_in_rgb_is_grey():
    font = _font(20)
    band = watermark._draw_band(200, font, ["AB"], "RGB")
    assert band.mode == "RGB"
    assert band.getpixel((0, 0)) == (64, 64, 64)
    assert band.getpixel((0, band.height - 1)) == (250, 250, 250)


# -------------------------------------------------------------- band layout


def test_band_layout_uses_the_given_font():
    font, rows = watermark._band_layout(ITEMS, 800, ALT_FONT)
    assert font.path == ALT_FONT
    assert rows == ["   ".join(ITEMS)]


def test_band_layout_shrinks_with_the_given_font():
    item = "W" * 40
    width = 400
    size = watermark._font_size(width)
    available = width - 2 * size
    widest = _font(size).getlength(item)
    font, rows = watermark._band_layout([item], width, ALT_FONT)
    assert font.path == ALT_FONT
    assert font.size == max(8, int(size * available // widest))
    assert font.size > 8
    assert rows == [item]


@pytest.mark.parametrize(("k", "width", "expected_rows"), [(6, 161, 1), (6, 158, 2)])
def test_band_layout_rows_fit_the_margins(k, width, expected_rows):
    """Two items share a row only if they fit within width - 2 * font size."""
    items = ["A" * k, "B" * k]
    size = watermark._font_size(width)
    length = _font(size).getlength("   ".join(items))
    if expected_rows == 1:  # fits in width - 2 * size, not in width - 3 * size
        assert width - 3 * size < length <= width - 2 * size - 0.5
    else:  # just over width - 2 * size
        assert width - 2 * size + 0.5 < length <= width - 2 * size + size / 2
    font, rows = watermark._band_layout(items, width, ALT_FONT)
    assert font.size == size
    assert len(rows) == expected_rows
    assert " ".join(rows).split() == items


# --------------------------------------------------------- watermark_image


def _expected(img, items, font_path):
    text = "   ".join(items)
    size = round(watermark._font_size(img.width) * watermark.DIAGONAL_SCALE)
    mask = watermark._diagonal_mask(img.size, text, _font(size, font_path))
    ink = Image.new(img.mode, img.size, watermark._colour(128, img.mode))
    page = Image.composite(ink, img, mask)
    font, rows = watermark._band_layout(items, img.width, font_path)
    band = watermark._draw_band(img.width, font, rows, img.mode)
    return page, band


@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_watermark_image_is_page_with_grey_diagonal_then_band(mode):
    img = Image.new(mode, (240, 160), watermark._colour(255, mode))
    result = watermark.watermark_image(img, ITEMS, ALT_FONT)
    page, band = _expected(img, ITEMS, ALT_FONT)
    assert result.mode == mode
    assert result.size == (240, 160 + band.height)
    assert result.crop((0, 0, 240, 160)).tobytes() == page.tobytes()
    assert result.crop((0, 160, 240, result.height)).tobytes() == band.tobytes()
    # the diagonal is there, light: white blended with grey 128 at alpha 80
    grey = result.convert("L").crop((0, 0, 240, 160))
    low, high = grey.getextrema()
    assert high == 255
    assert low == round(255 - (255 - 128) * 80 / 255)


# ------------------------------------------------------------- render_page


def _png(img):
    buffer = io.BytesIO()
    img.save(buffer, "PNG")
    return buffer.getvalue()


def test_render_page_default_max_side_is_2000():
    data = _png(Image.new("L", (2400, 120), 255))
    out = Image.open(io.BytesIO(watermark.render_page(data, 1, ITEMS)))
    assert out.width == 2000


def test_render_page_max_side_bounds():
    data = _png(Image.new("L", (150, 60), 255))
    out = Image.open(io.BytesIO(watermark.render_page(data, 1, ITEMS, max_side=100)))
    assert max(out.size) <= 100
    for bad in (99, 500.0, True):
        with pytest.raises(WatermarkError) as info:
            watermark.render_page(data, 1, ITEMS, max_side=bad)
        assert info.value.code == "bad_max_side"
        assert info.value.params == {"max_side": bad}


def test_render_page_draws_with_the_given_font():
    img = Image.new("L", (300, 200), 255)
    out = watermark.render_page(_png(img), 1, ITEMS, font_path=ALT_FONT)
    expected = watermark.watermark_image(img, ITEMS, ALT_FONT)
    assert Image.open(io.BytesIO(out)).tobytes() == expected.tobytes()


def test_render_page_keys_the_cache_by_the_given_content_key(monkeypatch):
    """A caller that checked the bytes against their checksum names them by
    it: the page is the same, the bytes are not hashed again."""
    data = _png(Image.new("L", (300, 200), 200))
    expected = watermark.render_page(data, 1, ITEMS, font_path=ALT_FONT)

    def hashed_again(_data):
        raise AssertionError("the bytes were hashed again")

    monkeypatch.setattr(watermark, "digest", hashed_again)
    watermark.PAGE_CACHE.clear()
    key = "0" * 64
    served = watermark.render_page(data, 1, ITEMS, font_path=ALT_FONT, content_key=key)
    assert served == expected
    assert (key, 1, None) in watermark.PAGE_CACHE._items
    with pytest.raises(AssertionError, match="hashed again"):
        watermark.render_page(data, 1, ITEMS, font_path=ALT_FONT)


def _runs(flags):
    """(start, length) of each run of True in ``flags``."""
    runs, start = [], None
    for index, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            runs.append((start, index - start))
            start = None
    return runs


def test_diagonal_repeats_stand_apart_in_rows():
    """Each repeat of the text is whole: repeats never overlap in their row,
    rows never overlap each other (the text stays legible)."""
    font = _font(20)
    text = "ALICE SMITH   CY2026-0007"
    mask = watermark._diagonal_mask((800, 800), text, font)
    upright = mask.rotate(
        -watermark.DIAGONAL_ANGLE, resample=Image.Resampling.BILINEAR
    ).crop((150, 150, 650, 650))
    inked = [
        [upright.getpixel((x, y)) > 20 for x in range(upright.width)]
        for y in range(upright.height)
    ]
    rows = _runs([any(line) for line in inked])
    interior = [
        (start, length)
        for start, length in rows
        if start and start + length < upright.height
    ]
    assert len(interior) >= 3
    tile_height = watermark._text_tile(text, font, 80).height
    for (start, length), (following, _length) in zip(
        interior, interior[1:], strict=False
    ):
        assert length <= tile_height + 4  # one line of text, not two overlapping
        assert abs(following - start - 5 * font.size) <= 2  # rows 5 sizes apart
    for start, length in interior:
        columns = [
            any(inked[y][x] for y in range(start, start + length))
            for x in range(upright.width)
        ]
        gaps = [gap for gap in _runs([not c for c in columns])[1:-1]]
        assert gaps, "a row shows one repeat only"
        # between two repeats: 4 font sizes of blank; inside the text, much less
        widest = max(length for _start, length in gaps)
        assert 4 * font.size - 6 <= widest <= 4 * font.size + 6
