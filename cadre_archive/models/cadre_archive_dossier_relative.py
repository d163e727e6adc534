# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError


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

    @api.model_create_multi
    def create(self, vals_list):
        self._check_dossiers_kept(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_dossiers_kept([vals])
        return super().write(vals)

    @api.model
    def _check_dossiers_kept(self, vals_list):
        """Relatives are declared only on dossiers the user keeps."""
        ids = {vals["dossier_id"] for vals in vals_list if vals.get("dossier_id")}
        dossiers = self.env["cadre.archive.dossier"].browse(ids)
        if dossiers and (
            len(dossiers.exists()) != len(dossiers) or not dossiers.has_access("write")
        ):
            raise AccessError(
                self.env._("You may only declare relatives on the dossiers you keep.")
            )
