# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The watermarked page viewer of archive scans, for requesters and officers.

Every route reads the material and its scans as the logged-in user, so the
record rules decide (an approved request inside its period, or the officer's
units): nothing here reads a scan with sudo for someone the rules would
refuse. Each served page, download and print is written to the access log;
the viewer page itself shows one page at a time, so the log holds the pages
a person actually saw.

A refusal is a plain page with a sentence saying what to do instead, never
the web server's bare error page. A reading-room request opens only on the
reading room's workstations once an officer confirmed the reader's presence
that day (decided with the grant, in ``cadre.archive.request.access.mixin``);
a request whose period is not running says so; a scan missing from the file
store or altered since it was archived says so; otherwise the refusal is the
same whether the material does not exist or is not open to the user.
"""

import functools

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from ..lib import watermark
from ..models.cadre_archive_material import DamagedScan
from ..tools.constants import MATERIAL_MODEL, REQUEST_MODEL

CONSULT_ACTION = "cadre_archive.action_cadre_archive_material_consult"


class ViewerRefusal(Exception):
    """What the viewer answers instead of a page: an HTTP status and a
    sentence naming what to do."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def plain_refusals(route):
    """Answer a ViewerRefusal raised by ``route`` with the refusal page."""

    @functools.wraps(route)
    def answer(self, *args, **kwargs):
        try:
            return route(self, *args, **kwargs)
        except ViewerRefusal as refusal:
            return self._refusal_page(refusal)
        except DamagedScan as damaged:
            # the scan's verdict and the officers' alert were just recorded:
            # answered as a page (not an error), the transaction keeps them
            return self._refusal_page(ViewerRefusal(damaged.status, damaged.args[0]))

    return answer


class CadreArchiveViewer(http.Controller):
    # ------------------------------------------------------------------
    # Refusals
    # ------------------------------------------------------------------
    def _refusal(self, material=None):
        """Why nothing is served: the user's own reading-room request held
        back, the period of the user's request that opens ``material`` not
        running, else as if the material did not exist."""
        reason = request.env[REQUEST_MODEL]._reading_room_refusal()
        if not reason and material:
            reason = material._archive_period_refusal()
        if reason:
            return ViewerRefusal(403, reason)
        return ViewerRefusal(
            404,
            request.env._(
                "There is nothing to show here: the material does not exist or "
                "is not open to you. Find what you may read under Materials Open "
                "to Me, or file a consultation request for the cadre."
            ),
        )

    def _refusal_page(self, refusal):
        return request.render(
            "cadre_archive.viewer_refusal",
            {
                "title": request.env._("Personnel Archive"),
                "message": refusal.message,
                "back_url": self._back_to_archive_url(),
            },
            status=refusal.status,
            headers={"Cache-Control": "no-store", "X-Frame-Options": "SAMEORIGIN"},
        )

    def _back_to_archive_url(self):
        if request.env.user.has_group("cadre_archive.group_requester"):
            return f"/odoo/action-{CONSULT_ACTION}"
        return "/odoo"

    # ------------------------------------------------------------------
    # What the user asks for, as the user reads it
    # ------------------------------------------------------------------
    def _material(self, material_id):
        material = request.env[MATERIAL_MODEL].browse(material_id)
        try:
            material.check_access("read")
            material.fetch(["state"])
        except (AccessError, MissingError) as error:
            raise self._refusal(material.exists()) from error
        return material

    def _scan(self, attachment_id):
        attachment = request.env["ir.attachment"].browse(attachment_id)
        holder = attachment.sudo().exists()
        if holder.res_model != MATERIAL_MODEL:
            raise self._refusal()
        try:
            attachment.check_access("read")
        except AccessError as error:
            raise self._refusal(
                request.env[MATERIAL_MODEL].browse(holder.res_id).exists()
            ) from error
        return attachment, self._material(holder.res_id)

    # ------------------------------------------------------------------
    # The viewer page: one watermarked page at a time
    # ------------------------------------------------------------------
    @http.route(
        "/cadre_archive/material/<int:material_id>/view",
        type="http",
        auth="user",
        methods=["GET"],
    )
    @plain_refusals
    def view_material(self, material_id, page=None, **kwargs):
        material = self._material(material_id)
        try:
            grant = material._archive_grant()
        except AccessError as error:
            raise self._refusal(material) from error
        pages = material._viewer_pages(grant)
        number = self._page_number(page, len(pages))
        return request.render(
            "cadre_archive.material_viewer",
            self._viewer_values(material, grant, pages, number),
            headers={"Cache-Control": "no-store", "X-Frame-Options": "SAMEORIGIN"},
        )

    @staticmethod
    def _page_number(page, count):
        """The page asked for, within 1..count (the first when unclear)."""
        try:
            number = int(page or 1)
        except ValueError:
            number = 1
        return min(max(number, 1), max(count, 1))

    def _viewer_values(self, material, grant, pages, number):
        count = len(pages)
        scan, scan_page = pages[number - 1] if pages else (None, 0)
        if count:
            title = request.env._(
                "%(material)s, page %(page)s of %(count)s",
                material=material.display_name,
                page=number,
                count=count,
            )
        else:
            title = material.display_name
        return {
            "title": title,
            "material": material,
            "grant": grant,
            "count": count,
            "number": number,
            "scan": scan,
            "scan_page": scan_page,
            "page_url": f"/cadre_archive/material/{material.id}/view?page=%s",
            "page_label": request.env._(
                "Page %(page)s of %(count)s", page=number, count=count
            ),
            "scan_label": scan
            and request.env._(
                "Scan %(scan)s, page %(page)s",
                scan=scan.sudo().name,
                page=scan_page,
            ),
            "back_links": self._back_links(material, grant),
        }

    def _back_links(self, material, grant):
        """(label, url) of the screens the viewer leads back to."""
        if grant.kept:
            return [
                (
                    request.env._("Back to the Material"),
                    f"/odoo/{MATERIAL_MODEL}/{material.id}",
                ),
                (
                    request.env._(
                        "Dossier %(dossier)s", dossier=material.dossier_id.display_name
                    ),
                    f"/odoo/cadre.archive.dossier/{material.dossier_id.id}",
                ),
            ]
        return [
            (
                request.env._("Back to Materials Open to Me"),
                f"/odoo/action-{CONSULT_ACTION}",
            )
        ]

    # ------------------------------------------------------------------
    # Pages, originals and prints (each logged by the material)
    # ------------------------------------------------------------------
    @http.route(
        "/cadre_archive/scan/<int:attachment_id>/page/<int:page>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    @plain_refusals
    def scan_page(self, attachment_id, page, **kwargs):
        attachment, material = self._scan(attachment_id)
        try:
            image = material._render_watermarked_page(attachment, page)
        except AccessError as error:
            raise self._refusal(material) from error
        return request.make_response(
            image,
            headers=[
                ("Content-Type", f"image/{watermark.VIEWER_IMAGE_FORMAT.lower()}"),
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
    @plain_refusals
    def scan_download(self, attachment_id, **kwargs):
        attachment, material = self._scan(attachment_id)
        try:
            data = material._download_scan(attachment)
        except AccessError as error:
            raise ViewerRefusal(403, error.args[0]) from error
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
    @plain_refusals
    def print_material(self, material_id, **kwargs):
        material = self._material(material_id)
        try:
            pdf = material._print_watermarked()
        except AccessError as error:
            raise ViewerRefusal(403, error.args[0]) from error
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Cache-Control", "no-store"),
                ("Content-Disposition", f'inline; filename="{material.code}.pdf"'),
            ],
        )
