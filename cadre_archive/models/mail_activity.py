# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.constants import REQUEST_MODEL
from .cadre_archive_change_mixin import CHANGE_ACTIVITY
from .cadre_archive_request import APPROVAL_ACTIVITY
from .cadre_archive_workflow_mixin import WORKFLOW_SENTINEL


class MailActivity(models.Model):
    """Approve or refuse an archive request from its approval activity.

    Approval activities belong to the approvers: only the addon schedules them,
    and only an approver of the request (or the addon itself, settling the
    request) may change, close or delete one. A request is approved or refused
    on purpose, with the Approve or Refuse buttons: marking its activity done
    is refused, on every path that leads there (``action_done``,
    ``action_feedback``, their ``_schedule_next`` variants and
    ``action_done_redirect_to_other`` all end in ``_action_done``). No context
    key opens any of this.
    """

    _inherit = "mail.activity"

    archive_decided_on_purpose = fields.Boolean(
        compute="_compute_archive_decided_on_purpose",
        help="Technical: an archive approval to-do, settled with Approve or "
        "Refuse and never marked done; the web client offers no Mark Done on it.",
    )

    def _compute_archive_decided_on_purpose(self):
        on_purpose = (
            self._archive_request_activities() | self._archive_change_activities()
        )
        for activity in self:
            activity.archive_decided_on_purpose = activity.id in on_purpose.ids

    def _to_store_defaults(self, target):
        return [*super()._to_store_defaults(target), "archive_decided_on_purpose"]

    def _archive_request_activities(self):
        activity_type = self.env.ref(APPROVAL_ACTIVITY, raise_if_not_found=False)
        return self.sudo().filtered(
            lambda a: (
                a.res_model == REQUEST_MODEL and a.activity_type_id == activity_type
            )
        )

    def _archive_change_activities(self):
        """Approval activities of rescans and rearrangements."""
        activity_type = self.env.ref(CHANGE_ACTIVITY, raise_if_not_found=False)
        return self.sudo().filtered(lambda a: a.activity_type_id == activity_type)

    def _archive_request_records(self):
        activities = self._archive_request_activities()
        return self.env[REQUEST_MODEL].browse(activities.mapped("res_id"))

    def _is_archive_workflow(self):
        return (
            self.env.su
            or self.env.context.get("cadre_archive_workflow") is WORKFLOW_SENTINEL
        )

    def _check_archive_approval_rights(self):
        """Only an approver of the request acts on its approval activity."""
        if self._is_archive_workflow():
            return
        if self._archive_change_activities() and not self.env.user.has_group(
            "cadre_archive.group_manager"
        ):
            raise AccessError(
                self.env._(
                    "Only archive managers may change or delete the approval "
                    "activity of a rescan or a rearrangement."
                )
            )
        for request in self._archive_request_records().sudo():
            if not request._is_current_approver(self.env.user):
                raise AccessError(self._approval_activity_refusal(request))

    def _approval_activity_refusal(self, request):
        """Why the current user may not touch the approval to-do of
        ``request``, and what to do instead."""
        if request.requester_id == self.env.user:
            return self.env._(
                "This to-do belongs to the approvers of your request "
                "%(request)s: they approve or refuse it. To withdraw the "
                "request, cancel it.",
                request=request.name,
            )
        return self.env._(
            "Only the approvers of request %(request)s may settle, change or "
            "delete its approval to-do.",
            request=request.name,
        )

    @api.depends("res_model", "res_id", "user_id")
    @api.depends_context("uid")
    def _compute_can_write(self):
        """The Mark Done, Edit and Cancel buttons of an approval to-do are
        shown to the request's current approvers only (hence per user)."""
        res = super()._compute_can_write()
        for activity in self._archive_request_activities():
            request = self.env[REQUEST_MODEL].sudo().browse(activity.res_id)
            if not request._is_current_approver(self.env.user):
                self.browse(activity.id).can_write = False
        return res

    @api.model
    def _check_archive_approval_creation(self, vals_list):
        """Approval activities are scheduled by the addon at submission only."""
        if self._is_archive_workflow():
            return
        types = {
            activity_type.id
            for xmlid in (APPROVAL_ACTIVITY, CHANGE_ACTIVITY)
            if (activity_type := self.env.ref(xmlid, raise_if_not_found=False))
        }
        for vals in vals_list:
            if vals.get("activity_type_id") in types:
                raise AccessError(
                    self.env._(
                        "Approval activities are scheduled by the archive when a "
                        "request is submitted."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_archive_approval_creation(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_archive_approval_rights()
        self._check_archive_approval_creation([vals])
        return super().write(vals)

    def unlink(self):
        self._check_archive_approval_rights()
        return super().unlink()

    def action_approve_archive_request(self):
        requests = self._archive_request_records()
        return requests.action_open_approve_dialog()

    def action_refuse_archive_request(self):
        requests = self._archive_request_records()
        return requests.action_refuse()

    def _action_done(self, feedback=False, attachment_ids=None):
        """Only the addon closes approval activities, when a request is settled."""
        self._check_archive_approval_rights()
        self._check_archive_approval_not_marked_done()
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def _check_archive_approval_not_marked_done(self):
        """Marking an approval activity done would leave it unclear whether the
        request is approved: it is refused, whoever asks."""
        if self._is_archive_workflow():
            return
        if self._archive_change_activities():
            raise UserError(
                self.env._(
                    "A rescan or a rearrangement is approved or refused on "
                    "purpose, with the Approve or Refuse button of its form, "
                    "rather than by marking its activity done."
                )
            )
        if not self._archive_request_activities():
            return
        raise UserError(
            self.env._(
                "An archive request is approved or refused on purpose: use the "
                "Approve Request or Refuse Request button of its activity (or the "
                "Approve or Refuse button of the request) rather than marking the "
                "activity done."
            )
        )
