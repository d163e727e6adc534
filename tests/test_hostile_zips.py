"""Hostile zips for the bulk import (Hypothesis).

Any member names (zip-slip paths, drive letters, NUL, links, names in any
script), damaged and cut-short zips and zip bombs go through
``bulk_import.plan_zip`` and ``bulk_import.read_member``. The plan must put
every member in exactly one of its two lists (pages to import, errors), never
plan a page whose name could write outside the import, refuse bombs before
inflating them, and raise nothing but BulkImportError for the zip as a whole.
"""

import io
import string
import struct
import zipfile
import zlib

import pytest
from cadre_archive_lib import bulk_import
from cadre_archive_lib.bulk_import import BulkImportError
from hypothesis import example, given
from hypothesis import strategies as st
from PIL import Image


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (32, 32), "white").save(buffer, format="JPEG")
    return buffer.getvalue()


JPEG = _jpeg()
NAME_PARTS = st.sampled_from(
    [
        "DA000012",
        "4-1",
        "1",
        "01",
        "0",
        "_",
        "/",
        "\\",
        "..",
        ".",
        "C:",
        "\0",
        " ",
        "档案",
        "__MACOSX",
        ".hidden",
        "Thumbs.db",
        "a",
        "jpg",
        ".jpg",
        ".pdf",
        "-",
    ]
)
member_names = st.one_of(
    st.lists(NAME_PARTS, min_size=1, max_size=8).map("".join),
    st.text(min_size=1, max_size=30),
)


def make_zip(entries, symlinks=()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.external_attr = 0o120777 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def _is_unsafe(path: str) -> bool:
    path = path.replace("\\", "/")
    return (
        "\0" in path
        or path.startswith("/")
        or (len(path) > 1 and path[1] == ":" and path[0] in string.ascii_letters)
        or ".." in path.split("/")
    )


@given(st.lists(st.tuples(member_names, st.booleans()), min_size=1, max_size=6))
@example([("../../etc/DA1_4-1_1_1.jpg", True)])
@example([("/abs/DA1_4-1_1_1.jpg", True)])
@example([("C:\\x\\DA1_4-1_1_1.jpg", True)])
@example([("DA1/..\\..\\4-1_1_1.jpg", True)])
@example([("DA1_4-1_1_1.jpg\0.png", True)])
def test_every_member_is_planned_or_refused_and_none_escapes(entries):
    zipped = make_zip([(name, JPEG if good else b"junk") for name, good in entries])
    try:
        pages, errors = bulk_import.plan_zip(zipped)
    except BulkImportError as exc:
        assert exc.code in ("zip_damaged", "zip_truncated", "not_a_zip"), exc
        return
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        candidates = {
            bulk_import._member_path(info)
            for info in archive.infolist()
            if not info.is_dir()
            and not bulk_import._is_ignored(bulk_import._member_path(info))
        }
    planned = {page.path for page in pages}
    refused = {error.path for error in errors}
    assert planned | refused == candidates
    assert not planned & refused, "a file is either imported or refused"
    for page in pages:
        assert not _is_unsafe(page.path), page.path
        assert page.page >= 1 and page.material_number >= 1
        assert bulk_import.read_member(zipped, page.path) == JPEG
    for error in errors:
        if _is_unsafe(error.path):
            assert error.code == "unsafe_path"


def test_safe_names_of_both_layouts_are_planned():
    """The property above does plan pages: both naming layouts, read back."""
    zipped = make_zip([("DA1_4-1_1_1.jpg", JPEG), ("top/DA2/4-1_1_1.jpg", JPEG)])
    pages, errors = bulk_import.plan_zip(zipped)
    assert not errors
    assert [(p.archive_number, p.path) for p in pages] == [
        ("DA1", "DA1_4-1_1_1.jpg"),
        ("DA2", "top/DA2/4-1_1_1.jpg"),
    ]


def test_a_symlink_member_is_refused():
    zipped = make_zip([("DA1_4-1_1_1.jpg", JPEG)], symlinks={"DA1_4-1_1_1.jpg"})
    pages, errors = bulk_import.plan_zip(zipped)
    assert not pages
    reasons = [(e.code, e.params["reason"]) for e in errors]
    assert reasons == [("unsafe_path", "symlink")]
    with pytest.raises(BulkImportError) as raised:
        bulk_import.read_member(zipped, "DA1_4-1_1_1.jpg")
    assert raised.value.code == "unsafe_path"


@given(st.one_of(st.text(max_size=40), st.none(), st.integers(), st.binary()))
@example("../DA1_4-1_1_1.jpg")
@example("DA1_4-1_1_1.jpg/")
@example("")
def test_read_member_refuses_any_forged_path(path):
    zipped = make_zip([("DA1_4-1_1_1.jpg", JPEG), (".hidden/DA1_4-1_2_1.jpg", JPEG)])
    try:
        data = bulk_import.read_member(zipped, path)
    except BulkImportError as exc:
        assert exc.code in ("unsafe_path", "no_such_member"), exc
        return
    assert path == "DA1_4-1_1_1.jpg"
    assert data == JPEG


# ------------------------------------------------------- damaged zips


VALID_ZIP = make_zip([("DA1_4-1_1_1.jpg", JPEG), ("DA1_4-1_1_2.jpg", JPEG)])


@given(st.integers(0, len(VALID_ZIP) - 1))
def test_a_zip_cut_short_is_refused_or_planned(cut):
    data = VALID_ZIP[:cut]
    try:
        pages, errors = bulk_import.plan_zip(data)
    except BulkImportError as exc:
        assert exc.code in ("zip_empty", "zip_truncated", "zip_damaged", "not_a_zip")
        return
    assert len(pages) + len(errors) <= 2


@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=10))
@example([(10, 99)])  # the compression method of the first member
@example([(len(VALID_ZIP) - 10, 0xFF), (len(VALID_ZIP) - 9, 0xFF)])
def test_a_zip_with_bytes_overwritten_is_refused_or_planned(changes):
    damaged = bytearray(VALID_ZIP)
    for position, value in changes:
        damaged[position % len(damaged)] = value
    try:
        pages, errors = bulk_import.plan_zip(bytes(damaged))
    except BulkImportError as exc:
        assert exc.code in ("zip_truncated", "zip_damaged", "not_a_zip", "zip_empty")
        return
    for page in pages:
        assert bulk_import.read_member(bytes(damaged), page.path) == JPEG


@given(st.binary(max_size=300))
@example(b"PK\x05\x06" + b"\0" * 18)  # an empty zip
@example(b"PK\x05\x06" + b"\xff" * 18)
def test_random_bytes_are_no_zip(data):
    try:
        pages, errors = bulk_import.plan_zip(data)
    except BulkImportError:
        return
    assert not pages


# -------------------------------------------------------------- bombs


def _bomb(size: int) -> bytes:
    """A zip whose one member inflates ``size`` zero bytes from a few KiB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("DA1_4-1_1_1.jpg", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_without_inflating_it():
    data = _bomb(64 * 1024 * 1024)
    assert len(data) < 200 * 1024
    pages, errors = bulk_import.plan_zip(data)
    assert not pages
    assert [error.code for error in errors] == ["zip_bomb"]
    with pytest.raises(BulkImportError) as raised:
        bulk_import.read_member(data, "DA1_4-1_1_1.jpg")
    assert raised.value.code in ("zip_bomb", "too_large")


def test_a_member_lying_about_its_size_is_refused():
    """A small declared size cannot make zipfile inflate more than declared."""
    data = bytearray(_bomb(8 * 1024 * 1024))
    # rewrite the central directory's uncompressed size of the member to 1 KiB
    end = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, end + 24, 1024)
    pages, errors = bulk_import.plan_zip(bytes(data))
    assert not pages
    assert errors and errors[0].code in ("member_damaged", "size_mismatch", "zip_bomb")


def test_a_zip_of_many_members_is_refused_as_a_whole():
    entries = [(f"DA1_4-1_{n}_1.jpg", b"") for n in range(1, 30)]
    with pytest.raises(BulkImportError) as raised:
        bulk_import.plan_zip(make_zip(entries), max_files=10)
    assert raised.value.code == "too_many_files"


def test_a_deflate_stream_that_never_ends_is_damaged():
    """A member whose compressed data is garbage fails as that member."""
    zipped = bytearray(make_zip([("DA1_4-1_1_1.jpg", zlib.compress(JPEG))]))
    start = zipped.find(b"DA1_4-1_1_1.jpg") + len("DA1_4-1_1_1.jpg")
    zipped[start : start + 20] = b"\xff" * 20
    pages, errors = bulk_import.plan_zip(bytes(zipped))
    assert not pages
    assert errors[0].code in ("member_damaged", "size_mismatch")
