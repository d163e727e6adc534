# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

CHANGE_ACTIVITY = "cadre_archive.mail_act_archive_change_approval"

CHANGE_PROTECTED_FIELDS = frozenset(
    {
        "state",
        "requested_uid",
        "requested_date",
        "approved_uid",
        "approved_date",
        "refuse_reason",
    }
)

CHANGE_STATES = [
    ("draft", "Draft"),
    ("submitted", "Waiting for Approval"),
    ("done", "Approved and Applied"),
    ("refused", "Refused"),
    ("cancelled", "Cancelled"),
]


class CadreArchiveChangeMixin(models.AbstractModel):
    """A change of filed evidence that only the archive's leadership sanctions.

    Filed materials are never altered; the two sanctioned exceptions, a rescan
    of a filed material and a rearrangement (重新整理) of a category, are asked
    for by an officer with a reason, approved by an archive manager other than
    the one who asked (through an activity), and applied by the addon at that
    moment. Who asked, who approved and when stay on the record.

    Models using it define ``dossier_id``, ``department_id`` and
    ``company_id`` (stored, for the record rules) and ``_apply_change()``.
    """

    _name = "cadre.archive.change.mixin"
    _description = "Archive Change Approved by a Manager"
    _inherit = ["mail.thread", "mail.activity.mixin", "cadre.archive.workflow.mixin"]

    _protected_fields = CHANGE_PROTECTED_FIELDS
    # what the approval is about: no longer changed once asked for
    _change_frozen_fields = frozenset({"reason"})

    reason = fields.Text(required=True, tracking=True)
    state = fields.Selection(
        CHANGE_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    requested_uid = fields.Many2one(
        "res.users", string="Asked By", readonly=True, copy=False
    )
    requested_date = fields.Datetime(string="Asked On", readonly=True, copy=False)
    approved_uid = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False
    )
    approved_date = fields.Datetime(string="Approved On", readonly=True, copy=False)
    refuse_reason = fields.Char(readonly=True, copy=False, tracking=True)

    def _protected_values_allowed(self, vals):
        return {"state"} if not self and vals.get("state") == "draft" else set()

    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        self._check_change_frozen(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_asked(self):
        if any(change.state != "draft" for change in self):
            raise UserError(
                self.env._(
                    "A change that was asked for stays on record: cancel it "
                    "instead of deleting it."
                )
            )

    def _check_change_frozen(self, vals):
        if self._is_workflow_write():
            return
        frozen = (set(vals) & self._change_frozen_fields) or (
            set(vals) & set(self._change_payload_fields())
        )
        if frozen and any(change.state != "draft" for change in self):
            raise UserError(
                self.env._(
                    "Once submitted for approval, a change can no longer be "
                    "edited: cancel it and ask again."
                )
            )

    def _change_payload_fields(self):
        """The fields saying what is to be changed (frozen once submitted)."""
        return ()

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def action_submit(self):
        self.check_access("write")
        for change in self:
            if change.state != "draft":
                raise UserError(self.env._("Only a draft change can be submitted."))
            change._check_change_ready()
            change._prepare_change()
            change._workflow_write(
                {
                    "state": "submitted",
                    "requested_uid": self.env.uid,
                    "requested_date": fields.Datetime.now(),
                }
            )
            change._schedule_change_approval()
        return True

    def _check_change_ready(self):
        """Refuse a change that could not be applied (overridden per model)."""
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason for the change."))

    def _prepare_change(self):
        """Work out what the approval will apply (overridden per model)."""

    def _change_approvers(self):
        """The archive managers of the company, the asker excepted."""
        self.ensure_one()
        managers = self.env.ref("cadre_archive.group_manager").sudo().all_user_ids
        return managers.filtered(
            lambda u: (
                u.active
                and not u.share
                and self.company_id in u.company_ids
                and u != self.requested_uid
            )
        )

    def _schedule_change_approval(self):
        self.ensure_one()
        record = self.sudo()._as_workflow()
        for approver in self._change_approvers():
            record.activity_schedule(
                CHANGE_ACTIVITY,
                user_id=approver.id,
                summary=self.env._("Approve: %(change)s", change=self.display_name),
                note=self.reason,
            )

    def _check_may_approve(self):
        user = self.env.user
        if not user.has_group("cadre_archive.group_manager"):
            raise AccessError(
                self.env._("Only an archive manager may approve or refuse a change.")
            )
        for change in self:
            if change.state != "submitted":
                raise UserError(
                    self.env._("Only a change waiting for approval can be settled.")
                )
            if change.requested_uid == user:
                raise UserError(
                    self.env._(
                        "You asked for this change: another archive manager "
                        "approves it."
                    )
                )

    def action_approve(self):
        self.check_access("write")
        self._check_may_approve()
        for change in self:
            change._apply_change()
            change._workflow_write(
                {
                    "state": "done",
                    "approved_uid": self.env.uid,
                    "approved_date": fields.Datetime.now(),
                }
            )
        self._close_change_activities()
        return True

    def action_refuse(self, reason=None):
        self.check_access("write")
        self._check_may_approve()
        self._workflow_write({"state": "refused", "refuse_reason": reason or False})
        self._close_change_activities()
        return True

    def action_cancel(self):
        self.check_access("write")
        if any(change.state not in ("draft", "submitted") for change in self):
            raise UserError(
                self.env._("Only a change not yet settled can be cancelled.")
            )
        self._workflow_write({"state": "cancelled"})
        self._close_change_activities()
        return True

    def _close_change_activities(self):
        self.sudo().activity_unlink([CHANGE_ACTIVITY])

    def _apply_change(self):
        raise NotImplementedError
