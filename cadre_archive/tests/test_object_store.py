# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Scans kept in an S3 object store through OCA ``fs_attachment_s3``.

cadre_archive does not depend on ``fs_attachment``: a deployment chooses to keep
its scans in an object store. These tests run where the database has
``fs_attachment_s3`` installed and a live S3 server answers at the address in
``CADRE_ARCHIVE_TEST_S3_ENDPOINT`` (``scripts/test --object-store-only`` starts
one on 127.0.0.1); anywhere else they are skipped, saying why.

The addon must work unchanged there: a scan is stored in the bucket (not the
file store) with its checksum, integrity verification reads it back from the
store and tells an altered or removed object, the viewer serves its pages
watermarked, and the bulk import files its scans there too.
"""

import base64
import hashlib
import io
import json
import os
import unittest
import uuid
import zipfile

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import CadreArchiveCase, JsonRpcMixin
from .test_audit_log import LOG_MODEL
from .test_digitization import page_bytes

ENDPOINT_VAR = "CADRE_ARCHIVE_TEST_S3_ENDPOINT"
MATERIAL_XMLID = "cadre_archive.model_cadre_archive_material"


def object_store_unavailable(env):
    """Why the object-store tests cannot run here (None when they can)."""
    if "fs.storage" not in env or "fs_storage_id" not in env["ir.attachment"]._fields:
        return "fs_attachment_s3 is not installed in this database"
    if not os.environ.get(ENDPOINT_VAR):
        return f"no S3 server given ({ENDPOINT_VAR} is not set)"
    return None


@tagged("post_install", "-at_install", "cadre_archive_object_store")
class TestScansInObjectStore(JsonRpcMixin, HttpCase, CadreArchiveCase):
    """The scans of archive materials in an S3 bucket of a live server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        reason = object_store_unavailable(cls.env)
        if reason:
            raise unittest.SkipTest(reason)
        cls.set_passwords()
        cls.bucket = f"cadre-archive-test-{uuid.uuid4().hex[:12]}"
        cls.storage = cls.env["fs.storage"].create(
            {
                "name": "Archive scans (object store)",
                "code": "cadrescans",
                "protocol": "s3",
                "directory_path": cls.bucket,
                "options": json.dumps(
                    {
                        "endpoint_url": os.environ[ENDPOINT_VAR],
                        "key": os.environ.get("CADRE_ARCHIVE_TEST_S3_KEY", "cadre"),
                        "secret": os.environ.get(
                            "CADRE_ARCHIVE_TEST_S3_SECRET", "cadre-secret"
                        ),
                    }
                ),
                # keys are checksums: the store shows no archive number
                "use_filename_obfuscation": True,
                # every attachment of a material (its scans) goes to the bucket
                "model_xmlids": MATERIAL_XMLID,
            }
        )
        cls.s3 = cls.env["fs.storage"]._get_root_filesystem(cls.storage.fs)
        cls.s3.mkdir(cls.bucket)

    def upload(self, material, raw, name="page.jpg"):
        with trap_jobs():
            return self.env["ir.attachment"].create(
                {
                    "name": name,
                    "res_model": "cadre.archive.material",
                    "res_id": material.id,
                    "raw": raw,
                }
            )

    def object_key(self, scan):
        """The scan's key in the bucket (its store_fname is code://path)."""
        code, __, path = scan.store_fname.partition("://")
        self.assertEqual(code, self.storage.code, "the scan is in the object store")
        return f"{self.bucket}/{path}"

    def read_object(self, scan):
        """The object as the S3 server holds it, read past Odoo."""
        self.s3.invalidate_cache()
        with self.s3.open(self.object_key(scan), "rb") as handle:
            return handle.read()

    def filed_scan(self, title):
        material = self.create_material(self.dossier_b, self.cat_appointment, title)
        raw = page_bytes([f"{title} {uuid.uuid4().hex}"])
        scan = self.upload(material, raw)
        self.file_materials(material)
        return material, scan, raw

    def test_scan_is_stored_in_the_bucket_with_its_checksum(self):
        material, scan, raw = self.filed_scan("任免审批表（对象存储）")
        self.assertFalse(
            os.path.exists(scan._full_path(scan.store_fname.partition("://")[2])),
            "nothing of the scan is in the local file store",
        )
        self.assertEqual(self.read_object(scan), raw, "the object is the upload")
        self.assertEqual(scan.archive_sha256, hashlib.sha256(raw).hexdigest())
        self.assertEqual(scan.sudo().raw, raw, "Odoo reads it back from the store")
        self.assertEqual(material.page_ids.mapped("page_number"), [1])

    def test_integrity_reads_the_store_and_tells_altered_and_removed(self):
        material, scan, raw = self.filed_scan("干部履历表（对象存储）")
        result = material.with_user(self.officer_b).action_verify_integrity()
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(scan.archive_integrity, "ok")
        # someone alters the object behind Odoo's back, straight in the bucket
        key = self.object_key(scan)
        with self.s3.open(key, "wb") as handle:
            handle.write(raw[:-16] + b"\x00" * 16)
        self.storage.fs.invalidate_cache()
        result = material.with_user(self.officer_b).action_verify_integrity()
        self.assertEqual(result["params"]["type"], "danger")
        self.assertEqual(scan.archive_integrity, "changed")
        # ... then removes it
        self.s3.rm(key)
        self.storage.fs.invalidate_cache()
        self.env["cadre.archive.material"]._cron_verify_integrity()
        self.assertEqual(scan.archive_integrity, "missing")

    def test_viewer_serves_watermarked_pages_from_the_store(self):
        material, scan, __ = self.filed_scan("学历证明（对象存储）")
        self.login(self.officer_b)
        response = self.url_open(f"/cadre_archive/scan/{scan.id}/page/1")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content[:3], b"\xff\xd8\xff")  # a JPEG
        log = self.env[LOG_MODEL].search(
            [("user_id", "=", self.officer_b.id), ("action", "=", "view")]
        )
        self.assertEqual(len(log), 1, "the page served is logged once")
        # an object gone from the store is said missing, never served
        self.s3.rm(self.object_key(scan))
        self.storage.fs.invalidate_cache()
        response = self.url_open(f"/cadre_archive/scan/{scan.id}/page/1")
        self.assertEqual(response.status_code, 410)
        self.assertIn("is missing from the", response.text)
        self.assertEqual(scan.archive_integrity, "missing")

    def test_officer_of_another_unit_gets_no_page_from_the_store(self):
        __, scan, __ = self.filed_scan("考察材料（对象存储）")
        self.login(self.officer_a)  # keeps unit A, the scan is of unit B
        response = self.url_open(f"/cadre_archive/scan/{scan.id}/page/1")
        self.assertNotEqual(response.status_code, 200)
        self.assertNotEqual(response.content[:3], b"\xff\xd8\xff")

    def test_filed_scans_move_to_the_store_and_back_unchanged(self):
        material = self.create_material(self.dossier_b, self.cat_cv, "履历表（迁移）")
        raw = page_bytes([f"迁移 {uuid.uuid4().hex}"])
        altered_raw = page_bytes([f"受损 {uuid.uuid4().hex}"])
        with trap_jobs():
            # scans kept in the file store, as before the object store came
            local = self.env["ir.attachment"].with_context(storage_location="file")
            scan = local.create(
                {
                    "name": "p1.jpg",
                    "res_model": "cadre.archive.material",
                    "res_id": material.id,
                    "raw": raw,
                }
            )
            altered = local.create(
                {
                    "name": "p2.jpg",
                    "res_model": "cadre.archive.material",
                    "res_id": material.id,
                    "raw": altered_raw,
                }
            )
        self.file_materials(material)
        self.assertTrue(os.path.isfile(scan._full_path(scan.store_fname)))
        with open(altered._full_path(altered.store_fname), "r+b") as handle:
            handle.seek(100)
            handle.write(b"\x00" * 8)
        self.addCleanup(os.remove, altered._full_path(altered.store_fname))
        # fs_attachment's own migration rewrites the file: refused for evidence
        with self.assertRaises(UserError):
            scan.with_context(
                storage_location=self.storage.code
            )._move_attachment_to_store()
        attachments = self.env["ir.attachment"]
        with self.assertRaises(AccessError):
            attachments.with_user(self.officer_b)._archive_move_scans(
                self.storage.code, scan | altered
            )
        counts = attachments._archive_move_scans(self.storage.code, scan | altered)
        self.assertEqual(counts, {"moved": 1, "skipped": 0, "bad": 1})
        self.assertEqual(self.read_object(scan), raw)
        self.assertFalse(altered.store_fname.startswith(self.storage.code))
        self.assertEqual(material.attachment_ids._archive_verify_integrity(), altered)
        # and back to the file store
        counts = attachments._archive_move_scans("file", scan)
        self.assertEqual(counts, {"moved": 1, "skipped": 0, "bad": 0})
        with open(scan._full_path(scan.store_fname), "rb") as handle:
            self.assertEqual(handle.read(), raw)
        self.assertEqual(scan.sudo().raw, raw)

    def test_bulk_import_puts_the_scans_in_the_store(self):
        number = self.dossier_a.name
        pages_ = {
            f"{number}_4-1_1_1.jpg": page_bytes(["学位证书 第1页"], dpi=200),
            f"{number}_4-1_1_2.jpg": page_bytes(["学位证书 第2页"], dpi=200),
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, data in pages_.items():
                archive.writestr(name, data)
        wizard = (
            self.env["cadre.archive.import"]
            .with_user(self.officer_a)
            .create(
                {
                    "zip_file": base64.b64encode(buffer.getvalue()),
                    "zip_name": "scans.zip",
                }
            )
        )
        with trap_jobs():
            wizard.action_dry_run()
            wizard.action_import()
        created = self.env["cadre.archive.material"].search(
            [
                ("dossier_id", "=", self.dossier_a.id),
                ("category_id", "=", self.cat_degree.id),
            ]
        )
        self.assertEqual(len(created.attachment_ids), 2)
        stored = {self.read_object(scan) for scan in created.attachment_ids}
        self.assertEqual(stored, set(pages_.values()))
        for scan in created.attachment_ids:
            self.assertEqual(
                scan.archive_sha256, hashlib.sha256(self.read_object(scan)).hexdigest()
            )
