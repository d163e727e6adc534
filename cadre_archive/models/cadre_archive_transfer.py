# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import transfer as transfer_lib

TRANSFER_SEQUENCE_CODE = "cadre.archive.transfer"
CHASE_ACTIVITY = "cadre_archive.mail_act_archive_transfer_receipt"
TRANSPORTS = [
    ("confidential", "Confidential Communication Service (机要交通)"),
    ("receiver_courier", "Person Sent by the Receiving Organisation (派专人)"),
]
TRANSFER_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("received", "Received"),
    ("cancelled", "Cancelled"),
]


class CadreArchiveTransfer(models.Model):
    """A transfer (转递) of whole dossiers to or from another organisation.

    Out (转出): the officer keeping the dossiers names the receiving
    organisation and how the dossiers travel (by the confidential
    communication service, 机要交通, or a person the receiver sends; never by
    the cadre, never by post) and sends them: the dossiers become
    ``transferred`` (read-only, no new request), the pending requests on them
    are closed, the transfer notice (转递通知单) is printed with its lines, and
    the receipt (回执) is chased by an activity once overdue. Recording the
    receipt closes the transfer; an archive manager may undo a mistaken one,
    with a reason.

    In (转入): the officer of the receiving unit enters the sender's notice
    (cadres, declared counts, the expected materials), checks every material
    as it arrives (received, missing; extra ones added) and receives: the
    cadre is matched or created, the dossier created, the materials filed as
    checked on paper, and the receipt (回执) printed with the discrepancies.

    States, dates set by the actions, numbers and who acted are the archive's
    (``_protected_fields``); a transfer no longer a draft is changed by its
    actions only.
    """

    _name = "cadre.archive.transfer"
    _description = "Dossier Transfer"
    _inherit = ["mail.thread", "mail.activity.mixin", "cadre.archive.workflow.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _protected_fields = frozenset(
        {
            "name",
            "direction",
            "company_id",
            "state",
            "dossier_ids",
            "date_sent",
            "receipt_due_date",
            "date_received",
            "receipt_signatory",
            "sent_uid",
            "received_uid",
            "undo_reason",
            "undo_uid",
        }
    )
    # what a client may still change on a transfer that is no longer a draft
    _chatter_fields = frozenset(
        {"message_follower_ids", "message_main_attachment_id", "activity_ids"}
    )

    name = fields.Char(
        string="Notice Number",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
        index="trigram",
        help="The number of the transfer notice (转递通知单编号) or, for a "
        "transfer in, of the receipt (回执), from the archive's sequence.",
    )
    direction = fields.Selection(
        [("out", "Transfer Out (转出)"), ("in", "Transfer In (转入)")],
        required=True,
        default="out",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Other Organisation",
        required=True,
        tracking=True,
        help="The organisation receiving the dossiers (transfer out) or sending "
        "them (transfer in).",
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Receiving Unit",
        check_company=True,
        tracking=True,
        help="Transfer in: the unit whose archive officers keep the dossiers "
        "received; new cadres are created in it.",
    )
    dossier_ids = fields.Many2many(
        "cadre.archive.dossier",
        "cadre_archive_transfer_dossier_rel",
        "transfer_id",
        "dossier_id",
        string="Dossiers",
        check_company=True,
        copy=False,
        help="Transfer out: the dossiers sent, in stock and kept by you. "
        "Transfer in: the dossiers created on receipt.",
    )
    line_ids = fields.One2many(
        "cadre.archive.transfer.line",
        "transfer_id",
        string="Notice Lines",
        copy=False,
        help="One line per dossier: its archive number, the cadre and the counts "
        "of materials and pages (正本/副本) printed on the notice. Transfer out: "
        "counted when sending. Transfer in: as declared by the sender.",
    )
    item_ids = fields.One2many(
        "cadre.archive.transfer.item",
        "transfer_id",
        string="Materials Checked",
        copy=False,
    )
    transport = fields.Selection(
        TRANSPORTS,
        tracking=True,
        help="Dossiers travel by the confidential communication service or "
        "with a person the receiving organisation sends; never with the cadre, "
        "never by post.",
    )
    courier_name = fields.Char(
        string="Courier",
        tracking=True,
        help="The person sent by the receiving organisation to take the "
        "dossiers: never one of the cadres sent.",
    )
    courier_id_number = fields.Char(
        string="Courier's ID Number",
        groups="cadre_archive.group_officer",
        help="The identity document number of the courier, checked when the "
        "dossiers are handed over.",
    )
    reason = fields.Text(
        string="Reason for the Transfer",
        help="Why the dossiers move (调动、调任...), as on the notice.",
    )
    sender_reference = fields.Char(
        string="Sender's Notice Number",
        tracking=True,
        help="Transfer in: the number of the sender's transfer notice.",
    )
    date_sent = fields.Date(
        tracking=True,
        help="Transfer out: set when sending. Transfer in: the date on the "
        "sender's notice.",
    )
    receipt_due_date = fields.Date(
        string="Receipt Due On",
        readonly=True,
        copy=False,
        help="The receipt (回执) is due back this day (date sent plus the "
        "company's delay); after it, the sending officer is reminded.",
    )
    date_received = fields.Date(readonly=True, copy=False, tracking=True)
    receipt_signatory = fields.Char(
        readonly=True,
        copy=False,
        tracking=True,
        help="Who signed the receipt: at the receiving organisation for a "
        "transfer out, the receiving officer for a transfer in.",
    )
    sent_uid = fields.Many2one("res.users", string="Sent By", readonly=True, copy=False)
    received_uid = fields.Many2one(
        "res.users", string="Receipt Recorded By", readonly=True, copy=False
    )
    state = fields.Selection(
        TRANSFER_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    undo_reason = fields.Text(readonly=True, copy=False, tracking=True)
    undo_uid = fields.Many2one("res.users", string="Undone By", readonly=True)
    is_overdue = fields.Boolean(
        string="Receipt Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
    )
    material_count = fields.Integer(string="Materials", compute="_compute_line_totals")
    page_count = fields.Integer(string="Pages", compute="_compute_line_totals")
    expected_count = fields.Integer(
        string="Expected Materials", compute="_compute_check_summary"
    )
    received_count = fields.Integer(
        string="Materials Received", compute="_compute_check_summary"
    )
    missing_count = fields.Integer(
        string="Missing Materials", compute="_compute_check_summary"
    )
    extra_count = fields.Integer(
        string="Extra Materials", compute="_compute_check_summary"
    )
    unchecked_count = fields.Integer(
        string="Not Checked Yet", compute="_compute_check_summary"
    )
    discrepancy_count = fields.Integer(
        string="Discrepancies", compute="_compute_check_summary"
    )

    _name_company_uniq = models.Constraint(
        "unique (name, company_id)",
        "This notice number is already used by another transfer of the company.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("state", "receipt_due_date", "direction")
    def _compute_is_overdue(self):
        for transfer in self:
            today = transfer.company_id._archive_today()
            transfer.is_overdue = (
                transfer.direction == "out"
                and transfer.state == "sent"
                and transfer_lib.is_overdue(transfer.receipt_due_date, today)
            )

    def _search_is_overdue(self, operator, value):
        if operator != "in" or True not in value:
            return NotImplemented
        return [
            ("direction", "=", "out"),
            ("state", "=", "sent"),
            ("receipt_due_date", "<", self.env.company._archive_today()),
        ]

    @api.depends(
        "line_ids.original_count",
        "line_ids.original_pages",
        "line_ids.duplicate_count",
        "line_ids.duplicate_pages",
    )
    def _compute_line_totals(self):
        for transfer in self:
            lines = transfer.line_ids
            transfer.material_count = sum(
                lines.mapped("original_count") + lines.mapped("duplicate_count")
            )
            transfer.page_count = sum(
                lines.mapped("original_pages") + lines.mapped("duplicate_pages")
            )

    @api.depends("item_ids.kind", "item_ids.state", "item_ids.page_count")
    def _compute_check_summary(self):
        for transfer in self:
            summary = transfer.item_ids._check_summary()
            transfer.expected_count = summary.expected
            transfer.received_count = summary.received
            transfer.missing_count = summary.missing
            transfer.extra_count = summary.extra
            transfer.unchecked_count = summary.pending
            transfer.discrepancy_count = summary.discrepancies

    @api.depends("name", "partner_id")
    def _compute_display_name(self):
        for transfer in self:
            transfer.display_name = (
                f"{transfer.name} {transfer.partner_id.name}"
                if transfer.partner_id
                else transfer.name
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def _protected_values_allowed(self, vals):
        direction = vals.get("direction") or (self[:1].direction if self else "out")
        if not self:
            allowed = {"direction", "company_id"}
            if vals.get("state", "draft") == "draft":
                allowed.add("state")
            if vals.get("name") in (False, None, "", self.env._("New")):
                allowed.add("name")
            if direction == "out":
                allowed.add("dossier_ids")
            else:
                allowed.add("date_sent")
            return allowed
        if all(t.state == "draft" for t in self):
            if all(t.direction == "out" for t in self):
                return {"dossier_ids"}
            if all(t.direction == "in" for t in self):
                return {"date_sent"}
        return set()

    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        self._prepare_numbers(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        self._check_editable(vals)
        return super().write(vals)

    @api.model
    def _prepare_numbers(self, vals_list):
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    TRANSFER_SEQUENCE_CODE
                ) or self.env._("New")

    def _check_editable(self, vals):
        """A transfer no longer a draft changes by its actions only."""
        if self._is_workflow_write() or set(vals) <= self._chatter_fields:
            return
        done = self.filtered(lambda t: t.state != "draft")
        if done:
            raise UserError(
                self.env._(
                    "Transfer %(transfer)s is no longer a draft: it changes only "
                    "through its actions (receipt, undo).",
                    transfer=", ".join(done.mapped("name")),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_draft(self):
        if any(transfer.state != "draft" for transfer in self):
            raise UserError(
                self.env._(
                    "Only draft transfers can be deleted: a transfer sent or "
                    "received is kept as evidence (cancel or undo it instead)."
                )
            )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("transport", "courier_name", "courier_id_number", "dossier_ids")
    def _check_courier_not_cadre(self):
        """A dossier never travels with its cadre (不得由本人自带)."""
        for transfer in self.sudo():
            if transfer.transport != "receiver_courier" or not transfer.courier_name:
                continue
            cadres = [
                (dossier.employee_id.name, dossier.employee_id.identification_id)
                for dossier in transfer.dossier_ids
            ]
            if transfer_lib.courier_is_cadre(
                transfer.courier_name, transfer.courier_id_number, cadres
            ):
                raise ValidationError(
                    self.env._(
                        "%(courier)s is one of the cadres transferred: a dossier "
                        "is never carried by its own cadre (不得由本人自带). Send "
                        "it by the confidential communication service or with "
                        "another person sent by the receiving organisation.",
                        courier=transfer.courier_name,
                    )
                )

    @api.constrains("direction", "department_id")
    def _check_receiving_unit(self):
        for transfer in self:
            if transfer.direction == "in" and not transfer.department_id:
                raise ValidationError(
                    self.env._(
                        "A transfer in names the receiving unit that will keep "
                        "the dossiers."
                    )
                )

    # ------------------------------------------------------------------
    # Transfer out: send
    # ------------------------------------------------------------------
    def action_send(self):
        """Send the dossiers: they become transferred (read-only), the requests
        pending on them are closed, the notice lines are counted."""
        for transfer in self:
            # one after the other: a dossier in two transfers leaves once
            transfer._check_can_send()
            transfer._send()
        return True

    def _check_can_send(self):
        self.ensure_one()
        if self.direction != "out" or self.state != "draft":
            raise UserError(self.env._("Only draft transfers out can be sent."))
        self.check_access("write")
        # every dossier linked, even those the user cannot read: the sender
        # keeps each dossier sent (their units; a manager: all of them)
        dossiers = self.sudo().dossier_ids.with_env(self.env)
        if not dossiers:
            raise UserError(self.env._("Choose the dossiers to send."))
        dossiers.check_access("write")
        self._check_dossiers_complete()
        self._check_transport()

    def _check_dossiers_complete(self):
        """Only whole dossiers in stock travel: no paper file out on loan, no
        material still waiting to be filed."""
        lendings = self.env["cadre.archive.lending"].sudo()
        for dossier in self.dossier_ids.sudo():
            if lendings.search_count(
                [("dossier_id", "=", dossier.id), ("state", "=", "open")]
            ):
                raise UserError(
                    self.env._(
                        "The paper file of %(cadre)s is lent: record its return "
                        "before sending the dossier.",
                        cadre=dossier.employee_id.name,
                    )
                )
            if dossier.state != "in_stock":
                raise UserError(
                    self.env._(
                        "The dossier of %(cadre)s is not in stock: only a dossier "
                        "in stock can be sent.",
                        cadre=dossier.employee_id.name,
                    )
                )
            drafts = dossier.material_ids.filtered(lambda m: m.state == "draft")
            if drafts:
                raise UserError(
                    self.env._(
                        "The dossier of %(cadre)s still has materials not filed "
                        "(%(materials)s): file them or remove them before "
                        "sending the dossier.",
                        cadre=dossier.employee_id.name,
                        materials=", ".join(drafts.mapped("name")),
                    )
                )

    def _check_transport(self):
        self.ensure_one()
        if not self.transport:
            raise UserError(
                self.env._(
                    "Say how the dossiers travel: by the confidential "
                    "communication service (机要交通) or with a person sent by "
                    "the receiving organisation. Never by post, never with the "
                    "cadre."
                )
            )
        if self.transport == "receiver_courier" and not (
            (self.courier_name or "").strip()
            and (self.sudo().courier_id_number or "").strip()
        ):
            raise UserError(
                self.env._(
                    "Give the name and the ID number of the person the receiving "
                    "organisation sent to take the dossiers."
                )
            )
        self._check_courier_not_cadre()

    def _send(self):
        self.ensure_one()
        today = self.company_id._archive_today()
        self.env["cadre.archive.transfer.line"]._as_workflow().create(
            self._out_line_values()
        )
        self._workflow_write(
            {
                "state": "sent",
                "date_sent": today,
                "receipt_due_date": transfer_lib.receipt_due(
                    today, self.company_id.archive_transfer_receipt_months
                ),
                "sent_uid": self.env.uid,
            }
        )
        self.dossier_ids._set_transferred(self)
        self.env["cadre.archive.request"]._close_for_transfer(self.dossier_ids, self)
        self._post_note(
            self.env._(
                "%(user)s sent %(count)s dossier(s) to %(partner)s; the receipt is "
                "due on %(due)s.",
                user=self.env.user.name,
                count=len(self.dossier_ids),
                partner=self.partner_id.name,
                due=self.receipt_due_date,
            )
        )

    def _out_line_values(self):
        """The notice's lines: each dossier's number, cadre and counts of filed
        materials and pages, in the 正本 or 副本 columns."""
        self.ensure_one()
        values = []
        for dossier in self.dossier_ids.sudo().sorted("name"):
            filed = dossier.material_ids.filtered(lambda m: m.state == "filed")
            counts = transfer_lib.copy_counts(
                dossier.copy_type, filed.mapped("page_count")
            )
            values.append(
                {
                    "transfer_id": self.id,
                    "dossier_id": dossier.id,
                    "archive_number": dossier.name,
                    "cadre_name": dossier.employee_id.name,
                    "copy_type": dossier.copy_type,
                    **counts.as_dict(),
                }
            )
        return values

    def _notice_rows(self):
        """The rows of the printed notice: the lines counted when sending, or
        for a draft (a preview) the counts as they are now."""
        self.ensure_one()
        if self.line_ids:
            return [
                {
                    "archive_number": line.archive_number,
                    "cadre_name": line.cadre_name,
                    "original_count": line.original_count,
                    "original_pages": line.original_pages,
                    "duplicate_count": line.duplicate_count,
                    "duplicate_pages": line.duplicate_pages,
                }
                for line in self.line_ids
            ]
        return self._out_line_values() if self.direction == "out" else []

    @api.model
    def _notice_totals(self, rows):
        """The 合计 row of the notice."""
        keys = (
            "original_count",
            "original_pages",
            "duplicate_count",
            "duplicate_pages",
        )
        return {key: sum(row[key] for row in rows) for key in keys}

    @api.model
    def _notice_names(self, rows):
        return [row["cadre_name"] for row in rows]

    @api.model
    def _form_date(self, value):
        """A date as written on the forms (2026年1月5日), or a blank to fill in."""
        if not value:
            return "    年  月  日"
        return f"{value.year}年{value.month}月{value.day}日"

    # ------------------------------------------------------------------
    # The receipt (回执)
    # ------------------------------------------------------------------
    def action_receive(self, signatory=None, date_received=None):
        """Record the receipt: for a transfer out, the receipt came back
        signed (without a signatory, ask for it in a dialog); for a transfer
        in, the checked dossiers are taken in and the receipt is produced."""
        if any(t.direction == "out" for t in self) and not signatory:
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Record the Receipt"),
                "res_model": "cadre.archive.transfer.receive",
                "view_mode": "form",
                "target": "new",
                "context": {"default_transfer_id": self[:1].id},
            }
        for transfer in self:
            if transfer.direction == "out":
                transfer._receive_out(signatory, date_received)
            else:
                transfer._receive_in()
        return True

    def _receive_out(self, signatory, date_received=None):
        self.ensure_one()
        if self.state != "sent":
            raise UserError(
                self.env._("Only a transfer sent waits for its receipt (回执).")
            )
        self.check_access("write")
        if not (signatory or "").strip():
            raise ValidationError(self.env._("Who signed the receipt?"))
        today = self.company_id._archive_today()
        date_received = fields.Date.to_date(date_received) or today
        if not self.date_sent <= date_received <= today:
            raise ValidationError(
                self.env._(
                    "The receipt is dated between the day the dossiers were sent "
                    "(%(sent)s) and today.",
                    sent=self.date_sent,
                )
            )
        self._workflow_write(
            {
                "state": "received",
                "date_received": date_received,
                "receipt_signatory": signatory.strip(),
                "received_uid": self.env.uid,
            }
        )
        self._close_chase_activities(
            feedback=self.env._(
                "Receipt signed by %(signatory)s on %(date)s.",
                signatory=signatory.strip(),
                date=date_received,
            )
        )
        self._post_note(
            self.env._(
                "%(user)s recorded the receipt signed by %(signatory)s on %(date)s.",
                user=self.env.user.name,
                signatory=signatory.strip(),
                date=date_received,
            )
        )

    def _close_chase_activities(self, feedback=None):
        activity_type = self.env.ref(CHASE_ACTIVITY, raise_if_not_found=False)
        activities = self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        if feedback:
            activities.action_feedback(feedback=feedback)
        else:
            activities.unlink()

    @api.model
    def _cron_chase_receipts(self):
        """Once a day, remind the sending officer of each receipt overdue,
        once: no new reminder while one is open."""
        activity_type = self.env.ref(CHASE_ACTIVITY)
        for transfer in self.search([("is_overdue", "=", True)]):
            if transfer.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            ):
                continue
            transfer.activity_schedule(
                CHASE_ACTIVITY,
                user_id=transfer._receipt_chaser().id,
                date_deadline=transfer.company_id._archive_today(),
                note=self.env._(
                    "The receipt (回执) of transfer %(transfer)s to %(partner)s was "
                    "due on %(due)s: ask the receiving organisation for it.",
                    transfer=transfer.name,
                    partner=transfer.partner_id.name,
                    due=transfer.receipt_due_date,
                ),
            )
        return True

    def _receipt_chaser(self):
        """The officer who sent, else an archive manager of the company."""
        self.ensure_one()
        if self.sent_uid.active:
            return self.sent_uid
        managers = (
            self.env.ref("cadre_archive.group_manager")
            .sudo()
            .all_user_ids.filtered(
                lambda u: u.active and not u.share and self.company_id in u.company_ids
            )
        )
        return managers[:1] or self.env.user

    # ------------------------------------------------------------------
    # Undo a mistaken transfer, cancel a draft
    # ------------------------------------------------------------------
    def action_undo(self, reason=None):
        """Undo a transfer sent by mistake (archive managers, with a reason):
        the dossiers are back in stock; the requests closed stay closed."""
        if not self.env.user.has_group("cadre_archive.group_manager"):
            raise AccessError(
                self.env._("Only an archive manager may undo a transfer.")
            )
        if not reason:
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Undo the Transfer"),
                "res_model": "cadre.archive.transfer.undo",
                "view_mode": "form",
                "target": "new",
                "context": {"default_transfer_id": self[:1].id},
            }
        if not reason.strip():
            raise ValidationError(self.env._("Give the reason for undoing."))
        for transfer in self:
            if transfer.direction != "out" or transfer.state != "sent":
                raise UserError(
                    self.env._(
                        "Only a transfer out that was sent and not yet received "
                        "can be undone."
                    )
                )
            transfer.check_access("write")
            transfer.dossier_ids._restore_from_transfer(transfer, reason)
            transfer._workflow_write(
                {"state": "cancelled", "undo_reason": reason, "undo_uid": self.env.uid}
            )
            transfer._close_chase_activities()
            transfer._post_note(
                self.env._(
                    "%(user)s undid the transfer: %(reason)s. The dossiers are in "
                    "stock again; the requests closed when sending stay closed.",
                    user=self.env.user.name,
                    reason=reason,
                )
            )
        return True

    def action_cancel(self):
        """Drop a draft transfer (nothing was sent or received)."""
        for transfer in self:
            if transfer.state != "draft":
                raise UserError(
                    self.env._(
                        "Only draft transfers are cancelled; a transfer sent by "
                        "mistake is undone by an archive manager."
                    )
                )
        self.check_access("write")
        self._workflow_write({"state": "cancelled"})
        return True

    # ------------------------------------------------------------------
    # Transfer in: check the arrival, take the dossiers in
    # ------------------------------------------------------------------
    def _receive_in(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(
                self.env._("This transfer in has already been received or cancelled.")
            )
        self.check_access("write")
        self._check_keeps_receiving_unit()
        self._check_arrival_checked()
        for line in self.line_ids:
            line._take_in()
        self._workflow_write(
            {
                "state": "received",
                "date_received": self.company_id._archive_today(),
                "receipt_signatory": self.env.user.name,
                "received_uid": self.env.uid,
                "dossier_ids": [Command.set(self.line_ids.dossier_id.ids)],
            }
        )
        self._post_note(Markup("<br/>").join(self._arrival_report()))

    def _check_keeps_receiving_unit(self):
        if not self.env.user._archive_keeps(self):
            raise AccessError(
                self.env._(
                    "You do not keep the receiving unit %(unit)s: its archive "
                    "officers receive the dossiers.",
                    unit=self.department_id.display_name,
                )
            )

    def _check_arrival_checked(self):
        if not self.line_ids:
            raise UserError(
                self.env._("Enter the dossiers of the sender's notice first.")
            )
        empty = self.line_ids.filtered(lambda line: not line.item_ids)
        if empty:
            raise UserError(
                self.env._(
                    "List the materials of %(cadres)s: each material of the "
                    "sender's catalog is checked as it arrives.",
                    cadres=", ".join(empty.mapped("cadre_name")),
                )
            )
        pending = self.item_ids.filtered(lambda item: item.state == "pending")
        if pending:
            raise UserError(
                self.env._(
                    "Check every material against the notice first (received "
                    "or missing): %(materials)s.",
                    materials=", ".join(pending.mapped("name")),
                )
            )

    def _arrival_report(self):
        """The discrepancies of the arrival, for the chatter: a list of
        sentences."""
        self.ensure_one()
        parts = [
            self.env._(
                "%(user)s received %(count)s dossier(s) from %(partner)s: "
                "%(received)s material(s) received, %(missing)s missing, "
                "%(extra)s not on the notice.",
                user=self.env.user.name,
                count=len(self.line_ids),
                partner=self.partner_id.name,
                received=self.received_count,
                missing=self.missing_count,
                extra=self.extra_count,
            )
        ]
        for line in self.line_ids:
            parts.extend(line._discrepancy_texts())
        return parts

    def _missing_items(self):
        """The materials on the sender's notice that did not arrive."""
        return self.item_ids.filtered(
            lambda i: i.kind == "expected" and i.state == "missing"
        )

    def _extra_items(self):
        """The materials received that the sender's notice does not list."""
        return self.item_ids.filtered(lambda i: i.kind == "extra")

    def _check_lines_editable(self, workflow=False):
        """Lines and materials are entered on a draft transfer in only; the
        archive itself writes the lines of a transfer out when sending."""
        if workflow:
            return
        for transfer in self:
            if transfer.direction != "in" or transfer.state != "draft":
                raise UserError(
                    self.env._(
                        "The lines of transfer %(transfer)s can no longer be "
                        "changed: a transfer out counts its dossiers when "
                        "sending, a transfer in is entered while it is a draft.",
                        transfer=transfer.name,
                    )
                )
