# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""19.0.1.9.0: the officers' rule on materials names their units as ids.

The rule said ``child_of`` the officer's units, which the ORM turns into a
join of the unit tree on every material searched: a common word was then
looked for in the whole archive before the officer's units were kept. The
rule now reads ``archive_unit_kept``, whose search resolves the same units
(and those below them) to ids when the query runs. Rules are ``noupdate``:
the record is rewritten here, unless someone changed it by hand.
"""

from odoo import SUPERUSER_ID, api

OLD = "[('department_id', 'child_of', user.archive_department_ids.ids)]"
NEW = "[('archive_unit_kept', '=', True)]"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref("cadre_archive.rule_material_officer", raise_if_not_found=False)
    if rule and rule.domain_force == OLD:
        rule.domain_force = NEW
