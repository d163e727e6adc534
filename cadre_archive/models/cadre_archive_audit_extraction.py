# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.job import identity_exact

from ..lib import audit as audit_lib
from ..lib import fact_extraction
from .cadre_archive_audit import CadreArchiveAudit as BaseAudit

# the finding made when two materials propose different dates
MISMATCH_RULE = "date_mismatch"


class CadreArchiveAuditExtraction(models.Model):
    """The facts read from the materials for an audit (从材料提取): proposals
    the auditor confirms, and the disagreements between materials as
    findings of the audit."""

    _inherit = "cadre.archive.audit"
    _protected_fields = BaseAudit._protected_fields | {"proposal_ids"}

    proposal_ids = fields.One2many(
        "cadre.archive.fact.proposal",
        "audit_id",
        string="Facts Read from the Materials",
        readonly=True,
    )
    proposal_count = fields.Integer(compute="_compute_proposal_count")
    proposal_open_count = fields.Integer(compute="_compute_proposal_count")

    @api.depends("proposal_ids.state")
    def _compute_proposal_count(self):
        for audit in self:
            audit.proposal_count = len(audit.proposal_ids)
            audit.proposal_open_count = len(
                audit.proposal_ids.filtered(lambda p: p.state == "proposed")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_read_facts(self):
        """Read the facts of record from the filed materials that carry them
        (履历表, 任免审批表, 入党志愿书 ...) and propose them."""
        if any(audit.state != "draft" for audit in self):
            raise UserError(
                self.env._(
                    "Facts are read for an audit before it runs: use Audit Again "
                    "for a new one."
                )
            )
        self.check_access("write")
        self.dossier_id.check_access("write")
        for audit in self:
            audit._read_facts()
        return self.action_open_proposals()

    def action_open_proposals(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cadre_archive.action_cadre_archive_fact_proposal"
        )
        action["domain"] = [("audit_id", "in", self.ids)]
        action["context"] = {"search_default_proposed": 1}
        return action

    @api.model
    def _queue_read_facts(self, dossiers):
        """A new audit of each dossier with the facts read from its
        materials, in the background: one job per dossier, as the user."""
        dossiers.check_access("write")
        for dossier in dossiers:
            self.with_delay(
                identity_key=identity_exact,
                description=self.env._(
                    "Read the facts of the dossier %(dossier)s from its materials",
                    dossier=dossier.display_name,
                ),
            )._read_facts_job(dossier)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self.env._(
                    "The facts of %(count)s dossier(s) will be read in the background.",
                    count=len(dossiers),
                ),
                "type": "info",
            },
        }

    @api.model
    def _read_facts_job(self, dossier):
        """Job: a new draft audit of ``dossier``, its facts read."""
        audit = self._start_for(dossier)
        audit._read_facts()
        return audit.id

    # ------------------------------------------------------------------
    # The reading
    # ------------------------------------------------------------------
    def _fact_materials(self):
        """(material, self_filled) of the filed materials carrying facts."""
        self.ensure_one()
        found = []
        for material in self.dossier_id.material_ids.sorted(
            lambda m: (m.date or fields.Date.today(), m.id)
        ):
            if material.state != "filed":
                continue
            source = fact_extraction.source_of(material.category_id.code, material.name)
            if source:
                found.append((material, source[1]))
        return found

    def _read_facts(self):
        """Propose the facts read on the pages of the dossier's materials
        (the proposals of an earlier reading still undecided are replaced),
        then which values are of record and where materials disagree."""
        self.ensure_one()
        proposal_model = self.env["cadre.archive.fact.proposal"]
        self.proposal_ids.filtered(
            lambda p: p.state == "proposed"
        )._as_workflow().unlink()
        vals_list = []
        for material, self_filled in self._fact_materials():
            for page in material._current_pages():
                lines, size = proposal_model._page_lines(page)
                for found in fact_extraction.extract(
                    lines, today=fields.Date.context_today(self)
                ):
                    vals_list.append(
                        proposal_model._vals_from_lib(
                            self, page, found, self_filled, size
                        )
                    )
        proposals = proposal_model._as_workflow().create(vals_list)
        self._settle_proposals()
        return proposals

    def _settle_proposals(self):
        """Mark the value proposed of record of each date (the earliest
        self-filled material's) and make a finding of each disagreement,
        citing both materials."""
        self.ensure_one()
        proposals = self.proposal_ids.filtered(lambda p: p.state != "rejected")
        by_id = {p.id: p for p in proposals}
        settled = fact_extraction.of_record(proposals._candidates())
        proposals.filtered("of_record")._workflow_write({"of_record": False})
        configs = self.env["cadre.archive.audit.rule"]._lib_configs()
        config = (
            configs.get(MISMATCH_RULE)
            or audit_lib.RULES[MISMATCH_RULE].default_config()
        )
        for kind, (reference_id, disagreeing) in settled.items():
            reference = by_id[reference_id]
            reference._workflow_write({"of_record": True})
            for proposal_id in disagreeing:
                proposal = by_id[proposal_id]
                if not proposal.finding_id:
                    proposal._workflow_write(
                        {
                            "finding_id": self._mismatch_finding(
                                config, kind, proposal, reference
                            ).id
                        }
                    )

    def _mismatch_finding(self, config, kind, proposal, reference):
        """The finding that ``proposal`` disagrees with ``reference``."""
        subject = f"{kind}:proposal:{proposal.material_id.id}"
        existing = self.finding_ids.filtered(
            lambda f: f.rule_code == MISMATCH_RULE and f.subject == subject
        )
        if existing:
            return existing[:1]
        found = audit_lib.Finding(
            rule_code=MISMATCH_RULE,
            subject=subject,
            severity=config.severity,
            veto=config.veto,
            points=config.points_for(config.severity),
            params={
                "fact": kind,
                "value": proposal.value_text,
                "reference": reference.value_text,
            },
            material_refs=(proposal.material_id.id, reference.material_id.id),
        )
        rule = (
            self.env["cadre.archive.audit.rule"]
            .sudo()
            .with_context(active_test=False)
            .search([("code", "=", MISMATCH_RULE)], limit=1)
        )
        finding_model = self.env["cadre.archive.audit.finding"]
        return finding_model._as_workflow().create(
            finding_model._vals_from_lib(self, found, rule, None)
        )
