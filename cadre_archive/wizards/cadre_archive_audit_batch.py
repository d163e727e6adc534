# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import UserError


class CadreArchiveAuditBatch(models.TransientModel):
    """Audit every dossier of some units (and the units below) in the
    background, one job per dossier; only the dossiers the user keeps."""

    _name = "cadre.archive.audit.batch"
    _description = "Audit the Dossiers of Units"

    department_ids = fields.Many2many(
        "hr.department",
        "cadre_archive_audit_batch_department_rel",
        "batch_id",
        "department_id",
        string="Units",
        required=True,
    )

    def _dossiers(self):
        self.ensure_one()
        return self.env["cadre.archive.dossier"].search(
            [
                ("department_id", "child_of", self.department_ids.ids),
                ("state", "!=", "transferred"),
            ]
        )

    def action_queue(self):
        self.ensure_one()
        dossiers = self._dossiers()
        if not dossiers:
            raise UserError(self.env._("You keep no dossier in these units."))
        self.env["cadre.archive.audit"]._queue_for(dossiers)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self.env._(
                    "%(count)s dossier(s) will be audited in the background.",
                    count=len(dossiers),
                ),
                "type": "info",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
