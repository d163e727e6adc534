# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from odoo import api, models
from odoo.exceptions import UserError, ValidationError

from ..lib import scans
from ..lib.errors import ArchiveLibError
from .lib_messages import lib_error_message

MATERIAL_MODEL = "cadre.archive.material"


class IrAttachment(models.Model):
    """Scans of archive materials.

    A scan is an attachment of a ``cadre.archive.material``; reading it needs read
    access to the material and changing it needs write access (``ir.attachment``'s
    own rule), so record rules decide who gets its bytes, ``/web/content``
    included. On top of that, scans are never public nor shared by token, their
    content is checked on upload, and the scans of a filed material can no
    longer be added, replaced, moved or deleted by anyone.
    """

    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("res_model") == MATERIAL_MODEL:
                self._check_scan_sharing(vals)
                self._check_materials_not_filed(vals.get("res_id"))
                self._check_scan_content(vals)
        return super().create(vals_list)

    def write(self, vals):
        scans_ = self._filter_material_scans()
        if scans_ or vals.get("res_model") == MATERIAL_MODEL:
            self._check_scan_sharing(vals)
            scans_._check_materials_not_filed()
            if vals.get("res_model", MATERIAL_MODEL) == MATERIAL_MODEL:
                self._check_materials_not_filed(vals.get("res_id"))
            if {"raw", "datas"}.intersection(vals):
                self._check_scan_content(vals)
        return super().write(vals)

    # reading any of these returns the file or its text
    _scan_content_fields = frozenset(
        {"datas", "raw", "db_datas", "store_fname", "index_content", "url"}
    )

    def _read_format(self, fnames, load="_classic_read"):
        if not self.env.su and self._scan_content_fields.intersection(fnames):
            for scan in self._filter_material_scans():
                material = self.env[MATERIAL_MODEL].browse(scan.res_id)
                material._check_download_allowed(scan.with_env(self.env))
        return super()._read_format(fnames, load=load)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_filed_material_scan(self):
        self._filter_material_scans()._check_materials_not_filed()

    def _filter_material_scans(self):
        return self.sudo().filtered(lambda a: a.res_model == MATERIAL_MODEL)

    @api.model
    def _check_materials_not_filed(self, res_id=None):
        """Refuse the change when it touches a filed material's scans."""
        material_ids = set(self.sudo().mapped("res_id"))
        if res_id:
            material_ids.add(res_id)
        materials = self.env[MATERIAL_MODEL].sudo().browse(material_ids).exists()
        filed = materials.filtered(lambda m: m.state == "filed")
        if filed:
            raise UserError(
                self.env._(
                    "The scans of %(materials)s cannot be added, replaced, moved "
                    "or deleted: the material is filed and filed materials are "
                    "evidence.",
                    materials=", ".join(filed.mapped("display_name")),
                )
            )

    @api.model
    def _check_scan_sharing(self, vals):
        if vals.get("public") or vals.get("access_token"):
            raise UserError(
                self.env._(
                    "Scans of archive materials can never be public or shared by "
                    "link: they are read only through the archive's access rules."
                )
            )

    @api.model
    def _check_scan_content(self, vals):
        """Refuse files that are not a readable JPEG, PNG, TIFF or PDF scan."""
        raw = vals.get("raw")
        if raw is None and vals.get("datas"):
            raw = base64.b64decode(vals["datas"])
        if isinstance(raw, str):
            raw = raw.encode()
        try:
            info = scans.identify(raw or b"")
        except ArchiveLibError as error:
            raise ValidationError(lib_error_message(self.env, error)) from error
        vals["mimetype"] = info.mimetype
