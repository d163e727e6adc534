# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.constants import MATERIAL_MODEL


class CadreArchiveScanUpload(models.TransientModel):
    """Attach the scans of a material filed on paper, all in one go.

    A filed material receives its scans once (``_attach_first_scans``); only
    its creator reads the wizard, which holds raw scans until they are
    attached (record rule).
    """

    _name = "cadre.archive.scan.upload"
    _description = "Scans of a Material Filed on Paper"

    material_id = fields.Many2one(MATERIAL_MODEL, required=True, readonly=True)
    line_ids = fields.One2many(
        "cadre.archive.scan.upload.line", "upload_id", string="Scan Files"
    )

    @api.constrains("material_id")
    def _check_material(self):
        """Only a material the user keeps: the wizard shows its name."""
        for upload in self:
            material = upload.material_id.with_env(self.env)
            if not material.exists() or not material.has_access("write"):
                raise AccessError(
                    self.env._(
                        "You may only attach scans to materials of the dossiers "
                        "you keep."
                    )
                )

    def _files(self):
        self.ensure_one()
        lines = self.line_ids.filtered("file")
        if not lines:
            raise UserError(self.env._("Choose the scan files to attach."))
        return [
            {
                "name": line.filename or self.env._("scan-%(n)s", n=index),
                "raw": base64.b64decode(line.file),
            }
            for index, line in enumerate(lines, start=1)
        ]

    def action_attach(self):
        self.ensure_one()
        self.material_id._attach_first_scans(self._files())
        return {"type": "ir.actions.act_window_close"}


class CadreArchiveScanUploadLine(models.TransientModel):
    _name = "cadre.archive.scan.upload.line"
    _description = "Scan File to Attach"

    upload_id = fields.Many2one(
        "cadre.archive.scan.upload", required=True, ondelete="cascade"
    )
    file = fields.Binary(string="Scan", required=True, attachment=False)
    filename = fields.Char()
