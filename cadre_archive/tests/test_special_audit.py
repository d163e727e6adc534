# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io
import shutil
import subprocess
import unicodedata

import openpyxl
from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..lib import audit as audit_lib
from .common import make_jpeg
from .test_request import RequestCase


class AuditCase(RequestCase):
    """Dossier A (unit A, officer A) with its facts of record: born
    1970.05.20, work start 1990.07, study 1986.09-1990.07, a post since
    1990.07, a self-filled 履历表 recording the birth date, and an
    appointment material of 1999 with its marks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        officer = cls.officer_a
        cls.appointment = cls.create_material(
            cls.dossier_a,
            cls.cat_appointment,
            "任免审批表",
            approving_body="县委",
            approval_date_text="1999.03",
            document_number="县委〔1999〕5号",
        )
        cls.file_materials(cls.appointment)
        cls.dossier_a.with_user(officer).write(
            {
                "fact_birth_text": "1970.05.20",
                "fact_work_start_text": "1990.07",
                "fact_party_text": "1995.06",
                "fact_party_status": "cpc_member",
                "fact_identity": "公务员",
                "fact_identity_text": "2006.01",
            }
        )
        cls.birth_line = (
            cls.env["cadre.archive.fact.date"]
            .with_user(officer)
            .create(
                {
                    "dossier_id": cls.dossier_a.id,
                    "fact": "birth",
                    "value_text": "1970.05.20",
                    "material_id": cls.material_a.id,
                    "self_filled": True,
                }
            )
        )
        cls.study = (
            cls.env["cadre.archive.fact.education"]
            .with_user(officer)
            .create(
                {
                    "dossier_id": cls.dossier_a.id,
                    "level": "大学本科",
                    "degree": "学士",
                    "school": "省师范大学",
                    "major": "中文",
                    "start_text": "1986.09",
                    "end_text": "1990.07",
                    "material_ids": [Command.set(cls.material_a.ids)],
                }
            )
        )
        cls.post = (
            cls.env["cadre.archive.fact.work"]
            .with_user(officer)
            .create(
                {
                    "dossier_id": cls.dossier_a.id,
                    "unit_name": "县财政局",
                    "post": "科员",
                    "start_text": "1990.07",
                    "material_ids": [Command.set(cls.appointment.ids)],
                }
            )
        )

    def audit(self, dossier=None, user=None):
        dossier = (dossier or self.dossier_a).with_user(user or self.officer_a)
        audit = (
            self.env["cadre.archive.audit"]
            .with_user(user or self.officer_a)
            ._start_for(dossier)
        )
        audit.action_run()
        return audit


@tagged("post_install", "-at_install")
class TestAuditFacts(AuditCase):
    def test_facts_are_recorded_with_who_and_when(self):
        self.assertEqual(self.dossier_a.fact_birth_date.isoformat(), "1970-05-20")
        self.assertEqual(self.dossier_a.fact_work_start_date.isoformat(), "1990-07-01")
        self.assertEqual(self.dossier_a.facts_recorded_uid, self.officer_a)
        self.assertEqual(self.post.recorded_uid, self.officer_a)
        self.assertTrue(self.post.recorded_date)
        self.assertEqual(self.study.date_end.isoformat(), "1990-07-01")

    def test_dates_of_record_are_checked(self):
        dossier = self.dossier_a.with_user(self.officer_a)
        with self.assertRaises(ValidationError):
            dossier.fact_birth_text = "1970.13"
        with self.assertRaises(ValidationError):
            dossier.fact_party_text = "2999"
        with self.assertRaises(ValidationError):
            self.post.with_user(self.officer_a).end_text = "1989"

    def test_who_recorded_is_set_by_the_archive_only(self):
        with self.assertRaises(UserError):
            self.post.with_user(self.officer_a).write({"recorded_uid": self.manager.id})
        with self.assertRaises(UserError):
            self.dossier_a.with_user(self.officer_a).write(
                {"facts_recorded_uid": self.manager.id}
            )

    def test_facts_only_on_dossiers_kept(self):
        with self.assertRaises(AccessError):
            self.env["cadre.archive.fact.work"].with_user(self.officer_b).create(
                {
                    "dossier_id": self.dossier_a.id,
                    "unit_name": "x",
                    "post": "y",
                    "start_text": "2000",
                }
            )
        with self.assertRaises(AccessError):
            self.dossier_a.with_user(self.officer_b).write({"fact_identity": "x"})

    def test_supporting_materials_of_the_same_dossier(self):
        other = [Command.set(self.material_b.ids)]
        with self.assertRaises(AccessError):
            self.post.with_user(self.officer_a).write({"material_ids": other})
        with self.assertRaises(ValidationError):
            self.post.sudo().write({"material_ids": other})

    def test_appointment_marks_are_frozen_once_filed(self):
        with self.assertRaises(UserError):
            self.appointment.with_user(self.officer_a).document_number = "改"
        with self.assertRaises(UserError):
            self.appointment.write({"approving_body": "改"})

    def test_rule_records_match_the_library(self):
        rules = (
            self.env["cadre.archive.audit.rule"]
            .with_context(active_test=False)
            .search([])
        )
        self.assertEqual(set(rules.mapped("code")), set(audit_lib.RULES))
        for rule in rules:
            shipped = audit_lib.RULES[rule.code]
            self.assertEqual(rule.severity, shipped.severity, rule.code)
            self.assertEqual(rule.veto, shipped.veto, rule.code)
            self.assertEqual(rule.threshold or None, shipped.threshold, rule.code)
            self.assertTrue(rule.active)


@tagged("post_install", "-at_install")
class TestAuditRun(AuditCase):
    def test_clean_dossier_is_excellent(self):
        audit = self.audit()
        self.assertEqual(audit.state, "done")
        self.assertFalse(audit.finding_ids, audit.finding_ids.mapped("message"))
        self.assertEqual((audit.score, audit.grade), (100, "excellent"))
        self.assertEqual(audit.auditor_id, self.officer_a)

    def test_findings_point_at_materials_and_lines(self):
        self.study.with_user(self.officer_a).end_text = "1991.01"  # overlaps
        self.env["cadre.archive.fact.date"].with_user(self.officer_a).create(
            {
                "dossier_id": self.dossier_a.id,
                "fact": "birth",
                "value_text": "1971.05",
                "material_id": self.appointment.id,
            }
        )
        audit = self.audit()
        overlap = audit.finding_ids.filtered(
            lambda f: f.rule_code == "study_work_overlap"
        )
        self.assertEqual(overlap.education_ids, self.study)
        self.assertEqual(overlap.work_ids, self.post)
        self.assertEqual(overlap.material_ids, self.material_a | self.appointment)
        mismatch = audit.finding_ids.filtered(lambda f: f.rule_code == "date_mismatch")
        self.assertEqual(mismatch.material_ids, self.appointment | self.material_a)
        self.assertIn("1971.05", mismatch.message)
        self.assertIn("1970.05.20", mismatch.message)
        # two major findings: 4 points each
        self.assertEqual((audit.score, audit.grade), (92, "pass"))

    def test_work_start_at_fifteen_and_cannot_tell(self):
        dossier = self.dossier_a.with_user(self.officer_a)
        dossier.fact_work_start_text = "1986.05.19"
        self.post.with_user(self.officer_a).start_text = "1990.07"
        audit = self.audit()
        found = audit.finding_ids.filtered(lambda f: f.rule_code == "work_start_age")
        self.assertEqual((found.severity, found.uncertain), ("major", False))
        dossier.fact_work_start_text = "1986.05"
        found = self.audit().finding_ids.filtered(
            lambda f: f.rule_code == "work_start_age"
        )
        self.assertEqual(
            (found.severity, found.uncertain, found.points), ("info", True, 0)
        )
        dossier.fact_work_start_text = "1986.05.20"
        self.assertFalse(
            self.audit().finding_ids.filtered(lambda f: f.rule_code == "work_start_age")
        )

    def test_single_veto_fails_whatever_the_score(self):
        scan = self.appointment._attach_first_scans(
            [{"name": "9-2-1.jpg", "raw": make_jpeg("appointment")}]
        )
        # someone alters the stored file behind Odoo's back; the weekly
        # integrity check finds it
        with open(scan._full_path(scan.store_fname), "ab") as handle:
            handle.write(b"tampered")
        self.env["cadre.archive.material"]._cron_verify_integrity()
        self.assertEqual(scan.archive_integrity, "changed")
        audit = self.audit()
        veto = audit.finding_ids.filtered("veto")
        self.assertEqual(veto.rule_code, "integrity_failed")
        self.assertEqual(veto.material_ids, self.appointment)
        self.assertEqual((audit.score, audit.grade, audit.vetoed), (0, "fail", True))
        # the rule switched off by a manager: no veto
        rule = self.env.ref("cadre_archive.audit_rule_integrity_failed")
        rule.with_user(self.manager).active = False
        audit = self.audit()
        self.assertEqual((audit.score, audit.grade), (100, "excellent"))

    def test_missing_materials_of_the_upkeep_are_findings(self):
        """An expected material past its deadline (upkeep) is a finding of
        the audit; one not yet due, or filed since, is not."""
        dues = self.env["cadre.archive.due"].with_user(self.officer_a)
        today = fields.Date.today()
        overdue = dues.create(
            {
                "dossier_id": self.dossier_a.id,
                "category_id": self.env.ref("cadre_archive.category_3").id,
                "name": "2020年度考核登记表",
                "deadline": today - relativedelta(days=1),
            }
        )
        dues.create(
            {
                "dossier_id": self.dossier_a.id,
                "category_id": self.env.ref("cadre_archive.category_7").id,
                "name": "嘉奖审批表",
                "deadline": today + relativedelta(days=10),
            }
        )
        audit = self.audit()
        missing = audit.finding_ids.filtered(
            lambda f: f.rule_code == "missing_material"
        )
        self.assertEqual(len(missing), 1, missing.mapped("message"))
        self.assertIn("2020年度考核登记表", missing.message)
        overdue.with_user(self.officer_a).action_close_by_hand("已在原单位补齐")
        audit = self.audit()
        self.assertFalse(
            audit.finding_ids.filtered(lambda f: f.rule_code == "missing_material")
        )

    def test_grading_follows_the_company(self):
        self.dossier_a.with_user(self.officer_a).fact_party_text = "1988.05.19"
        self.assertEqual((self.audit().score, self.audit().grade), (96, "pass"))
        before = self.audit()
        self.company.archive_audit_excellent_min = 95
        self.assertEqual(self.audit().grade, "excellent")
        self.assertEqual(before.grade, "pass")  # past audits keep their grade
        with self.assertRaises(ValidationError):
            self.company.archive_audit_pass_min = 99

    def test_accepted_findings_are_carried_over(self):
        self.dossier_a.with_user(self.officer_a).fact_party_text = "1988.05.19"
        first = self.audit()
        (finding,) = first.finding_ids
        self.assertEqual(finding.rule_code, "party_age")
        with self.assertRaises(UserError):
            finding.with_user(self.officer_a).action_accept()  # no reason
        finding.with_user(self.officer_a).reason = "经组织批准的特殊情况"
        finding.with_user(self.officer_a).action_accept()
        self.assertEqual(first.score, 100)
        # a new run: a new record, the first kept, the finding carried over
        self.post.with_user(self.officer_a).start_text = "1990.09"
        action = first.with_user(self.officer_a).action_run_again()
        second = self.env["cadre.archive.audit"].browse(action["res_id"])
        self.assertNotEqual(second, first)
        self.assertEqual(first.state, "done")
        self.assertEqual(second.previous_id, first)
        carried = second.finding_ids.filtered(lambda f: f.rule_code == "party_age")
        self.assertEqual(carried.state, "accepted")
        self.assertEqual(carried.reason, "经组织批准的特殊情况")
        self.assertEqual(carried.carried_from_id, finding)
        # study to 1990.07, post from 1990.09: a gap of 2 months, no finding
        self.assertEqual(second.score, 100)
        # a finding reopened counts again
        carried.with_user(self.officer_a).action_reopen()
        self.assertEqual(second.score, 96)
        # a run never runs twice
        with self.assertRaises(UserError):
            second.with_user(self.officer_a).action_run()

    def test_findings_are_made_by_runs_only(self):
        audit = self.audit()
        with self.assertRaises(UserError):
            self.env["cadre.archive.audit.finding"].with_user(self.officer_a).create(
                {
                    "audit_id": audit.id,
                    "rule_code": "party_age",
                    "severity": "minor",
                }
            )
        with self.assertRaises(UserError):
            audit.with_user(self.officer_a).write({"score": 50})
        self.dossier_a.with_user(self.officer_a).fact_party_text = "1988.05.19"
        finding = self.audit().finding_ids
        with self.assertRaises(UserError):
            finding.with_user(self.officer_a).write({"state": "accepted"})
        with self.assertRaises(UserError):
            finding.with_user(self.officer_a).write({"points": 0})
        with self.assertRaises(UserError):
            audit.with_user(self.manager).unlink()

    def test_unit_audited_in_background_one_job_per_dossier(self):
        wizard = (
            self.env["cadre.archive.audit.batch"]
            .with_user(self.officer_a)
            .create({"department_ids": [Command.set(self.unit_a.ids)]})
        )
        with trap_jobs() as trap:
            wizard.action_queue()
            trap.assert_jobs_count(2)
            self.assertEqual(
                {(job.recordset, job.method_name) for job in trap.enqueued_jobs},
                {
                    (self.dossier_a, "_audit_job"),
                    (self.dossier_a1, "_audit_job"),
                },
            )
            trap.perform_enqueued_jobs()
        audits = self.env["cadre.archive.audit"].search(
            [
                (
                    "dossier_id",
                    "in",
                    (self.dossier_a | self.dossier_a1 | self.dossier_b).ids,
                )
            ]
        )
        self.assertEqual(audits.dossier_id, self.dossier_a | self.dossier_a1)
        self.assertEqual(set(audits.mapped("state")), {"done"})
        self.assertEqual(audits.auditor_id, self.officer_a)
        config = self.env["queue.job.function"].job_config(
            "<cadre.archive.dossier>._audit_job"
        )
        self.assertEqual(config.channel, "root.cadre_archive_audit")
        # officer B keeps nothing in unit A
        wizard = (
            self.env["cadre.archive.audit.batch"]
            .with_user(self.officer_b)
            .create({"department_ids": [Command.set(self.unit_a.ids)]})
        )
        with trap_jobs() as trap, self.assertRaises(UserError):
            wizard.action_queue()
        with self.assertRaises(AccessError):
            self.env["cadre.archive.audit"].with_user(self.officer_b)._queue_for(
                self.dossier_a.with_user(self.officer_b)
            )


@tagged("post_install", "-at_install")
class TestAuditAccess(AuditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dossier_a.with_user(cls.officer_a).fact_party_text = "1988.05.19"
        cls.done = (
            cls.env["cadre.archive.audit"]
            .with_user(cls.officer_a)
            ._start_for(cls.dossier_a.with_user(cls.officer_a))
        )
        cls.done.action_run()

    def test_officers_and_managers_see_findings(self):
        Finding = self.env["cadre.archive.audit.finding"]
        self.assertEqual(
            Finding.with_user(self.officer_a).search([]), self.done.finding_ids
        )
        self.assertIn(self.done.finding_ids, Finding.with_user(self.manager).search([]))
        self.assertFalse(Finding.with_user(self.officer_b).search([]))
        self.assertFalse(
            self.env["cadre.archive.audit"].with_user(self.officer_b).search([])
        )
        with self.assertRaises(AccessError):
            self.done.with_user(self.officer_b).read(["score"])
        with self.assertRaises(AccessError):
            self.done.finding_ids.with_user(self.officer_b).action_resolve()

    def test_other_units_officer_cannot_audit(self):
        with self.assertRaises(AccessError):
            self.audit(self.dossier_a, user=self.officer_b)
        with self.assertRaises(AccessError):
            self.done.with_user(self.officer_b).action_run_again()

    def test_requesters_and_employees_see_nothing(self):
        for user in (self.requester, self.employee_user):
            for model, records in (
                ("cadre.archive.audit", self.done),
                ("cadre.archive.audit.finding", self.done.finding_ids),
                ("cadre.archive.fact.work", self.post),
                ("cadre.archive.fact.education", self.study),
                ("cadre.archive.fact.date", self.birth_line),
                ("cadre.archive.audit.rule", self.done.finding_ids.rule_id),
            ):
                with self.assertRaises(AccessError, msg=f"{model} {user.login}"):
                    self.env[model].with_user(user).search([])
                with self.assertRaises(AccessError, msg=f"{model} {user.login}"):
                    records.with_user(user).read(["id"])

    def test_requester_with_approved_request_reads_no_facts(self):
        self.approved_request(dossiers=self.dossier_a)
        dossier = self.dossier_a.with_user(self.requester)
        self.assertEqual(dossier.read(["name"])[0]["name"], self.dossier_a.name)
        for fname in (
            "fact_birth_text",
            "fact_birth_date",
            "fact_party_status",
            "fact_work_ids",
            "fact_date_ids",
            "audit_ids",
        ):
            with self.assertRaises(AccessError, msg=fname):
                dossier.read([fname])
        fields_seen = dossier.fields_get()
        self.assertNotIn("fact_birth_text", fields_seen)
        self.assertNotIn("audit_ids", fields_seen)
        with self.assertRaises(AccessError):
            dossier.search([("fact_birth_text", "=", "1970.05.20")])

    def test_rules_are_configured_by_managers(self):
        rule = self.env.ref("cadre_archive.audit_rule_work_gap")
        self.assertEqual(rule.with_user(self.officer_a).threshold, 6)
        with self.assertRaises(AccessError):
            rule.with_user(self.officer_a).threshold = 3
        rule.with_user(self.manager).threshold = 3
        self.assertEqual(
            self.env["cadre.archive.audit.rule"]._lib_configs()["work_gap"].threshold, 3
        )

    def test_audit_reports_need_the_audit(self):
        report = self.env["ir.actions.report"].with_user(self.officer_b)
        with self.assertRaises(AccessError):
            report._render_qweb_pdf("cadre_archive.report_audit", self.done.ids)
        with self.assertRaises(AccessError):
            report._render("cadre_archive.audit_summary_xlsx", self.done.ids)


@tagged("post_install", "-at_install")
class TestAuditDocuments(HttpCase, AuditCase):
    """wkhtmltopdf fetches the report's assets from the server: HttpCase lets
    the server share the test transaction."""

    def pdf_text(self, report_name, records, user):
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed")
        report = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(force_report_rendering=True)
        )
        pdf, kind = report._render_qweb_pdf(report_name, records.ids)
        self.assertEqual(kind, "pdf")
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode()
        return " ".join(unicodedata.normalize("NFKC", text).split())

    def test_certification_pdf(self):
        audit = self.audit()
        audit.with_user(self.officer_a).conclusion = "三龄两历一身份认定无误"
        text = self.pdf_text(
            "cadre_archive.report_audit_certification", audit, self.officer_a
        )
        for expected in (
            "审核认定表",
            "Cadre A",
            self.dossier_a.name,
            "1970.05.20",
            "1990.07",
            "1995.06",
            "公务员",
            "省师范大学",
            "县财政局",
            "三龄两历一身份认定无误",
            "审核人",
            "复核人",
            "盖章",
        ):
            self.assertIn(expected, text)
        # the birth date with the material supporting it
        self.assertIn(f"{self.material_a.display_name} (1970.05.20)", text)

    def test_audit_report_pdf(self):
        self.dossier_a.with_user(self.officer_a).fact_party_text = "1988.05.19"
        audit = self.audit()
        text = self.pdf_text("cadre_archive.report_audit", audit, self.officer_a)
        self.assertIn("专项审核报告", text)
        self.assertIn("96", text)
        self.assertIn("ca_officer_a", text)
        self.assertIn("Admitted to the party on 1988.05.19", text)
        self.assertIn("入党不满18周岁", text)

    def test_unit_summary_xlsx(self):
        first = self.audit()
        self.dossier_a.with_user(self.officer_a).fact_party_text = "1988.05.19"
        latest = self.audit()
        other = self.audit(self.dossier_a1)
        report = self.env["ir.actions.report"].with_user(self.officer_a)
        content, kind = report._render(
            "cadre_archive.audit_summary_xlsx", (first | latest | other).ids
        )
        self.assertEqual(kind, "xlsx")
        book = openpyxl.load_workbook(io.BytesIO(content))
        units = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
        by_unit = {row[0]: row for row in units}
        # the latest audit of dossier A only
        self.assertEqual(by_unit[self.unit_a.display_name][1:], (1, 96, 0, 1, 0, 0, 1))
        self.assertEqual(by_unit[self.unit_a1.display_name][1:3], (1, 100))
        dossiers = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            sorted(row[1] for row in dossiers),
            sorted([self.dossier_a.name, self.dossier_a1.name]),
        )
