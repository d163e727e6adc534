# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import missing
from ..tools.constants import DUE_ORIGINS, DUE_STATES

ACTIVITY_DUE = "cadre_archive.mail_act_archive_due"
ACTIVITY_OVERDUE = "cadre_archive.mail_act_archive_due_overdue"


class CadreArchiveDue(models.Model):
    """A material the archive expects for a dossier (应归档材料 / 欠缺材料).

    It comes from an HR event (a new post, an award...: ``cadre.archive.due.rule``),
    from a rule of what every dossier must hold (``cadre.archive.missing.rule``)
    or from an officer. Filing a matching material fulfils it; an officer may
    close it by hand with a reason. Only the archive settles it: its state, the
    material that fulfilled it and where it came from are system fields.
    """

    _name = "cadre.archive.due"
    _description = "Expected Archive Material"
    _inherit = ["mail.thread", "mail.activity.mixin", "cadre.archive.workflow.mixin"]
    _order = "state, deadline, id"
    _check_company_auto = True

    # What the archive itself decides: where the expectation came from, what
    # fulfilled it, when and why it was closed. Officers set only what is
    # expected, its deadline and who follows it up.
    _protected_fields = frozenset(
        {
            "state",
            "material_id",
            "origin",
            "rule_id",
            "missing_rule_id",
            "missing_key",
            "event_key",
            "event_model",
            "event_res_id",
            "event_date",
            "event_description",
            "close_reason",
            "closed_uid",
            "closed_date",
            "dossier_id",
        }
    )

    name = fields.Char(string="Expected Material", required=True, tracking=True)
    dossier_id = fields.Many2one(
        "cadre.archive.dossier",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    employee_id = fields.Many2one(related="dossier_id.employee_id", string="Cadre")
    department_id = fields.Many2one(
        related="dossier_id.department_id", store=True, index=True, string="Unit"
    )
    company_id = fields.Many2one(
        related="dossier_id.company_id", store=True, index=True
    )
    category_id = fields.Many2one(
        "cadre.archive.category",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        domain="[('is_leaf', '=', True)]",
    )
    deadline = fields.Date(required=True, index=True, tracking=True)
    state = fields.Selection(
        DUE_STATES,
        string="Status",
        default="open",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    material_id = fields.Many2one(
        "cadre.archive.material",
        string="Filed Material",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        copy=False,
        help="The filed material that fulfilled this expectation.",
    )
    origin = fields.Selection(
        DUE_ORIGINS, default="manual", required=True, readonly=True, index=True
    )
    rule_id = fields.Many2one(
        "cadre.archive.due.rule", string="HR Event Rule", readonly=True
    )
    missing_rule_id = fields.Many2one(
        "cadre.archive.missing.rule", string="Missing Material Rule", readonly=True
    )
    missing_key = fields.Char(
        readonly=True,
        index="btree_not_null",
        help="Technical: which expectation of its rule this is (e.g. the year of "
        "an annual assessment), so that a new check finds it again.",
    )
    event_key = fields.Char(
        readonly=True,
        index="btree_not_null",
        help="Technical: the HR record and value that made the material due, so "
        "that one event makes one expectation.",
    )
    event_model = fields.Char(readonly=True)
    event_res_id = fields.Many2oneReference(
        string="Event Record", model_field="event_model", readonly=True
    )
    event_date = fields.Date(readonly=True)
    event_description = fields.Char(string="Event", readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible Officer",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    close_reason = fields.Text(readonly=True, tracking=True)
    closed_uid = fields.Many2one("res.users", string="Closed By", readonly=True)
    closed_date = fields.Datetime(string="Closed On", readonly=True)
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )

    @api.depends("state", "deadline")
    @api.depends_context("cadre_archive_today")
    def _compute_is_overdue(self):
        today = self._today()
        for due in self:
            due.is_overdue = bool(
                due.state == "open" and due.deadline and due.deadline < today
            )

    def _search_is_overdue(self, operator, value):
        if operator != "in" or True not in value:
            return NotImplemented
        return [("state", "=", "open"), ("deadline", "<", self._today())]

    @api.model
    def _today(self):
        """Today for the archive; a ``date`` in the context stands for it (the
        daily reminder run as of a given day)."""
        day = self.env.context.get("cadre_archive_today")
        return fields.Date.to_date(day) if day else fields.Date.context_today(self)

    @api.constrains("category_id")
    def _check_category_is_leaf(self):
        for due in self:
            if not due.category_id.is_leaf:
                raise ValidationError(
                    self.env._(
                        "%(category)s has subcategories: a material is expected in "
                        "one of them.",
                        category=due.category_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        self._check_target_dossiers(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        return super().write(vals)

    def _protected_values_allowed(self, vals):
        if self:
            return set()
        # an officer enters an expectation by hand for a dossier they keep
        allowed = {"dossier_id", "event_date", "event_description"}
        if vals.get("origin", "manual") == "manual":
            allowed.add("origin")
        if vals.get("state", "open") == "open":
            allowed.add("state")
        return allowed

    @api.model
    def _check_target_dossiers(self, vals_list):
        """Expectations are entered only for the dossiers the user keeps."""
        if self._is_workflow_write():
            return
        dossiers = self.env["cadre.archive.dossier"].browse(
            {vals["dossier_id"] for vals in vals_list if vals.get("dossier_id")}
        )
        if dossiers and (
            len(dossiers.exists()) != len(dossiers) or not dossiers.has_access("write")
        ):
            raise AccessError(
                self.env._("You may only expect materials for the dossiers you keep.")
            )

    # ------------------------------------------------------------------
    # Who follows an expectation up
    # ------------------------------------------------------------------
    def _unit_officers(self):
        """The officers keeping this dossier's unit, else the managers of its
        company."""
        self.ensure_one()
        return self.dossier_id._unit_officers()

    def _assign_responsible(self):
        """Give each expectation without one a responsible officer: the first
        officer of the cadre's unit (else a manager of its company)."""
        for due in self.sudo().filtered(lambda d: not d.user_id):
            due.user_id = due._unit_officers().sorted("id")[:1]

    def _assign_and_notify(self):
        """Give each new expectation a responsible officer and an activity
        for every officer of the cadre's unit."""
        self._assign_responsible()
        for due in self.sudo():
            for officer in due._unit_officers():
                due.activity_schedule(
                    ACTIVITY_DUE,
                    date_deadline=due.deadline,
                    user_id=officer.id,
                    summary=self.env._("Material due: %(name)s", name=due.name),
                    note=due._activity_note(),
                )

    def _activity_note(self):
        self.ensure_one()
        return self.env._(
            "%(cadre)s (%(number)s): %(name)s, category %(category)s, due by "
            "%(deadline)s. %(event)s",
            cadre=self.dossier_id.employee_id.name,
            number=self.dossier_id.name,
            name=self.name,
            category=self.category_id.code,
            deadline=self.deadline,
            event=self.event_description or "",
        )

    # ------------------------------------------------------------------
    # Closing
    # ------------------------------------------------------------------
    def _check_open(self):
        closed = self.filtered(lambda due: due.state != "open")
        if closed:
            raise UserError(
                self.env._(
                    "%(dues)s is already closed.",
                    dues=", ".join(closed.mapped("name")),
                )
            )

    def _close(self, vals, note):
        """Close these expectations with ``vals`` and say so in their chatter."""
        self._workflow_write(
            dict(
                vals,
                closed_uid=self.env.uid,
                closed_date=fields.Datetime.now(),
            )
        )
        for due in self.sudo():
            due.activity_unlink([ACTIVITY_DUE, ACTIVITY_OVERDUE])
            due._post_note(note)

    def action_close_by_hand(self, reason):
        """An officer closes an expectation without a filed material (the
        material will never exist, or came another way): a reason is required."""
        self.check_access("write")
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._(
                    "Say why the expected material is closed without being filed."
                )
            )
        self._check_open()
        self._close(
            {"state": "done", "close_reason": reason},
            Markup("%s<br/>%s")
            % (self.env._("Closed by hand without a filed material:"), reason),
        )
        return True

    def action_open_close_wizard(self):
        self.check_access("write")
        self._check_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close Expected Material"),
            "res_model": "cadre.archive.due.close",
            "view_mode": "form",
            "target": "new",
            "context": {"default_due_ids": [fields.Command.set(self.ids)]},
        }

    def _fulfil(self, material):
        """``material`` was filed: it fulfils this expectation."""
        self.ensure_one()
        self._close(
            {"state": "done", "material_id": material.id},
            self.env._(
                "Fulfilled by the filed material %(material)s.",
                material=material.display_name,
            ),
        )

    @api.model
    def _fulfil_with(self, materials):
        """Close, for each filed material, the open expectation of its dossier
        and category it answers (the one whose event is closest to the
        material's formation date)."""
        dues = self.sudo()
        for material in materials.sudo().sorted(lambda m: (m.date, m.id)):
            candidates = dues.search(
                [
                    ("dossier_id", "=", material.dossier_id.id),
                    ("category_id", "=", material.category_id.id),
                    ("state", "=", "open"),
                ]
            )
            chosen = missing.pick_due(
                [(due.id, due.event_date or None, due.deadline) for due in candidates],
                material.date or None,
            )
            if chosen:
                dues.browse(chosen)._fulfil(material)

    def _cancel_no_longer_missing(self):
        """A new check finds the material no longer missing (the rule changed,
        or the facts): nothing is expected any more."""
        self._close(
            {
                "state": "cancelled",
                "close_reason": self.env._("No longer required by the rule."),
            },
            self.env._("No longer required by the rule: cancelled by the check."),
        )

    # ------------------------------------------------------------------
    # Daily reminder
    # ------------------------------------------------------------------
    @api.model
    def _cron_remind_overdue(self):
        """Once a day, give each officer of an overdue expectation a reminder,
        unless one is still open: one reminder per expectation and officer,
        never a pile of them. Expectations of the missing-material check are
        listed, not reminded one by one (a check may find hundreds)."""
        overdue = self.sudo().search(
            [
                ("is_overdue", "=", True),
                ("origin", "in", ("hr_event", "manual")),
            ]
        )
        activity_type = self.env.ref(ACTIVITY_OVERDUE)
        for due in overdue:
            reminded = due.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            ).user_id
            for officer in due._unit_officers() - reminded:
                due.activity_schedule(
                    ACTIVITY_OVERDUE,
                    date_deadline=self._today(),
                    user_id=officer.id,
                    summary=self.env._("Overdue material: %(name)s", name=due.name),
                    note=due._activity_note(),
                )
        return True
