import functools
import hashlib
import io
import re
import stat
import struct
import time
import warnings
import zipfile

import pytest
from cadre_archive_lib import bulk_import, pages
from cadre_archive_lib.bulk_import import (
    BulkImportError,
    PlanError,
    PlannedPage,
    group_materials,
    plan_zip,
    read_member,
)
from PIL import Image

LEAF_CODES = "1 2 3 4-1 4-2 4-3 4-4 5 6 7 8 9-1 9-2 9-3 9-4 10".split()

# ----------------------------------------------------------------- helpers


@functools.cache
def page(text="第1页", fmt="JPEG"):
    """A real (small) page image: 20 dpi keeps the tests fast."""
    return pages.render_text_page([text], dpi=20, image_format=fmt)


def sha(data):
    return hashlib.sha256(data).hexdigest()


def make_zip(entries, compression=zipfile.ZIP_DEFLATED):
    """Return a zip of ``entries``: (name or ZipInfo, bytes) pairs."""
    buffer = io.BytesIO()
    with (
        warnings.catch_warnings(),
        zipfile.ZipFile(buffer, "w", compression) as zf,
    ):
        warnings.simplefilter("ignore")  # duplicate names are on purpose
        for name, data in entries:
            if isinstance(name, zipfile.ZipInfo):
                name.compress_type = name.compress_type or compression
            zf.writestr(name, data)
    return buffer.getvalue()


def codes(errors):
    return {(error.path, error.code) for error in errors}


def paths(planned):
    return [p.path for p in planned]


def set_declared_size(data, size):
    """Change the declared uncompressed size of the only member of a zip."""
    raw = bytearray(data)
    assert raw[:4] == b"PK\x03\x04"
    struct.pack_into("<I", raw, 22, size)  # local file header
    central = raw.rfind(b"PK\x01\x02")
    struct.pack_into("<I", raw, central + 24, size)  # central directory
    return bytes(raw)


# ------------------------------------------------------------- layouts


def test_flat_layout():
    entries = [
        ("DA000012_4-1_3_2.jpg", page("学位 2")),
        ("DA000012_4-1_3_1.jpg", page("学位 1")),
        ("DA000012_1_1_1.png", page("履历", "PNG")),
        ("DA000007_10_2_1.tif", page("体检", "TIFF")),
    ]
    planned, errors = plan_zip(make_zip(entries))
    assert errors == []
    assert paths(planned) == [
        "DA000007_10_2_1.tif",
        "DA000012_1_1_1.png",
        "DA000012_4-1_3_1.jpg",
        "DA000012_4-1_3_2.jpg",
    ]
    first = planned[2]
    assert first == PlannedPage(
        path="DA000012_4-1_3_1.jpg",
        archive_number="DA000012",
        category_code="4-1",
        material_number=3,
        page=1,
        size=len(page("学位 1")),
        sha256=sha(page("学位 1")),
    )
    assert first.material_key == ("DA000012", "4-1", 3)


def test_folder_layout_under_a_top_folder():
    entries = [
        ("2024年扫描/", b""),
        ("2024年扫描/DA000012/", b""),
        ("2024年扫描/DA000012/4-1_3_1.jpg", page("1")),
        ("2024年扫描/DA000012/4-1_3_2.JPG", page("2")),
        ("2024年扫描/DA000013/9-2_1_1.pdf", pages.images_to_pdf([page("任免")])),
    ]
    planned, errors = plan_zip(make_zip(entries))
    assert errors == []
    assert [
        (p.archive_number, p.category_code, p.material_number, p.page) for p in planned
    ] == [
        ("DA000012", "4-1", 3, 1),
        ("DA000012", "4-1", 3, 2),
        ("DA000013", "9-2", 1, 1),
    ]
    assert planned[2].path == "2024年扫描/DA000013/9-2_1_1.pdf"


def test_folder_layout_at_the_top_and_both_layouts_together():
    entries = [
        ("DA000012/1_1_1.jpeg", page("a")),
        ("DA000012_1_1_2.tiff", page("b", "TIFF")),
    ]
    planned, errors = plan_zip(make_zip(entries))
    assert errors == []
    assert [(p.archive_number, p.page) for p in planned] == [
        ("DA000012", 1),
        ("DA000012", 2),
    ]


def test_windows_separators():
    planned, errors = plan_zip(make_zip([("scans\\DA000012\\1_1_1.jpg", page())]))
    assert errors == []
    assert planned[0].path == "scans/DA000012/1_1_1.jpg"
    assert planned[0].archive_number == "DA000012"


def test_leading_zeros_and_upper_case_extensions():
    entries = [
        ("DA000012_4-1_003_01.JPG", page()),
        ("DA000012_4-1_003_02.TIF", page("2", "TIFF")),
    ]
    planned, errors = plan_zip(make_zip(entries))
    assert errors == []
    assert [(p.material_number, p.page) for p in planned] == [(3, 1), (3, 2)]


def test_gbk_names_from_chinese_windows():
    # zipfile writes non-ASCII names as UTF-8 and flags them: write an ASCII
    # placeholder, then put GBK bytes in its place without the flag
    gbk = "扫描".encode("gbk")
    data = make_zip([("XXXX/DA000012/1_1_1.jpg", page())]).replace(b"XXXX", gbk)
    planned, errors = plan_zip(data)
    assert errors == []
    assert planned[0].path == "扫描/DA000012/1_1_1.jpg"
    assert read_member(data, planned[0].path) == page()


def test_ignored_files():
    entries = [
        ("__MACOSX/DA000012/._1_1_1.jpg", b"\0\5\26\7"),
        ("DA000012/.DS_Store", b"junk"),
        ("DA000012/._1_1_1.jpg", b"junk"),
        (".git/config", b"junk"),
        ("DA000012/Thumbs.db", b"junk"),
        ("desktop.ini", b"junk"),
        ("empty_folder/", b""),
        ("DA000012/1_1_1.jpg", page()),
    ]
    planned, errors = plan_zip(make_zip(entries))
    assert errors == []
    assert paths(planned) == ["DA000012/1_1_1.jpg"]


def test_empty_zip():
    assert plan_zip(make_zip([])) == ([], [])


def test_multi_page_files_are_accepted():
    img = Image.new("L", (100, 140), "white")
    buffer = io.BytesIO()
    img.save(buffer, "TIFF", save_all=True, append_images=[img])
    planned, errors = plan_zip(make_zip([("DA000012_1_1_1.tif", buffer.getvalue())]))
    assert errors == []
    assert len(planned) == 1


# --------------------------------------------------------------- names


@pytest.mark.parametrize(
    "name",
    [
        "DA000012_4-1_3.jpg",  # flat but no page, and no dossier folder
        "4-1_3_1.jpg",  # folder layout without a folder
        "DA000012_4-1_x_1.jpg",
        "DA000012_4-1_3_0.jpg",  # pages count from 1
        "DA000012_4-1_0_1.jpg",
        "DA000012_4-1_3_1_1.jpg",
        "DA000012_4-1_1234567_1.jpg",
        "DA 000012_4-1_3_1.jpg",
        "DA000012__3_1.jpg",
        "DA000012/4-1_3_1_.jpg",
        "DA000012/4-1 3 1.jpg",
    ],
)
def test_bad_name(name):
    planned, errors = plan_zip(make_zip([(name, page())]))
    assert planned == []
    assert errors == [PlanError(name, "bad_name", {"name": name.rpartition("/")[2]})]


def test_folder_name_with_spaces_is_a_bad_name():
    name = "DA 000012/4-1_3_1.jpg"
    _planned, errors = plan_zip(make_zip([(name, page())]))
    assert codes(errors) == {(name, "bad_name")}


@pytest.mark.parametrize(
    "name, code",
    [
        ("DA000012_4-0_1_1.jpg", "4-0"),
        ("DA000012_0_1_1.jpg", "0"),
        ("DA000012_A_1_1.jpg", "A"),
        ("DA000012_4-1-1_1_1.jpg", "4-1-1"),
        ("DA000012/123_1_1.jpg", "123"),
        ("DA000012/-1_3_1.jpg", "-1"),
    ],
)
def test_bad_category_code(name, code):
    planned, errors = plan_zip(make_zip([(name, page())]))
    assert planned == []
    assert errors == [PlanError(name, "bad_category_code", {"code": code})]


def test_category_codes_restrict_the_codes():
    entries = [("DA000012_4_1_1.jpg", page()), ("DA000012_4-1_1_1.jpg", page())]
    planned, errors = plan_zip(make_zip(entries))
    assert len(planned) == 2 and errors == []
    planned, errors = plan_zip(make_zip(entries), category_codes=LEAF_CODES)
    assert paths(planned) == ["DA000012_4-1_1_1.jpg"]
    assert errors == [
        PlanError("DA000012_4_1_1.jpg", "bad_category_code", {"code": "4"})
    ]


@pytest.mark.parametrize(
    "name, extension",
    [
        ("DA000012_1_1_1.gif", "gif"),
        ("DA000012_1_1_1.JPG.exe", "exe"),
        ("readme.txt", "txt"),
        ("DA000012_1_1_1", ""),
        ("DA000012/notes.docx", "docx"),
    ],
)
def test_bad_extension(name, extension):
    planned, errors = plan_zip(make_zip([(name, page())]))
    assert planned == []
    assert errors == [PlanError(name, "bad_extension", {"extension": extension})]


# ------------------------------------------------------- whole materials


def test_duplicate_page():
    entries = [
        ("DA000012_1_1_1.jpg", page("a")),
        ("DA000012/1_1_1.png", page("b", "PNG")),
        ("DA000012_1_1_2.jpg", page("c")),
        ("DA000012_2_1_1.jpg", page("d")),
    ]
    planned, errors = plan_zip(make_zip(entries))
    assert paths(planned) == ["DA000012_2_1_1.jpg"]
    assert codes(errors) == {
        ("DA000012/1_1_1.png", "duplicate_page"),
        ("DA000012_1_1_1.jpg", "duplicate_page"),
        ("DA000012_1_1_2.jpg", "page_gap"),
    }
    duplicate = next(e for e in errors if e.code == "duplicate_page")
    assert duplicate.params == {
        "archive_number": "DA000012",
        "category_code": "1",
        "material_number": 1,
        "page": 1,
        "paths": ["DA000012/1_1_1.png", "DA000012_1_1_1.jpg"],
    }
    gap = next(e for e in errors if e.code == "page_gap")
    assert gap.params["missing"] == [1]


def test_same_path_twice_is_a_duplicate_page():
    entries = [("DA000012_1_1_1.jpg", page("a")), ("DA000012_1_1_1.jpg", page("b"))]
    planned, errors = plan_zip(make_zip(entries))
    assert planned == []
    assert [e.code for e in errors] == ["duplicate_page", "duplicate_page"]


def test_page_gap_fails_the_whole_material():
    entries = [
        ("DA000012_4-1_3_1.jpg", page("1")),
        ("DA000012_4-1_3_2.jpg", page("2")),
        ("DA000012_4-1_3_4.jpg", page("4")),
        ("DA000012_4-1_4_1.jpg", page("other material")),
        ("DA000013_4-1_3_1.jpg", page("other dossier")),
    ]
    planned, errors = plan_zip(make_zip(entries))
    assert paths(planned) == ["DA000012_4-1_4_1.jpg", "DA000013_4-1_3_1.jpg"]
    assert [(e.path, e.code) for e in errors] == [
        ("DA000012_4-1_3_1.jpg", "page_gap"),
        ("DA000012_4-1_3_2.jpg", "page_gap"),
        ("DA000012_4-1_3_4.jpg", "page_gap"),
    ]
    assert errors[0].params == {
        "archive_number": "DA000012",
        "category_code": "4-1",
        "material_number": 3,
        "missing": [3],
    }


def test_material_without_page_1():
    entries = [("DA000012_7_2_2.jpg", page()), ("DA000012_7_2_3.jpg", page())]
    planned, errors = plan_zip(make_zip(entries))
    assert planned == []
    assert {e.code for e in errors} == {"page_gap"}
    assert errors[0].params["missing"] == [1]


def test_a_failed_page_fails_its_material():
    entries = [
        ("DA000012_3_1_1.jpg", page("1")),
        ("DA000012_3_1_2.jpg", b"this is not an image"),
        ("DA000012_3_1_3.jpg", page("3")),
        ("DA000012_3_2_1.jpg", page("ok")),
    ]
    planned, errors = plan_zip(make_zip(entries))
    assert paths(planned) == ["DA000012_3_2_1.jpg"]
    assert [(e.path, e.code) for e in errors] == [
        ("DA000012_3_1_1.jpg", "page_gap"),
        ("DA000012_3_1_2.jpg", "unreadable"),
        ("DA000012_3_1_3.jpg", "page_gap"),
    ]
    assert errors[1].params == {"scan_error": "unsupported"}
    assert errors[0].params["missing"] == [2]


def test_a_failed_last_page_fails_its_material():
    entries = [
        ("DA000012_3_1_1.jpg", page("1")),
        ("DA000012_3_1_2.jpg", page("2")[:-200]),  # truncated JPEG
    ]
    planned, errors = plan_zip(make_zip(entries))
    assert planned == []
    assert [(e.path, e.code) for e in errors] == [
        ("DA000012_3_1_1.jpg", "page_gap"),
        ("DA000012_3_1_2.jpg", "unreadable"),
    ]
    assert errors[1].params == {"scan_error": "truncated"}
    assert errors[0].params["missing"] == [2]


def test_empty_file_is_unreadable():
    _planned, errors = plan_zip(make_zip([("DA000012_1_1_1.png", b"")]))
    assert errors == [
        PlanError("DA000012_1_1_1.png", "unreadable", {"scan_error": "empty"})
    ]


def test_group_materials():
    entries = [
        ("DA000012_10_1_1.jpg", page("x")),
        ("DA000012_4-1_3_2.jpg", page("2")),
        ("DA000012_4-1_3_1.jpg", page("1")),
        ("DA000012_9-2_1_1.jpg", page("y")),
        ("DA000011_1_1_1.jpg", page("z")),
    ]
    planned, _errors = plan_zip(make_zip(entries))
    groups = group_materials(reversed(planned))
    assert list(groups) == [
        ("DA000011", "1", 1),
        ("DA000012", "4-1", 3),
        ("DA000012", "9-2", 1),
        ("DA000012", "10", 1),
    ]
    assert [p.page for p in groups[("DA000012", "4-1", 3)]] == [1, 2]
    assert group_materials([]) == {}


# --------------------------------------------------------------- sizes


def test_too_large_member():
    data = page("big")
    zipped = make_zip([("DA000012_1_1_1.jpg", data)], zipfile.ZIP_STORED)
    planned, errors = plan_zip(zipped, max_file_bytes=len(data) - 1)
    assert planned == []
    assert errors == [
        PlanError(
            "DA000012_1_1_1.jpg", "too_large", {"size": len(data), "max": len(data) - 1}
        )
    ]
    planned, errors = plan_zip(zipped, max_file_bytes=len(data))
    assert errors == [] and len(planned) == 1


def test_zip_bomb_by_compression_ratio():
    zeros = b"\0" * (50 * 1000**2)
    zipped = make_zip([("DA000012_1_1_1.tif", zeros), ("DA000012_1_2_1.jpg", page())])
    assert len(zipped) < 100_000
    start = time.perf_counter()
    planned, errors = plan_zip(
        zipped, max_file_bytes=10 * 1024**2, max_total_bytes=100 * 1024**2
    )
    assert time.perf_counter() - start < 1  # nothing was decompressed
    assert paths(planned) == ["DA000012_1_2_1.jpg"]
    (error,) = errors
    assert error.code == "zip_bomb"
    assert error.params["reason"] == "ratio"
    assert error.params["ratio"] > 1000


def test_small_compressible_members_are_not_bombs():
    img = Image.new("L", (1000, 1000), "white")  # uncompressed TIFF: 1 MB of 255
    buffer = io.BytesIO()
    img.save(buffer, "TIFF")
    planned, errors = plan_zip(make_zip([("DA000012_1_1_1.tif", buffer.getvalue())]))
    assert errors == [] and len(planned) == 1


def test_member_shorter_than_declared():
    zipped = set_declared_size(
        make_zip([("DA000012_1_1_1.jpg", page())]), len(page()) + 1000
    )
    _planned, errors = plan_zip(zipped)
    assert errors == [
        PlanError(
            "DA000012_1_1_1.jpg",
            "zip_bomb",
            {
                "reason": "size_mismatch",
                "declared": len(page()) + 1000,
                "actual": len(page()),
            },
        )
    ]


def test_member_longer_than_declared():
    zipped = set_declared_size(make_zip([("DA000012_1_1_1.jpg", page())]), 100)
    _planned, errors = plan_zip(zipped)
    assert errors == [
        PlanError("DA000012_1_1_1.jpg", "unreadable", {"reason": "BadZipFile"})
    ]


def test_total_size_limit():
    entries = [("DA000012_1_1_1.jpg", page("1")), ("DA000012_1_1_2.jpg", page("2"))]
    total = len(page("1")) + len(page("2"))
    with pytest.raises(BulkImportError) as info:
        plan_zip(make_zip(entries), max_total_bytes=total - 1)
    assert info.value.code == "too_large"
    assert info.value.params == {"size": total, "max": total - 1}
    assert len(plan_zip(make_zip(entries), max_total_bytes=total)[0]) == 2


def test_file_count_limit():
    entries = [(f"DA000012_1_1_{n}.jpg", page()) for n in (1, 2, 3)]
    entries.append(("__MACOSX/._x", b""))  # ignored files do not count
    with pytest.raises(BulkImportError) as info:
        plan_zip(make_zip(entries), max_files=2)
    assert info.value.code == "too_many_files"
    assert info.value.params == {"count": 3, "max": 2}
    assert len(plan_zip(make_zip(entries), max_files=3)[0]) == 3


def test_encrypted_member():
    raw = bytearray(make_zip([("DA000012_1_1_1.jpg", page())]))
    raw[6] |= 0x1  # "encrypted" in the local header's general purpose flags
    raw[raw.rfind(b"PK\x01\x02") + 8] |= 0x1  # and in the central directory
    _planned, errors = plan_zip(bytes(raw))
    assert errors == [
        PlanError("DA000012_1_1_1.jpg", "unreadable", {"reason": "encrypted"})
    ]


@pytest.mark.parametrize("data", [b"", b"not a zip", b"PK\x03\x04broken", page()])
def test_not_a_zip(data):
    with pytest.raises(BulkImportError) as info:
        plan_zip(data)
    assert info.value.code == "unreadable"


# ---------------------------------------------------------------- paths


@pytest.mark.parametrize(
    "name, reason",
    [
        ("../DA000012_1_1_1.jpg", "parent"),
        ("DA000012/../../DA000012_1_1_1.jpg", "parent"),
        ("..\\..\\DA000012_1_1_1.jpg", "parent"),
        ("/tmp/DA000012_1_1_1.jpg", "absolute"),
        ("/DA000012/1_1_1.jpg", "absolute"),
        ("\\DA000012\\1_1_1.jpg", "absolute"),
        ("C:/scans/DA000012_1_1_1.jpg", "absolute"),
        ("c:DA000012_1_1_1.jpg", "absolute"),
    ],
)
def test_path_traversal(name, reason):
    planned, errors = plan_zip(
        make_zip([(name, page()), ("DA000013_1_1_1.jpg", page())])
    )
    assert paths(planned) == ["DA000013_1_1_1.jpg"]
    assert errors == [
        PlanError(name.replace("\\", "/"), "unsafe_path", {"reason": reason})
    ]


def test_symlink():
    info = zipfile.ZipInfo("DA000012_1_1_1.jpg")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    _planned, errors = plan_zip(make_zip([(info, b"/etc/passwd")]))
    assert errors == [
        PlanError("DA000012_1_1_1.jpg", "unsafe_path", {"reason": "symlink"})
    ]


# ----------------------------------------------------------------- read


def test_read_member():
    entries = [
        ("scans/DA000012/4-1_3_1.jpg", page("1")),
        ("scans/DA000012/4-1_3_2.png", page("2", "PNG")),
    ]
    zipped = make_zip(entries)
    planned, _errors = plan_zip(zipped)
    for planned_page, (_name, data) in zip(planned, entries, strict=True):
        content = read_member(zipped, planned_page.path)
        assert content == data
        assert sha(content) == planned_page.sha256
        assert len(content) == planned_page.size


@pytest.mark.parametrize("path", ["DA000012_1_1_2.jpg", "", "scans/", "DA000012_1_1_1"])
def test_read_member_not_found(path):
    zipped = make_zip([("DA000012_1_1_1.jpg", page()), ("scans/", b"")])
    with pytest.raises(BulkImportError) as info:
        read_member(zipped, path)
    assert info.value.code == "no_such_member"
    assert info.value.params == {"path": path}


def test_read_member_of_a_doubled_path():
    zipped = make_zip(
        [("DA000012_1_1_1.jpg", page("a")), ("DA000012_1_1_1.jpg", page("b"))]
    )
    with pytest.raises(BulkImportError) as info:
        read_member(zipped, "DA000012_1_1_1.jpg")
    assert info.value.code == "no_such_member"


def test_read_member_limits():
    zeros = make_zip([("DA000012_1_1_1.tif", b"\0" * (5 * 1024**2))])
    with pytest.raises(BulkImportError) as info:
        read_member(zeros, "DA000012_1_1_1.tif")
    assert info.value.code == "zip_bomb"
    stored = make_zip([("DA000012_1_1_1.jpg", page())], zipfile.ZIP_STORED)
    with pytest.raises(BulkImportError) as info:
        read_member(stored, "DA000012_1_1_1.jpg", max_bytes=10)
    assert info.value.code == "too_large"
    assert info.value.params == {
        "path": "DA000012_1_1_1.jpg",
        "size": len(page()),
        "max": 10,
    }
    with pytest.raises(BulkImportError) as info:
        read_member(b"not a zip", "x")
    assert info.value.code == "unreadable"


def test_read_member_refuses_unsafe_paths():
    zipped = make_zip([("../DA000012_1_1_1.jpg", page())])
    with pytest.raises(BulkImportError) as info:
        read_member(zipped, "../DA000012_1_1_1.jpg")
    assert info.value.code == "unsafe_path"


def test_plan_error_codes_are_documented():
    documented = {
        "bad_name",
        "bad_category_code",
        "bad_extension",
        "duplicate_page",
        "page_gap",
        "unreadable",
        "too_large",
        "zip_bomb",
        "unsafe_path",
    }
    source = open(bulk_import.__file__, encoding="utf-8").read()
    raised = set(re.findall(r'_MemberError\(\s*"([a-z_]+)"', source))
    assert raised | {"duplicate_page", "page_gap"} == documented
