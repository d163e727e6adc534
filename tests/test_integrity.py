import hashlib

import pytest
from cadre_archive_lib.integrity import IntegrityError, sha256_hex, verify

EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_sha256_hex():
    assert sha256_hex(b"") == EMPTY_SHA256
    assert sha256_hex(b"abc") == hashlib.sha256(b"abc").hexdigest()
    assert sha256_hex(bytearray(b"abc")) == sha256_hex(memoryview(b"abc"))
    assert len(sha256_hex(b"x" * 1000)) == 64


def test_verify_ok():
    data = b"\xff\xd8\xff scan"
    assert verify(sha256_hex(data), data) == "ok"
    assert verify(sha256_hex(data).upper(), data) == "ok"
    assert verify(EMPTY_SHA256, b"") == "ok"


def test_verify_changed():
    data = b"\xff\xd8\xff scan"
    assert verify(sha256_hex(data), data + b"\0") == "changed"
    assert verify(sha256_hex(data), b"") == "changed"
    flipped = bytes([data[0] ^ 1]) + data[1:]
    assert verify(sha256_hex(data), flipped) == "changed"


def test_verify_missing():
    assert verify(EMPTY_SHA256, None) == "missing"


@pytest.mark.parametrize(
    "checksum",
    ["", "abc", EMPTY_SHA256[:-1], EMPTY_SHA256 + "0", "g" * 64, None, b"0" * 64],
)
def test_verify_bad_checksum(checksum):
    with pytest.raises(IntegrityError) as info:
        verify(checksum, b"data")
    assert info.value.code == "bad_checksum"
    assert info.value.params == {"checksum": checksum}
