"""Bulk import of page images from a zip file: check everything, then plan.

Each file of the zip is one page of one material, named after the naming
convention, either flat::

    DA000012_4-1_3_1.jpg        archive number _ category _ material _ page

or one folder per dossier (anywhere in the zip, e.g. under a top folder)::

    scans/DA000012/4-1_3_1.jpg  archive number / category _ material _ page

where the material number is the 顺序号 and pages count from 1.  Extensions:
jpg, jpeg, png, tif, tiff, pdf (any case); the content is checked by
:func:`scans.identify`, never trusted from the name.  ``__MACOSX/``, hidden
files and folders (``.DS_Store``), ``Thumbs.db``, ``desktop.ini`` and
directories are ignored.

:func:`plan_zip` reads nothing to disk.  It returns the pages that can be
imported and a :class:`PlanError` for every file that cannot; a material is
imported whole or not at all, so when one of its pages fails (or is missing
or doubled) every other page of it fails with ``page_gap``.

Zip bombs: a member is refused when it would expand more than
MAX_COMPRESSION_RATIO times (members above ZIP_BOMB_MIN_BYTES), when its
declared size is above the limits, or when its data is shorter than declared
(``size_mismatch``); ``zipfile`` never returns more than the declared size
(longer data fails its CRC check and is ``member_damaged``).

Every failure has its own code, so that the user is told what is wrong (the
Odoo layer translates the codes, see ``tools/lib_messages.py``):

* the zip as a whole (:class:`BulkImportError`): ``zip_empty`` (nothing
  uploaded), ``not_a_zip`` (``kind``: what it looks like instead, or ''),
  ``zip_truncated`` (a zip cut short: incomplete upload or copy),
  ``zip_damaged``, ``zip_encrypted`` (every file of the zip is
  password-protected), ``zip_too_large`` (``size``, ``max``) and
  ``too_many_files`` (``count``, ``max``);
* one file of the zip (:class:`PlanError`): its name (``unsafe_path``,
  ``bad_extension``, ``bad_name``, ``bad_category_code``), the zip's record
  of it (``encrypted``, ``too_large``, ``zip_bomb``, ``size_mismatch``,
  ``member_damaged``, ``unsupported_compression``), then its content, with
  the code of :func:`scans.identify` as is (``empty``, ``too_large``,
  ``unsupported``, ``truncated``, ``unreadable``, ``too_many_pixels``...);
  ``duplicate_page`` and ``page_gap`` for the material it belongs to.
"""

import hashlib
import io
import posixpath
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from .errors import ArchiveLibError, NumberingError, ScanError
from .numbering import category_sort_key
from .scans import identify

DEFAULT_MAX_FILES = 20000
DEFAULT_MAX_TOTAL_BYTES = 4 * 1024**3
DEFAULT_MAX_FILE_BYTES = 50 * 1024**2
MAX_COMPRESSION_RATIO = 200  # scans hardly compress (JPEG, PNG, PDF): ~1-10
ZIP_BOMB_MIN_BYTES = 1024**2  # smaller members may compress well, harmlessly

EXTENSIONS = frozenset({"jpg", "jpeg", "png", "tif", "tiff", "pdf"})
IGNORED_DIRS = frozenset({"__MACOSX"})
IGNORED_FILES = frozenset({"thumbs.db", "desktop.ini"})

_NUMBER = r"0*[1-9][0-9]{0,5}"  # 1 .. 999999, leading zeros allowed
_ARCHIVE_NUMBER = r"[^\s_/\\]+"
_FLAT_RE = re.compile(
    rf"(?P<archive>{_ARCHIVE_NUMBER})_(?P<category>[^_]+)"
    rf"_(?P<material>{_NUMBER})_(?P<page>{_NUMBER})"
)
_FOLDER_RE = re.compile(
    rf"(?P<category>[^_]+)_(?P<material>{_NUMBER})_(?P<page>{_NUMBER})"
)
_ARCHIVE_NUMBER_RE = re.compile(_ARCHIVE_NUMBER)
_DRIVE_RE = re.compile(r"[A-Za-z]:")
_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_READ_CHUNK = 1024**2
# Signatures a zip starts with: a local file header, or the marker of a
# split archive.  A file that starts so but has no central directory at its
# end was cut short.
_ZIP_STARTS = (b"PK\x03\x04", b"PK\x07\x08")
# What people upload instead of a zip, told by its first bytes.
_OTHER_KINDS = (
    (b"Rar!\x1a\x07", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"%PDF-", "PDF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office"),
)
# What zipfile raises on a damaged archive or member.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    struct.error,
    NotImplementedError,  # compression method not supported
    RuntimeError,  # encrypted member
)


class BulkImportError(ArchiveLibError):
    """The zip as a whole cannot be imported (not a zip, too big, no member).

    :func:`read_member` raises it too, with the code of the file it reads.
    """


@dataclass(frozen=True)
class PlannedPage:
    """A checked file of the zip: page ``page`` of material ``material_number``."""

    path: str
    archive_number: str
    category_code: str
    material_number: int
    page: int
    size: int
    sha256: str

    @property
    def material_key(self) -> tuple[str, str, int]:
        """Return (archive number, category code, material number)."""
        return (self.archive_number, self.category_code, self.material_number)


@dataclass(frozen=True)
class PlanError:
    """A file of the zip that will not be imported, and why (code + params)."""

    path: str
    code: str
    params: dict = field(default_factory=dict)


class _MemberError(Exception):
    """Internal: a member fails with a PlanError code and params.

    ``key`` and ``page`` tell which page of which material failed, once the
    member's name is known to be right.
    """

    def __init__(self, code, /, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params
        self.key = None
        self.page = None


# ----------------------------------------------------------------- names


def _decoded_name(info: zipfile.ZipInfo) -> str:
    """Return the member name, re-decoded when the zip did not flag UTF-8.

    Without the flag zipfile decodes names as cp437; zips made on Chinese
    Windows use GBK, others UTF-8 without saying so.
    """
    name = info.filename
    if info.flag_bits & _UTF8_FLAG or name.isascii():
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def _member_path(info: zipfile.ZipInfo) -> str:
    """Return the member's path with ``/`` separators (zips from Windows use ``\\``)."""
    return _decoded_name(info).replace("\\", "/")


def _is_ignored(path: str) -> bool:
    parts = [part for part in path.split("/") if part]
    if not parts or path.endswith("/"):
        return True  # a directory
    if any(part in IGNORED_DIRS for part in parts):
        return True
    if parts[-1].lower() in IGNORED_FILES:
        return True
    return any(part.startswith(".") and part not in (".", "..") for part in parts)


def _unsafe_path_reason(path: str) -> str | None:
    """Return why a path is unsafe ('nul', 'absolute', 'parent'), or None."""
    path = path.replace("\\", "/")
    if "\0" in path:
        return "nul"
    if path.startswith("/") or _DRIVE_RE.match(path):
        return "absolute"
    if ".." in path.split("/"):
        return "parent"
    return None


def _unsafe_reason(path: str, info: zipfile.ZipInfo) -> str | None:
    """Return why a member is unsafe ('absolute', 'parent', 'symlink'...), or None."""
    reason = _unsafe_path_reason(path)
    if reason:
        return reason
    if stat.S_ISLNK(info.external_attr >> 16):
        return "symlink"
    return None


def _parse_name(path: str, category_codes: frozenset[str] | None) -> tuple:
    """Return (archive number, category code, material number, page) of a path."""
    folder, _, name = path.rpartition("/")
    stem, dot, extension = name.rpartition(".")
    if not dot or extension.lower() not in EXTENSIONS:
        raise _MemberError("bad_extension", extension=extension.lower() if dot else "")
    match = _FLAT_RE.fullmatch(stem)
    if match:
        archive_number = match["archive"]
    else:
        match = _FOLDER_RE.fullmatch(stem)
        archive_number = posixpath.basename(folder)
        if not match or not _ARCHIVE_NUMBER_RE.fullmatch(archive_number):
            raise _MemberError("bad_name", name=name)
    code = match["category"]
    try:
        category_sort_key(code)
    except NumberingError:
        raise _MemberError("bad_category_code", code=code) from None
    if category_codes is not None and code not in category_codes:
        raise _MemberError("bad_category_code", code=code)
    return archive_number, code, int(match["material"]), int(match["page"])


# --------------------------------------------------------------- content


def _check_sizes(info: zipfile.ZipInfo, max_file_bytes: int) -> None:
    if info.flag_bits & _ENCRYPTED_FLAG:
        raise _MemberError("encrypted")
    if info.file_size > ZIP_BOMB_MIN_BYTES:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > MAX_COMPRESSION_RATIO:
            raise _MemberError(
                "zip_bomb",
                reason="ratio",
                ratio=round(ratio),
                max=MAX_COMPRESSION_RATIO,
            )
    if info.file_size > max_file_bytes:
        raise _MemberError("too_large", size=info.file_size, max=max_file_bytes)


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Return the member's data; _MemberError when damaged or not as declared."""
    chunks = []
    size = 0
    try:
        with zf.open(info) as member:
            while size <= info.file_size:
                chunk = member.read(min(_READ_CHUNK, info.file_size + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except NotImplementedError as exc:
        raise _MemberError(
            "unsupported_compression", method=info.compress_type
        ) from exc
    except _ZIP_ERRORS as exc:
        raise _MemberError("member_damaged", reason=type(exc).__name__) from exc
    if size != info.file_size:
        raise _MemberError("size_mismatch", declared=info.file_size, actual=size)
    return b"".join(chunks)


def _check_scan(data: bytes, max_file_bytes: int) -> None:
    """Check the content; a ScanError becomes a member error of the same code."""
    try:
        identify(data, max_bytes=max_file_bytes)
    except ScanError as exc:
        raise _MemberError(exc.code, **exc.params) from None


def _other_kind(data: bytes) -> str:
    """Return what a file that is not a zip looks like ('RAR', 'PDF'...), or ''."""
    for magic, kind in _OTHER_KINDS:
        if data.startswith(magic):
            return kind
    return ""


def _open_zip(data: bytes) -> zipfile.ZipFile:
    """Open the zip; BulkImportError with a code saying why it cannot be."""
    data = bytes(data or b"")
    if not data:
        raise BulkImportError("zip_empty")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as exc:
        message = str(exc)
        if isinstance(exc, zipfile.BadZipFile) and "not a zip file" in message:
            # no end of central directory record: not a zip, or a zip cut short
            if data.startswith(_ZIP_STARTS):
                raise BulkImportError("zip_truncated", size=len(data)) from exc
            raise BulkImportError("not_a_zip", kind=_other_kind(data)) from exc
        if "truncated" in message.lower():
            raise BulkImportError("zip_truncated", size=len(data)) from exc
        raise BulkImportError("zip_damaged", reason=type(exc).__name__) from exc


def _candidates(zf: zipfile.ZipFile) -> list[tuple[str, zipfile.ZipInfo]]:
    """Return (path, info) of the members that are not ignored."""
    members = []
    for info in zf.infolist():
        path = _member_path(info)
        if info.is_dir() or _is_ignored(path):
            continue
        members.append((path, info))
    return members


def _check_archive(members, max_files: int, max_total_bytes: int) -> None:
    if len(members) > max_files:
        raise BulkImportError("too_many_files", count=len(members), max=max_files)
    total = sum(info.file_size for _path, info in members)
    if total > max_total_bytes:
        raise BulkImportError("zip_too_large", size=total, max=max_total_bytes)
    if members and all(info.flag_bits & _ENCRYPTED_FLAG for _path, info in members):
        # a password-protected zip: one message rather than one per file
        # (when only some files are encrypted, each of them is an error)
        raise BulkImportError("zip_encrypted", count=len(members))


# ------------------------------------------------------------------ plan


def _plan_member(zf, path, info, max_file_bytes, category_codes):
    """Return (key, PlannedPage) of a member; _MemberError(key) when it fails."""
    reason = _unsafe_reason(path, info)
    if reason:
        raise _MemberError("unsafe_path", reason=reason)
    archive_number, code, number, page = _parse_name(path, category_codes)
    key = (archive_number, code, number)
    try:
        _check_sizes(info, max_file_bytes)
        content = _read(zf, info)
        _check_scan(content, max_file_bytes)
    except _MemberError as exc:
        exc.key, exc.page = key, page
        raise
    return PlannedPage(
        path=path,
        archive_number=archive_number,
        category_code=code,
        material_number=number,
        page=page,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _material_params(key) -> dict:
    archive_number, code, number = key
    return {
        "archive_number": archive_number,
        "category_code": code,
        "material_number": number,
    }


def _settle_materials(planned, failed_pages):
    """Apply duplicates and all-or-nothing per material.

    ``failed_pages`` maps a material key to the pages that failed.  Return
    (pages to import, errors).
    """
    by_key: dict[tuple, dict[int, list[PlannedPage]]] = {}
    for page in planned:
        by_key.setdefault(page.material_key, {}).setdefault(page.page, []).append(page)
    for key in failed_pages:
        by_key.setdefault(key, {})
    pages, errors = [], []
    for key, by_page in by_key.items():
        failed = set(failed_pages.get(key, ()))
        for number, doubles in by_page.items():
            if len(doubles) > 1:
                failed.add(number)
                paths = sorted(p.path for p in doubles)
                errors.extend(
                    PlanError(
                        p.path,
                        "duplicate_page",
                        {**_material_params(key), "page": number, "paths": paths},
                    )
                    for p in doubles
                )
        good = {n: doubles[0] for n, doubles in by_page.items() if n not in failed}
        last = max([*good, *failed], default=0)
        missing = sorted(set(range(1, last + 1)) - set(good))
        if not missing:
            pages.extend(good.values())
            continue
        errors.extend(
            PlanError(
                page.path, "page_gap", {**_material_params(key), "missing": missing}
            )
            for page in good.values()
        )
    return pages, errors


def plan_zip(
    data: bytes,
    *,
    max_files: int = DEFAULT_MAX_FILES,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    category_codes: Iterable[str] | None = None,
) -> tuple[list[PlannedPage], list[PlanError]]:
    """Check every file of a zip of page images; return (pages, errors).

    Pages come sorted by archive number, category, material and page; errors
    by path.  ``category_codes`` (e.g. the 18 leaf categories), when given,
    are the only codes accepted.  Raise BulkImportError: ('zip_empty') for
    no data, ('not_a_zip', kind=) for data that is not a zip,
    ('zip_truncated', size=) for a zip cut short, ('zip_damaged', reason=),
    ('zip_encrypted', count=) when every file is password-protected,
    ('too_many_files', count=, max=) and ('zip_too_large', size=, max=) when
    the declared sizes of its files add up to more than ``max_total_bytes``.
    """
    codes = None if category_codes is None else frozenset(category_codes)
    with _open_zip(data) as zf:
        members = _candidates(zf)
        _check_archive(members, max_files, max_total_bytes)
        planned, errors = [], []
        failed_pages: dict[tuple, list[int]] = {}
        for path, info in members:
            try:
                planned.append(_plan_member(zf, path, info, max_file_bytes, codes))
            except _MemberError as exc:
                errors.append(PlanError(path, exc.code, exc.params))
                if exc.key is not None:
                    failed_pages.setdefault(exc.key, []).append(exc.page)
    pages, material_errors = _settle_materials(planned, failed_pages)
    pages.sort(key=_page_sort_key)
    errors = sorted([*errors, *material_errors], key=lambda e: (e.path, e.code))
    return pages, errors


def _page_sort_key(page: PlannedPage):
    return (
        page.archive_number,
        category_sort_key(page.category_code),
        page.material_number,
        page.page,
    )


def group_materials(
    pages: Iterable[PlannedPage],
) -> dict[tuple[str, str, int], list[PlannedPage]]:
    """Return {(archive number, category code, material number): pages by page}.

    The materials come in archive number, category and material order.
    """
    groups: dict[tuple[str, str, int], list[PlannedPage]] = {}
    for page in sorted(pages, key=_page_sort_key):
        groups.setdefault(page.material_key, []).append(page)
    return groups


def read_member(
    data: bytes, path: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES
) -> bytes:
    """Return the content of the file at ``path`` (as given in a PlannedPage).

    ``path`` may come from a user (a forged form): it is checked first.
    Raise BulkImportError: the zip's codes of :func:`plan_zip` ('zip_empty',
    'not_a_zip', 'zip_truncated', 'zip_damaged'); ('unsafe_path', path=,
    reason=) for an absolute path, one with '..' or a link;
    ('no_such_member', path=) when no single file (not a folder, not an
    ignored file) has that path; and as :func:`plan_zip` does for the file:
    ('encrypted'), ('too_large', size=, max=), ('zip_bomb', ...),
    ('size_mismatch', ...), ('member_damaged', reason=) or
    ('unsupported_compression', method=), all with path=.  The content is
    not checked again (:func:`plan_zip` did).
    """
    if not isinstance(path, str):
        raise BulkImportError("no_such_member", path=str(path))
    reason = _unsafe_path_reason(path)
    if reason:
        raise BulkImportError("unsafe_path", path=path, reason=reason)
    with _open_zip(data) as zf:
        infos = [info for info in zf.infolist() if _member_path(info) == path]
        if len(infos) != 1 or infos[0].is_dir() or _is_ignored(path):
            raise BulkImportError("no_such_member", path=path)
        (info,) = infos
        try:
            reason = _unsafe_reason(path, info)
            if reason:
                raise _MemberError("unsafe_path", reason=reason)
            _check_sizes(info, max_bytes)
            return _read(zf, info)
        except _MemberError as exc:
            raise BulkImportError(exc.code, path=path, **exc.params) from None
