# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class CadreArchiveDossierRelative(models.Model):
    """A relative of the cadre who works here: they may never consult the
    dossier (回避)."""

    _name = "cadre.archive.dossier.relative"
    _description = "Declared Relative of a Cadre"

    dossier_id = fields.Many2one(
        "cadre.archive.dossier", required=True, index=True, ondelete="cascade"
    )
    employee_id = fields.Many2one(
        "hr.employee", string="Relative", required=True, index=True
    )
    relation = fields.Selection(
        [
            ("spouse", "Spouse"),
            ("parent", "Parent"),
            ("child", "Child"),
            ("sibling", "Sibling"),
            ("in_law", "In-law"),
            ("other", "Other close relative"),
        ],
        required=True,
        default="other",
    )

    _relative_uniq = models.Constraint(
        "unique (dossier_id, employee_id)",
        "This relative is already declared on the dossier.",
    )
