# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import os

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import integrity, quality, scans, storage
from ..tools import lib_errors
from ..tools.constants import MATERIAL_MODEL, REQUEST_MODEL, RESCAN_FILE_MODEL
from .cadre_archive_workflow_mixin import WORKFLOW_SENTINEL

# the context key carrying a FiledScanIntake
FILED_INTAKE_KEY = "cadre_archive_filed_intake"


class FiledScanIntake:
    """A one-time pass to attach scans to one filed material.

    Filed materials take scans on two sanctioned paths only: the first scans of
    a material filed on paper (``_attach_first_scans``) and an approved rescan
    (``cadre.archive.rescan``). Those methods put one of these objects in the
    context; the filed-material lock of ``ir.attachment`` accepts it for that
    material only, and only once. A context sent over RPC is JSON, so no client
    can hold one (the pattern of ``WORKFLOW_SENTINEL``).
    """

    __slots__ = ("material_id", "rescan", "used")

    def __init__(self, material_id, rescan=False):
        self.material_id = material_id
        self.rescan = rescan
        self.used = False

    def admits(self, material):
        """Whether this pass opens ``material`` (filed) to new scans now: a
        first upload only while it has no scan at all, a rescan only when it
        has scans to replace."""
        if self.used or material.id != self.material_id:
            return False
        return bool(material.sudo().attachment_ids) == self.rescan


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
    archive_version = fields.Integer(
        string="Version",
        readonly=True,
        copy=False,
        help="1 for the first scan of a page; each approved rescan gives the new "
        "scan the next version.",
    )
    archive_superseded_by_id = fields.Many2one(
        "ir.attachment",
        string="Superseded By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The scan of the approved rescan that replaced this one. A "
        "superseded scan is kept as "
        "evidence and stays readable, but the viewer, printing and the page "
        "statistics use the current scans only.",
    )
    archive_superseded_date = fields.Datetime(
        string="Superseded On", readonly=True, copy=False
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_archive_system_vals(vals_list)
        intake = self._filed_intake()
        for vals in vals_list:
            if vals.get("res_model") == REQUEST_MODEL and vals.get("res_field"):
                self._check_request_file_sharing(vals)
            if vals.get("res_model") == RESCAN_FILE_MODEL:
                self._check_rescan_file_sharing(vals)
            if vals.get("res_model") == MATERIAL_MODEL:
                self._check_scan_sharing(vals)
                self._check_target_material(vals.get("res_id"))
                self._check_material_takes_scans(vals.get("res_id"), intake)
                self._check_scan_content(vals, vals.get("res_id"))
        if intake:
            intake.used = True
        attachments = super().create(vals_list)
        if intake:
            # the pass is spent: nothing downstream carries it along
            attachments = attachments.with_context(**{FILED_INTAKE_KEY: None})
        attachments._filter_material_scans()._archive_take_in()
        return attachments

    def _filed_intake(self):
        """The pass of a sanctioned path to a filed material, if any."""
        intake = self.env.context.get(FILED_INTAKE_KEY)
        return intake if isinstance(intake, FiledScanIntake) else None

    @api.model
    def _check_material_takes_scans(self, material_id, intake):
        """A draft material takes scans; a filed one only through a pass."""
        material = self.env[MATERIAL_MODEL].sudo().browse(material_id).exists()
        material.dossier_id._check_not_transferred()
        if material.state == "filed" and intake and intake.admits(material):
            return
        self._check_materials_not_filed(material_id)

    def _archive_take_in(self):
        """The digitization pipeline, for scans just uploaded.

        1. the SHA-256 of each file, the baseline of every later integrity
           check (``_archive_verify_integrity``: before filing, on demand and
           weekly; altered files raise activities, ``_alert_integrity`` on the
           material);
        2. the quality checks of each page, recorded as ``cadre.archive.page``;
        3. one OCR job per page (``cadre.archive.page._run_ocr``, on the channel
           ``data/queue_job_data.xml`` gives it); each page done queues the
           material's job gathering the text (``_compose_ocr_text``).
        """
        if not self:
            return
        self._archive_system_write({"archive_version": 1})
        self._archive_register_checksums()
        self._archive_register_pages()
        self.archive_page_ids._queue_ocr()

    # set by the archive itself (upload pipeline, integrity checks, approved
    # rescans), never by a client: the baseline checksum, the verdict of the
    # last verification, and the version of a scan and what replaced it
    _archive_system_fields = frozenset(
        {
            "archive_sha256",
            "archive_integrity",
            "archive_checked_date",
            "archive_version",
            "archive_superseded_by_id",
            "archive_superseded_date",
        }
    )

    def _is_archive_system_write(self):
        return self.env.context.get("cadre_archive_workflow") is WORKFLOW_SENTINEL

    def _archive_system_write(self, vals):
        return (
            self.sudo()
            .with_context(cadre_archive_workflow=WORKFLOW_SENTINEL)
            .write(vals)
        )

    @api.model
    def _check_archive_system_vals(self, vals_list):
        if self._is_archive_system_write():
            return
        for vals in vals_list:
            if self._archive_system_fields.intersection(vals):
                raise UserError(
                    self.env._(
                        "The checksum, integrity verdict and version of a scan "
                        "are set by the archive itself."
                    )
                )

    @api.model
    def _check_target_material(self, res_id):
        """A scan goes only onto a material the user may change.

        Checked before anything else is said about the target, so that no
        message names a material the user cannot read.
        """
        material = self.env[MATERIAL_MODEL].browse(res_id or [])
        if not material or not material.exists() or not material.has_access("write"):
            raise AccessError(
                self.env._(
                    "You may only attach scans to materials of the dossiers you keep."
                )
            )

    def _archive_register_checksums(self):
        """Take the SHA-256 of each new scan (the integrity baseline)."""
        for scan in self:
            scan._archive_system_write(
                {
                    "archive_sha256": integrity.sha256_hex(scan.sudo().raw or b""),
                    "archive_integrity": "ok",
                }
            )

    def _archive_register_pages(self):
        """Check the quality of every page of each new scan and record it."""
        pages = self.env["cadre.archive.page"].sudo()._as_workflow()
        for scan in self.sudo():
            material = self.env[MATERIAL_MODEL].sudo().browse(scan.res_id)
            rules = material.company_id._archive_quality_rules()
            limits = material.company_id._archive_decode_limits()
            with lib_errors(self.env, ValidationError):
                results = quality.check_scan(scan.raw, rules, limits=limits)
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
        self._check_archive_system_vals([vals])
        if self._is_archive_system_write() and set(vals) <= self._archive_system_fields:
            # the pipeline's own records (checksum, version), filed scans included
            return super().write(vals)
        sharing = {"public", "access_token"}.intersection(vals)
        if sharing and self._filter_request_files():
            self._check_request_file_sharing(vals)
        if sharing and self._filter_rescan_files():
            self._check_rescan_file_sharing(vals)
        if set(vals) <= self._scan_check_fields:
            return super().write(vals)
        scans_ = self._filter_material_scans()
        if scans_ or vals.get("res_model") == MATERIAL_MODEL:
            # access first: the checks below name the materials involved
            self.check_access("write")
            self._check_scan_sharing(vals)
            scans_._check_materials_not_filed()
            if "res_id" in vals or "res_model" in vals:
                self._check_move_targets(vals)
            if {"raw", "datas"}.intersection(vals):
                self._check_scan_content(vals, vals.get("res_id") or scans_[:1].res_id)
        return super().write(vals)

    def _check_move_targets(self, vals):
        """Moving attachments onto a material: the user must keep it, and it
        must not be filed."""
        for attachment in self.sudo():
            if vals.get("res_model", attachment.res_model) == MATERIAL_MODEL:
                target = vals.get("res_id", attachment.res_id)
                self._check_target_material(target)
                self._check_materials_not_filed(target)

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
    # ... and these the file itself (the others its text or where it lies)
    _scan_file_fields = frozenset({"datas", "raw", "db_datas"})

    def _read_format(self, fnames, load="_classic_read"):
        if not self.env.su and self._scan_content_fields.intersection(fnames):
            for scan in self._filter_material_scans():
                taken = scan._content_taken(fnames)
                if not taken:
                    continue
                material = self.env[MATERIAL_MODEL].browse(scan.res_id)
                material._check_original_served(
                    scan.with_env(self.env), as_download=taken == "file"
                )
        return super()._read_format(fnames, load=load)

    def _content_taken(self, fnames):
        """What reading ``fnames`` of this scan gives of its content: "file"
        (its bytes: a download), "text" (its indexed text or where it is
        stored: the attachment's own form, archive work for the staff
        keeping it), or None.

        With ``bin_size`` (the web client's forms) ``datas`` and ``raw`` give
        the file's size only; ``url`` holds a file only for a link-type
        attachment (the chatter reads it for every attachment).
        """
        self.ensure_one()
        content = self._scan_content_fields.intersection(fnames)
        if self.env.context.get("bin_size"):
            content -= {"datas", "raw"}
        if self.sudo().type != "url":
            content -= {"url"}
        if content & self._scan_file_fields:
            return "file"
        return "text" if content else None

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
        materials.dossier_id._check_not_transferred()
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
    def _check_scan_content(self, vals, material_id):
        """Refuse files that are not a readable JPEG, PNG, TIFF or PDF scan, or
        that exceed the decoding limits of the material's company."""
        material = self.env[MATERIAL_MODEL].sudo().browse(material_id).exists()
        limits = (material.company_id or self.env.company)._archive_decode_limits()
        raw = vals.get("raw")
        if raw is None and vals.get("datas"):
            raw = base64.b64decode(vals["datas"])
        if isinstance(raw, str):
            raw = raw.encode()
        with lib_errors(self.env, ValidationError):
            info = scans.identify(raw or b"", limits=limits)
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
            scan._archive_system_write(
                {"archive_integrity": verdict, "archive_checked_date": now}
            )
            if verdict != "ok":
                bad |= scan
        return bad

    # ------------------------------------------------------------------
    # The file store: every file written whole or not at all
    # ------------------------------------------------------------------
    @api.model
    def _file_write(self, bin_value, checksum):
        """Odoo's write of a stored file, made whole-or-nothing.

        Odoo writes in place: a disk filling up half way leaves a truncated
        file under the content's name, and every later upload of the same
        bytes is refused as "colliding with an existing file" until the
        garbage collector runs. Here the file is written aside and renamed
        once complete, and a failed write is a plain refusal (the transaction,
        and with it the attachment, is undone).

        Only the local file store is Odoo's to write: where a deployment keeps
        attachments elsewhere (an object store through OCA ``fs_attachment``,
        whose ``_storage`` then names that store), the write is left to it.
        """
        location = self.env.context.get("storage_location") or self._storage()
        if location != "file":
            return super()._file_write(bin_value, checksum)
        fname, full_path = self._get_path(bin_value, checksum)
        if os.path.exists(full_path):
            return fname
        # add fname to the checklist, in case the transaction aborts
        self._mark_for_gc(fname)
        try:
            storage.write_whole(full_path, bin_value)
        except OSError as error:
            raise UserError(self._file_write_refusal(error)) from error
        return fname

    @api.model
    def _file_write_refusal(self, error):
        if storage.is_no_space(error):
            return self.env._(
                "The file store is full (存储空间已满): nothing of this upload "
                "was saved. Ask the administrator to free space, then upload "
                "again."
            )
        return self.env._(
            "The file store could not be written (%(error)s): nothing of this "
            "upload was saved. Ask the administrator to check the file store.",
            error=error.strerror or str(error),
        )

    def _archive_stored_bytes(self):
        """The scan's bytes as stored now, or None when the file is gone.

        A file of the local file store is read from disk so that an empty file
        (truncated behind Odoo's back) is told from a missing one. A file kept
        in an object store (OCA ``fs_attachment``: its ``store_fname`` is
        ``<storage code>://<path>``) is read through Odoo's ``_file_read``,
        which gives no bytes for an object that is gone; a scan is never empty
        (uploads are checked), so no bytes means missing.
        """
        self.ensure_one()
        if self.store_fname:
            return self._archive_read_fname(self.store_fname)
        return self.db_datas or None

    # ------------------------------------------------------------------
    # Files of consultation requests (the letter of introduction, 介绍信)
    # ------------------------------------------------------------------
    def _filter_request_files(self):
        """The files stored in binary fields of requests: read only by those
        who may read the request (``ir.attachment``'s own check)."""
        return self.sudo().filtered(
            lambda a: a.res_model == REQUEST_MODEL and a.res_field
        )

    @api.model
    def _check_request_file_sharing(self, vals):
        if vals.get("public") or vals.get("access_token"):
            raise UserError(
                self.env._(
                    "The files of consultation requests can never be public or "
                    "shared by link: only those who may read the request read them."
                )
            )

    # ------------------------------------------------------------------
    # Files of rescans waiting for approval (cadre.archive.rescan.file)
    # ------------------------------------------------------------------
    def _filter_rescan_files(self):
        """The new scans of a rescan, read only by those who may read the
        rescan (``ir.attachment``'s own check on its file line)."""
        return self.sudo().filtered(lambda a: a.res_model == RESCAN_FILE_MODEL)

    @api.model
    def _check_rescan_file_sharing(self, vals):
        if vals.get("public") or vals.get("access_token"):
            raise UserError(
                self.env._(
                    "The files of a rescan are scans of an archive material: they "
                    "can never be public or shared by link."
                )
            )

    # ------------------------------------------------------------------
    # Versions: an approved rescan supersedes scans, which are kept
    # ------------------------------------------------------------------
    def _filter_current_scans(self):
        """The scans that no rescan replaced."""
        return self.filtered(lambda a: not a.sudo().archive_superseded_by_id)

    def _archive_supersede(self, new_scans):
        """Mark these scans replaced by ``new_scans`` (the rescan approved now);
        the new scans take the next version. Nothing is deleted."""
        version = max(self.sudo().mapped("archive_version"), default=0) or 1
        new_scans._archive_system_write({"archive_version": version + 1})
        self._archive_system_write(
            {
                "archive_superseded_by_id": new_scans[:1].id,
                "archive_superseded_date": fields.Datetime.now(),
            }
        )

    # ------------------------------------------------------------------
    # Moving scans between storages (file store <-> object store)
    # ------------------------------------------------------------------
    @api.model
    def _archive_move_scans(self, location, scans=None):
        """Move the files of scans to ``location``: ``"file"`` (Odoo's file
        store) or the code of an ``fs_attachment`` storage (an object store).

        ``fs_attachment``'s own migration (``force_storage``) rewrites each
        attachment's ``datas``, which the filed-material lock rightly refuses
        for evidence. Here the bytes are not rewritten but copied: each scan's
        file is read, checked against the checksum taken at upload, written to
        ``location``, read back from there and checked again; only then does
        the attachment point at the copy, and the old file is left to Odoo's
        garbage collector. A scan whose file is already altered or missing is
        not moved (it is counted, the integrity check reports it).

        Run by an administrator from the server (``odoo shell``); not callable
        over RPC. Return ``{"moved": n, "skipped": n, "bad": n}``.
        """
        if not self.env.is_superuser() and not self.env.user._is_admin():
            raise AccessError(self.env._("Only administrators move scans."))
        if location not in self._archive_storage_locations():
            raise UserError(
                self.env._(
                    "Scans can be moved to the file store or to an object store "
                    "only, not to %(location)s.",
                    location=location,
                )
            )
        if scans is None:
            scans = self.sudo().search(
                [("res_model", "=", MATERIAL_MODEL), ("store_fname", "!=", False)]
            )
        counts = {"moved": 0, "skipped": 0, "bad": 0}
        for scan in scans.sudo():
            counts[scan._archive_move_file(location)] += 1
        return counts

    def _archive_move_file(self, location):
        """Move this scan's file to ``location``; say "moved", "skipped" (it is
        there already) or "bad" (its file is altered or missing)."""
        self.ensure_one()
        old = self.store_fname
        if self._archive_location(old) == location:
            return "skipped"
        data = self._archive_stored_bytes()
        if data is None or not self._archive_bytes_intact(data):
            return "bad"
        there = self.with_context(storage_location=location)
        new = there._file_write(data, self.checksum or self._compute_checksum(data))
        if there._archive_read_fname(new) != data:
            raise UserError(
                self.env._(
                    "The copy of scan %(scan)s in %(location)s does not read back "
                    "as the scan: nothing was moved.",
                    scan=self.name,
                    location=location,
                )
            )
        self.env.cr.execute(
            "UPDATE ir_attachment SET store_fname = %s WHERE id = %s", (new, self.id)
        )
        self.invalidate_recordset(["store_fname", "raw", "datas"])
        self._file_delete(old)
        return "moved"

    @api.model
    def _archive_storage_locations(self):
        """Odoo's file store, and the storages of ``fs_attachment`` if any."""
        codes = ["file"]
        if "fs.storage" in self.env:
            codes += self.env["fs.storage"].sudo().get_storage_codes()
        return codes

    @api.model
    def _archive_location(self, store_fname):
        """The storage of a ``store_fname``: a storage code, or "file"."""
        if storage.is_object_store_fname(store_fname):
            return store_fname.partition("://")[0]
        return "file"

    def _archive_bytes_intact(self, data):
        return (
            not self.archive_sha256
            or integrity.verify(self.archive_sha256, data) == "ok"
        )

    @api.model
    def _archive_read_fname(self, fname):
        if storage.is_object_store_fname(fname):
            return self._file_read(fname) or None
        try:
            with open(self._full_path(fname), "rb") as handle:
                return handle.read()
        except OSError:
            return None
