"""QualityRules validation: exact error code and params of invalid rules."""

import math

import pytest
from cadre_archive_lib import quality
from cadre_archive_lib.quality import QualityError, QualityRules
from PIL import Image, ImageDraw


def test_zero_thresholds_are_valid():
    rules = QualityRules(
        min_dpi=0,
        recommended_dpi=0,
        max_skew_degrees=0,
        blank_ink_ratio=0.0,
        max_pixels=0,
    )
    assert rules.max_skew_degrees == 0
    assert rules.blank_ink_ratio == 0.0


def test_recommended_dpi_may_equal_min_dpi():
    rules = QualityRules(min_dpi=300, recommended_dpi=300)
    assert rules.recommended_dpi == rules.min_dpi == 300


@pytest.mark.parametrize(
    ("rule", "value"),
    [
        ("min_dpi", -1),
        ("max_skew_degrees", math.inf),
        ("blank_ink_ratio", "0.1"),
        ("max_pixels", True),
        ("colour_required", 1),
    ],
)
def test_bad_rule_names_the_rule_and_value(rule, value):
    with pytest.raises(QualityError) as info:
        QualityRules(**{rule: value})
    assert info.value.code == "bad_rule"
    assert info.value.params == {"rule": rule, "value": value}


def test_recommended_dpi_below_min_dpi_is_a_bad_rule():
    with pytest.raises(QualityError) as info:
        QualityRules(min_dpi=300, recommended_dpi=299)
    assert info.value.code == "bad_rule"
    assert info.value.params == {"rule": "recommended_dpi", "value": 299}


# ---------------------------------------------------------------- is_colour


def _rgb_with(count, colour):
    img = Image.new("RGB", (100, 100), (200, 200, 200))
    for index in range(count):
        img.putpixel((index, 0), colour)
    return img


def test_is_colour_counts_pixels_just_over_the_tolerance():
    # 10 pixels = COLOUR_MIN_RATIO of 100 x 100, spread 33 > COLOUR_TOLERANCE
    assert quality.is_colour(_rgb_with(10, (100, 133, 100)))
    # spread 31 and 32 are still grey
    assert not quality.is_colour(_rgb_with(10, (100, 131, 100)))
    assert not quality.is_colour(_rgb_with(10, (100, 132, 100)))
    # one pixel too few
    assert not quality.is_colour(_rgb_with(9, (0, 255, 0)))


# --------------------------------------------------------------- check_page


def _page_with_black(count, size=(100, 100)):
    img = Image.new("L", size, 255)
    for index in range(count):
        img.putpixel((index % size[0], 50 + index // size[0]), 0)
    return img


def test_check_page_reports_missing_dpi_by_default():
    result = quality.check_page(_page_with_black(0), 1, None)
    assert "no_dpi" in result.issues


def test_check_page_ink_ratio_at_the_blank_threshold_is_not_blank():
    rules = QualityRules(blank_ink_ratio=0.002)
    result = quality.check_page(_page_with_black(20), 1, 300, rules)
    assert result.ink_ratio == 0.002
    assert "blank" not in result.issues


def test_check_page_blank_page_has_no_skew_and_rounded_ratio():
    # a 100 px line on 300 x 200: ink ratio 0.00167 < 0.002, blank
    img = Image.new("L", (300, 200), 255)
    for index in range(100):  # dots, not a solid area: the skew is measurable
        img.putpixel((3 * (index % 50), 50 + 5 * (index // 50)), 0)
    assert quality.estimate_skew(img) is not None
    result = quality.check_page(img, 1, 300)
    assert result.issues == ("blank",)
    assert result.skew_degrees is None
    assert result.ink_ratio == 0.001667


def test_check_page_limits_are_inclusive():
    img = Image.new("L", (200, 100), 255)
    draw = ImageDraw.Draw(img)
    for y in range(20, 90, 12):
        draw.rectangle((20, y, 180, y + 4), fill=0)
    skew = quality.estimate_skew(img)
    assert abs(skew) <= 0.5
    rules = QualityRules(max_skew_degrees=abs(skew), max_pixels=200 * 100)
    result = quality.check_page(img, 1, 300, rules)
    assert result.skew_degrees == skew
    assert result.issues == ()


# ------------------------------------------------------ projection energy


def _ink(rows):
    """An L ink map from rows of 0/1 (1 is ink, stored as 255)."""
    image = Image.new("L", (len(rows[0]), len(rows)), 0)
    image.putdata([255 * value for row in rows for value in row])
    return image


INK = [
    [1, 1, 1, 1, 0],
    [0, 0, 0, 0, 0],
    [1, 0, 0, 0, 0],
]


def test_profile_energy_is_the_sum_of_squared_row_sums():
    expected = (4 * 255) ** 2 + 0 + (1 * 255) ** 2
    assert quality._profile_energy(_ink(INK), 0) == pytest.approx(expected)


def test_profile_energy_turns_the_whole_map():
    """At 90 degrees the rows are the columns, none of them cropped."""
    columns = [sum(row[x] for row in INK) for x in range(len(INK[0]))]
    expected = sum((255 * count) ** 2 for count in columns)
    assert quality._profile_energy(_ink(INK), 90) == pytest.approx(expected)


def test_profile_energy_peaks_where_the_lines_lie():
    """A line turned by +12 degrees is horizontal again at +12, not -12."""
    line = Image.new("L", (200, 200), 0)
    line.paste(255, (20, 98, 180, 102))
    turned = line.rotate(12, resample=Image.Resampling.NEAREST)
    assert quality._profile_energy(turned, 12) > 3 * quality._profile_energy(
        turned, -12
    )
