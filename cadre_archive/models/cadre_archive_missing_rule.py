# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import missing
from ..tools.constants import DELAY_UNITS


class CadreArchiveMissingRule(models.Model):
    """A material every dossier must hold (欠缺材料的规则).

    The logic of each kind of rule is plain Python (``lib/missing.py``); a
    record configures one: the category and title keywords of the materials
    that satisfy it, the first year of annual assessments, how close an
    appointment form must be to its appointment.
    """

    _name = "cadre.archive.missing.rule"
    _description = "Material Every Dossier Must Hold"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="The rule applies to the dossiers of this company. Empty: every company.",
    )
    code = fields.Selection(
        [
            ("cv", "Curriculum Vitae"),
            ("annual_assessment", "Annual Assessment of Each Year of Service"),
            ("party_application", "Party Membership Application"),
            ("party_confirmation", "Confirmation of Party Membership"),
            ("appointment_form", "Appointment Form of Each Appointment"),
        ],
        string="Kind",
        required=True,
    )
    category_id = fields.Many2one(
        "cadre.archive.category",
        required=True,
        ondelete="restrict",
        domain="[('is_leaf', '=', True)]",
        help="The category of the materials that satisfy the rule; a missing "
        "one is expected in it.",
    )
    keywords = fields.Char(
        help="A material satisfies the rule when its title holds one of these "
        "words (separated by commas or 、). Empty: any material of the category.",
    )
    start_year = fields.Integer(
        default=missing.DEFAULT_START_YEAR,
        help="Annual assessments: the first year asked for (the year work "
        "started when later).",
    )
    window_days = fields.Integer(
        string="Window (Days)",
        default=missing.DEFAULT_WINDOW_DAYS,
        help="Appointment forms: a form answers an appointment when dated this "
        "close to it.",
    )
    delay_count = fields.Integer(
        string="Delay",
        default=1,
        required=True,
        help="A missing material is expected this long after the check finds it.",
    )
    delay_unit = fields.Selection(DELAY_UNITS, default="months", required=True)

    @api.constrains("category_id")
    def _check_category_is_leaf(self):
        for rule in self:
            if not rule.category_id.is_leaf:
                raise ValidationError(
                    self.env._(
                        "%(category)s has subcategories: choose one of them.",
                        category=rule.category_id.display_name,
                    )
                )

    @api.constrains("start_year", "window_days", "delay_count")
    def _check_numbers(self):
        for rule in self:
            if rule.start_year < 1949 or rule.window_days < 0 or rule.delay_count < 0:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the start year is 1949 or later, the "
                        "window and the delay are not negative.",
                        rule=rule.name,
                    )
                )

    def _lib_rule(self):
        self.ensure_one()
        return missing.Rule(
            code=self.code,
            category_code=self.category_id.code,
            keywords=missing.parse_keywords(self.keywords),
            start_year=self.start_year,
            window_days=self.window_days,
        )

    @api.model
    def _rules_for(self, company):
        return self.sudo().search(
            ["|", ("company_id", "=", False), ("company_id", "=", company.id)]
        )

    def _expected_name(self, item):
        """What is expected, for one missing material of this rule."""
        self.ensure_one()
        if item.year:
            return self.env._("%(rule)s (%(year)s)", rule=self.name, year=item.year)
        if item.date:
            return self.env._(
                "%(rule)s (%(post)s, %(date)s)",
                rule=self.name,
                post=item.detail or "",
                date=item.date,
            )
        return self.name
