# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class CadreArchiveMaterial(models.Model):
    """The marks of an appointment material (任免: approving body, date and
    document number). They are content of the material: frozen with it once
    filed, like its title (the filed lock keeps every field but derived
    data)."""

    _name = "cadre.archive.material"
    _inherit = ["cadre.archive.material", "cadre.archive.partial.date.mixin"]

    _partial_date_fields = ("approval_date_text",)

    is_appointment = fields.Boolean(related="category_id.is_appointment")
    approving_body = fields.Char(
        tracking=True, help="The body that approved the appointment (审批机关)."
    )
    approval_date_text = fields.Char(
        string="Approval Date",
        tracking=True,
        help="1999.03.05, or 1999.03 when the day is not written.",
    )
    document_number = fields.Char(
        tracking=True, help="The document number (文号), e.g. 县委〔1999〕5号."
    )

    @api.constrains("approval_date_text")
    def _check_approval_date(self):
        self._check_partial_dates()
