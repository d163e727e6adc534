# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime
from datetime import timezone

from odoo import Command, api, fields, http, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

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
# the approvers of tier n, fixed at submission
TIER_FIELDS = ("tier1_approver_ids", "tier2_approver_ids")
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

    Approved tier by tier through activities, by management authority (按干部管理
    权限, see ``_authority_tiers``); while it is approved and now is inside its
    period, the record rules let its requester read the scoped dossiers and
    materials, and nothing else (see ``request_access_ok`` on dossiers and
    materials).
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
            "submitted_date",
            "requested_date_start",
            "requested_date_end",
            "requested_allow_download",
            "requested_allow_print",
            "requested_category_ids",
            "requested_material_ids",
            # who approves is fixed at submission, by the approval rules
            "approval_tier",
            "approval_tier_count",
            "tier1_approver_ids",
            "tier2_approver_ids",
            "tier_approved_by_ids",
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
    submitted_date = fields.Datetime(
        string="Submitted On",
        readonly=True,
        copy=False,
        help="When the request was submitted for approval: the start of its "
        "handling, for the assessment of the archive staff.",
    )
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
    approval_tier = fields.Integer(
        readonly=True,
        copy=False,
        help="The tier of approval the request waits on, or was last decided at.",
    )
    approval_tier_count = fields.Integer(
        string="Approval Tiers",
        readonly=True,
        copy=False,
        help="How many tiers must approve, fixed at submission by the approval "
        "rules of the cadres named.",
    )
    tier1_approver_ids = fields.Many2many(
        "res.users",
        "cadre_archive_request_tier1_approver_rel",
        "request_id",
        "user_id",
        string="Approvers",
        readonly=True,
        copy=False,
        help="Who may approve the first tier, fixed at submission (anyone who "
        "must recuse left out).",
    )
    tier2_approver_ids = fields.Many2many(
        "res.users",
        "cadre_archive_request_tier2_approver_rel",
        "request_id",
        "user_id",
        string="Second-Tier Approvers",
        readonly=True,
        copy=False,
    )
    tier_approved_by_ids = fields.Many2many(
        "res.users",
        "cadre_archive_request_tier_approved_by_rel",
        "request_id",
        "user_id",
        string="Earlier Tiers Approved By",
        readonly=True,
        copy=False,
        help="Who approved the tiers before the current one: a later tier needs "
        "other eyes.",
    )
    can_approve = fields.Boolean(compute="_compute_can_approve")
    decision_ids = fields.One2many(
        "cadre.archive.request.decision",
        "request_id",
        string="Approval Opinions",
        readonly=True,
        copy=False,
        help="The opinion (审批意见) of each approver who decided, tier by tier.",
    )
    can_consult = fields.Boolean(
        compute="_compute_can_consult",
        help="Technical: the current user is the requester and the request is "
        "open now: the Consult button and the banner are theirs.",
    )
    can_choose_requester = fields.Boolean(
        compute="_compute_can_choose_requester",
        help="Technical: the current user may file this new request on "
        "someone else's behalf (archive managers; the requester is fixed at "
        "creation).",
    )
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
    @api.depends(
        "state",
        "requester_id",
        "approval_tier",
        "tier1_approver_ids",
        "tier2_approver_ids",
        "tier_approved_by_ids",
    )
    def _compute_can_approve(self):
        for request in self:
            request.can_approve = request._is_current_approver(self.env.user)

    @api.depends_context("uid")
    @api.depends("requester_id", "state", "access_start", "access_end")
    def _compute_can_consult(self):
        for request in self:
            request.can_consult = (
                request.is_active_now and request.requester_id == self.env.user
            )

    @api.depends_context("uid")
    def _compute_can_choose_requester(self):
        may_choose = self._may_choose_requester()
        for request in self:
            request.can_choose_requester = may_choose and not request.id

    @api.depends("state", "access_start", "access_end")
    def _compute_is_active_now(self):
        now = fields.Datetime.now()
        for request in self:
            request.is_active_now = (
                request.state == "approved"
                and request.access_start
                and request.access_start <= now < request.access_end
            )

    @api.depends_context("uid")
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
        self._check_requester_vals(vals_list)
        self._check_protected_vals(vals_list)
        self._check_outside_vals(vals_list)
        vals_list = [self._dossiers_as_cadres(vals) for vals in vals_list]
        self._prepare_references(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_requester_change(vals)
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

    @api.model
    def _check_requester_vals(self, vals_list):
        """A requester (an officer too) files requests in their own name; an
        archive manager may file one on someone else's behalf."""
        if self._may_choose_requester():
            return
        for vals in vals_list:
            if vals.get("requester_id") not in (self.env.uid, None, False):
                raise UserError(self._own_name_message())

    def _check_requester_change(self, vals):
        """Who asks never changes after creation: a plain sentence rather than
        the generic refusal of system fields."""
        if "requester_id" not in vals or self._is_workflow_write() or self.env.su:
            return
        if not self._may_choose_requester():
            raise UserError(self._own_name_message())
        raise UserError(
            self.env._(
                "The requester of a request is set when it is created: to file "
                "it for someone else, create a new request in their name and "
                "cancel this one."
            )
        )

    @api.model
    def _may_choose_requester(self):
        """Whether the current user may file a request in another's name: what
        the record rules let create (managers: any request of their
        companies)."""
        return self.env.su or self.env.user.has_group("cadre_archive.group_manager")

    @api.model
    def _own_name_message(self):
        return self.env._(
            "You file consultation requests in your own name: leave yourself as "
            "the requester. An archive manager can file a request on someone "
            "else's behalf."
        )

    def _protected_values_allowed(self, vals):
        """On creation a client may pass the defaults of the form: its own user
        as requester (an officer registering a reader from another
        organisation is the requester; a manager may name another), a company
        (checked by the company rule), the placeholder reference and the view
        permission every request has."""
        if self:
            return set()
        allowed = {"company_id"}
        if (
            vals.get("requester_id") in (self.env.uid, None, False)
            or self._may_choose_requester()
        ):
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
        reason, dossier = self._dossier_conflict(self.requester_id, dossiers)
        if reason == "own":
            raise ValidationError(
                self.env._(
                    "Nobody may consult their own dossier (回避): remove "
                    "%(cadre)s from the request.",
                    cadre=dossier.employee_id.name,
                )
            )
        if reason == "relative":
            raise ValidationError(
                self.env._(
                    "%(cadre)s is declared as your relative: you may not "
                    "consult this dossier (回避).",
                    cadre=dossier.employee_id.name,
                )
            )

    @api.model
    def _dossier_conflict(self, user, dossiers):
        """Whether ``user`` must keep away from one of ``dossiers`` (回避).

        Returns ``("own", dossier)`` for their own dossier, ``("relative",
        dossier)`` for the dossier of a cadre who declared them as a relative,
        else ``(False, None)``.
        """
        user_employees = user.sudo().employee_ids
        for dossier in dossiers.sudo():
            if dossier.employee_id.user_id == user or (
                dossier.employee_id & user_employees
            ):
                return "own", dossier
            if dossier.relative_ids.employee_id & user_employees:
                return "relative", dossier
        return False, None

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
            tiers = request._assign_approval_tiers()
            request._workflow_write(
                {
                    "state": "submitted",
                    "submitted_date": fields.Datetime.now(),
                    "requested_date_start": request.date_start,
                    "requested_date_end": request.date_end,
                    "requested_allow_download": request.allow_download,
                    "requested_allow_print": request.allow_print,
                    "requested_category_ids": [(6, 0, request.category_ids.ids)],
                    "requested_material_ids": [(6, 0, request.material_ids.ids)],
                    "approval_tier": 1,
                    "approval_tier_count": len(tiers),
                    **{
                        field: [Command.set(users.ids)]
                        for field, users in zip(TIER_FIELDS, tiers, strict=False)
                    },
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
        self._check_not_transferred()
        self._check_approval_form()

    def _check_not_transferred(self):
        """No new request on a dossier transferred out (转出): it has left."""
        self.ensure_one()
        transferred = self._cadre_dossiers().filtered(
            lambda d: d.state == "transferred"
        )
        if transferred:
            raise ValidationError(
                self.env._(
                    "The dossier of %(cadres)s has been transferred out to another "
                    "organisation: it can no longer be consulted here. Remove "
                    "the cadre from the request.",
                    cadres=", ".join(transferred.employee_id.mapped("name")),
                )
            )

    def _check_period(self, date_start, date_end):
        self.ensure_one()
        max_days = self.company_id[MAX_DAYS_FIELDS[self.request_type]]
        today = self.company_id._archive_today()
        with lib_errors(self.env, ValidationError):
            period.check_period(date_start, date_end, today, max_days)

    # ------------------------------------------------------------------
    # Approval by management authority (按干部管理权限)
    # ------------------------------------------------------------------
    def _authority_tiers(self, dossiers):
        """The approvers of each tier, by the management authority of the cadres.

        Each cadre named is governed by the first approval rule (by sequence)
        of the request's company that matches the unit keeping their dossier
        (or a unit above it), their tags and the kind of request; a cadre no
        rule matches is governed by the company's request approvers, else its
        archive managers, in one tier. Tier *n* of the request is the union of
        tier *n* of the cadres' rules, and the request has as many tiers as
        the most demanding of them. Any one approver of a tier decides that
        tier for the whole request: where each authority must decide on its
        own cadres, file one request per authority. ``dossiers`` are the
        request's (``_cadre_dossiers``), looked up once by the caller.

        Returns a list of ``res.users``, tier 1 first, before anyone is left
        out for recusal (see ``_assign_approval_tiers``).
        """
        self.ensure_one()
        rules = (
            self.env["cadre.archive.approval.rule"]
            .sudo()
            .search([("company_id", "=", self.company_id.id)])
        )
        tiers = []
        for dossier in dossiers:
            rule = rules._first_match(dossier, self.request_type)
            cadre_tiers = (
                rule._approver_tiers() if rule else [self._default_approvers()]
            )
            for index, users in enumerate(cadre_tiers):
                if index < len(tiers):
                    tiers[index] |= users
                else:
                    tiers.append(users)
        return tiers or [self._default_approvers()]

    def _default_approvers(self):
        """Who approves where no rule applies: the company's configured request
        approvers, or else its archive managers."""
        self.ensure_one()
        approvers = self.company_id.sudo().archive_approver_ids
        if not approvers:
            group = self.env.ref("cadre_archive.group_manager").sudo()
            approvers = self._without_administrators(
                group.all_user_ids.filtered(
                    lambda u: self.company_id in u.company_ids and not u.share
                )
            )
        return approvers.filtered(lambda u: u.active)

    @api.model
    def _without_administrators(self, users):
        """``users`` less the system administrators, unless nobody else is left.

        The administrators are archive managers by the addon's data, to
        configure it; they approve only where nobody else could. Users named
        as approvers (settings, rules) are kept whoever they are.
        """
        administrators = users.filtered(lambda u: u.has_group("base.group_system"))
        return (users - administrators) or users

    def _assign_approval_tiers(self):
        """The approvers of each tier, less those who must recuse (回避).

        Fails when a tier names nobody, or when everyone it names must recuse:
        the request would wait for ever.
        """
        self.ensure_one()
        dossiers = self._cadre_dossiers()
        tiers = []
        for tier, users in enumerate(self._authority_tiers(dossiers), start=1):
            if not users:
                raise UserError(
                    self.env._(
                        "Nobody can approve this request: ask an administrator to "
                        "set the request approvers or archive managers of "
                        "%(company)s, or the approvers of its approval rules.",
                        company=self.company_id.name,
                    )
                )
            kept = users.filtered(lambda u: not self._recusal_reason(u, dossiers))
            if not kept:
                raise UserError(
                    self.env._(
                        "Nobody is left to approve tier %(tier)s of this request: "
                        "every approver of that tier must recuse (回避: their own "
                        "request, their own or a relative's dossier). Ask an "
                        "archive manager to name other approvers in the approval "
                        "rules.",
                        tier=tier,
                    )
                )
            tiers.append(kept)
        return tiers

    def _recusal_reason(self, user, dossiers=None):
        """Why ``user`` may not decide on this request (回避), or ``""``."""
        self.ensure_one()
        if user == self.requester_id:
            return self.env._("Nobody approves or refuses their own request.")
        if dossiers is None:
            dossiers = self._cadre_dossiers()
        reason, dossier = self._dossier_conflict(user, dossiers)
        if reason == "own":
            return self.env._(
                "Request %(request)s names your own dossier: you may not approve "
                "or refuse it (回避).",
                request=self.name,
            )
        if reason == "relative":
            return self.env._(
                "Request %(request)s names the dossier of %(cadre)s, a declared "
                "relative of yours: you may not approve or refuse it (回避).",
                request=self.name,
                cadre=dossier.employee_id.name,
            )
        return ""

    def _get_approvers(self):
        """Who may decide the tier the request waits on: its approvers fixed at
        submission, still active, less anyone who must now recuse (a relative
        declared since) or who approved an earlier tier. Nobody while the
        request is not submitted."""
        self.ensure_one()
        dossiers = self._cadre_dossiers()
        return self._tier_approvers().filtered(
            lambda u: not self._recusal_reason(u, dossiers)
        )

    def _is_current_approver(self, user):
        """Whether ``user`` is one of ``_get_approvers()`` (checked for that
        user alone)."""
        self.ensure_one()
        return user in self._tier_approvers() and not self._recusal_reason(user)

    def _tier_approvers(self):
        """The approvers fixed at submission for the tier the request waits
        on, still active, who approved no earlier tier."""
        self.ensure_one()
        if self.state != "submitted" or not self.approval_tier:
            return self.env["res.users"]
        request = self.sudo()
        approvers = request[TIER_FIELDS[self.approval_tier - 1]]
        return (approvers - request.tier_approved_by_ids).filtered("active").sudo(False)

    def _schedule_approval_activities(self):
        self.ensure_one()
        approvers = self._get_approvers()
        if not approvers:
            raise UserError(
                self.env._(
                    "Nobody is left to approve tier %(tier)s of request "
                    "%(request)s: its approvers are archived, must recuse (回避) "
                    "or approved an earlier tier (a later tier needs other "
                    "eyes). Let another approver of the earlier tier decide, or "
                    "cancel the request and file it again.",
                    tier=self.approval_tier,
                    request=self.name,
                )
            )
        for approver in approvers:
            self.sudo().activity_schedule(
                APPROVAL_ACTIVITY,
                user_id=approver.id,
                summary=self._tier_label(),
                note=self.env._(
                    "%(requester)s asks to consult %(count)s dossier(s): %(purpose)s",
                    requester=self.requester_id.name,
                    count=len(self.cadre_ids),
                    purpose=self.purpose,
                ),
            )

    def _tier_label(self):
        """The activity's summary when several tiers approve in turn."""
        self.ensure_one()
        if self.approval_tier_count < 2:
            return ""
        return self.env._(
            "Approval tier %(tier)s of %(count)s",
            tier=self.approval_tier,
            count=self.approval_tier_count,
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
            reason = request._recusal_reason(self.env.user)
            if reason:
                raise AccessError(reason)
            if not request._is_current_approver(self.env.user):
                raise AccessError(
                    self.env._(
                        "You are not an approver of request %(request)s at its "
                        "current tier (%(tier)s of %(count)s).",
                        request=request.name,
                        tier=request.approval_tier,
                        count=request.approval_tier_count,
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

    @api.model
    def _default_opinion(self):
        """The opinion (审批意见) proposed to an approver, and recorded when a
        client approves without giving one."""
        return self.env._("Approved for consultation.")

    def action_open_approve_dialog(self):
        """Ask the approver for their opinion (审批意见) before approving:
        the way the web client approves."""
        self._check_can_approve()
        self._check_narrowing()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approve Request"),
            "res_model": "cadre.archive.request.approve",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_ids": self.ids},
        }

    def _approval_summary(self):
        """What approving this request opens, in one line for the dialog."""
        self.ensure_one()
        return self.env._(
            "%(request)s: %(cadres)s, %(kind)s, from %(start)s to %(end)s, %(scope)s.",
            request=self.name,
            cadres=", ".join(self.cadre_ids.mapped("name")),
            kind=dict(self._fields["request_type"]._description_selection(self.env))[
                self.request_type
            ],
            start=self.date_start,
            end=self.date_end,
            scope=", ".join(self.category_ids.mapped("display_name"))
            or self.env._("every category"),
        )

    def action_approve(self, opinion=None):
        """Approve the tier each request waits on, with the approver's opinion
        (审批意见; the default one when none is given); the last tier approves
        the request and opens its access window."""
        self._check_can_approve()
        self._check_narrowing()
        opinion = (opinion or "").strip() or self._default_opinion()
        for request in self:
            request._record_decision("approved", opinion)
            request._post_note(
                self.env._(
                    "%(user)s approved tier %(tier)s of %(count)s: %(opinion)s",
                    user=self.env.user.name,
                    tier=request.approval_tier,
                    count=request.approval_tier_count,
                    opinion=opinion,
                )
            )
            if request.approval_tier < request.approval_tier_count:
                request._pass_to_next_tier()
            else:
                request._approve_last_tier()
        return True

    def _pass_to_next_tier(self):
        self.ensure_one()
        self._close_approval_activities(
            feedback=self.env._(
                "Tier %(tier)s approved by %(user)s",
                tier=self.approval_tier,
                user=self.env.user.name,
            )
        )
        self._workflow_write(
            {
                "approval_tier": self.approval_tier + 1,
                "tier_approved_by_ids": [Command.link(self.env.uid)],
            }
        )
        self._schedule_approval_activities()

    def _approve_last_tier(self):
        self.ensure_one()
        access_start, access_end = self._approved_window()
        self._workflow_write(
            {
                "state": "approved",
                "approver_id": self.env.uid,
                "approved_date": fields.Datetime.now(),
                "access_start": access_start,
                "access_end": access_end,
            }
        )
        self._close_approval_activities(
            feedback=self.env._("Approved by %(user)s", user=self.env.user.name)
        )
        self._notify_requester(
            self.env._(
                "Your request %(request)s is approved: you may consult the "
                "dossiers from %(start)s to %(end)s.",
                request=self.name,
                start=self.date_start,
                end=self.date_end,
            )
        )

    def action_refuse(self, reason=None):
        """Refuse with a reason, at whatever tier; without one, ask for it in a
        dialog."""
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
            request._record_decision("refused", reason)
            request._post_note(
                self.env._(
                    "%(user)s refused the request at tier %(tier)s of %(count)s: "
                    "%(reason)s",
                    user=self.env.user.name,
                    tier=request.approval_tier,
                    count=request.approval_tier_count,
                    reason=reason,
                )
            )
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

    def _record_decision(self, decision, opinion):
        """Keep the current user's opinion at the tier the request waits on,
        for the approval form."""
        self.ensure_one()
        self.env["cadre.archive.request.decision"].sudo().create(
            {
                "request_id": self.id,
                "tier": self.approval_tier,
                "user_id": self.env.uid,
                "decision": decision,
                "opinion": opinion,
            }
        )

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

    @api.model
    def _close_for_transfer(self, dossiers, transfer):
        """Close the requests pending on ``dossiers``, sent away by
        ``transfer``, with the reason in their chatter: drafts and submitted
        ones are cancelled, approved ones end now. A request naming other
        cadres too is closed whole (its approval covered all of them): the
        requester files a new one for the others. An approved request whose
        paper file of another cadre is out on loan ends when it comes back: it
        is only told. Returns the requests found."""
        requests = self.sudo().search(
            [
                ("state", "in", ("draft", "submitted", "approved")),
                ("cadre_ids", "in", dossiers.employee_id.ids),
                ("company_id", "in", dossiers.company_id.ids),
            ]
        )
        for request in requests:
            cadres = request._cadre_dossiers() & dossiers.sudo()
            reason = self.env._(
                "Closed because the dossier of %(cadres)s was transferred out to "
                "%(partner)s (notice %(transfer)s). File a new request for any "
                "other cadre it named.",
                cadres=", ".join(cadres.employee_id.mapped("name")),
                partner=transfer.partner_id.name,
                transfer=transfer.name,
            )
            if request.state == "approved" and request.lending_ids.filtered(
                lambda lend: lend.state == "open"
            ):
                # the paper file of another of its cadres is out on loan: the
                # request ends when it comes back (action_done refuses before)
                request._notify_requester(
                    self.env._(
                        "The dossier of %(cadres)s was transferred out to "
                        "%(partner)s (notice %(transfer)s).",
                        cadres=", ".join(cadres.employee_id.mapped("name")),
                        partner=transfer.partner_id.name,
                        transfer=transfer.name,
                    )
                )
                continue
            if request.state == "approved":
                request.action_done()
            else:
                request.action_cancel()
            request._notify_requester(reason)
        return requests

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
    # Reading room (阅档室): the request opens its materials only on the
    # reading room's workstations, on a day an officer confirmed the reader
    # is there. The grant itself is decided in
    # cadre.archive.request.access.mixin (``_granting_requests_sql``).
    # ------------------------------------------------------------------
    # set only by ``action_confirm_presence``
    _protected_fields = _protected_fields | frozenset(
        {"presence_confirmed_uid", "presence_confirmed_date"}
    )

    presence_confirmed_uid = fields.Many2one(
        "res.users",
        string="Presence Confirmed By",
        readonly=True,
        copy=False,
        tracking=True,
        help="The archive officer who last confirmed that the reader is in the "
        "reading room.",
    )
    presence_confirmed_date = fields.Datetime(
        string="Presence Confirmed On",
        readonly=True,
        copy=False,
        tracking=True,
        help="When the reader's presence was last confirmed. A confirmation "
        "holds for that day only, in the archive's time zone.",
    )
    is_present_today = fields.Boolean(
        string="Reader Present Today",
        compute="_compute_is_present_today",
        help="An archive officer confirmed today that the reader is in the "
        "reading room.",
    )

    @api.depends("presence_confirmed_date", "company_id")
    def _compute_is_present_today(self):
        for request in self:
            request.is_present_today = request._presence_confirmed_today()

    def _presence_confirmed_today(self):
        """Whether the reader's presence was confirmed on the archive's today."""
        self.ensure_one()
        confirmed = self.presence_confirmed_date
        if not confirmed:
            return False
        company = self.company_id.sudo()
        with lib_errors(self.env):
            day = period.today_in(
                company._archive_tz(), confirmed.replace(tzinfo=timezone.utc)
            )
        return day == company._archive_today()

    def action_confirm_presence(self):
        """Confirm, as an archive officer, that the reader of these reading-room
        requests is in the reading room: their materials open on the room's
        workstations until the end of the day (archive time zone)."""
        self._check_can_confirm_presence()
        self._workflow_write(
            {
                "presence_confirmed_uid": self.env.uid,
                "presence_confirmed_date": fields.Datetime.now(),
            }
        )
        return True

    def _check_can_confirm_presence(self):
        if not self.env.user.has_group("cadre_archive.group_officer"):
            raise AccessError(
                self.env._(
                    "Only archive officers confirm that a reader is present in "
                    "the reading room."
                )
            )
        self.check_access("write")
        for request in self:
            if request.requester_id == self.env.user:
                raise AccessError(
                    self.env._(
                        "Nobody confirms their own presence in the reading room: "
                        "another archive officer does."
                    )
                )
            if request.request_type != "reading_room":
                raise UserError(
                    self.env._(
                        "Request %(request)s is not a reading-room request: its "
                        "reader's presence is not confirmed.",
                        request=request.name,
                    )
                )
            if not request.is_active_now:
                raise UserError(
                    self.env._(
                        "Request %(request)s is not open today: presence is "
                        "confirmed only for an approved request within its period.",
                        request=request.name,
                    )
                )

    @api.model
    def _archive_client_address(self):
        """The network address of the user's own web session making this call,
        or None for anything else: no HTTP request at all (a script in an Odoo
        shell, a scheduled action), or one not made in the user's session
        (XML-RPC, an API key, a background job run over HTTP, code acting as
        another user). A reading-room request opens for a person at a
        workstation, and only a browser session is that.

        The address is werkzeug's ``remote_addr``, that of whatever connects
        to Odoo. Behind a reverse proxy that is the proxy, unless Odoo runs
        with ``proxy_mode`` and the proxy sends ``X-Forwarded-Host`` and sets
        ``X-Forwarded-For``: Odoo then takes the client from the last
        ``X-Forwarded-For`` entry (one trusted proxy). Odoo must then be
        reachable through the proxy only, or a client could forge the header.
        """
        http_request = http.request
        if not http_request:
            return None
        session = getattr(http_request, "session", None)
        if session is None or not session.uid or session.uid != self.env.uid:
            return None
        return http_request.httprequest.remote_addr or None

    @api.model
    def _reading_room_candidates(self):
        """The current user's reading-room requests that are approved and
        within their period now, wherever the user is (as superuser)."""
        now = fields.Datetime.now()
        return self.sudo().search(
            [
                ("requester_id", "=", self.env.uid),
                ("state", "=", "approved"),
                ("request_type", "=", "reading_room"),
                ("access_start", "<=", now),
                ("access_end", ">", now),
            ]
        )

    def _opens_here(self, address):
        """Whether this reading-room request opens now for a client at
        ``address``: a workstation of its company's reading room, on a day an
        officer confirmed the reader's presence."""
        self.ensure_one()
        return self._presence_confirmed_today() and (
            self.company_id.sudo()._archive_in_reading_room(address)
        )

    @api.model
    def _reading_room_ids_open_here(self):
        """Ids of the current user's reading-room requests that open for the
        current call (none outside HTTP): what the grant lets through."""
        address = self._archive_client_address()
        if address is None:
            return []
        return (
            self._reading_room_candidates()
            .filtered(lambda request: request._opens_here(address))
            .ids
        )

    @api.model
    def _reading_room_refusal(self):
        """Why the current user's reading-room requests open nothing here, as
        a sentence for the viewer; None when none is held back.

        It speaks of the user's own requests only, never of the material
        asked for, so it says nothing about what exists in the archive.
        """
        address = self._archive_client_address()
        for request in self._reading_room_candidates():
            if request._opens_here(address):
                continue
            if not request.company_id._archive_in_reading_room(address):
                return self.env._(
                    "Request %(request)s is a reading-room request: its materials "
                    "open only on the workstations of the reading room, and this "
                    "computer (%(address)s) is not one of them.",
                    request=request.name,
                    address=address or self.env._("unknown address"),
                )
            return self.env._(
                "Request %(request)s is a reading-room request: an archive "
                "officer must first confirm today that you are in the reading "
                "room.",
                request=request.name,
            )
        return None

    # ------------------------------------------------------------------
    # Excerpts and copies (摘抄、复制) made for the request, recorded by the
    # archive officers (cadre.archive.request.copy)
    # ------------------------------------------------------------------
    copy_ids = fields.One2many(
        "cadre.archive.request.copy",
        "request_id",
        string="Excerpts and Copies",
        groups="cadre_archive.group_officer",
    )
    copy_record_count = fields.Integer(
        string="Copies Made", compute="_compute_copy_record_count"
    )

    @api.depends_context("uid")
    def _compute_copy_record_count(self):
        copies = self.env["cadre.archive.request.copy"]
        if not copies.has_access("read"):
            self.copy_record_count = 0
            return
        counts = dict(
            copies._read_group(
                [("request_id", "in", self.ids)], ["request_id"], ["__count"]
            )
        )
        for request in self:
            request.copy_record_count = counts.get(request, 0)

    def _allows_copies(self, kind):
        """Whether an excerpt (``kind`` "excerpt") or a copy ("copy") may be
        made for this request now: the one place that says so.

        The request is approved and within its period, and its approval form
        asked for that kind (摘抄 or 复制): what was approved is what the form
        asked, as the form cannot change after submission.
        """
        self.ensure_one()
        asked = {"excerpt": self.ask_excerpt, "copy": self.ask_copy}
        return bool(asked.get(kind)) and self.is_active_now

    def _grants_material(self, material):
        """Whether this request opens ``material`` (its scope, filed materials
        only), whoever asks: the SQL of the requester's grant."""
        self.ensure_one()
        materials = self.env["cadre.archive.material"]
        materials._flush_granting_data()
        rows = self.env.execute_query(
            SQL(
                "SELECT 1 FROM (%s) pair WHERE pair.material_id = %s",
                materials._granted_pairs_sql(SQL("SELECT %s", self.id)),
                material.id,
            )
        )
        return bool(rows)

    def action_open_copies(self):
        """The excerpts and copies made for this request; a new one is
        recorded for it."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cadre_archive.action_cadre_archive_request_copy"
        )
        action["domain"] = [("request_id", "=", self.id)]
        action["context"] = {"default_request_id": self.id}
        return action

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
