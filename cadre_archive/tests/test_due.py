# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import calendar
import datetime

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CadreArchiveCase, JsonRpcMixin

D = datetime.date
DUE = "cadre.archive.due"


class DueCase(CadreArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.chief = cls.env["hr.job"].create({"name": "科长"})
        cls.deputy = cls.env["hr.job"].create({"name": "副科长"})
        cls.no_dossier = cls.env["hr.employee"].create(
            {"name": "No Dossier", "department_id": cls.unit_a.id}
        )
        cls.hr_user = new_test_user(
            cls.env, login="ca_hr_user", groups="hr.group_hr_user"
        )
        cls.activity_due = cls.env.ref("cadre_archive.mail_act_archive_due")
        cls.activity_overdue = cls.env.ref("cadre_archive.mail_act_archive_due_overdue")
        # the contract versions start on a 31st: a month later is the 28th
        for employee in (cls.cadre_a, cls.cadre_b, cls.no_dossier):
            employee.version_id.date_version = D(2025, 1, 31)

    def dues(self, employee=None, dossier=None):
        domain = [("origin", "=", "hr_event")]
        if employee is not None:
            domain.append(("employee_id", "=", employee.id))
        if dossier is not None:
            domain.append(("dossier_id", "=", dossier.id))
        return self.env[DUE].sudo().search(domain)

    def resume_line(self, employee, type_xmlid, name, date_start):
        return self.env["hr.resume.line"].create(
            {
                "employee_id": employee.id,
                "name": name,
                "line_type_id": self.env.ref(type_xmlid).id,
                "date_start": date_start,
            }
        )

    def event_due(self):
        """An expectation made by a new post of cadre A, today."""
        self.cadre_a.write({"job_id": self.chief.id})
        due = self.dues(dossier=self.dossier_a)
        self.assertEqual(len(due), 1)
        return due


@tagged("post_install", "-at_install")
class TestDueFromHrEvents(DueCase):
    """Each HR event kind makes its material due, for cadres with a dossier."""

    def assert_one_due(self, rule_xmlid, category, event_date, deadline, dossier=None):
        dossier = dossier or self.dossier_a
        due = self.dues(dossier=dossier)
        self.assertEqual(len(due), 1, "one event, one expected material")
        self.assertEqual(due.rule_id, self.env.ref(rule_xmlid))
        self.assertEqual(due.category_id, category)
        self.assertEqual(due.event_date, event_date)
        self.assertEqual(due.deadline, deadline)
        self.assertEqual(due.state, "open")
        self.assertEqual(due.origin, "hr_event")
        self.assertEqual(due.user_id, self.officer_a)
        activity = due.activity_ids
        self.assertEqual(activity.activity_type_id, self.activity_due)
        self.assertEqual(activity.user_id, self.officer_a, "the officer of the unit")
        self.assertEqual(activity.date_deadline, deadline)
        return due

    def test_new_post_on_employee(self):
        self.cadre_a.write({"job_id": self.chief.id})
        due = self.assert_one_due(
            "cadre_archive.due_rule_job",
            self.cat_appointment,
            D(2025, 1, 31),
            D(2025, 2, 28),
        )
        self.assertIn("科长", due.name)
        self.assertIn("任免审批表", due.name)

    @staticmethod
    def _plus_one_month(day):
        year, month = (
            (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
        )
        return D(year, month, min(day.day, calendar.monthrange(year, month)[1]))

    def test_new_post_on_a_new_contract_version(self):
        """A version dated 31 January: the form is due by 28 February."""
        self.cadre_a.create_version(
            {"date_version": D(2027, 1, 31), "job_id": self.chief.id}
        )
        self.assert_one_due(
            "cadre_archive.due_rule_job",
            self.cat_appointment,
            D(2027, 1, 31),
            D(2027, 2, 28),
        )

    def test_new_version_without_change_is_no_event(self):
        self.cadre_a.create_version({"date_version": D(2027, 1, 31)})
        self.assertFalse(self.dues(dossier=self.dossier_a))

    def test_new_unit(self):
        self.cadre_a.write({"department_id": self.unit_a1.id})
        due = self.assert_one_due(
            "cadre_archive.due_rule_department",
            self.cat_appointment,
            D(2025, 1, 31),
            D(2025, 2, 28),
        )
        self.assertIn("Unit A1", due.name)

    def test_new_rank(self):
        self.cadre_a.write({"archive_rank": "一级主任科员"})
        due = self.assert_one_due(
            "cadre_archive.due_rule_rank",
            self.cat_appointment,
            D(2025, 1, 31),
            D(2025, 2, 28),
        )
        self.assertIn("一级主任科员", due.name)

    def test_new_education_level(self):
        self.cadre_a.write({"certificate": "master"})
        self.assert_one_due(
            "cadre_archive.due_rule_degree",
            self.cat_degree,
            self.today,
            self._plus_one_month(self.today),
        )

    def test_resume_line_events(self):
        cases = (
            ("cadre_archive.resume_type_title", "cadre_archive.due_rule_title", "4-2"),
            ("cadre_archive.resume_type_award", "cadre_archive.due_rule_award", "7"),
            (
                "cadre_archive.resume_type_sanction",
                "cadre_archive.due_rule_sanction",
                "8",
            ),
            (
                "cadre_archive.resume_type_assessment",
                "cadre_archive.due_rule_assessment",
                "3",
            ),
            (
                "hr_skills.resume_type_education",
                "cadre_archive.due_rule_education",
                "4-1",
            ),
        )
        for type_xmlid, rule_xmlid, code in cases:
            with self.subTest(rule=rule_xmlid):
                line = self.resume_line(
                    self.cadre_a, type_xmlid, "2026年度", D(2027, 3, 31)
                )
                due = self.dues(dossier=self.dossier_a).filtered(
                    lambda d, r=rule_xmlid: d.rule_id == self.env.ref(r)
                )
                self.assertEqual(len(due), 1)
                self.assertEqual(due.category_id.code, code)
                self.assertEqual(due.event_date, D(2027, 3, 31))
                self.assertEqual(due.deadline, D(2027, 4, 30))
                self.assertEqual(due.event_model, "hr.resume.line")
                self.assertEqual(due.event_res_id, line.id)
                self.assertEqual(due.activity_ids.user_id, self.officer_a)

    def test_other_resume_lines_are_no_event(self):
        self.resume_line(
            self.cadre_a, "hr_skills.resume_type_experience", "某公司", D(2027, 3, 31)
        )
        self.assertFalse(self.dues(dossier=self.dossier_a))

    def test_only_for_cadres_with_a_dossier(self):
        self.no_dossier.write(
            {
                "job_id": self.chief.id,
                "archive_rank": "四级调研员",
                "certificate": "bachelor",
            }
        )
        self.resume_line(
            self.no_dossier, "cadre_archive.resume_type_award", "先进", D(2027, 3, 31)
        )
        self.assertFalse(self.dues(employee=self.no_dossier))
        self.assertFalse(
            self.env[DUE]
            .sudo()
            .search([])
            .filtered(lambda d: d.employee_id == self.no_dossier)
        )

    def test_one_change_for_several_employees(self):
        """One write for a cadre with a dossier and an employee without:
        only the cadre gets an expectation."""
        (self.cadre_a | self.no_dossier).write({"job_id": self.chief.id})
        self.assertEqual(len(self.dues(dossier=self.dossier_a)), 1)
        self.assertFalse(
            self.env[DUE]
            .sudo()
            .search([])
            .filtered(lambda d: d.employee_id == self.no_dossier)
        )
        self.assertEqual(
            self.env[DUE].sudo().search_count([("dossier_id", "=", self.dossier_a.id)]),
            1,
        )

    def test_same_value_again_makes_nothing_new(self):
        self.cadre_a.write({"job_id": self.chief.id})
        self.cadre_a.write({"job_id": self.chief.id, "name": "Cadre A"})
        self.assertEqual(len(self.dues(dossier=self.dossier_a)), 1)
        self.cadre_a.write({"job_id": self.deputy.id})
        self.assertEqual(len(self.dues(dossier=self.dossier_a)), 2)

    def test_hr_user_triggers_without_reading_the_archive(self):
        self.cadre_b.with_user(self.hr_user).write({"job_id": self.chief.id})
        due = self.dues(dossier=self.dossier_b)
        self.assertEqual(len(due), 1)
        self.assertEqual(due.activity_ids.user_id, self.officer_b)
        with self.assertRaises(AccessError):
            due.with_user(self.hr_user).read(["name"])

    def test_unit_without_officer_falls_back_to_managers(self):
        unit_c = self.env["hr.department"].create({"name": "Unit C"})
        cadre_c = self.env["hr.employee"].create(
            {"name": "Cadre C", "department_id": unit_c.id}
        )
        dossier_c = self.env["cadre.archive.dossier"].create(
            {"employee_id": cadre_c.id}
        )
        cadre_c.write({"job_id": self.chief.id})
        due = self.dues(dossier=dossier_c)
        self.assertIn(self.manager, due.activity_ids.user_id)
        self.assertNotIn(self.officer_a, due.activity_ids.user_id)

    def test_rule_configuration(self):
        """Deactivated, a rule makes nothing due; its delay is its own."""
        rule = self.env.ref("cadre_archive.due_rule_rank")
        rule.write({"delay_count": 10, "delay_unit": "days"})
        self.cadre_a.write({"archive_rank": "一级主任科员"})
        due = self.dues(dossier=self.dossier_a)
        self.assertEqual(due.deadline - due.event_date, datetime.timedelta(days=10))
        rule.active = False
        self.cadre_a.write({"archive_rank": "二级调研员"})
        self.assertEqual(len(self.dues(dossier=self.dossier_a)), 1)


@tagged("post_install", "-at_install")
class TestDueClosing(DueCase):
    def test_filing_a_matching_material_closes_it(self):
        due = self.event_due()
        other = self.create_material(self.dossier_a, self.cat_degree, "学位证书")
        self.file_materials(other, user=self.officer_a)
        self.assertEqual(due.state, "open", "another category fulfils nothing")
        form = self.create_material(
            self.dossier_a,
            self.cat_appointment,
            "干部任免审批表",
            date=due.event_date,
        )
        self.file_materials(form, user=self.officer_a)
        self.assertEqual(due.state, "done")
        self.assertEqual(due.material_id, form)
        self.assertFalse(due.activity_ids, "the officers' to-do is gone")

    def test_filing_closes_the_expectation_closest_in_time(self):
        self.cadre_a.create_version(
            {"date_version": D(2020, 3, 1), "job_id": self.deputy.id}
        )
        self.cadre_a.create_version(
            {"date_version": D(2023, 3, 1), "job_id": self.chief.id}
        )
        dues = self.dues(dossier=self.dossier_a)
        self.assertEqual(len(dues), 2)
        form = self.create_material(
            self.dossier_a, self.cat_appointment, "任免审批表", date=D(2023, 2, 20)
        )
        self.file_materials(form, user=self.officer_a)
        done = dues.filtered(lambda d: d.state == "done")
        self.assertEqual(done.event_date, D(2023, 3, 1))

    def test_closing_by_hand_needs_a_reason(self):
        due = self.event_due()
        for reason in ("", "   ", None):
            with self.subTest(reason=reason), self.assertRaises(UserError):
                due.with_user(self.officer_a).action_close_by_hand(reason)
        self.assertEqual(due.state, "open")
        wizard = (
            self.env["cadre.archive.due.close"]
            .with_user(self.officer_a)
            .create({"due_ids": [(6, 0, due.ids)], "reason": "任职文件已在组织部存档"})
        )
        wizard.action_confirm()
        self.assertEqual(due.state, "done")
        self.assertEqual(due.close_reason, "任职文件已在组织部存档")
        self.assertEqual(due.closed_uid, self.officer_a)
        self.assertFalse(due.material_id)
        self.assertFalse(due.activity_ids)
        with self.assertRaises(UserError):
            due.with_user(self.officer_a).action_close_by_hand("again")

    def test_officer_of_another_unit_cannot_close(self):
        due = self.event_due()
        with self.assertRaises(AccessError):
            due.with_user(self.officer_b).action_close_by_hand("not mine")
        self.assertEqual(due.state, "open")


@tagged("post_install", "-at_install")
class TestDueReminder(DueCase):
    def overdue_activities(self, due):
        return due.activity_ids.filtered(
            lambda a: a.activity_type_id == self.activity_overdue
        )

    def test_overdue_reminded_once_then_again_when_done(self):
        due = self.event_due()
        Due = self.env[DUE]
        due.with_user(self.officer_a).deadline = self.today + datetime.timedelta(days=5)
        Due._cron_remind_overdue()
        self.assertFalse(self.overdue_activities(due), "not overdue yet")
        due.with_user(self.officer_a).deadline = self.today - datetime.timedelta(days=1)
        self.assertTrue(due.is_overdue)
        Due._cron_remind_overdue()
        Due._cron_remind_overdue()
        reminder = self.overdue_activities(due)
        self.assertEqual(len(reminder), 1, "reminded once, not once a run")
        self.assertEqual(reminder.user_id, self.officer_a)
        self.assertEqual(reminder.date_deadline, self.today)
        # done without the material coming: reminded again the next day
        reminder.action_feedback("called the unit")
        Due._cron_remind_overdue()
        self.assertEqual(len(self.overdue_activities(due)), 1)

    def test_reminder_run_as_of_a_later_day(self):
        due = self.event_due()
        due.deadline = self.today + datetime.timedelta(days=5)
        self.assertNotIn(due, self.env[DUE].search([("is_overdue", "=", True)]))
        later = due.deadline + datetime.timedelta(days=1)
        Due = self.env[DUE].with_context(cadre_archive_today=later)
        self.assertIn(due, Due.search([("is_overdue", "=", True)]))
        Due._cron_remind_overdue()
        self.assertEqual(self.overdue_activities(due).date_deadline, later)

    def test_closed_is_not_reminded(self):
        due = self.event_due()
        due.with_user(self.officer_a).action_close_by_hand("received on paper")
        later = due.deadline + datetime.timedelta(days=1)
        self.env[DUE].with_context(cadre_archive_today=later)._cron_remind_overdue()
        self.assertFalse(due.activity_ids)

    def test_missing_by_rule_is_listed_not_reminded(self):
        self.dossier_a._check_missing()
        found = self.env[DUE].search(
            [("dossier_id", "=", self.dossier_a.id), ("origin", "=", "missing_rule")]
        )
        self.assertTrue(found)
        later = max(found.mapped("deadline")) + datetime.timedelta(days=1)
        self.env[DUE].with_context(cadre_archive_today=later)._cron_remind_overdue()
        self.assertFalse(found.activity_ids)

    def test_lists_per_unit_and_officer(self):
        due = self.event_due()
        Due = self.env[DUE].with_user(self.officer_a)
        self.assertEqual(Due.search([("user_id", "=", self.officer_a.id)]), due)
        groups = Due._read_group(
            [("state", "=", "open")], ["department_id"], ["__count"]
        )
        self.assertEqual(groups, [(self.unit_a, 1)])


@tagged("post_install", "-at_install")
class TestDueAccess(DueCase):
    def test_requester_and_employee_see_none(self):
        due = self.event_due()
        for user in (self.requester, self.employee_user, self.cadre_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env[DUE].with_user(user).search([])
                with self.assertRaises(AccessError):
                    due.with_user(user).read(["name"])

    def test_officer_of_another_unit_sees_none(self):
        due = self.event_due()
        self.assertFalse(self.env[DUE].with_user(self.officer_b).search([]))
        with self.assertRaises(AccessError):
            due.with_user(self.officer_b).read(["name"])
        with self.assertRaises(AccessError):
            due.with_user(self.officer_b).write({"user_id": self.officer_b.id})

    def test_officer_cannot_write_system_fields(self):
        due = self.event_due()
        material = self.create_material(self.dossier_a, self.cat_appointment, "x")
        for vals in (
            {"state": "done"},
            {"state": "cancelled"},
            {"material_id": material.id},
            {"origin": "manual"},
            {"close_reason": "x"},
            {"dossier_id": self.dossier_a1.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                due.with_user(self.officer_a).write(vals)
        self.assertEqual(due.state, "open")
        self.assertFalse(due.material_id)
        # what an officer sets: the deadline, who follows it up
        due.with_user(self.officer_a).write(
            {"deadline": self.today, "user_id": self.officer_a.id}
        )

    def test_officer_enters_one_by_hand_for_their_dossiers_only(self):
        Due = self.env[DUE].with_user(self.officer_a)
        vals = {
            "name": "干部任免审批表",
            "category_id": self.cat_appointment.id,
            "deadline": self.today,
        }
        due = Due.create(dict(vals, dossier_id=self.dossier_a1.id))
        self.assertEqual((due.origin, due.state), ("manual", "open"))
        with self.assertRaises(AccessError):
            Due.create(dict(vals, dossier_id=self.dossier_b.id))
        for forged in ({"state": "done"}, {"origin": "hr_event"}):
            with self.subTest(vals=forged), self.assertRaises(UserError):
                Due.create(dict(vals, dossier_id=self.dossier_a1.id, **forged))

    def test_own_dossier_is_hidden_from_an_officer_cadre(self):
        """An officer who is a cadre of their own unit never sees what their
        own dossier lacks (回避)."""
        self.officer_a.employee_ids.unlink()
        self.cadre_a.user_id = self.officer_a
        due = self.event_due()
        self.assertNotIn(due, self.env[DUE].with_user(self.officer_a).search([]))

    def test_rules_configured_by_managers_only(self):
        rule = self.env.ref("cadre_archive.due_rule_job")
        rule.with_user(self.officer_a).read(["name"])
        with self.assertRaises(AccessError):
            rule.with_user(self.officer_a).write({"delay_count": 2})
        rule.with_user(self.manager).write({"delay_count": 2})
        with self.assertRaises(AccessError):
            rule.with_user(self.requester).read(["name"])


@tagged("post_install", "-at_install")
class TestDueRpc(HttpCase, DueCase, JsonRpcMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_passwords()

    def test_system_fields_refused_over_rpc(self):
        due = self.event_due()
        material = self.create_material(self.dossier_a, self.cat_appointment, "x")
        self.login(self.officer_a)
        for vals in ({"state": "done"}, {"material_id": material.id}):
            with self.subTest(vals=vals):
                result, error = self.call(DUE, "write", due.ids, vals)
                self.assertFalse(result)
                self.assertIn("set by the archive itself", error)
        result, error = self.call(DUE, "search_read", [], ["name"])
        self.assertEqual([row["id"] for row in result], due.ids)
        self.login(self.officer_b)
        result, error = self.call(DUE, "read", due.ids, ["name"])
        self.assertFalse(result)
        self.assertTrue(error)
        self.login(self.requester)
        result, error = self.call(DUE, "search_read", [], ["name"])
        self.assertFalse(result)
        self.assertTrue(error)
        due.invalidate_recordset()
        self.assertEqual(due.state, "open")
        self.assertFalse(due.material_id)
