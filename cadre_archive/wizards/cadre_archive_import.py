# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..lib import bulk_import
from ..lib.errors import ArchiveLibError
from ..tools import lib_error_message, lib_errors

_logger = logging.getLogger(__name__)

# the actions of a line that bring scans in
IMPORT_ACTIONS = ("create", "add", "attach")

LINE_ACTIONS = [
    ("create", "Create Material"),
    ("add", "Add Pages"),
    ("attach", "Scan Filed Paper Material"),
    ("skip", "Already Imported"),
    ("error", "Error"),
    ("done", "Imported"),
]


class CadreArchiveImport(models.TransientModel):
    """Bulk import of page images from a zip, with a dry run first.

    Files are named ``<archive number>_<category code>_<sequence number>_<page>``
    (e.g. ``DA000012_4-1_3_1.jpg``), or put in one folder per dossier named after
    its archive number (``DA000012/4-1_3_1.jpg``). Each material is imported
    whole or not at all; files already imported (same SHA-256 on the material)
    are skipped, so the same zip can be imported again safely.

    The zip holds raw scans: only its creator reads the wizard (record rule),
    and the zip is dropped once imported. The plan (state and lines) is made by
    the dry run only, never by the client.
    """

    _name = "cadre.archive.import"
    _description = "Bulk Import of Scans"
    _inherit = ["cadre.archive.workflow.mixin"]
    _protected_fields = frozenset({"state", "line_ids"})

    zip_file = fields.Binary(attachment=False)
    zip_name = fields.Char()
    state = fields.Selection(
        [("upload", "Upload"), ("planned", "Dry Run"), ("done", "Imported")],
        default="upload",
        required=True,
    )
    line_ids = fields.One2many("cadre.archive.import.line", "import_id")
    error_count = fields.Integer(compute="_compute_counts")
    ready_count = fields.Integer(compute="_compute_counts")

    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        return super().write(vals)

    def _protected_values_allowed(self, vals):
        # the form sends the default state of a new wizard
        return {"state"} if not self and vals.get("state") == "upload" else set()

    def _compute_counts(self):
        for wizard in self:
            wizard.error_count = len(
                wizard.line_ids.filtered(lambda line: line.action == "error")
            )
            wizard.ready_count = len(
                wizard.line_ids.filtered(lambda line: line.action in IMPORT_ACTIONS)
            )

    def _zip_bytes(self):
        self.ensure_one()
        if not self.zip_file:
            raise UserError(self.env._("Upload the zip of the scans first."))
        return base64.b64decode(self.zip_file)

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    # ------------------------------------------------------------------
    # Dry run
    # ------------------------------------------------------------------
    def action_dry_run(self):
        self.ensure_one()
        with lib_errors(self.env):
            planned, errors = bulk_import.plan_zip(self._zip_bytes())
        self.line_ids._as_workflow().unlink()
        lines = self._error_lines(errors)
        failed_paths = {error.path for error in errors}
        groups = bulk_import.group_materials(
            [p for p in planned if p.path not in failed_paths]
        )
        for key, pages in groups.items():
            lines.append(self._plan_material(key, pages))
        self.env["cadre.archive.import.line"]._as_workflow().create(
            [dict(line, import_id=self.id) for line in lines]
        )
        self._workflow_write({"state": "planned"})
        return self._reopen()

    def _error_lines(self, errors):
        return [
            {
                "paths": error.path,
                "action": "error",
                "message": lib_error_message(
                    self.env, ArchiveLibError(error.code, **error.params)
                ),
            }
            for error in errors
        ]

    def _plan_material(self, key, pages):
        """Decide what happens to one material of the zip."""
        archive_number, category_code, number = key
        line = {
            "archive_number": archive_number,
            "category_code": category_code,
            "material_number": number,
            "page_total": len(pages),
            "paths": "\n".join(p.path for p in pages),
        }
        dossier = self.env["cadre.archive.dossier"].search(
            [("name", "=", archive_number)], limit=1
        )
        category = self.env["cadre.archive.category"].search(
            [("code", "=", category_code)], limit=1
        )
        if not dossier:
            return dict(
                line,
                action="error",
                message=self.env._(
                    "No dossier %(number)s among the dossiers you keep.",
                    number=archive_number,
                ),
            )
        if not category or not category.is_leaf:
            return dict(
                line,
                action="error",
                message=self.env._(
                    "%(code)s is not a category that materials are filed in.",
                    code=category_code,
                ),
            )
        line.update(dossier_id=dossier.id, category_id=category.id)
        material = self.env["cadre.archive.material"].search(
            [
                ("dossier_id", "=", dossier.id),
                ("category_id", "=", category.id),
                ("sequence_number", "=", number),
            ],
            limit=1,
        )
        known = set(material.attachment_ids.mapped("archive_sha256"))
        new_pages = [p for p in pages if p.sha256 not in known]
        if material and not new_pages:
            return dict(line, material_id=material.id, action="skip")
        if material.state == "filed":
            return self._plan_filed_material(line, material, len(new_pages))
        return dict(
            line,
            material_id=material.id or False,
            action="add" if material else "create",
            new_page_total=len(new_pages),
        )

    def _plan_filed_material(self, line, material, new_page_total):
        """A filed material takes its scans once, when it was filed on paper
        only; one that has scans already is not changed by an import."""
        if material.sudo().attachment_ids:
            return dict(
                line,
                material_id=material.id,
                action="error",
                message=self.env._(
                    "%(material)s is filed and has its scans: they cannot change "
                    "(a better image is a rescan, approved by an archive manager).",
                    material=material.display_name,
                ),
            )
        return dict(
            line,
            material_id=material.id,
            action="attach",
            new_page_total=new_page_total,
            message=self.env._(
                "Filed on paper: its scans will be attached to it, once."
            ),
        )

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------
    def action_import(self):
        self.ensure_one()
        if self.state != "planned":
            raise UserError(self.env._("Run the dry run first."))
        data = self._zip_bytes()
        planned, _errors = bulk_import.plan_zip(data)
        by_path = {page.path: page for page in planned}
        for line in self.line_ids.filtered(lambda line: line.action in IMPORT_ACTIONS):
            try:
                pages = line._planned_pages(by_path)
                with self.env.cr.savepoint():
                    line._import(data, pages)
            except (UserError, ArchiveLibError) as error:
                message = (
                    lib_error_message(self.env, error)
                    if isinstance(error, ArchiveLibError)
                    else str(error)
                )
                line._workflow_write({"action": "error", "message": message})
        # the scans are in the archive now (or refused): drop the uploaded copy
        self._workflow_write({"state": "done", "zip_file": False})
        return self._reopen()


class CadreArchiveImportLine(models.TransientModel):
    """What the dry run decided for one material of the zip: made by the dry
    run and the import only (a client could otherwise point a line at a
    dossier or material of another unit, or at a path outside the zip)."""

    _name = "cadre.archive.import.line"
    _description = "Bulk Import Line"
    _inherit = ["cadre.archive.workflow.mixin"]
    _protected_fields = frozenset(
        {
            "import_id",
            "archive_number",
            "category_code",
            "material_number",
            "page_total",
            "new_page_total",
            "dossier_id",
            "category_id",
            "material_id",
            "action",
            "message",
            "paths",
        }
    )

    import_id = fields.Many2one(
        "cadre.archive.import", required=True, ondelete="cascade"
    )
    archive_number = fields.Char()
    category_code = fields.Char()
    material_number = fields.Integer(string="Sequence No.")
    page_total = fields.Integer(string="Pages")
    new_page_total = fields.Integer(string="New Pages")
    dossier_id = fields.Many2one("cadre.archive.dossier")
    category_id = fields.Many2one("cadre.archive.category")
    material_id = fields.Many2one("cadre.archive.material")
    action = fields.Selection(LINE_ACTIONS, required=True)
    message = fields.Char()
    paths = fields.Text(string="Files")

    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        return super().write(vals)

    def _planned_pages(self, by_path):
        """The pages of the zip this line imports, each one checked again."""
        self.ensure_one()
        pages = []
        for path in (self.paths or "").splitlines():
            if path not in by_path:
                raise ArchiveLibError("no_such_member", path=path)
            pages.append(by_path[path])
        return pages

    def _import(self, data, pages):
        """Create or complete one material with its pages, all or nothing."""
        self.ensure_one()
        if self.action == "attach":
            return self._import_filed_paper(data, pages)
        material = self.material_id or self._create_material(len(pages))
        known = set(material.attachment_ids.mapped("archive_sha256"))
        self.env["ir.attachment"].create(
            [
                {
                    "name": page.path.rsplit("/", 1)[-1],
                    "res_model": "cadre.archive.material",
                    "res_id": material.id,
                    "raw": bulk_import.read_member(data, page.path),
                }
                for page in pages
                if page.sha256 not in known
            ]
        )
        self._workflow_write(
            {"material_id": material.id, "action": "done", "message": False}
        )

    def _import_filed_paper(self, data, pages):
        """Attach the scans of a material filed on paper (all its pages)."""
        self.material_id._attach_first_scans(
            [
                {
                    "name": page.path.rsplit("/", 1)[-1],
                    "raw": bulk_import.read_member(data, page.path),
                }
                for page in pages
            ]
        )
        self._workflow_write({"action": "done", "message": False})

    def _create_material(self, page_total):
        materials = self.env["cadre.archive.material"]
        taken = materials.search_count(
            [
                ("dossier_id", "=", self.dossier_id.id),
                ("category_id", "=", self.category_id.id),
                ("sequence_number", "=", self.material_number),
            ]
        )
        if taken:
            raise UserError(
                self.env._(
                    "Sequence number %(number)s is taken.", number=self.material_number
                )
            )
        return materials._as_workflow().create(
            {
                "dossier_id": self.dossier_id.id,
                "category_id": self.category_id.id,
                "sequence_number": self.material_number,
                "name": self.env._(
                    "Imported material %(code)s-%(number)s",
                    code=self.category_code,
                    number=self.material_number,
                ),
                "page_count": page_total,
            }
        )
