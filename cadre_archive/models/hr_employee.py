# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class HrEmployee(models.Model):
    """Show a cadre's dossier on the employee, to archive users only."""

    _name = "hr.employee"
    _inherit = ["hr.employee", "cadre.archive.employee.dossier.mixin"]
