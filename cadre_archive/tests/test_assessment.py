# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import datetime
import io

import openpyxl
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .test_transfer import TransferCase

D = datetime.date
APPROVAL = "cadre_archive.mail_act_archive_assessment_approval"
TRAINING = "cadre_archive.mail_act_archive_training_hours"


class AssessmentCase(TransferCase):
    """The archive's time zone is Asia/Shanghai (UTC+8): the periods are its
    calendar days, so 15:59 UTC on the last day (23:59 in Beijing) is inside
    and 16:00 UTC (00:00 the next day in Beijing) is outside."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.archive_tz = "Asia/Shanghai"
        cls.manager2 = new_test_user(
            cls.env, login="ca_manager2", groups="cadre_archive.group_manager"
        )
        cls.Assessment = cls.env["cadre.archive.assessment"]

    def assess(self, user, date_start, kind="month", by=None):
        record = self.Assessment.with_user(by or self.manager2).create(
            {"user_id": user.id, "period_kind": kind, "date_start": date_start}
        )
        record.action_compute()
        return record

    def lines(self, record):
        return {line.metric_id.code: line for line in record.line_ids}

    def raw(self, user, date_start, code, kind="month"):
        line = self.lines(self.assess(user, date_start, kind))[code]
        return line.raw_value if line.applicable else None

    def new_draft(self, dossier=None, category=None, title="材料"):
        return self.create_material(
            dossier or self.dossier_a, category or self.cat_cv, title
        )

    def file_at(self, moment, material, user=None):
        with freeze_time(moment):
            self.file_materials(material, user=user or self.officer_a)

    def set_create_date(self, records, moment):
        records.flush_recordset()
        self.env.cr.execute(
            f"UPDATE {records._table} SET create_date = %s WHERE id IN %s",  # noqa: S608
            (moment, tuple(records.ids)),
        )
        records.invalidate_recordset(["create_date"])


@tagged("post_install", "-at_install")
class TestAssessmentMetrics(AssessmentCase):
    def test_materials_filed_at_the_edges_of_the_period(self):
        at = {
            "2026-02-28 15:59:59": self.new_draft(title="二月末"),  # 28 Feb, 23:59
            "2026-02-28 16:00:00": self.new_draft(title="三月初"),  # 1 Mar, 00:00
            "2026-03-31 15:59:00": self.new_draft(title="三月末"),  # 31 Mar, 23:59
            "2026-03-31 23:59:00": self.new_draft(title="四月初"),  # 1 Apr, 07:59
        }
        for moment, material in at.items():
            self.file_at(moment, material)
        self.file_at(
            "2026-03-15 02:00:00", self.new_draft(self.dossier_b), self.officer_b
        )
        self.assertEqual(self.raw(self.officer_a, D(2026, 3, 1), "materials_filed"), 2)
        self.assertEqual(self.raw(self.officer_a, D(2026, 2, 1), "materials_filed"), 1)
        self.assertEqual(
            self.raw(self.officer_a, D(2026, 1, 1), "materials_filed", "quarter"), 3
        )
        self.assertEqual(
            self.raw(self.officer_a, D(2026, 1, 1), "materials_filed", "year"), 4
        )
        self.assertEqual(self.raw(self.officer_b, D(2026, 3, 1), "materials_filed"), 1)

    def test_pages_digitized_by_who_uploaded_the_scan(self):
        draft = self.new_draft()
        officer_env = self.env(user=self.officer_a)
        inside = self.attach_scan(draft, "p1", env=officer_env)
        outside = self.attach_scan(draft, "p2", env=officer_env)
        by_manager = self.attach_scan(draft, "p3", env=self.env(user=self.manager))
        self.set_create_date(inside | by_manager, "2026-03-31 15:59:00")
        self.set_create_date(outside, "2026-03-31 16:00:00")
        self.assertEqual(len(draft.page_ids), 3)
        self.assertEqual(self.raw(self.officer_a, D(2026, 3, 1), "pages_digitized"), 1)
        self.assertEqual(self.raw(self.officer_a, D(2026, 4, 1), "pages_digitized"), 1)

    def test_ocr_corrections_are_the_tracked_edits_of_the_officer(self):
        material = self.material_a.with_context(tracking_disable=False)
        # two saves, two transactions: each tracked once
        for text in ("干部履历表 第一稿", "干部履历表 改正"):
            material.with_user(self.officer_a).write({"ocr_text": text})
            self.env.flush_all()
            self.env.cr.precommit.run()
        # the OCR job writes without tracking: not a correction
        material.sudo()._compose_ocr_text()
        self.env.flush_all()
        self.env.cr.precommit.run()
        field = self.env["ir.model.fields"]._get(material._name, "ocr_text")
        tracked = self.env["mail.tracking.value"].search(
            [
                ("field_id", "=", field.id),
                ("mail_message_id.res_id", "=", material.id),
            ]
        )
        self.assertEqual(len(tracked), 2)
        self.set_create_date(tracked[0], "2026-03-31 15:59:00")
        self.set_create_date(tracked[1], "2026-03-31 16:00:00")
        self.assertEqual(self.raw(self.officer_a, D(2026, 3, 1), "ocr_corrections"), 1)
        self.assertEqual(self.raw(self.officer_a, D(2026, 4, 1), "ocr_corrections"), 1)
        self.assertEqual(self.raw(self.officer_b, D(2026, 3, 1), "ocr_corrections"), 0)

    def decide(self, submitted_at, decided_at, approve=True):
        request = self.new_request(date_start=D(2026, 12, 1), date_end=D(2026, 12, 2))
        with freeze_time(submitted_at):
            request.action_submit()
        with freeze_time(decided_at):
            if approve:
                request.with_user(self.manager).action_approve()
            else:
                request.with_user(self.manager).action_refuse(reason="用途不符")
        return request

    def test_requests_handled_and_their_mean_handling_time(self):
        self.decide("2026-03-10 00:00:00", "2026-03-10 06:00:00")
        self.decide("2026-03-31 11:59:00", "2026-03-31 15:59:00", approve=False)
        self.decide("2026-03-31 12:00:00", "2026-03-31 16:00:00")  # April here
        march = self.lines(self.assess(self.manager, D(2026, 3, 1)))
        self.assertEqual(march["requests_handled"].raw_value, 2)
        self.assertEqual(march["request_hours"].raw_value, 5.0)
        # 5 hours against 72 hours scoring 0: 93.06
        self.assertEqual(march["request_hours"].normalised_score, 93.06)
        april = self.lines(self.assess(self.manager, D(2026, 4, 1)))
        self.assertEqual(april["requests_handled"].raw_value, 1)
        self.assertEqual(april["request_hours"].raw_value, 4.0)
        # nobody decided anything in May: the mean does not count
        may = self.lines(self.assess(self.manager, D(2026, 5, 1)))
        self.assertFalse(may["request_hours"].applicable)
        self.assertEqual(may["request_hours"].weighted_score, 0)
        self.assertTrue(may["requests_handled"].applicable)

    def lend(self, start, end, returned_on):
        with freeze_time(start):
            request = self.approved_request(
                request_type="lend", date_start=start, date_end=end
            )
            request.with_user(self.officer_b).action_hand_out()
        lending = request.lending_ids
        with freeze_time(returned_on):
            lending.with_user(self.officer_b).action_return(self.dossier_b.page_count)
        # the next hand-out is another transaction: the return is saved
        self.env.flush_all()
        return lending

    def test_lendings_returned_late(self):
        late = self.lend(D(2026, 3, 20), D(2026, 3, 26), D(2026, 3, 30))
        on_time = self.lend(D(2026, 3, 27), D(2026, 3, 31), D(2026, 3, 31))
        self.assertEqual(
            (late.date_due, on_time.date_due), (D(2026, 3, 26), D(2026, 3, 31))
        )
        with freeze_time("2026-04-05"):
            self.assertEqual(
                self.raw(self.officer_b, D(2026, 3, 1), "lendings_late"), 1
            )
            self.assertEqual(
                self.raw(self.officer_a, D(2026, 3, 1), "lendings_late"), 0
            )

    def test_due_materials_collected_on_time(self):
        dues = self.env["cadre.archive.due"]
        on_time = dues.create(
            {
                "name": "干部履历表",
                "dossier_id": self.dossier_a.id,
                "category_id": self.cat_cv.id,
                "deadline": "2026-03-31",
            }
        )
        late = dues.create(
            {
                "name": "学位证书",
                "dossier_id": self.dossier_a1.id,
                "category_id": self.cat_degree.id,
                "deadline": "2026-03-30",
            }
        )
        # 23:59 of 31 March in Beijing: on the deadline of the first, a day late
        # for the second
        self.file_at(
            "2026-03-31 15:59:00",
            self.new_draft()
            | self.new_draft(self.dossier_a1, self.cat_degree, "硕士学位证书"),
        )
        self.assertEqual((on_time.state, late.state), ("done", "done"))
        line = self.lines(self.assess(self.officer_a, D(2026, 3, 1)))["dues_on_time"]
        self.assertEqual(line.raw_value, 50.0)
        self.assertEqual(line.normalised_score, 50.0)
        self.assertFalse(
            self.lines(self.assess(self.officer_b, D(2026, 3, 1)))[
                "dues_on_time"
            ].applicable
        )

    def test_transfers_receipted_on_time(self):
        with freeze_time("2026-02-10"):
            back = self.new_transfer()
            back.with_user(self.officer_a).action_send()
            overdue = self.new_transfer(self.dossier_a1)
            overdue.with_user(self.officer_a).action_send()
        self.assertEqual(back.receipt_due_date, D(2026, 3, 10))
        with freeze_time("2026-03-09"):
            back.with_user(self.officer_a).action_receive(signatory="收件人")
        with freeze_time("2026-03-10"):
            # the other receipt is due today: not yet late, not counted
            self.assertEqual(
                self.raw(self.officer_a, D(2026, 3, 1), "transfers_on_time"), 100.0
            )
        with freeze_time("2026-04-01"):
            self.assertEqual(
                self.raw(self.officer_a, D(2026, 1, 1), "transfers_on_time", "quarter"),
                50.0,
            )

    def test_audit_metrics(self):
        """A finding of the special audit against a material officer A filed
        counts against A in the month it is raised; resolving it counts for A
        in the month it is resolved, and for nobody else."""
        appointment = self.new_draft(
            category=self.env.ref("cadre_archive.category_9_2"), title="任免审批表"
        )
        self.file_at("2026-02-10 03:00:00", appointment)
        with freeze_time("2026-03-05 03:00:00"):
            audit = (
                self.env["cadre.archive.audit"]
                .with_user(self.officer_a)
                ._start_for(self.dossier_a)
            )
            audit.action_run()
        finding = audit.finding_ids.filtered(
            lambda f: f.rule_code == "appointment_incomplete"
        )
        self.assertEqual(finding.material_ids, appointment)
        self.set_create_date(finding, "2026-03-05 03:00:00")
        with freeze_time("2026-04-02 03:00:00"):
            finding.with_user(self.officer_a).action_resolve()
            march = self.lines(self.assess(self.officer_a, D(2026, 3, 1)))
            april = self.lines(self.assess(self.officer_a, D(2026, 4, 1)))
            other = self.lines(self.assess(self.officer_b, D(2026, 4, 1)))
        self.assertEqual(march["audit_findings"].raw_value, 1)
        self.assertEqual(april["audit_findings"].raw_value, 0)
        self.assertEqual(april["audit_resolved"].raw_value, 1)
        self.assertEqual(march["audit_resolved"].raw_value, 0)
        self.assertEqual(other["audit_resolved"].raw_value, 0)


@tagged("post_install", "-at_install")
class TestAssessmentScore(AssessmentCase):
    def only_metrics(self, **weights):
        metrics = (
            self.env["cadre.archive.assessment.metric"]
            .with_context(active_test=False)
            .search([])
        )
        for metric in metrics:
            metric.with_user(self.manager).write(
                {
                    "active": metric.code in weights,
                    "weight": weights.get(metric.code, 1),
                }
            )

    def test_weights_and_grades_applied(self):
        self.only_metrics(materials_filed=3, lendings_late=1)
        self.env.ref("cadre_archive.assessment_metric_materials_filed").target = 4
        for moment in (
            "2026-03-02 01:00:00",
            "2026-03-03 01:00:00",
            "2026-03-04 01:00:00",
        ):
            self.file_at(moment, self.new_draft())
        record = self.assess(self.officer_a, D(2026, 3, 1))
        lines = self.lines(record)
        self.assertEqual(set(lines), {"materials_filed", "lendings_late"})
        # 3 of 4 filed: 75; no late lending: 100; (75*3 + 100*1) / 4 = 81.25
        self.assertEqual(lines["materials_filed"].normalised_score, 75.0)
        self.assertEqual(lines["lendings_late"].normalised_score, 100.0)
        self.assertEqual(lines["materials_filed"].weighted_score, 56.25)
        self.assertEqual(lines["lendings_late"].weighted_score, 25.0)
        self.assertEqual(record.score, 81.25)
        self.assertEqual(record.grade, "good")
        # the manager weighs the filing more: 87.5... still good; then
        # the company raises the bar for good
        self.env.ref("cadre_archive.assessment_metric_materials_filed").weight = 1
        record.action_compute()
        self.assertEqual(record.score, 87.5)
        self.env.company.archive_grade_good = 88
        record.action_compute()
        self.assertEqual(record.grade, "pass")
        # a quarter's target is three months' worth: 3 of 12
        quarter = self.assess(self.officer_a, D(2026, 1, 1), kind="quarter")
        self.assertEqual(self.lines(quarter)["materials_filed"].target, 12)
        self.assertEqual(self.lines(quarter)["materials_filed"].normalised_score, 25.0)
        with self.assertRaises(ValidationError):
            self.env.company.archive_grade_pass = 95

    def test_period_starts_on_its_first_day_and_once_per_officer(self):
        with self.assertRaises(ValidationError):
            self.Assessment.with_user(self.manager).create(
                {
                    "user_id": self.officer_a.id,
                    "period_kind": "quarter",
                    "date_start": "2026-02-01",
                }
            )
        record = self.assess(self.officer_a, D(2026, 4, 1), kind="quarter")
        self.assertEqual(
            (record.date_end, record.period_label), (D(2026, 6, 30), "2026-Q2")
        )
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.assess(self.officer_a, D(2026, 4, 1), kind="quarter")


@tagged("post_install", "-at_install")
class TestAssessmentAccess(AssessmentCase):
    def test_who_sees_which_assessment(self):
        mine = self.assess(self.officer_a, D(2026, 3, 1))
        other = self.assess(self.officer_b, D(2026, 3, 1))
        self.assertEqual(self.Assessment.with_user(self.officer_a).search([]), mine)
        self.assertEqual(
            self.env["cadre.archive.assessment.line"]
            .with_user(self.officer_a)
            .search([])
            .assessment_id,
            mine,
        )
        with self.assertRaises(AccessError):
            other.with_user(self.officer_a).read(["score"])
        self.assertEqual(
            self.Assessment.with_user(self.manager).search([]), mine | other
        )
        for user in (self.requester, self.employee_user):
            with self.assertRaises(AccessError):
                self.Assessment.with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["cadre.archive.training"].with_user(user).search([])

    def test_officers_and_clients_cannot_write_the_figures(self):
        mine = self.assess(self.officer_a, D(2026, 3, 1))
        with self.assertRaises(AccessError):
            mine.with_user(self.officer_a).write({"remark": "自评优秀"})
        with self.assertRaises(AccessError):
            mine.with_user(self.officer_a).action_compute()
        with self.assertRaises(AccessError):
            self.Assessment.with_user(self.officer_a).create(
                {"user_id": self.officer_a.id, "date_start": "2026-05-01"}
            )
        for vals in ({"score": 100}, {"grade": "excellent"}, {"state": "approved"}):
            with self.assertRaises(UserError):
                mine.with_user(self.manager).write(vals)
        line = mine.line_ids[:1]
        with self.assertRaises(UserError):
            line.with_user(self.manager).write({"weighted_score": 100})
        with self.assertRaises(UserError):
            self.env["cadre.archive.assessment.line"].with_user(self.manager).create(
                {"assessment_id": mine.id, "metric_id": line.metric_id.id}
            )
        with self.assertRaises(AccessError):
            line.with_user(self.officer_a).unlink()
        with self.assertRaises(AccessError):
            self.env.ref("cadre_archive.assessment_metric_materials_filed").with_user(
                self.officer_a
            ).write({"weight": 100})
        with self.assertRaises(ValidationError):
            self.Assessment.with_user(self.manager).create(
                {"user_id": self.requester.id, "date_start": "2026-05-01"}
            )

    def test_approval_through_an_activity(self):
        record = self.assess(self.manager, D(2026, 3, 1), by=self.manager2)
        record.with_user(self.manager2).write({"remark": "工作认真"})
        record.with_user(self.manager2).action_submit()
        self.assertEqual(record.state, "submitted")
        activities = record.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(APPROVAL)
        )
        # every manager of the company but the one assessed
        self.assertIn(self.manager2, activities.user_id)
        self.assertNotIn(self.manager, activities.user_id)
        with self.assertRaises(AccessError):
            record.with_user(self.manager).action_approve()
        self.assertFalse(record.with_user(self.manager).can_approve)
        with self.assertRaises(UserError):
            record.with_user(self.manager2).write({"user_id": self.officer_a.id})
        record.with_user(self.manager2).action_approve()
        self.assertEqual(record.state, "approved")
        self.assertEqual(record.approved_uid, self.manager2)
        self.assertFalse(
            record.activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref(APPROVAL)
            )
        )
        with self.assertRaises(UserError):
            record.with_user(self.manager2).write({"remark": "改"})
        with self.assertRaises(UserError):
            record.with_user(self.manager2).unlink()

    def test_officer_cannot_approve_and_an_officer_is_approved_by_a_manager(self):
        record = self.assess(self.officer_a, D(2026, 3, 1))
        record.action_submit()
        with self.assertRaises(AccessError):
            record.with_user(self.officer_a).action_approve()
        record.with_user(self.manager).action_approve()
        self.assertEqual(record.state, "approved")

    def test_no_other_manager_no_submission(self):
        group = self.env.ref("cadre_archive.group_manager")
        (group.all_user_ids - self.manager).write(
            {"group_ids": [Command.unlink(group.id)]}
        )
        record = self.assess(self.manager, D(2026, 3, 1), by=self.manager)
        self.assertFalse(record._approvers())
        with self.assertRaisesRegex(UserError, "No archive manager"):
            record.with_user(self.manager).action_submit()


@tagged("post_install", "-at_install")
class TestAssessmentXlsx(AssessmentCase):
    def test_xlsx_read_back(self):
        self.file_at("2026-03-02 01:00:00", self.new_draft())
        first = self.assess(self.officer_a, D(2026, 3, 1))
        second = self.assess(self.officer_b, D(2026, 3, 1))
        records = first | second
        report = self.env.ref("cadre_archive.action_report_assessment_xlsx")
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render(report.report_name, records.ids)
        )
        self.assertEqual(kind, "xlsx")
        book = openpyxl.load_workbook(io.BytesIO(content))
        summary = book["Assessments"]
        self.assertEqual(summary["A2"].value, "Officer")
        self.assertEqual(summary["F2"].value, "Score")
        self.assertEqual(summary["D3"].value, datetime.datetime(2026, 3, 1))
        self.assertEqual(summary["D3"].number_format, "yyyy-mm-dd")
        officers = {summary.cell(row, 1).value for row in (3, 4)}
        self.assertEqual(officers, {self.officer_a.name, self.officer_b.name})
        self.assertEqual(summary["A5"].value, "Total")
        self.assertEqual(summary["C5"].value, 2)
        self.assertAlmostEqual(
            summary["F5"].value, round((first.score + second.score) / 2, 2)
        )
        lines = book["Metrics"]
        totals = [
            row
            for row in lines.iter_rows(min_row=3, values_only=True)
            if row[2] == "Total"
        ]
        self.assertEqual(len(totals), 2)
        by_officer = {row[0]: row[6] for row in totals}
        self.assertAlmostEqual(by_officer[self.officer_a.name], first.score, places=1)
        # an officer exports only their own
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.officer_a)._render(
                report.report_name, records.ids
            )


@tagged("post_install", "-at_install")
class TestTraining(AssessmentCase):
    def course(self, user, hours, start, by=None, **vals):
        return (
            self.env["cadre.archive.training"]
            .with_user(by or user)
            .create(
                {
                    "name": "档案数字化培训",
                    "user_id": user.id,
                    "organiser": "省委组织部",
                    "date_start": start,
                    "hours": hours,
                    **vals,
                }
            )
        )

    def test_hours_of_the_year_on_the_assessment(self):
        self.course(self.officer_a, 16, "2026-03-02")
        self.course(self.officer_a, 8, "2026-11-20")
        self.course(self.officer_a, 40, "2025-12-30")
        self.course(self.officer_b, 30, "2026-03-02", by=self.manager)
        march = self.assess(self.officer_a, D(2026, 3, 1))
        self.assertEqual(march.training_hours, 24)
        self.assertEqual(march.with_user(self.officer_a).training_hours, 24)
        year = self.assess(self.officer_a, D(2025, 1, 1), kind="year")
        self.assertEqual(year.training_hours, 40)

    def test_who_keeps_the_courses_and_certificates(self):
        certificate = base64.b64encode(b"%PDF-1.4 certificate")
        own = self.course(
            self.officer_a,
            8,
            "2026-03-02",
            certificate=certificate,
            certificate_filename="证书.pdf",
        )
        other = self.course(self.officer_b, 8, "2026-03-02")
        training = self.env["cadre.archive.training"]
        self.assertEqual(training.with_user(self.officer_a).search([]), own)
        self.assertEqual(own.with_user(self.officer_a).certificate, certificate)
        self.assertEqual(own.with_user(self.manager).certificate, certificate)
        with self.assertRaises(AccessError):
            other.with_user(self.officer_a).read(["certificate"])
        with self.assertRaises(AccessError):
            self.course(self.officer_b, 8, "2026-03-02", by=self.officer_a)
        with self.assertRaises(AccessError):
            own.with_user(self.officer_a).write({"user_id": self.officer_b.id})
        scan = self.env["ir.attachment"].search(
            [
                ("res_model", "=", training._name),
                ("res_id", "=", own.id),
                ("res_field", "=", "certificate"),
            ]
        )
        self.assertTrue(scan)
        with self.assertRaises(AccessError):
            scan.with_user(self.officer_b).read(["datas"])
        with self.assertRaises(AccessError):
            scan.with_user(self.requester).read(["datas"])

    def reminders(self, user):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", user.partner_id.id),
                ("activity_type_id", "=", self.env.ref(TRAINING).id),
            ]
        )

    def test_reminder_once_below_the_minimum(self):
        self.env.company.archive_training_min_hours = 40
        self.course(self.officer_a, 40, "2026-03-02")
        self.course(self.officer_b, 39.5, "2026-03-02")
        training = self.env["cadre.archive.training"]
        with freeze_time("2026-09-30 12:00:00"):
            training._cron_remind_training_hours()
        self.assertFalse(self.reminders(self.officer_b), "not before October")
        with freeze_time("2026-10-01 12:00:00"):
            training._cron_remind_training_hours()
        with freeze_time("2026-11-01 12:00:00"):
            training._cron_remind_training_hours()
        reminder = self.reminders(self.officer_b)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, self.officer_b)
        self.assertEqual(reminder.date_deadline, D(2026, 12, 31))
        self.assertFalse(self.reminders(self.officer_a))
