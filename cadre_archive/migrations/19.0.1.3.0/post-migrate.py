# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""19.0.1.3.0: a material gets its 顺序号 when it is filed, not as a draft.

Drafts typed in under 19.0.1.2.0 were numbered when created, so a deleted
draft left a gap. Their numbers are released: they are numbered when filed.
Drafts with scans keep theirs, as those were mostly made by the bulk import
of scans from the number written on the paper.
"""

from odoo.tools import SQL


def release_draft_numbers(cr):
    cr.execute(
        SQL(
            """
            UPDATE cadre_archive_material material
               SET sequence_number = NULL, code = NULL
             WHERE material.state = 'draft'
               AND NOT EXISTS (
                       SELECT 1
                         FROM ir_attachment scan
                        WHERE scan.res_model = 'cadre.archive.material'
                          AND scan.res_id = material.id
                   )
            """
        )
    )


def migrate(cr, version):
    if version:
        release_draft_numbers(cr)
