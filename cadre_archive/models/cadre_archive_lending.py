# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class CadreArchiveLending(models.Model):
    """The paper file of a dossier handed out under an approved lending request,
    until it comes back complete."""

    _name = "cadre.archive.lending"
    _description = "Paper File Lending"
    _inherit = ["mail.thread", "mail.activity.mixin", "cadre.archive.workflow.mixin"]
    _order = "date_out desc, id desc"

    # A lending exists only through the hand-out of an approved request, and
    # only its return closes it: every field but the due date is the system's.
    _protected_fields = frozenset(
        {
            "request_id",
            "dossier_id",
            "officer_id",
            "date_out",
            "date_returned",
            "page_count_out",
            "page_count_returned",
            "state",
        }
    )

    request_id = fields.Many2one(
        "cadre.archive.request", required=True, index=True, ondelete="restrict"
    )
    dossier_id = fields.Many2one(
        "cadre.archive.dossier", required=True, index=True, ondelete="restrict"
    )
    borrower_id = fields.Many2one(related="request_id.requester_id", store=True)
    officer_id = fields.Many2one(
        "res.users", string="Handed Out By", required=True, readonly=True
    )
    department_id = fields.Many2one(
        related="dossier_id.department_id", store=True, index=True
    )
    company_id = fields.Many2one(
        related="dossier_id.company_id", store=True, index=True
    )
    date_out = fields.Date(string="Handed Out On", required=True, readonly=True)
    date_due = fields.Date(string="Due Back On", required=True, tracking=True)
    date_returned = fields.Date(string="Returned On", readonly=True, tracking=True)
    page_count_out = fields.Integer(
        string="Pages Handed Out",
        readonly=True,
        help="Pages of the dossier's catalog when the file was handed out.",
    )
    page_count_returned = fields.Integer(string="Pages Returned", readonly=True)
    state = fields.Selection(
        [("open", "Lent"), ("returned", "Returned")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
    )
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue"
    )

    _one_open_lending = models.UniqueIndex(
        "(dossier_id) WHERE state = 'open'",
        "This dossier's paper file is already lent: it must come back first.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_workflow_write():
            raise UserError(
                self.env._(
                    "A paper file is lent only by handing it out from its approved "
                    "lending request."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        return super().write(vals)

    @api.depends("state", "date_due")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for lending in self:
            lending.is_overdue = lending.state == "open" and lending.date_due < today

    def _search_is_overdue(self, operator, value):
        if operator != "in" or True not in value:
            return NotImplemented
        return [
            ("state", "=", "open"),
            ("date_due", "<", fields.Date.context_today(self)),
        ]

    @api.model
    def _hand_out(self, request, dossier):
        """Record that the paper file of ``dossier`` leaves the archive."""
        if dossier.state != "in_stock":
            raise UserError(
                self.env._(
                    "The paper file of %(cadre)s is not in stock (%(state)s).",
                    cadre=dossier.employee_id.name,
                    state=dict(
                        dossier._fields["state"]._description_selection(self.env)
                    )[dossier.state],
                )
            )
        today = fields.Date.context_today(self)
        lending = self._as_workflow().create(
            {
                "request_id": request.id,
                "dossier_id": dossier.id,
                "officer_id": self.env.uid,
                "date_out": today,
                "date_due": max(request.date_end, today),
                "page_count_out": dossier.page_count,
            }
        )
        dossier._set_physical_state("lent")
        return lending

    def action_return(self, page_count):
        """The file is back: check its pages against the catalog."""
        for lending in self:
            if lending.state != "open":
                raise UserError(self.env._("This lending is already closed."))
            expected = lending.dossier_id.page_count
            if page_count != expected:
                raise ValidationError(
                    self.env._(
                        "%(returned)s pages came back but the catalog of %(cadre)s "
                        "lists %(expected)s: check the file against the catalog "
                        "before taking it back.",
                        returned=page_count,
                        cadre=lending.dossier_id.employee_id.name,
                        expected=expected,
                    )
                )
            lending._workflow_write(
                {
                    "state": "returned",
                    "date_returned": fields.Date.context_today(self),
                    "page_count_returned": page_count,
                }
            )
            lending.dossier_id._set_physical_state("in_stock")
            lending.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    @api.model
    def _cron_remind_overdue(self):
        """Once a day, remind the officer of each overdue lending."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        for lending in self.search([("is_overdue", "=", True)]):
            if lending.activity_ids.filtered(lambda a: a.activity_type_id == todo):
                continue
            lending.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=lending.officer_id.id,
                date_deadline=fields.Date.context_today(self),
                summary=self.env._("Overdue paper file"),
                note=self.env._(
                    "The paper file of %(cadre)s lent to %(borrower)s was due back "
                    "on %(due)s.",
                    cadre=lending.dossier_id.employee_id.name,
                    borrower=lending.borrower_id.name,
                    due=lending.date_due,
                ),
            )
        return True
