"""Edges of the scan decoder's own checks, each one at its limit.

The header parsers in ``cadre_archive.lib.scans`` decide what Pillow and
poppler are allowed to read; these tests pin their boundaries (counts, sizes,
signedness of the binary fields) so that an off-by-one cannot slip through.
"""

import struct

import pytest
from cadre_archive_lib import scans
from cadre_archive_lib.errors import ScanError
from cadre_archive_lib.scans import DecodeLimits
from test_scans import pdf

# ------------------------------------------------------------------ limits


@pytest.mark.parametrize("name", ["max_pages", "max_page_pixels", "max_total_pixels"])
def test_a_limit_of_one_is_a_limit(name):
    assert getattr(DecodeLimits(**{name: 1}), name) == 1
    with pytest.raises(ScanError):
        DecodeLimits(**{name: 0})


# ------------------------------------------------------ TIFF directories


def _directory(entries, endian="<", next_offset=0):
    """A TIFF directory at offset 0: count, 12-byte entries, next offset."""
    table = b"".join(
        struct.pack(endian + "HHL4s", tag, kind, count, b"\0\0\0\0")
        for tag, kind, count in entries
    )
    return (
        struct.pack(endian + "H", len(entries))
        + table
        + struct.pack(endian + "L", next_offset)
    )


def test_directory_header_fields_are_unsigned():
    data = b"\xff\xff" + b"\0" * 12
    assert scans._tiff_directory(data, 0, "<")[0] == 0xFFFF
    data = _directory([], next_offset=0x80000000)
    assert scans._tiff_directory(data, 0, "<") == (0, 0x80000000)


def test_directory_cut_short():
    assert scans._tiff_directory(b"\0", 0, "<") == (0, None)
    assert scans._tiff_directory(b"\x02\0" + b"\0" * 24, 0, "<") == (2, None)


@pytest.mark.parametrize("endian", ["<", ">"])
def test_directory_entries_up_to_the_limit(endian):
    most = [(256 + i, 3, 1) for i in range(scans._TIFF_MAX_ENTRIES)]
    scans._check_directory(_directory(most, endian), 0, endian)
    too_many = [*most, (9999, 3, 1)]
    with pytest.raises(ScanError, match="unreadable"):
        scans._check_directory(_directory(too_many, endian), 0, endian)


def test_directory_data_up_to_the_limit():
    limit = scans._TIFF_MAX_DIRECTORY_DATA
    # type 1 (BYTE): one byte a value; values of up to 4 bytes sit inline
    scans._check_directory(_directory([(270, 1, limit)]), 0, "<")
    scans._check_directory(
        _directory([(270, 1, limit - 4), (271, 1, 4), (272, 3, 2)]), 0, "<"
    )
    with pytest.raises(ScanError, match="unreadable"):
        scans._check_directory(_directory([(270, 1, limit + 1)]), 0, "<")
    # the values out of the directory add up, whatever their type
    with pytest.raises(ScanError, match="unreadable"):
        scans._check_directory(_directory([(270, 1, limit - 4), (271, 1, 5)]), 0, "<")
    with pytest.raises(ScanError, match="unreadable"):
        scans._check_directory(_directory([(270, 4, limit // 4 + 1)]), 0, "<")


def test_directory_counts_are_unsigned_and_unknown_types_free():
    with pytest.raises(ScanError, match="unreadable"):
        scans._check_directory(_directory([(270, 4, 0xFFFFFFFF)]), 0, "<")
    # a type Pillow skips costs nothing, however many values it claims
    scans._check_directory(_directory([(270, 14, 0xFFFFFFFF)]), 0, "<")


# ------------------------------------------------------------ PDF sizes


def test_a_tiny_pdf_page_is_one_pixel():
    assert scans._points_to_pixels(0.1, 72) == 1
    assert scans._points_to_pixels(72, 300) == 300


def test_pdf_size_of_a_media_box_away_from_the_origin():
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [100 200 712 992] >>"
    data = pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            page,
        ]
    )
    assert scans._pdf_page_sizes(data, 1, 72) == [(612, 792)]


@pytest.mark.parametrize(
    ("actual", "expected", "same"),
    [
        ((100, 200), (100, 200), True),
        ((101, 199), (100, 200), True),
        ((199, 101), (100, 200), True),  # turned
        ((102, 200), (100, 200), False),
        ((100, 202), (100, 200), False),
        ((102, 199), (100, 200), False),
        ((101, 202), (100, 200), False),
    ],
)
def test_is_size_allows_one_pixel_and_a_turn(actual, expected, same):
    assert scans._is_size(actual, expected) is same


def test_directory_reads_its_own_entries_only():
    """What follows the entries (next offset, other data) is not an entry."""
    inline = [(256 + i, 3, 1) for i in range(12)]
    # the next offset and the bytes after it would read as a huge LONG entry
    tail = struct.pack("<LL", 0x00040000, 0xFFFFFFFF) + b"\0" * 8
    data = _directory(inline)[:-4] + tail
    scans._check_directory(data, 0, "<")


def test_directory_cut_inside_an_entry():
    data = _directory([(256, 3, 1), (257, 3, 1)])[: 2 + 12 + 6]
    scans._check_directory(data, 0, "<")
