# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The request screens as archive users expect them (issue 18): what
requesters are and are not offered on their requests, and approval with an
opinion (审批意见)."""

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .test_request_approval import RULE, ApprovalCase

DECISION = "cadre.archive.request.decision"


class ScreensCase(ApprovalCase):
    def approval_activity(self, request, user):
        return self.approval_activities(request).filtered(lambda a: a.user_id == user)


@tagged("post_install", "-at_install")
class TestRequestOffers(ScreensCase):
    """What a requester is not offered on their requests: another requester,
    the approvers' to-dos; and the Consult button is the requester's."""

    def test_requester_files_in_their_own_name(self):
        with self.assertRaisesRegex(UserError, "in your own name"):
            self.new_request(requester_id=self.officer_b.id)
        request = self.new_request()
        with self.assertRaisesRegex(UserError, "in your own name"):
            request.with_user(self.requester).write({"requester_id": self.leader.id})
        self.assertEqual(request.requester_id, self.requester)
        # the form shows the requester, read-only
        form = Form(self.env["cadre.archive.request"].with_user(self.requester))
        self.assertEqual(form.requester_id, self.requester)
        self.assertFalse(form.can_choose_requester)
        with self.assertRaises(AssertionError):
            form.requester_id = self.leader

    def test_officer_files_in_their_own_name_too(self):
        requests = self.env["cadre.archive.request"].with_user(self.officer_b)
        self.assertFalse(Form(requests).can_choose_requester)
        with self.assertRaisesRegex(UserError, "in your own name"):
            requests.create(
                {
                    "requester_id": self.requester.id,
                    "dossier_ids": [Command.set(self.dossier_b.ids)],
                    "date_start": self.today,
                    "date_end": self.today,
                }
            )

    def test_manager_files_on_someones_behalf(self):
        requests = self.env["cadre.archive.request"].with_user(self.manager)
        form = Form(requests)
        self.assertTrue(form.can_choose_requester)
        form.requester_id = self.requester
        request = requests.create(
            {
                "requester_id": self.requester.id,
                "dossier_ids": [Command.set(self.dossier_b.ids)],
                "date_start": self.today,
                "date_end": self.today,
            }
        )
        self.assertEqual(request.requester_id, self.requester)
        self.assertFalse(request.with_user(self.manager).can_choose_requester)
        with self.assertRaisesRegex(UserError, "new request in their name"):
            request.with_user(self.manager).write({"requester_id": self.leader.id})

    def test_consult_is_offered_to_the_requester_only(self):
        request = self.approved_request()
        self.assertTrue(request.with_user(self.requester).can_consult)
        self.assertTrue(request.with_user(self.manager).is_active_now)
        self.assertFalse(request.with_user(self.manager).can_consult)
        self.assertFalse(request.with_user(self.officer_b).can_consult)
        arch = etree.fromstring(
            self.env["cadre.archive.request"]
            .with_user(self.manager)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        consult = arch.xpath("//button[@name='action_open_material_list']")[0]
        self.assertEqual(consult.get("invisible"), "not can_consult")
        for banner in arch.xpath("//div[@role='status']"):
            self.assertIn("not can_consult", banner.get("invisible"))
        # a draft is not consulted by anyone
        self.assertFalse(self.new_request().with_user(self.requester).can_consult)

    def test_requester_cannot_settle_the_approvers_todo(self):
        request = self.new_request()
        request.action_submit()
        activity = self.approval_activity(request, self.manager)
        mine = activity.with_user(self.requester)
        self.assertFalse(mine.can_write, "no Mark Done nor Edit for the requester")
        self.assertTrue(activity.with_user(self.manager).can_write)
        message = "belongs to the approvers of your request"
        with self.assertRaisesRegex(AccessError, message):
            mine.action_feedback(feedback="done")
        with self.assertRaisesRegex(AccessError, message):
            mine.write({"summary": "changed"})
        with self.assertRaisesRegex(AccessError, message):
            mine.unlink()
        self.assertEqual(request.state, "submitted")
        self.assertTrue(activity.exists())


@tagged("post_install", "-at_install")
class TestApprovalOpinion(ScreensCase):
    """Approving asks for the opinion (审批意见), kept per tier and approver,
    posted in the chatter; only the real approvers get a to-do."""

    def test_one_todo_per_approver_and_none_for_the_administrator(self):
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group("cadre_archive.group_manager"))
        request = self.submitted(self.dossier_b)
        activities = self.approval_activities(request)
        self.assertEqual(activities.user_id, self.managers)
        self.assertEqual(len(activities), len(self.managers), "one per approver")
        self.assertNotIn(admin, activities.user_id)
        self.assertNotIn(admin, request.tier1_approver_ids)
        # a rule naming a group: its members, the administrators left out
        self.env[RULE].create(
            {
                "name": "Managers",
                "tier1_group_id": self.env.ref("cadre_archive.group_manager").id,
            }
        )
        request = self.submitted(self.dossier_b)
        self.assertNotIn(admin, self.approval_activities(request).user_id)
        self.assertIn(self.manager, self.approval_activities(request).user_id)

    def test_administrator_named_or_alone_still_approves(self):
        admin = self.env.ref("base.user_admin")
        self.make_rule(admin)
        request = self.submitted(self.dossier_b)
        self.assertEqual(self.approval_activities(request).user_id, admin)

    def test_opinion_per_tier_and_approver(self):
        self.make_rule(
            self.manager,
            second_tier=True,
            tier2_user_ids=[(6, 0, self.leader.ids)],
        )
        request = self.submitted(self.dossier_b)
        request.with_user(self.manager).action_approve(opinion="同意，报分管领导")
        self.assertEqual(len(self.approval_activities(request)), 1)
        request.with_user(self.leader).action_approve(opinion="同意查阅")
        self.assertEqual(request.state, "approved")
        self.assertRecordValues(
            request.decision_ids,
            [
                {
                    "tier": 1,
                    "user_id": self.manager.id,
                    "decision": "approved",
                    "opinion": "同意，报分管领导",
                },
                {
                    "tier": 2,
                    "user_id": self.leader.id,
                    "decision": "approved",
                    "opinion": "同意查阅",
                },
            ],
        )
        notes = self.decisions(request).mapped("body")
        self.assertIn("同意，报分管领导", notes[0])
        self.assertIn("同意查阅", notes[1])
        # the requester reads the opinions of their request, nobody writes them
        as_requester = request.decision_ids.with_user(self.requester)
        self.assertEqual(
            as_requester.mapped("opinion"), ["同意，报分管领导", "同意查阅"]
        )
        for user in (self.requester, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                request.decision_ids.with_user(user).write({"opinion": "改"})
            with self.assertRaises(AccessError):
                request.decision_ids.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.env[DECISION].with_user(user).create(
                    {"request_id": request.id, "opinion": "伪造"}
                )
        with self.assertRaises(AccessError):
            request.decision_ids.with_user(self.officer_a).read(["opinion"])

    def test_approve_over_rpc_without_an_opinion(self):
        request = self.submitted(self.dossier_b)
        request.with_user(self.manager).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(
            request.decision_ids.opinion,
            self.env["cadre.archive.request"]._default_opinion(),
        )

    def test_refusal_is_kept_as_an_opinion(self):
        request = self.submitted(self.dossier_b)
        request.with_user(self.manager).action_refuse(reason="事由不充分")
        self.assertRecordValues(
            request.decision_ids,
            [
                {
                    "decision": "refused",
                    "opinion": "事由不充分",
                    "user_id": self.manager.id,
                }
            ],
        )

    def test_approve_dialog(self):
        request = self.submitted(self.dossier_b)
        with self.assertRaisesRegex(AccessError, "not an approver"):
            request.with_user(self.leader).action_open_approve_dialog()
        action = request.with_user(self.manager).action_open_approve_dialog()
        self.assertEqual(action["res_model"], "cadre.archive.request.approve")
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
        )
        self.assertTrue(wizard.opinion, "an opinion is proposed")
        self.assertIn(request.name, wizard.summary)
        self.assertIn("Cadre B", wizard.summary)
        wizard.opinion = "同意查阅"
        result = wizard.save().action_approve()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn("approved", result["params"]["message"])
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.decision_ids.opinion, "同意查阅")
        # the approval to-do opens the same dialog
        other = self.submitted(self.dossier_b)
        activity = self.approval_activity(other, self.manager)
        action = activity.with_user(self.manager).action_approve_archive_request()
        self.assertEqual(action["res_model"], "cadre.archive.request.approve")
        self.assertEqual(other.state, "submitted")
