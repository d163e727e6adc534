# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The watermarked viewer of archive scans.

Every route reads the material and its scans as the logged-in user, so the
record rules decide (an approved request inside its period, or the officer's
units): nothing here reads a scan with sudo for someone the rules would
refuse. Each served page, download and print is written to the access log.

A reading-room request opens only on the reading room's workstations once an
officer confirmed the reader's presence that day (decided with the grant, in
``cadre.archive.request.access.mixin``); when that is what holds a user back,
the refusal says so instead of pretending the material does not exist.
"""

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request


class CadreArchiveViewer(http.Controller):
    def _refusal(self):
        """The answer when nothing is served: why, when the user's own
        reading-room request is held back (not a workstation of the room,
        presence not confirmed today), else as if the material did not exist."""
        reason = request.env["cadre.archive.request"]._reading_room_refusal()
        return Forbidden(reason) if reason else NotFound()

    def _material(self, material_id):
        material = request.env["cadre.archive.material"].browse(material_id)
        try:
            material.check_access("read")
            material.fetch(["state"])
        except (AccessError, MissingError) as error:
            raise self._refusal() from error
        return material

    def _scan(self, attachment_id):
        attachment = request.env["ir.attachment"].browse(attachment_id)
        try:
            attachment.check_access("read")
            res_model, res_id = attachment.sudo().res_model, attachment.sudo().res_id
        except (AccessError, MissingError) as error:
            raise self._refusal() from error
        if res_model != "cadre.archive.material":
            raise NotFound()
        return attachment, self._material(res_id)

    @http.route(
        "/cadre_archive/material/<int:material_id>/view",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def view_material(self, material_id, **kwargs):
        material = self._material(material_id)
        grant = material._archive_grant()
        return request.render(
            "cadre_archive.material_viewer",
            {
                "material": material,
                "pages": material._viewer_pages(grant),
                "grant": grant,
                "page_caption": request.env._("Page %s"),
            },
            headers={"Cache-Control": "no-store", "X-Frame-Options": "SAMEORIGIN"},
        )

    @http.route(
        "/cadre_archive/scan/<int:attachment_id>/page/<int:page>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def scan_page(self, attachment_id, page, **kwargs):
        attachment, material = self._scan(attachment_id)
        image = material._render_watermarked_page(attachment, page)
        return request.make_response(
            image,
            headers=[
                ("Content-Type", "image/png"),
                ("Cache-Control", "no-store"),
                ("Content-Disposition", "inline"),
            ],
        )

    @http.route(
        "/cadre_archive/scan/<int:attachment_id>/download",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def scan_download(self, attachment_id, **kwargs):
        attachment, material = self._scan(attachment_id)
        try:
            data = material._download_scan(attachment)
        except AccessError as error:
            raise Forbidden() from error
        return request.make_response(
            data,
            headers=[
                ("Content-Type", attachment.sudo().mimetype),
                ("Cache-Control", "no-store"),
                (
                    "Content-Disposition",
                    http.content_disposition(attachment.sudo().name),
                ),
            ],
        )

    @http.route(
        "/cadre_archive/material/<int:material_id>/print",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def print_material(self, material_id, **kwargs):
        material = self._material(material_id)
        try:
            pdf = material._print_watermarked()
        except AccessError as error:
            raise Forbidden() from error
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Cache-Control", "no-store"),
                ("Content-Disposition", f'inline; filename="{material.code}.pdf"'),
            ],
        )
