"""Watermarked page images for the archive viewer.

Every page a requester sees carries who is looking and when: the watermark
text (e.g. the requester's name and login, the date and time, the request
reference) is repeated diagonally across the whole page in a light,
semi-transparent grey, and written once more, solid and fully legible, in a
band added below the page (so that no part of the document is hidden and an
OCR of a leaked image reads the text back).

This module only draws: pages are decoded by :mod:`.scans` (one page at a
time, within its :class:`~.scans.DecodeLimits`).

Serving a page is cheap once it was served: each process keeps the pages it
decoded and scaled (keyed by the scan's content, the page, the limits and the
size) and the diagonal masks it drew (keyed by text, font and size) in caches
bounded in bytes (:mod:`.page_cache`), so a page served again costs a
composite, the band and one encoding. The viewer asks for JPEG
(:data:`VIEWER_IMAGE_FORMAT`): a grey A4 page at the viewer's size encodes in
about 4 ms as JPEG against 30 to 40 ms as PNG, at half the bytes, and the
watermark stays as legible (the band is read back by OCR in the tests).
"""

import functools
import io
import math
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

from .errors import ArchiveLibError, ScanError
from .page_cache import ByteLRU, digest, image_bytes
from .pages import find_cjk_font
from .scans import DecodeLimits, iter_pages, normalize_image, page_image
from .scans import page_count as _scan_page_count

IMAGE_FORMATS = ("PNG", "JPEG")
JPEG_QUALITY = 85
VIEWER_IMAGE_FORMAT = "JPEG"  # what the viewer serves (PNG stays for prints)

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
PNG_COMPRESS_LEVEL = 1  # a third faster than zlib's default, a fifth larger
# Pages are shrunk by bilinear filtering over every source pixel (Pillow's
# resize is antialiased): the viewer's mild reductions of 200-300 dpi scans
# read as well as with Lanczos, at half the time of a page served first
FIT_RESAMPLING = Image.Resampling.BILINEAR

# per process: decoded and scaled pages, diagonal masks (bounded in bytes)
PAGE_CACHE = ByteLRU(96 * 1024 * 1024, image_bytes)
MASK_CACHE = ByteLRU(32 * 1024 * 1024, image_bytes)


class WatermarkError(ArchiveLibError):
    """The watermark cannot be drawn as asked (no text, font or format)."""


# ------------------------------------------------- deprecated page access


def page_count(data: bytes) -> int:
    """Deprecated: use :func:`.scans.page_count`."""
    return _scan_page_count(data)


class _LazyPages(Sequence):
    """The pages of a scan, each decoded when it is asked for (never kept)."""

    def __init__(self, data: bytes, limits: DecodeLimits):
        self._data = data
        self._limits = limits
        self._count = _scan_page_count(data, limits)

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("page index out of range")
        return page_image(self._data, index + 1, self._limits)

    def __iter__(self):
        for _number, image in iter_pages(self._data, self._limits):
            yield image


def page_images(data: bytes, max_pages: int = 500) -> Sequence[Image.Image]:
    """Deprecated: use :func:`.scans.page_image` or :func:`.scans.iter_pages`.

    Return the pages of a scan as a sequence of RGB or L images that decodes
    a page only when it is asked for (``page_images(data)[n - 1]`` decodes
    page n alone).  The scan's limits are checked now: ScanError as
    :func:`.scans.page_count` raises, ('too_many_pages', count=, max=) over
    ``max_pages``.
    """
    limits = DecodeLimits(max_pages=max_pages)
    return _LazyPages(bytes(data) if data else data, limits)


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
        return _loaded_font(path, size)
    except OSError as exc:
        raise WatermarkError("no_cjk_font", font_path=path) from exc


@functools.lru_cache(maxsize=64)
def _loaded_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    """The font file at ``path`` at ``size`` px, loaded once per process
    (a failure is not kept: a font installed later is found).

    Pillow's basic layout: Raqm's complex shaping (bidi, ligatures), which
    Chinese and Latin watermark text does not need, makes measuring and
    drawing a line of Noto CJK some 80 times slower.
    """
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


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
    widest = max(_length(font, item) for item in items)
    if widest > available:
        size = max(MIN_FIT_FONT_PX, math.floor(size * available / widest))
        font = _font(font_path, size)
    rows = []
    for item in items:
        candidate = SEPARATOR.join([rows[-1], item]) if rows else item
        if rows and _length(font, candidate) <= available:
            rows[-1] = candidate
        else:
            rows.append(item)
    return font, rows


def _length(font, text: str) -> float:
    """The advance width of ``text`` in ``font`` (a CJK font takes
    milliseconds to lay text out: measured once per process)."""
    return _measured_length(font.path, font.size, text)


@functools.lru_cache(maxsize=4096)
def _measured_length(path: str, size: int, text: str) -> float:
    return _loaded_font(path, size).getlength(text)


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
        x = (width - _length(font, row)) / 2
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

    The text is drawn once and rotated once by DIAGONAL_ANGLE; the rotated
    text is then pasted, glyphs only, at the points of a lattice (rows
    5 font sizes apart, each row shifted by half a repeat) turned by the
    same angle, over the whole page. Rotating one line of text instead of a
    square larger than the page makes a new mask (a new minute, a new
    reader) about five times cheaper.
    """
    width, height = size
    tile = _text_tile(text, font, DIAGONAL_ALPHA)
    step_x = tile.width + 4 * font.size
    step_y = 5 * font.size
    rotated = tile.rotate(
        DIAGONAL_ANGLE, resample=Image.Resampling.BILINEAR, expand=True
    )
    glyphs = rotated.point(lambda value: 255 if value else 0)
    mask = Image.new("L", size, 0)
    for left, top in _lattice(size, rotated.size, step_x, step_y):
        mask.paste(rotated, (left, top), glyphs)
    return mask


def _lattice(size, tile_size, step_x, step_y):
    """(left, top) of each repeat of a rotated tile of ``tile_size`` that
    meets a page of ``size``: repeats ``step_x`` apart along the text, rows
    ``step_y`` apart across it, every other row shifted by half a repeat, the
    whole lattice turned by DIAGONAL_ANGLE about the page's centre."""
    width, height = size
    angle = math.radians(DIAGONAL_ANGLE)
    cos, sin = math.cos(angle), math.sin(angle)
    # counter-clockwise on the page (y grows downwards)
    along = (step_x * cos, -step_x * sin)
    across = (-step_x / 2 * cos + step_y * sin, step_x / 2 * sin + step_y * cos)
    reach = math.hypot(width, height) + math.hypot(*tile_size)
    count = math.ceil(reach / min(step_x, step_y * cos)) + 1
    for row in range(-count, count + 1):
        for column in range(-count, count + 1):
            centre_x = width / 2 + column * along[0] + row * across[0]
            centre_y = height / 2 + column * along[1] + row * across[1]
            left = round(centre_x - tile_size[0] / 2)
            top = round(centre_y - tile_size[1] / 2)
            if -tile_size[0] < left < width and -tile_size[1] < top < height:
                yield left, top


def _fit(img: Image.Image, max_side: int, items, font_path) -> Image.Image:
    """Downscale ``img`` so that page plus band is at most ``max_side`` px."""
    size = _fit_size(img.size, max_side, items, font_path)
    if size == img.size:
        return img
    return img.resize(size, FIT_RESAMPLING)


def _fit_size(size, max_side: int, items, font_path) -> tuple[int, int]:
    """The size of a page of ``size`` once page plus band fit in ``max_side``
    px (computed on sizes alone: the page is scaled once, to this size)."""
    if max(size) > max_side:
        size = _scaled_size(size, max_side / max(size))
    for _attempt in range(3):  # a narrower page may need one more band row
        font, rows = _band_layout(items, size[0], font_path)
        band_height = _band_height(font, rows)
        if size[1] + band_height <= max_side:
            break
        size = _scaled_size(size, (max_side - band_height) / size[1])
    return size


def _scaled_size(size, ratio: float) -> tuple[int, int]:
    return (
        max(1, math.floor(size[0] * ratio)),
        max(1, math.floor(size[1] * ratio)),
    )


def _scaled(img: Image.Image, ratio: float) -> Image.Image:
    return img.resize(_scaled_size(img.size, ratio), FIT_RESAMPLING)


def watermark_image(
    img: Image.Image, lines: list[str], font_path: str | None = None
) -> Image.Image:
    """Return ``img`` with the diagonal watermark and the band added below it.

    The result is in mode L when ``img`` is, RGB otherwise.
    """
    items = _watermark_items(lines)
    page = img if img.mode in ("L", "RGB") else normalize_image(img)
    diagonal_font = _font(font_path, round(_font_size(page.width) * DIAGONAL_SCALE))
    text = SEPARATOR.join(items)
    mask = MASK_CACHE.get_or_make(
        (page.size, text, diagonal_font.path, diagonal_font.size),
        lambda: _diagonal_mask(page.size, text, diagonal_font),
    )
    ink = Image.new(page.mode, page.size, _colour(DIAGONAL_GREY, page.mode))
    page = Image.composite(ink, page, mask)
    font, rows = _band_layout(items, page.width, font_path)
    band = MASK_CACHE.get_or_make(
        ("band", page.width, font.path, font.size, tuple(rows), page.mode),
        lambda: _draw_band(page.width, font, rows, page.mode),
    )
    result = Image.new(page.mode, (page.width, page.height + band.height))
    result.paste(page, (0, 0))
    result.paste(band, (0, page.height))
    return result


def _encode(img: Image.Image, image_format: str) -> bytes:
    buffer = io.BytesIO()
    if image_format == "JPEG":
        img.save(buffer, format="JPEG", quality=JPEG_QUALITY)
    else:
        img.save(buffer, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()


def render_page(
    data: bytes,
    page: int,
    lines: list[str],
    *,
    max_side: int = 2000,
    image_format: str = "PNG",
    font_path: str | None = None,
    limits: DecodeLimits | None = None,
    content_key: str | None = None,
) -> bytes:
    """Return page ``page`` (from 1) of a scan, watermarked with ``lines``.

    Only that page is decoded (see :func:`.scans.page_image`, which checks
    the scan's ``limits`` first).  The page is downscaled so that the whole
    image (page and band) is at most ``max_side`` px on its longest side; it
    is encoded as PNG or JPEG.  Raise ScanError for an unusable scan, one
    over its limits (as :func:`.scans.page_image`) or ('no_such_page',
    page=, count=); WatermarkError for blank ``lines``, a missing font, a
    wrong format or ``max_side``.

    ``content_key`` names the content of ``data`` in the page cache: a
    caller that has just checked ``data`` against its SHA-256 passes that
    checksum, and the bytes are not hashed a second time; without it the
    cache key is a BLAKE2b digest of ``data``.
    """
    image_format = str(image_format).upper()
    if image_format not in IMAGE_FORMATS:
        raise WatermarkError("bad_image_format", image_format=image_format)
    if isinstance(max_side, bool) or not isinstance(max_side, int) or max_side < 100:
        raise WatermarkError("bad_max_side", max_side=max_side)
    items = _watermark_items(lines)
    img = _fitted_page(data, page, limits, max_side, items, font_path, content_key)
    return _encode(watermark_image(img, items, font_path), image_format)


def _fitted_page(
    data, page, limits, max_side, items, font_path, content_key=None
) -> Image.Image:
    """Page ``page`` of the scan ``data`` decoded and scaled to fit
    ``max_side`` with its band, from :data:`PAGE_CACHE` when it is there.

    The decoded page is kept too (keyed by the scan's content, the page and
    the limits), so the same page under a band of another height is only
    scaled again. Never change the returned image in place.
    """
    if not data:
        content_key = None
    elif not content_key:
        content_key = digest(bytes(data))
    key = (content_key, page, limits)
    if key[0] is None or isinstance(page, bool) or not isinstance(page, int):
        return _fit(_decoded_page(data, page, limits), max_side, items, font_path)
    decoded = PAGE_CACHE.get_or_make(key, lambda: _decoded_page(data, page, limits))
    size = _fit_size(decoded.size, max_side, items, font_path)
    if size == decoded.size:
        return decoded
    return PAGE_CACHE.get_or_make(
        (*key, size), lambda: decoded.resize(size, FIT_RESAMPLING)
    )


def _decoded_page(data, page, limits) -> Image.Image:
    try:
        img = page_image(data, page, limits)
    except ScanError as error:
        if error.code != "bad_page":
            raise
        raise ScanError("no_such_page", **error.params) from error
    if img.mode not in ("L", "RGB"):
        img = normalize_image(img)
    img.load()
    return img
