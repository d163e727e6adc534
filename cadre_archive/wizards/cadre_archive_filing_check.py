# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError


class CadreArchiveFilingCheck(models.TransientModel):
    """File materials after their check (鉴别), point by point."""

    _name = "cadre.archive.filing.check"
    _description = "File Materials after their Check"

    material_ids = fields.Many2many("cadre.archive.material", required=True)
    line_ids = fields.One2many("cadre.archive.filing.check.line", "wizard_id")

    @api.model
    def _lines_for(self, materials):
        return [
            fields.Command.create({"material_id": material.id, "item_id": item.id})
            for material in materials
            for item in material._filing_check_items()
        ]

    def action_confirm(self):
        self.ensure_one()
        missing = self.line_ids.filtered(lambda line: not line.passed)
        if missing:
            raise UserError(
                self.env._(
                    "These checks are not passed: %(checks)s. A material that "
                    "fails its check is returned for correction, not filed.",
                    checks="; ".join(
                        f"{line.material_id.name}: {line.item_id.name}"
                        for line in missing
                    ),
                )
            )
        for material in self.material_ids:
            lines = self.line_ids.filtered(
                lambda line, m=material: line.material_id == m
            )
            material._record_filing_checks(lines.item_id)
        self.material_ids.action_file()
        return {"type": "ir.actions.act_window_close"}


class CadreArchiveFilingCheckLine(models.TransientModel):
    _name = "cadre.archive.filing.check.line"
    _description = "Point of the Check before Filing"

    wizard_id = fields.Many2one(
        "cadre.archive.filing.check", required=True, ondelete="cascade"
    )
    material_id = fields.Many2one("cadre.archive.material", required=True)
    item_id = fields.Many2one("cadre.archive.check.item", required=True)
    description = fields.Text(related="item_id.description")
    passed = fields.Boolean()
