"""Page quality benchmark: pure Python, no Odoo (see scripts/bench/run).

Renders an A4 form page at 300 dpi (greyscale, and in colour with a red seal),
then times in the same run:
1. the baseline: decoding the page's JPEG and turning it greyscale (what any
   upload costs before a check starts);
2. the addon: ``quality.estimate_skew`` and ``quality.check_page`` on it.
Prints milliseconds per page (best of BENCH_REPEAT, default 5) and the ratio to
the baseline. Nothing is asserted.
"""

import importlib
import io
import os
import sys
import time
import types
from pathlib import Path

from PIL import Image, ImageDraw

REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
LINES = [
    "干部履历表",
    "姓名 张三 性别 男 民族 汉族 籍贯 山东济南",
    "出生日期 1985年03月12日 政治面貌 中共党员",
    "参加工作时间 2007年07月 学历 研究生 学位 硕士",
    "2007.07-2012.03 某某市发展和改革委员会科员",
    "填表日期 2020年05月06日",
]


def load_lib():
    """Import cadre_archive.lib without the addon's Odoo-importing package."""
    addon_dir = Path(__file__).resolve().parents[2] / "cadre_archive"
    addon = types.ModuleType("cadre_archive")
    addon.__path__ = [str(addon_dir)]
    sys.modules.setdefault("cadre_archive", addon)
    return importlib.import_module("cadre_archive.lib.pages"), importlib.import_module(
        "cadre_archive.lib.quality"
    )


def best_ms(function):
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1000 * min(times)


def with_seal(img):
    img = img.convert("RGB")
    w, h = img.size
    radius = w // 10
    box = (w - 3 * radius, h - 4 * radius, w - radius, h - 2 * radius)
    ImageDraw.Draw(img).ellipse(box, outline=(220, 30, 30), width=radius // 12)
    return img


def main():
    pages, quality = load_lib()
    jpeg = pages.render_text_page(LINES, dpi=300)
    grey = Image.open(io.BytesIO(jpeg)).convert("L")
    colour = with_seal(grey)
    baseline = best_ms(lambda: Image.open(io.BytesIO(jpeg)).convert("L").load())
    print(f"A4 page at 300 dpi ({grey.width}x{grey.height}), best of {REPEAT}")
    print(f"baseline (decode JPEG, greyscale): {baseline:8.1f} ms")
    for name, function in [
        ("estimate_skew, greyscale", lambda: quality.estimate_skew(grey)),
        ("check_page, greyscale", lambda: quality.check_page(grey, 1, 300.0)),
        ("check_page, colour + seal", lambda: quality.check_page(colour, 1, 300.0)),
    ]:
        spent = best_ms(function)
        print(f"{name:34} {spent:8.1f} ms  ({spent / baseline:5.1f} x baseline)")


if __name__ == "__main__":
    main()
