# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

from .cadre_archive_request import APPROVAL_ACTIVITY


class MailActivity(models.Model):
    """Approve or refuse an archive request from its approval activity."""

    _inherit = "mail.activity"

    def _archive_request_activities(self):
        activity_type = self.env.ref(APPROVAL_ACTIVITY, raise_if_not_found=False)
        return self.filtered(
            lambda a: (
                a.res_model == "cadre.archive.request"
                and a.activity_type_id == activity_type
            )
        )

    def action_approve_archive_request(self):
        requests = self._archive_request_records()
        return requests.action_approve()

    def action_refuse_archive_request(self):
        requests = self._archive_request_records()
        return requests.action_refuse()

    def _archive_request_records(self):
        activities = self._archive_request_activities()
        return self.env["cadre.archive.request"].browse(activities.mapped("res_id"))

    def _action_done(self, feedback=False, attachment_ids=None):
        """Marking an approval activity done approves the request."""
        pending = self._archive_request_records().filtered(
            lambda r: r.state == "submitted"
        )
        if pending and not self.env.context.get("cadre_archive_closing_activity"):
            pending.with_context(cadre_archive_closing_activity=True).action_approve()
            self = self.exists()  # noqa: PLW0642 - approval already closed them
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
