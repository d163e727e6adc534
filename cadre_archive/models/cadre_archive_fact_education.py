# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class CadreArchiveFactEducation(models.Model):
    """An education line of the facts of record (学历学位), as the auditor
    established it from the materials."""

    _name = "cadre.archive.fact.education"
    _inherit = ["cadre.archive.fact.period.mixin"]
    _description = "Education of Record"
    _order = "dossier_id, date_start, sequence, id"
    _partial_date_fields = ("start_text", "end_text")

    level = fields.Char(
        required=True, help="学历: 研究生, 大学本科, 大学专科, 中专, 高中 ..."
    )
    degree = fields.Char(help="学位: 博士, 硕士, 学士 ...")
    school = fields.Char(required=True)
    major = fields.Char()
    study_mode = fields.Selection(
        [("full_time", "Full-Time (全日制)"), ("in_service", "In-Service (在职)")],
        required=True,
        default="full_time",
        help="Full-time study must not overlap a full-time post.",
    )
    end_text = fields.Char(help="Empty while studying.")
    material_ids = fields.Many2many(
        "cadre.archive.material",
        "cadre_archive_fact_education_material_rel",
        "line_id",
        "material_id",
        string="Supporting Materials",
        check_company=True,
        domain="[('dossier_id', '=', dossier_id)]",
    )

    @api.constrains("material_ids", "dossier_id")
    def _check_materials(self):
        self._check_materials_of_dossier()

    @api.depends("level", "school")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " ".join(p for p in (line.school, line.level) if p)
