import io
import re

from cadre_archive_lib import pages
from PIL import Image


def encode(image, fmt="PNG"):
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def media_boxes(pdf):
    return [
        tuple(round(float(v)) for v in box.split())
        for box in re.findall(rb"/MediaBox\s*\[\s*([0-9. ]+?)\s*\]", pdf)
    ]


def test_images_to_pdf_default_resolution_is_150_dpi():
    pdf = pages.images_to_pdf([encode(Image.new("RGB", (300, 150), "white"))])
    assert media_boxes(pdf) == [(0, 0, 144, 72)]  # 2 x 1 inch


def test_images_to_pdf_resolution_sets_the_page_size():
    image = encode(Image.new("RGB", (300, 600), "white"))
    pdf = pages.images_to_pdf([image, image], dpi=300)
    assert media_boxes(pdf) == [(0, 0, 72, 144), (0, 0, 72, 144)]


def test_images_to_pdf_pages_are_rgb():
    gray = encode(Image.new("L", (30, 20), 128))
    pdf = pages.images_to_pdf([gray])
    assert b"/DeviceRGB" in pdf
    assert b"/DeviceGray" not in pdf
