# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The upload of scans from the material form.

Odoo's ``/web/binary/upload_attachment`` creates each file on its own and
answers any refusal with "Something horrible happened", keeping what a failed
file left behind. Scans are evidence: this route creates the files of one
upload together, in the order given, as the logged-in user (so every check of
``ir.attachment`` applies), and either takes them all or none, answering the
refusal in plain words.
"""

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request


class CadreArchiveScanUpload(http.Controller):
    @http.route(
        "/cadre_archive/material/<int:material_id>/scans",
        type="http",
        auth="user",
        methods=["POST"],
    )
    def upload_scans(self, material_id, **kwargs):
        files = [
            {"name": upload.filename, "raw": upload.read()}
            for upload in request.httprequest.files.getlist("ufile")
        ]
        material = request.env["cadre.archive.material"].browse(material_id)
        try:
            with request.env.cr.savepoint():
                scans = material._add_draft_scans(files)
        except (AccessError, MissingError):
            return request.make_json_response(
                {
                    "error": request.env._(
                        "You may only add scans to the draft materials of the "
                        "dossiers you keep."
                    )
                }
            )
        except (UserError, ValidationError) as error:
            return request.make_json_response({"error": error.args[0]})
        return request.make_json_response({"ids": scans.ids})
