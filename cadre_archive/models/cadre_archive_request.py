# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import period
from ..tools import lib_errors
from ..tools.constants import POLITICAL_STATUSES

REQUEST_TYPES = [
    ("online", "Online Viewing"),
    ("reading_room", "Reading Room"),
    ("lend", "Paper Lending"),
]
MAX_DAYS_FIELDS = {
    "online": "archive_max_days_online",
    "reading_room": "archive_max_days_reading_room",
    "lend": "archive_max_days_lend",
}
APPROVAL_ACTIVITY = "cadre_archive.mail_act_archive_request_approval"
# the cases of 《干部人事档案工作条例》 第三十一条 in which dossiers are consulted
PURPOSE_TYPES = [
    ("assessment", "Cadre Assessment"),  # 考察
    ("appointment", "Appointment or Removal"),  # 任免
    ("audit", "Audit"),  # 审计
    ("inspection_tour", "Inspection Tour"),  # 巡视
    ("discipline", "Discipline Inspection and Supervision"),  # 纪检监察
    ("cadre_review", "Cadre Review"),  # 干部审核
    ("abroad_review", "Political Review for Going Abroad"),  # 出国（境）政审
    # 入党、入伍、录用等政审
    ("political_review", "Political Review (Party, Army, Recruitment)"),
    ("other", "Other"),
]


class CadreArchiveRequest(models.Model):
    """A consultation or borrowing request (查借阅申请).

    Approved by a manager through an activity; while it is approved and now is
    inside its period, the record rules let its requester read the scoped
    dossiers and materials, and nothing else (see ``request_access_ok`` on
    dossiers and materials).
    """

    _name = "cadre.archive.request"
    _description = "Archive Consultation Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "cadre.archive.workflow.mixin"]
    _order = "id desc"

    # What decides what a request opens is set only by the actions meant for
    # it: the access window is fixed by ``action_approve`` from the approved
    # dates, the reference by the sequence, the requester at creation.
    _protected_fields = frozenset(
        {
            "name",
            "requester_id",
            "company_id",
            "access_start",
            "access_end",
            "allow_view",
            "state",
            "approver_id",
            "approved_date",
            "refuse_reason",
            "requested_date_start",
            "requested_date_end",
            "requested_allow_download",
            "requested_allow_print",
            "requested_category_ids",
            "requested_material_ids",
        }
    )
    # what an approver may narrow while the request waits for approval
    _approver_fields = frozenset(
        {
            "category_ids",
            "material_ids",
            "date_start",
            "date_end",
            "allow_download",
            "allow_print",
        }
    )

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    requester_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        tracking=True,
        domain=[("share", "=", False)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    cadre_ids = fields.Many2many(
        "hr.employee.public",
        "cadre_archive_request_cadre_rel",
        "request_id",
        "employee_id",
        string="Cadres",
        copy=True,
        domain=[("has_cadre_dossier", "=", True)],
        help="The cadres whose dossiers you need to consult. Only their name and "
        "unit are shown until the request is approved.",
    )
    dossier_ids = fields.Many2many(
        "cadre.archive.dossier",
        "cadre_archive_request_dossier_rel",
        "request_id",
        "dossier_id",
        string="Dossiers",
        compute="_compute_dossier_ids",
        store=True,
        help="The dossiers of the cadres named: what an approval opens.",
    )
    category_ids = fields.Many2many(
        "cadre.archive.category",
        "cadre_archive_request_category_rel",
        "request_id",
        "category_id",
        string="Categories",
        help="Scope of the request. Empty: every category.",
    )
    material_ids = fields.Many2many(
        "cadre.archive.material",
        "cadre_archive_request_material_rel",
        "request_id",
        "material_id",
        string="Single Materials",
        help="Set by the approver to limit the request to these materials.",
    )
    purpose = fields.Text(tracking=True)
    request_type = fields.Selection(
        REQUEST_TYPES, string="Kind", required=True, default="online", tracking=True
    )
    date_start = fields.Date(string="From", required=True, tracking=True)
    date_end = fields.Date(string="To", required=True, tracking=True)
    access_start = fields.Datetime(
        readonly=True,
        copy=False,
        help="Start of access: 00:00 of the first approved day in the archive's "
        "time zone, fixed at approval.",
    )
    access_end = fields.Datetime(
        readonly=True,
        copy=False,
        help="End of access: 24:00 of the last approved day in the archive's time "
        "zone, fixed at approval.",
    )
    allow_view = fields.Boolean(string="View", default=True, readonly=True)
    allow_download = fields.Boolean(string="Download", tracking=True)
    allow_print = fields.Boolean(string="Print", tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("refused", "Refused"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    refuse_reason = fields.Text(readonly=True, copy=False, tracking=True)
    approver_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)
    requested_date_start = fields.Date(readonly=True, copy=False)
    requested_date_end = fields.Date(readonly=True, copy=False)
    requested_allow_download = fields.Boolean(readonly=True, copy=False)
    requested_allow_print = fields.Boolean(readonly=True, copy=False)
    requested_category_ids = fields.Many2many(
        "cadre.archive.category",
        "cadre_archive_request_requested_category_rel",
        "request_id",
        "category_id",
        readonly=True,
        copy=False,
    )
    requested_material_ids = fields.Many2many(
        "cadre.archive.material",
        "cadre_archive_request_requested_material_rel",
        "request_id",
        "material_id",
        readonly=True,
        copy=False,
    )
    can_approve = fields.Boolean(compute="_compute_can_approve")
    is_active_now = fields.Boolean(
        string="Access Open", compute="_compute_is_active_now"
    )
    access_log_count = fields.Integer(compute="_compute_access_log_count")
    lending_ids = fields.One2many("cadre.archive.lending", "request_id")

    # ------------------------------------------------------------------
    # The approval form (查（借）阅干部人事档案审批表): filled in by the
    # requester while the request is a draft (``_check_editable``), checked at
    # submission (``_check_approval_form``), printed by the report
    # ``report_request_approval``.
    # ------------------------------------------------------------------
    requesting_unit = fields.Char(
        compute="_compute_requesting_unit",
        store=True,
        readonly=False,
        help="The unit asking to consult (查阅单位), as printed on the form: the "
        "requester's department, or the organisation of a reader from another "
        "organisation.",
    )
    contact_name = fields.Char(string="Contact", help="Contact person of the unit.")
    contact_phone = fields.Char()
    requester_post = fields.Char(
        string="Requester's Post",
        compute="_compute_requester_post",
        store=True,
        readonly=False,
    )
    requester_political_status = fields.Selection(
        POLITICAL_STATUSES, string="Requester's Political Status"
    )
    purpose_type = fields.Selection(
        PURPOSE_TYPES,
        tracking=True,
        help="The case of the consultation among those the regulations list "
        '(查阅事由, 《干部人事档案工作条例》第三十一条). "Other" needs an '
        "explanation in Purpose.",
    )
    reader_ids = fields.One2many(
        "cadre.archive.request.reader",
        "request_id",
        string="Readers",
        copy=True,
        help="The people who consult the dossiers (查阅人). The company's settings "
        "say how many are needed and whether they must be party members.",
    )
    leader_name = fields.Char(
        string="Unit Leader", help="Leader of the requesting unit who signs the form."
    )
    leader_opinion = fields.Text(string="Unit Leader's Opinion")
    leader_date = fields.Date(string="Opinion Date")
    ask_excerpt = fields.Boolean(
        string="Excerpts Asked", help="The readers ask to take excerpts (摘抄)."
    )
    ask_copy = fields.Boolean(
        string="Copies Asked", help="The readers ask for copies (复制)."
    )

    # Readers from other organisations (外单位查阅): 纪委, 审计, another 组织部...
    # An archive officer files the request for them and is its requester
    # (``_check_outside_vals``); they consult in the reading room or borrow
    # the paper file, never online (``_check_outside_reader``).
    is_outside = fields.Boolean(
        string="Reader from Another Organisation",
        tracking=True,
        help="Filed by an archive officer for a reader from another organisation, "
        "who comes with a letter of introduction (介绍信).",
    )
    outside_reader_id = fields.Many2one(
        "res.partner",
        tracking=True,
        domain=[("is_company", "=", False)],
        help="The reader from another organisation, recorded as a contact whose "
        "company is their organisation.",
    )
    outside_organisation_id = fields.Many2one(
        related="outside_reader_id.parent_id", string="Organisation"
    )
    outside_id_type = fields.Selection(
        related="outside_reader_id.archive_id_type",
        readonly=False,
        groups="cadre_archive.group_officer",
    )
    outside_id_number = fields.Char(
        related="outside_reader_id.archive_id_number",
        readonly=False,
        groups="cadre_archive.group_officer",
    )
    introduction_letter = fields.Binary(
        string="Letter of Introduction",
        attachment=True,
        copy=False,
        help="The scanned letter of introduction (介绍信) of the outside reader's "
        "organisation. Only those who may read the request read it.",
    )
    introduction_letter_name = fields.Char(copy=False)

    _period_order = models.Constraint(
        "CHECK (date_end >= date_start)",
        "The end of the period cannot be before its start.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("cadre_ids", "company_id")
    def _compute_dossier_ids(self):
        for request in self:
            request.dossier_ids = request._cadre_dossiers()

    def _cadre_dossiers(self):
        """The dossiers of the cadres the request names, whoever asks.

        The request stores the cadres, which its requester may read; the
        dossiers follow from them. Python code asks here rather than reading
        ``dossier_ids``, whose value a requester's read filters by the record
        rules (no dossier is readable before approval).
        """
        self.ensure_one()
        cadres = self.with_context(active_test=False).cadre_ids
        return (
            self.env["cadre.archive.dossier"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("employee_id", "in", cadres.ids),
                    ("company_id", "=", self.company_id.id),
                ]
            )
        )

    def _approved_window(self):
        """The access window of the approved dates, in the archive's time zone.

        Computed once, at approval, and stored: nothing the requester changes
        afterwards (their own time zone included) moves it.
        """
        self.ensure_one()
        with lib_errors(self.env, ValidationError):
            return period.access_window(
                self.date_start, self.date_end, self.company_id._archive_tz()
            )

    @api.depends_context("uid")
    @api.depends("state", "requester_id", "company_id")
    def _compute_can_approve(self):
        for request in self:
            request.can_approve = (
                request.state == "submitted"
                and request.requester_id != self.env.user
                and self.env.user in request._get_approvers()
            )

    @api.depends("state", "access_start", "access_end")
    def _compute_is_active_now(self):
        now = fields.Datetime.now()
        for request in self:
            request.is_active_now = (
                request.state == "approved"
                and request.access_start
                and request.access_start <= now < request.access_end
            )

    def _compute_access_log_count(self):
        logs = self.env["cadre.archive.access.log"]
        if not logs.has_access("read"):
            self.access_log_count = 0
            return
        counts = dict(
            logs._read_group(
                [("request_id", "in", self.ids)], ["request_id"], ["__count"]
            )
        )
        for request in self:
            request.access_log_count = counts.get(request, 0)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        self._check_outside_vals(vals_list)
        vals_list = [self._dossiers_as_cadres(vals) for vals in vals_list]
        self._prepare_references(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        self._check_outside_vals([vals])
        vals = self._dossiers_as_cadres(vals)
        self._check_editable(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_draft(self):
        if any(request.state not in ("draft", "cancelled") for request in self):
            raise UserError(
                self.env._(
                    "Only draft or cancelled requests can be deleted; the others "
                    "are part of the archive's record."
                )
            )

    def _protected_values_allowed(self, vals):
        """On creation a client may pass the defaults of the form: its own user
        as requester (an officer may register a reader from another
        organisation), a company (checked by the company rule), the placeholder
        reference and the view permission every request has."""
        if self:
            return set()
        allowed = {"company_id"}
        if vals.get("requester_id") in (
            self.env.uid,
            None,
            False,
        ) or self.env.user.has_group("cadre_archive.group_officer"):
            allowed.add("requester_id")
        if vals.get("name") in (False, None, "", self.env._("New")):
            allowed.add("name")
        if vals.get("allow_view", True):
            allowed.add("allow_view")
        return allowed

    @api.model
    def _prepare_references(self, vals_list):
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "cadre.archive.request"
                ) or self.env._("New")

    def _check_editable(self, vals):
        """Requesters edit drafts; approvers may only narrow a submitted one."""
        if self._is_workflow_write() or self.env.su:
            return
        changed = set(vals) - {"message_follower_ids", "activity_ids"}
        for request in self:
            if request.state == "draft" or not changed:
                continue
            if request.state == "submitted" and request.can_approve:
                if changed <= self._approver_fields:
                    continue
            raise UserError(
                self.env._(
                    "Request %(request)s is no longer a draft: it cannot be "
                    "changed (an approver may only narrow its scope, period and "
                    "permissions before approving it).",
                    request=request.name,
                )
            )

    @api.model
    def _dossiers_as_cadres(self, vals):
        """Read the dossiers a client names as the cadres they belong to.

        A requester may name dossiers (the public contract) but cannot read
        them before approval, and Odoo checks read access on what a
        many2many links; a dossier has exactly one cadre, so each command on
        ``dossier_ids`` becomes the same command on ``cadre_ids``.
        """
        if "dossier_ids" not in vals:
            return vals
        vals = dict(vals)
        dossiers = self.env["cadre.archive.dossier"].sudo()

        def cadre(dossier_id):
            dossier = dossiers.browse(dossier_id).exists()
            if not dossier:
                raise ValidationError(
                    self.env._("Some of these dossiers do not exist.")
                )
            return dossier.employee_id.id

        commands = []
        for command in vals.pop("dossier_ids") or []:
            if isinstance(command, int):
                command = Command.link(command)
            match command[0]:
                case Command.SET:
                    commands.append(Command.set([cadre(i) for i in command[2]]))
                case Command.LINK | Command.UNLINK:
                    commands.append((command[0], cadre(command[1]), 0))
                case Command.CLEAR:
                    commands.append(Command.clear())
                case _:
                    raise UserError(
                        self.env._("Dossiers are linked, never created here.")
                    )
        vals["cadre_ids"] = [*vals.get("cadre_ids", []), *commands]
        return vals

    @api.constrains("cadre_ids", "company_id")
    def _check_cadres(self):
        """Every cadre named has a dossier in the request's company, and none is
        the requester's own or a declared relative's (回避)."""
        for request in self:
            dossiers = request._cadre_dossiers()
            cadres = request.with_context(active_test=False).cadre_ids
            if set(dossiers.employee_id.ids) != set(cadres.ids):
                raise ValidationError(
                    self.env._(
                        "Some of these cadres have no dossier in %(company)s: a "
                        "request names the dossiers of its own company only.",
                        company=request.company_id.name,
                    )
                )
            request._check_not_own_or_relative(dossiers)

    def _check_not_own_or_relative(self, dossiers):
        self.ensure_one()
        user_employees = self.requester_id.sudo().employee_ids
        for dossier in dossiers.sudo():
            if dossier.employee_id.user_id == self.requester_id or (
                dossier.employee_id & user_employees
            ):
                raise ValidationError(
                    self.env._(
                        "Nobody may consult their own dossier (回避): remove "
                        "%(cadre)s from the request.",
                        cadre=dossier.employee_id.name,
                    )
                )
            if dossier.relative_ids.employee_id & user_employees:
                raise ValidationError(
                    self.env._(
                        "%(cadre)s is declared as your relative: you may not "
                        "consult this dossier (回避).",
                        cadre=dossier.employee_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def action_submit(self):
        for request in self:
            if request.state != "draft":
                raise UserError(self.env._("Only draft requests can be submitted."))
            if request.requester_id != self.env.user and not self.env.user.has_group(
                "cadre_archive.group_officer"
            ):
                raise AccessError(
                    self.env._(
                        "Only the requester or an archive officer may submit a request."
                    )
                )
            request._check_submission()
            request._workflow_write(
                {
                    "state": "submitted",
                    "requested_date_start": request.date_start,
                    "requested_date_end": request.date_end,
                    "requested_allow_download": request.allow_download,
                    "requested_allow_print": request.allow_print,
                    "requested_category_ids": [(6, 0, request.category_ids.ids)],
                    "requested_material_ids": [(6, 0, request.material_ids.ids)],
                }
            )
            request._schedule_approval_activities()
        return True

    def _check_submission(self):
        self.ensure_one()
        if not self.cadre_ids:
            raise ValidationError(
                self.env._("Name at least one cadre whose dossier you need.")
            )
        self._check_purpose()
        self._check_period(self.date_start, self.date_end)
        self._check_not_own_or_relative(self._cadre_dossiers())
        self._check_approval_form()

    def _check_period(self, date_start, date_end):
        self.ensure_one()
        max_days = self.company_id[MAX_DAYS_FIELDS[self.request_type]]
        today = self.company_id._archive_today()
        with lib_errors(self.env, ValidationError):
            period.check_period(date_start, date_end, today, max_days)

    def _get_approvers(self):
        """Users who approve this request: the company's configured approvers,
        or else its archive managers; never the requester."""
        self.ensure_one()
        approvers = self.company_id.sudo().archive_approver_ids
        if not approvers:
            group = self.env.ref("cadre_archive.group_manager").sudo()
            approvers = group.all_user_ids.filtered(
                lambda u: self.company_id in u.company_ids and not u.share
            )
        return approvers.filtered(lambda u: u.active) - self.requester_id

    def _schedule_approval_activities(self):
        self.ensure_one()
        approvers = self._get_approvers()
        if not approvers:
            raise UserError(
                self.env._(
                    "Nobody can approve this request: ask an administrator to set "
                    "the request approvers or archive managers of %(company)s.",
                    company=self.company_id.name,
                )
            )
        for approver in approvers:
            self.sudo().activity_schedule(
                APPROVAL_ACTIVITY,
                user_id=approver.id,
                note=self.env._(
                    "%(requester)s asks to consult %(count)s dossier(s): %(purpose)s",
                    requester=self.requester_id.name,
                    count=len(self.cadre_ids),
                    purpose=self.purpose,
                ),
            )

    def _check_can_approve(self):
        for request in self:
            if request.state != "submitted":
                raise UserError(
                    self.env._(
                        "Request %(request)s is not waiting for approval.",
                        request=request.name,
                    )
                )
            if request.requester_id == self.env.user:
                raise AccessError(
                    self.env._("Nobody approves or refuses their own request.")
                )
            if self.env.user not in request._get_approvers():
                raise AccessError(
                    self.env._(
                        "You are not an approver of archive requests of %(company)s.",
                        company=request.company_id.name,
                    )
                )

    def _check_narrowing(self):
        """An approver may narrow a request, never widen it."""
        for request in self:
            request._check_period(request.date_start, request.date_end)
            if not period.is_narrower(
                (request.date_start, request.date_end),
                (request.requested_date_start, request.requested_date_end),
            ):
                raise ValidationError(
                    self.env._(
                        "The approved period must lie within the requested period "
                        "(%(start)s - %(end)s).",
                        start=request.requested_date_start,
                        end=request.requested_date_end,
                    )
                )
            if (request.allow_download and not request.requested_allow_download) or (
                request.allow_print and not request.requested_allow_print
            ):
                raise ValidationError(
                    self.env._(
                        "An approver cannot grant a permission nobody asked for."
                    )
                )
            asked = request.requested_category_ids
            if asked and not request.category_ids:
                raise ValidationError(
                    self.env._(
                        "The request was limited to some categories: keep it limited."
                    )
                )
            if asked and not request.category_ids <= asked | asked.child_ids:
                raise ValidationError(
                    self.env._("An approver cannot add categories to the request.")
                )
            asked_materials = request.sudo().requested_material_ids
            if asked_materials and not (
                request.sudo().material_ids
                and request.sudo().material_ids <= asked_materials
            ):
                raise ValidationError(
                    self.env._("An approver cannot add materials to the request.")
                )

    def action_approve(self):
        self._check_can_approve()
        self._check_narrowing()
        for request in self:
            access_start, access_end = request._approved_window()
            request._workflow_write(
                {
                    "state": "approved",
                    "approver_id": self.env.uid,
                    "approved_date": fields.Datetime.now(),
                    "access_start": access_start,
                    "access_end": access_end,
                }
            )
            request._close_approval_activities(
                feedback=self.env._("Approved by %(user)s", user=self.env.user.name)
            )
            request._notify_requester(
                self.env._(
                    "Your request %(request)s is approved: you may consult the "
                    "dossiers from %(start)s to %(end)s.",
                    request=request.name,
                    start=request.date_start,
                    end=request.date_end,
                )
            )
        return True

    def action_refuse(self, reason=None):
        """Refuse with a reason; without one, ask for it in a dialog."""
        if not reason:
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Refuse Request"),
                "res_model": "cadre.archive.request.refuse",
                "view_mode": "form",
                "target": "new",
                "context": {"default_request_ids": self.ids},
            }
        self._check_can_approve()
        if not reason.strip():
            raise ValidationError(self.env._("Give the reason for the refusal."))
        for request in self:
            request._workflow_write({"state": "refused", "refuse_reason": reason})
            request._close_approval_activities(
                feedback=self.env._(
                    "Refused by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                )
            )
            request._notify_requester(
                self.env._(
                    "Your request %(request)s is refused: %(reason)s",
                    request=request.name,
                    reason=reason,
                )
            )
        return True

    def action_done(self):
        """End the access now (consultation finished or paper returned)."""
        for request in self:
            if request.state != "approved":
                raise UserError(self.env._("Only approved requests can be closed."))
            if request.sudo().lending_ids.filtered(lambda lend: lend.state == "open"):
                raise UserError(
                    self.env._(
                        "The paper file of request %(request)s is still lent: "
                        "record its return first.",
                        request=request.name,
                    )
                )
        self._workflow_write({"state": "done"})
        return True

    def action_cancel(self):
        for request in self:
            if request.state not in ("draft", "submitted"):
                raise UserError(
                    self.env._("Only draft or submitted requests can be cancelled.")
                )
        self._workflow_write({"state": "cancelled"})
        for request in self:
            request._close_approval_activities()
        return True

    def _close_approval_activities(self, feedback=None):
        activities = self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(APPROVAL_ACTIVITY)
        )
        if feedback:
            activities.action_feedback(feedback=feedback)
        else:
            activities.unlink()

    def _notify_requester(self, body):
        self.ensure_one()
        self.sudo().message_post(
            body=body,
            partner_ids=self.requester_id.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def action_hand_out(self):
        """Hand the paper files of an approved lending request to the borrower."""
        for request in self:
            if request.request_type != "lend" or request.state != "approved":
                raise UserError(
                    self.env._(
                        "Only approved paper-lending requests hand out paper files."
                    )
                )
            if not request.is_active_now:
                raise UserError(
                    self.env._(
                        "The lending period of %(request)s is not open.",
                        request=request.name,
                    )
                )
            dossiers = request.dossier_ids  # read as the officer: their units only
            for dossier in dossiers:
                self.env["cadre.archive.lending"]._hand_out(request, dossier)
        return True

    def action_open_material_list(self):
        """The materials this request opens now, with their viewer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cadre_archive.action_cadre_archive_material_consult"
        )
        action["domain"] = [("dossier_id", "in", self._cadre_dossiers().ids)]
        return action

    def action_open_access_log(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cadre_archive.action_cadre_archive_access_log"
        )
        action["domain"] = [("request_id", "=", self.id)]
        return action

    @api.model
    def _cron_close_expired(self):
        """Tidy states: approved requests whose period is over become done.

        Access already ended by itself at the end of the period (the rules look
        at the dates); this only makes the state say so.
        """
        expired = self.search(
            [
                ("state", "=", "approved"),
                ("access_end", "<=", fields.Datetime.now()),
                ("lending_ids", "not any", [("state", "=", "open")]),
            ]
        )
        expired._workflow_write({"state": "done"})
        return True

    # ------------------------------------------------------------------
    # The approval form (查（借）阅干部人事档案审批表)
    # ------------------------------------------------------------------
    # set only by archive officers: a reader from another organisation
    _outside_fields = frozenset(
        {
            "is_outside",
            "outside_reader_id",
            "outside_id_type",
            "outside_id_number",
            "introduction_letter",
            "introduction_letter_name",
        }
    )

    def _requester_employee(self):
        self.ensure_one()
        return self.requester_id.sudo().employee_ids[:1]

    @api.depends("outside_reader_id", "requester_id")
    def _compute_requesting_unit(self):
        """The outside reader's organisation, else the requester's department;
        what the requester typed stays until the outside reader changes."""
        for request in self:
            organisation = request.outside_reader_id.parent_id
            if organisation:
                request.requesting_unit = organisation.name
            elif not request.requesting_unit:
                department = request._requester_employee().department_id
                request.requesting_unit = department.name or False

    @api.depends("requester_id")
    def _compute_requester_post(self):
        for request in self:
            if not request.requester_post:
                job_title = request._requester_employee().job_title
                request.requester_post = job_title or False

    def _form_date(self, value):
        """A date or time as the form prints it (2026年3月5日); a time is
        taken in the archive's time zone."""
        self.ensure_one()
        if not value:
            return ""
        if isinstance(value, datetime.datetime):
            moment = value.replace(tzinfo=datetime.timezone.utc)
            value = period.today_in(self.company_id._archive_tz(), now=moment)
        return f"{value.year}年{value.month}月{value.day}日"

    def _check_outside_vals(self, vals_list):
        """Only archive officers record readers from other organisations."""
        if (
            self._is_workflow_write()
            or self.env.su
            or self.env.user.has_group("cadre_archive.group_officer")
        ):
            return
        if any(vals.get(name) for vals in vals_list for name in self._outside_fields):
            raise AccessError(
                self.env._(
                    "Only archive officers record readers from other organisations "
                    "(外单位查阅人员) and their letters of introduction (介绍信)."
                )
            )

    @api.constrains("is_outside", "outside_reader_id", "request_type", "requester_id")
    def _check_outside_reader(self):
        for request in self:
            if request.outside_reader_id and not request.is_outside:
                raise ValidationError(
                    self.env._(
                        "An outside reader is named on requests for readers from "
                        "another organisation only: tick Reader from Another "
                        "Organisation."
                    )
                )
            if not request.is_outside:
                continue
            if request.request_type == "online":
                raise ValidationError(
                    self.env._(
                        "Readers from other organisations (外单位查阅人员) consult in "
                        "the reading room or borrow the paper file: online viewing "
                        "is not open to them. Choose Reading Room or Paper Lending."
                    )
                )
            if not request.requester_id.has_group("cadre_archive.group_officer"):
                raise ValidationError(
                    self.env._(
                        "A request for readers from another organisation is filed "
                        "by an archive officer, who is its requester."
                    )
                )

    @api.onchange("is_outside")
    def _onchange_is_outside(self):
        if not self.is_outside:
            self.outside_reader_id = False
        elif self.request_type == "online":
            self.request_type = "reading_room"

    @api.onchange("outside_reader_id")
    def _onchange_outside_reader_id(self):
        """Name the outside reader among the readers, once."""
        reader = self.outside_reader_id
        if reader and reader.name not in self.reader_ids.mapped("name"):
            self.reader_ids = [
                Command.create(
                    {
                        "name": reader.name,
                        "post": reader.function,
                        "id_number": reader.archive_id_number,
                    }
                )
            ]

    def _check_readers_editable(self):
        """Readers change with their request: a draft the user may write."""
        if self.env.su or self._is_workflow_write():
            return
        self.check_access("write")
        self._check_editable({"reader_ids": True})

    def _check_purpose(self):
        """A case of the regulations; "Other" needs an explanation."""
        self.ensure_one()
        if not self.purpose_type:
            raise ValidationError(
                self.env._(
                    "Choose the purpose of the consultation among the cases of the "
                    "regulations (查阅事由, 《干部人事档案工作条例》第三十一条)."
                )
            )
        if self.purpose_type == "other" and not (self.purpose or "").strip():
            raise ValidationError(
                self.env._(
                    "The purpose is Other: explain it in Purpose (查阅事由说明)."
                )
            )

    def _check_approval_form(self):
        """The readers the rules want, and for a reader from another
        organisation their identity and letter of introduction."""
        self.ensure_one()
        self._check_readers()
        if self.is_outside:
            self._check_outside_submission()

    def _check_readers(self):
        self.ensure_one()
        company = self.company_id
        readers = self.reader_ids
        if len(readers) < company.archive_min_readers:
            raise ValidationError(
                self.env._(
                    "Name at least %(count)s readers (查阅人): dossiers are "
                    "consulted by at least %(count)s people together.",
                    count=company.archive_min_readers,
                )
            )
        names = [reader.name.strip() for reader in readers]
        repeated = {name for name in names if names.count(name) > 1}
        if repeated:
            raise ValidationError(
                self.env._(
                    "Each reader is named once: %(names)s appears more than once.",
                    names="、".join(sorted(repeated)),
                )
            )
        if company.archive_readers_party_members:
            outsiders = readers.filtered(lambda reader: not reader.is_party_member)
            if outsiders:
                raise ValidationError(
                    self.env._(
                        "Readers must be party members (中共党员): %(names)s is not "
                        "recorded as one. Record their political status, or name "
                        "another reader.",
                        names="、".join(outsiders.mapped("name")),
                    )
                )

    def _check_outside_submission(self):
        self.ensure_one()
        reader = self.outside_reader_id
        if not reader:
            raise ValidationError(
                self.env._(
                    "Record the reader from the other organisation (外单位查阅人) "
                    "as a contact."
                )
            )
        if not reader.parent_id:
            raise ValidationError(
                self.env._(
                    "Record the organisation of %(reader)s as the company of the "
                    "contact.",
                    reader=reader.name,
                )
            )
        identity = reader.sudo()
        if not (identity.archive_id_type and identity.archive_id_number):
            raise ValidationError(
                self.env._(
                    "Record the identity document (type and number) of %(reader)s.",
                    reader=reader.name,
                )
            )
        if not self.introduction_letter:
            raise ValidationError(
                self.env._(
                    "Attach the letter of introduction (介绍信) of %(organisation)s.",
                    organisation=reader.parent_id.name,
                )
            )
