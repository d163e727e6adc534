# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from ..lib import pages

APPROVAL = "cadre_archive.mail_act_archive_request_approval"


@tagged("post_install", "-at_install")
class TestRequestTour(HttpCase):
    """A consultation request in the browser, from its filing to the reading of
    a watermarked page (tours in ``cadre_archive_request_tour.js``):

    1. the requester files and submits a request for the dossier of a cadre;
    2. the approver approves it from "Requests to Approve";
    3. the requester opens the material from "Materials Open to Me" in the
       viewer, which serves the watermarked page and logs it.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit = cls.env["hr.department"].create({"name": "Tour Unit"})
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Tour Cadre", "department_id": cls.unit.id}
        )
        cls.dossier = cls.env["cadre.archive.dossier"].create(
            {"employee_id": cls.employee.id}
        )
        cls.material = cls.env["cadre.archive.material"].create(
            {
                "dossier_id": cls.dossier.id,
                "category_id": cls.env.ref("cadre_archive.category_9_2").id,
                "name": "任免审批表",
                "date": "1990-07-01",
                "page_count": 1,
            }
        )
        cls.scan = cls.env["ir.attachment"].create(
            {
                "name": "任免审批表-1.jpg",
                "res_model": "cadre.archive.material",
                "res_id": cls.material.id,
                "raw": pages.render_text_page(["任免审批表"], dpi=100),
            }
        )
        # filed as an officer does: its category's checks first (鉴别)
        cls.material._record_filing_checks(cls.material._filing_check_items())
        cls.material.action_file()
        # another cadre with a dossier, offered by the picker too
        cls.other = cls.env["hr.employee"].create(
            {"name": "Other Cadre", "department_id": cls.unit.id}
        )
        cls.env["cadre.archive.dossier"].create({"employee_id": cls.other.id})

        cls.requester = new_test_user(
            cls.env,
            login="tour_requester",
            password="tour_requester",
            name="Tour Requester",
            groups="cadre_archive.group_requester",
            tz="Asia/Shanghai",
        )
        cls.manager = new_test_user(
            cls.env,
            login="tour_manager",
            password="tour_manager",
            name="Tour Manager",
            groups="cadre_archive.group_manager",
        )
        # the approval activity goes to this manager only
        cls.env.company.archive_approver_ids = [(6, 0, cls.manager.ids)]

    def requester_today(self):
        return fields.Date.context_today(
            self.env["res.users"].with_user(self.requester)
        )

    def test_request_approve_and_view(self):
        Request = self.env["cadre.archive.request"]
        before = Request.search([])
        today = self.requester_today()

        # 1. the requester files and submits the request
        self.start_tour("/odoo", "cadre_archive_request_submit", login="tour_requester")
        request = Request.search([]) - before
        self.assertEqual(len(request), 1, "the tour files exactly one request")
        self.assertIn(request.date_start, {today, self.requester_today()})
        self.assertRecordValues(
            request,
            [
                {
                    "requester_id": self.requester.id,
                    "state": "submitted",
                    "request_type": "online",
                    "purpose": "干部考察",
                    "purpose_type": "assessment",
                    "requesting_unit": "县委组织部干部科",
                    "date_end": request.date_start + datetime.timedelta(days=1),
                    "requested_date_start": request.date_start,
                    "requested_date_end": request.date_start
                    + datetime.timedelta(days=1),
                    "allow_download": False,
                    "allow_print": False,
                }
            ],
        )
        self.assertEqual(request.dossier_ids, self.dossier)
        self.assertRecordValues(
            request.reader_ids,
            [
                {"name": "李查阅", "post": "干部科科长", "is_party_member": True},
                {"name": "王查阅", "post": "干部科科员", "is_party_member": True},
            ],
        )
        self.assertNotEqual(request.name, "New")
        activities = request.activity_ids
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.activity_type_id, self.env.ref(APPROVAL))
        self.assertEqual(activities.user_id, self.manager)
        self.assertFalse(
            self.env["cadre.archive.access.log"].search(
                [("request_id", "=", request.id)]
            )
        )

        # 2. the manager approves it, with an opinion (审批意见)
        self.start_tour("/odoo", "cadre_archive_request_approve", login="tour_manager")
        self.assertRecordValues(
            request, [{"state": "approved", "approver_id": self.manager.id}]
        )
        self.assertRecordValues(
            request.decision_ids,
            [
                {
                    "tier": 1,
                    "user_id": self.manager.id,
                    "decision": "approved",
                    "opinion": "同意查阅，注意保密",
                }
            ],
        )
        self.assertTrue(
            request.message_ids.filtered(
                lambda m: "同意查阅，注意保密" in (m.body or "")
            )
        )
        self.assertTrue(request.approved_date)
        self.assertFalse(request.activity_ids, "the approval activity is done")
        self.assertTrue(request.with_user(self.requester).is_active_now)

        # 3. the requester views the material; the page served is logged
        self.start_tour("/odoo", "cadre_archive_request_view", login="tour_requester")
        logs = self.env["cadre.archive.access.log"].search(
            [("request_id", "=", request.id)]
        )
        self.assertRecordValues(
            logs,
            [
                {
                    "user_id": self.requester.id,
                    "action": "view",
                    "material_id": self.material.id,
                    "dossier_id": self.dossier.id,
                    "attachment_id": self.scan.id,
                    "page": 1,
                }
            ],
        )
