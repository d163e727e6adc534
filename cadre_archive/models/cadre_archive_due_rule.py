# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval

from ..lib import missing
from ..tools import lib_errors
from ..tools.constants import (
    DELAY_UNITS,
    DUE_EVENT_KINDS,
    DUE_SOURCE_EMPLOYEE_FIELD,
    DUE_SOURCE_MODELS,
)


class CadreArchiveDueRule(models.Model):
    """Which HR change makes which material due (configurable, not code).

    A rule watches one HR model (the employee's contract version, a resume
    line, the employee): when one of its trigger fields takes a new, non-empty
    value on the record of a cadre with a dossier, and the record matches the
    rule's domain, the archive expects a material of the rule's category by
    the event date plus the rule's delay, and tells the officers of the
    cadre's unit. ``_watch`` and ``_fire`` are called by the watched models'
    ``create`` and ``write``.
    """

    _name = "cadre.archive.due.rule"
    _description = "HR Event Making a Material Due"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="The rule applies to the cadres of this company. Empty: every company.",
    )
    event_kind = fields.Selection(
        DUE_EVENT_KINDS, string="Event", required=True, default="other"
    )
    source_model = fields.Selection(
        DUE_SOURCE_MODELS,
        string="Watched Records",
        required=True,
        help="The HR records whose creation or change is the event.",
    )
    trigger_field_ids = fields.Many2many(
        "ir.model.fields",
        "cadre_archive_due_rule_field_rel",
        "rule_id",
        "field_id",
        string="Trigger Fields",
        required=True,
        domain="[('model', '=', source_model), ('store', '=', True)]",
        help="A new, non-empty value in one of these fields is the event (on a "
        "new record, any value).",
    )
    domain = fields.Char(
        default="[]",
        required=True,
        help="Only the watched records matching this domain make a material due "
        "(e.g. the resume lines of one type).",
    )
    date_field_id = fields.Many2one(
        "ir.model.fields",
        string="Event Date Field",
        ondelete="set null",
        domain="[('model', '=', source_model), ('ttype', 'in', ('date', 'datetime'))]",
        help="The field giving the date of the event. Empty: the day it is recorded.",
    )
    category_id = fields.Many2one(
        "cadre.archive.category",
        required=True,
        ondelete="restrict",
        domain="[('is_leaf', '=', True)]",
        help="The category of the expected material.",
    )
    description = fields.Char(
        string="Expected Material",
        required=True,
        translate=True,
        help="What is expected. {employee}, {value} (the new value), {field}, "
        "{date} (the event date) and {record} are replaced.",
    )
    delay_count = fields.Integer(
        string="Delay",
        default=1,
        required=True,
        help="The material is due this long after the event (1 month by default).",
    )
    delay_unit = fields.Selection(DELAY_UNITS, default="months", required=True)

    @api.constrains("source_model", "trigger_field_ids", "date_field_id")
    def _check_fields_of_source(self):
        for rule in self:
            fields_ = rule.trigger_field_ids | rule.date_field_id
            strangers = fields_.filtered(lambda f, r=rule: f.model != r.source_model)
            if strangers:
                raise ValidationError(
                    self.env._(
                        "%(fields)s are not fields of the watched records.",
                        fields=", ".join(strangers.mapped("name")),
                    )
                )

    @api.constrains("domain", "source_model")
    def _check_domain(self):
        for rule in self:
            try:
                domain = rule._get_domain()
                self.env[rule.source_model].sudo().search_count(domain, limit=1)
            except (ValueError, SyntaxError, KeyError, TypeError) as error:
                raise ValidationError(
                    self.env._(
                        "The domain of rule %(rule)s is not valid: %(error)s",
                        rule=rule.name,
                        error=error,
                    )
                ) from error

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

    @api.constrains("delay_count")
    def _check_delay(self):
        if any(rule.delay_count < 0 for rule in self):
            raise ValidationError(self.env._("A delay cannot be negative."))

    def _get_domain(self):
        self.ensure_one()
        domain = safe_eval(self.domain or "[]")
        if not isinstance(domain, list | tuple):
            raise ValueError(self.domain)
        return list(domain)

    # ------------------------------------------------------------------
    # Watching the HR records
    # ------------------------------------------------------------------
    @api.model
    def _rules_watching(self, model_name, field_names=None):
        """The active rules on ``model_name`` (whose trigger fields meet
        ``field_names``, when given)."""
        rules = self.sudo().search([("source_model", "=", model_name)])
        if field_names is not None:
            names = set(field_names)
            rules = rules.filtered(
                lambda r: names & set(r.trigger_field_ids.mapped("name"))
            )
        return rules

    @api.model
    def _watch(self, records, vals):
        """Before ``records.write(vals)``: the rules concerned and the values
        their trigger fields hold now (nothing when no rule is concerned)."""
        rules = self._rules_watching(records._name, vals)
        if not rules or not records:
            return rules, {}
        return rules, rules._snapshot(records)

    def _snapshot(self, records):
        return self._field_values(records, set(self.trigger_field_ids.mapped("name")))

    @api.model
    def _field_values(self, records, names):
        """The values of the fields ``names`` of each of ``records``, by
        record id (what an HR change is compared with)."""
        return {
            record.id: {name: record[name] for name in names}
            for record in records.sudo()
        }

    @api.model
    def _fire_after_create(self, records):
        """New HR records: each rule on their model compares them with what
        was there before (``_archive_due_previous_values``)."""
        rules = self._rules_watching(records._name)
        if not rules:
            return
        before = {}
        for record in records.sudo():
            previous = record._archive_due_previous_values(rules)
            if previous is not None:
                before[record.id] = previous
        rules._fire(records.browse(list(before)), before)

    def _fire(self, records, before):
        """Make the materials of these rules due for ``records`` whose trigger
        fields changed from ``before`` (values by record id)."""
        if not self or not records:
            return
        records = records.sudo()
        dossiers = self._dossiers_by_employee(records)
        if not dossiers:
            return
        Due = self.env["cadre.archive.due"].sudo()._as_workflow()
        new_dues = Due.browse()
        for rule in self:
            matching = records.filtered_domain(rule._get_domain())
            for record in matching:
                dossier = dossiers.get(rule._employee_of(record).id)
                if not dossier or (
                    rule.company_id and rule.company_id != dossier.company_id
                ):
                    continue
                changed = rule._changed_field(record, before.get(record.id, {}))
                if not changed:
                    continue
                vals = rule._due_vals(record, dossier, changed)
                if Due.search_count(
                    [
                        ("rule_id", "=", rule.id),
                        ("event_key", "=", vals["event_key"]),
                        ("state", "!=", "cancelled"),
                    ],
                    limit=1,
                ):
                    continue
                new_dues |= Due.create(vals)
        new_dues._assign_and_notify()

    @api.model
    def _dossiers_by_employee(self, records):
        """The dossiers (kept, not transferred out) of the employees of
        ``records``, by employee id."""
        field_name = DUE_SOURCE_EMPLOYEE_FIELD[records._name]
        employees = records.mapped(field_name) if field_name else records
        dossiers = (
            self.env["cadre.archive.dossier"]
            .sudo()
            .search(
                [
                    ("employee_id", "in", employees.ids),
                    ("state", "!=", "transferred"),
                ]
            )
        )
        return {dossier.employee_id.id: dossier for dossier in dossiers}

    def _employee_of(self, record):
        field_name = DUE_SOURCE_EMPLOYEE_FIELD[record._name]
        return record[field_name] if field_name else record

    def _changed_field(self, record, previous):
        """The first trigger field (by name) of ``record`` whose value is set
        and differs from ``previous``, or None."""
        for field in self.trigger_field_ids.sorted("name"):
            if self._changed_names(record, [field.name], previous):
                return field
        return None

    @api.model
    def _changed_names(self, record, names, previous):
        """Of the fields ``names``, in their order, those of ``record`` that
        hold a new, non-empty value (compared with the values ``previous``):
        the HR event. A field emptied is no event."""
        return [
            name
            for name in names
            if record[name] and record[name] != previous.get(name)
        ]

    def _event_date(self, record):
        value = record[self.date_field_id.name] if self.date_field_id else None
        if isinstance(value, datetime.datetime):
            return value.date()
        return value or fields.Date.context_today(self)

    @api.model
    def _display_value(self, record, field_name):
        field = record._fields[field_name]
        value = record[field_name]
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value)
        if field.type in ("many2one", "many2many", "one2many"):
            return ", ".join(value.mapped("display_name"))
        return value

    def _due_vals(self, record, dossier, field):
        """The expectation of ``record``'s event on ``field``."""
        self.ensure_one()
        event_date = self._event_date(record)
        value = self._display_value(record, field.name)
        raw = record[field.name]
        raw_key = raw.ids if isinstance(raw, models.BaseModel) else raw
        with lib_errors(self.env):
            deadline = missing.deadline(event_date, self.delay_count, self.delay_unit)
        name = missing.render_description(
            self.description,
            {
                "employee": dossier.employee_id.name,
                "value": value,
                "field": field.field_description,
                "date": event_date,
                "record": record.display_name,
            },
        )
        return {
            "name": name,
            "dossier_id": dossier.id,
            "category_id": self.category_id.id,
            "deadline": deadline,
            "origin": "hr_event",
            "rule_id": self.id,
            "event_model": record._name,
            "event_res_id": record.id,
            "event_date": event_date,
            "event_key": f"{record._name},{record.id},{field.name}={raw_key}",
            "event_description": self.env._(
                "%(event)s: %(field)s %(value)s on %(date)s",
                event=dict(self._fields["event_kind"]._description_selection(self.env))[
                    self.event_kind
                ],
                field=field.field_description,
                value=value,
                date=event_date,
            ),
        }
