# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime
import importlib.util

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import CadreArchiveCase

APPROVAL = "cadre_archive.mail_act_archive_request_approval"


class RequestCase(CadreArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.requester.tz = "Asia/Shanghai"
        cls.requester_employee = cls.env["hr.employee"].create(
            {"name": "Requester", "user_id": cls.requester.id}
        )
        cls.scan_b = cls.attach_scan(cls.material_b, "page of B")
        cls.other_b = cls.create_material(cls.dossier_b, cls.cat_cv, "履历表")
        cls.file_materials(
            cls.material_a | cls.material_a1 | cls.material_b | cls.other_b
        )
        cls.draft_b = cls.create_material(cls.dossier_b, cls.cat_degree, "草稿")
        cls.dossier_own = cls.env["cadre.archive.dossier"].create(
            {"employee_id": cls.requester_employee.id}
        )
        cls.material_own = cls.create_material(cls.dossier_own, cls.cat_cv, "本人履历")
        cls.file_materials(cls.material_own)
        cls.today = cls.env.company._archive_today()

    @staticmethod
    def readers_vals(*names, political_status="cpc_member"):
        """Reader lines of a request's approval form: two party members unless
        told otherwise (what the company's default settings want)."""
        return [
            Command.create(
                {
                    "name": name,
                    "post": "干部科科员",
                    "political_status": political_status,
                }
            )
            for name in names or ("查阅人甲", "查阅人乙")
        ]

    def new_request(self, dossiers=None, **vals):
        values = {
            "dossier_ids": [(6, 0, (dossiers or self.dossier_b).ids)],
            "purpose": "干部考察",
            "purpose_type": "assessment",
            "reader_ids": self.readers_vals(),
            "request_type": "online",
            "date_start": self.today,
            "date_end": self.today + datetime.timedelta(days=1),
            **vals,
        }
        return (
            self.env["cadre.archive.request"].with_user(self.requester).create(values)
        )

    def approve_from_activity(self, activity, user, opinion="同意查阅"):
        """Press Approve Request on ``activity`` as ``user`` and confirm the
        dialog with ``opinion``, as the web client does."""
        action = activity.with_user(user).action_approve_archive_request()
        self.assertEqual(action["res_model"], "cadre.archive.request.approve")
        wizard = (
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
            .create({"opinion": opinion})
        )
        return wizard.action_approve()

    def approved_request(self, **vals):
        request = self.new_request(**vals)
        request.action_submit()
        request.with_user(self.manager).action_approve()
        return request

    def readable_materials(self, user=None):
        return (
            self.env["cadre.archive.material"]
            .with_user(user or self.requester)
            .search([])
        )


@tagged("post_install", "-at_install")
class TestRequestLifecycle(RequestCase):
    def test_requester_links_dossiers_they_cannot_read(self):
        request = self.new_request()
        self.assertEqual(request.cadre_ids.ids, self.cadre_b.ids)
        self.assertEqual(request.sudo().dossier_ids, self.dossier_b)
        self.assertTrue(request.name.startswith("CY"))
        with self.assertRaises(AccessError):
            self.dossier_b.with_user(self.requester).read(["name"])
        # picking by cadre works the same way
        request.cadre_ids = self.env["hr.employee.public"].browse(self.cadre_a1.ids)
        self.assertEqual(request.sudo().dossier_ids, self.dossier_a1)
        # the picker offers cadres with a dossier, by name and unit only
        picker = self.env["hr.employee.public"].with_user(self.requester)
        found = picker.search([("has_cadre_dossier", "=", True)])
        self.assertIn(self.cadre_b.id, found.ids)
        self.assertNotIn(self.requester_employee.id, found.ids)

    def test_dossier_commands_name_their_cadres(self):
        request = self.new_request()
        as_requester = request.with_user(self.requester)
        as_requester.write({"dossier_ids": [Command.link(self.dossier_a1.id)]})
        self.assertEqual(request.cadre_ids.ids, (self.cadre_b | self.cadre_a1).ids)
        self.assertEqual(request.sudo().dossier_ids, self.dossier_b | self.dossier_a1)
        as_requester.write({"dossier_ids": [Command.unlink(self.dossier_b.id)]})
        self.assertEqual(request.sudo().dossier_ids, self.dossier_a1)
        as_requester.write({"dossier_ids": [self.dossier_b.id]})
        self.assertEqual(request.sudo().dossier_ids, self.dossier_b | self.dossier_a1)
        as_requester.write({"dossier_ids": [Command.clear()]})
        self.assertFalse(request.cadre_ids)
        self.assertFalse(request.sudo().dossier_ids)
        with self.assertRaisesRegex(UserError, "never created"):
            as_requester.write({"dossier_ids": [Command.create({"employee_id": 1})]})
        missing = self.env["cadre.archive.dossier"].search([], order="id desc", limit=1)
        with self.assertRaisesRegex(ValidationError, "do not exist"):
            as_requester.write({"dossier_ids": [Command.link(missing.id + 1000)]})
        self.assertFalse(request.cadre_ids)

    def test_cadres_of_another_company_are_refused(self):
        other_company = self.env["res.company"].create({"name": "Other Bureau"})
        self.requester.company_ids |= other_company
        outsider = self.env["hr.employee"].create(
            {"name": "Outsider", "company_id": other_company.id}
        )
        self.env["cadre.archive.dossier"].create({"employee_id": outsider.id})
        request = self.new_request()
        as_requester = request.with_user(self.requester).with_context(
            allowed_company_ids=(self.env.company | other_company).ids
        )
        with self.assertRaisesRegex(ValidationError, "no dossier in"):
            as_requester.cadre_ids = [Command.link(outsider.id)]
        # a cadre without any dossier is refused the same way
        with self.assertRaisesRegex(ValidationError, "no dossier in"):
            as_requester.cadre_ids = [
                Command.link(self.requester_employee.create({"name": "Nobody"}).id)
            ]

    def test_migration_fills_the_cadres_of_old_requests(self):
        """19.0.1.1.0 fills the cadres of requests that held only dossiers."""
        request = self.new_request(dossiers=self.dossier_b | self.dossier_a1)
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM cadre_archive_request_cadre_rel WHERE request_id = %s",
            [request.id],
        )
        self.env.invalidate_all()
        self.assertFalse(request.cadre_ids)
        path = file_path("cadre_archive/migrations/19.0.1.1.0/post-migrate.py")
        spec = importlib.util.spec_from_file_location("post_migrate_1_1", path)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        script.migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(
            set(request.cadre_ids.ids), set((self.cadre_b | self.cadre_a1).ids)
        )
        self.assertEqual(request.sudo().dossier_ids, self.dossier_b | self.dossier_a1)

    def test_whole_lifecycle(self):
        request = self.new_request()
        self.assertFalse(self.readable_materials())
        request.action_submit()
        self.assertEqual(request.state, "submitted")
        activities = request.sudo().activity_ids
        self.assertEqual(activities.activity_type_id, self.env.ref(APPROVAL))
        # the archive managers, less the administrators (managers by data)
        managers = self.env.ref("cadre_archive.group_manager").all_user_ids.filtered(
            lambda u: (
                u.active
                and self.company in u.company_ids
                and not u.has_group("base.group_system")
            )
        )
        self.assertEqual(activities.user_id, managers)
        self.assertNotIn(self.env.ref("base.user_admin"), activities.user_id)
        self.assertIn(self.manager, activities.user_id)
        self.assertFalse(self.readable_materials(), "no access before approval")

        with self.assertRaises(AccessError):
            request.with_user(self.officer_a).action_approve()
        request.with_user(self.manager).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.approver_id, self.manager)
        self.assertFalse(request.sudo().activity_ids, "approval activities closed")
        self.assertIn(self.requester.partner_id, request.sudo().message_ids.partner_ids)
        self.assertEqual(self.readable_materials(), (self.material_b | self.other_b))
        self.assertNotIn(self.draft_b, self.readable_materials())
        self.assertEqual(
            self.env["cadre.archive.dossier"].with_user(self.requester).search([]),
            self.dossier_b,
        )
        self.assertEqual(self.scan_b.with_user(self.requester).name, self.scan_b.name)

        request.with_user(self.requester).action_done()
        self.assertEqual(request.state, "done")
        self.assertFalse(self.readable_materials(), "access ends with action_done")
        with self.assertRaises(AccessError):
            self.scan_b.with_user(self.requester).read(["name"])

    def test_configured_approvers(self):
        self.company.archive_approver_ids = self.officer_b
        request = self.new_request()
        request.action_submit()
        self.assertEqual(request.sudo().activity_ids.user_id, self.officer_b)
        with self.assertRaises(AccessError):
            request.with_user(self.manager).action_approve()
        request.with_user(self.officer_b).action_approve()
        self.assertEqual(request.state, "approved")

    def test_requester_never_approves_own_request(self):
        self.requester.group_ids = [(4, self.env.ref("cadre_archive.group_manager").id)]
        request = self.new_request()
        request.action_submit()
        self.assertNotIn(self.requester, request._get_approvers())
        with self.assertRaisesRegex(AccessError, "own request"):
            request.with_user(self.requester).action_approve()
        with self.assertRaisesRegex(AccessError, "own request"):
            request.with_user(self.requester).action_refuse(reason="no")
        self.assertEqual(request.state, "submitted")

    def test_refusal_needs_a_reason_and_closes_activities(self):
        request = self.new_request()
        request.action_submit()
        action = request.with_user(self.manager).action_refuse()
        self.assertEqual(action["res_model"], "cadre.archive.request.refuse")
        wizard = (
            self.env["cadre.archive.request.refuse"]
            .with_user(self.manager)
            .create({"request_ids": [(6, 0, request.ids)], "reason": "用途不明确"})
        )
        wizard.action_refuse()
        self.assertEqual(request.state, "refused")
        self.assertEqual(request.refuse_reason, "用途不明确")
        self.assertFalse(request.sudo().activity_ids)
        self.assertFalse(self.readable_materials())
        messages = request.sudo().message_ids.filtered(
            lambda m: self.requester.partner_id in m.partner_ids
        )
        self.assertIn("用途不明确", messages[0].body)

    def test_approve_from_the_activity(self):
        request = self.new_request()
        request.action_submit()
        activity = request.sudo().activity_ids.filtered(
            lambda a: a.user_id == self.manager
        )
        # marking it done decides nothing: the Approve button does
        with self.assertRaisesRegex(UserError, "on purpose"):
            activity.with_user(self.manager).action_feedback(feedback="同意")
        self.assertEqual(request.state, "submitted")
        self.approve_from_activity(activity, self.manager)
        self.assertEqual(request.state, "approved")
        self.assertFalse(request.sudo().activity_ids)

    def test_refuse_from_the_activity_asks_for_a_reason(self):
        request = self.new_request()
        request.action_submit()
        activity = request.sudo().activity_ids.filtered(
            lambda a: a.user_id == self.manager
        )
        action = activity.with_user(self.manager).action_refuse_archive_request()
        self.assertEqual(action["res_model"], "cadre.archive.request.refuse")
        self.assertEqual(request.state, "submitted")

    def test_requester_cannot_change_a_submitted_request(self):
        request = self.new_request()
        request.action_submit()
        with self.assertRaises(UserError):
            request.with_user(self.requester).allow_download = True
        with self.assertRaises(UserError):
            request.with_user(self.requester).write({"state": "approved"})
        with self.assertRaises(UserError):
            request.with_user(self.requester).dossier_ids = [(6, 0, self.dossier_a.ids)]

    def test_approver_narrows_but_never_widens(self):
        request = self.new_request(
            allow_download=True,
            date_end=self.today + datetime.timedelta(days=2),
        )
        request.action_submit()
        manager_request = request.with_user(self.manager)
        manager_request.write({"allow_print": True})
        with self.assertRaisesRegex(ValidationError, "permission"):
            manager_request.action_approve()
        manager_request.write(
            {
                "allow_print": False,
                "allow_download": False,
                "date_end": self.today,
                "category_ids": [(6, 0, self.cat_appointment.ids)],
            }
        )
        manager_request.action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(self.readable_materials(), self.material_b)

    def test_approver_never_adds_categories_or_materials(self):
        cat_4 = self.env.ref("cadre_archive.category_4")
        request = self.new_request(category_ids=[(6, 0, (self.cat_cv | cat_4).ids)])
        request.action_submit()
        manager_request = request.with_user(self.manager)
        manager_request.write(
            {"category_ids": [(6, 0, (self.cat_cv | self.cat_appointment).ids)]}
        )
        with self.assertRaisesRegex(ValidationError, "categories"):
            manager_request.action_approve()
        # narrowing a parent category to one of its sub-categories is fine
        manager_request.write({"category_ids": [(6, 0, self.cat_degree.ids)]})
        manager_request.action_approve()
        self.assertEqual(request.state, "approved")

        # an officer may name single materials of the dossiers they keep
        asked = (
            self.env["cadre.archive.request"]
            .with_user(self.officer_b)
            .create(
                {
                    "dossier_ids": [(6, 0, self.dossier_b.ids)],
                    "material_ids": [(6, 0, self.material_b.ids)],
                    "purpose": "干部审核",
                    "purpose_type": "cadre_review",
                    "reader_ids": self.readers_vals(),
                    "date_start": self.today,
                    "date_end": self.today,
                }
            )
        )
        asked.action_submit()
        asked.with_user(self.manager).write(
            {"material_ids": [(6, 0, (self.material_b | self.other_b).ids)]}
        )
        with self.assertRaisesRegex(ValidationError, "materials"):
            asked.with_user(self.manager).action_approve()


@tagged("post_install", "-at_install")
class TestRequestRefusals(RequestCase):
    def submit_fails(self, request, pattern):
        with self.assertRaisesRegex(ValidationError, pattern):
            request.action_submit()
        self.assertEqual(request.state, "draft")

    def test_no_dossier(self):
        self.submit_fails(self.new_request(dossier_ids=[]), "at least one cadre")

    def test_no_purpose(self):
        # the text explains the case; "Other" has nothing else to say it
        self.submit_fails(
            self.new_request(purpose="  ", purpose_type="other"), "purpose"
        )

    def test_period_in_the_past(self):
        yesterday = self.today - datetime.timedelta(days=1)
        self.submit_fails(
            self.new_request(date_start=yesterday, date_end=yesterday), "over"
        )

    def test_period_too_long_per_kind(self):
        cases = {"online": 4, "reading_room": 2, "lend": 8}
        for kind, days in cases.items():
            with self.subTest(kind=kind):
                request = self.new_request(
                    request_type=kind,
                    date_end=self.today + datetime.timedelta(days=days - 1),
                )
                self.submit_fails(request, str(days - 1))
        self.company.archive_max_days_online = 5
        self.new_request(
            date_end=self.today + datetime.timedelta(days=4)
        ).action_submit()

    def test_own_dossier(self):
        with self.assertRaisesRegex(ValidationError, "own dossier"):
            self.new_request(dossiers=self.dossier_own)

    def test_declared_relative(self):
        self.env["cadre.archive.dossier.relative"].create(
            {
                "dossier_id": self.dossier_b.id,
                "employee_id": self.requester_employee.id,
                "relation": "spouse",
            }
        )
        with self.assertRaisesRegex(ValidationError, "relative"):
            self.new_request()
        # and the rules keep them out even with an approval slipped in
        request = self.new_request(dossiers=self.dossier_a1)
        self.env.flush_all()
        self.env.cr.execute(
            "INSERT INTO cadre_archive_request_dossier_rel (request_id, dossier_id) "
            "VALUES (%s, %s)",
            [request.id, self.dossier_b.id],
        )
        access_start, access_end = request._approved_window()
        request.sudo().with_context(
            cadre_archive_workflow=request.WORKFLOW_SENTINEL
        ).write(
            {
                "state": "approved",
                "access_start": access_start,
                "access_end": access_end,
            }
        )
        self.assertNotIn(self.material_b, self.readable_materials())
        self.assertIn(self.material_a1, self.readable_materials())

    def test_nobody_reads_own_dossier_through_a_request(self):
        request = self.approved_request()
        self.env.flush_all()
        self.env.cr.execute(
            "INSERT INTO cadre_archive_request_dossier_rel (request_id, dossier_id) "
            "VALUES (%s, %s)",
            [request.id, self.dossier_own.id],
        )
        self.assertIn(self.material_b, self.readable_materials())
        self.assertNotIn(self.material_own, self.readable_materials())
        with self.assertRaises(AccessError):
            self.dossier_own.with_user(self.requester).read(["name"])


@tagged("post_install", "-at_install")
class TestRequestPeriodAndScope(RequestCase):
    def test_period_boundaries_in_the_archive_timezone(self):
        # the requester's own time zone plays no part
        self.requester.tz = "America/New_York"
        day = self.today + datetime.timedelta(days=1)
        request = self.approved_request(date_start=day, date_end=day)
        # 00:00 to 24:00 in Asia/Shanghai (UTC+8), the archive's time zone
        start = datetime.datetime.combine(day, datetime.time()) - datetime.timedelta(
            hours=8
        )
        end = start + datetime.timedelta(days=1)
        self.assertEqual((request.access_start, request.access_end), (start, end))
        minute = datetime.timedelta(minutes=1)
        expectations = [
            (start - minute, False),
            (start, True),
            (end - minute, True),
            (end, False),
        ]
        for moment, open_ in expectations:
            with self.subTest(moment=moment), freeze_time(moment):
                self.assertEqual(self.material_b in self.readable_materials(), open_)
                self.assertEqual(request.is_active_now, open_)
                request.invalidate_recordset(["is_active_now"])

    def test_access_ends_after_the_period_without_any_job(self):
        request = self.approved_request()
        after = request.access_end + datetime.timedelta(seconds=1)
        with freeze_time(after):
            self.assertFalse(self.readable_materials())
            self.assertEqual(request.state, "approved")
            with self.assertRaises(AccessError):
                self.scan_b.with_user(self.requester).read(["name"])
            # the job only tidies the state afterwards
            self.env["cadre.archive.request"]._cron_close_expired()
            self.assertEqual(request.state, "done")

    def test_category_scope(self):
        self.approved_request(category_ids=[(6, 0, self.cat_cv.ids)])
        self.assertEqual(self.readable_materials(), self.other_b)

    def test_parent_category_scope_covers_sub_categories(self):
        self.approved_request(
            category_ids=[(6, 0, self.env.ref("cadre_archive.category_9").ids)]
        )
        self.assertEqual(self.readable_materials(), self.material_b)

    def test_material_scope(self):
        request = self.new_request()
        request.action_submit()
        request.with_user(self.manager).material_ids = [(6, 0, self.other_b.ids)]
        request.with_user(self.manager).action_approve()
        self.assertEqual(self.readable_materials(), self.other_b)
        with self.assertRaises(AccessError):
            self.scan_b.with_user(self.requester).read(["name"])

    def test_requests_of_others_give_nothing(self):
        self.approved_request()
        other = self.env["res.users"].create(
            {
                "name": "Other requester",
                "login": "ca_other_requester",
                "group_ids": [
                    (6, 0, self.env.ref("cadre_archive.group_requester").ids)
                ],
            }
        )
        self.assertFalse(self.readable_materials(other))
        self.assertFalse(self.env["cadre.archive.request"].with_user(other).search([]))


@tagged("post_install", "-at_install")
class TestAccessLogAndLending(RequestCase):
    def test_view_download_print_are_logged(self):
        request = self.approved_request(allow_download=False, allow_print=False)
        material = self.material_b.with_user(self.requester)
        log = self.env["cadre.archive.access.log"]
        page = material._render_watermarked_page(
            self.scan_b.with_user(self.requester), 1
        )
        self.assertTrue(page.startswith(b"\xff\xd8\xff"))  # a JPEG
        with self.assertRaises(AccessError):
            material._download_scan(self.scan_b.with_user(self.requester))
        with self.assertRaises(AccessError):
            material._print_watermarked()
        with self.assertRaises(AccessError):
            self.scan_b.with_user(self.requester).read(["datas"])
        rows = log.search([("request_id", "=", request.id)])
        self.assertEqual(rows.mapped("action"), ["view"])
        self.assertEqual(
            (rows.user_id, rows.material_id, rows.page),
            (self.requester, self.material_b, 1),
        )

        request.with_user(self.requester).action_done()
        granting = self.approved_request(allow_download=True, allow_print=True)
        material._download_scan(self.scan_b.with_user(self.requester))
        pdf = material._print_watermarked()
        self.assertTrue(pdf.startswith(b"%PDF"))
        rows = log.search([("request_id", "=", granting.id)])
        self.assertEqual(sorted(rows.mapped("action")), ["download", "print"])

    def test_log_is_read_only_for_everyone(self):
        request = self.approved_request()
        self.material_b.with_user(self.requester)._render_watermarked_page(
            self.scan_b.with_user(self.requester), 1
        )
        row = self.env["cadre.archive.access.log"].search(
            [("request_id", "=", request.id)]
        )
        with self.assertRaises(UserError):
            row.write({"action": "print"})
        with self.assertRaises(UserError):
            row.unlink()
        with self.assertRaises(UserError):
            row.with_user(self.manager).write({"action": "print"})
        with self.assertRaises(AccessError):
            row.with_user(self.manager).unlink()
        with self.assertRaises(AccessError):
            row.with_user(self.requester).read(["action"])
        self.assertEqual(row.with_user(self.manager).action, "view")
        self.assertEqual(row.with_user(self.officer_b).action, "view")
        with self.assertRaises(AccessError):
            row.with_user(self.officer_a).read(["action"])

    def test_paper_lending(self):
        request = self.approved_request(request_type="lend")
        request.with_user(self.officer_b).action_hand_out()
        self.assertEqual(self.dossier_b.state, "lent")
        lending = request.lending_ids
        self.assertEqual(lending.page_count_out, self.dossier_b.page_count)
        second = self.approved_request(request_type="lend")
        with self.assertRaises(UserError):
            second.with_user(self.officer_b).action_hand_out()
        with self.assertRaisesRegex(UserError, "still lent"):
            request.with_user(self.requester).action_done()
        with self.assertRaisesRegex(ValidationError, "catalog"):
            lending.with_user(self.officer_b).action_return(
                self.dossier_b.page_count - 1
            )
        self.assertEqual(self.dossier_b.state, "lent")
        wizard = (
            self.env["cadre.archive.lending.return"]
            .with_user(self.officer_b)
            .create({"lending_id": lending.id, "page_count": self.dossier_b.page_count})
        )
        wizard.action_confirm()
        self.assertEqual(self.dossier_b.state, "in_stock")
        self.assertEqual(lending.state, "returned")

    def test_overdue_lending_reminds_the_officer_daily(self):
        request = self.approved_request(request_type="lend")
        request.with_user(self.officer_b).action_hand_out()
        lending = request.lending_ids
        lendings = self.env["cadre.archive.lending"]
        with freeze_time(lending.date_due + datetime.timedelta(days=2)):
            self.assertIn(lending, lendings.search([("is_overdue", "=", True)]))
            lendings._cron_remind_overdue()
            lendings._cron_remind_overdue()
            reminders = lending.activity_ids
            self.assertEqual(len(reminders), 1)
            self.assertEqual(reminders.user_id, self.officer_b)
        self.assertNotIn(lending, lendings.search([("is_overdue", "=", True)]))


@tagged("post_install", "-at_install")
class TestRequestDocuments(RequestCase):
    def test_registry_xlsx_read_back(self):
        import io  # noqa: PLC0415

        import openpyxl  # noqa: PLC0415

        approved = self.approved_request()
        draft = self.new_request(dossiers=self.dossier_a1, purpose="审计")
        report = self.env["ir.actions.report"].with_user(self.manager)
        content, report_type = report._render(
            "cadre_archive.request_registry_xlsx", (approved | draft).ids
        )
        self.assertEqual(report_type, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = list(sheet.iter_rows(min_row=3, values_only=True))
        self.assertEqual([row[0] for row in rows], [approved.name, draft.name])
        self.assertEqual(rows[0][3], "Cadre B")
        self.assertEqual(rows[0][4], "干部考察")
        self.assertEqual(rows[0][7].date(), approved.date_start)
        self.assertEqual(rows[0][10], self.manager.name)
        self.assertEqual(rows[1][4], "审计")
        self.assertEqual(sheet.freeze_panes, "A3")

    def test_registry_respects_the_rules(self):
        mine = self.new_request()
        other = self.env["cadre.archive.request"].create(
            {
                "requester_id": self.officer_b.id,
                "dossier_ids": [(6, 0, self.dossier_a1.ids)],
                "purpose": "x",
                "date_start": self.today,
                "date_end": self.today,
            }
        )
        report = self.env["ir.actions.report"].with_user(self.requester)
        with self.assertRaises(AccessError):
            report._render("cadre_archive.request_registry_xlsx", (mine | other).ids)

    def test_approval_form(self):
        request = self.approved_request()
        html = (
            self.env["ir.actions.report"]
            .with_user(self.requester)
            ._render_qweb_html("cadre_archive.report_request_approval", request.ids)[0]
            .decode()
        )
        self.assertIn(request.name, html)
        self.assertIn("干部考察", html)
        self.assertIn("Cadre B", html)
        self.assertIn(self.manager.name, html)
