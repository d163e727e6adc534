# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Faults, with nothing lost (issue 14, item 2), where Odoo's test tools can
stage them; ``scripts/faults`` stages the rest against a real server.

- a worker killed during a job: the job is left ``started`` with its lock
  row free and its transaction undone; queue_job's job runner requeues it
  (its own query, run here) and the re-run completes the work once;
- a scan altered or removed from the file store: the viewer says so plainly;
- the disk full during an upload: refused in plain words, nothing written.
"""

import errno
import os
import shutil
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.jobrunner.runner import Database
from odoo.addons.queue_job.tests.common import trap_jobs

from ..lib import storage
from ..models import cadre_archive_catalog_import as catalog_import_model
from .test_audit_log import LOG_MODEL, ViewerCase
from .test_catalog_import import CatalogImportCase, material, workbook
from .test_digitization import HAS_TESSERACT, DigitizationCase, page_bytes


class WorkerKilled(Exception):
    """Stands for the worker's death in the middle of a job."""


class DeadWorkerMixin:
    def setUp(self):
        super().setUp()
        # jobs queued before the test (the demo scans' OCR) are not the test's
        self.jobs_before = self.env["queue.job"].search([]).ids

    def queued_jobs(self, method_name):
        return self.env["queue.job"].search(
            [
                ("method_name", "=", method_name),
                ("state", "=", "pending"),
                ("id", "not in", self.jobs_before),
            ]
        )

    def start_and_kill(self, job_record, work=None):
        """A worker takes the job (as queue_job's controller does: started,
        lock row), does ``work`` and dies: its transaction is undone."""
        job = Job.load(self.env, job_record.uuid)
        job.set_enqueued()
        job.store()
        job.set_started()
        job.store()
        job.add_lock_record()
        if work:
            with self.assertRaises(WorkerKilled), self.env.cr.savepoint():
                work(job)
                raise WorkerKilled()
        self.env.invalidate_all()
        # the job runner looks for dead jobs only 10 s after they were enqueued
        self.env.cr.execute(
            "UPDATE queue_job SET date_enqueued = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(minutes=1), job_record.id),
        )

    def requeue_dead_jobs(self):
        """queue_job's job runner's own query for dead jobs, on this cursor."""
        self.env.cr.execute(Database.__new__(Database)._query_requeue_dead_jobs())
        self.env.invalidate_all()
        return [uuid for (uuid,) in self.env.cr.fetchall()]

    def run_job(self, job_record):
        """Run a job as queue_job's controller does (no commit in tests)."""
        job = Job.load(self.env, job_record.uuid)
        job.set_enqueued()
        job.set_started()
        job.store()
        RunJobController._try_perform_job(self.env, job)
        RunJobController._enqueue_dependent_jobs(self.env, job)
        self.env.invalidate_all()
        return job


@tagged("post_install", "-at_install")
class TestFaultKilledImport(DeadWorkerMixin, CatalogImportCase):
    def test_import_killed_half_way_completes_on_the_rerun_once(self):
        data = workbook(
            self.rows_of(self.dossier_a, material(2, "干部履历表（二）"))
            + self.rows_of(
                self.dossier_a1,
                material(1, "干部履历表"),
                material(3, "自传", category="1"),
            )
        )
        record = self.new_import(data)
        record.action_dry_run()
        before = self.totals()
        record.action_import()  # real jobs, not trapped
        chunk = self.queued_jobs("_import_chunk")
        self.assertEqual(len(chunk), 1)

        def half_the_chunk(job):
            # the first dossier imported, then the server dies
            record.dossier_line_ids[:1]._import_safely()
            self.assertNotEqual(self.totals(), before)

        self.start_and_kill(chunk, half_the_chunk)
        self.assertEqual(self.totals(), before, "the killed transaction is undone")
        self.assertEqual(set(record.dossier_line_ids.mapped("state")), {"queued"})
        self.assertEqual(chunk.state, "started")

        self.assertEqual(self.requeue_dead_jobs(), [chunk.uuid])
        self.assertEqual((chunk.state, chunk.retry), ("pending", 1))
        self.run_job(chunk)
        self.assertEqual(chunk.state, "done")
        finish = self.env["queue.job"].search([("method_name", "=", "_finish_import")])
        self.assertEqual(finish.state, "pending")
        self.run_job(finish)
        self.assertEqual(record.state, "done")
        self.assertEqual(record.imported_material_count, 3)
        after = self.totals()
        self.assertEqual(after[0], before[0] + 3)
        # a second delivery of the same chunk adds nothing
        self.run_job(chunk)
        self.assertEqual(self.totals(), after)
        numbers = self.dossier_a1.material_ids.mapped("code")
        self.assertEqual(len(numbers), len(set(numbers)), "no duplicate material")


@tagged("post_install", "-at_install")
class TestFaultFailedImportJob(DeadWorkerMixin, CatalogImportCase):
    """A job of a catalog import that fails for good (an error no dossier
    check expects): the import says so and its creator retries the job or
    closes the import without it; nothing is written twice or half."""

    def started_import(self):
        data = workbook(
            self.rows_of(self.dossier_a, material(2, "干部履历表（二）"))
            + self.rows_of(self.dossier_a1, material(1, "干部履历表"))
        )
        record = self.new_import(data)
        record.action_dry_run()
        record.action_import()  # real jobs, not trapped
        return record

    def fail_job(self, job_record, message):
        """Run the job as queue_job's controller does, the dossiers' import
        raising an unexpected error: the job is stored failed."""
        error = RuntimeError(message)
        job = Job.load(self.env, job_record.uuid)
        job.set_enqueued()
        job.set_started()
        job.store()
        dossier_line = type(self.env["cadre.archive.catalog.import.dossier"])
        with (
            patch.object(dossier_line, "_import_dossier", side_effect=error),
            self.assertRaises(RuntimeError),
            self.env.cr.savepoint(),
        ):
            RunJobController._try_perform_job(self.env, job)
        job.set_failed(**RunJobController._get_failure_values(job, "", error))
        job.store()
        self.env.invalidate_all()

    def test_failed_job_is_shown_and_retried_by_the_importer(self):
        before = self.totals()
        record = self.started_import()
        self.assertTrue(record.job_graph_uuid)
        self.assertFalse(record.job_failure)
        chunk = self.queued_jobs("_import_chunk")
        self.fail_job(chunk, "out of memory")
        self.assertEqual(chunk.state, "failed")
        self.assertEqual(record.state, "running")
        self.assertIn("out of memory", record.with_user(self.officer_a).job_failure)
        self.assertEqual(set(record.dossier_line_ids.mapped("state")), {"queued"})
        self.assertEqual(self.totals(), before, "nothing of the failed job is written")
        # only who may change the import retries it
        for user in (self.officer_b, self.requester):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                record.with_user(user).action_retry_failed_jobs()
        self.assertEqual(chunk.state, "failed")
        record.with_user(self.officer_a).action_retry_failed_jobs()
        self.assertEqual(chunk.state, "pending")
        self.assertIn("queued again", record.message_ids[0].body)
        self.run_job(chunk)
        finish = self.queued_jobs("_finish_import")
        self.run_job(finish)
        self.assertEqual(record.state, "done")
        self.assertFalse(record.job_failure)
        self.assertEqual(self.totals()[0], before[0] + 2)
        with self.assertRaises(UserError):
            record.with_user(self.officer_a).action_retry_failed_jobs()

    def test_import_closed_without_its_failed_job(self):
        before = self.totals()
        record = self.started_import()
        with self.assertRaises(UserError):  # nothing failed yet
            record.with_user(self.officer_a).action_close_failed_import()
        chunk = self.queued_jobs("_import_chunk")
        self.fail_job(chunk, "disk quota exceeded")
        with self.assertRaises(AccessError):
            record.with_user(self.officer_b).action_close_failed_import()
        record.with_user(self.officer_a).action_close_failed_import()
        self.assertEqual(record.state, "done_errors")
        self.assertEqual(set(record.dossier_line_ids.mapped("state")), {"failed"})
        self.assertIn("disk quota exceeded", record.dossier_line_ids[0].message)
        graph = [("graph_uuid", "=", record.job_graph_uuid)]
        jobs = self.env["queue.job"].search(graph)
        self.assertEqual(set(jobs.mapped("state")), {"cancelled"})
        self.assertEqual(self.totals(), before)

    def test_import_not_closed_while_a_job_still_runs(self):
        with patch.object(catalog_import_model, "DOSSIERS_PER_JOB", 1):
            record = self.started_import()
        first, second = self.queued_jobs("_import_chunk")
        self.fail_job(first, "out of memory")
        self.assertEqual(second.state, "pending")
        with self.assertRaises(UserError) as refused:
            record.with_user(self.officer_a).action_close_failed_import()
        self.assertIn("still running or waiting", refused.exception.args[0])
        self.assertEqual(record.state, "running")

    def test_job_graph_is_set_by_the_archive_only(self):
        record = self.started_import()
        with self.assertRaises(UserError):
            record.with_user(self.officer_a).write({"job_graph_uuid": "forged"})
        with self.assertRaises(UserError):
            self.new_import(b"x", job_graph_uuid="forged")


@tagged("post_install", "-at_install")
class TestFaultKilledOcr(DeadWorkerMixin, DigitizationCase):
    def test_ocr_job_of_a_killed_worker_is_retried_and_complete(self):
        if not HAS_TESSERACT:
            self.skipTest("tesseract is not installed")
        with trap_jobs():
            scan = self.env["ir.attachment"].create(
                {
                    "name": "page.jpg",
                    "res_model": "cadre.archive.material",
                    "res_id": self.material_a.id,
                    "raw": page_bytes(["干部履历表", "出生日期 1985年03月12日"]),
                }
            )
        page = scan.archive_page_ids
        page._queue_ocr()  # a real job this time
        job = self.queued_jobs("_run_ocr")
        self.assertEqual(len(job), 1)

        def recognise_then_die(__):
            page._run_ocr()
            self.assertEqual(page.ocr_state, "done")

        self.start_and_kill(job, recognise_then_die)
        self.assertEqual(page.ocr_state, "queued", "the killed work is undone")
        self.assertFalse(page.ocr_text)
        self.assertEqual(self.requeue_dead_jobs(), [job.uuid])
        self.assertEqual((job.state, job.retry), ("pending", 1))
        self.run_job(job)
        self.assertEqual(job.state, "done")
        self.assertEqual(page.ocr_state, "done")
        self.assertIn("干部履历表", page.ocr_text)
        self.assertIn("1985年03月12日", page.ocr_text)
        compose = self.queued_jobs("_compose_ocr_text")
        self.assertEqual(len(compose), 1)
        self.run_job(compose)
        self.assertIn("1985年03月12日", self.material_a.ocr_text)

    def test_a_job_killed_too_often_is_failed_not_lost(self):
        with trap_jobs():
            scan = self.attach_scan(self.material_a)
        page = scan.archive_page_ids
        page._queue_ocr()
        job = self.queued_jobs("_run_ocr")
        job.max_retries = 1
        # queue_job's runner compares the retries counted before this death
        # (``retry > max_retries``): the job is run again after the first two
        # deaths, and failed, never left pending for ever, at the third
        for __ in range(2):
            self.start_and_kill(job)
            self.assertEqual(self.requeue_dead_jobs(), [job.uuid])
            self.assertEqual(job.state, "pending")
        self.start_and_kill(job)
        self.requeue_dead_jobs()
        self.assertEqual((job.state, job.exc_name), ("failed", "JobFoundDead"))


@tagged("post_install", "-at_install")
class TestFaultDamagedScan(ViewerCase):
    """A scan missing from the file store or altered: the viewer says so in a
    page of its own (not a server error), records it and alerts the officers."""

    def setUp(self):
        super().setUp()
        self.material = self.create_material(
            self.dossier_b, self.cat_appointment, "任免审批表（受损）", page_count=1
        )
        with trap_jobs():
            self.scan = self.env["ir.attachment"].create(
                {
                    "name": "damaged.jpg",
                    "res_model": "cadre.archive.material",
                    "res_id": self.material.id,
                    # content of this test only: its file is no other's
                    "raw": page_bytes([f"扫描件 {self.id()}"]),
                }
            )
        self.file_materials(self.material)
        self.path = self.scan._full_path(self.scan.store_fname)
        backup = self.path + ".test-backup"
        shutil.copyfile(self.path, backup)
        self.addCleanup(os.replace, backup, self.path)

    def alerts(self):
        return self.material.activity_ids.filtered(
            lambda a: a.summary == "Scan altered or missing"
        )

    def assert_plain_page(self, url, status, sentence):
        got, body = self.get(url)
        html = body.decode()
        self.assertEqual(got, status, url)
        self.assertIn(sentence, html)
        self.assertIn("o_cadre_archive_refusal", html)
        self.assertIn("damaged.jpg", html)

    def test_removed_scan_is_said_missing(self):
        os.remove(self.path)
        self.login(self.officer_b)
        viewer = f"/cadre_archive/material/{self.material.id}/view"
        self.assert_plain_page(viewer, 410, "is missing from the")
        self.assertEqual(self.scan.archive_integrity, "missing")
        self.assertEqual(len(self.alerts()), 1)
        self.assertIn(self.officer_b, self.alerts().user_id)
        page = f"/cadre_archive/scan/{self.scan.id}/page/1"
        self.assert_plain_page(page, 410, "is missing from the")
        download = f"/cadre_archive/scan/{self.scan.id}/download"
        self.assert_plain_page(download, 410, "is missing")
        self.assertEqual(len(self.alerts()), 1, "alerted once, not at every view")
        # no page was served: none is logged as seen
        self.assertFalse(
            self.env[LOG_MODEL].search(
                [("user_id", "=", self.officer_b.id), ("action", "=", "view")]
            )
        )

    def test_altered_scan_is_not_shown(self):
        with open(self.path, "r+b") as handle:
            handle.seek(200)
            handle.write(b"\x00" * 16)
        self.login(self.officer_b)
        page = f"/cadre_archive/scan/{self.scan.id}/page/1"
        self.assert_plain_page(page, 409, "was altered after it was archived")
        self.assertEqual(self.scan.archive_integrity, "changed")
        self.assertIn(self.officer_b, self.alerts().user_id)
        # the intact scan of the same material is still served
        status, body = self.get(f"/cadre_archive/scan/{self.two_page_scan.id}/page/1")
        self.assertEqual((status, body[:3]), (200, b"\xff\xd8\xff"))  # a JPEG


def disk_full_half_way(handle, data):
    """The disk fills up after half the file: a real partial write, then ENOSPC."""
    handle.write(data[: len(data) // 2])
    handle.flush()
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@tagged("post_install", "-at_install")
class TestFaultDiskFull(DigitizationCase):
    def setUp(self):
        super().setUp()
        self.raw = page_bytes([f"满盘 {self.id()}"])
        self.checksum = self.env["ir.attachment"]._compute_checksum(self.raw)
        self.final = self.env["ir.attachment"]._full_path(
            f"{self.checksum[:2]}/{self.checksum}"
        )

    def scans(self):
        return self.env["ir.attachment"].search(
            [("res_model", "=", "cadre.archive.material"), ("name", "=", "full.jpg")]
        )

    def leftovers(self):
        directory = os.path.dirname(self.final)
        if not os.path.isdir(directory):
            return []
        return [n for n in os.listdir(directory) if n.startswith(storage.TEMP_PREFIX)]

    def upload_full(self):
        return (
            self.env["ir.attachment"]
            .with_user(self.officer_a)
            .create(
                {
                    "name": "full.jpg",
                    "res_model": "cadre.archive.material",
                    "res_id": self.material_a.id,
                    "raw": self.raw,
                }
            )
        )

    def test_disk_full_refuses_and_leaves_nothing(self):
        pages_before = self.material_a.page_ids
        with (
            patch.object(storage, "_write_all", disk_full_half_way),
            trap_jobs(),
            self.assertRaisesRegex(UserError, "The file store is full"),
            self.env.cr.savepoint(),
        ):
            self.upload_full()
        self.assertFalse(self.scans(), "no attachment row")
        self.assertEqual(self.material_a.page_ids, pages_before, "no page row")
        self.assertFalse(os.path.exists(self.final), "no half file under its name")
        self.assertEqual(self.leftovers(), [])
        # space freed: the same upload now stores the whole file
        with trap_jobs():
            scan = self.upload_full()
        with open(self.final, "rb") as handle:
            self.assertEqual(handle.read(), self.raw)
        self.assertEqual(scan.archive_integrity, "ok")

    def test_other_write_errors_are_refused_plainly_too(self):
        def read_only(handle, data):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))

        with (
            patch.object(storage, "_write_all", read_only),
            trap_jobs(),
            self.assertRaisesRegex(UserError, "could not be written"),
            self.env.cr.savepoint(),
        ):
            self.upload_full()
        self.assertFalse(self.scans())
        self.assertEqual(self.leftovers(), [])
