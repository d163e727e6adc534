# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import integrity, quality, scans
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

    archive_sha256 = fields.Char(
        string="SHA-256",
        readonly=True,
        copy=False,
        help="Checksum of the scan taken at upload; filing freezes the scan, so "
        "any later difference means the stored file was altered.",
    )
    archive_integrity = fields.Selection(
        [("ok", "Intact"), ("changed", "Changed"), ("missing", "Missing")],
        string="Integrity",
        readonly=True,
        copy=False,
    )
    archive_checked_date = fields.Datetime(
        string="Integrity Checked On", readonly=True, copy=False
    )
    archive_page_ids = fields.One2many("cadre.archive.page", "attachment_id")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("res_model") == MATERIAL_MODEL:
                self._check_scan_sharing(vals)
                self._check_materials_not_filed(vals.get("res_id"))
                self._check_scan_content(vals)
        attachments = super().create(vals_list)
        scans_ = attachments._filter_material_scans()
        if scans_:
            scans_._archive_register_checksums()
            scans_._archive_register_pages()
            scans_.archive_page_ids._queue_ocr()
        return attachments

    def _archive_register_checksums(self):
        """Take the SHA-256 of each new scan (the integrity baseline)."""
        for scan in self:
            scan.sudo().archive_sha256 = integrity.sha256_hex(scan.sudo().raw or b"")
            scan.sudo().archive_integrity = "ok"

    def _archive_register_pages(self):
        """Check the quality of every page of each new scan and record it."""
        pages = self.env["cadre.archive.page"].sudo()
        for scan in self.sudo():
            material = self.env[MATERIAL_MODEL].sudo().browse(scan.res_id)
            rules = material.company_id._archive_quality_rules()
            try:
                results = quality.check_scan(scan.raw, rules)
            except ArchiveLibError as error:
                raise ValidationError(lib_error_message(self.env, error)) from error
            pages.create(
                [
                    {
                        "attachment_id": scan.id,
                        "material_id": material.id,
                        **pages._values_from_quality(result),
                    }
                    for result in results
                ]
            )

    # the integrity check records its verdict, even on a filed scan
    _scan_check_fields = frozenset({"archive_integrity", "archive_checked_date"})

    def write(self, vals):
        if "archive_sha256" in vals and not self.env.su:
            raise UserError(
                self.env._("The checksum of a scan is taken by the archive itself.")
            )
        if set(vals) <= self._scan_check_fields:
            return super().write(vals)
        scans_ = self._filter_material_scans()
        if scans_ or vals.get("res_model") == MATERIAL_MODEL:
            self._check_scan_sharing(vals)
            scans_._check_materials_not_filed()
            if vals.get("res_model", MATERIAL_MODEL) == MATERIAL_MODEL:
                self._check_materials_not_filed(vals.get("res_id"))
            if {"raw", "datas"}.intersection(vals):
                self._check_scan_content(vals)
        return super().write(vals)

    def _postprocess_contents(self, values):
        """Store scans exactly as uploaded.

        Odoo shrinks large images on upload (base.image_autoresize_max_px); a
        scan is evidence and its resolution is checked, so it is kept byte for
        byte.
        """
        is_scan = values.get("res_model") == MATERIAL_MODEL or (
            self and all(a.res_model == MATERIAL_MODEL for a in self.sudo())
        )
        if is_scan:
            values["mimetype"] = self._compute_mimetype(values)
            return values
        return super()._postprocess_contents(values)

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

    def _archive_verify_integrity(self):
        """Recompute each scan's checksum from the store; return the bad ones."""
        bad = self.browse()
        now = fields.Datetime.now()
        for scan in self.sudo():
            if not scan.archive_sha256:
                continue
            data = scan._archive_stored_bytes()
            verdict = integrity.verify(scan.archive_sha256, data)
            scan.write({"archive_integrity": verdict, "archive_checked_date": now})
            if verdict != "ok":
                bad |= scan
        return bad

    def _archive_stored_bytes(self):
        """The scan's bytes as stored now, or None when the file is gone."""
        self.ensure_one()
        if self.store_fname:
            full_path = self._full_path(self.store_fname)
            try:
                with open(full_path, "rb") as handle:
                    return handle.read()
            except OSError:
                return None
        return self.db_datas or None
