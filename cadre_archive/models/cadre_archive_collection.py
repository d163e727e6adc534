# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import collection

COLLECTION_STATES = [
    ("draft", "Being Checked"),
    ("accepted", "Accepted"),
    ("returned", "Returned for Correction"),
]


class CadreArchiveCollection(models.Model):
    """A batch of materials received from a unit (收集登记).

    The unit producing a material hands it over within a month; each receipt
    is registered: from which unit, handed over by whom, received when and by
    which officer, how many materials and pages the sender declares, and the
    check's result: accepted, or returned for correction with the reason.
    The materials entered from the batch link to it (``collection_id`` on the
    material), so the register also counts what the archive entered and shows
    where it disagrees with the sender. A material of a batch is filed only
    once its batch is accepted.
    """

    _name = "cadre.archive.collection"
    _description = "Collection Register Entry"
    _inherit = ["mail.thread", "mail.activity.mixin", "cadre.archive.workflow.mixin"]
    _order = "date_received desc, id desc"
    _check_company_auto = True

    # Set by the register itself: the number by its sequence, the result and
    # who checked when by the Accept, Return and Reset actions.
    _protected_fields = frozenset(
        {
            "name",
            "state",
            "return_reason",
            "checked_uid",
            "checked_date",
            # counted from the materials entered: the ORM would store a
            # client's figure as it stands
            "material_count",
            "page_count",
            "count_mismatch",
        }
    )
    # What was received, as registered: fixed once the batch is checked (a
    # manager resets a mistaken check to draft first). Notes stay writable.
    _checked_frozen_fields = frozenset(
        {
            "company_id",
            "department_id",
            "partner_id",
            "handed_by",
            "date_received",
            "user_id",
            "declared_material_count",
            "declared_page_count",
        }
    )

    name = fields.Char(
        string="Register Number",
        readonly=True,
        copy=False,
        index="trigram",
        help="Given from the register's sequence (SJ + year) when the batch is "
        "registered.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Handing-over Unit",
        index=True,
        tracking=True,
        check_company=True,
        help="The unit of the organisation that produced the materials and "
        "handed them over (移交单位).",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Outside Organisation",
        tracking=True,
        help="The handing-over organisation when it is not one of the "
        "organisation's units.",
    )
    unit_name = fields.Char(
        string="From",
        compute="_compute_unit_name",
        help="The handing-over unit, or the outside organisation.",
    )
    handed_by = fields.Char(
        string="Handed Over By",
        required=True,
        tracking=True,
        help="The person of the unit who handed the materials over (移交人).",
    )
    date_received = fields.Date(
        string="Received On",
        required=True,
        index=True,
        tracking=True,
        default=fields.Date.context_today,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Received By",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        help="The archive officer who received and checked the batch (接收人).",
    )
    declared_material_count = fields.Integer(
        string="Declared Materials",
        tracking=True,
        help="How many materials the unit says it hands over (移交清单).",
    )
    declared_page_count = fields.Integer(
        string="Declared Pages",
        tracking=True,
        help="How many pages the unit says it hands over.",
    )
    material_ids = fields.One2many(
        "cadre.archive.material",
        "collection_id",
        string="Materials Received",
        help="The materials the archive entered from this batch, in the "
        "dossiers of their cadres.",
    )
    material_count = fields.Integer(
        string="Materials Entered",
        compute="_compute_entered_counts",
        store=True,
    )
    page_count = fields.Integer(
        string="Pages Entered",
        compute="_compute_entered_counts",
        store=True,
    )
    count_mismatch = fields.Boolean(
        string="Counts Disagree",
        compute="_compute_entered_counts",
        store=True,
        help="The materials or pages entered differ from what the unit declared.",
    )
    discrepancy = fields.Char(compute="_compute_discrepancy")
    state = fields.Selection(
        COLLECTION_STATES,
        string="Check Result",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    return_reason = fields.Text(
        string="Reason for Return",
        readonly=True,
        copy=False,
        tracking=True,
        help="What the unit must correct (补正) before handing the materials "
        "over again.",
    )
    checked_uid = fields.Many2one(
        "res.users", string="Checked By", readonly=True, copy=False
    )
    checked_date = fields.Datetime(string="Checked On", readonly=True, copy=False)
    note = fields.Text(string="Notes")

    _declared_counts_positive = models.Constraint(
        "CHECK (declared_material_count >= 0 AND declared_page_count >= 0)",
        "Declared counts cannot be negative.",
    )

    @api.depends("department_id", "partner_id")
    def _compute_unit_name(self):
        for batch in self:
            batch.unit_name = (
                batch.department_id.display_name or batch.partner_id.display_name or ""
            )

    @api.depends(
        "material_ids.page_count", "declared_material_count", "declared_page_count"
    )
    def _compute_entered_counts(self):
        for batch in self:
            materials = batch.sudo().material_ids
            batch.material_count = len(materials)
            batch.page_count = sum(materials.mapped("page_count"))
            batch.count_mismatch = bool(batch._discrepancies())

    def _discrepancies(self):
        self.ensure_one()
        return collection.discrepancies(
            self.declared_material_count,
            self.declared_page_count,
            self.material_count,
            self.page_count,
        )

    @api.depends(
        "material_count", "page_count", "declared_material_count", "declared_page_count"
    )
    def _compute_discrepancy(self):
        for batch in self:
            found = batch._discrepancies()
            parts = []
            if "materials" in found:
                parts.append(
                    self.env._(
                        "%(declared)s materials declared, %(entered)s entered",
                        declared=found["materials"][0],
                        entered=found["materials"][1],
                    )
                )
            if "pages" in found:
                parts.append(
                    self.env._(
                        "%(declared)s pages declared, %(entered)s entered",
                        declared=found["pages"][0],
                        entered=found["pages"][1],
                    )
                )
            batch.discrepancy = "; ".join(parts) or False

    @api.constrains("department_id", "partner_id")
    def _check_handing_over_unit(self):
        for batch in self:
            if not batch.department_id and not batch.partner_id:
                raise ValidationError(
                    self.env._(
                        "Say which unit handed the batch over: one of the "
                        "organisation's units or an outside organisation."
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def _protected_values_allowed(self, vals):
        # a new batch may say it is being checked: that is its default anyway
        return {"state"} if not self and vals.get("state") == "draft" else set()

    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        self._assign_numbers(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        self._check_checked_frozen(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_empty_drafts(self):
        for batch in self:
            if batch.state != "draft":
                raise UserError(
                    self.env._(
                        "%(batch)s is checked: a checked batch stays in the register.",
                        batch=batch.display_name,
                    )
                )
            if batch.sudo().material_ids:
                raise UserError(
                    self.env._(
                        "%(batch)s still lists received materials: delete them "
                        "or move them to another batch first.",
                        batch=batch.display_name,
                    )
                )

    @api.model
    def _assign_numbers(self, vals_list):
        """Give each new batch the next register number (SJ + year of receipt)."""
        sequences = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            company = self.env["res.company"].browse(
                vals.get("company_id") or self.env.company.id
            )
            vals["name"] = sequences.with_company(company).next_by_code(
                "cadre.archive.collection",
                sequence_date=vals.get("date_received")
                or fields.Date.context_today(self),
            )

    def _check_checked_frozen(self, vals):
        if self._is_workflow_write():
            return
        frozen = set(vals) & self._checked_frozen_fields
        checked = self.filtered(lambda b: b.state != "draft")
        if frozen and checked:
            raise UserError(
                self.env._(
                    "%(batch)s is checked: what was received can no longer be "
                    "changed. An archive manager resets a mistaken check first.",
                    batch=", ".join(checked.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # The check
    # ------------------------------------------------------------------
    def _check_draft(self):
        not_draft = self.filtered(lambda b: b.state != "draft")
        if not_draft:
            raise UserError(
                self.env._(
                    "%(batch)s is already checked.",
                    batch=", ".join(not_draft.mapped("display_name")),
                )
            )

    def action_accept(self):
        """The batch passes the check (鉴别): its materials may be filed."""
        self.check_access("write")
        self._check_draft()
        for batch in self:
            if not (
                batch.sudo().material_ids
                or batch.declared_material_count
                or batch.declared_page_count
            ):
                raise UserError(
                    self.env._(
                        "%(batch)s lists no material: enter the materials "
                        "received or the counts the unit declares before "
                        "accepting it.",
                        batch=batch.display_name,
                    )
                )
        self._workflow_write(self._check_result_vals("accepted"))
        return True

    def action_return(self, reason):
        """Return the batch to its unit for correction (退回补正), saying why."""
        self.check_access("write")
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._("Say what the unit must correct before returning the batch.")
            )
        self._check_draft()
        filed = self.sudo().material_ids.filtered(lambda m: m.state == "filed")
        if filed:
            raise UserError(
                self.env._(
                    "%(materials)s of this batch is filed already: a filed "
                    "material is never handed back.",
                    materials=", ".join(filed.mapped("display_name")),
                )
            )
        self._workflow_write(
            dict(self._check_result_vals("returned"), return_reason=reason)
        )
        return True

    def _check_result_vals(self, state):
        return {
            "state": state,
            "checked_uid": self.env.uid,
            "checked_date": fields.Datetime.now(),
        }

    def action_reset_to_draft(self, reason):
        """Undo a mistaken check (an archive manager only), saying why."""
        self.check_access("write")
        if not self.env.user.has_group("cadre_archive.group_manager"):
            raise AccessError(
                self.env._("Only an archive manager may reset a checked batch.")
            )
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the check is reset."))
        if any(batch.state == "draft" for batch in self):
            raise UserError(self.env._("Only a checked batch can be reset."))
        self._workflow_write(
            {
                "state": "draft",
                "return_reason": False,
                "checked_uid": False,
                "checked_date": False,
            }
        )
        for batch in self:
            batch._post_note(
                self.env._("Check reset to draft: %(reason)s", reason=reason)
            )
        return True

    def _open_reason_wizard(self, action):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reason"),
            "res_model": "cadre.archive.collection.reason",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_collection_ids": self.ids,
                "default_action": action,
            },
        }

    def action_open_return(self):
        self.check_access("write")
        self._check_draft()
        return self._open_reason_wizard("return")

    def action_open_reset(self):
        self.check_access("write")
        return self._open_reason_wizard("reset")

    # ------------------------------------------------------------------
    # The materials received
    # ------------------------------------------------------------------
    def action_open_materials(self):
        """The materials entered from this batch; new ones are entered into it."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Materials of %(batch)s", batch=self.name),
            "res_model": "cadre.archive.material",
            "view_mode": "list,form",
            "domain": [("collection_id", "=", self.id)],
            "context": {"default_collection_id": self.id},
        }

    def action_file_materials(self):
        """File the draft materials of an accepted batch, through their check."""
        self.ensure_one()
        drafts = self.material_ids.filtered(lambda m: m.state == "draft")
        if not drafts:
            raise UserError(self.env._("This batch has no draft material to file."))
        return drafts.action_open_filing_check()
