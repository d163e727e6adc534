# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

DUE_RULE_MODEL = "cadre.archive.due.rule"
PROMOTION_CHECK_MODEL = "cadre.archive.promotion.check"


class HrVersion(models.Model):
    """The rank of a cadre on their contract version, and the HR events of a
    version (new post, unit or rank) that make archive materials due."""

    _inherit = "hr.version"

    archive_rank = fields.Char(
        string="Rank",
        groups="hr.group_hr_user",
        tracking=True,
        help="The cadre's rank (职级), e.g. 一级主任科员: a new rank makes its "
        "approval form due in the personnel archive.",
    )

    archive_promotion_warning = fields.Char(
        string="Promotion without Audit",
        compute="_compute_archive_promotion_warning",
        groups="hr.group_hr_user",
        help="凡提必审: the cadre's last new post or rank was recorded without a "
        "recent passing audit of their dossier, and none has passed since.",
    )

    @api.depends("employee_id")
    def _compute_archive_promotion_warning(self):
        warnings = self.env[PROMOTION_CHECK_MODEL]._warnings_by_employee(
            self.employee_id
        )
        for version in self:
            version.archive_promotion_warning = warnings.get(version.employee_id.id)

    @api.model_create_multi
    def create(self, vals_list):
        versions = super().create(vals_list)
        self.env[DUE_RULE_MODEL]._fire_after_create(versions)
        self.env[PROMOTION_CHECK_MODEL]._check_new_versions(versions)
        return versions

    def write(self, vals):
        rules, before = self.env[DUE_RULE_MODEL]._watch(self, vals)
        promotion_before = self.env[PROMOTION_CHECK_MODEL]._watch_versions(self, vals)
        result = super().write(vals)
        rules._fire(self, before)
        self.env[PROMOTION_CHECK_MODEL]._check_versions(self, promotion_before)
        return result

    def _archive_due_previous_values(self, rules):
        """A new version is an event against the employee's version before it
        (a first version, the hiring, is none)."""
        self.ensure_one()
        previous = self._archive_previous_version()
        if not previous:
            return None
        return {name: previous[name] for name in rules.trigger_field_ids.mapped("name")}

    def _archive_previous_version(self):
        """The employee's version before this one (none for a first
        version, the hiring)."""
        self.ensure_one()
        if not self.employee_id:
            return self.browse()
        return self.sudo().search(
            [
                ("employee_id", "=", self.employee_id.id),
                ("id", "!=", self.id),
                ("date_version", "<=", self.date_version),
            ],
            order="date_version desc, id desc",
            limit=1,
        )
