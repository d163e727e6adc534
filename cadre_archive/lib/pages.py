"""Render plain pages of text as scan-like images.

Used for demo data and tests (and by the OCR tests to make pages whose text is
known): a white A4 page with lines of text drawn with a CJK font when one is
installed (Debian's fonts-noto-cjk), saved as JPEG, PNG or TIFF at a given dpi.
"""

import io
import os

from PIL import Image, ImageDraw, ImageFont

CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)

A4_MM = (210, 297)


def find_cjk_font(candidates=CJK_FONT_CANDIDATES):
    """Return the path of the first installed CJK font, or None."""
    for path in candidates:
        if os.path.exists(path):
            return path
    return None


def page_size(dpi, size_mm=A4_MM):
    """Return the pixel size of a page of ``size_mm`` at ``dpi``."""
    return tuple(round(mm / 25.4 * dpi) for mm in size_mm)


def load_font(pixel_height, font_path=None):
    """Return a font of about ``pixel_height`` pixels, CJK when available."""
    path = font_path or find_cjk_font()
    if path:
        return ImageFont.truetype(path, pixel_height)
    return ImageFont.load_default()


def render_text_page(
    lines,
    dpi=300,
    size_mm=A4_MM,
    image_format="JPEG",
    mode="L",
    font_path=None,
    font_pt=14,
):
    """Return the bytes of one page image with ``lines`` of text on it.

    ``font_pt`` is the text size in points at the page's resolution, so the
    text keeps its physical size whatever the dpi.
    """
    width, height = page_size(dpi, size_mm)
    image = Image.new(mode, (width, height), "white")
    draw = ImageDraw.Draw(image)
    pixel_height = max(8, round(font_pt / 72 * dpi))
    font = load_font(pixel_height, font_path)
    margin = round(25 / 25.4 * dpi)
    y = margin
    for line in lines:
        draw.text((margin, y), line, fill="black", font=font)
        y += round(pixel_height * 1.8)
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, dpi=(dpi, dpi))
    return buffer.getvalue()


def images_to_pdf(images, dpi=150):
    """Return one PDF with each encoded image (bytes) as a page."""
    pictures = [Image.open(io.BytesIO(data)).convert("RGB") for data in images]
    buffer = io.BytesIO()
    pictures[0].save(
        buffer,
        format="PDF",
        save_all=True,
        append_images=pictures[1:],
        resolution=dpi,
    )
    return buffer.getvalue()
