# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import hashlib
import re

from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.queue_job.delay import group as job_group

from ..lib import catalog_import
from ..lib.errors import ArchiveLibError
from ..tools import lib_error_message, lib_errors

# Dossiers imported by one background job: a job of 100 dossiers (~10,000
# materials) takes a minute or two, short enough to be retried whole.
DOSSIERS_PER_JOB = 100
# Problem lines kept on an import; the counts still cover every problem.
MAX_ISSUE_LINES = 5000

IMPORT_STATES = [
    ("draft", "Draft"),
    ("checked", "Dry Run Done"),
    ("running", "Importing"),
    ("done", "Done"),
    ("done_errors", "Done with Errors"),
]
DOSSIER_LINE_STATES = [
    ("ready", "Ready"),
    ("error", "Error"),
    ("queued", "Queued"),
    ("done", "Imported"),
    ("failed", "Failed"),
]


def _same_name(left, right):
    """Names compared without the spaces catalogs pad them with (张  三)."""
    return re.sub(r"\s+", "", left or "") == re.sub(r"\s+", "", right or "")


class CadreArchiveCatalogImport(models.Model):
    """The catalog import (目录导入): an archive's paper catalogs, from a
    spreadsheet, into dossiers and filed paper-only materials.

    The file holds personal data: its creator and the archive managers of its
    company read it, nobody else (record rules). The dry run checks the file
    against the database and writes nothing but its own plan (the dossier and
    problem lines); the import then runs in background jobs, each dossier whole
    or not at all, and can be run again with the same file without adding
    anything. States, counts, lines and the checksum are set by the archive
    only (``_protected_fields``).
    """

    _name = "cadre.archive.catalog.import"
    _description = "Catalog Import"
    _inherit = ["mail.thread", "cadre.archive.workflow.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _protected_fields = frozenset(
        {
            "state",
            "company_id",
            "file_checksum",
            "row_count",
            "dossier_count",
            "dossier_error_count",
            "material_new_count",
            "material_skip_count",
            "error_count",
            "warning_count",
            "dossier_total",
            "line_ids",
            "dossier_line_ids",
            "job_graph_uuid",
        }
    )
    # what the dry run planned with: changing it needs a new dry run
    _plan_options = frozenset({"create_missing_cadres", "department_id"})

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    file = fields.Binary(string="Catalog File", attachment=True, copy=False)
    file_name = fields.Char(copy=False)
    file_checksum = fields.Char(readonly=True, copy=False)
    create_missing_cadres = fields.Boolean(
        tracking=True,
        help="Create the employee and the dossier of a cadre found neither by "
        "archive number nor by ID number (archive managers only).",
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Unit for New Cadres",
        check_company=True,
        tracking=True,
    )
    state = fields.Selection(
        IMPORT_STATES, default="draft", required=True, readonly=True, tracking=True
    )
    row_count = fields.Integer(string="Rows", readonly=True)
    dossier_count = fields.Integer(string="Dossiers", readonly=True)
    dossier_error_count = fields.Integer(string="Dossiers with Errors", readonly=True)
    material_new_count = fields.Integer(string="New Materials", readonly=True)
    material_skip_count = fields.Integer(string="Already Imported", readonly=True)
    error_count = fields.Integer(string="Errors", readonly=True)
    warning_count = fields.Integer(string="Warnings", readonly=True)
    dossier_total = fields.Integer(string="Dossiers to Import", readonly=True)
    dossier_done_count = fields.Integer(
        string="Dossiers Done", compute="_compute_progress"
    )
    progress = fields.Float(compute="_compute_progress")
    imported_material_count = fields.Integer(
        string="Materials Imported", compute="_compute_progress"
    )
    job_graph_uuid = fields.Char(
        string="Job Graph",
        readonly=True,
        copy=False,
        help="The queue_job graph of the import's jobs (set when it starts).",
    )
    job_failure = fields.Text(
        string="Failed Jobs",
        compute="_compute_job_failure",
        help="The jobs of this import that failed, with the error they ended on.",
    )
    line_ids = fields.One2many(
        "cadre.archive.catalog.import.line", "import_id", string="Problems"
    )
    dossier_line_ids = fields.One2many(
        "cadre.archive.catalog.import.dossier",
        "import_id",
        string="Dossiers of the File",
    )

    @api.depends("file_name")
    def _compute_name(self):
        for record in self:
            record.name = record.file_name or self.env._("Catalog Import")

    @api.depends("state", "job_graph_uuid")
    def _compute_job_failure(self):
        for record in self:
            failed = record._failed_jobs()
            record.job_failure = (
                "\n".join(
                    f"{job.name}: {job.exc_message or job.exc_name or ''}"
                    for job in failed
                )
                or False
            )

    @api.depends("dossier_line_ids.state", "dossier_line_ids.imported_count")
    def _compute_progress(self):
        for record in self:
            finished = record.dossier_line_ids.filtered(
                lambda line: line.state in ("done", "failed")
            )
            record.dossier_done_count = len(finished)
            record.imported_material_count = sum(finished.mapped("imported_count"))
            record.progress = (
                100.0 * len(finished) / record.dossier_total
                if record.dossier_total
                else 0.0
            )

    # ------------------------------------------------------------------
    # CRUD: system fields, the manager-only option, the plan's options
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        for vals in vals_list:
            self._check_create_missing_allowed(vals.get("create_missing_cadres"))
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        self._check_create_missing_allowed(vals.get("create_missing_cadres"))
        if not self._is_workflow_write():
            self._check_editable(vals)
        return super().write(vals)

    def _protected_values_allowed(self, vals):
        if self:
            return set()
        # a new import may name one of the user's companies and the default state
        allowed = set()
        if vals.get("company_id") in self.env.user.company_ids.ids:
            allowed.add("company_id")
        if vals.get("state", "draft") == "draft":
            allowed.add("state")
        return allowed

    def _check_create_missing_allowed(self, wanted=True):
        """Only archive managers may create cadres (employees) from a file."""
        if wanted and not self.env.user.has_group("cadre_archive.group_manager"):
            raise AccessError(
                self.env._(
                    "Only archive managers may create missing cadres from a "
                    "catalog file: ask a manager, or create the cadres' dossiers "
                    "first."
                )
            )

    def _check_editable(self, vals):
        if any(record.state in ("running", "done", "done_errors") for record in self):
            raise UserError(
                self.env._("This catalog import has run: start a new one instead.")
            )
        if self._plan_options.intersection(vals) and any(
            record.state != "draft" for record in self
        ):
            raise UserError(
                self.env._(
                    "The dry run was made with the current options: go back to "
                    "draft to change them."
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_run(self):
        if any(record.state in ("running", "done", "done_errors") for record in self):
            raise UserError(
                self.env._(
                    "A catalog import that has run is kept: it records which "
                    "materials came from which file."
                )
            )

    # ------------------------------------------------------------------
    # The file
    # ------------------------------------------------------------------
    def _file_bytes(self):
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Upload the catalog file first."))
        return base64.b64decode(self.file)

    @api.model
    def _checksum(self, data):
        return hashlib.sha256(data).hexdigest()

    def _categories(self):
        """Category codes: every one, the leaves and the records by code."""
        categories = (
            self.env["cadre.archive.category"].sudo().search([("code", "!=", False)])
        )
        leaves = categories.filtered("is_leaf")
        return categories.mapped("code"), leaves.mapped("code"), leaves

    def _read_catalog(self, data):
        codes, leaf_codes, __ = self._categories()
        with lib_errors(self.env):
            return catalog_import.read_catalog(
                data, leaf_codes, codes, today=fields.Date.context_today(self)
            )

    def action_download_template(self):
        return {
            "type": "ir.actions.act_url",
            "url": "/cadre_archive/catalog_template",
            "target": "download",
        }

    def _template_bytes(self):
        """The XLSX template, with its instructions in the user's language."""
        instructions = [
            (self.env._("Column"), self.env._("How to fill it in")),
            (
                "档案号",
                self.env._(
                    "The dossier's archive number, as on the paper file. Existing "
                    "dossiers are found by it; a new dossier takes it."
                ),
            ),
            ("姓名", self.env._("The cadre's name, as in the employee record.")),
            (
                "身份证号/标识",
                self.env._(
                    "The cadre's ID number or badge ID: finds the employee when "
                    "the archive number is not known yet."
                ),
            ),
            ("单位", self.env._("The cadre's unit (for information).")),
            (
                "类号",
                self.env._(
                    "Category code: 1 to 10, or 4-1 to 4-4 and 9-1 to 9-4 (categories "
                    "4 and 9 are filled in their sub-categories). Keep the column "
                    "as text so that 9-2 does not become a date."
                ),
            ),
            (
                "顺序号",
                self.env._(
                    "The material's number in its category as written on the "
                    "paper: it is kept, never renumbered. Each number appears once "
                    "per dossier and category."
                ),
            ),
            ("材料名称", self.env._("The material's title.")),
            (
                "形成时间",
                self.env._(
                    "Formation date: 1985, 1985.03, 1985.03.12, 19850312 or "
                    "1985年3月12日."
                ),
            ),
            ("页数", self.env._("Number of pages, from 1.")),
            ("备注", self.env._("Remarks (optional).")),
            (
                "原件/复印件",
                self.env._(
                    "原件 (original) or 复印件 (copy); empty means original. A copy "
                    "gives 复印日期 (a full date) and 复印单位 (the copying unit)."
                ),
            ),
            (
                "正本/副本, 库房, 柜, 格, 状态",
                self.env._(
                    "Sheet 档案 (optional): 正本 or 副本, the store room, cabinet "
                    "and cell, and 在库, 借出 or 转出. An existing dossier's "
                    "location is filled only where it is empty."
                ),
            ),
            (
                self.env._("Again"),
                self.env._(
                    "Importing the same file again adds nothing: the rows already "
                    "imported are skipped. A dossier with any wrong row is not "
                    "imported at all until the row is corrected."
                ),
            ),
        ]
        return catalog_import.write_template(instructions)

    # ------------------------------------------------------------------
    # Dry run
    # ------------------------------------------------------------------
    def action_dry_run(self):
        """Check the file against the database; write only the plan."""
        self.ensure_one()
        if self.state not in ("draft", "checked"):
            raise UserError(self.env._("This catalog import has already run."))
        self._check_create_missing_allowed(self.create_missing_cadres)
        if self.create_missing_cadres and not self.department_id:
            raise UserError(self.env._("Choose the unit for new cadres."))
        data = self._file_bytes()
        catalog = self._read_catalog(data)
        groups = catalog_import.group_by_dossier(catalog)
        dossier_lines, issues = self._plan_groups(groups)
        self._store_plan(dossier_lines, issues)
        self._workflow_write(
            {
                "state": "checked",
                "file_checksum": self._checksum(data),
                **self._plan_counts(catalog, dossier_lines, issues),
            }
        )
        return True

    def action_reset_draft(self):
        self.ensure_one()
        if self.state != "checked":
            raise UserError(self.env._("Only a dry run not yet imported goes back."))
        self._clear_plan()
        self._workflow_write({"state": "draft", "file_checksum": False})
        return True

    def _clear_plan(self):
        self.line_ids._as_workflow().unlink()
        self.dossier_line_ids._as_workflow().unlink()

    def _store_plan(self, dossier_lines, issues):
        self._clear_plan()
        self.env["cadre.archive.catalog.import.dossier"]._as_workflow().create(
            [dict(vals, import_id=self.id) for vals in dossier_lines]
        )
        self.env["cadre.archive.catalog.import.line"]._as_workflow().create(
            [self._issue_vals(issue) for issue in issues[:MAX_ISSUE_LINES]]
        )

    def _plan_counts(self, catalog, dossier_lines, issues):
        ready = [vals for vals in dossier_lines if vals["state"] == "ready"]
        return {
            "row_count": catalog.row_count,
            "dossier_count": len(dossier_lines),
            "dossier_error_count": len(dossier_lines) - len(ready),
            "material_new_count": sum(vals["new_count"] for vals in ready),
            "material_skip_count": sum(vals["skip_count"] for vals in dossier_lines),
            "error_count": sum(1 for i in issues if i.severity == "error"),
            "warning_count": sum(1 for i in issues if i.severity == "warning"),
        }

    def _issue_vals(self, issue):
        return {
            "import_id": self.id,
            "sheet": issue.sheet,
            "row": issue.row,
            "column": issue.column,
            "archive_number": issue.archive_number,
            "severity": issue.severity,
            "message": self._issue_message(issue),
        }

    def _issue_message(self, issue):
        if issue.code == "message":
            return issue.params["text"]
        return lib_error_message(self.env, ArchiveLibError(issue.code, **issue.params))

    def _plan_groups(self, groups):
        """Decide, for every dossier of the file, what the import does."""
        numbered = [group for key, group in groups.items() if key]
        context = self._plan_context(numbered)
        # rows without an archive number belong to no dossier
        unnumbered = groups.get("")
        issues = list(unnumbered.issues) if unnumbered else []
        dossier_lines = []
        for group in numbered:
            vals, group_issues = self._plan_group(group, context)
            dossier_lines.append(vals)
            issues.extend(group_issues)
        issues.sort(
            key=lambda issue: (
                issue.sheet != catalog_import.SHEET_DOSSIERS,
                issue.sheet,
                issue.row,
            )
        )
        return dossier_lines, issues

    def _plan_context(self, groups):
        """What the plan needs from the database, read in a few queries."""
        dossiers = self._find_dossiers([group.archive_number for group in groups])
        employees = self._find_employees(
            [group.identifier for group in groups if group.identifier]
        )
        with_dossier = (
            self.env["cadre.archive.dossier"]
            .sudo()
            .search([("employee_id", "in", [e.id for e in employees.values()])])
            .employee_id
        )
        return {
            "dossiers": {dossier.name: dossier for dossier in dossiers},
            "writable": set(dossiers.with_env(self.env)._filtered_access("write").ids),
            "employees": employees,
            "with_dossier": set(with_dossier.ids),
            "existing": self._existing_materials(dossiers.ids),
        }

    def _find_dossiers(self, archive_numbers):
        """The company's dossiers of these numbers (whoever keeps them)."""
        return (
            self.env["cadre.archive.dossier"]
            .sudo()
            .search(
                [
                    ("name", "in", archive_numbers),
                    ("company_id", "=", self.company_id.id),
                ]
            )
        )

    def _find_employees(self, identifiers):
        """Employees of the company by ID number or badge ID (read as the
        system: officers have no HR rights; only the match is used)."""
        if not identifiers:
            return {}
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search(
                [
                    ("company_id", "in", [self.company_id.id, False]),
                    "|",
                    ("identification_id", "in", identifiers),
                    ("barcode", "in", identifiers),
                ]
            )
        )
        found = {}
        for employee in employees:
            for key in (employee.barcode, employee.identification_id):
                if key:
                    found[key] = employee
        return found

    def _existing_materials(self, dossier_ids):
        """dossier id -> {(类号, 顺序号): ExistingMaterial} of what it holds."""
        existing = {dossier_id: {} for dossier_id in dossier_ids}
        if not dossier_ids:
            return existing
        self.env["cadre.archive.material"].flush_model(
            ["dossier_id", "category_id", "sequence_number", "name", "state"]
        )
        self.env.cr.execute(
            "SELECT m.dossier_id, c.code, m.sequence_number, m.name, m.state "
            "FROM cadre_archive_material m "
            "JOIN cadre_archive_category c ON c.id = m.category_id "
            "WHERE m.dossier_id = ANY(%s)",
            [list(dossier_ids)],
        )
        for dossier_id, code, number, title, state in self.env.cr.fetchall():
            existing[dossier_id][(code, number)] = catalog_import.ExistingMaterial(
                title, state == "filed"
            )
        return existing

    def _plan_group(self, group, context):
        """Return (dossier line values, issues) for one dossier of the file."""
        dossier = context["dossiers"].get(group.archive_number)
        employee = dossier.employee_id if dossier else None
        if not dossier and group.identifier:
            employee = context["employees"].get(group.identifier)
        issues = list(group.issues) + self._cadre_issues(
            group, dossier, employee, context
        )
        plan = catalog_import.plan_materials(
            group.materials, context["existing"].get(dossier.id, {}) if dossier else {}
        )
        issues += plan.issues
        if dossier and group.dossier_row:
            issues += self._location_warnings(group, dossier)
        ok = not any(issue.severity == "error" for issue in issues)
        vals = {
            "archive_number": group.archive_number,
            "cadre_name": group.cadre_name,
            "dossier_id": dossier.id if dossier else False,
            "action": "update" if dossier else ("dossier" if employee else "cadre"),
            "state": "ready" if ok else "error",
            "new_count": len(plan.new),
            "skip_count": len(plan.already),
            "payload": self._payload(group, plan) if ok else False,
        }
        return vals, issues

    @api.model
    def _payload(self, group, plan):
        return {
            "identifier": group.identifier,
            "dossier": catalog_import.dossier_to_dict(group.dossier_row)
            if group.dossier_row
            else None,
            "materials": [catalog_import.material_to_dict(row) for row in plan.new],
        }

    def _issue(self, group, column, text, severity="error"):
        """An issue of the Odoo layer, on the dossier's first row."""
        first = group.dossier_row or (group.materials[0] if group.materials else None)
        first = first or (group.issues[0] if group.issues else None)
        return catalog_import.Issue(
            first.sheet if first else "",
            first.row if first else 0,
            column,
            "message",
            {"text": text},
            group.archive_number,
            severity,
        )

    def _cadre_issues(self, group, dossier, employee, context):
        """Is the cadre known, the same person, and kept by this user?"""
        number = group.archive_number
        if dossier:
            if dossier.id not in context["writable"]:
                return [
                    self._issue(
                        group,
                        "档案号",
                        self.env._(
                            "Dossier %(number)s is not among the dossiers you keep.",
                            number=number,
                        ),
                    )
                ]
            return self._name_issues(group, dossier.employee_id)
        if employee:
            if not self._user_keeps_unit(employee.department_id):
                # say nothing of whom the ID number belongs to, nor where
                return [
                    self._issue(
                        group,
                        "身份证号/标识",
                        self.env._(
                            "No cadre with the ID number or code %(identifier)s "
                            "among the units you keep.",
                            identifier=group.identifier,
                        ),
                    )
                ]
            if employee.id in context["with_dossier"]:
                return [
                    self._issue(
                        group,
                        "身份证号/标识",
                        self.env._(
                            "%(name)s already has a dossier under another archive "
                            "number than %(number)s.",
                            name=group.cadre_name,
                            number=number,
                        ),
                    )
                ]
            return self._name_issues(group, employee)
        if not self.create_missing_cadres:
            return [
                self._issue(
                    group,
                    "姓名",
                    self.env._(
                        "Unknown cadre %(name)s: no dossier %(number)s and no "
                        "employee with this ID number. Create the cadre first, or "
                        'ask a manager to import with "Create Missing Cadres".',
                        name=group.cadre_name,
                        number=number,
                    ),
                )
            ]
        return self._unit_issues(group, self.department_id)

    def _name_issues(self, group, employee):
        if _same_name(employee.sudo().name, group.cadre_name):
            return []
        return [
            self._issue(
                group,
                "姓名",
                self.env._(
                    "The file names %(file_name)s but dossier %(number)s belongs to "
                    "%(name)s.",
                    file_name=group.cadre_name,
                    number=group.archive_number,
                    name=employee.sudo().name,
                ),
            )
        ]

    def _unit_issues(self, group, unit):
        if self._user_keeps_unit(unit):
            return []
        return [
            self._issue(
                group,
                "单位",
                self.env._(
                    "The dossier of %(name)s would belong to %(unit)s, a unit you do "
                    "not keep.",
                    name=group.cadre_name,
                    unit=unit.sudo().display_name or self.env._("no unit"),
                ),
            )
        ]

    def _user_keeps_unit(self, unit):
        """Whether the user may create a dossier in ``unit`` of this company."""
        user = self.env.user
        if not unit or unit.sudo().company_id not in (self.company_id, unit.browse()):
            return False
        if user.has_group("cadre_archive.group_manager"):
            return self.company_id in user.company_ids
        return user._archive_keeps_unit(unit)

    def _location_warnings(self, group, dossier):
        """File values differing from an existing dossier's: kept, and said."""
        row = group.dossier_row
        warnings = []
        for name, header in (
            ("location_room", "库房"),
            ("location_cabinet", "柜"),
            ("location_cell", "格"),
            ("copy_type", "正本/副本"),
            ("state", "状态"),
        ):
            value, current = getattr(row, name), dossier[name]
            if value and current and value != current:
                warnings.append(
                    catalog_import.Issue(
                        row.sheet,
                        row.row,
                        header,
                        "message",
                        {
                            "text": self.env._(
                                "Dossier %(number)s has %(current)s here; the file "
                                "says %(value)s: the dossier is left as it is.",
                                number=dossier.name,
                                current=current,
                                value=value,
                            )
                        },
                        group.archive_number,
                        "warning",
                    )
                )
        return warnings

    # ------------------------------------------------------------------
    # Import (background jobs)
    # ------------------------------------------------------------------
    def action_import(self):
        """Queue the import of the dossiers the dry run found ready."""
        self.ensure_one()
        if self.state != "checked":
            raise UserError(self.env._("Run the dry run first."))
        if self._checksum(self._file_bytes()) != self.file_checksum:
            raise UserError(
                self.env._(
                    "The file changed since the dry run: run the dry run again "
                    "before importing."
                )
            )
        self._check_create_missing_allowed(self.create_missing_cadres)
        ready = self.dossier_line_ids.filtered(lambda line: line.state == "ready")
        if not ready:
            raise UserError(self.env._("No dossier of this file can be imported."))
        ready._workflow_write({"state": "queued"})
        self._workflow_write({"state": "running", "dossier_total": len(ready)})
        self._enqueue(ready)
        return True

    def _enqueue(self, lines):
        """One job per chunk of dossiers, then one that closes the import."""
        chunks = [
            lines[start : start + DOSSIERS_PER_JOB]
            for start in range(0, len(lines), DOSSIERS_PER_JOB)
        ]
        jobs = [
            chunk.delayable(
                description=self.env._(
                    "Import dossiers %(first)s to %(last)s of %(file)s",
                    first=chunk[0].archive_number,
                    last=chunk[-1].archive_number,
                    file=self.name,
                )
            )._import_chunk()
            for chunk in chunks
        ]
        finish = self.delayable(
            description=self.env._("Close the catalog import %(file)s", file=self.name)
        )._finish_import()
        job_group(*jobs).on_done(finish).delay()
        job = finish._generated_job  # a Job, unless run at once (tests)
        self._workflow_write({"job_graph_uuid": getattr(job, "graph_uuid", False)})

    # ------------------------------------------------------------------
    # A job that failed: run it again, or close the import without it
    # ------------------------------------------------------------------
    def _graph_jobs(self, states):
        """The jobs of this running import in ``states`` (read as the system:
        queue_job's jobs are for its managers only)."""
        self.ensure_one()
        if self.state != "running" or not self.job_graph_uuid:
            return self.env["queue.job"].sudo().browse()
        return (
            self.env["queue.job"]
            .sudo()
            .search([("graph_uuid", "=", self.job_graph_uuid), ("state", "in", states)])
        )

    def _failed_jobs(self):
        return self._graph_jobs(["failed"])

    def _check_job_failed(self):
        """Refuse unless the user may change this import and a job of it failed."""
        self.ensure_one()
        self.check_access("write")
        if not self._failed_jobs():
            raise UserError(
                self.env._(
                    "No job of this import has failed: it is still importing, or it "
                    "has finished."
                )
            )

    def action_retry_failed_jobs(self):
        """Queue the failed jobs of the import again. Each dossier is imported
        whole or not at all, and the dossiers already imported are skipped, so
        running a job again adds nothing twice."""
        self._check_job_failed()
        failed = self._failed_jobs()
        failed.requeue()
        self._post_note(
            self.env._(
                "%(count)s failed job(s) of the import queued again.",
                count=len(failed),
            )
        )
        return True

    def action_close_failed_import(self):
        """Close the import without the dossiers of its failed jobs: they are
        marked failed with the job's error (nothing of them was written), the
        jobs are cancelled and the import is done with errors. Importing the
        same file again later imports them and adds nothing twice."""
        self._check_job_failed()
        running = self._graph_jobs(["pending", "enqueued", "started"])
        if running:
            raise UserError(
                self.env._(
                    "%(count)s job(s) of this import are still running or waiting to "
                    "run: close it once they have ended.",
                    count=len(running),
                )
            )
        message = self.env._(
            "Not imported: the background job importing this dossier failed "
            "(%(error)s).",
            error=self.job_failure,
        )
        self._graph_jobs(["failed", "wait_dependencies"]).button_cancelled()
        queued = self.dossier_line_ids.filtered(lambda line: line.state == "queued")
        queued._workflow_write({"state": "failed", "message": message})
        self._finish_import()
        return True

    def _finish_import(self):
        """Close the import once its jobs ran: done, or done with errors."""
        for record in self:
            failed = record.dossier_line_ids.filtered(
                lambda line: line.state in ("failed", "error")
            )
            record._workflow_write({"state": "done_errors" if failed else "done"})
            record.message_post(
                body=self.env._(
                    "%(materials)s materials imported into %(dossiers)s dossiers; "
                    "%(failed)s dossiers not imported.",
                    materials=record.imported_material_count,
                    dossiers=record.dossier_done_count
                    - len(failed.filtered(lambda line: line.state == "failed")),
                    failed=len(failed),
                )
            )
        return True

    def _create_materials(self, dossier, rows):
        """File the paper materials of ``rows`` in ``dossier``, as numbered on
        paper, without scans, without one chatter entry per material."""
        __, __, leaves = self._categories()
        categories = {category.code: category.id for category in leaves}
        now = fields.Datetime.now()
        return (
            self.env["cadre.archive.material"]
            ._as_workflow()
            .with_context(
                tracking_disable=True, mail_create_nolog=True, mail_notrack=True
            )
            .create(
                [
                    {
                        "dossier_id": dossier.id,
                        "category_id": categories[row.category_code],
                        "sequence_number": row.number,
                        "name": row.title,
                        "date": row.date.first_day(),
                        "date_precision": row.date.precision,
                        "page_count": row.page_count,
                        "remarks": row.remarks or False,
                        "original_kind": row.original_kind,
                        "copy_date": row.copy_date or False,
                        "copy_unit": row.copy_unit or False,
                        "state": "filed",
                        "filed_date": now,
                        "filed_uid": self.env.uid,
                        "check_method": "paper",
                    }
                    for row in rows
                ]
            )
        )


class CadreArchiveCatalogImportDossier(models.Model):
    """One dossier of a catalog file: what the dry run planned, what the
    import did. Written by the archive only."""

    _name = "cadre.archive.catalog.import.dossier"
    _description = "Catalog Import Dossier"
    _inherit = ["cadre.archive.workflow.mixin"]
    _order = "import_id, id"

    _protected_fields = frozenset(
        {
            "import_id",
            "archive_number",
            "cadre_name",
            "dossier_id",
            "action",
            "state",
            "new_count",
            "skip_count",
            "imported_count",
            "payload",
            "message",
        }
    )

    import_id = fields.Many2one(
        "cadre.archive.catalog.import", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="import_id.company_id")
    archive_number = fields.Char()
    cadre_name = fields.Char(string="Cadre")
    dossier_id = fields.Many2one("cadre.archive.dossier")
    action = fields.Selection(
        [
            ("update", "Existing Dossier"),
            ("dossier", "New Dossier"),
            ("cadre", "New Cadre and Dossier"),
        ]
    )
    state = fields.Selection(DOSSIER_LINE_STATES, required=True, default="ready")
    new_count = fields.Integer(string="New Materials")
    skip_count = fields.Integer(string="Already Imported")
    imported_count = fields.Integer(string="Imported")
    payload = fields.Json(help="The checked rows to import (plain data).")
    message = fields.Text()

    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        return super().write(vals)

    def _import_chunk(self):
        """Job: import these dossiers, each whole or not at all."""
        for line in self:
            if line.state == "queued":
                line._import_safely()
        return True

    def _import_safely(self):
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                dossier, count = self._import_dossier()
        except (UserError, ValidationError, AccessError, IntegrityError) as error:
            message = (
                error.args[0]
                if isinstance(error, UserError | ValidationError | AccessError)
                else self.env._(
                    "The database refused the dossier: %(error)s", error=error
                )
            )
            self._workflow_write({"state": "failed", "message": message})
            return
        self._workflow_write(
            {
                "state": "done",
                "dossier_id": dossier.id,
                "imported_count": count,
                "message": False,
            }
        )

    def _import_dossier(self):
        """Create or complete the dossier and file its new materials."""
        record = self.import_id
        payload = self.payload or {}
        rows = [
            catalog_import.material_from_dict(v) for v in payload.get("materials", [])
        ]
        dossier_row = (
            catalog_import.dossier_from_dict(payload["dossier"])
            if payload.get("dossier")
            else None
        )
        dossier = self._resolve_dossier(payload.get("identifier"), dossier_row)
        self._fill_location(dossier, dossier_row)
        existing = record._existing_materials(dossier.ids)[dossier.id]
        plan = catalog_import.plan_materials(rows, existing)
        if plan.issues:
            raise UserError(
                "\n".join(record._issue_message(issue) for issue in plan.issues)
            )
        record._create_materials(dossier, plan.new)
        if plan.new:
            dossier.message_post(
                body=self.env._(
                    "%(count)s materials imported from catalog file %(file)s.",
                    count=len(plan.new),
                    file=record.name,
                )
            )
        return dossier, len(plan.new)

    def _resolve_dossier(self, identifier, dossier_row):
        """The dossier of this archive number, created if the plan said so."""
        record = self.import_id
        dossier = record._find_dossiers([self.archive_number]).with_env(self.env)
        if dossier:
            dossier.check_access("write")
            return dossier
        employee = (
            record._find_employees([identifier]).get(identifier) if identifier else None
        )
        if not employee:
            if self.action != "cadre":
                raise UserError(
                    self.env._(
                        "The cadre of dossier %(number)s is no longer found.",
                        number=self.archive_number,
                    )
                )
            employee = self._create_cadre(identifier)
        return self._create_dossier(employee, dossier_row)

    def _create_cadre(self, identifier):
        """A new employee for a cadre unknown so far (managers only)."""
        record = self.import_id
        record._check_create_missing_allowed(True)
        if not record._user_keeps_unit(record.department_id):
            raise AccessError(self.env._("You do not keep the unit for new cadres."))
        # archive managers have no HR rights: the employee is made by the system,
        # after the checks above, with nothing but the file's name and number
        return (
            self.env["hr.employee"]
            .sudo()
            .create(
                {
                    "name": self.cadre_name,
                    "identification_id": identifier or False,
                    "department_id": record.department_id.id,
                    "company_id": record.company_id.id,
                }
            )
        )

    def _create_dossier(self, employee, dossier_row):
        row = dossier_row
        return (
            self.env["cadre.archive.dossier"]
            ._as_workflow()
            .create(
                {
                    "employee_id": employee.id,
                    "name": self.archive_number,
                    "company_id": self.import_id.company_id.id,
                    "copy_type": (row and row.copy_type) or "original",
                    "state": (row and row.state) or "in_stock",
                    "location_room": (row and row.location_room) or False,
                    "location_cabinet": (row and row.location_cabinet) or False,
                    "location_cell": (row and row.location_cell) or False,
                }
            )
        )

    def _fill_location(self, dossier, dossier_row):
        """Fill an existing dossier's location where it is empty, never more."""
        if not dossier_row:
            return
        vals = {
            name: getattr(dossier_row, name)
            for name in ("location_room", "location_cabinet", "location_cell")
            if getattr(dossier_row, name) and not dossier[name]
        }
        if vals:
            dossier.write(vals)


class CadreArchiveCatalogImportLine(models.Model):
    """A problem of a catalog file: its sheet, row, column and message."""

    _name = "cadre.archive.catalog.import.line"
    _description = "Catalog Import Problem"
    _inherit = ["cadre.archive.workflow.mixin"]
    _order = "import_id, id"

    _protected_fields = frozenset(
        {"import_id", "sheet", "row", "column", "archive_number", "severity", "message"}
    )

    import_id = fields.Many2one(
        "cadre.archive.catalog.import", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="import_id.company_id")
    sheet = fields.Char()
    row = fields.Integer()
    column = fields.Char()
    archive_number = fields.Char()
    severity = fields.Selection([("error", "Error"), ("warning", "Warning")])
    message = fields.Text()

    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        return super().write(vals)
