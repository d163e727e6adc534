# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from ..tools.constants import ID_DOCUMENT_TYPES


class ResPartner(models.Model):
    """Readers from other organisations (外单位查阅人员) are contacts whose
    company is their organisation; the archive records the identity document
    they show.

    The document is personal data that only archive officers need: the fields
    carry ``groups=`` so that no other user reads, searches or writes them,
    whatever path reads the contact.
    """

    _inherit = "res.partner"

    archive_id_type = fields.Selection(
        ID_DOCUMENT_TYPES,
        string="Identity Document",
        groups="cadre_archive.group_officer",
    )
    archive_id_number = fields.Char(
        string="Identity Document Number",
        groups="cadre_archive.group_officer",
        copy=False,
    )
