"""OCR of form pages (履历表, 任免审批表) line by line, with word boxes.

The page OCR of the digitization (``ocr.ocr_page``) reads a page as one block
of text: good for search, poor on a form, whose table lines Tesseract reads
as letters and whose red seal hides the cells under it. To read facts, a
form page is first cleaned:

1. the red of seals is dropped (the red channel: a red seal turns light,
   black ink stays black);
2. the page is straightened (``quality.estimate_skew``);
3. the table lines are erased: rows of pixels that are mostly ink (the
   horizontal rules), then, within each band between two rules, columns that
   are ink from top to bottom (the cell borders);

then Tesseract reads it with the word boxes (``image_to_data``), grouped in
lines by :func:`.fact_extraction.lines_from_words`. Boxes are given in the
pixels of the page as scanned (the straightening is undone on them
approximately: the rotation is below a few degrees). PIL only, no numpy.
"""

import math
import subprocess

from PIL import Image, ImageOps

from . import ocr
from .fact_extraction import lines_from_words
from .quality import estimate_skew

INK = 140  # grey level under which a pixel is ink
RULE_SHARE = 0.5  # a row with this share of ink is a horizontal rule
BORDER_SHARE = 0.85  # a column of a band with this share of ink is a border
MIN_BAND = 12  # px: thinner bands between rules are the rules' own thickness


def _ink(image):
    """1 for ink, 0 for paper, as an L image (0 or 255)."""
    return image.point(lambda v: 255 if v < INK else 0)


def _row_shares(ink):
    width, height = ink.size
    profile = ink.resize((1, height), Image.BOX)
    return [v / 255 for v in profile.getdata()]


def _runs(flags):
    """(start, end) of the runs of True in ``flags``."""
    runs, start = [], None
    for index, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            runs.append((start, index))
            start = None
    return runs


def clean_form(image):
    """(the cleaned greyscale page, the skew it was straightened by)."""
    image = ocr._opaque(image)
    grey = image.split()[0] if image.mode == "RGB" else image.convert("L")
    skew = estimate_skew(grey) or 0.0
    if skew:
        grey = grey.rotate(-skew, resample=Image.BICUBIC, fillcolor=255)
    ink = _ink(grey)
    width, height = grey.size
    rules = _runs([share >= RULE_SHARE for share in _row_shares(ink)])
    white = Image.new("L", (width, 1), 255)
    for start, end in rules:
        for y in range(max(0, start - 2), min(height, end + 2)):
            grey.paste(white, (0, y))
    edges = [0, *[y for run in rules for y in run], height]
    for top, bottom in zip(edges[::2], edges[1::2], strict=False):
        if bottom - top < MIN_BAND:
            continue
        band = ink.crop((0, top, width, bottom))
        profile = band.resize((width, 1), Image.BOX).getdata()
        for start, end in _runs([v / 255 >= BORDER_SHARE for v in profile]):
            left, right = max(0, start - 2), min(width, end + 2)
            grey.paste(255, (left, top, right, bottom))
    return grey, skew


def _unrotate(box, skew, size):
    """A box of the straightened page, on the page as scanned."""
    if not skew:
        return box
    left, top, width, height = box
    cx, cy = size[0] / 2, size[1] / 2
    x, y = left + width / 2 - cx, top + height / 2 - cy
    angle = math.radians(skew)
    # Image.rotate(a) turns counter-clockwise on screen (y grows downwards)
    rx = x * math.cos(angle) + y * math.sin(angle)
    ry = -x * math.sin(angle) + y * math.cos(angle)
    return (round(rx + cx - width / 2), round(ry + cy - height / 2), width, height)


def read_form_lines(image, lang=ocr.DEFAULT_LANG, timeout=ocr.DEFAULT_TIMEOUT, psm=6):
    """The lines of a form page with their boxes, read by Tesseract.

    Raise OcrError as ``ocr.ocr_image`` does."""
    ocr._check_arguments(lang, timeout, psm)
    if ocr.pytesseract is None:
        raise ocr.OcrError("tesseract_missing")
    cleaned, skew = clean_form(image)
    cleaned = ImageOps.autocontrast(cleaned)
    ocr._limit_openmp_threads()
    try:
        data = ocr.pytesseract.image_to_data(
            cleaned,
            lang=lang,
            config=f"--psm {psm}",
            timeout=timeout,
            output_type=ocr.pytesseract.Output.DICT,
        )
    except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
        raise ocr._failure(exc, lang) from exc
    lines = lines_from_words(data)
    size = cleaned.size
    return [
        type(line)(
            ocr.normalize_text(line.text),
            line.number,
            _unrotate(line.box, skew, size),
            line.conf,
        )
        for line in lines
    ]
