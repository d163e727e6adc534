# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class CadreArchiveCategory(models.Model):
    _inherit = "cadre.archive.category"

    is_appointment = fields.Boolean(
        string="Appointment Materials (任免)",
        compute="_compute_is_appointment",
        store=True,
        readonly=False,
        help="Its materials carry the approving body, approval date and "
        "document number; the audit checks they are recorded.",
    )

    @api.depends("code")
    def _compute_is_appointment(self):
        """任免 (9-2) by default; managers may mark other categories."""
        for category in self:
            category.is_appointment = category.code == "9-2"
