# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import UserError


class CadreArchiveSearch(models.TransientModel):
    """Search titles and recognised text across categories, years and units.

    The results are an ordinary search of materials as the user, so the record
    rules decide what is found; the trigram indexes on the title and the text
    make the Chinese substring search fast.
    """

    _name = "cadre.archive.search"
    _description = "Search the Archive"

    term = fields.Char(string="Words", required=True)
    department_id = fields.Many2one("hr.department", string="Unit")
    category_id = fields.Many2one("cadre.archive.category")
    year_from = fields.Integer(string="From Year")
    year_to = fields.Integer(string="To Year")

    def _search_domain(self):
        self.ensure_one()
        term = (self.term or "").strip()
        if len(term) < 2:
            raise UserError(self.env._("Type at least two characters to search."))
        domain = ["|", ("name", "ilike", term), ("ocr_text", "ilike", term)]
        if self.department_id:
            domain.append(("department_id", "child_of", self.department_id.id))
        if self.category_id:
            domain.append(("category_id", "child_of", self.category_id.id))
        if self.year_from:
            domain.append(("date", ">=", f"{self.year_from:04d}-01-01"))
        if self.year_to:
            domain.append(("date", "<=", f"{self.year_to:04d}-12-31"))
        return domain

    def action_search(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Found: %(term)s", term=self.term),
            "res_model": "cadre.archive.material",
            "view_mode": "list,form",
            "views": [
                (
                    self.env.ref(
                        "cadre_archive.cadre_archive_material_view_list_search"
                    ).id,
                    "list",
                ),
                (False, "form"),
            ],
            "domain": self._search_domain(),
            "context": {"cadre_archive_search": self.term.strip()},
        }
