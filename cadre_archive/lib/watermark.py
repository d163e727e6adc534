"""Watermarked page images for the archive viewer.

Every page a requester sees carries who is looking and when: the watermark
text (e.g. the requester's name and login, the date and time, the request
reference) is repeated diagonally across the whole page in a light,
semi-transparent grey, and written once more, solid and fully legible, in a
band added below the page (so that no part of the document is hidden and an
OCR of a leaked image reads the text back).

Pages come from JPEG, PNG, multi-page TIFF or PDF scans; PDF pages are
rasterized with poppler's ``pdftoppm``.
"""

import contextlib
import io
import math
import os
import shutil
import subprocess
import tempfile

from PIL import Image, ImageDraw, ImageFont, ImageOps

from .errors import ArchiveLibError, ScanError
from .pages import find_cjk_font
from .scans import DEFAULT_MAX_PIXELS, identify

PDFTOPPM = "pdftoppm"
PDF_DPI = 150
PDF_TIMEOUT = 60  # seconds

IMAGE_FORMATS = ("PNG", "JPEG")
JPEG_QUALITY = 85

FONT_WIDTH_RATIO = 40  # font size = page width / 40 ...
MIN_FONT_PX = 14  # ... but at least 14 px
MIN_FIT_FONT_PX = 8  # a band line too wide for the page shrinks down to this
DIAGONAL_ANGLE = 30  # degrees, counter-clockwise
DIAGONAL_SCALE = 1.5  # diagonal text is this much larger than the band text
DIAGONAL_GREY = 128
DIAGONAL_ALPHA = 80  # out of 255: the page stays readable under the watermark
BAND_BACKGROUND = 250  # grey levels (the watermark is neutral grey, so that
BAND_TEXT = 0  # a grey page stays in mode L)
BAND_RULE = 64
SEPARATOR = "   "

_PIL_FORMATS = ["JPEG", "PNG", "TIFF"]
# What Pillow raises on damaged input once scans.identify accepted it.
_PIL_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError)


class WatermarkError(ArchiveLibError):
    """The watermark cannot be drawn as asked (no text, font or format)."""


# ----------------------------------------------------------------- pages


def page_count(data: bytes) -> int:
    """Return the number of pages of a scan (raise ScanError when unusable)."""
    return identify(data).page_count


def page_images(data: bytes, max_pages: int = 500) -> list[Image.Image]:
    """Return every page of a scan as an RGB or L image.

    Raise ScanError when the scan is unusable, or ('too_many_pages', count=,
    max=) when it has more than ``max_pages`` pages.
    """
    info = identify(data)
    if info.page_count > max_pages:
        raise ScanError("too_many_pages", count=info.page_count, max=max_pages)
    if info.kind == "pdf":
        return _rasterize_pdf(data, 1, info.page_count)
    return [_image_page(data, index) for index in range(info.page_count)]


def _page_image(data: bytes, page: int) -> Image.Image:
    """Return page ``page`` (from 1) of a scan; ScanError('no_such_page') if none."""
    info = identify(data)
    is_int = isinstance(page, int) and not isinstance(page, bool)
    if not is_int or not 1 <= page <= info.page_count:
        raise ScanError("no_such_page", page=page, count=info.page_count)
    if info.kind == "pdf":
        images = _rasterize_pdf(data, page, page)
        if not images:
            raise ScanError("no_such_page", page=page, count=info.page_count)
        return images[0]
    return _image_page(data, page - 1)


@contextlib.contextmanager
def _decoding():
    """Turn what Pillow raises while decoding into ScanError."""
    try:
        yield
    except ScanError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ScanError("too_many_pixels", max=DEFAULT_MAX_PIXELS) from exc
    except _PIL_ERRORS as exc:
        raise ScanError("unreadable") from exc


def _normalized(img: Image.Image) -> Image.Image:
    """Return a copy of ``img`` in mode L (grey pages) or RGB (all others)."""
    if img.mode in ("L", "RGB"):
        return img.copy()
    if img.mode in ("1", "I", "I;16", "I;16B", "I;16L", "F"):
        return img.convert("L")
    if img.mode in ("RGBA", "LA", "PA", "P") or ("transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return img.convert("RGB")


def _image_page(data: bytes, index: int) -> Image.Image:
    """Decode frame ``index`` (from 0) of a JPEG, PNG or TIFF scan."""
    with _decoding(), Image.open(io.BytesIO(data), formats=_PIL_FORMATS) as img:
        img.seek(index)
        img.load()
        if img.format != "TIFF":  # Pillow's TIFF loader applies it itself
            img = ImageOps.exif_transpose(img)
        return _normalized(img)


# ------------------------------------------------------------------- PDF


def _run_pdftoppm(pdf_path: str, prefix: str, first: int, last: int) -> None:
    """Rasterize pages ``first``..``last`` to ``prefix-N.png``; ScanError if not."""
    executable = shutil.which(PDFTOPPM)
    if executable is None:
        raise ScanError("unreadable")
    command = [
        executable,
        "-r",
        str(PDF_DPI),
        "-png",
        "-f",
        str(first),
        "-l",
        str(last),
        pdf_path,
        prefix,
    ]
    try:
        subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=PDF_TIMEOUT,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise ScanError("unreadable") from exc


def _output_number(name: str) -> int:
    """Return N of pdftoppm's ``page-N.png`` (N is zero-padded)."""
    return int(name.rsplit("-", 1)[1].split(".", 1)[0])


def _load_png(path: str) -> Image.Image:
    """Decode one page rendered by pdftoppm, refusing too many pixels."""
    with _decoding(), Image.open(path, formats=["PNG"]) as img:
        if img.width * img.height > DEFAULT_MAX_PIXELS:
            raise ScanError(
                "too_many_pixels",
                width=img.width,
                height=img.height,
                max=DEFAULT_MAX_PIXELS,
            )
        img.load()
        return _normalized(img)


def _rasterize_pdf(data: bytes, first: int, last: int) -> list[Image.Image]:
    """Return pages ``first``..``last`` (from 1) of a PDF, rendered at PDF_DPI."""
    with tempfile.TemporaryDirectory(prefix="cadre_archive_") as tmp:
        pdf_path = os.path.join(tmp, "scan.pdf")
        with open(pdf_path, "wb") as pdf_file:
            pdf_file.write(data)
        _run_pdftoppm(pdf_path, os.path.join(tmp, "page"), first, last)
        names = [
            name
            for name in os.listdir(tmp)
            if name.startswith("page-") and name.endswith(".png")
        ]
        names.sort(key=_output_number)
        return [_load_png(os.path.join(tmp, name)) for name in names]


# ------------------------------------------------------------- watermark


def _watermark_items(lines: list[str]) -> list[str]:
    """Return the non-blank lines, stripped; WatermarkError if there are none."""
    if isinstance(lines, str):
        lines = [lines]
    items = [str(line).strip() for line in lines or ()]
    items = [item for item in items if item]
    if not items:
        raise WatermarkError("no_watermark_text")
    return items


def _font(font_path: str | None, size: int) -> ImageFont.FreeTypeFont:
    """Return the CJK font at ``size`` px; WatermarkError if there is none."""
    path = font_path or find_cjk_font()
    if not path:
        raise WatermarkError("no_cjk_font")
    try:
        return ImageFont.truetype(path, size)
    except OSError as exc:
        raise WatermarkError("no_cjk_font", font_path=path) from exc


def _font_size(width: int) -> int:
    """Return the watermark font size in px for a page ``width`` px wide."""
    return max(MIN_FONT_PX, round(width / FONT_WIDTH_RATIO))


def _band_layout(items, width, font_path):
    """Return (font, rows of text) of the band: items packed in rows that fit.

    The font shrinks (down to MIN_FIT_FONT_PX) when one item alone is wider
    than the page.
    """
    size = _font_size(width)
    available = width - 2 * size
    font = _font(font_path, size)
    widest = max(font.getlength(item) for item in items)
    if widest > available:
        size = max(MIN_FIT_FONT_PX, math.floor(size * available / widest))
        font = _font(font_path, size)
    rows = []
    for item in items:
        candidate = SEPARATOR.join([rows[-1], item]) if rows else item
        if rows and font.getlength(candidate) <= available:
            rows[-1] = candidate
        else:
            rows.append(item)
    return font, rows


def _line_height(font) -> int:
    ascent, descent = font.getmetrics()
    return ascent + descent


def _band_height(font, rows) -> int:
    line_height = _line_height(font)
    return len(rows) * round(line_height * 1.25) + line_height


def _colour(grey: int, mode: str):
    """Return the ``grey`` level as a colour of an image in ``mode`` (L or RGB)."""
    return grey if mode == "L" else (grey, grey, grey)


def _draw_band(width, font, rows, mode) -> Image.Image:
    """Return the solid band: dark text on a light background, rule on top."""
    height = _band_height(font, rows)
    band = Image.new(mode, (width, height), _colour(BAND_BACKGROUND, mode))
    draw = ImageDraw.Draw(band)
    rule = max(1, font.size // 10)
    draw.rectangle((0, 0, width - 1, rule - 1), fill=_colour(BAND_RULE, mode))
    y = _line_height(font) // 2
    for row in rows:
        x = (width - font.getlength(row)) / 2
        draw.text((x, y), row, fill=_colour(BAND_TEXT, mode), font=font)
        y += round(_line_height(font) * 1.25)
    return band


def _text_tile(text, font, alpha) -> Image.Image:
    """Return an L mask of ``text``: ``alpha`` where the glyphs are, 0 elsewhere."""
    left, top, right, bottom = font.getbbox(text)
    tile = Image.new("L", (right, bottom), 0)
    ImageDraw.Draw(tile).text((0, 0), text, fill=alpha, font=font)
    return tile


def _diagonal_mask(size, text, font) -> Image.Image:
    """Return an L mask of ``size`` with ``text`` tiled diagonally across it.

    The text is drawn once, pasted in staggered rows on a square larger than
    the page, and the square is rotated by DIAGONAL_ANGLE then cropped.
    """
    width, height = size
    side = math.ceil(math.hypot(width, height)) + 2 * font.size
    mask = Image.new("L", (side, side), 0)
    tile = _text_tile(text, font, DIAGONAL_ALPHA)
    step_x = tile.width + 4 * font.size
    step_y = 5 * font.size
    for row, y in enumerate(range(0, side, step_y)):
        for x in range(-(step_x // 2) * (row % 2), side, step_x):
            mask.paste(tile, (x, y))
    mask = mask.rotate(DIAGONAL_ANGLE, resample=Image.Resampling.BILINEAR)
    left = (side - width) // 2
    top = (side - height) // 2
    return mask.crop((left, top, left + width, top + height))


def _fit(img: Image.Image, max_side: int, items, font_path) -> Image.Image:
    """Downscale ``img`` so that page plus band is at most ``max_side`` px."""
    if max(img.size) > max_side:
        img = _scaled(img, max_side / max(img.size))
    for _attempt in range(3):  # a narrower page may need one more band row
        font, rows = _band_layout(items, img.width, font_path)
        band_height = _band_height(font, rows)
        if img.height + band_height <= max_side:
            break
        img = _scaled(img, (max_side - band_height) / img.height)
    return img


def _scaled(img: Image.Image, ratio: float) -> Image.Image:
    size = (
        max(1, math.floor(img.width * ratio)),
        max(1, math.floor(img.height * ratio)),
    )
    return img.resize(size, Image.Resampling.LANCZOS)


def watermark_image(
    img: Image.Image, lines: list[str], font_path: str | None = None
) -> Image.Image:
    """Return ``img`` with the diagonal watermark and the band added below it.

    The result is in mode L when ``img`` is, RGB otherwise.
    """
    items = _watermark_items(lines)
    page = img if img.mode in ("L", "RGB") else _normalized(img)
    diagonal_font = _font(font_path, round(_font_size(page.width) * DIAGONAL_SCALE))
    mask = _diagonal_mask(page.size, SEPARATOR.join(items), diagonal_font)
    ink = Image.new(page.mode, page.size, _colour(DIAGONAL_GREY, page.mode))
    page = Image.composite(ink, page, mask)
    font, rows = _band_layout(items, page.width, font_path)
    band = _draw_band(page.width, font, rows, page.mode)
    result = Image.new(page.mode, (page.width, page.height + band.height))
    result.paste(page, (0, 0))
    result.paste(band, (0, page.height))
    return result


def _encode(img: Image.Image, image_format: str) -> bytes:
    buffer = io.BytesIO()
    if image_format == "JPEG":
        img.save(buffer, format="JPEG", quality=JPEG_QUALITY)
    else:
        img.save(buffer, format="PNG")
    return buffer.getvalue()


def render_page(
    data: bytes,
    page: int,
    lines: list[str],
    *,
    max_side: int = 2000,
    image_format: str = "PNG",
    font_path: str | None = None,
) -> bytes:
    """Return page ``page`` (from 1) of a scan, watermarked with ``lines``.

    The page is downscaled so that the whole image (page and band) is at most
    ``max_side`` px on its longest side; it is encoded as PNG or JPEG.
    Raise ScanError for an unusable scan or ('no_such_page', page=, count=),
    WatermarkError for blank ``lines``, a missing font, a wrong format or
    ``max_side``.
    """
    image_format = str(image_format).upper()
    if image_format not in IMAGE_FORMATS:
        raise WatermarkError("bad_image_format", image_format=image_format)
    if isinstance(max_side, bool) or not isinstance(max_side, int) or max_side < 100:
        raise WatermarkError("bad_max_side", max_side=max_side)
    items = _watermark_items(lines)
    img = _fit(_page_image(data, page), max_side, items, font_path)
    return _encode(watermark_image(img, items, font_path), image_format)
