# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import audit as audit_lib

SEVERITIES = [
    ("info", "Cannot Tell (待核实)"),
    ("minor", "Minor (一般)"),
    ("major", "Major (较重)"),
    ("critical", "Critical (严重)"),
]


class CadreArchiveAuditRule(models.Model):
    """How one audit rule of ``lib/audit.py`` runs: on or off, its severity,
    whether it is a single-veto item (单项否决), its threshold and the points
    each finding takes off. Shipped from the library's defaults; archive
    managers change them, officers read them."""

    _name = "cadre.archive.audit.rule"
    _description = "Audit Rule"
    _order = "sequence, id"

    code = fields.Char(required=True, readonly=True)
    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, help="Archive the rule to switch it off.")
    severity = fields.Selection(SEVERITIES, required=True, default="major")
    veto = fields.Boolean(
        string="Single Veto (单项否决)",
        help="One finding of this rule fails the audit, whatever the score.",
    )
    threshold = fields.Integer(
        help="Age in years (work start, party admission) or gap in months "
        "(work history); 0: the rule's default."
    )
    has_threshold = fields.Boolean(compute="_compute_has_threshold")
    points = fields.Integer(
        string="Points Off",
        help="Points each finding takes off the 100; -1: by severity "
        "(minor 1, major 4, critical 10).",
        default=-1,
    )

    _code_uniq = models.Constraint("unique (code)", "An audit rule code is unique.")

    @api.depends("code")
    def _compute_has_threshold(self):
        for rule in self:
            known = audit_lib.RULES.get(rule.code)
            rule.has_threshold = bool(known and known.threshold is not None)

    @api.constrains("code")
    def _check_code_known(self):
        for rule in self:
            if rule.code not in audit_lib.RULES:
                raise ValidationError(
                    self.env._("%(code)s is not an audit rule.", code=rule.code)
                )

    @api.constrains("threshold", "points", "severity")
    def _check_values(self):
        for rule in self:
            if rule.threshold < 0 or rule.points < -1 or rule.points > 100:
                raise ValidationError(
                    self.env._(
                        "The threshold of %(rule)s is 0 or more and its points "
                        "off between 0 and 100 (-1: by severity).",
                        rule=rule.name,
                    )
                )

    def _lib_config(self):
        """This rule's configuration for ``lib.audit.run``."""
        self.ensure_one()
        return audit_lib.RuleConfig(
            active=self.active,
            severity=self.severity,
            veto=self.veto,
            threshold=self.threshold or None,
            points=None if self.points < 0 else self.points,
        )

    @api.model
    def _lib_configs(self):
        """Every rule's configuration, by code (as the system: the audit is
        run by officers who only read the rules)."""
        rules = (
            self.sudo()
            .with_context(active_test=False)
            .search([("code", "in", list(audit_lib.RULES))])
        )
        return {rule.code: rule._lib_config() for rule in rules}
