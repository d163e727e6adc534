"""Writing a file of the file store whole or not at all.

Odoo writes a new attachment's file in place: a disk that fills up (or any
write error) in the middle leaves a truncated file under the name of the
full content's checksum, and the next upload of the same bytes is refused
as colliding with it until the garbage collector removes it. Here a file is
written under a temporary name in the same directory, flushed to disk, then
renamed over its final name, so the final name only ever holds the whole
content; a failed write removes what it wrote.
"""

import contextlib
import errno
import os
import tempfile

# the errors that mean "no room left": the disk, the user's quota, the file size limit
NO_SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})

TEMP_PREFIX = ".cadre-archive-"
TEMP_SUFFIX = ".part"


def write_whole(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all.

    Raise the ``OSError`` of a failed write after removing the temporary
    file; ``path`` is then as it was before.
    """
    fd, temp_path = tempfile.mkstemp(
        dir=os.path.dirname(path) or ".", prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            _write_all(handle, data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_path, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_path)
        raise


def _write_all(handle, data):
    handle.write(data)


def is_no_space(error: OSError) -> bool:
    """Whether ``error`` says the storage has no room left."""
    return getattr(error, "errno", None) in NO_SPACE_ERRNOS


def is_object_store_fname(store_fname: str) -> bool:
    """Whether an attachment's ``store_fname`` names a file of an object store.

    Odoo's file store names a file by a relative path (``ab/abcdef...``); OCA
    ``fs_attachment`` names the files it keeps in a storage
    ``<storage code>://<path>`` (``s3://ab/abcdef...``): there is no local file.
    """
    code, sep, path = (store_fname or "").partition("://")
    return bool(sep and code and path)
