"""A file of the store is written whole or not at all, also when the disk fills.

The faults are real: a file size limit (RLIMIT_FSIZE, in a child process) and,
when this runs as root, a 64 KiB tmpfs that fills up.
"""

import errno
import os
import subprocess
import sys
import textwrap

import pytest
from cadre_archive_lib import storage


def leftovers(directory):
    return sorted(
        name for name in os.listdir(directory) if name.startswith(storage.TEMP_PREFIX)
    )


def test_write_whole(tmp_path):
    path = str(tmp_path / "ab" / "abcdef")
    os.makedirs(os.path.dirname(path))
    data = b"\xff\xd8\xff scan " * 1000
    storage.write_whole(path, data)
    with open(path, "rb") as handle:
        assert handle.read() == data
    assert leftovers(os.path.dirname(path)) == []


def test_is_no_space():
    assert storage.is_no_space(OSError(errno.ENOSPC, "No space left on device"))
    assert storage.is_no_space(OSError(errno.EFBIG, "File too large"))
    assert not storage.is_no_space(OSError(errno.EACCES, "Permission denied"))
    assert not storage.is_no_space(OSError("no errno"))


CHILD = textwrap.dedent(
    """
    import os, resource, signal, sys
    sys.path[:0] = {paths!r}
    import conftest  # loads cadre_archive_lib
    from cadre_archive_lib import storage
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
    path = sys.argv[1]
    try:
        storage.write_whole(path, b"x" * 100000)
    except OSError as error:
        print(error.errno, storage.is_no_space(error))
    else:
        print("written")
    """
)


def test_a_file_size_limit_leaves_nothing_half_written(tmp_path):
    """A real write error half way (EFBIG past RLIMIT_FSIZE): refused, the
    final name never appears, no temporary file stays."""
    here = os.path.dirname(os.path.abspath(__file__))
    code = CHILD.format(paths=[here])
    path = tmp_path / "scan"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.split() == [str(errno.EFBIG), "True"], result.stderr
    assert not path.exists()
    assert leftovers(tmp_path) == []


@pytest.fixture
def small_tmpfs(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mount = tmp_path / "full"
    mount.mkdir()
    done = subprocess.run(  # noqa: S603
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],  # noqa: S607
        capture_output=True,
        check=False,
    )
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)  # noqa: S603,S607


def test_a_full_disk_refuses_and_keeps_what_was_there(small_tmpfs):
    """A real full disk: the write fails with ENOSPC, the earlier file of the
    same name is untouched and nothing else is left."""
    path = small_tmpfs / "scan"
    path.write_bytes(b"earlier")
    with pytest.raises(OSError) as caught:
        storage.write_whole(str(path), os.urandom(256 * 1024))
    assert storage.is_no_space(caught.value)
    assert path.read_bytes() == b"earlier"
    assert leftovers(small_tmpfs) == []


@pytest.mark.parametrize(
    ("store_fname", "expected"),
    [
        ("s3://ab/abcdef0123", True),  # fs_attachment: <storage code>://<path>
        ("scans://ab/cd/abcd.jpg", True),
        ("ab/abcdef0123", False),  # Odoo's own file store: a relative path
        ("", False),
        (None, False),
        ("://ab/abcdef", False),  # no storage code
        ("s3://", False),  # no path
    ],
)
def test_object_store_fnames(store_fname, expected):
    assert storage.is_object_store_fname(store_fname) is expected
