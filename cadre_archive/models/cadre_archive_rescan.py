# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.constants import MATERIAL_MODEL, RESCAN_FILE_MODEL
from .cadre_archive_change_mixin import CHANGE_PROTECTED_FIELDS


class CadreArchiveRescan(models.Model):
    """A rescan of a filed material: a better image of the same paper.

    Filed scans are evidence, so a rescan is a change that an archive manager
    other than the asker approves (``cadre.archive.change.mixin``). On approval
    the new scans are attached to the material (checksum, page checks, OCR)
    and the scans they replace are marked superseded, never deleted: they stay
    attachments of the material, readable by whoever may read its scans, while
    the viewer, printing and the page statistics show the current scans only.

    The new files wait on the rescan's own lines until then, readable only by
    those who may read the rescan: the officers of the material's unit and the
    managers of its company.
    """

    _name = "cadre.archive.rescan"
    _description = "Rescan of a Filed Material"
    _inherit = ["cadre.archive.change.mixin"]
    _order = "id desc"
    _protected_fields = CHANGE_PROTECTED_FIELDS | {"new_scan_ids"}

    material_id = fields.Many2one(
        MATERIAL_MODEL,
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        domain="[('state', '=', 'filed'), ('attachment_ids', '!=', False)]",
    )
    dossier_id = fields.Many2one(related="material_id.dossier_id", store=True)
    department_id = fields.Many2one(
        related="material_id.department_id", store=True, index=True, string="Unit"
    )
    company_id = fields.Many2one(
        related="material_id.company_id", store=True, index=True
    )
    file_ids = fields.One2many(RESCAN_FILE_MODEL, "rescan_id", string="New Scans")
    superseded_scan_ids = fields.Many2many(
        "ir.attachment",
        "cadre_archive_rescan_superseded_rel",
        "rescan_id",
        "attachment_id",
        string="Replaces",
        compute="_compute_superseded_scan_ids",
        store=True,
        readonly=False,
        domain="[('res_model', '=', 'cadre.archive.material'), "
        "('res_id', '=', material_id), ('archive_superseded_by_id', '=', False)]",
        help="The current scans the new ones replace; all of them unless said "
        "otherwise.",
    )
    new_scan_ids = fields.Many2many(
        "ir.attachment",
        "cadre_archive_rescan_new_scan_rel",
        "rescan_id",
        "attachment_id",
        string="Scans Attached",
        readonly=True,
        copy=False,
    )

    @api.depends("material_id")
    def _compute_superseded_scan_ids(self):
        for rescan in self:
            rescan.superseded_scan_ids = rescan.material_id.current_scan_ids

    @api.depends("material_id")
    def _compute_display_name(self):
        for rescan in self:
            rescan.display_name = self.env._(
                "Rescan of %(material)s",
                material=rescan.material_id.display_name or "",
            )

    def _change_payload_fields(self):
        return ("material_id", "file_ids", "superseded_scan_ids")

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    @api.constrains("material_id")
    def _check_material_rescannable(self):
        for rescan in self.sudo():
            material = rescan.material_id
            if material.state != "filed" or not material.current_scan_ids:
                raise ValidationError(
                    self.env._(
                        "Only a filed material that has scans can be rescanned "
                        "(%(material)s).",
                        material=material.display_name,
                    )
                )

    @api.constrains("material_id", "superseded_scan_ids")
    def _check_superseded_scans(self):
        for rescan in self.sudo().filtered(lambda r: r.state == "draft"):
            rescan._check_replaces_current_scans()

    def _check_replaces_current_scans(self):
        """What is replaced: current scans of this very material."""
        self.ensure_one()
        scans_ = self.sudo().superseded_scan_ids
        current = self.sudo().material_id.current_scan_ids
        if scans_ - current:
            raise ValidationError(
                self.env._(
                    "A rescan replaces current scans of its own material only: "
                    "%(scans)s are not.",
                    scans=", ".join((scans_ - current).mapped("name")),
                )
            )

    def _check_change_ready(self):
        result = super()._check_change_ready()
        self._check_material_rescannable()
        if not self.file_ids:
            raise UserError(self.env._("Add the new scan files of the rescan."))
        if not self.superseded_scan_ids:
            raise UserError(self.env._("Choose the scans the rescan replaces."))
        self._check_replaces_current_scans()
        return result

    def _check_files_editable(self):
        """The new files are what the manager approves: frozen once asked."""
        if self._is_workflow_write():
            return
        if any(rescan.state != "draft" for rescan in self.sudo()):
            raise UserError(
                self.env._(
                    "Once submitted for approval, a change can no longer be "
                    "edited: cancel it and ask again."
                )
            )

    def unlink(self):
        # the files go with their draft rescan (an asked one is refused below)
        self.filtered(lambda r: r.state == "draft").file_ids.unlink()
        return super().unlink()

    # ------------------------------------------------------------------
    # Approval
    # ------------------------------------------------------------------
    def _apply_change(self):
        """Attach the new scans, mark the replaced ones superseded, say so."""
        self.ensure_one()
        # another rescan may have been approved since this one was asked for
        self._check_material_rescannable()
        self._check_replaces_current_scans()
        material = self.material_id
        new_scans = material._attach_rescan(self.sudo().file_ids._scan_files())
        replaced = self.sudo().superseded_scan_ids
        replaced._archive_supersede(new_scans)
        self._workflow_write({"new_scan_ids": [Command.set(new_scans.ids)]})
        material._post_note(self._approval_message(new_scans, replaced))

    def _approval_message(self, new_scans, replaced):
        return self.env._(
            "Rescan approved by %(user)s (asked by %(asker)s): %(count)s new "
            "scan(s), version %(version)s, replace %(replaced)s, which are kept. "
            "Reason: %(reason)s",
            user=self.env.user.name,
            asker=self.requested_uid.name,
            count=len(new_scans),
            version=max(new_scans.sudo().mapped("archive_version"), default=1),
            replaced=", ".join(replaced.mapped("name")),
            reason=self.reason,
        )


class CadreArchiveRescanFile(models.Model):
    """One new scan file of a rescan, kept until the rescan is approved.

    Stored as an attachment of this line (``attachment=True``): only those who
    may read the rescan read it. Checked on upload like any scan; changed only
    while the rescan is a draft.
    """

    _name = RESCAN_FILE_MODEL
    _description = "New Scan of a Rescan"
    _order = "rescan_id, sequence, id"

    rescan_id = fields.Many2one(
        "cadre.archive.rescan", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    department_id = fields.Many2one(
        related="rescan_id.department_id", store=True, index=True
    )
    company_id = fields.Many2one(related="rescan_id.company_id", store=True)
    file = fields.Binary(string="Scan", required=True, attachment=True)
    filename = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        rescan_ids = {vals.get("rescan_id") for vals in vals_list}
        self.env["cadre.archive.rescan"].browse(rescan_ids)._check_files_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.rescan_id._check_files_editable()
        if "rescan_id" in vals:
            self.rescan_id.browse(vals["rescan_id"])._check_files_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_asked(self):
        self.rescan_id._check_files_editable()

    @api.constrains("file")
    def _check_scan_file(self):
        """The same content checks as any scan (type, decoding limits)."""
        attachments = self.env["ir.attachment"]
        for line in self.with_context(bin_size=False):
            attachments._check_scan_content(
                {"datas": line.file}, line.sudo().rescan_id.material_id.id
            )

    def _scan_files(self):
        """The files as the sanctioned attach path takes them."""
        return [
            {
                "name": line.filename or self.env._("rescan-%(n)s", n=index),
                "raw": base64.b64decode(line.with_context(bin_size=False).file),
            }
            for index, line in enumerate(self, start=1)
        ]
