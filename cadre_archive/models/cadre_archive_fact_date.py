# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

DATE_FACTS = [
    ("birth", "Birth Date (出生日期)"),
    ("work_start", "Work Start (参加工作时间)"),
    ("party", "Party Admission (入党时间)"),
]


class CadreArchiveFactDate(models.Model):
    """A date of record as one material records it (材料记载): the audit
    compares them. The birth date of record is the one in the earliest
    self-filled material (组通字〔2006〕41号)."""

    _name = "cadre.archive.fact.date"
    _inherit = ["cadre.archive.fact.mixin"]
    _description = "Date as Recorded on a Material"
    _order = "dossier_id, fact, material_date, id"
    _partial_date_fields = ("value_text",)

    fact = fields.Selection(DATE_FACTS, required=True)
    value_text = fields.Char(
        string="Recorded Date", required=True, help="As written on the material."
    )
    material_id = fields.Many2one(
        "cadre.archive.material",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('dossier_id', '=', dossier_id)]",
    )
    material_date = fields.Date(
        related="material_id.date", store=True, string="Formed On"
    )
    self_filled = fields.Boolean(
        string="Self-Filled (本人填写)",
        help="The cadre filled in the material themselves (履历表, 入党志愿书 ...).",
    )

    @api.constrains("value_text")
    def _check_dates(self):
        self._check_partial_dates()

    def _supporting_materials(self):
        return self.material_id

    @api.constrains("material_id", "dossier_id")
    def _check_materials(self):
        self._check_materials_of_dossier()
