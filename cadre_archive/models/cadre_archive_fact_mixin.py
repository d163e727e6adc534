# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..lib import partial_date
from ..lib.errors import ArchiveLibError
from ..tools import lib_error_message


class CadreArchivePartialDateMixin(models.AbstractModel):
    """Dates of record known to the year, the month or the day, as on the
    materials: kept as the text typed (1985, 1985.03, 1985.03.12, 1985年3月),
    checked, and read back as a ``lib.partial_date.PartialDate``."""

    _name = "cadre.archive.partial.date.mixin"
    _description = "Dates Known to the Year, Month or Day"

    # the Char fields holding partial dates, checked on every write
    _partial_date_fields = ()

    def _partial_date(self, fname):
        """The partial date in ``fname`` (None when empty)."""
        self.ensure_one()
        text = self[fname]
        return partial_date.parse(text) if text else None

    def _safe_first_day(self, fname):
        """The first day of the partial date in ``fname``; False when empty or
        not a date (the constraint then says why)."""
        try:
            value = self._partial_date(fname)
        except ArchiveLibError:
            return False
        return value.first_day() if value else False

    def _check_period_order(self, start="start_text", end="end_text"):
        for record in self:
            first, last = record._partial_date(start), record._partial_date(end)
            if first and last and first.first_day() > last.last_day():
                raise ValidationError(
                    self.env._(
                        "%(record)s ends (%(end)s) before it starts (%(start)s).",
                        record=record.display_name,
                        start=record[start],
                        end=record[end],
                    )
                )

    def _check_partial_dates(self):
        today = fields.Date.context_today(self)
        for record in self:
            for fname in record._partial_date_fields:
                try:
                    value = record._partial_date(fname)
                except ArchiveLibError as error:
                    raise ValidationError(
                        self.env._(
                            "%(field)s: %(problem)s",
                            field=record._fields[fname]._description_string(self.env),
                            problem=lib_error_message(self.env, error),
                        )
                    ) from error
                if value and value.is_future(today):
                    raise ValidationError(
                        self.env._(
                            "%(field)s %(date)s is in the future.",
                            field=record._fields[fname]._description_string(self.env),
                            date=record[fname],
                        )
                    )


class CadreArchiveFactMixin(models.AbstractModel):
    """A line of the facts of record (认定信息) of a dossier: kept like the
    dossier (officers of its unit, managers of its company; never requesters
    nor the cadre), linked to the materials supporting it, with who recorded
    it and when (set by the archive, not by clients)."""

    _name = "cadre.archive.fact.mixin"
    _inherit = ["cadre.archive.partial.date.mixin", "cadre.archive.workflow.mixin"]
    _description = "Line of the Facts of Record"
    _check_company_auto = True

    _protected_fields = frozenset({"recorded_uid", "recorded_date"})

    dossier_id = fields.Many2one(
        "cadre.archive.dossier",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="dossier_id.company_id", store=True, index=True
    )
    department_id = fields.Many2one(
        related="dossier_id.department_id", store=True, index=True, string="Unit"
    )
    sequence = fields.Integer(default=10)
    recorded_uid = fields.Many2one(
        "res.users", string="Recorded By", readonly=True, copy=False
    )
    recorded_date = fields.Datetime(string="Recorded On", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        self._check_dossiers_kept(vals_list)
        records = super().create(vals_list)
        records._stamp_recorded()
        return records

    def write(self, vals):
        self._check_protected_vals([vals])
        self._check_dossiers_kept([vals])
        result = super().write(vals)
        if not self._is_workflow_write():
            self._stamp_recorded()
        return result

    def _stamp_recorded(self):
        """Who recorded the line, and when (the last change)."""
        self._workflow_write(
            {"recorded_uid": self.env.uid, "recorded_date": fields.Datetime.now()}
        )

    @api.model
    def _check_dossiers_kept(self, vals_list):
        """Facts are recorded only on dossiers the user keeps."""
        ids = {vals["dossier_id"] for vals in vals_list if vals.get("dossier_id")}
        dossiers = self.env["cadre.archive.dossier"].browse(ids)
        if dossiers and (
            len(dossiers.exists()) != len(dossiers) or not dossiers.has_access("write")
        ):
            raise AccessError(
                self.env._("You may only record facts on the dossiers you keep.")
            )

    def _supporting_materials(self):
        """The materials supporting this line."""
        return self.material_ids

    def _check_materials_of_dossier(self):
        for line in self:
            if line._supporting_materials().dossier_id - line.dossier_id:
                raise ValidationError(
                    self.env._(
                        "A fact of record is supported by materials of its own "
                        "dossier only."
                    )
                )


class CadreArchiveFactPeriodMixin(models.AbstractModel):
    """A period of the facts of record (a line of education or of the work
    history): from and to as the materials give them (1985.07, or 1985), the
    dates they stand for, both checked (each model has its own supporting
    ``material_ids``, checked to be of its dossier)."""

    _name = "cadre.archive.fact.period.mixin"
    _inherit = ["cadre.archive.fact.mixin"]
    _description = "Period of the Facts of Record"

    start_text = fields.Char(
        string="From",
        required=True,
        help="1985.07, or 1985 when only the year is known.",
    )
    end_text = fields.Char(string="To", help="Empty while it lasts.")
    date_start = fields.Date(compute="_compute_dates", store=True)
    date_end = fields.Date(compute="_compute_dates", store=True)

    @api.depends("start_text", "end_text")
    def _compute_dates(self):
        for line in self:
            line.date_start = line._safe_first_day("start_text")
            line.date_end = line._safe_first_day("end_text")

    @api.constrains("start_text", "end_text")
    def _check_dates(self):
        self._check_partial_dates()
        self._check_period_order()
