# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    archive_department_ids = fields.Many2many(
        "hr.department",
        "cadre_archive_officer_department_rel",
        "user_id",
        "department_id",
        string="Archive Units",
        groups="cadre_archive.group_officer",
        help="Units whose dossiers this archive officer keeps; the units below "
        "them are included.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "archive_department_ids" in vals:
            # Record rules read these units and Odoo caches rule domains per
            # user: drop the cache so the new units apply at once.
            self.env.registry.clear_cache()
        return res
