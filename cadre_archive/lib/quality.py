"""Per-page quality checks of scans (digitization practice of GB/T 33870-2017
and DA/T 31-2017): resolution, blank pages, skew, colour and size.

Each page gets a :class:`PageQuality` listing machine issue codes:

- ``low_dpi``: below ``min_dpi`` (rescan);
- ``below_recommended_dpi``: at least ``min_dpi`` but below ``recommended_dpi``;
- ``no_dpi``: an image file that does not record its resolution;
- ``blank``: (almost) no ink on the page (rescan);
- ``skewed``: text lines tilted more than ``max_skew_degrees`` (rescan);
- ``not_colour``: a grey page while the rules require colour scans (rescan);
- ``too_large``: more pixels than ``max_pixels`` (rescan).

Pages are decoded one at a time (see :func:`.scans.iter_pages`).  PDF pages
are rasterized, so their scanning resolution is unknown: they report
``dpi=None`` without the ``no_dpi`` issue.
"""

import dataclasses
import math
from dataclasses import dataclass, fields

from PIL import Image, ImageChops, ImageFilter

from .errors import ArchiveLibError
from .scans import DEFAULT_LIMITS, DecodeLimits, iter_pages, page_dpi, sniff_kind

# A pixel darker than this (grey level 0..255) is ink.
INK_THRESHOLD = 160
# Skew estimation works on a page at most this wide (px) ...
SKEW_MAX_WIDTH = 1000
# ... searching these angles (degrees): coarse steps, then fine steps around
# the best coarse angle.
SKEW_RANGE = 5.0
SKEW_COARSE_STEP = 0.5
SKEW_FINE_STEP = 0.1
# Ink solid over (2 * SOLID_RADIUS + 1) px squares of the shrunk page (about
# 2 mm) is not text (see _without_solid_areas).
SOLID_RADIUS = 4
_SOLID_LUT = [255 if level >= 250 else 0 for level in range(256)]
_ANY_LUT = [255 if level else 0 for level in range(256)]
# Colour detection works on a page at most this wide (px); a pixel is
# coloured when two of its channels differ by more than COLOUR_TOLERANCE, and
# a page is in colour when at least COLOUR_MIN_RATIO of its pixels are
# (a red seal on a black and white form is enough).
COLOUR_MAX_WIDTH = 600
COLOUR_TOLERANCE = 32
COLOUR_MIN_RATIO = 0.001

ISSUES = (
    "low_dpi",
    "below_recommended_dpi",
    "no_dpi",
    "blank",
    "skewed",
    "not_colour",
    "too_large",
)
RESCAN_ISSUES = frozenset({"low_dpi", "blank", "skewed", "not_colour", "too_large"})


class QualityError(ArchiveLibError):
    """Quality rules that cannot be applied (e.g. a negative resolution)."""


@dataclass(frozen=True)
class QualityRules:
    """Thresholds of the checks (defaults follow common digitization practice)."""

    min_dpi: int = 200
    recommended_dpi: int = 300
    max_skew_degrees: float = 1.0
    blank_ink_ratio: float = 0.002
    colour_required: bool = False
    max_pixels: int = 60_000_000

    def __post_init__(self):
        for field in fields(self):
            value = getattr(self, field.name)
            if field.type is bool:
                ok = isinstance(value, bool)
            else:
                ok = (
                    isinstance(value, int | float)
                    and not isinstance(value, bool)
                    and math.isfinite(value)
                    and value >= 0
                )
            if not ok:
                raise QualityError("bad_rule", rule=field.name, value=value)
        if self.recommended_dpi < self.min_dpi:
            raise QualityError(
                "bad_rule", rule="recommended_dpi", value=self.recommended_dpi
            )


@dataclass(frozen=True)
class PageQuality:
    """The result of the checks of one page (``page`` counts from 1)."""

    page: int
    width: int
    height: int
    dpi: float | None
    mode: str
    is_colour: bool
    ink_ratio: float
    skew_degrees: float | None
    issues: tuple[str, ...]

    @property
    def needs_rescan(self) -> bool:
        """Return True when an issue makes the page unfit for the archive."""
        return any(issue in RESCAN_ISSUES for issue in self.issues)

    @property
    def state(self) -> str:
        """Return 'rescan', 'warning' (minor issues only) or 'ok'."""
        if self.needs_rescan:
            return "rescan"
        return "warning" if self.issues else "ok"


# ------------------------------------------------------------ measures


def _grey(image: Image.Image) -> Image.Image:
    return image if image.mode == "L" else image.convert("L")


def _reduced(image: Image.Image, max_width: int) -> Image.Image:
    """Return ``image`` shrunk by an integer factor (box average) to ``max_width``."""
    factor = math.ceil(image.width / max_width)
    return image.reduce(factor) if factor > 1 else image


def ink_ratio(image: Image.Image, threshold: int = INK_THRESHOLD) -> float:
    """Return the share of the page's pixels darker than ``threshold``."""
    histogram = _grey(image).histogram()
    total = image.width * image.height
    return sum(histogram[:threshold]) / total if total else 0.0


def is_colour(image: Image.Image) -> bool:
    """Return True for an RGB page with enough really coloured pixels.

    A pixel is coloured when two of its channels differ by more than
    COLOUR_TOLERANCE (grey scans saved as RGB, and JPEG noise, stay below it).
    """
    if image.mode != "RGB":
        return False
    red, green, blue = _reduced(image, COLOUR_MAX_WIDTH).split()
    spread = ImageChops.lighter(
        ImageChops.lighter(
            ImageChops.difference(red, green), ImageChops.difference(green, blue)
        ),
        ImageChops.difference(red, blue),
    )
    histogram = spread.histogram()
    coloured = sum(histogram[COLOUR_TOLERANCE + 1 :])
    return coloured >= COLOUR_MIN_RATIO * spread.width * spread.height


def _ink_map(image: Image.Image, threshold: int) -> Image.Image | None:
    """Return the inked part of the page (ink 255, paper 0), None if no ink.

    The page is binarized at full resolution, cropped to its ink and shrunk
    to at most SKEW_MAX_WIDTH px wide: binarizing first makes the box average
    of the shrinking keep thin strokes as partial ink instead of losing them.
    Solid areas are then removed (see _without_solid_areas).
    """
    lut = [255 if level < threshold else 0 for level in range(256)]
    ink = _grey(image).point(lut)
    bbox = ink.getbbox()
    if bbox is None:
        return None
    # the margins carry no information: crop before shrinking, so that a
    # short text keeps more of its resolution
    ink = _without_solid_areas(_reduced(ink.crop(bbox), SKEW_MAX_WIDTH))
    return ink if ink.getbbox() else None


def _without_solid_areas(ink: Image.Image) -> Image.Image:
    """Remove the areas of solid ink (much thicker than strokes) from an ink map.

    A scanner's black background around a tilted sheet is such an area: it
    follows the image's edges, not the text, and would hide the text's skew.
    Opening by box filters: a pixel is solid when its whole neighbourhood is
    ink; the solid pixels, grown back by the same neighbourhood, are erased.
    """
    window = ImageFilter.BoxBlur(SOLID_RADIUS)
    solid = ink.filter(window).point(_SOLID_LUT)
    grown = solid.filter(window).point(_ANY_LUT)
    return ImageChops.subtract(ink, grown)


def _profile_energy(ink: Image.Image, angle: float) -> float:
    """Return the sum of squared row sums of the ink map turned by ``-angle``.

    The total ink does not depend on the angle, so this is the variance of
    the horizontal projection profile up to constants: it peaks when the
    text lines are horizontal (ink packed in few rows).
    """
    turned = ink.rotate(-angle, resample=Image.Resampling.NEAREST, expand=True)
    means = turned.convert("F").resize((1, turned.height), Image.Resampling.BOX)
    width = turned.width
    return sum((mean * width) ** 2 for mean in means.getdata())


def _steps(center: float, half_range: float, step: float) -> list[float]:
    count = round(half_range / step)
    return [round(center + index * step, 1) for index in range(-count, count + 1)]


def estimate_skew(image: Image.Image, threshold: int = INK_THRESHOLD) -> float | None:
    """Return the skew of the text lines in degrees, None when there is no ink.

    Positive means the content is turned counter-clockwise (as by
    ``Image.rotate(angle)``): ``image.rotate(-skew)`` straightens it.  The
    angle maximizing the energy of the horizontal projection profile of the
    ink map (see _ink_map) is searched from -5 to +5 degrees in 0.5 degree
    steps, then refined in 0.1 degree steps.  Accuracy is about 0.1 degree on
    a page of text, 0.3 on three short lines, 1 on a single short line.
    """
    ink = _ink_map(image, threshold)
    if ink is None:
        return None
    energies: dict[float, float] = {}

    def energy(angle):
        if angle not in energies:
            energies[angle] = _profile_energy(ink, angle)
        return energies[angle]

    best = max(_steps(0.0, SKEW_RANGE, SKEW_COARSE_STEP), key=energy)
    fine = _steps(best, SKEW_COARSE_STEP, SKEW_FINE_STEP)
    best = max((a for a in fine if abs(a) <= SKEW_RANGE), key=energy)
    return best + 0.0  # no -0.0


# -------------------------------------------------------------- checks


def _dpi_issues(dpi: float | None, rules: QualityRules, report_missing: bool):
    if dpi is None:
        return ["no_dpi"] if report_missing else []
    if dpi < rules.min_dpi:
        return ["low_dpi"]
    if dpi < rules.recommended_dpi:
        return ["below_recommended_dpi"]
    return []


def check_page(
    image: Image.Image,
    page: int,
    dpi: float | None,
    rules: QualityRules | None = None,
    *,
    report_missing_dpi: bool = True,
) -> PageQuality:
    """Check one page image scanned at ``dpi`` (None: unknown) against ``rules``.

    ``report_missing_dpi=False`` is for pages whose resolution cannot be
    known (rasterized PDF pages): no ``no_dpi`` issue for them.
    """
    rules = rules or QualityRules()
    width, height = image.size
    issues = _dpi_issues(dpi, rules, report_missing_dpi)
    grey = _grey(image)  # converted once for both measures
    ratio = ink_ratio(grey)
    blank = ratio < rules.blank_ink_ratio
    skew = None if blank else estimate_skew(grey)
    colour = is_colour(image)
    if blank:
        issues.append("blank")
    if skew is not None and abs(skew) > rules.max_skew_degrees:
        issues.append("skewed")
    if rules.colour_required and not colour:
        issues.append("not_colour")
    if width * height > rules.max_pixels:
        issues.append("too_large")
    return PageQuality(
        page=page,
        width=width,
        height=height,
        dpi=dpi,
        mode=image.mode,
        is_colour=colour,
        ink_ratio=round(ratio, 6),
        skew_degrees=skew,
        issues=tuple(issues),
    )


def check_scan(
    data: bytes,
    rules: QualityRules | None = None,
    max_pages: int | None = None,
    *,
    limits: DecodeLimits | None = None,
) -> list[PageQuality]:
    """Check every page of a scan (JPEG, PNG, TIFF or PDF); one result per page.

    Pages are decoded one at a time, after the scan's ``limits`` (default
    :data:`.scans.DEFAULT_LIMITS`; ``max_pages`` overrides their page limit)
    are checked from its headers.  Raise ScanError when the scan is unusable
    or over its limits (see :func:`.scans.iter_pages`).
    """
    if limits is None:
        limits = DEFAULT_LIMITS
    if max_pages is not None:
        limits = dataclasses.replace(limits, max_pages=max_pages)
    pages = iter_pages(data, limits)
    is_pdf = sniff_kind(bytes(data)) == "pdf"
    results = []
    for number, image in pages:
        # the lower of the horizontal and vertical resolutions counts
        dpi = None if is_pdf else page_dpi(image)
        dpi = min(dpi) if dpi else None
        results.append(
            check_page(image, number, dpi, rules, report_missing_dpi=not is_pdf)
        )
        del image  # not kept while the next page is decoded
    return results
