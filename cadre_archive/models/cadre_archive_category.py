# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..lib import numbering, suggest
from ..lib.errors import ArchiveLibError


class CadreArchiveCategory(models.Model):
    """One of the ten official material categories (2018 《干部人事档案工作条例》).

    Categories 4 and 9 have sub-categories; materials are filed into leaf
    categories only. The records are shipped data: their codes are part of
    every material number (类号-顺序号), so nobody but a system administrator may
    change them.
    """

    _name = "cadre.archive.category"
    _description = "Archive Material Category"
    _order = "sequence, id"
    _rec_names_search = ["code", "name"]

    code = fields.Char(required=True, help="Category code (类号), e.g. 4-1.")
    name = fields.Char(required=True, translate=True)
    parent_id = fields.Many2one(
        "cadre.archive.category",
        string="Parent Category",
        index=True,
        ondelete="restrict",
    )
    child_ids = fields.One2many(
        "cadre.archive.category", "parent_id", string="Sub-categories"
    )
    sequence = fields.Integer(
        compute="_compute_sequence", store=True, readonly=False, precompute=True
    )
    is_leaf = fields.Boolean(
        compute="_compute_is_leaf",
        store=True,
        help="Materials can only be filed in categories without sub-categories.",
    )

    keywords = fields.Text(
        help="Words that suggest this category for a material, one per line. "
        "Empty: the addon's defaults for this code.",
    )

    _code_uniq = models.Constraint(
        "unique (code)",
        "A category code must be unique.",
    )

    def write(self, vals):
        if not self.env.su and not self.env.user.has_group("base.group_system"):
            official = sorted(set(vals) - {"keywords"})
            if official:
                raise AccessError(
                    self.env._(
                        "The official categories are fixed; archive managers may "
                        "only change their suggestion keywords."
                    )
                )
        return super().write(vals)

    # what the materials copy from their category: written, even unchanged,
    # these make the ORM recompute every material of the category
    _MATERIAL_SOURCE_FIELDS = ("code", "sequence", "parent_id")

    def _load_records_write(self, values):
        """Write only what changed when the data file is loaded again (at
        every update of the module). Rewriting a category's code as it is
        makes the ORM recompute the number and the order of every material
        filed in it: at a city archive's 1.5 million materials, the whole
        archive in memory, and the update fails (MemoryError)."""
        self.ensure_one()
        values = dict(values)
        for name in self._MATERIAL_SOURCE_FIELDS:
            if name in values:
                current = self._fields[name].convert_to_write(self[name], self)
                if current == values[name]:
                    del values[name]
        return super()._load_records_write(values)

    @api.depends("code")
    def _compute_sequence(self):
        for category in self:
            key = numbering.category_sort_key(category.code) if category.code else (0,)
            category.sequence = key[0] * 100 + (key[1] if len(key) > 1 else 0)

    @api.depends("child_ids")
    def _compute_is_leaf(self):
        for category in self:
            category.is_leaf = not category.child_ids

    @api.depends("code", "name")
    def _compute_display_name(self):
        for category in self:
            category.display_name = f"{category.code} {category.name}"

    @api.constrains("code")
    def _check_code(self):
        for category in self:
            try:
                numbering.category_sort_key(category.code)
            except ArchiveLibError as error:
                raise ValidationError(
                    self.env._(
                        "Category code %(code)s is not of the form 1..10 or 4-1.",
                        code=category.code,
                    )
                ) from error

    @api.model
    def _archive_keywords(self):
        """Keywords per category code: the configured ones, else the defaults."""
        keywords = dict(suggest.DEFAULT_KEYWORDS)
        for category in self.sudo().search([("keywords", "!=", False)]):
            words = [w.strip() for w in category.keywords.splitlines() if w.strip()]
            if words:
                keywords[category.code] = tuple(words)
        return keywords
