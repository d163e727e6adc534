import io
import os
import shutil

import pytest
from _tesseract import needs_tesseract
from cadre_archive_lib import ocr, pages, scans
from cadre_archive_lib.errors import ScanError
from cadre_archive_lib.ocr import OcrError, normalize_text, ocr_image, ocr_page
from cadre_archive_lib.scans import DecodeLimits
from PIL import Image, ImageDraw

needs_pytesseract = pytest.mark.skipif(
    ocr.pytesseract is None, reason="pytesseract is not installed"
)
needs_cjk_font = pytest.mark.skipif(
    pages.find_cjk_font() is None, reason="no CJK font (fonts-noto-cjk)"
)
needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is not installed"
)

LINES = ["干部履历表", "出生日期 1985年03月12日", "中共党员"]


def decode(data):
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def encode(img, fmt, **params):
    buffer = io.BytesIO()
    img.save(buffer, fmt, **params)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def cv_page():
    return pages.render_text_page(LINES, dpi=300)


# ------------------------------------------------------------ normalize


def test_normalize_text_joins_cjk_and_keeps_latin_words():
    assert normalize_text("干 部 履 历 表 Hello World") == "干部履历表 Hello World"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("出 生 日 期 1985 年 03 月 12 日", "出生日期1985年03月12日"),
        ("１９８５年３月", "1985年3月"),  # full-width digits
        ("日期：２０２０", "日期:2020"),
        ("中共\u3000党员", "中共党员"),  # ideographic space
        ("姓 名 ， 张 三 。", "姓名,张三。"),
        ("Tesseract  OCR\tengine", "Tesseract OCR engine"),
        ("1985 2020", "1985 2020"),
        ("表 Hello 表", "表 Hello 表"),
        ("第 一\n\n\n\n第 二\f", "第一\n\n第二"),
        ("  \n\n干部 \r\n 履历表  \n\n", "干部\n履历表"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_normalize_text_is_idempotent():
    text = normalize_text("干 部 履 历 表\n\n\n出 生 日 期 1985 年 Hello  World")
    assert normalize_text(text) == text


# -------------------------------------------------------------- the OCR


@needs_tesseract
@needs_cjk_font
def test_ocr_reads_a_cv_page(cv_page):
    text = normalize_text(ocr_image(decode(cv_page)))
    assert "干部履历表" in text
    assert "1985年03月12日" in text
    assert "中共党员" in text


@needs_tesseract
@needs_cjk_font
def test_ocr_page_of_a_jpeg(cv_page):
    assert scans.page_count(cv_page) == 1
    text = ocr_page(cv_page, 1)
    assert "干部履历表" in text
    assert "1985年03月12日" in text
    assert "中共党员" in text


@needs_tesseract
@needs_cjk_font
def test_ocr_page_of_each_page_of_a_2_page_tiff():
    first = decode(pages.render_text_page(["干部履历表"], dpi=200))
    second = decode(pages.render_text_page(["年度考核登记表"], dpi=200))
    data = encode(first, "TIFF", save_all=True, append_images=[second])
    texts = [ocr_page(data, n) for n in range(1, scans.page_count(data) + 1)]
    assert len(texts) == 2
    assert "干部履历表" in texts[0]
    assert "年度考核登记表" in texts[1]


@needs_tesseract
@needs_cjk_font
@needs_pdftoppm
def test_ocr_page_of_a_pdf():
    data = pages.images_to_pdf(
        [pages.render_text_page(["入党志愿书"], dpi=150, image_format="PNG")],
        dpi=150,
    )
    assert scans.page_count(data) == 1
    text = ocr_page(data, 1)
    assert "入党志愿书" in text


@needs_tesseract
def test_ocr_of_a_blank_page():
    assert normalize_text(ocr_image(Image.new("L", (800, 1100), "white"))) == ""


@needs_tesseract
@pytest.mark.parametrize("mode", ["RGBA", "LA", "P", "CMYK", "1", "I;16", "I"])
def test_ocr_accepts_any_image_mode(mode):
    img = Image.new("L", (400, 200), "white").convert(mode)
    assert isinstance(ocr_image(img, lang="eng"), str)


@needs_tesseract
def test_ocr_of_text_on_a_transparent_background():
    img = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    ImageDraw.Draw(img).text(
        (40, 60), "HELLO 2024", fill=(0, 0, 0, 255), font=pages.load_font(60)
    )
    assert "HELLO 2024" in normalize_text(ocr_image(img, lang="eng"))


@needs_tesseract
def test_ocr_limits_tesseract_to_one_thread(monkeypatch, cv_page):
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    ocr_image(Image.new("L", (200, 100), "white"), lang="eng")
    assert os.environ["OMP_THREAD_LIMIT"] == "1"


@needs_tesseract
def test_ocr_keeps_an_administrators_thread_limit(monkeypatch):
    monkeypatch.setenv("OMP_THREAD_LIMIT", "2")
    ocr_image(Image.new("L", (200, 100), "white"), lang="eng")
    assert os.environ["OMP_THREAD_LIMIT"] == "2"


@needs_pytesseract
@pytest.mark.skipif(shutil.which("nice") is None, reason="no nice program")
def test_tesseract_runs_below_the_server(monkeypatch, tmp_path):
    """Recognition yields the processors to the viewer: Tesseract runs at
    NICENESS above the server's own niceness."""
    probe = tmp_path / "tesseract"
    # writes, as its recognised text, the niceness it was started at
    probe.write_text('#!/bin/sh\nnice > "$2.txt"\n')
    probe.chmod(0o755)
    monkeypatch.setattr(ocr.pytesseract.pytesseract, "tesseract_cmd", str(probe))
    text = ocr_image(Image.new("L", (200, 100), "white"))
    assert int(text) == min(os.nice(0) + ocr.NICENESS, 19)


@needs_pytesseract
def test_tesseract_missing_from_the_path(monkeypatch):
    monkeypatch.setattr(ocr.pytesseract.pytesseract, "tesseract_cmd", "tesseract")
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(OcrError) as info:
        ocr_image(Image.new("L", (200, 100), "white"))
    assert info.value.code == "tesseract_missing"


@needs_tesseract
def test_missing_language():
    with pytest.raises(OcrError) as info:
        ocr_image(Image.new("L", (200, 100), "white"), lang="xyz")
    assert info.value.code == "language_missing"
    assert info.value.params["lang"] == "xyz"


@needs_pytesseract
def test_tesseract_missing(monkeypatch):
    monkeypatch.setattr(
        ocr.pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract"
    )
    with pytest.raises(OcrError) as info:
        ocr_image(Image.new("L", (200, 100), "white"))
    assert info.value.code == "tesseract_missing"


def test_tesseract_not_installed_at_all(monkeypatch):
    monkeypatch.setattr(ocr, "pytesseract", None)
    with pytest.raises(OcrError) as info:
        ocr_image(Image.new("L", (200, 100), "white"))
    assert info.value.code == "tesseract_missing"


@needs_pytesseract
@pytest.mark.skipif(shutil.which("sleep") is None, reason="no sleep program")
def test_timeout(monkeypatch, tmp_path):
    slow = tmp_path / "tesseract"
    slow.write_text("#!/bin/sh\nsleep 10\n")
    slow.chmod(0o755)
    monkeypatch.setattr(ocr.pytesseract.pytesseract, "tesseract_cmd", str(slow))
    with pytest.raises(OcrError) as info:
        ocr_image(Image.new("L", (200, 100), "white"), timeout=0.5)
    assert info.value.code == "timeout"  # pytesseract's own timer fired


@needs_pytesseract
def test_failure_carries_the_detail(monkeypatch, tmp_path):
    broken = tmp_path / "tesseract"
    broken.write_text("#!/bin/sh\necho 'Error: something broke' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setattr(ocr.pytesseract.pytesseract, "tesseract_cmd", str(broken))
    with pytest.raises(OcrError) as info:
        ocr_image(Image.new("L", (200, 100), "white"))
    assert info.value.code == "failed"
    assert info.value.params["status"] == 3
    assert "something broke" in info.value.params["detail"]


@pytest.mark.parametrize(
    "params, code",
    [
        ({"lang": "chi_sim; rm -rf /"}, "bad_lang"),
        ({"lang": ""}, "bad_lang"),
        ({"lang": None}, "bad_lang"),
        ({"psm": 14}, "bad_psm"),
        ({"psm": "6"}, "bad_psm"),
        ({"psm": True}, "bad_psm"),
        ({"timeout": 0}, "bad_timeout"),
        ({"timeout": -1}, "bad_timeout"),
        ({"timeout": float("inf")}, "bad_timeout"),
        ({"timeout": "120"}, "bad_timeout"),
    ],
)
def test_bad_arguments(params, code):
    with pytest.raises(OcrError) as info:
        ocr_image(Image.new("L", (20, 20), "white"), **params)
    assert info.value.code == code
    with pytest.raises(OcrError) as info:
        ocr_page(b"", 1, **params)
    assert info.value.code == code


def test_ocr_page_of_unusable_data():
    with pytest.raises(ScanError) as info:
        ocr_page(b"not an image", 1)
    assert info.value.code == "unsupported"


def test_ocr_page_max_pages():
    img = Image.new("L", (100, 100), "white")
    data = encode(img, "TIFF", save_all=True, append_images=[img, img])
    with pytest.raises(ScanError) as info:
        ocr_page(data, 1, limits=DecodeLimits(max_pages=2))
    assert info.value.code == "too_many_pages"


@needs_pytesseract
def test_missing_language_carries_the_detail(monkeypatch, tmp_path):
    fake = tmp_path / "tesseract"
    fake.write_text(
        '#!/bin/sh\necho "Error opening data file xyz.traineddata" >&2\n'
        "echo \"Failed loading language 'xyz'\" >&2\nexit 1\n"
    )
    fake.chmod(0o755)
    monkeypatch.setattr(ocr.pytesseract.pytesseract, "tesseract_cmd", str(fake))
    with pytest.raises(OcrError) as info:
        ocr_image(Image.new("L", (200, 100), "white"), lang="xyz")
    assert info.value.code == "language_missing"
    assert info.value.params["lang"] == "xyz"
    assert "Failed loading language 'xyz'" in info.value.params["detail"]


@needs_pytesseract
@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (RuntimeError("boom"), "failed"),
        (OSError("connection timeout"), "failed"),
        (RuntimeError("Tesseract process timeout"), "timeout"),
    ],
)
def test_only_a_runtime_error_about_a_timeout_is_a_timeout(exc, code):
    assert ocr._failure(exc, "eng").code == code


def _png(size=(60, 40)):
    buffer = io.BytesIO()
    Image.new("L", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def echo_tesseract(monkeypatch, tmp_path):
    """A Tesseract program that 'reads' its own command line options."""
    if ocr.pytesseract is None:
        pytest.skip("pytesseract is not installed")
    fake = tmp_path / "tesseract"
    fake.write_text('#!/bin/sh\nout="$2"\nshift 2\necho "$@" > "$out.txt"\n')
    fake.chmod(0o755)
    monkeypatch.setattr(ocr.pytesseract.pytesseract, "tesseract_cmd", str(fake))


def test_ocr_page_passes_language_and_mode_to_tesseract(echo_tesseract):
    text = ocr.ocr_page(_png(), 1, lang="eng", psm=4)
    assert "-l eng" in text
    assert "--psm 4" in text


@needs_pytesseract
def test_ocr_page_passes_its_timeout_to_tesseract(monkeypatch, tmp_path):
    slow = tmp_path / "tesseract"
    slow.write_text("#!/bin/sh\nsleep 3\n")
    slow.chmod(0o755)
    monkeypatch.setattr(ocr.pytesseract.pytesseract, "tesseract_cmd", str(slow))
    with pytest.raises(OcrError) as info:
        ocr.ocr_page(_png(), 1, lang="eng", timeout=0.5)
    assert info.value.code == "timeout"
