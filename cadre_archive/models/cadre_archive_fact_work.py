# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class CadreArchiveFactWork(models.Model):
    """A line of the work history of record (工作经历)."""

    _name = "cadre.archive.fact.work"
    _inherit = ["cadre.archive.fact.period.mixin"]
    _description = "Work History of Record"
    _order = "dossier_id, date_start, sequence, id"
    _partial_date_fields = ("start_text", "end_text")

    unit_name = fields.Char(string="Work Unit", required=True)
    post = fields.Char(required=True)
    rank = fields.Char(help="职级: 科员, 副科级, 正科级, 副处级 ...")
    concurrent = fields.Boolean(
        string="Concurrent Post (兼职)",
        help="A post held beside the main one: it may overlap other posts.",
    )
    end_text = fields.Char(help="Empty for the present post.")
    material_ids = fields.Many2many(
        "cadre.archive.material",
        "cadre_archive_fact_work_material_rel",
        "line_id",
        "material_id",
        string="Supporting Materials",
        check_company=True,
        domain="[('dossier_id', '=', dossier_id)]",
    )

    @api.constrains("material_ids", "dossier_id")
    def _check_materials(self):
        self._check_materials_of_dossier()

    @api.depends("unit_name", "post")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " ".join(p for p in (line.unit_name, line.post) if p)
