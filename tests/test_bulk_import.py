import ast
import base64
import functools
import gzip
import hashlib
import io
import math
import random
import re
import shutil
import stat
import struct
import subprocess
import warnings
import zipfile
import zlib
from pathlib import Path

import pytest
from cadre_archive_lib import bulk_import, pages, scans
from cadre_archive_lib.bulk_import import (
    BulkImportError,
    PlanError,
    PlannedPage,
    group_materials,
    plan_zip,
    read_member,
)
from cadre_archive_lib.errors import ArchiveLibError, ScanError
from PIL import Image

ADDON = Path(__file__).resolve().parent.parent / "cadre_archive"

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


_LOCAL_FIELDS = {"flags": (6, "<H"), "method": (8, "<H"), "size": (22, "<I")}
_CENTRAL_FIELDS = {"flags": (8, "<H"), "method": (10, "<H"), "size": (24, "<I")}


def patch_member(data, name, **changes):
    """Change header fields (flags, method, size) of member ``name``.

    Each change is a value or a function of the old value; both the local
    header and the central directory entry of the member are changed.
    """
    raw = bytearray(data)
    for signature, fields, name_at in (
        (b"PK\x03\x04", _LOCAL_FIELDS, 26),
        (b"PK\x01\x02", _CENTRAL_FIELDS, 28),
    ):
        name_start = name_at + (4 if signature == b"PK\x03\x04" else 18)
        found = 0
        at = raw.find(signature)
        while at != -1:
            length = struct.unpack_from("<H", raw, at + name_at)[0]
            if raw[at + name_start : at + name_start + length] == name.encode():
                found += 1
                for field_name, change in changes.items():
                    offset, fmt = fields[field_name]
                    old = struct.unpack_from(fmt, raw, at + offset)[0]
                    new = change(old) if callable(change) else change
                    struct.pack_into(fmt, raw, at + offset, new)
            at = raw.find(signature, at + 4)
        assert found == 1, (name, signature)
    return bytes(raw)


def encrypt_flag(data, *names):
    """Set the "encrypted" flag (bit 0 of the general purpose flags)."""
    for name in names:
        data = patch_member(data, name, flags=lambda flags: flags | 0x1)
    return data


def scan_error(data):
    """The ScanError that scans.identify raises on ``data`` by itself."""
    with pytest.raises(ScanError) as info:
        scans.identify(data)
    return info.value


def png_1bit(width, height):
    """A valid black-and-white PNG, built by hand (fast even when huge)."""

    def chunk(kind, body):
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    compressor = zlib.compressobj(9)
    row = b"\0" * (1 + (width + 7) // 8)
    idat = b"".join(compressor.compress(row) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", idat + compressor.flush())
        + chunk(b"IEND", b"")
    )


def zip_tool(tmp_path, *commands):
    """Run the ``zip`` command line tool in tmp_path; return the zip made."""
    for arguments in commands:
        subprocess.run(["zip", "-q", *arguments], cwd=tmp_path, check=True)
    return (tmp_path / "scans.zip").read_bytes()


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
        ("DA000012_3_1_2.jpg", "unsupported"),
        ("DA000012_3_1_3.jpg", "page_gap"),
    ]
    assert errors[1].params == scan_error(b"this is not an image").params
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
        ("DA000012_3_1_2.jpg", "truncated"),
    ]
    assert errors[1].params == scan_error(page("2")[:-200]).params
    assert errors[0].params["missing"] == [2]


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
    assert errors == [  # before anything is decompressed: the declared size
        PlanError(
            "DA000012_1_1_1.jpg", "too_large", {"size": len(data), "max": len(data) - 1}
        )
    ]
    planned, errors = plan_zip(zipped, max_file_bytes=len(data))
    assert errors == [] and len(planned) == 1


def test_zip_bomb_by_compression_ratio(monkeypatch):
    zeros = b"\0" * (50 * 1000**2)
    zipped = make_zip([("DA000012_1_1_1.tif", zeros), ("DA000012_1_2_1.jpg", page())])
    assert len(zipped) < 100_000
    opened = []
    real_open = zipfile.ZipFile.open

    def spy_open(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy_open)
    planned, errors = plan_zip(
        zipped, max_file_bytes=10 * 1024**2, max_total_bytes=100 * 1024**2
    )
    assert "DA000012_1_1_1.tif" not in opened  # judged from its header only
    assert paths(planned) == ["DA000012_1_2_1.jpg"]
    (error,) = errors
    assert error.code == "zip_bomb"
    assert error.params["reason"] == "ratio"
    assert error.params["ratio"] > 1000


def test_zip_bomb_error_tells_the_ratio_and_its_limit():
    zeros = b"\0" * (4 * 1024**2)
    zipped = make_zip([("DA000012_1_1_1.tif", zeros)])
    with zipfile.ZipFile(io.BytesIO(zipped)) as zf:
        (info,) = zf.infolist()
    _planned, errors = plan_zip(zipped)
    assert [(error.code, error.params) for error in errors] == [
        (
            "zip_bomb",
            {
                "reason": "ratio",
                "ratio": round(len(zeros) / info.compress_size),
                "max": bulk_import.MAX_COMPRESSION_RATIO,
            },
        )
    ]


def test_the_ratio_is_checked_only_above_the_minimum_size():
    limit = bulk_import.ZIP_BOMB_MIN_BYTES
    at_limit = make_zip([("DA000012_1_1_1.tif", b"\0" * limit)])
    _planned, errors = plan_zip(at_limit)
    assert [error.code for error in errors] == ["unsupported"]  # not zip_bomb
    above = make_zip([("DA000012_1_1_1.tif", b"\0" * (limit + 1))])
    _planned, errors = plan_zip(above)
    assert [error.code for error in errors] == ["zip_bomb"]


def with_declared_size(zipped, size):
    """Return ``zipped`` (one member) declaring ``size`` bytes uncompressed."""
    data = bytearray(zipped)
    data[22:26] = struct.pack("<L", size)  # local file header
    central = data.find(b"PK\x01\x02")
    data[central + 24 : central + 28] = struct.pack("<L", size)
    return bytes(data)


def test_a_ratio_equal_to_the_limit_is_not_a_bomb():
    noise = random.Random(0).randbytes(6000)  # incompressible
    zipped = make_zip([("DA000012_1_1_1.tif", noise)])
    with zipfile.ZipFile(io.BytesIO(zipped)) as zf:
        (info,) = zf.infolist()
    declared = bulk_import.MAX_COMPRESSION_RATIO * info.compress_size
    assert declared > bulk_import.ZIP_BOMB_MIN_BYTES
    _planned, errors = plan_zip(with_declared_size(zipped, declared))
    # exactly at the limit: not refused as a bomb, but read (and found short)
    assert [(error.code, error.params) for error in errors] == [
        ("size_mismatch", {"declared": declared, "actual": len(noise)})
    ]
    _planned, errors = plan_zip(with_declared_size(zipped, declared + 1))
    assert [error.code for error in errors] == ["zip_bomb"]


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
            "size_mismatch",
            {"declared": len(page()) + 1000, "actual": len(page())},
        )
    ]


def test_member_longer_than_declared():
    zipped = set_declared_size(make_zip([("DA000012_1_1_1.jpg", page())]), 100)
    _planned, errors = plan_zip(zipped)
    assert errors == [
        PlanError("DA000012_1_1_1.jpg", "member_damaged", {"reason": "BadZipFile"})
    ]


def test_total_size_limit():
    entries = [("DA000012_1_1_1.jpg", page("1")), ("DA000012_1_1_2.jpg", page("2"))]
    total = len(page("1")) + len(page("2"))
    with pytest.raises(BulkImportError) as info:
        plan_zip(make_zip(entries), max_total_bytes=total - 1)
    assert info.value.code == "zip_too_large"
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
    assert info.value.code == "not_a_zip"


def test_read_member_refuses_unsafe_paths():
    zipped = make_zip([("../DA000012_1_1_1.jpg", page())])
    with pytest.raises(BulkImportError) as info:
        read_member(zipped, "../DA000012_1_1_1.jpg")
    assert info.value.code == "unsafe_path"


def test_read_member_refuses_a_symlink():
    info = zipfile.ZipInfo("DA000012_1_1_1.jpg")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    zipped = make_zip([(info, b"/etc/passwd")])
    with pytest.raises(BulkImportError) as info:
        read_member(zipped, "DA000012_1_1_1.jpg")
    assert info.value.code == "unsafe_path"
    assert info.value.params == {"path": "DA000012_1_1_1.jpg", "reason": "symlink"}


@pytest.mark.parametrize(("path", "shown"), [(5, "5"), (b"a.jpg", "b'a.jpg'")])
def test_read_member_of_a_path_that_is_not_text(path, shown):
    zipped = make_zip([("DA000012_1_1_1.jpg", page())])
    with pytest.raises(BulkImportError) as info:
        read_member(zipped, path)
    assert info.value.code == "no_such_member"
    assert info.value.params == {"path": shown}


def test_read_member_larger_than_one_read_chunk():
    # several chunks are read and joined as they are
    content = bytes(range(256)) * (3 * 1024**2 // 256) + b"tail"
    zipped = make_zip([("DA000012_1_1_1.tif", content)], zipfile.ZIP_STORED)
    assert read_member(zipped, "DA000012_1_1_1.tif") == content


def test_a_raised_file_limit_also_applies_to_the_content_check():
    # A member just over the default limit, with max_file_bytes raised above
    # it: the content check uses the raised limit too (the file is refused
    # for what it is, not for its size).
    size = bulk_import.DEFAULT_MAX_FILE_BYTES + 1
    zipped = make_zip([("DA000012_1_1_1.jpg", b"\0" * size)], zipfile.ZIP_STORED)
    _planned, errors = plan_zip(zipped, max_file_bytes=size + 1024)
    assert [(error.path, error.code) for error in errors] == [
        ("DA000012_1_1_1.jpg", "unsupported")
    ]


def test_a_windows_folder_entry_is_not_a_file():
    # "DA000012\\" is a folder written with a backslash: zipfile does not
    # see a folder, the path "DA000012/" is one.
    zipped = make_zip([("DA000012\\", b""), ("DA000012\\1_1_1.jpg", page())])
    planned, errors = plan_zip(zipped)
    assert paths(planned) == ["DA000012/1_1_1.jpg"]
    assert errors == []


def test_a_dot_folder_is_not_hidden():
    planned, errors = plan_zip(make_zip([("./DA000012_1_1_1.jpg", page())]))
    assert paths(planned) == ["./DA000012_1_1_1.jpg"]
    assert errors == []


def test_a_zip_whose_central_directory_is_cut_is_truncated():
    zipped = bytearray(
        make_zip([("DA000012_1_1_1.jpg", page("a")), ("DA000012_1_1_2.jpg", page("b"))])
    )
    end = zipped.rfind(b"PK\x05\x06")
    (start,) = struct.unpack("<L", zipped[end + 16 : end + 20])
    # the first entry's name claims the bytes of the second entry's header:
    # zipfile runs out of central directory ("Truncated central directory")
    (name_length,) = struct.unpack("<H", zipped[start + 28 : start + 30])
    zipped[start + 28 : start + 30] = struct.pack("<H", name_length + 40)
    with pytest.raises(BulkImportError) as info:
        plan_zip(bytes(zipped))
    assert (info.value.code, info.value.params) == (
        "zip_truncated",
        {"size": len(zipped)},
    )


def test_plan_error_codes_are_documented():
    documented = {
        "bad_name",
        "bad_category_code",
        "bad_extension",
        "duplicate_page",
        "page_gap",
        "encrypted",
        "too_large",
        "zip_bomb",
        "size_mismatch",
        "member_damaged",
        "unsupported_compression",
        "unsafe_path",
    }
    source = open(bulk_import.__file__, encoding="utf-8").read()
    raised = set(re.findall(r'_MemberError\(\s*"([a-z_]+)"', source))
    assert raised | {"duplicate_page", "page_gap"} == documented


# --------------------------------------------- clear errors: the whole zip

GOOD_PATHS = ["DA000013_1_1_1.jpg", "DA000013_1_1_2.png"]


def good_entries():
    """A material that imports fine, put next to the bad input."""
    return [
        ("DA000013_1_1_1.jpg", page("good 1")),
        ("DA000013_1_1_2.png", page("good 2", "PNG")),
    ]


def zip_error(data, **kwargs):
    with pytest.raises(BulkImportError) as info:
        plan_zip(data, **kwargs)
    return info.value


@pytest.mark.parametrize("data", [b"", bytearray(), None])
def test_empty_upload(data):
    error = zip_error(data)
    assert (error.code, error.params) == ("zip_empty", {})


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"not a zip", ""),
        (b"\0" * 1000, ""),
        (b"DA000012_1_1_1.jpg", ""),
        (page(), "JPEG"),
        (page("png", "PNG"), "PNG"),
        (page("tiff", "TIFF"), "TIFF"),
        (pages.images_to_pdf([page()]), "PDF"),
        (b"Rar!\x1a\x07\x01\x00" + b"\0" * 100, "RAR"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\0" * 100, "7z"),
        (gzip.compress(b"a tar of the scans"), "gzip"),
    ],
    ids=["text", "zeros", "a-name", "jpeg", "png", "tiff", "pdf", "rar", "7z", "gz"],
)
def test_not_a_zip(data, kind):
    error = zip_error(data)
    assert (error.code, error.params) == ("not_a_zip", {"kind": kind})


@pytest.mark.parametrize("keep", [4, 30, 0.5, 0.9, -22, -1])
def test_truncated_zip(keep):
    data = make_zip(good_entries())
    cut = int(len(data) * keep) if isinstance(keep, float) else keep % len(data)
    error = zip_error(data[:cut])
    assert (error.code, error.params) == ("zip_truncated", {"size": cut})


def test_truncated_zip_header_only():
    error = zip_error(b"PK\x03\x04broken")
    assert (error.code, error.params) == ("zip_truncated", {"size": 10})


def test_damaged_zip():
    raw = bytearray(make_zip(good_entries()))
    central = raw.find(b"PK\x01\x02")
    raw[central : central + 4] = b"XXXX"  # its central directory is damaged
    error = zip_error(bytes(raw))
    assert (error.code, error.params) == ("zip_damaged", {"reason": "BadZipFile"})


def test_encrypted_zip():
    data = encrypt_flag(make_zip(good_entries()), *GOOD_PATHS)
    error = zip_error(data)
    assert (error.code, error.params) == ("zip_encrypted", {"count": 2})
    # ignored files do not count, encrypted or not
    data = make_zip([*good_entries(), ("__MACOSX/._DA000013_1_1_1.jpg", b"junk")])
    error = zip_error(encrypt_flag(data, *GOOD_PATHS))
    assert (error.code, error.params) == ("zip_encrypted", {"count": 2})


@pytest.mark.skipif(shutil.which("zip") is None, reason="no zip command")
def test_zip_made_with_a_password(tmp_path):
    for name, data in good_entries():
        (tmp_path / name).write_bytes(data)
    zipped = zip_tool(tmp_path, ["-P", "secret", "scans.zip", *GOOD_PATHS])
    error = zip_error(zipped)
    assert (error.code, error.params) == ("zip_encrypted", {"count": 2})
    with pytest.raises(BulkImportError) as info:
        read_member(zipped, GOOD_PATHS[0])
    assert info.value.code == "encrypted"
    assert info.value.params == {"path": GOOD_PATHS[0]}


def test_zip_too_large_is_not_a_too_large_scan():
    total = sum(len(data) for _name, data in good_entries())
    error = zip_error(make_zip(good_entries()), max_total_bytes=total - 1)
    assert (error.code, error.params) == (
        "zip_too_large",
        {"size": total, "max": total - 1},
    )


# ------------------------------------------- clear errors: one page file

BAD = "DA000012_1_1_1.jpg"


def bad_member_error(data, name=BAD, compression=zipfile.ZIP_DEFLATED, **kwargs):
    """Plan the good material with a bad member; return the bad one's error."""
    planned, errors = plan_zip(
        make_zip([*good_entries(), (name, data)], compression), **kwargs
    )
    assert paths(planned) == GOOD_PATHS
    assert [error.path for error in errors] == [name]
    return errors[0]


def test_empty_member():
    error = bad_member_error(b"")
    assert (error.code, error.params) == ("empty", scan_error(b"").params)


def test_oversized_member_names_its_size_and_the_limit():
    limit = max(len(data) for _name, data in good_entries())
    big = page("big") + b"\0" * limit
    error = bad_member_error(big, compression=zipfile.ZIP_STORED, max_file_bytes=limit)
    assert (error.code, error.params) == ("too_large", {"size": len(big), "max": limit})


@pytest.mark.parametrize(
    "name, data",
    [
        ("DA000012_1_1_1.jpg", page("cut")[:-200]),
        ("DA000012_1_1_1.jpg", page("cut")[: len(page("cut")) // 2]),
        ("DA000012_1_1_1.png", page("cut", "PNG")[: len(page("cut", "PNG")) // 2]),
        (
            "DA000012_1_1_1.pdf",
            pages.images_to_pdf([page("cut")])[
                : len(pages.images_to_pdf([page("cut")])) // 2
            ],
        ),
    ],
    ids=["jpeg-end", "jpeg-half", "png-half", "pdf-half"],
)
def test_truncated_member(name, data):
    error = bad_member_error(data, name)
    assert (error.code, error.params) == ("truncated", scan_error(data).params)


def test_encrypted_member():
    zipped = encrypt_flag(make_zip([*good_entries(), (BAD, page())]), BAD)
    planned, errors = plan_zip(zipped)
    assert paths(planned) == GOOD_PATHS
    assert errors == [PlanError(BAD, "encrypted", {})]
    with pytest.raises(BulkImportError) as info:
        read_member(zipped, BAD)
    assert (info.value.code, info.value.params) == ("encrypted", {"path": BAD})
    assert read_member(zipped, GOOD_PATHS[0]) == page("good 1")


@pytest.mark.skipif(shutil.which("zip") is None, reason="no zip command")
def test_member_added_with_a_password(tmp_path):
    for name, data in [*good_entries(), (BAD, page())]:
        (tmp_path / name).write_bytes(data)
    zipped = zip_tool(
        tmp_path,
        ["-P", "secret", "scans.zip", BAD],
        ["scans.zip", *GOOD_PATHS],  # added without a password
    )
    planned, errors = plan_zip(zipped)
    assert paths(planned) == GOOD_PATHS
    assert errors == [PlanError(BAD, "encrypted", {})]


@pytest.mark.parametrize(
    "data",
    [
        b"this is not an image",
        b"GIF89a" + b"\0" * 100,
        base64.b64encode(page()),
        make_zip([("DA000012_1_1_1.jpg", page())]),
    ],
    ids=["text", "gif", "base64", "zip"],
)
def test_unsupported_member(data):
    error = bad_member_error(data)
    assert (error.code, error.params) == ("unsupported", scan_error(data).params)


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize(
    "data",
    [b"\xff\xd8\xff" + b"not a jpeg at all" * 10, b"\x89PNG\r\n\x1a\n" + b"junk" * 9],
    ids=["jpeg", "png"],
)
def test_damaged_member_content(data):
    error = bad_member_error(data)
    assert (error.code, error.params) == ("unreadable", scan_error(data).params)


def test_member_damaged_in_the_zip():
    content = page("damaged")
    raw = bytearray(make_zip([*good_entries(), (BAD, content)], zipfile.ZIP_STORED))
    at = raw.find(content) + len(content) // 2
    raw[at] ^= 0xFF  # its data no longer matches its CRC
    planned, errors = plan_zip(bytes(raw))
    assert paths(planned) == GOOD_PATHS
    assert errors == [PlanError(BAD, "member_damaged", {"reason": "BadZipFile"})]
    with pytest.raises(BulkImportError) as info:
        read_member(bytes(raw), BAD)
    assert info.value.code == "member_damaged"


def test_member_with_an_unsupported_compression():
    zipped = make_zip([*good_entries(), (BAD, page())])
    zipped = patch_member(zipped, BAD, method=9)  # Deflate64, from Windows
    planned, errors = plan_zip(zipped)
    assert paths(planned) == GOOD_PATHS
    assert errors == [PlanError(BAD, "unsupported_compression", {"method": 9})]


def test_member_size_mismatch_next_to_a_good_material():
    zipped = make_zip([*good_entries(), (BAD, page())])
    zipped = patch_member(zipped, BAD, size=len(page()) + 1)
    planned, errors = plan_zip(zipped)
    assert paths(planned) == GOOD_PATHS
    assert errors == [
        PlanError(
            BAD, "size_mismatch", {"declared": len(page()) + 1, "actual": len(page())}
        )
    ]


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_member_with_too_many_pixels():
    side = math.isqrt(scans.DEFAULT_MAX_PIXELS) + 1
    data = png_1bit(side, side)
    assert len(data) < 100_000  # small file, huge image
    error = bad_member_error(data, "DA000012_1_1_1.png")
    assert (error.code, error.params) == ("too_many_pixels", scan_error(data).params)


# ------------------------------------------------- read_member, forged path


@pytest.mark.parametrize(
    "path, code, params",
    [
        ("DA000099_1_1_1.jpg", "no_such_member", {}),
        ("da000013_1_1_1.jpg", "no_such_member", {}),
        ("__MACOSX/._DA000013_1_1_1.jpg", "no_such_member", {}),  # ignored
        ("scans/.DS_Store", "no_such_member", {}),  # ignored
        ("scans/", "no_such_member", {}),  # a folder
        ("../DA000013_1_1_1.jpg", "unsafe_path", {"reason": "parent"}),
        ("scans/../../etc/passwd", "unsafe_path", {"reason": "parent"}),
        ("..\\DA000013_1_1_1.jpg", "unsafe_path", {"reason": "parent"}),
        ("/etc/passwd", "unsafe_path", {"reason": "absolute"}),
        ("\\etc\\passwd", "unsafe_path", {"reason": "absolute"}),
        ("C:\\Windows\\win.ini", "unsafe_path", {"reason": "absolute"}),
        ("DA000013_1_1_1.jpg\0.png", "unsafe_path", {"reason": "nul"}),
    ],
)
def test_read_member_forged_path(path, code, params):
    zipped = make_zip(
        [
            *good_entries(),
            ("__MACOSX/._DA000013_1_1_1.jpg", b"junk"),
            ("scans/", b""),
            ("scans/.DS_Store", b"junk"),
        ]
    )
    with pytest.raises(BulkImportError) as info:
        read_member(zipped, path)
    assert (info.value.code, info.value.params) == (code, {"path": path, **params})


@pytest.mark.parametrize("path", [None, 3, b"DA000013_1_1_1.jpg"])
def test_read_member_path_not_a_string(path):
    with pytest.raises(BulkImportError) as info:
        read_member(make_zip(good_entries()), path)
    assert info.value.code == "no_such_member"


def test_read_member_of_a_bad_zip():
    data = make_zip(good_entries())
    for bad, code in [
        (b"", "zip_empty"),
        (data[:-1], "zip_truncated"),
        (page(), "not_a_zip"),
    ]:
        with pytest.raises(BulkImportError) as info:
            read_member(bad, GOOD_PATHS[0])
        assert info.value.code == code


# ------------------------------------------------------ every code, a message


def _string_codes(path, callers):
    """Return the string codes given to ``callers`` (e.g. _MemberError) in a file.

    The variants mutation testing writes beside each function (``__mutmut_``)
    are left out: they hold the broken codes on purpose.
    """
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    mutants = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and "__mutmut_" in node.name
    ]
    for node in mutants:
        node.body = []
    return {
        arg.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in callers
        for arg in node.args
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
    }


def bulk_import_codes():
    """Every code bulk_import can give: its own, and those of scans.identify."""
    own = _string_codes(
        bulk_import.__file__, {"_MemberError", "BulkImportError", "PlanError"}
    )
    return own | _string_codes(scans.__file__, {"ScanError"})


def lib_messages_source():
    return (ADDON / "tools" / "lib_messages.py").read_text(encoding="utf-8")


def message_codes():
    """The codes of the message table of lib_messages.py (read, not imported)."""
    tree = ast.parse(lib_messages_source())
    (table,) = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and [getattr(target, "id", None) for target in node.targets] == ["messages"]
    ]
    return {key.value for key in table.keys}


class UntranslatedEnv:
    """The one thing lib_error_message uses of an Odoo environment: ``env._``."""

    def _(self, source, *args, **kwargs):
        return source % (args or kwargs) if args or kwargs else source


@functools.cache
def lib_error_message():
    """lib_messages.lib_error_message, compiled alone (without module imports)."""
    tree = ast.parse(lib_messages_source())
    (function,) = [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name == "lib_error_message"
    ]
    namespace = {}
    module = ast.Module(body=[function], type_ignores=[])
    exec(compile(module, "lib_messages.py", "exec"), namespace)
    return namespace["lib_error_message"]


def message(error):
    """The sentence the import wizard shows for an error (as it builds it)."""
    return lib_error_message()(
        UntranslatedEnv(), ArchiveLibError(error.code, **error.params)
    )


def test_every_code_has_a_message():
    codes_ = bulk_import_codes()
    assert {
        "zip_empty",
        "not_a_zip",
        "zip_truncated",
        "zip_damaged",
        "zip_encrypted",
        "zip_too_large",
        "too_many_files",
        "no_such_member",
        "unsafe_path",
        "encrypted",
        "empty",
        "too_large",
        "truncated",
        "unsupported",
        "unreadable",
        "too_many_pixels",
        "member_damaged",
        "size_mismatch",
        "unsupported_compression",
        "zip_bomb",
    } <= codes_
    assert not codes_ - message_codes()


def _bad_inputs():
    """One real bad input of each kind: (label, function giving its error)."""
    good = make_zip(good_entries())

    def member(data, name=BAD, **kwargs):
        return lambda: bad_member_error(data, name, **kwargs)

    def whole(data, **kwargs):
        return lambda: zip_error(data, **kwargs)

    def read(data, path):
        def run():
            with pytest.raises(BulkImportError) as info:
                read_member(data, path)
            return info.value

        return run

    side = math.isqrt(scans.DEFAULT_MAX_PIXELS) + 1
    return {
        "zip_empty": whole(b""),
        "not_a_zip": whole(b"not a zip"),
        "not_a_zip_kind": whole(page()),
        "zip_truncated": whole(good[:-1]),
        "zip_damaged": whole(good.replace(b"PK\x01\x02", b"XXXX")),
        "zip_encrypted": whole(encrypt_flag(good, *GOOD_PATHS)),
        "zip_too_large": whole(good, max_total_bytes=10),
        "too_many_files": whole(good, max_files=1),
        "no_such_member": read(good, "DA000099_1_1_1.jpg"),
        "unsafe_path": read(good, "../DA000013_1_1_1.jpg"),
        "encrypted": read(encrypt_flag(good, GOOD_PATHS[0]), GOOD_PATHS[0]),
        "empty": member(b""),
        "too_large": member(page(), max_file_bytes=len(page()) - 1),
        "truncated": member(page()[:-200]),
        "unsupported": member(b"GIF89a" + b"\0" * 100),
        "unreadable": member(b"\xff\xd8\xff" + b"not a jpeg at all" * 10),
        "too_many_pixels": member(png_1bit(side, side), "DA000012_1_1_1.png"),
        "unsupported_compression": read(
            patch_member(good, GOOD_PATHS[0], method=9), GOOD_PATHS[0]
        ),
    }


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_each_bad_input_reads_as_its_own_clear_sentence():
    sentences = {}
    for label, run in _bad_inputs().items():
        error = run()
        assert error.code == label.removesuffix("_kind"), label
        text = message(error)
        assert not text.startswith("Invalid archive data"), (label, text)
        assert "%(" not in text and "?" not in text, (label, text)
        sentences[label] = text
    # distinct situations, distinct sentences
    assert len(set(sentences.values())) == len(sentences)
    # the sentences name what the user needs to fix it
    good = make_zip(good_entries())
    total = sum(len(data) for _name, data in good_entries())
    assert "JPEG file" in sentences["not_a_zip_kind"]
    assert f"after {len(good) - 1} bytes" in sentences["zip_truncated"]
    assert f"{total} bytes; the limit is 10" in sentences["zip_too_large"]
    assert "(2; the limit is 1)" in sentences["too_many_files"]
    assert "DA000099_1_1_1.jpg" in sentences["no_such_member"]
    assert (
        f"({len(page())} bytes; the limit is {len(page()) - 1})"
        in (sentences["too_large"])
    )
    assert "method 9" in sentences["unsupported_compression"]
