# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError


class CadreArchiveCheckItem(models.Model):
    """One point of the check before filing (鉴别) asked for a category.

    Archives decide what they check per category (signed, sealed, dated; seen
    and signed by the cadre; approving body, date and document number on
    appointment materials): this is configuration, not code.
    """

    _name = "cadre.archive.check.item"
    _description = "Check Before Filing"
    _order = "sequence, id"

    name = fields.Char(string="Check", required=True, translate=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    category_ids = fields.Many2many(
        "cadre.archive.category",
        string="Categories",
        domain="[('is_leaf', '=', True)]",
        help="The categories whose materials must pass this check before they "
        "are filed; leave empty for every category.",
    )

    @api.model
    def _items_for(self, category):
        """The active checks a material of ``category`` must pass."""
        return self.search(
            [
                "|",
                ("category_ids", "=", False),
                ("category_ids", "in", category.ids),
            ]
        )


class CadreArchiveMaterialCheck(models.Model):
    """A check before filing, passed by a material: who checked what, when.

    Written by the filing check only (all its fields are set by the archive);
    it follows its material's access and, like the filed material, is never
    changed or removed.
    """

    _name = "cadre.archive.material.check"
    _description = "Filing Check of a Material"
    _inherit = ["cadre.archive.workflow.mixin"]
    _order = "material_id, sequence, id"
    _protected_fields = frozenset(
        {"material_id", "item_id", "name", "sequence", "user_id", "date"}
    )

    material_id = fields.Many2one(
        "cadre.archive.material",
        required=True,
        index=True,
        ondelete="restrict",
    )
    department_id = fields.Many2one(
        related="material_id.department_id", store=True, index=True
    )
    company_id = fields.Many2one(related="material_id.company_id", store=True)
    item_id = fields.Many2one("cadre.archive.check.item", ondelete="set null")
    name = fields.Char(string="Check", required=True)
    sequence = fields.Integer()
    user_id = fields.Many2one("res.users", string="Checked By", required=True)
    date = fields.Datetime(string="Checked On", required=True)

    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if not self._is_workflow_write():
            raise UserError(
                self.env._(
                    "The record of a check before filing is kept with the "
                    "material: it cannot be deleted."
                )
            )
