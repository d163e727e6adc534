# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import page_ranges
from ..tools import lib_errors
from ..tools.constants import MATERIAL_MODEL, REQUEST_MODEL

COPY_KINDS = [("excerpt", "Excerpt (摘抄)"), ("copy", "Copy (复制)")]


class CadreArchiveRequestCopy(models.Model):
    """An excerpt or copy (摘抄、复制) made for a consultation request.

    Recorded by the archive officer who keeps the material, only for a filed
    material the request opens and only while the request allows copies
    (``cadre.archive.request._allows_copies``). Like the access log, where
    each record also appears, it is never changed nor deleted: it is part of
    the archive's record of what left the archive.
    """

    _name = "cadre.archive.request.copy"
    _description = "Excerpt or Copy Made for a Request"
    _inherit = ["cadre.archive.workflow.mixin"]
    _order = "date desc, id desc"

    # the day of recording (in the archive's time zone) and the number of
    # pages read from ``pages`` are the system's
    _protected_fields = frozenset({"date", "page_total"})

    request_id = fields.Many2one(
        REQUEST_MODEL, required=True, index=True, ondelete="restrict"
    )
    requester_id = fields.Many2one(
        related="request_id.requester_id", string="Reader", store=True
    )
    material_id = fields.Many2one(
        MATERIAL_MODEL,
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('state', '=', 'filed')]",
    )
    dossier_id = fields.Many2one(related="material_id.dossier_id", store=True)
    department_id = fields.Many2one(
        related="material_id.department_id", store=True, index=True
    )
    company_id = fields.Many2one(
        related="material_id.company_id", store=True, index=True
    )
    kind = fields.Selection(COPY_KINDS, required=True, default="copy")
    pages = fields.Char(
        required=True,
        help="Pages of the material taken, as in its catalog: 1-3,5 for pages 1 "
        "to 3 and page 5.",
    )
    page_total = fields.Integer(string="Number of Pages", readonly=True)
    copy_count = fields.Integer(string="Number of Copies", required=True, default=1)
    approved_by_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        help="The archive officer or manager who approved this excerpt or copy.",
    )
    date = fields.Date(
        required=True,
        readonly=True,
        default=lambda self: self.env.company._archive_today(),
    )
    access_log_ids = fields.One2many("cadre.archive.access.log", "copy_id")
    request_dossier_ids = fields.Many2many(
        "cadre.archive.dossier",
        compute="_compute_request_dossier_ids",
        help="Technical: the request's dossiers the user keeps, to offer their "
        "materials.",
    )

    _copy_count_positive = models.Constraint(
        "CHECK (copy_count > 0)", "At least one copy is made."
    )

    @api.depends("request_id")
    def _compute_request_dossier_ids(self):
        for record in self:
            dossiers = (
                record.request_id._cadre_dossiers()
                if record.request_id
                else self.env["cadre.archive.dossier"]
            )
            record.request_dossier_ids = dossiers.with_env(self.env)._filtered_access(
                "read"
            )

    @api.depends("kind", "material_id", "pages")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for record in self:
            record.display_name = self.env._(
                "%(kind)s of %(material)s, pages %(pages)s",
                kind=kinds.get(record.kind, ""),
                material=record.material_id.sudo().code or "",
                pages=record.pages or "",
            )

    # ------------------------------------------------------------------
    # Creation: by the officer keeping the material, within the grant
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        for vals in vals_list:
            request, material = self._check_copy_target(vals)
            self._check_approver(vals.get("approved_by_id"), request)
            vals.update(self._pages_values(vals.get("pages"), material))
            vals["date"] = material.company_id.sudo()._archive_today()
        records = super().create(vals_list)
        records._log_in_access_log()
        return records

    def _protected_values_allowed(self, vals):
        # the form sends the default day back: today is what it would be anyway
        if not self and vals.get("date") in (
            str(self.env.company._archive_today()),
            self.env.company._archive_today(),
        ):
            return {"date"}
        return set()

    @api.model
    def _check_copy_target(self, vals):
        """The request and material of a new record, once the checks passed.

        In order, so that no message names what the user may not read: the
        user keeps the material (an archive officer of its unit, or a manager
        of its company), the material is one the request opens, and the
        request allows this kind of copy now.
        """
        request = self.env[REQUEST_MODEL].browse(vals.get("request_id") or [])
        material = self.env[MATERIAL_MODEL].browse(vals.get("material_id") or [])
        if not (
            self.env.user.has_group("cadre_archive.group_officer")
            and material.exists()
            and material.has_access("read")
            and self.env.user._archive_keeps(material)
        ):
            raise AccessError(
                self.env._(
                    "Only the archive officers keeping a material record the "
                    "excerpts and copies made of it."
                )
            )
        if not request.exists() or not request.has_access("read"):
            raise AccessError(self.env._("This request does not exist."))
        if request.requester_id == self.env.user:
            raise AccessError(
                self.env._(
                    "Nobody records the excerpts and copies made for their own request."
                )
            )
        if not request._grants_material(material):
            raise ValidationError(
                self.env._(
                    "Request %(request)s does not open %(material)s: copies are "
                    "made only of the materials a request opens.",
                    request=request.name,
                    material=material.display_name,
                )
            )
        kind = vals.get("kind") or self._fields["kind"].default(self)
        if not request._allows_copies(kind):
            raise ValidationError(
                self.env._(
                    "Request %(request)s does not allow this now: it must be "
                    "approved, within its period, and its approval form must ask "
                    "for excerpts (摘抄) or copies (复制) of this kind.",
                    request=request.name,
                )
            )
        return request, material

    @api.model
    def _pages_values(self, text, material):
        """The pages as canonical text (1-3,5) and their number, checked
        against the material's page count in the catalog."""
        with lib_errors(self.env, ValidationError):
            ranges = page_ranges.parse_pages(text, material.sudo().page_count)
        return {
            "pages": page_ranges.format_pages(ranges),
            "page_total": page_ranges.count_pages(ranges),
        }

    @api.model
    def _check_approver(self, user_id, request):
        """Excerpts and copies are approved by archive staff, never by the
        reader they are made for."""
        approver = self.env["res.users"].browse(user_id or self.env.uid)
        if (
            not approver.exists()
            or not approver.has_group("cadre_archive.group_officer")
            or approver == request.requester_id
        ):
            raise ValidationError(
                self.env._(
                    "An excerpt or copy is approved by an archive officer or "
                    "manager other than its reader."
                )
            )

    def _log_in_access_log(self):
        """Write each excerpt or copy to the access log of its material."""
        log = self.env["cadre.archive.access.log"]
        for record in self:
            log._log_copy(record)

    # ------------------------------------------------------------------
    # Never changed, never deleted
    # ------------------------------------------------------------------
    def write(self, vals):
        if vals:
            raise UserError(
                self.env._(
                    "A recorded excerpt or copy cannot be changed: it is part of "
                    "the archive's record. Record a new one if needed."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "A recorded excerpt or copy cannot be deleted: it is part of the "
                "archive's record."
            )
        )
