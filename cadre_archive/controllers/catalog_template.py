# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The downloadable template of the catalog import (目录导入模板)."""

from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.http import request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAME = "干部人事档案目录导入模板.xlsx"


class CadreArchiveCatalogTemplate(http.Controller):
    @http.route(
        "/cadre_archive/catalog_template", type="http", auth="user", methods=["GET"]
    )
    def catalog_template(self, **kwargs):
        """The XLSX template, for archive officers (who import catalogs)."""
        if not request.env.user.has_group("cadre_archive.group_officer"):
            raise Forbidden()
        data = request.env["cadre.archive.catalog.import"]._template_bytes()
        return request.make_response(
            data,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Length", str(len(data))),
                ("Content-Disposition", http.content_disposition(TEMPLATE_NAME)),
            ],
        )
