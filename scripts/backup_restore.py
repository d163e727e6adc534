"""Back up a cadre_archive database with its scans; restore one and verify it.

Run by ``scripts/backup`` and ``scripts/restore`` with the Python of Odoo 19
(they find it as ``scripts/test`` does); not imported by the addon.

    backup_restore.py backup  --db NAME --output FILE.zip [ODOO OPTIONS...]
    backup_restore.py restore --db NEW FILE.zip [--copy] [--neutralize] [ODOO OPTS...]
    backup_restore.py verify  --db NAME [ODOO OPTIONS...]

The backup is Odoo's own dump format (what the database manager and ``odoo db
dump`` write, what ``odoo db load`` reads): a zip holding ``dump.sql``
(pg_dump, plain SQL), ``filestore/`` and ``manifest.json``. Unlike Odoo's own
dump, which copies the filestore before it runs pg_dump, the database is
dumped from one exported snapshot and every file that snapshot refers to is
then copied and checked: a scan uploaded during the backup cannot be in the
dump without its file. The zip is written beside FILE and renamed onto it
once complete, so a failed backup leaves no half file.

``restore`` creates the new database from a backup (refusing a name in use)
and, if anything fails, drops what it created. Then, like ``verify``, it reads
every stored file of the new database and compares it with the checksums the
database holds: Odoo's own SHA-1 (``checksum``) of every attachment and the
archive's SHA-256 baseline (``archive_sha256``) of every scan. The exit code
is 0 only when every file is there and unchanged.
"""

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

import odoo
from odoo.modules.registry import Registry
from odoo.service import db as db_service
from odoo.tools import config, osutil
from odoo.tools.misc import exec_pg_environ, find_pg_tool

EXIT_BAD_FILES = 3  # the backup or the restored database lacks or alters a file


def _in_object_store(store_fname: str) -> bool:
    """A file kept in an object store (OCA fs_attachment: ``<code>://<path>``),
    not in the file store: backed up with its bucket, read through Odoo."""
    code, sep, path = store_fname.partition("://")
    return bool(sep and code and path)


def _say(message: str) -> None:
    print(f"[cadre_archive] {message}", file=sys.stderr, flush=True)


def _parse(argv):
    parser = argparse.ArgumentParser(prog="backup_restore.py")
    sub = parser.add_subparsers(dest="command", required=True)
    backup = sub.add_parser("backup")
    backup.add_argument("--db", required=True)
    backup.add_argument("--output", required=True)
    restore = sub.add_parser("restore")
    restore.add_argument("--db", required=True)
    restore.add_argument("dump_file")
    restore.add_argument("--copy", action="store_true")
    restore.add_argument("--neutralize", action="store_true")
    verify = sub.add_parser("verify")
    verify.add_argument("--db", required=True)
    return parser.parse_known_args(argv)


def _setup_odoo(odoo_args) -> None:
    config.parse_config(odoo_args, setup_logging=True)
    config["list_db"] = True  # the db service's functions check it


# ------------------------------------------------------------------ backup


def _referenced_files(cr) -> list[str]:
    cr.execute(
        "SELECT DISTINCT store_fname FROM ir_attachment"
        " WHERE store_fname IS NOT NULL AND store_fname != ''"
        " ORDER BY store_fname"
    )
    return [row[0] for row in cr.fetchall()]


def _dump_sql(db_name: str, snapshot: str, path: str) -> None:
    command = [
        find_pg_tool("pg_dump"),
        "--no-owner",
        f"--snapshot={snapshot}",
        f"--file={path}",
        db_name,
    ]
    result = subprocess.run(
        command, env=exec_pg_environ(), capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise RuntimeError(f"pg_dump failed: {result.stderr.strip()}")


def _copy_filestore(db_name: str, files: list[str], target: str) -> list[str]:
    """Copy the whole filestore; return the referenced files it lacks."""
    source = config.filestore(db_name)
    if os.path.isdir(source):
        shutil.copytree(source, target)
    else:
        os.makedirs(target)
    return [name for name in files if not os.path.isfile(os.path.join(target, name))]


def backup(db_name: str, output: str) -> int:
    output = os.path.abspath(output)
    if not db_service.exp_db_exist(db_name):
        _say(f"no database {db_name!r}")
        return 2
    connection = odoo.sql_db.db_connect(db_name)
    with tempfile.TemporaryDirectory() as work, connection.cursor() as cr:
        # one snapshot for pg_dump and for the list of files the dump refers to
        cr.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cr.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cr.fetchone()
        files = _referenced_files(cr)
        objects = [name for name in files if _in_object_store(name)]
        files = [name for name in files if not _in_object_store(name)]
        manifest = db_service.dump_db_manifest(cr)
        _dump_sql(db_name, snapshot, os.path.join(work, "dump.sql"))
        missing = _copy_filestore(db_name, files, os.path.join(work, "filestore"))
        with open(os.path.join(work, "manifest.json"), "w") as handle:
            json.dump(manifest, handle, indent=4)
        partial = f"{output}.part-{os.getpid()}"
        try:
            with open(partial, "wb") as stream:
                osutil.zip_dir(
                    work,
                    stream,
                    include_dir=False,
                    fnct_sort=lambda name: name != "dump.sql",
                )
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(partial, output)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial)
    _say(
        f"backup of {db_name}: {output} ({os.path.getsize(output)} bytes,"
        f" {len(files)} stored files)"
    )
    if objects:
        _say(
            f"{len(objects)} files are kept in an object store, not in this backup:"
            " back up the bucket with it (README.md, Several machines)"
        )
    if missing:
        _say(f"{len(missing)} files the database refers to are not in its filestore:")
        for name in missing:
            _say(f"  missing: {name}")
        return EXIT_BAD_FILES
    return 0


# ----------------------------------------------------------------- restore


def _check_dump(path: str) -> None:
    if not zipfile.is_zipfile(path):
        raise ValueError(f"{path} is not a backup (a zip with dump.sql)")
    with zipfile.ZipFile(path) as archive:
        if "dump.sql" not in archive.namelist():
            raise ValueError(f"{path} holds no dump.sql: not a backup of Odoo")


def _check_restored(db_name: str) -> None:
    """Raise unless ``db_name`` is an Odoo database now.

    Odoo's restore_db runs the dump's SQL with psql, which goes on after an
    error: a dump that is no database still "restores", into an empty one.
    """
    with odoo.sql_db.db_connect(db_name).cursor() as cr:
        cr.execute("SELECT to_regclass('ir_module_module') IS NOT NULL")
        (has_modules,) = cr.fetchone()
        installed = False
        if has_modules:
            cr.execute(
                "SELECT 1 FROM ir_module_module WHERE name = 'base'"
                " AND state = 'installed'"
            )
            installed = bool(cr.fetchone())
    if not installed:
        raise RuntimeError("the backup's dump.sql made no Odoo database")


def restore(db_name: str, dump_file: str, copy: bool, neutralize: bool) -> int:
    if db_service.exp_db_exist(db_name):
        _say(f"database {db_name!r} exists: restore into a new name")
        return 2
    try:
        _check_dump(dump_file)
    except ValueError as error:
        _say(str(error))
        return 2
    try:
        db_service.restore_db(
            db_name, dump_file, copy=copy, neutralize_database=neutralize
        )
        _check_restored(db_name)
    except Exception as error:
        _say(f"restore failed ({error}); dropping the half-restored {db_name}")
        with contextlib.suppress(Exception):
            db_service.exp_drop(db_name)
        shutil.rmtree(config.filestore(db_name), ignore_errors=True)
        return 1
    _say(f"restored {dump_file} into {db_name}")
    return verify(db_name)


# ------------------------------------------------------------------ verify


def _stored_bytes(attachment):
    """The bytes of an attachment's file, or None when it is not there.

    A file of an object store is read through Odoo (fs_attachment's
    ``_file_read`` gives no bytes for an object that is gone)."""
    if _in_object_store(attachment.store_fname):
        return attachment._file_read(attachment.store_fname) or None
    try:
        with open(attachment._full_path(attachment.store_fname), "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _verdict(data, sha1, sha256) -> str:
    if data is None:
        return "missing"
    if sha1 and hashlib.sha1(data).hexdigest() != sha1:  # noqa: S324 (Odoo's own)
        return "changed"
    if sha256 and hashlib.sha256(data).hexdigest() != sha256.lower():
        return "changed"
    return "ok"


def _tally(counts: dict) -> str:
    return ", ".join(f"{count} {verdict}" for verdict, count in counts.items())


def verify(db_name: str) -> int:
    """Compare every stored file of ``db_name`` with its checksums; print a count."""
    registry = Registry(db_name)
    counts = {"ok": 0, "missing": 0, "changed": 0}
    scans = {"ok": 0, "missing": 0, "changed": 0}
    bad = []
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.api.SUPERUSER_ID, {})
        attachments = env["ir.attachment"].with_context(active_test=False)
        has_sha256 = "archive_sha256" in attachments._fields
        fields = ["store_fname", "checksum"] + (
            ["archive_sha256"] if has_sha256 else []
        )
        # the files of binary fields too (search leaves them out by default)
        stored = attachments.search(
            [
                ("store_fname", "!=", False),
                "|",
                ("res_field", "=", False),
                ("res_field", "!=", False),
            ]
        )
        for attachment, values in zip(stored, stored.read(fields), strict=True):
            sha256 = values.get("archive_sha256") if has_sha256 else None
            verdict = _verdict(_stored_bytes(attachment), values["checksum"], sha256)
            counts[verdict] += 1
            if sha256:
                scans[verdict] += 1
            if verdict != "ok":
                bad.append((verdict, attachment.id, values["store_fname"]))
    for verdict, attachment_id, name in bad:
        _say(f"  {verdict}: attachment {attachment_id} ({name})")
    _say(
        f"verified {db_name}: {sum(counts.values())} stored files ({_tally(counts)});"
        f" scans with their SHA-256: {sum(scans.values())} ({_tally(scans)})"
    )
    print(json.dumps({"db": db_name, "files": counts, "scans": scans}), flush=True)
    return EXIT_BAD_FILES if bad else 0


def main(argv=None) -> int:
    args, odoo_args = _parse(sys.argv[1:] if argv is None else argv)
    _setup_odoo(odoo_args)
    if args.command == "backup":
        return backup(args.db, args.output)
    if args.command == "restore":
        return restore(args.db, args.dump_file, args.copy, args.neutralize)
    return verify(args.db)


if __name__ == "__main__":
    sys.exit(main())
