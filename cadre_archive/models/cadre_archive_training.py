# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

TRAINING_ACTIVITY = "cadre_archive.mail_act_archive_training_hours"


class CadreArchiveTraining(models.Model):
    """A course an archive officer followed (业务培训), with its certificate.

    Officers enter their own courses; archive managers those of every officer
    of their companies. The certificate is read by the officer and the
    managers only (it is an attachment of this record, under its rules). The
    hours of a calendar year show on the officer's assessments, and officers
    short of the yearly minimum are reminded from the month the company sets.
    """

    _name = "cadre.archive.training"
    _description = "Training of an Archive Officer"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Course", required=True, tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Officer",
        required=True,
        index=True,
        ondelete="restrict",
        default=lambda self: self.env.user,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    organiser = fields.Char(tracking=True)
    date_start = fields.Date(string="From", required=True, tracking=True)
    date_end = fields.Date(string="To", tracking=True)
    year = fields.Integer(compute="_compute_year", store=True, index=True)
    hours = fields.Float(required=True, digits=(6, 1), tracking=True)
    certificate = fields.Binary(attachment=True, copy=False)
    certificate_filename = fields.Char()
    note = fields.Text()

    _hours_positive = models.Constraint(
        "CHECK (hours > 0)", "A course lasts some hours."
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_own_courses(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_own_courses([vals])
        return super().write(vals)

    def _check_own_courses(self, vals_list):
        """An officer enters their own courses only: the record rules check
        the courses they touch, this the officer they give a course to."""
        if self.env.su or self.env.user.has_group("cadre_archive.group_manager"):
            return
        if any(vals.get("user_id", self.env.uid) != self.env.uid for vals in vals_list):
            raise AccessError(self.env._("You may only enter your own courses."))

    @api.depends("date_start")
    def _compute_year(self):
        for training in self:
            training.year = training.date_start.year if training.date_start else 0

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for training in self:
            if training.date_end and training.date_end < training.date_start:
                raise ValidationError(
                    self.env._("A course cannot end before it starts.")
                )

    @api.model
    def _hours_in_year(self, user, year):
        """The training hours of ``user`` in courses started in ``year``."""
        groups = self.sudo()._read_group(
            [("user_id", "=", user.id), ("year", "=", year)], [], ["hours:sum"]
        )
        return groups[0][0] or 0.0

    # ------------------------------------------------------------------
    # The yearly reminder
    # ------------------------------------------------------------------
    @api.model
    def _cron_remind_training_hours(self):
        """From the company's month on, remind each officer whose training
        hours of the year are below the minimum: one open reminder at most."""
        officers = self.env.ref("cadre_archive.group_officer").sudo().all_user_ids
        for officer in officers.filtered(lambda u: u.active and not u.share):
            self._remind_officer(officer)

    @api.model
    def _remind_officer(self, officer):
        company = officer.company_id
        today = company._archive_today()
        minimum = company.archive_training_min_hours
        if today.month < company.archive_training_check_month or not minimum:
            return False
        hours = self._hours_in_year(officer, today.year)
        if hours >= minimum or self._open_reminder(officer, today.year):
            return False
        officer.partner_id.sudo().activity_schedule(
            TRAINING_ACTIVITY,
            user_id=officer.id,
            date_deadline=date(today.year, 12, 31),
            summary=self.env._(
                "Training hours of %(year)s: %(hours)s of %(minimum)s",
                year=today.year,
                hours=hours,
                minimum=minimum,
            ),
        )
        return True

    @api.model
    def _open_reminder(self, officer, year):
        return (
            self.env["mail.activity"]
            .sudo()
            .search_count(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", officer.partner_id.id),
                    ("activity_type_id", "=", self.env.ref(TRAINING_ACTIVITY).id),
                    ("user_id", "=", officer.id),
                    ("date_deadline", ">=", date(year, 1, 1)),
                ]
            )
        )
