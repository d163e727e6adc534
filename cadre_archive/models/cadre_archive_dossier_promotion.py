# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

# the checks are read by archive staff only (record rules: their units)
STAFF = "cadre_archive.group_officer"


class CadreArchiveDossierPromotion(models.Model):
    """The promotion checks (凡提必审) of the dossier: every new post or rank
    HR recorded for the cadre and whether an audit let it through."""

    _inherit = "cadre.archive.dossier"

    promotion_check_ids = fields.One2many(
        "cadre.archive.promotion.check",
        "dossier_id",
        string="Promotion Checks",
        readonly=True,
        groups=STAFF,
    )
    promotion_check_count = fields.Integer(
        compute="_compute_promotion_check_count", groups=STAFF
    )

    @api.depends("promotion_check_ids")
    def _compute_promotion_check_count(self):
        for dossier in self:
            dossier.promotion_check_count = len(dossier.promotion_check_ids)

    def action_open_promotion_checks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cadre_archive.action_cadre_archive_promotion_check"
        )
        action["domain"] = [("dossier_id", "=", self.id)]
        action["context"] = {}
        return action
