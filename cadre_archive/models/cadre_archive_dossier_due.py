# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from odoo.addons.queue_job.job import identity_exact

from ..lib import missing
from ..tools import lib_errors
from ..tools.constants import MISSING_CHANNEL

OFFICERS = "cadre_archive.group_officer"


class CadreArchiveDossier(models.Model):
    """The materials a dossier is expected to receive (after HR events) or
    lacks by rule (欠缺材料), and the facts the rules read."""

    _inherit = "cadre.archive.dossier"

    due_ids = fields.One2many(
        "cadre.archive.due",
        "dossier_id",
        string="Expected Materials",
        groups=OFFICERS,
    )
    open_due_count = fields.Integer(
        compute="_compute_open_due_count", groups=OFFICERS, string="Expected"
    )

    @api.depends("due_ids.state")
    def _compute_open_due_count(self):
        counts = dict(
            self.env["cadre.archive.due"]._read_group(
                [("dossier_id", "in", self.ids), ("state", "=", "open")],
                ["dossier_id"],
                ["__count"],
            )
        )
        for dossier in self:
            dossier.open_due_count = counts.get(dossier._origin, 0)

    def _open_dues(self):
        """The open expectations of this dossier the user may read."""
        self.ensure_one()
        return self.due_ids.filtered(lambda due: due.state == "open").sorted(
            lambda due: (due.category_id.sequence, due.deadline, due.id)
        )

    def _missing_report_units(self):
        """These dossiers by unit, for the report of missing materials:
        [(unit name, dossiers)], units and dossiers in order."""
        units = {}
        for dossier in self.sorted("name"):
            units.setdefault(dossier.department_id, self.browse())
            units[dossier.department_id] |= dossier
        return sorted(
            (
                (unit.complete_name or self.env._("No Unit"), dossiers)
                for unit, dossiers in units.items()
            ),
            key=lambda pair: pair[0],
        )

    def action_open_dues(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cadre_archive.action_cadre_archive_due"
        )
        action["domain"] = [("dossier_id", "=", self.id)]
        action["context"] = {"default_dossier_id": self.id}
        return action

    # ------------------------------------------------------------------
    # The check of missing materials (background jobs)
    # ------------------------------------------------------------------
    def action_check_missing(self):
        """Check these dossiers against the rules of missing materials, in
        background jobs (one per dossier)."""
        self.check_access("write")
        self._queue_missing_check()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "The check of %(count)s dossiers is queued: the missing "
                    "materials appear on each dossier when it is done.",
                    count=len(self),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _queue_missing_check(self):
        for dossier in self:
            dossier.with_delay(
                channel=MISSING_CHANNEL,
                identity_key=identity_exact,
                description=self.env._(
                    "Check the missing materials of %(dossier)s",
                    dossier=dossier.name,
                ),
            )._check_missing()

    def _check_missing(self):
        """Job: find what the dossiers lack under the rules and keep their
        expectations of origin "missing rule" in step."""
        today = fields.Date.context_today(self)
        for dossier in self.sudo():
            rules = self.env["cadre.archive.missing.rule"]._rules_for(
                dossier.company_id
            )
            facts = dossier._missing_facts()
            with lib_errors(self.env):
                found = [
                    (rule, item)
                    for rule in rules
                    for item in missing.missing_materials(
                        facts, [rule._lib_rule()], today
                    )
                ]
            dossier._sync_missing_dues(found, today)
        return True

    @api.model
    def _cron_check_missing(self):
        """Every week, queue the check of every dossier kept in the archive."""
        self.sudo().search([("state", "!=", "transferred")])._queue_missing_check()
        return True

    def _missing_facts(self):
        """What the rules read of this dossier: its filed materials, the
        cadre's political status, work start year and appointments."""
        self.ensure_one()
        dossier = self.sudo()
        return missing.Facts(
            materials=tuple(
                missing.Material(
                    category_code=material.category_id.code,
                    title=material.name,
                    date=material.date or None,
                )
                for material in dossier.catalog_material_ids
            ),
            political_status=dossier.fact_party_status or None,
            work_start_year=dossier.fact_work_start_date.year
            if dossier.fact_work_start_date
            else None,
            appointments=tuple(dossier._missing_appointments()),
        )

    def _missing_appointments(self):
        """The appointments recorded in Odoo HR: each contract version that
        gives the cadre a post other than the version before it."""
        self.ensure_one()
        versions = (
            self.sudo()
            .employee_id.with_context(active_test=False)
            .version_ids.sorted(lambda v: (v.date_version, v.id))
        )
        appointments = []
        previous_job = self.env["hr.job"]
        for version in versions:
            if version.job_id and version.job_id != previous_job:
                appointments.append(
                    missing.Appointment(
                        date=version.date_version, title=version.job_id.name
                    )
                )
            previous_job = version.job_id
        return appointments

    def _sync_missing_dues(self, found, today):
        """Expect what is missing and not yet expected; cancel what is expected
        and no longer missing; leave the rest (open, fulfilled or closed by
        hand) as it is."""
        self.ensure_one()
        Due = self.env["cadre.archive.due"].sudo()._as_workflow()
        existing = Due.search(
            [("dossier_id", "=", self.id), ("origin", "=", "missing_rule")]
        )
        wanted, to_create = set(), []
        for rule, item in found:
            key = f"{rule.id}:{item.key}"
            wanted.add(key)
            if existing.filtered(
                lambda due, k=key: due.missing_key == k and due.state != "cancelled"
            ):
                continue
            with lib_errors(self.env):
                deadline = missing.deadline(today, rule.delay_count, rule.delay_unit)
            to_create.append(
                {
                    "name": rule._expected_name(item),
                    "dossier_id": self.id,
                    "category_id": rule.category_id.id,
                    "deadline": deadline,
                    "origin": "missing_rule",
                    "missing_rule_id": rule.id,
                    "missing_key": key,
                    "event_date": item.date or False,
                }
            )
        existing.filtered(
            lambda due: due.state == "open" and due.missing_key not in wanted
        )._cancel_no_longer_missing()
        created = Due.create(to_create)
        created._assign_responsible()
        return created
