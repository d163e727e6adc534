# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from psycopg2.errors import ReadOnlySqlTransaction

from odoo import api, fields, models
from odoo.exceptions import UserError


class CadreArchiveAccessLog(models.Model):
    """One line per view, download or print of archive material, and per
    excerpt or copy (摘抄、复制) an officer made of it for a request.

    A line says what a person actually saw or took: a page served by the
    viewer is a *view* of that scan and page; the original file is a
    *download* only when asked for as one; an archive officer's own glimpses
    at the scans while keeping the dossier (the thumbnails and previews of
    the material form) are *archive work*, never downloads.

    Written by the addon only (as superuser, from the viewer and the download
    paths); nobody, superuser included, edits or deletes a line.
    """

    _name = "cadre.archive.access.log"
    _description = "Archive Access Log"
    _order = "create_date desc, id desc"
    _log_access = True

    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    dossier_id = fields.Many2one(
        "cadre.archive.dossier", required=True, readonly=True, index=True
    )
    material_id = fields.Many2one("cadre.archive.material", readonly=True, index=True)
    attachment_id = fields.Many2one("ir.attachment", string="Scan", readonly=True)
    page = fields.Integer(
        readonly=True,
        help="The page of the scan that was viewed; empty for a whole file.",
    )
    request_id = fields.Many2one("cadre.archive.request", readonly=True, index=True)
    action = fields.Selection(
        [
            ("view", "View"),
            ("download", "Download"),
            ("work", "Archive Work"),
            ("print", "Print"),
            ("excerpt", "Excerpt (摘抄)"),
            ("copy", "Copy (复制)"),
        ],
        required=True,
        readonly=True,
        help="View: a watermarked page served by the viewer. Download: the "
        "original file, asked for as a download. Archive Work: a thumbnail or "
        "preview of a scan seen by the archive staff keeping the dossier. "
        "Print: the watermarked PDF of the material.",
    )
    copy_id = fields.Many2one(
        "cadre.archive.request.copy",
        string="Excerpt or Copy",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The excerpt or copy recorded by an archive officer, for the "
        "excerpt and copy lines.",
    )
    department_id = fields.Many2one(
        related="dossier_id.department_id", store=True, index=True
    )
    company_id = fields.Many2one(
        related="dossier_id.company_id", store=True, index=True
    )

    @api.model
    def _log(self, material, action, request=None, attachment=None, page=0):
        """Record that the current user did ``action`` on ``material``.

        ``/web/content`` runs on a read-only cursor: ask Odoo to serve it again on
        a read/write one, as it does for any read-only route that must write.
        """
        if self.env.cr.readonly:
            raise ReadOnlySqlTransaction("the archive access log must be written")
        return self.sudo().create(
            {
                "user_id": self.env.uid,
                "dossier_id": material.dossier_id.id,
                "material_id": material.id,
                "attachment_id": attachment.id if attachment else False,
                "page": page,
                "request_id": request.id if request else False,
                "action": action,
            }
        )

    @api.model
    def _log_copy(self, copy):
        """Record an excerpt or copy made for a request: under its reader (the
        request's requester), who takes it away; the officer who made it is
        on the copy record."""
        return self.sudo().create(
            {
                "user_id": copy.request_id.sudo().requester_id.id,
                "dossier_id": copy.material_id.sudo().dossier_id.id,
                "material_id": copy.material_id.id,
                "request_id": copy.request_id.id,
                "action": copy.kind,
                "copy_id": copy.id,
            }
        )

    def write(self, vals):
        if vals:
            raise UserError(self.env._("The access log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_never(self):
        raise UserError(self.env._("The access log cannot be deleted."))
