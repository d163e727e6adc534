# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models, tools
from odoo.tools import SQL

from ..lib import cadre_grid
from .cadre_archive_cadre_analysis import lib_sql

CONDUCT_KINDS = [
    ("assessment", "Annual Assessment (年度考核)"),
    ("award", "Award (表彰奖励)"),
    ("sanction", "Sanction (处分)"),
    ("training", "Training (教育培训)"),
]
ASSESSMENT_RESULTS = [
    ("excellent", "Excellent (优秀)"),
    ("competent", "Competent (称职)"),
    ("basically_competent", "Basically Competent (基本称职)"),
    ("incompetent", "Incompetent (不称职)"),
    ("qualified", "Qualified (合格)"),
    ("basically_qualified", "Basically Qualified (基本合格)"),
    ("unqualified", "Unqualified (不合格)"),
]


class CadreArchiveConductEntry(models.Model):
    """An entry of a cadre's record of 德、能、勤、绩、廉: a filed material of
    the annual assessment (第三类), training (4-4), award (第七类) or
    sanction (第八类) category, by its formation date, with the assessment
    result read from its title or OCR text (``lib.cadre_grid``).

    A SQL view over the filed materials: nothing is copied, an entry is its
    material. Archive staff only (officers of the dossier's unit, managers
    of its company, nobody their own), as the dossier.
    """

    _name = "cadre.archive.conduct.entry"
    _description = "Record of Conduct and Performance (德能勤绩廉)"
    _auto = False
    _order = "date desc, id desc"

    dossier_id = fields.Many2one("cadre.archive.dossier", readonly=True)
    employee_id = fields.Many2one("hr.employee", string="Cadre", readonly=True)
    department_id = fields.Many2one("hr.department", string="Unit", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    material_id = fields.Many2one("cadre.archive.material", readonly=True)
    category_id = fields.Many2one("cadre.archive.category", readonly=True)
    name = fields.Char(string="Title", readonly=True)
    code = fields.Char(string="Material Number", readonly=True)
    date = fields.Date(readonly=True)
    year = fields.Char(readonly=True)
    kind = fields.Selection(CONDUCT_KINDS, readonly=True)
    result = fields.Selection(
        ASSESSMENT_RESULTS,
        string="Assessment Result",
        readonly=True,
        help="Read from the title of the material (2023年度考核登记表（优秀）), "
        "else from its OCR text after 等次 or 结果.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._entry_query(),
            )
        )

    def _entry_query(self):
        return SQL(
            """
            SELECT m.id, m.id AS material_id, m.dossier_id, d.employee_id,
                d.department_id, m.company_id, m.category_id, m.name, m.code,
                m.date, to_char(m.date, 'YYYY') AS year,
                %(kind)s AS kind,
                CASE WHEN %(kind)s = 'assessment' THEN %(result)s END AS result
            FROM cadre_archive_material m
            JOIN cadre_archive_category c ON c.id = m.category_id
            JOIN cadre_archive_dossier d ON d.id = m.dossier_id
            WHERE m.state = 'filed' AND c.code IN %(codes)s
            """,
            kind=lib_sql(cadre_grid.sql_conduct_kind("c.code")),
            result=lib_sql(cadre_grid.sql_assessment_result("m.name", "m.ocr_text")),
            codes=cadre_grid.conduct_codes(),
        )

    def action_open_material(self):
        """The material of the entry, in its own form (its rules apply)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "cadre.archive.material",
            "res_id": self.material_id.id,
            "view_mode": "form",
            "target": "current",
        }
