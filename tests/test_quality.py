import functools
import io
import shutil

import pytest
from cadre_archive_lib import pages, quality
from cadre_archive_lib.errors import ScanError
from cadre_archive_lib.quality import (
    PageQuality,
    QualityError,
    QualityRules,
    check_page,
    check_scan,
    estimate_skew,
)
from PIL import Image, ImageDraw, ImageOps, TiffImagePlugin

needs_cjk_font = pytest.mark.skipif(
    pages.find_cjk_font() is None, reason="no CJK font (fonts-noto-cjk)"
)

FORM_LINES = [
    "干部履历表",
    "姓名 张三 性别 男 民族 汉族 籍贯 山东济南",
    "出生日期 1985年03月12日 政治面貌 中共党员",
    "参加工作时间 2007年07月 学历 研究生 学位 硕士",
    "工作单位及职务 某某市发展和改革委员会副主任",
    "2003.09-2007.07 某某大学经济学院经济学专业学习",
    "2007.07-2012.03 某某市发展和改革委员会科员",
    "2012.03-2018.06 某某市发展和改革委员会副科长、科长",
    "2018.06- 某某市发展和改革委员会副主任",
    "填表日期 2020年05月06日",
]

# ----------------------------------------------------------------- helpers


def encode(img, fmt, **params):
    buffer = io.BytesIO()
    img.save(buffer, fmt, **params)
    return buffer.getvalue()


def decode(data):
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


@functools.cache
def _form_page(dpi, mode, lines):
    return decode(pages.render_text_page(lines, dpi=dpi, mode=mode)).convert(mode)


def form_page(dpi=300, mode="L", lines=FORM_LINES):
    """A page of text as decoded from a scan (an image, not bytes)."""
    return _form_page(dpi, mode, tuple(lines)).copy()


def form_scan(dpi=300, fmt="JPEG", mode="L"):
    return pages.render_text_page(FORM_LINES, dpi=dpi, image_format=fmt, mode=mode)


def with_seal(img):
    """An RGB copy of ``img`` with a red seal (公章) in the lower right."""
    img = img.convert("RGB")
    draw = ImageDraw.Draw(img)
    w, h = img.size
    radius = w // 10
    box = (w - 3 * radius, h - 4 * radius, w - radius, h - 2 * radius)
    draw.ellipse(box, outline=(220, 30, 30), width=max(2, radius // 12))
    return img


# ---------------------------------------------------------------- scans


@needs_cjk_font
def test_72_dpi_page_must_be_rescanned():
    (result,) = check_scan(form_scan(dpi=72))
    assert result.dpi == 72
    assert "low_dpi" in result.issues
    assert result.needs_rescan
    assert result.state == "rescan"


@needs_cjk_font
@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "TIFF"])
def test_300_dpi_clean_page_is_ok(fmt):
    (result,) = check_scan(form_scan(dpi=300, fmt=fmt))
    assert result.issues == ()
    assert result.state == "ok"
    assert not result.needs_rescan
    assert result.page == 1
    assert result.dpi == 300
    assert (result.width, result.height) == pages.page_size(300)
    assert result.mode == "L"
    assert not result.is_colour
    assert result.ink_ratio > 0.002
    assert abs(result.skew_degrees) < 0.5


@needs_cjk_font
def test_250_dpi_page_is_a_warning():
    (result,) = check_scan(form_scan(dpi=250, fmt="PNG"))
    assert result.issues == ("below_recommended_dpi",)
    assert result.state == "warning"
    assert not result.needs_rescan


@needs_cjk_font
def test_image_without_resolution_is_a_warning():
    data = encode(form_page(dpi=300), "PNG")  # no pHYs chunk
    (result,) = check_scan(data)
    assert result.dpi is None
    assert result.issues == ("no_dpi",)
    assert result.state == "warning"


@needs_cjk_font
def test_tiff_without_resolution_tags_is_not_1_dpi():
    data = encode(form_page(dpi=300), "TIFF")
    (result,) = check_scan(data)
    assert result.dpi is None
    assert result.issues == ("no_dpi",)


def test_white_page_is_blank():
    data = encode(Image.new("L", pages.page_size(300), "white"), "PNG", dpi=(300, 300))
    (result,) = check_scan(data)
    assert result.ink_ratio == 0
    assert result.skew_degrees is None
    assert result.issues == ("blank",)
    assert result.state == "rescan"


def test_page_with_a_few_specks_is_blank():
    img = Image.new("L", pages.page_size(300), "white")
    draw = ImageDraw.Draw(img)
    for x in range(100, 2000, 200):  # dust: 10 dots of 10x10 px
        draw.rectangle((x, 500, x + 9, 509), fill="black")
    result = check_page(img, 1, 300.0, QualityRules())
    assert 0 < result.ink_ratio < 0.002
    assert result.issues == ("blank",)


@needs_cjk_font
@pytest.mark.parametrize("angle", [3, -3])
def test_page_rotated_3_degrees_is_skewed(angle):
    img = form_page().rotate(angle, expand=False, fillcolor="white")
    (result,) = check_scan(encode(img, "JPEG", dpi=(300, 300)))
    assert result.skew_degrees == pytest.approx(angle, abs=0.5)
    assert result.issues == ("skewed",)
    assert result.state == "rescan"


@needs_cjk_font
def test_a_slight_skew_within_the_rules_is_ok():
    img = form_page().rotate(0.6, expand=False, fillcolor="white")
    result = check_page(img, 1, 300.0, QualityRules())
    assert result.skew_degrees == pytest.approx(0.6, abs=0.3)
    assert result.issues == ()
    strict = check_page(img, 1, 300.0, QualityRules(max_skew_degrees=0.2))
    assert strict.issues == ("skewed",)


@needs_cjk_font
@pytest.mark.parametrize("dpi", [150, 300])
@pytest.mark.parametrize("angle", [0, 3, -3, 1.5, -4.2, 0.3])
def test_estimate_skew(dpi, angle):
    img = form_page(dpi=dpi).rotate(angle, expand=False, fillcolor="white")
    skew = estimate_skew(img)
    assert skew == pytest.approx(angle, abs=0.5)
    if angle == 0:
        assert abs(skew) < 0.5


@needs_cjk_font
def test_estimate_skew_at_600_dpi():
    img = form_page(dpi=600).rotate(-3, expand=False, fillcolor="white")
    assert estimate_skew(img) == pytest.approx(-3, abs=0.5)


@needs_cjk_font
@pytest.mark.parametrize("angle", [0, 3, -3])
def test_estimate_skew_of_a_short_page(angle):
    lines = ["干部履历表", "出生日期 1985年03月12日", "中共党员"]
    img = form_page(lines=lines).rotate(angle, expand=False, fillcolor="white")
    assert estimate_skew(img) == pytest.approx(angle, abs=0.5)


@needs_cjk_font
def test_estimate_skew_of_an_rgb_page():
    img = form_page(mode="RGB").rotate(-2, expand=False, fillcolor="white")
    assert estimate_skew(img) == pytest.approx(-2, abs=0.5)


def test_estimate_skew_of_ruled_lines():
    img = Image.new("L", (1654, 2339), "white")
    draw = ImageDraw.Draw(img)
    for y in range(200, 2200, 60):
        draw.line((150, y, 1500, y), fill="black", width=3)
    turned = img.rotate(2.3, expand=False, fillcolor="white")
    assert estimate_skew(turned) == pytest.approx(2.3, abs=0.2)


@needs_cjk_font
@pytest.mark.parametrize("angle", [2.5, -1.5])
def test_estimate_skew_of_a_sheet_on_a_black_scanner_background(angle):
    sheet = form_page(dpi=200)
    sheet = sheet.resize((sheet.width * 9 // 10, sheet.height * 9 // 10))
    scan = ImageOps.expand(sheet, border=80, fill="black")
    scan = scan.rotate(angle, expand=False, fillcolor="black")
    assert estimate_skew(scan) == pytest.approx(angle, abs=0.3)


def test_estimate_skew_of_a_black_page():
    assert estimate_skew(Image.new("L", (800, 1100), "black")) is None


def test_estimate_skew_of_a_blank_page():
    assert estimate_skew(Image.new("L", (800, 1100), "white")) is None
    assert estimate_skew(Image.new("RGB", (800, 1100), "white")) is None


# --------------------------------------------------------------- colour


@needs_cjk_font
def test_grey_page_fails_the_colour_rule():
    rules = QualityRules(colour_required=True)
    (result,) = check_scan(form_scan(), rules)
    assert not result.is_colour
    assert result.issues == ("not_colour",)
    assert result.needs_rescan


@needs_cjk_font
def test_grey_content_saved_as_rgb_is_not_colour():
    img = form_page(mode="RGB")
    data = encode(img, "JPEG", dpi=(300, 300), quality=75)
    (result,) = check_scan(data, QualityRules(colour_required=True))
    assert result.mode == "RGB"
    assert not result.is_colour
    assert result.issues == ("not_colour",)


@needs_cjk_font
def test_page_with_a_red_seal_is_colour():
    data = encode(with_seal(form_page()), "JPEG", dpi=(300, 300), quality=85)
    (result,) = check_scan(data, QualityRules(colour_required=True))
    assert result.is_colour
    assert result.issues == ()
    (result,) = check_scan(data)  # colour is fine when not required too
    assert result.is_colour
    assert result.issues == ()


def test_faint_tint_is_not_colour():
    img = Image.new("RGB", (1000, 1400), (250, 246, 240))  # yellowed paper
    assert not quality.is_colour(img)
    assert quality.is_colour(Image.new("RGB", (1000, 1400), (250, 200, 200)))


# ------------------------------------------------------------ too large


@needs_cjk_font
def test_oversized_page():
    rules = QualityRules(max_pixels=1_000_000)
    (result,) = check_scan(form_scan(dpi=300), rules)
    assert result.issues == ("too_large",)
    assert result.state == "rescan"
    (result,) = check_scan(form_scan(dpi=300), QualityRules())
    assert result.issues == ()


# ---------------------------------------------------------- multi-page


@needs_cjk_font
def test_multi_page_tiff_gives_one_result_per_page():
    first = form_page(dpi=300)
    second = Image.new("L", first.size, "white")
    third = form_page(dpi=300).rotate(-3, expand=False, fillcolor="white")
    data = encode(
        first, "TIFF", save_all=True, append_images=[second, third], dpi=(300, 300)
    )
    results = check_scan(data)
    assert [r.page for r in results] == [1, 2, 3]
    assert [r.issues for r in results] == [(), ("blank",), ("skewed",)]
    assert [r.state for r in results] == ["ok", "rescan", "rescan"]
    assert all(r.dpi == 300 for r in results)


def test_tiff_pages_keep_their_own_resolution():
    page = Image.new("L", (300, 400), "white")
    ImageDraw.Draw(page).rectangle((50, 50, 250, 350), fill="black")
    buffer = io.BytesIO()
    with TiffImagePlugin.AppendingTiffWriter(buffer, True) as tiff:
        for dpi in (300, 100):
            page.save(tiff, "TIFF", dpi=(dpi, dpi))
            tiff.newFrame()
    results = check_scan(buffer.getvalue())
    assert [r.dpi for r in results] == [300, 100]
    assert [r.issues for r in results] == [(), ("low_dpi",)]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="no pdftoppm")
def test_pdf_pages_have_no_dpi_and_no_dpi_issue():
    img = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(img).rectangle((100, 100, 500, 700), fill="black")
    blank = Image.new("RGB", (600, 800), "white")
    data = encode(img, "PDF", save_all=True, append_images=[blank], resolution=72)
    results = check_scan(data)
    assert [r.page for r in results] == [1, 2]
    assert [r.dpi for r in results] == [None, None]
    assert results[0].issues == ()
    assert results[1].issues == ("blank",)


def test_unusable_scan_raises_scan_error():
    with pytest.raises(ScanError) as info:
        check_scan(b"not an image")
    assert info.value.code == "unsupported"


def test_too_many_pages():
    img = Image.new("L", (100, 100), "white")
    data = encode(img, "TIFF", save_all=True, append_images=[img, img])
    with pytest.raises(ScanError) as info:
        check_scan(data, max_pages=2)
    assert info.value.code == "too_many_pages"


# ----------------------------------------------------------- the classes


def result(issues):
    return PageQuality(
        page=1,
        width=10,
        height=10,
        dpi=300.0,
        mode="L",
        is_colour=False,
        ink_ratio=0.1,
        skew_degrees=0.0,
        issues=tuple(issues),
    )


@pytest.mark.parametrize(
    "issues, state",
    [
        ((), "ok"),
        (("no_dpi",), "warning"),
        (("below_recommended_dpi",), "warning"),
        (("low_dpi",), "rescan"),
        (("blank",), "rescan"),
        (("skewed",), "rescan"),
        (("not_colour",), "rescan"),
        (("too_large",), "rescan"),
        (("no_dpi", "skewed"), "rescan"),
    ],
)
def test_state(issues, state):
    assert result(issues).state == state
    assert result(issues).needs_rescan == (state == "rescan")


def test_every_issue_is_known():
    assert set(quality.RESCAN_ISSUES) <= set(quality.ISSUES)


@pytest.mark.parametrize(
    "params",
    [
        {"min_dpi": -1},
        {"min_dpi": "200"},
        {"max_skew_degrees": float("nan")},
        {"colour_required": 1},
        {"blank_ink_ratio": True},
        {"min_dpi": 300, "recommended_dpi": 200},
    ],
)
def test_bad_rules(params):
    with pytest.raises(QualityError) as info:
        QualityRules(**params)
    assert info.value.code == "bad_rule"


def test_rules_are_frozen():
    rules = QualityRules()
    with pytest.raises(AttributeError):
        rules.min_dpi = 100
