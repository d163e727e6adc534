# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.http import request
from odoo.tools import str2bool

from ..tools.constants import MATERIAL_MODEL


class IrBinary(models.AbstractModel):
    """``/web/content`` and ``/web/image`` on archive scans.

    The raw file of a scan goes only to a user who may read its material under
    the record rules and who holds the download permission (archive staff, or a
    request allowing downloads); no access token or public flag opens it. The
    file asked for with ``download`` is logged as a download; the thumbnails
    and previews the archive staff see on the material form as archive work.
    """

    _inherit = "ir.binary"

    def _find_record(
        self,
        xmlid=None,
        res_model="ir.attachment",
        res_id=None,
        access_token=None,
        field=None,
    ):
        record = super()._find_record(
            xmlid=xmlid,
            res_model=res_model,
            res_id=res_id,
            access_token=access_token,
            field=field,
        )
        if (
            record._name == "ir.attachment"
            and record.sudo().res_model == MATERIAL_MODEL
        ):
            scan = record.with_env(self.env)
            scan.check_access("read")
            material = self.env[MATERIAL_MODEL].browse(scan.sudo().res_id)
            material._check_original_served(scan, self._archive_download_asked())
            return scan.sudo()
        if record._name == MATERIAL_MODEL:
            record.with_env(self.env).check_access("read")
        return record

    def _archive_download_asked(self):
        """Whether the HTTP call asks for the file as a download (the
        ``download`` parameter of ``/web/content`` and ``/web/image``)."""
        if not request:
            return True
        return str2bool(request.httprequest.args.get("download") or "0", False)
