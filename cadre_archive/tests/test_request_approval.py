# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Approval by management authority (按干部管理权限): rules, tiers, recusal."""

import importlib.util

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.misc import file_path

from .common import JsonRpcMixin
from .test_request import APPROVAL, RequestCase

RULE = "cadre.archive.approval.rule"


class ApprovalCase(RequestCase):
    """Besides the users of ``RequestCase``: a second archive manager and a
    leader who is only an archive requester (a second-tier approver)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_2 = new_test_user(
            cls.env,
            login="ca_manager_2",
            name="Manager Two",
            groups="cadre_archive.group_manager",
        )
        cls.leader = new_test_user(
            cls.env,
            login="ca_leader",
            name="Leader",
            groups="cadre_archive.group_requester",
        )
        # who approves where no rule applies: the archive managers, less the
        # administrators (archive managers by the addon's data)
        cls.managers = cls.env.ref("cadre_archive.group_manager").all_user_ids.filtered(
            lambda u: (
                u.active
                and cls.company in u.company_ids
                and not u.share
                and not u.has_group("base.group_system")
            )
        )

    def make_rule(self, approvers, **vals):
        return self.env[RULE].create(
            {"name": "Rule", "tier1_user_ids": [(6, 0, approvers.ids)], **vals}
        )

    def submitted(self, dossiers=None, **vals):
        request = self.new_request(dossiers=dossiers, **vals)
        request.action_submit()
        return request

    def approval_activities(self, request):
        return request.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(APPROVAL)
        )

    def assertWaitsOn(self, request, approvers, tier=1, count=1):
        self.assertEqual(request.state, "submitted")
        self.assertEqual(
            (request.approval_tier, request.approval_tier_count), (tier, count)
        )
        self.assertEqual(self.approval_activities(request).user_id, approvers)

    def decisions(self, request):
        """The chatter notes of the decisions, oldest first."""
        return (
            request.sudo()
            .message_ids.filtered(
                lambda m: any(
                    words in (m.body or "")
                    for words in ("approved tier", "refused the request at tier")
                )
            )
            .sorted("id")
        )


@tagged("post_install", "-at_install")
class TestRequestApproval(ApprovalCase):
    # ------------------------------------------------------------------
    # Which rule, which approvers
    # ------------------------------------------------------------------
    def test_rule_by_unit_covers_its_sub_units(self):
        self.make_rule(self.officer_a, department_ids=[(6, 0, self.unit_a.ids)])
        request = self.submitted(self.dossier_a1)
        self.assertWaitsOn(request, self.officer_a)
        self.assertEqual(request.tier1_approver_ids, self.officer_a)
        self.assertFalse(request.with_user(self.manager).can_approve)
        with self.assertRaisesRegex(AccessError, "not an approver"):
            request.with_user(self.manager).action_approve()
        self.assertTrue(request.with_user(self.officer_a).can_approve)
        request.with_user(self.officer_a).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.approver_id, self.officer_a)
        # a cadre of another unit falls to the default approvers
        self.assertWaitsOn(self.submitted(self.dossier_b), self.managers)

    def test_rule_by_cadre_tag(self):
        county_level = self.env["hr.employee.category"].create({"name": "县处级"})
        self.cadre_b.category_ids = county_level
        self.make_rule(self.manager_2, employee_category_ids=[(6, 0, county_level.ids)])
        self.assertWaitsOn(self.submitted(self.dossier_b), self.manager_2)
        self.assertWaitsOn(self.submitted(self.dossier_a1), self.managers)

    def test_rule_by_kind_of_request(self):
        self.make_rule(
            self.manager,
            request_type="lend",
            department_ids=[(6, 0, self.unit_b.ids)],
            second_tier=True,
            tier2_user_ids=[(6, 0, self.leader.ids)],
        )
        lend = self.submitted(self.dossier_b, request_type="lend")
        self.assertWaitsOn(lend, self.manager, tier=1, count=2)
        self.assertEqual(lend.tier2_approver_ids, self.leader)
        online = self.submitted(self.dossier_b, request_type="online")
        self.assertWaitsOn(online, self.managers)
        self.assertFalse(online.tier2_approver_ids)

    def test_first_rule_by_sequence_applies_and_archived_rules_do_not(self):
        wide = self.make_rule(
            self.officer_a, sequence=20, department_ids=[(6, 0, self.unit_a.ids)]
        )
        narrow = self.make_rule(
            self.manager_2, sequence=10, department_ids=[(6, 0, self.unit_a1.ids)]
        )
        self.assertWaitsOn(self.submitted(self.dossier_a1), self.manager_2)
        narrow.sequence = 30
        self.assertWaitsOn(self.submitted(self.dossier_a1), self.officer_a)
        wide.active = False
        self.assertWaitsOn(self.submitted(self.dossier_a1), self.manager_2)

    def test_approvers_of_a_group_are_its_archive_users(self):
        leaders = self.env["res.groups"].create(
            {
                "name": "Leaders in charge",
                "user_ids": [(6, 0, (self.leader | self.employee_user).ids)],
            }
        )
        self.env[RULE].create({"name": "By group", "tier1_group_id": leaders.id})
        # the plain employee cannot open a request: not an approver
        self.assertWaitsOn(self.submitted(self.dossier_b), self.leader)

    def test_no_rule_falls_back_to_the_company_approvers(self):
        self.make_rule(self.manager_2, department_ids=[(6, 0, self.unit_a.ids)])
        self.company.archive_approver_ids = self.officer_b
        self.assertWaitsOn(self.submitted(self.dossier_b), self.officer_b)
        self.company.archive_approver_ids = False
        self.assertWaitsOn(self.submitted(self.dossier_b), self.managers)

    def test_several_cadres_take_the_union_of_their_rules_per_tier(self):
        self.make_rule(self.officer_a, department_ids=[(6, 0, self.unit_a.ids)])
        self.make_rule(
            self.manager_2,
            department_ids=[(6, 0, self.unit_b.ids)],
            second_tier=True,
            tier2_user_ids=[(6, 0, self.leader.ids)],
        )
        request = self.submitted(self.dossier_a1 | self.dossier_b)
        self.assertWaitsOn(request, self.officer_a | self.manager_2, tier=1, count=2)
        self.assertEqual(request.tier2_approver_ids, self.leader)
        # one approver of the tier decides it for the whole request
        request.with_user(self.officer_a).action_approve()
        self.assertWaitsOn(request, self.leader, tier=2, count=2)

    def test_a_cadre_no_rule_governs_adds_the_default_approvers(self):
        self.make_rule(self.officer_a, department_ids=[(6, 0, self.unit_a.ids)])
        self.company.archive_approver_ids = self.officer_b
        request = self.submitted(self.dossier_a1 | self.dossier_b)
        self.assertWaitsOn(request, self.officer_a | self.officer_b)

    def test_a_rule_names_its_approvers(self):
        with self.assertRaisesRegex(ValidationError, "names no approver"):
            self.env[RULE].create({"name": "Nobody"})
        with self.assertRaisesRegex(ValidationError, "second tier"):
            self.make_rule(self.manager, second_tier=True)
        with self.assertRaisesRegex(ValidationError, "archive users"):
            self.make_rule(self.employee_user)

    # ------------------------------------------------------------------
    # Two tiers
    # ------------------------------------------------------------------
    def two_tier_request(self):
        self.make_rule(
            self.manager,
            request_type="lend",
            second_tier=True,
            tier2_user_ids=[(6, 0, self.leader.ids)],
        )
        return self.submitted(self.dossier_b, request_type="lend")

    def test_two_tiers_approve_in_turn(self):
        request = self.two_tier_request()
        self.assertWaitsOn(request, self.manager, tier=1, count=2)
        # the second tier waits for the first
        self.assertFalse(request.with_user(self.leader).can_approve)
        with self.assertRaisesRegex(AccessError, "current tier"):
            request.with_user(self.leader).action_approve()
        request.with_user(self.manager).action_approve()
        self.assertWaitsOn(request, self.leader, tier=2, count=2)
        self.assertFalse(request.access_end, "no access after the first tier")
        self.assertFalse(request.with_user(self.manager).can_approve)
        # the leader, a plain archive user, opens the request and approves it
        # from the activity
        activity = self.approval_activities(request)
        self.assertEqual(activity.summary, "Approval tier 2 of 2")
        self.assertEqual(request.with_user(self.leader).name, request.name)
        self.approve_from_activity(activity, self.leader)
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.approval_tier, 2)
        self.assertEqual(request.approver_id, self.leader)
        self.assertTrue(request.access_end)
        self.assertFalse(self.approval_activities(request))
        # the chatter says who decided, at which tier, and when
        first, second = self.decisions(request)
        self.assertEqual(first.author_id, self.manager.partner_id)
        self.assertIn("approved tier 1 of 2", first.body)
        self.assertEqual(second.author_id, self.leader.partner_id)
        self.assertIn("approved tier 2 of 2", second.body)
        self.assertTrue(first.date and second.date)
        self.assertLessEqual(first.date, second.date)

    def test_a_later_tier_needs_other_eyes(self):
        self.make_rule(
            self.manager | self.manager_2,
            second_tier=True,
            tier2_user_ids=[(6, 0, (self.manager | self.leader).ids)],
        )
        request = self.submitted(self.dossier_b)
        request.with_user(self.manager).action_approve()
        self.assertWaitsOn(request, self.leader, tier=2, count=2)
        self.assertEqual(request.tier_approved_by_ids, self.manager)
        with self.assertRaisesRegex(AccessError, "current tier"):
            request.with_user(self.manager).action_approve()
        request.with_user(self.leader).action_approve()
        self.assertEqual(request.state, "approved")
        # the only second-tier approver cannot approve the first tier alone
        self.make_rule(
            self.manager | self.manager_2,
            sequence=5,
            department_ids=[(6, 0, self.unit_a1.ids)],
            second_tier=True,
            tier2_user_ids=[(6, 0, self.manager.ids)],
        )
        lone = self.submitted(self.dossier_a1)
        # (assertRaises, unlike assertRaisesRegex, rolls back what was written)
        with self.assertRaises(UserError) as refused:
            lone.with_user(self.manager).action_approve()
        self.assertIn("approved an earlier tier", str(refused.exception))
        self.assertWaitsOn(lone, self.manager | self.manager_2, tier=1, count=2)
        lone.with_user(self.manager_2).action_approve()
        self.assertWaitsOn(lone, self.manager, tier=2, count=2)

    def test_refusal_at_the_second_tier_ends_the_request(self):
        request = self.two_tier_request()
        request.with_user(self.manager).action_approve()
        action = (
            self.approval_activities(request)
            .with_user(self.leader)
            .action_refuse_archive_request()
        )
        self.assertEqual(action["res_model"], "cadre.archive.request.refuse")
        self.env["cadre.archive.request.refuse"].with_user(self.leader).create(
            {"request_ids": [(6, 0, request.ids)], "reason": "借阅理由不充分"}
        ).action_refuse()
        self.assertEqual(request.state, "refused")
        self.assertEqual(request.refuse_reason, "借阅理由不充分")
        self.assertEqual(request.approval_tier, 2)
        self.assertFalse(request.access_end)
        self.assertFalse(self.approval_activities(request))
        refusal = self.decisions(request)[-1]
        self.assertEqual(refusal.author_id, self.leader.partner_id)
        self.assertIn("refused the request at tier 2 of 2", refusal.body)
        self.assertIn("借阅理由不充分", refusal.body)
        with self.assertRaisesRegex(UserError, "not waiting"):
            request.with_user(self.leader).action_approve()

    def test_refusal_at_the_first_tier_never_reaches_the_second(self):
        request = self.two_tier_request()
        request.with_user(self.manager).action_refuse(reason="用途不明确")
        self.assertEqual(request.state, "refused")
        self.assertEqual(request.approval_tier, 1)
        self.assertFalse(self.approval_activities(request))
        self.assertIn(
            "refused the request at tier 1 of 2", self.decisions(request).body
        )

    def test_one_tier_decision_is_recorded_too(self):
        request = self.submitted(self.dossier_b)
        request.with_user(self.manager).action_approve()
        decision = self.decisions(request)
        self.assertEqual(decision.author_id, self.manager.partner_id)
        self.assertIn("approved tier 1 of 1", decision.body)

    # ------------------------------------------------------------------
    # Recusal (回避)
    # ------------------------------------------------------------------
    def declare_relative(self, dossier, user):
        employee = user.employee_ids or self.env["hr.employee"].create(
            {"name": user.name, "user_id": user.id}
        )
        self.env["cadre.archive.dossier.relative"].create(
            {
                "dossier_id": dossier.id,
                "employee_id": employee.id,
                "relation": "sibling",
            }
        )

    def test_recused_approvers_get_no_activity(self):
        self.requester.group_ids = [(4, self.env.ref("cadre_archive.group_manager").id)]
        self.declare_relative(self.dossier_b, self.manager_2)
        self.make_rule(self.manager | self.manager_2 | self.requester)
        request = self.submitted(self.dossier_b)
        # the requester (own request) and the relative are left out
        self.assertWaitsOn(request, self.manager)
        self.assertEqual(request.tier1_approver_ids, self.manager)
        self.assertFalse(request.with_user(self.manager_2).can_approve)

    def test_own_dossier_approver_gets_no_activity_and_is_refused(self):
        self.cadre_a1.user_id = self.manager_2
        self.make_rule(self.manager | self.manager_2)
        request = self.submitted(self.dossier_a1)
        self.assertWaitsOn(request, self.manager)
        as_cadre = request.with_user(self.manager_2)
        with self.assertRaisesRegex(AccessError, "your own dossier"):
            as_cadre.action_approve()
        with self.assertRaisesRegex(AccessError, "your own dossier"):
            as_cadre.action_refuse(reason="no")
        activity = self.approval_activities(request).with_user(self.manager_2)
        with self.assertRaisesRegex(AccessError, "your own dossier"):
            activity.action_approve_archive_request()
        self.assertEqual(request.state, "submitted")

    def test_relative_declared_after_submission_is_refused(self):
        self.make_rule(self.manager | self.manager_2)
        request = self.submitted(self.dossier_b)
        self.assertWaitsOn(request, self.manager | self.manager_2)
        self.declare_relative(self.dossier_b, self.manager_2)
        request.invalidate_recordset(["can_approve"])
        as_relative = request.with_user(self.manager_2)
        self.assertFalse(as_relative.can_approve)
        with self.assertRaisesRegex(AccessError, "declared relative"):
            as_relative.action_approve()
        with self.assertRaisesRegex(AccessError, "declared relative"):
            as_relative.action_refuse(reason="no")
        activity = self.approval_activities(request).filtered(
            lambda a: a.user_id == self.manager_2
        )
        with self.assertRaisesRegex(AccessError, "declared relative"):
            activity.with_user(self.manager_2).action_approve_archive_request()
        wizard = (
            self.env["cadre.archive.request.refuse"]
            .with_user(self.manager_2)
            .create({"request_ids": [(6, 0, request.ids)], "reason": "no"})
        )
        with self.assertRaisesRegex(AccessError, "declared relative"):
            wizard.action_refuse()
        self.assertEqual(request.state, "submitted")
        # the other approver still decides
        request.with_user(self.manager).action_approve()
        self.assertEqual(request.state, "approved")

    def test_submission_fails_when_a_whole_tier_must_recuse(self):
        self.cadre_a1.user_id = self.manager_2
        self.make_rule(
            self.manager,
            second_tier=True,
            tier2_user_ids=[(6, 0, self.manager_2.ids)],
        )
        request = self.new_request(dossiers=self.dossier_a1)
        with self.assertRaisesRegex(UserError, "Nobody is left to approve tier 2"):
            request.action_submit()
        self.assertEqual(request.state, "draft")
        self.assertFalse(self.approval_activities(request))

    # ------------------------------------------------------------------
    # Marking done decides nothing
    # ------------------------------------------------------------------
    def test_mark_done_never_approves_on_any_path(self):
        request = self.submitted(self.dossier_b)
        activity = self.approval_activities(request).filtered(
            lambda a: a.user_id == self.manager
        )
        as_manager = activity.with_user(self.manager)
        paths = {
            "action_done": as_manager.action_done,
            "action_feedback": lambda: as_manager.action_feedback(feedback="同意"),
            "action_done_schedule_next": as_manager.action_done_schedule_next,
            "action_feedback_schedule_next": lambda: (
                as_manager.action_feedback_schedule_next(feedback="同意")
            ),
            "action_done_redirect_to_other": as_manager.action_done_redirect_to_other,
            "_action_done": lambda: as_manager._action_done(feedback="同意"),
            "activity_feedback": lambda: request.with_user(
                self.manager
            ).activity_feedback([APPROVAL]),
        }
        for path, call in paths.items():
            with self.subTest(path=path):
                with self.assertRaisesRegex(UserError, "Approve Request or Refuse"):
                    call()
                self.assertEqual(request.state, "submitted")
                self.assertTrue(activity.active)
        self.assertFalse(self.decisions(request))
        self.approve_from_activity(activity, self.manager)
        self.assertEqual(request.state, "approved")

    # ------------------------------------------------------------------
    # Upgrade
    # ------------------------------------------------------------------
    def test_migration_keeps_the_approvers_of_pending_requests(self):
        """19.0.1.2.0: a request submitted before tiers keeps its approvers."""
        pending = self.submitted(self.dossier_b)
        decided = self.submitted(self.dossier_a1)
        decided.with_user(self.manager).action_approve()
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM cadre_archive_request_tier1_approver_rel"
            " WHERE request_id IN %s",
            [(pending | decided)._ids],
        )
        self.env.cr.execute(
            "UPDATE cadre_archive_request SET approval_tier = NULL,"
            " approval_tier_count = NULL WHERE id IN %s",
            [(pending | decided)._ids],
        )
        self.env.invalidate_all()
        self.assertFalse(pending.with_user(self.manager).can_approve)
        path = file_path("cadre_archive/migrations/19.0.1.2.0/post-migrate.py")
        spec = importlib.util.spec_from_file_location("post_migrate_1_2", path)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        script.migrate(self.env.cr, "19.0.1.1.0")
        self.env.invalidate_all()
        self.assertEqual((pending.approval_tier, pending.approval_tier_count), (1, 1))
        self.assertEqual(
            pending.tier1_approver_ids, self.approval_activities(pending).user_id
        )
        self.assertEqual((decided.approval_tier, decided.approval_tier_count), (1, 1))
        pending.with_user(self.manager).action_approve()
        self.assertEqual(pending.state, "approved")


@tagged("post_install", "-at_install")
class TestApprovalOverRpc(JsonRpcMixin, HttpCase, ApprovalCase):
    """Neither the tier of a request nor the rules are anyone's to write but
    the archive's (the tier) and the archive managers' (the rules)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.requester, cls.officer_b, cls.manager):
            user.password = f"{user.login}-pw-123"

    def login(self, user):
        self.authenticate(user.login, f"{user.login}-pw-123")

    def assertRefused(self, model, method, *args, **kwargs):
        result, error = self.call(model, method, *args, **kwargs)
        self.assertTrue(error, f"{model}.{method}{args} was not refused")
        self.assertFalse(result)

    def test_nobody_writes_the_approval_tier(self):
        request = self.submitted(
            self.dossier_b, date_end=self.today
        )  # one tier, by the managers
        for user in (self.requester, self.manager):
            self.login(user)
            for vals in (
                {"approval_tier": 2},
                {"approval_tier_count": 0},
                {"tier1_approver_ids": [(4, self.requester.id)]},
                {"tier2_approver_ids": [(4, self.officer_b.id)]},
            ):
                with self.subTest(user=user.login, vals=vals):
                    self.assertRefused(
                        "cadre.archive.request", "write", request.ids, vals
                    )
        request.invalidate_recordset()
        self.assertEqual((request.approval_tier, request.approval_tier_count), (1, 1))
        self.assertNotIn(self.requester, request.tier1_approver_ids)
        self.assertFalse(request.tier2_approver_ids)

    def test_only_managers_keep_the_rules(self):
        rule = self.make_rule(self.manager)
        vals = {"name": "Forged", "tier1_user_ids": [(6, 0, self.requester.ids)]}
        for user in (self.requester, self.officer_b):
            self.login(user)
            with self.subTest(user=user.login):
                self.assertRefused(RULE, "create", vals)
                self.assertRefused(RULE, "write", rule.ids, vals)
                self.assertRefused(RULE, "unlink", rule.ids)
                self.assertRefused(RULE, "search_read", [], ["name"])
        rule.invalidate_recordset()
        self.assertEqual(rule.tier1_user_ids, self.manager)
        # the legitimate path: a manager configures the rules
        self.login(self.manager)
        result, error = self.call(RULE, "create", vals)
        self.assertFalse(error)
        self.assertEqual(self.env[RULE].browse(result).tier1_user_ids, self.requester)
