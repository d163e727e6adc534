# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import AccessError, UserError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, new_test_user, tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger

from ..lib.audit import add_months
from .common import CadreArchiveCase

D = datetime.date
CHECK = "cadre.archive.promotion.check"
ACTIVITY = "cadre_archive.mail_act_archive_promotion_audit"


class PromotionCase(CadreArchiveCase):
    """Cadres A (unit A) and B (unit B) have dossiers, ``no_dossier`` none;
    ``hr_user`` is an HR officer with no archive right. The company wants an
    audit of the last 12 months graded pass or better, and only flags."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chief = cls.env["hr.job"].create({"name": "科长"})
        cls.deputy = cls.env["hr.job"].create({"name": "副科长"})
        cls.no_dossier = cls.env["hr.employee"].create(
            {"name": "No Dossier", "department_id": cls.unit_a.id}
        )
        cls.hr_user = new_test_user(
            cls.env, login="ca_hr_promo", groups="hr.group_hr_user"
        )
        cls.company.write(
            {
                "archive_promotion_audit_months": 12,
                "archive_promotion_audit_min_grade": "pass",
                "archive_promotion_audit_blocking": False,
            }
        )
        for employee in (cls.cadre_a, cls.cadre_b, cls.no_dossier):
            employee.version_id.date_version = D(2025, 1, 1)
        cls.today = cls.company._archive_today()
        cls.activity_type = cls.env.ref(ACTIVITY)

    # ------------------------------------------------------------------
    def done_audit(self, dossier, day, grade="excellent"):
        """A special audit of ``dossier`` run for real, done on ``day`` (noon
        in Shanghai), with a finding that brings it to ``grade``."""
        audit = self.env["cadre.archive.audit"]._start_for(dossier)
        audit.action_run()
        findings = self.env["cadre.archive.audit.finding"]._as_workflow()
        if grade in ("pass", "fail"):
            findings.create(
                {
                    "audit_id": audit.id,
                    "rule_code": "work_gap",
                    "subject": f"test:{grade}",
                    "severity": "major" if grade == "pass" else "critical",
                    "points": 4,
                    "veto": grade == "fail",
                    "message": "test finding",
                }
            )
        audit._workflow_write(
            {"date": datetime.datetime.combine(day, datetime.time(4, 0))}
        )
        audit.flush_recordset()
        self.assertEqual(audit.grade, grade)
        return audit

    def checks(self, employee):
        return self.env[CHECK].sudo().search([("employee_id", "=", employee.id)])

    def promote(self, employee=None, job=None, user=None):
        employee = employee or self.cadre_a
        employee.with_user(user or self.hr_user).write(
            {"job_id": (job or self.chief).id}
        )

    def officer_activities(self, dossier):
        return dossier.activity_ids.filtered(
            lambda a: a.activity_type_id == self.activity_type
        )

    def warning(self, employee):
        return employee.with_user(self.hr_user).archive_promotion_warning


@tagged("post_install", "-at_install")
class TestPromotionFlag(PromotionCase):
    def test_no_audit_flags_opens_an_audit_and_tells_the_officers(self):
        self.promote()
        # the change is kept
        self.assertEqual(self.cadre_a.job_id, self.chief)
        check = self.checks(self.cadre_a)
        self.assertEqual(len(check), 1)
        self.assertEqual((check.outcome, check.reason), ("flagged", "no_audit"))
        self.assertEqual(check.dossier_id, self.dossier_a)
        self.assertEqual(check.version_id, self.cadre_a.version_id)
        self.assertEqual(check.user_id, self.hr_user)
        self.assertIn("科长", check.change)
        self.assertNotIn("Job Title", check.change)  # it follows the job
        self.assertIn("无已完成的专项审核", check.message)
        self.assertFalse(check.audit_id)
        # an audit is opened for the dossier
        self.assertEqual(check.audit_opened_id.dossier_id, self.dossier_a)
        self.assertEqual(check.audit_opened_id.state, "draft")
        # the officer of unit A has an activity on the dossier, not officer B
        activities = self.officer_activities(self.dossier_a)
        self.assertEqual(activities.user_id, self.officer_a)
        self.assertIn("Cadre A", activities.summary)
        # the employee form warns HR
        self.assertIn("凡提必审", self.warning(self.cadre_a))
        self.assertFalse(self.warning(self.cadre_b))

    def test_a_second_flag_reuses_the_open_audit_and_activity(self):
        self.promote()
        self.promote(job=self.deputy)
        checks = self.checks(self.cadre_a)
        self.assertEqual(len(checks), 2)
        self.assertEqual(len(checks.audit_opened_id), 1)
        self.assertEqual(len(self.officer_activities(self.dossier_a)), 1)

    def test_recent_passing_audit_lets_it_through(self):
        audit = self.done_audit(self.dossier_a, self.today, "pass")
        self.promote()
        check = self.checks(self.cadre_a)
        self.assertEqual((check.outcome, check.reason), ("passed", "passed"))
        self.assertEqual(check.audit_id, audit)
        self.assertFalse(check.audit_opened_id)
        self.assertFalse(self.officer_activities(self.dossier_a))
        self.assertFalse(self.warning(self.cadre_a))

    def test_audit_of_exactly_n_months_ago_still_counts(self):
        audit = self.done_audit(self.dossier_a, add_months(self.today, -12))
        self.promote()
        check = self.checks(self.cadre_a)
        self.assertEqual((check.outcome, check.audit_id), ("passed", audit))

    def test_audit_a_day_older_is_too_old(self):
        day = add_months(self.today, -12) - datetime.timedelta(days=1)
        audit = self.done_audit(self.dossier_a, day)
        self.promote()
        check = self.checks(self.cadre_a)
        self.assertEqual((check.outcome, check.reason), ("flagged", "too_old"))
        self.assertEqual(check.audit_id, audit)
        self.assertIn(str(day), check.message)
        self.assertIn(str(add_months(self.today, -12)), check.message)

    def test_grade_too_low(self):
        self.company.archive_promotion_audit_min_grade = "excellent"
        self.done_audit(self.dossier_a, self.today, "pass")
        self.promote()
        check = self.checks(self.cadre_a)
        self.assertEqual((check.outcome, check.reason), ("flagged", "grade_low"))
        self.assertIn("Pass (合格)", check.message)
        self.assertIn("Excellent (优秀)", check.message)

    def test_failed_audit_is_too_low_for_pass(self):
        self.done_audit(self.dossier_a, self.today, "fail")
        self.promote()
        self.assertEqual(self.checks(self.cadre_a).reason, "grade_low")

    def test_an_audit_passing_later_clears_the_warning(self):
        self.promote()
        self.assertTrue(self.warning(self.cadre_a))
        self.done_audit(self.dossier_a, self.today)
        self.env.invalidate_all()
        self.assertFalse(self.warning(self.cadre_a))

    def test_new_version_with_a_new_job(self):
        version = self.cadre_a.with_user(self.hr_user).create_version(
            {"date_version": D(2026, 3, 1), "job_id": self.chief.id}
        )
        check = self.checks(self.cadre_a)
        self.assertEqual(len(check), 1)
        self.assertEqual(check.version_id, version)
        self.assertEqual(check.change_date, D(2026, 3, 1))
        self.assertEqual(check.outcome, "flagged")

    def test_new_rank(self):
        self.cadre_a.with_user(self.hr_user).write({"archive_rank": "一级主任科员"})
        check = self.checks(self.cadre_a)
        self.assertEqual(len(check), 1)
        self.assertIn("一级主任科员", check.change)

    def test_new_post_title(self):
        self.cadre_a.with_user(self.hr_user).write({"job_title": "办公室主任"})
        check = self.checks(self.cadre_a)
        self.assertEqual(len(check), 1)
        self.assertIn("办公室主任", check.change)

    def test_changes_that_are_no_promotion_are_not_checked(self):
        hr_cadre = self.cadre_a.with_user(self.hr_user)
        hr_cadre.write({"work_phone": "010-12345678", "name": "Cadre A"})
        hr_cadre.create_version({"date_version": D(2026, 3, 1)})
        self.assertFalse(self.checks(self.cadre_a))
        self.promote()
        self.promote()  # the same post again
        self.assertEqual(len(self.checks(self.cadre_a)), 1)

    def test_employee_without_dossier_is_not_checked(self):
        self.promote(self.no_dossier)
        self.assertEqual(self.no_dossier.job_id, self.chief)
        self.assertFalse(self.checks(self.no_dossier))

    def test_hiring_is_not_checked(self):
        self.env["hr.employee"].with_user(self.hr_user).create(
            {"name": "New Hire", "job_id": self.chief.id}
        )
        self.assertFalse(self.env[CHECK].sudo().search([("change", "ilike", "科长")]))

    def test_hr_user_cannot_read_the_audits_it_looked_up(self):
        audit = self.done_audit(self.dossier_a, self.today)
        with self.assertRaises(AccessError):
            audit.with_user(self.hr_user).read(["grade"])
        self.promote()
        self.assertEqual(self.checks(self.cadre_a).audit_id, audit)


@tagged("post_install", "-at_install")
class TestPromotionBlocking(PromotionCase):
    """Blocking mode: the HR change is refused with the reason. Here the
    transaction of the check is the test's own (registry test mode): that
    the refused check survives the HR change's rollback is shown by
    ``TestPromotionRefusalKept`` with real transactions."""

    def setUp(self):
        super().setUp()
        self.company.archive_promotion_audit_blocking = True

    def refuse(self, change):
        with self.enter_registry_test_mode():
            with self.assertRaises(UserError) as caught:
                change()
        return str(caught.exception)

    def test_no_audit_refuses_the_change(self):
        message = self.refuse(lambda: self.promote())
        self.assertIn("凡提必审", message)
        self.assertIn("审核通过后方可变更", message)
        self.assertIn("no done special audit", message)
        self.assertIn("科长", message)
        self.cadre_a.invalidate_recordset()
        self.assertFalse(self.cadre_a.job_id)

    def test_too_old_gives_the_dates(self):
        day = add_months(self.today, -13)
        self.done_audit(self.dossier_a, day)
        message = self.refuse(lambda: self.promote())
        self.assertIn(str(day), message)
        self.assertIn("more than 12 months old", message)

    def test_grade_too_low_gives_the_grade(self):
        self.done_audit(self.dossier_a, self.today, "fail")
        message = self.refuse(lambda: self.promote())
        self.assertIn("Fail (不合格)", message)
        self.assertIn("审核等级不足", message)

    def test_new_version_refused(self):
        message = self.refuse(
            lambda: self.cadre_a.with_user(self.hr_user).create_version(
                {"date_version": D(2026, 3, 1), "job_id": self.chief.id}
            )
        )
        self.assertIn("凡提必审", message)
        self.assertEqual(
            self.env["hr.version"].search_count(
                [("employee_id", "=", self.cadre_a.id)]
            ),
            1,
        )

    def test_passing_audit_lets_it_through(self):
        audit = self.done_audit(self.dossier_a, self.today)
        self.promote()
        self.assertEqual(self.cadre_a.job_id, self.chief)
        check = self.checks(self.cadre_a)
        self.assertEqual((check.outcome, check.audit_id), ("passed", audit))

    def test_employee_without_dossier_is_not_refused(self):
        self.promote(self.no_dossier)
        self.assertEqual(self.no_dossier.job_id, self.chief)

    def test_refused_check_is_written_apart(self):
        """In the test's own transaction (no rollback between), the refused
        check, its audit and the officers' activity were written by the
        separate transaction, with no version (the change did not happen)."""
        with self.enter_registry_test_mode():
            refusal = None
            try:
                self.promote()
            except UserError as error:
                refusal = error
        self.assertIn("凡提必审", str(refusal))
        check = self.checks(self.cadre_a)
        self.assertEqual((check.outcome, check.reason), ("blocked", "no_audit"))
        self.assertEqual(check.user_id, self.hr_user)
        self.assertEqual(check.audit_opened_id.state, "draft")
        self.assertEqual(
            self.officer_activities(self.dossier_a).user_id, self.officer_a
        )


@tagged("post_install", "-at_install")
class TestPromotionCheckAccess(PromotionCase):
    def setUp(self):
        super().setUp()
        self.promote()
        self.promote(self.cadre_b)
        self.check_a = self.checks(self.cadre_a)

    def test_requester_hr_user_and_employee_read_none(self):
        for user in (self.requester, self.hr_user, self.employee_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env[CHECK].with_user(user).search([])
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.check_a.with_user(user).read(["outcome"])

    def test_officers_read_those_of_their_units(self):
        seen_a = self.env[CHECK].with_user(self.officer_a).search([])
        self.assertEqual(seen_a, self.check_a)
        seen_b = self.env[CHECK].with_user(self.officer_b).search([])
        self.assertEqual(seen_b.employee_id, self.cadre_b)
        with self.assertRaises(AccessError):
            self.check_a.with_user(self.officer_b).read(["outcome"])
        self.assertEqual(
            self.env[CHECK].with_user(self.manager).search([]).employee_id,
            self.cadre_a | self.cadre_b,
        )

    def test_dossier_shows_its_checks_to_its_officers(self):
        dossier = self.dossier_a.with_user(self.officer_a)
        self.assertEqual(dossier.promotion_check_ids, self.check_a)
        self.assertEqual(dossier.promotion_check_count, 1)

    def test_nobody_writes_creates_or_deletes_them(self):
        for user in (self.officer_a, self.manager):
            check = self.check_a.with_user(user)
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                check.write({"outcome": "passed"})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                check.unlink()
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env[CHECK].with_user(user).create(
                    {
                        "dossier_id": self.dossier_a.id,
                        "employee_id": self.cadre_a.id,
                        "change": "forged",
                        "user_id": user.id,
                        "outcome": "passed",
                        "reason": "passed",
                    }
                )

    def test_no_check_forged_through_the_dossier(self):
        vals = {
            "promotion_check_ids": [
                Command.create(
                    {
                        "employee_id": self.cadre_a.id,
                        "change": "forged",
                        "user_id": self.officer_a.id,
                        "outcome": "passed",
                        "reason": "passed",
                    }
                )
            ]
        }
        with self.assertRaises(UserError):
            self.dossier_a.with_user(self.officer_a).write(vals)
        with self.assertRaises(UserError):
            self.dossier_a.with_user(self.manager).write(vals)
        self.assertEqual(len(self.checks(self.cadre_a)), 1)

    def test_settings_not_writable_by_hr_users(self):
        with self.assertRaises(AccessError):
            self.company.with_user(self.hr_user).write(
                {"archive_promotion_audit_blocking": True}
            )


@tagged("post_install", "-at_install")
class TestPromotionRefusalKept(BaseCase):
    """The refused check survives the rollback of the HR change: real
    transactions, so the test commits its own data and removes it after."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            company = env.ref("base.main_company")
            self.blocking_before = company.archive_promotion_audit_blocking
            company.archive_promotion_audit_blocking = True
            employee = env["hr.employee"].create(
                {"name": "Refused Cadre", "company_id": company.id}
            )
            dossier = env["cadre.archive.dossier"].create({"employee_id": employee.id})
            job = env["hr.job"].create({"name": "凡提必审 test post"})
            self.ids = {
                "company": company.id,
                "employee": employee.id,
                "dossier": dossier.id,
                "job": job.id,
            }
        self.addCleanup(self._remove_data)

    def _remove_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            dossier = env["cadre.archive.dossier"].browse(self.ids["dossier"])
            env[CHECK].search([("dossier_id", "=", dossier.id)]).unlink()
            env["cadre.archive.audit"].search(
                [("dossier_id", "=", dossier.id)]
            ).unlink()
            dossier.unlink()
            env["hr.employee"].browse(self.ids["employee"]).unlink()
            env["hr.job"].browse(self.ids["job"]).unlink()
            env["res.company"].browse(
                self.ids["company"]
            ).archive_promotion_audit_blocking = self.blocking_before

    @mute_logger("odoo.sql_db")
    def test_refused_check_is_kept_after_the_rollback(self):
        admin = None
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            admin = env.ref("base.user_admin").id
        with self.registry.cursor() as cr:
            env = api.Environment(cr, admin, {"tracking_disable": True})
            employee = env["hr.employee"].browse(self.ids["employee"])
            with self.assertRaises(UserError):
                employee.write({"job_id": self.ids["job"]})
            cr.rollback()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            employee = env["hr.employee"].browse(self.ids["employee"])
            self.assertFalse(employee.job_id, "the HR change was rolled back")
            check = env[CHECK].search([("employee_id", "=", employee.id)])
            self.assertEqual(len(check), 1)
            self.assertEqual((check.outcome, check.reason), ("blocked", "no_audit"))
            self.assertEqual(check.user_id.id, admin)
            self.assertEqual(check.version_id, employee.version_id)
            self.assertEqual(check.audit_opened_id.state, "draft")
