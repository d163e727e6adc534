# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""19.0.1.1.0: a request stores the cadres it names; its dossiers follow from them.

Databases of 19.0.1.0.0 hold only the request-dossier links: the cadres are
filled from them, one per dossier, so that nothing a request named is lost.
"""

from odoo.tools import SQL


def fill_request_cadres(cr):
    cr.execute(
        SQL(
            """
            INSERT INTO cadre_archive_request_cadre_rel (request_id, employee_id)
                 SELECT rel.request_id, dossier.employee_id
                   FROM cadre_archive_request_dossier_rel rel
                   JOIN cadre_archive_dossier dossier ON dossier.id = rel.dossier_id
            ON CONFLICT DO NOTHING
            """
        )
    )
    return cr.rowcount


def migrate(cr, version):
    if version:
        fill_request_cadres(cr)
