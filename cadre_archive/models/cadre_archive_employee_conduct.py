# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.exceptions import AccessError

OFFICERS = "cadre_archive.group_officer"


class CadreArchiveEmployeeConduct(models.AbstractModel):
    """The employee's dossier tab opens the cadre's 德能勤绩廉 record, for
    archive staff who keep the dossier."""

    _inherit = "cadre.archive.employee.dossier.mixin"

    def action_open_cadre_conduct(self):
        self.ensure_one()
        dossier = self.cadre_dossier_id
        if not dossier or not self.env.user.has_group(OFFICERS):
            raise AccessError(
                self.env._("Only the archive staff keeping the dossier see its record.")
            )
        return dossier.action_open_conduct()
