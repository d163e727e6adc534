# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .cadre_archive_request import REQUEST_TYPES

ARCHIVE_USERS = "cadre_archive.group_requester"


class CadreArchiveApprovalRule(models.Model):
    """Who approves a consultation request, by management authority (按干部管理权限).

    A rule names the cadres it governs (by the unit that keeps their dossier,
    sub-units included, by their employee tags such as their level or
    category, and by the kind of request) and who approves for them: the
    first-tier approvers, and, when the rule asks for it, second-tier
    approvers who decide after a first-tier approver approved. The first rule
    by sequence that matches a cadre applies to that cadre; a cadre no rule
    matches is approved by the company's request approvers, else its archive
    managers, in one tier. How a request naming several cadres combines their
    rules is said in ``cadre.archive.request._authority_tiers``.
    """

    _name = "cadre.archive.approval.rule"
    _description = "Archive Approval Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    department_ids = fields.Many2many(
        "hr.department",
        "cadre_archive_approval_rule_department_rel",
        "rule_id",
        "department_id",
        string="Units",
        check_company=True,
        help="The rule governs the cadres whose dossier is kept in one of these "
        "units or in a unit below them. Empty: every unit.",
    )
    employee_category_ids = fields.Many2many(
        "hr.employee.category",
        "cadre_archive_approval_rule_employee_category_rel",
        "rule_id",
        "category_id",
        string="Cadre Tags",
        help="The rule governs the cadres carrying at least one of these employee "
        "tags, such as their level (县处级) or category. Empty: every cadre.",
    )
    request_type = fields.Selection(
        REQUEST_TYPES,
        string="Kind",
        help="The rule governs the requests of this kind. Empty: every kind.",
    )
    tier1_user_ids = fields.Many2many(
        "res.users",
        "cadre_archive_approval_rule_tier1_user_rel",
        "rule_id",
        "user_id",
        string="Approvers",
        domain=[("share", "=", False)],
        help="Any one of them approves or refuses the first tier.",
    )
    tier1_group_id = fields.Many2one(
        "res.groups",
        string="Approver Group",
        help="Its members who are archive users of the company approve the first "
        "tier too.",
    )
    second_tier = fields.Boolean(
        help="After a first-tier approver approved, a second-tier approver (for "
        "example the leader in charge) must approve as well.",
    )
    tier2_user_ids = fields.Many2many(
        "res.users",
        "cadre_archive_approval_rule_tier2_user_rel",
        "rule_id",
        "user_id",
        string="Second-Tier Approvers",
        domain=[("share", "=", False)],
    )
    tier2_group_id = fields.Many2one(
        "res.groups",
        string="Second-Tier Approver Group",
        help="Its members who are archive users of the company approve the second "
        "tier too.",
    )

    @api.constrains(
        "company_id",  # set on every creation: a rule created bare is checked too
        "tier1_user_ids",
        "tier1_group_id",
        "second_tier",
        "tier2_user_ids",
        "tier2_group_id",
    )
    def _check_approvers(self):
        """Every tier names someone, and every user named can open a request."""
        archive_users = self.env.ref(ARCHIVE_USERS).sudo().all_user_ids
        for rule in self:
            if not (rule.tier1_user_ids or rule.tier1_group_id):
                raise ValidationError(
                    self.env._(
                        "Approval rule %(rule)s names no approver: name users or a "
                        "group.",
                        rule=rule.name,
                    )
                )
            if rule.second_tier and not (rule.tier2_user_ids or rule.tier2_group_id):
                raise ValidationError(
                    self.env._(
                        "Approval rule %(rule)s asks for a second tier: name its "
                        "approvers (users or a group).",
                        rule=rule.name,
                    )
                )
            outsiders = (rule.tier1_user_ids | rule.tier2_user_ids) - archive_users
            if outsiders:
                raise ValidationError(
                    self.env._(
                        "Approvers must be archive users (requester, officer or "
                        "manager) to open the requests they decide: %(users)s.",
                        users=", ".join(outsiders.mapped("name")),
                    )
                )

    # ------------------------------------------------------------------
    # Matching
    # ------------------------------------------------------------------
    def _matches(self, dossier, request_type):
        """Whether this rule governs the cadre of ``dossier`` for a request of
        ``request_type``."""
        self.ensure_one()
        return (
            (not self.request_type or self.request_type == request_type)
            and self._covers_unit(dossier.department_id)
            and self._covers_cadre(dossier.employee_id)
        )

    def _covers_unit(self, department):
        """The unit is one of the rule's units or below one (``child_of``)."""
        if not self.department_ids:
            return True
        path = department.parent_path or ""
        return any(path.startswith(unit.parent_path) for unit in self.department_ids)

    def _covers_cadre(self, employee):
        return not self.employee_category_ids or bool(
            employee.category_ids & self.employee_category_ids
        )

    def _first_match(self, dossier, request_type):
        """The first of these rules (in their order) that governs ``dossier``."""
        return next(
            (rule for rule in self if rule._matches(dossier, request_type)),
            self.browse(),
        )

    # ------------------------------------------------------------------
    # Approvers
    # ------------------------------------------------------------------
    def _approver_tiers(self):
        """The approvers of each tier of this rule, tier 1 first: the users
        named and the members of the group (its system administrators only
        where it has nobody else), who are active archive users of the rule's
        company."""
        self.ensure_one()
        tiers = [self.tier1_user_ids | self._group_approvers(self.tier1_group_id)]
        if self.second_tier:
            tiers.append(
                self.tier2_user_ids | self._group_approvers(self.tier2_group_id)
            )
        return [self._archive_users_of_company(users) for users in tiers]

    def _group_approvers(self, group):
        """The members of ``group`` who approve: the administrators are archive
        managers by the addon's data, to configure it, not to decide."""
        self.ensure_one()
        members = self._archive_users_of_company(group.all_user_ids)
        return self.env["cadre.archive.request"]._without_administrators(members)

    def _archive_users_of_company(self, users):
        self.ensure_one()
        archive_users = self.env.ref(ARCHIVE_USERS).sudo().all_user_ids
        return (users & archive_users).filtered(
            lambda user: (
                user.active and not user.share and self.company_id in user.company_ids
            )
        )
