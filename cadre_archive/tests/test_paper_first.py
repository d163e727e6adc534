# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import hashlib
import io
import zipfile

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..models.ir_attachment import FILED_INTAKE_KEY, FiledScanIntake
from .common import PASSWORDS, CadreArchiveCase, JsonRpcMixin, make_jpeg

MATERIAL = "cadre.archive.material"


def b64(data):
    return base64.b64encode(data)


class PaperFirstCase(CadreArchiveCase):
    """``material_a`` filed on paper (no scan); a second archive manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager2 = new_test_user(
            cls.env, login="ca_manager2", groups="cadre_archive.group_manager"
        )
        cls.file_materials(cls.material_a)

    def upload_wizard(self, material, files, user=None):
        """The Attach Scans wizard of ``material``, filled with ``files``."""
        action = material.with_user(user or self.officer_a).action_open_scan_upload()
        return (
            self.env[action["res_model"]]
            .with_user(user or self.officer_a)
            .with_context(**action["context"])
            .create(
                {
                    "line_ids": [
                        Command.create({"file": b64(raw), "filename": name})
                        for name, raw in files.items()
                    ]
                }
            )
        )

    def notes(self, material):
        material.invalidate_recordset(["message_ids"])
        return " ".join(material.message_ids.mapped("body"))


@tagged("post_install", "-at_install")
class TestPaperFirst(PaperFirstCase):
    def test_scans_attached_once_to_a_filed_paper_material(self):
        files = {"p1.jpg": make_jpeg("page one"), "p2.jpg": make_jpeg("page two")}
        self.assertFalse(self.material_a.attachment_ids)
        wizard = self.upload_wizard(self.material_a, files)
        with trap_jobs() as trap:
            wizard.action_attach()
        scans_ = self.material_a.attachment_ids
        self.assertEqual(sorted(scans_.mapped("name")), ["p1.jpg", "p2.jpg"])
        for scan in scans_:
            self.assertEqual(
                scan.archive_sha256,
                hashlib.sha256(files[scan.name]).hexdigest(),
            )
            self.assertEqual(scan.archive_version, 1)
            self.assertEqual(scan.archive_integrity, "ok")
        pages = self.material_a.page_ids
        self.assertEqual(len(pages), 2)
        self.assertTrue(all(page.quality_state for page in pages))
        for page in pages:  # one OCR job per page
            trap.assert_jobs_count(1, only=page._run_ocr)
        self.assertEqual(set(pages.mapped("ocr_state")), {"queued"})
        self.assertEqual(self.material_a.scan_count, 2)
        self.assertEqual(self.material_a.state, "filed")
        self.assertIn("2 scan(s) attached", self.notes(self.material_a))
        self.assertIn(self.officer_a.name, self.notes(self.material_a))

        # once only: the wizard, a direct upload and any context a client sends
        with self.assertRaisesRegex(UserError, "already has its scans"):
            self.material_a.with_user(self.officer_a).action_open_scan_upload()
        with self.assertRaisesRegex(UserError, "already has its scans"):
            self.material_a.with_user(self.officer_a)._attach_first_scans(
                [{"name": "p3.jpg", "raw": make_jpeg("again")}]
            )
        for context in ({}, {FILED_INTAKE_KEY: True}, {FILED_INTAKE_KEY: {}}):
            with self.subTest(context=context), self.assertRaises(UserError):
                self.attach_scan(
                    self.material_a,
                    "added later",
                    env=self.env(user=self.officer_a, context=context),
                )
        # and the scans attached are locked like those of any filed material
        scan = scans_[0].with_user(self.officer_a)
        with self.assertRaises(UserError):
            scan.write({"raw": make_jpeg("forged")})
        with self.assertRaises(UserError):
            scan.unlink()
        self.assertEqual(self.material_a.attachment_ids, scans_)

    def test_direct_upload_to_a_filed_paper_material_is_refused(self):
        for env in (self.env(user=self.officer_a), self.env(user=self.manager)):
            with self.subTest(user=env.user.login), self.assertRaises(UserError):
                self.attach_scan(self.material_a, "direct", env=env)
        self.assertFalse(self.material_a.attachment_ids)

    def test_scans_are_checked_like_any_upload(self):
        wizard = self.upload_wizard(
            self.material_a, {"good.jpg": make_jpeg(), "bad.jpg": b"not a scan"}
        )
        with self.assertRaises(ValidationError), trap_jobs():
            wizard.action_attach()
        self.assertFalse(self.material_a.attachment_ids, "all files or none")
        wizard = self.upload_wizard(self.material_a, {})
        with self.assertRaisesRegex(UserError, "Choose the scan files"):
            wizard.action_attach()

    def test_only_who_keeps_the_material_attaches(self):
        files = [{"name": "p.jpg", "raw": make_jpeg()}]
        for user in (self.officer_b, self.requester, self.employee_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.material_a.with_user(user)._attach_first_scans(files)
        with self.assertRaises(AccessError):
            self.upload_wizard(self.material_a, {"p.jpg": make_jpeg()}, self.officer_b)
        self.assertFalse(self.material_a.attachment_ids)

    def test_a_draft_material_takes_scans_the_usual_way(self):
        draft = self.create_material(self.dossier_a, self.cat_degree, "学位证书")
        with self.assertRaisesRegex(UserError, "not filed yet"):
            draft._attach_first_scans([{"name": "p.jpg", "raw": make_jpeg()}])

    def test_the_pass_is_for_one_material_and_one_upload(self):
        other = self.material_a1
        self.file_materials(other)
        intake = FiledScanIntake(self.material_a.id)
        attachments = self.env["ir.attachment"].with_context(
            **{FILED_INTAKE_KEY: intake}
        )
        with self.assertRaises(UserError), trap_jobs():
            self.attach_scan(other, "other material", env=attachments.env)
        with trap_jobs():
            self.attach_scan(self.material_a, "first", env=attachments.env)
        self.assertTrue(intake.used)
        draft_a = self.create_material(self.dossier_a, self.cat_degree, "草稿")
        self.assertFalse(self.material_a1.attachment_ids)
        # spent: the same pass opens nothing again
        with self.assertRaises(UserError), trap_jobs():
            self.attach_scan(self.material_a, "second", env=attachments.env)
        with trap_jobs():
            self.attach_scan(draft_a, "a draft is open anyway", env=attachments.env)
        self.assertEqual(len(self.material_a.attachment_ids), 1)
        # a new pass for first scans opens nothing once the material has scans
        fresh = self.env["ir.attachment"].with_context(
            **{FILED_INTAKE_KEY: FiledScanIntake(self.material_a.id)}
        )
        with self.assertRaises(UserError), trap_jobs():
            self.attach_scan(self.material_a, "swapped in", env=fresh.env)
        self.assertEqual(len(self.material_a.attachment_ids), 1)


@tagged("post_install", "-at_install")
class TestPaperFirstImport(PaperFirstCase):
    def make_zip(self, files):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        return b64(buffer.getvalue())

    def dry_run(self, files):
        wizard = (
            self.env["cadre.archive.import"]
            .with_user(self.officer_a)
            .create({"zip_file": self.make_zip(files), "zip_name": "scans.zip"})
        )
        wizard.action_dry_run()
        return wizard

    def zip_name(self, material, page):
        return (
            f"{material.dossier_id.name}_{material.category_id.code}_"
            f"{material.sequence_number}_{page}.jpg"
        )

    def test_import_adds_scans_to_a_filed_paper_material(self):
        files = {
            self.zip_name(self.material_a, 1): make_jpeg("cv page 1"),
            self.zip_name(self.material_a, 2): make_jpeg("cv page 2"),
        }
        wizard = self.dry_run(files)
        line = wizard.line_ids
        self.assertEqual(
            (line.action, line.material_id, line.new_page_total),
            ("attach", self.material_a.with_user(self.officer_a), 2),
        )
        self.assertEqual(wizard.ready_count, 1)
        self.assertFalse(self.material_a.attachment_ids, "the dry run adds nothing")
        with trap_jobs() as trap:
            wizard.action_import()
        self.assertEqual(line.action, "done")
        scans_ = self.material_a.attachment_ids
        self.assertEqual(len(scans_), 2)
        self.assertTrue(all(scans_.mapped("archive_sha256")))
        self.assertEqual(len(self.material_a.page_ids), 2)
        for page in self.material_a.page_ids:
            trap.assert_jobs_count(1, only=page._run_ocr)
        self.assertEqual(self.material_a.state, "filed")
        self.assertIn("2 scan(s) attached", self.notes(self.material_a))
        # the same zip again changes nothing
        again = self.dry_run(files)
        self.assertEqual(again.line_ids.action, "skip")

    def test_import_refuses_a_filed_material_that_has_scans(self):
        with trap_jobs():
            self.material_a._attach_first_scans(
                [{"name": "p1.jpg", "raw": make_jpeg("original")}]
            )
        original = self.material_a.attachment_ids
        wizard = self.dry_run(
            {self.zip_name(self.material_a, 1): make_jpeg("replacement")}
        )
        line = wizard.line_ids
        self.assertEqual(line.action, "error")
        self.assertIn("has its scans", line.message)
        self.assertFalse(wizard.ready_count)
        with trap_jobs():
            wizard.action_import()
        self.assertEqual(self.material_a.attachment_ids, original)


class RescanCase(PaperFirstCase):
    """``material_a`` filed with one scan; helpers to ask for a rescan."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.old_scan = cls.material_a._attach_first_scans(
            [{"name": "1-1-1.jpg", "raw": make_jpeg("blurred seal")}]
        )
        cls.old_bytes = cls.old_scan.raw
        cls.new_bytes = make_jpeg("sharp seal")

    @classmethod
    def ask_rescan(cls, user, material=None, files=None, **vals):
        files = files or {"1-1-1-v2.jpg": cls.new_bytes}
        return (
            cls.env["cadre.archive.rescan"]
            .with_user(user)
            .create(
                {
                    "material_id": (material or cls.material_a).id,
                    "reason": "The seal is unreadable on the first scan.",
                    "file_ids": [
                        Command.create({"file": b64(raw), "filename": name})
                        for name, raw in files.items()
                    ],
                    **vals,
                }
            )
        )


@tagged("post_install", "-at_install")
class TestRescan(RescanCase):
    def test_rescan_approved_by_another_manager(self):
        rescan = self.ask_rescan(self.manager)
        self.assertEqual(rescan.superseded_scan_ids, self.old_scan)
        rescan.action_submit()
        self.assertEqual(rescan.state, "submitted")
        approvers = rescan.sudo().activity_ids.user_id
        self.assertIn(self.manager2, approvers)
        self.assertNotIn(self.manager, approvers)
        with self.assertRaisesRegex(UserError, "another archive manager"):
            rescan.action_approve()
        with self.assertRaises(AccessError):
            rescan.with_user(self.officer_a).action_approve()
        self.assertEqual(rescan.state, "submitted")
        self.assertEqual(self.material_a.current_scan_ids, self.old_scan)

        with trap_jobs() as trap:
            rescan.with_user(self.manager2).action_approve()
        self.assertEqual(rescan.state, "done")
        self.assertEqual(rescan.approved_uid, self.manager2)
        self.assertFalse(rescan.sudo().activity_ids)
        new_scan = rescan.new_scan_ids
        self.assertEqual(len(new_scan), 1)
        self.assertEqual(new_scan.raw, self.new_bytes)
        self.assertEqual(
            new_scan.archive_sha256, hashlib.sha256(self.new_bytes).hexdigest()
        )
        self.assertEqual(
            (new_scan.archive_version, self.old_scan.archive_version), (2, 1)
        )
        self.assertEqual(self.old_scan.archive_superseded_by_id, new_scan)
        self.assertTrue(self.old_scan.archive_superseded_date)
        trap.assert_jobs_count(1, only=new_scan.archive_page_ids._run_ocr)

        # the old scan is kept, the material shows the new one
        material = self.material_a.with_user(self.officer_a)
        self.assertEqual(material.attachment_ids, self.old_scan | new_scan)
        self.assertEqual(material.current_scan_ids, new_scan)
        self.assertEqual(material.scan_count, 1)
        self.assertEqual(material.scanned_page_count, 1)
        self.assertEqual(
            [(scan.id, page) for scan, page in material._viewer_pages()],
            [(new_scan.id, 1)],
        )
        self.assertEqual(self.old_scan.with_user(self.officer_a).raw, self.old_bytes)
        notes = self.notes(self.material_a)
        self.assertIn("Rescan approved by", notes)
        self.assertIn(self.manager2.name, notes)

    def test_rescan_asked_by_an_officer(self):
        rescan = self.ask_rescan(self.officer_a)
        rescan.action_submit()
        with self.assertRaises(AccessError):
            rescan.action_approve()
        with trap_jobs():
            rescan.with_user(self.manager).action_approve()
        self.assertEqual(rescan.state, "done")
        self.assertTrue(self.old_scan.archive_superseded_by_id)

    def test_ocr_text_and_quality_come_from_current_scans(self):
        rescan = self.ask_rescan(self.officer_a)
        rescan.action_submit()
        with trap_jobs():
            rescan.with_user(self.manager).action_approve()
        old_page = self.old_scan.archive_page_ids
        new_page = rescan.new_scan_ids.archive_page_ids
        old_page._workflow_write({"ocr_text": "旧", "quality_state": "rescan"})
        new_page._workflow_write({"ocr_text": "新", "quality_state": "ok"})
        self.material_a._compose_ocr_text()
        self.assertEqual(self.material_a.ocr_text, "新")
        self.assertEqual(self.material_a.quality_state, "ok")
        found = self.env[MATERIAL].search([("quality_state", "in", ["rescan"])])
        self.assertNotIn(self.material_a, found)
        with trap_jobs() as trap:
            self.material_a.action_run_ocr()
        trap.assert_jobs_count(1, only=new_page._run_ocr)

    def test_rescan_only_of_a_filed_material_with_scans(self):
        draft = self.create_material(self.dossier_a, self.cat_degree, "草稿")
        paper = self.create_material(self.dossier_a, self.cat_appointment, "任免表")
        self.file_materials(paper)
        for material in (draft, paper):
            with self.subTest(material=material.name):
                with self.assertRaisesRegex(ValidationError, "filed material that"):
                    self.ask_rescan(self.officer_a, material=material)

    def test_rescan_files_are_checked(self):
        with self.assertRaises(ValidationError):
            self.ask_rescan(self.officer_a, files={"bad.jpg": b"not a scan"})
        rescan = self.ask_rescan(self.officer_a, files={"p.jpg": make_jpeg()})
        rescan.file_ids.unlink()
        with self.assertRaisesRegex(UserError, "new scan files"):
            rescan.action_submit()

    def test_rescan_replaces_current_scans_of_its_material_only(self):
        other = self.attach_scan(self.material_b, "other unit")
        with self.assertRaisesRegex(ValidationError, "current scans of its own"):
            self.ask_rescan(self.manager, superseded_scan_ids=[Command.set(other.ids)])
        first = self.ask_rescan(self.officer_a)
        second = self.ask_rescan(self.officer_a)
        (first | second).action_submit()
        with trap_jobs():
            first.with_user(self.manager).action_approve()
        # the second one would replace a scan that is no longer current
        with self.assertRaisesRegex(ValidationError, "current scans of its own"):
            second.with_user(self.manager).action_approve()
        self.assertEqual(second.state, "submitted")
        second.action_cancel()
        self.assertEqual(second.state, "cancelled")

    def test_rescan_frozen_once_asked(self):
        rescan = self.ask_rescan(self.officer_a)
        rescan.action_submit()
        attempts = [
            lambda: rescan.write({"reason": "other"}),
            lambda: rescan.write({"superseded_scan_ids": [Command.clear()]}),
            lambda: rescan.file_ids.write({"file": b64(make_jpeg("swapped"))}),
            lambda: rescan.file_ids.unlink(),
            lambda: (
                self.env["cadre.archive.rescan.file"]
                .with_user(self.officer_a)
                .create({"rescan_id": rescan.id, "file": b64(make_jpeg("added"))})
            ),
            lambda: rescan.unlink(),
        ]
        for index, attempt in enumerate(attempts):
            with self.subTest(attempt=index), self.assertRaises(UserError):
                attempt()
        self.assertEqual(len(rescan.file_ids), 1)

    def test_who_reads_a_rescan_and_its_files(self):
        rescan = self.ask_rescan(self.officer_a)
        file_scan = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "cadre.archive.rescan.file"),
                    ("res_field", "=", "file"),
                    ("res_id", "in", rescan.file_ids.ids),
                ]
            )
        )
        self.assertEqual(len(file_scan), 1)
        for user in (self.officer_a, self.manager):
            with self.subTest(user=user.login):
                self.assertEqual(file_scan.with_user(user).raw, self.new_bytes)
                rescan.with_user(user).read(["reason", "file_ids"])
        for user in (self.officer_b, self.requester, self.employee_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    file_scan.with_user(user).read(["raw"])
                with self.assertRaises(AccessError):
                    rescan.with_user(user).read(["reason"])
                with self.assertRaises(AccessError):
                    self.ask_rescan(user)
        with self.assertRaises(UserError):
            file_scan.with_user(self.officer_a).write({"public": True})

    def test_old_scan_stays_readable_by_who_reads_the_scans(self):
        rescan = self.ask_rescan(self.officer_a)
        rescan.action_submit()
        with trap_jobs():
            rescan.with_user(self.manager).action_approve()
        for user in (self.officer_a, self.manager):
            with self.subTest(user=user.login):
                self.assertEqual(self.old_scan.with_user(user).raw, self.old_bytes)
        for user in (self.officer_b, self.requester, self.employee_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.old_scan.with_user(user).read(["raw"])
        # kept for good
        with self.assertRaises(UserError):
            self.old_scan.with_user(self.manager).unlink()

    def test_system_fields_are_not_for_clients(self):
        rescan = self.ask_rescan(self.officer_a)
        attempts = [
            (rescan, {"state": "done"}),
            (rescan, {"approved_uid": self.officer_a.id}),
            (rescan, {"new_scan_ids": [Command.set(self.old_scan.ids)]}),
            (self.old_scan, {"archive_version": 7}),
            (self.old_scan, {"archive_superseded_by_id": self.old_scan.id}),
        ]
        for record, vals in attempts:
            for user in (self.officer_a, self.manager):
                with (
                    self.subTest(model=record._name, vals=vals, user=user.login),
                    self.assertRaises(UserError),
                ):
                    record.with_user(user).write(vals)


@tagged("post_install", "-at_install")
class TestPaperFirstRpc(JsonRpcMixin, HttpCase, RescanCase):
    """Over HTTP: no forged context opens a filed material; old scans are
    served to whoever reads the material's scans, and to nobody else."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_passwords()
        cls.paper = cls.create_material(cls.dossier_a, cls.cat_degree, "学位证书")
        cls.file_materials(cls.paper)
        rescan = cls.ask_rescan(cls.officer_a)
        rescan.action_submit()
        rescan.with_user(cls.manager).action_approve()
        cls.rescan = rescan

    def test_forged_context_opens_no_filed_material(self):
        self.login(self.officer_a)
        forged = [
            {FILED_INTAKE_KEY: True},
            {FILED_INTAKE_KEY: {"material_id": self.paper.id, "used": False}},
            {"cadre_archive_workflow": True, FILED_INTAKE_KEY: str(self.paper.id)},
        ]
        for context in forged:
            with self.subTest(context=context):
                result, error = self.call(
                    "ir.attachment",
                    "create",
                    {
                        "name": "forged.jpg",
                        "res_model": MATERIAL,
                        "res_id": self.paper.id,
                        "datas": b64(make_jpeg("forged")).decode(),
                    },
                    context=context,
                )
                self.assertFalse(result)
                self.assertRegex(error or "", "(?i)filed|set by the archive itself")
        self.assertFalse(self.paper.attachment_ids)

    def test_clients_cannot_write_system_fields(self):
        self.login(self.officer_a)
        new_scan = self.rescan.new_scan_ids
        attempts = [
            ("cadre.archive.rescan", self.rescan.id, {"state": "draft"}),
            ("cadre.archive.rescan", self.rescan.id, {"new_scan_ids": [[5]]}),
            ("ir.attachment", self.old_scan.id, {"archive_superseded_by_id": False}),
            ("ir.attachment", new_scan.id, {"archive_version": 1}),
            ("ir.attachment", new_scan.id, {"archive_superseded_by_id": new_scan.id}),
        ]
        for model, record_id, vals in attempts:
            with self.subTest(model=model, vals=vals):
                result, error = self.call(
                    model,
                    "write",
                    [record_id],
                    vals,
                    context={"cadre_archive_workflow": True},
                )
                self.assertFalse(result)
                self.assertTrue(error)
        self.assertEqual(self.rescan.state, "done")
        self.assertEqual(self.old_scan.archive_superseded_by_id, new_scan)
        self.assertEqual(new_scan.archive_version, 2)

    def test_old_scan_served_only_to_who_reads_the_scans(self):
        url = f"/web/content/{self.old_scan.id}?download=true"
        for user, allowed in (
            (self.officer_a, True),
            (self.manager, True),
            (self.officer_b, False),
            (self.requester, False),
        ):
            with self.subTest(user=user.login):
                self.authenticate(user.login, PASSWORDS[user.login])
                response = self.url_open(url, allow_redirects=False)
                if allowed:
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(response.content, self.old_bytes)
                else:
                    self.assertIn(response.status_code, (403, 404))
                    self.assertNotIn(self.old_bytes[:64], response.content)
