# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import dataclasses
import json
import random
import unittest

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..lib import cadre_forms, ocr
from ..lib.partial_date import PartialDate
from .common import CadreArchiveCase


def tesseract_ready():
    if ocr.pytesseract is None:
        return False
    try:
        languages = set(ocr.pytesseract.get_languages())
    except (OSError, RuntimeError):
        return False
    return set(ocr.DEFAULT_LANG.split("+")) <= languages


@tagged("post_install", "-at_install")
@unittest.skipUnless(tesseract_ready(), "tesseract with chi_sim+eng is missing")
class TestFactProposal(CadreArchiveCase):
    """Dossier A holds a generated cadre's 干部履历表 (1990, self-filled) and
    干部任免审批表 (2010) as scans: the 任免审批表 gives a birth date one year
    later. The facts are read once, through the real Tesseract."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cadre = cadre_forms.make_cadre(random.Random(7))
        later = dataclasses.replace(
            cls.cadre,
            birth=PartialDate(cls.cadre.birth.year + 1, cls.cadre.birth.month),
        )
        cls.cv = cls.create_material(cls.dossier_a, cls.cat_cv, "干部履历表")
        cls.appointment = cls.create_material(
            cls.dossier_a,
            cls.cat_appointment,
            "干部任免审批表",
            date="2010-03-01",
            approving_body="县委",
            approval_date_text="2010.03",
            document_number="县委〔2010〕5号",
        )
        cls.upload(
            cls.cv, cadre_forms.render_form(cls.cadre, "cv", 7, date_style="dot")
        )
        cls.upload(
            cls.appointment,
            cadre_forms.render_form(later, "appointment", 7, date_style="dot"),
        )
        cls.file_materials(cls.cv | cls.appointment)
        cls.audit = (
            cls.env["cadre.archive.audit"]
            .with_user(cls.officer_a)
            ._start_for(cls.dossier_a.with_user(cls.officer_a))
        )
        cls.audit.action_read_facts()
        cls.proposals = cls.audit.proposal_ids

    @classmethod
    def upload(cls, material, raw):
        with trap_jobs():  # the page OCR jobs are not needed here
            cls.env["ir.attachment"].create(
                {
                    "name": f"{material.name}.jpg",
                    "res_model": "cadre.archive.material",
                    "res_id": material.id,
                    "raw": raw,
                }
            )

    def find(self, kind, material, **values):
        found = self.proposals.filtered(
            lambda p: (
                p.kind == kind
                and p.material_id == material
                and all(p[name] == value for name, value in values.items())
            )
        )
        self.assertEqual(
            len(found), 1, f"{kind} {values}: {self.proposals.mapped('display_name')}"
        )
        return found

    # ------------------------------------------------------------------
    def test_each_kind_is_read_from_the_pages(self):
        cadre = self.cadre
        birth = self.find("birth", self.cv, value_text=cadre.birth.format())
        self.find("work_start", self.cv, value_text=cadre.work_start.format())
        self.find("party", self.cv, value_text=cadre.party.format())
        start, end, school, major, level, _degree, _mode = cadre.education[0]
        self.find(
            "education",
            self.cv,
            start_text=start.format(),
            end_text=end.format(),
            school=school,
            major=major,
            level=level,
        )
        self.find("education", self.appointment, school=school, level=level)
        for start, end, unit, post in cadre.work:
            self.find(
                "work",
                self.cv,
                start_text=start.format(),
                end_text=end.format() if end else False,
                unit_name=unit,
                post=post,
            )
        # what it was read from, and where on the page
        self.assertIn(cadre.birth.format(), birth.source_text)
        self.assertEqual(birth.page_id.material_id, self.cv)
        self.assertTrue(birth.self_filled)
        self.assertGreaterEqual(birth.confidence, 0.5)
        region = json.loads(birth.region)
        left, top, width, height = region["box"]
        self.assertEqual(region["size"], [2480, 3508])
        # the birth date is in the head of the form, in its upper sixth
        self.assertLess(top, 3508 / 6)
        self.assertGreater(width, height)
        self.assertIn(
            f"/cadre_archive/scan/{birth.page_id.attachment_id.id}/page/1",
            birth.scan_preview,
        )
        self.assertIn("o_cadre_archive_region", birth.scan_preview)
        self.assertTrue(all(p.state == "proposed" for p in self.proposals))

    def test_a_disagreement_is_a_finding_and_the_earliest_self_filled_is_of_record(
        self,
    ):
        cv_birth = self.find("birth", self.cv)
        later = self.find("birth", self.appointment)
        self.assertTrue(cv_birth.of_record)
        self.assertFalse(later.of_record)
        finding = later.finding_id
        self.assertTrue(finding)
        self.assertEqual(finding.audit_id, self.audit)
        self.assertEqual(finding.rule_code, "date_mismatch")
        self.assertEqual(finding.material_ids, self.cv | self.appointment)
        self.assertIn(later.value_text, finding.message)
        self.assertIn(cv_birth.value_text, finding.message)
        self.assertFalse(cv_birth.finding_id)
        # the work start is the same on both: no finding
        self.assertFalse(
            self.proposals.filtered(lambda p: p.kind == "work_start").finding_id
        )
        # reading again makes no second finding
        self.audit.with_user(self.officer_a).action_read_facts()
        self.assertEqual(
            len(
                self.audit.finding_ids.filtered(
                    lambda f: f.rule_code == "date_mismatch"
                )
            ),
            1,
        )

    def test_accept_records_the_fact_as_the_auditor(self):
        birth = self.find("birth", self.cv).with_user(self.officer_a)
        birth.action_accept()
        self.assertEqual(birth.state, "accepted")
        self.assertEqual(birth.confirmed_uid, self.officer_a)
        line = birth.fact_date_id
        self.assertEqual(line.fact, "birth")
        self.assertEqual(line.value_text, birth.value_text)
        self.assertEqual(line.material_id, self.cv)
        self.assertTrue(line.self_filled)
        self.assertEqual(line.recorded_uid, self.officer_a)
        self.assertEqual(self.dossier_a.fact_birth_text, birth.value_text)
        self.assertEqual(self.dossier_a.facts_recorded_uid, self.officer_a)
        # the later, disagreeing one is recorded as the material says, not of record
        later = self.find("birth", self.appointment).with_user(self.officer_a)
        later.action_accept()
        self.assertEqual(self.dossier_a.fact_birth_text, birth.value_text)
        self.assertEqual(
            self.dossier_a.fact_date_ids.filtered(lambda d: d.fact == "birth").mapped(
                "value_text"
            ),
            [birth.value_text, later.value_text],
        )
        with self.assertRaises(UserError):
            birth.action_reject()

    def test_correct_records_the_values_entered(self):
        first = self.cadre.work[0]
        post = self.find("work", self.cv, start_text=first[0].format()).with_user(
            self.officer_a
        )
        with self.assertRaises(UserError):
            post.action_correct()  # nothing corrected
        post.post = "副主任科员"
        with self.assertRaises(UserError):
            post.action_accept()  # changed: that is a correction
        post.action_correct()
        self.assertEqual(post.state, "corrected")
        self.assertEqual(post.fact_work_id.post, "副主任科员")
        self.assertEqual(post.fact_work_id.unit_name, first[2])
        self.assertEqual(post.fact_work_id.material_ids, self.cv)
        self.assertEqual(post.fact_work_id.recorded_uid, self.officer_a)
        with self.assertRaises(UserError):
            post.post = "科员"  # decided: the fact of record is corrected instead

    def test_reject_records_nothing(self):
        party = self.find("party", self.cv).with_user(self.officer_a)
        party.action_reject()
        self.assertEqual(party.state, "rejected")
        self.assertEqual(party.confirmed_uid, self.officer_a)
        self.assertFalse(party.fact_date_id)
        self.assertFalse(self.dossier_a.fact_party_text)
        self.assertFalse(self.dossier_a.fact_date_ids)
        with self.assertRaises(UserError):
            party.action_accept()

    # ------------------------------------------------------------------
    def test_only_the_keepers_decide(self):
        birth = self.find("birth", self.cv)
        with self.assertRaises(AccessError):
            birth.with_user(self.officer_b).action_accept()
        with self.assertRaises(AccessError):
            birth.with_user(self.officer_b).action_reject()
        with self.assertRaises(AccessError):
            self.audit.with_user(self.officer_b).action_read_facts()
        self.assertFalse(
            self.env["cadre.archive.fact.proposal"].with_user(self.officer_b).search([])
        )
        self.assertEqual(birth.state, "proposed")
        self.assertFalse(self.dossier_a.fact_birth_text)
        # managers keep the dossiers of their company
        self.assertIn(
            birth,
            self.env["cadre.archive.fact.proposal"].with_user(self.manager).search([]),
        )

    def test_requesters_and_employees_see_nothing(self):
        for user in (self.requester, self.employee_user):
            with self.assertRaises(AccessError, msg=user.login):
                self.proposals.with_user(user).read(["source_text"])
            with self.assertRaises(AccessError, msg=user.login):
                self.env["cadre.archive.fact.proposal"].with_user(user).search([])

    def test_what_was_read_cannot_be_written_by_clients(self):
        birth = self.find("birth", self.cv).with_user(self.officer_a)
        for vals in (
            {"state": "accepted"},
            {"confidence": 1.0},
            {"source_text": "出生年月 1960.01"},
            {"confirmed_uid": self.officer_a.id},
            {"of_record": False},
            {"proposed_value": "1960.01"},
            {"region": "{}"},
        ):
            with self.assertRaises(UserError, msg=str(vals)):
                birth.write(vals)
        with self.assertRaises(UserError):
            self.env["cadre.archive.fact.proposal"].with_user(self.officer_a).create(
                {
                    "audit_id": self.audit.id,
                    "dossier_id": self.dossier_a.id,
                    "material_id": self.cv.id,
                    "kind": "birth",
                    "value_text": "1960.01",
                }
            )
        with self.assertRaises(UserError):
            self.audit.with_user(self.officer_a).write({"proposal_ids": [(5, 0, 0)]})

    def test_reading_many_dossiers_in_the_background(self):
        audits = self.env["cadre.archive.audit"].with_user(self.officer_a)
        with trap_jobs() as trap:
            audits._queue_read_facts(self.dossier_a.with_user(self.officer_a))
        trap.assert_jobs_count(1, only=audits._read_facts_job)
        self.assertEqual(trap.enqueued_jobs[0].args, (self.dossier_a,))
        with self.assertRaises(AccessError):
            self.env["cadre.archive.audit"].with_user(self.officer_b)._queue_read_facts(
                self.dossier_a.with_user(self.officer_b)
            )

    def test_a_run_audit_reads_no_more(self):
        audit = self.audit.with_user(self.officer_a)
        audit.action_run()
        with self.assertRaises(UserError):
            audit.action_read_facts()
