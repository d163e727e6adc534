"""The caches that make a watermarked page cheap to serve again."""

import io

import pytest
from cadre_archive_lib import pages, watermark
from cadre_archive_lib.page_cache import ByteLRU, digest, image_bytes
from PIL import Image, ImageChops

LINES = ["张三 (zhangsan)", "2026-11-25 14:03", "CY2026-0007"]

needs_cjk_font = pytest.mark.skipif(
    pages.find_cjk_font() is None, reason="no CJK font (fonts-noto-cjk)"
)


def weigh(value):
    return len(value)


# ------------------------------------------------------------------ ByteLRU


def test_lru_keeps_what_fits_and_drops_the_least_recently_used():
    cache = ByteLRU(10, weigh)
    cache.put("a", b"aaaa")
    cache.put("b", b"bbbb")
    assert cache.get("a") == b"aaaa"  # a is now the most recently used
    cache.put("c", b"cccc")  # 12 bytes > 10: b goes, not a
    assert cache.get("b") is None
    assert cache.get("a") == b"aaaa"
    assert cache.get("c") == b"cccc"
    assert cache.size == 8
    assert len(cache) == 2


def test_lru_never_holds_more_than_its_bound():
    cache = ByteLRU(100, weigh)
    for n in range(200):
        cache.put(n, b"x" * (n % 37 + 1))
        assert cache.size <= 100
        assert cache.size == sum(len(cache.get(k) or b"") for k in list(cache._items))


def test_lru_a_value_heavier_than_the_bound_is_not_kept():
    cache = ByteLRU(3, weigh)
    cache.put("small", b"ab")
    cache.put("big", b"abcd")
    assert cache.get("big") is None
    assert cache.get("small") == b"ab"


def test_lru_replacing_a_key_counts_its_new_weight():
    cache = ByteLRU(10, weigh)
    cache.put("a", b"aaaaaaaa")
    cache.put("a", b"aa")
    assert cache.size == 2
    assert cache.get("a") == b"aa"


def test_lru_get_or_make_makes_once():
    cache = ByteLRU(10, weigh)
    made = []

    def make():
        made.append(1)
        return b"v"

    assert cache.get_or_make("k", make) == b"v"
    assert cache.get_or_make("k", make) == b"v"
    assert made == [1]
    assert (cache.hits, cache.misses) == (1, 1)


@pytest.mark.parametrize("bound", [-1, 1.5, True, "10"])
def test_lru_bound_must_be_a_natural_int(bound):
    with pytest.raises((TypeError, ValueError)):
        ByteLRU(bound, weigh)


def test_image_bytes_counts_bands():
    assert image_bytes(Image.new("L", (10, 20))) == 200
    assert image_bytes(Image.new("RGB", (10, 20))) == 600


def test_digest_tells_contents_apart():
    assert digest(b"a") == digest(b"a")
    assert digest(b"a") != digest(b"b")


# ---------------------------------------------------------- cached rendering


def scan(text, dpi=100):
    return pages.render_text_page([text], dpi=dpi, image_format="PNG")


@pytest.fixture
def empty_caches():
    watermark.PAGE_CACHE.clear()
    watermark.MASK_CACHE.clear()
    yield
    watermark.PAGE_CACHE.clear()
    watermark.MASK_CACHE.clear()


def decode(data):
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


@needs_cjk_font
def test_a_page_served_again_comes_from_the_cache_unchanged(empty_caches):
    data = scan("第一页")
    first = watermark.render_page(data, 1, LINES, max_side=800)
    hits = watermark.PAGE_CACHE.hits
    second = watermark.render_page(data, 1, LINES, max_side=800)
    assert watermark.PAGE_CACHE.hits > hits
    assert second == first


@needs_cjk_font
def test_the_cache_never_serves_another_scans_page(empty_caches):
    one = watermark.render_page(scan("第一份"), 1, LINES, max_side=800)
    other = watermark.render_page(scan("第二份"), 1, LINES, max_side=800)
    assert decode(one).size == decode(other).size
    assert ImageChops.difference(decode(one), decode(other)).getbbox() is not None


@needs_cjk_font
def test_each_viewer_gets_their_own_watermark_from_the_cache(empty_caches):
    data = scan("同一页")
    mine = watermark.render_page(data, 1, LINES, max_side=800)
    theirs = watermark.render_page(
        data, 1, ["李四 (lisi)", "2026-11-25 14:04", "CY2026-0008"], max_side=800
    )
    again = watermark.render_page(data, 1, LINES, max_side=800)
    assert mine == again
    assert mine != theirs


@needs_cjk_font
def test_a_cached_page_fits_as_an_uncached_one_does(empty_caches):
    data = scan("尺寸", dpi=150)
    page = Image.open(io.BytesIO(data))
    for max_side in (300, 700, 2000):
        size = decode(watermark.render_page(data, 1, LINES, max_side=max_side)).size
        assert max(size) <= max_side
        again = decode(watermark.render_page(data, 1, LINES, max_side=max_side)).size
        assert again == size
    assert decode(watermark.render_page(data, 1, LINES, max_side=5000)).width == (
        page.width
    )


@needs_cjk_font
def test_the_page_cache_stays_within_its_bound(empty_caches, monkeypatch):
    small = ByteLRU(2 * 1024 * 1024, image_bytes)
    monkeypatch.setattr(watermark, "PAGE_CACHE", small)
    for n in range(6):
        watermark.render_page(scan(f"第{n}页"), 1, LINES, max_side=900)
        assert small.size <= 2 * 1024 * 1024
    assert len(small) >= 1
