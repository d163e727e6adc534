# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""19.0.1.2.0: requests are approved in tiers by named approvers.

A request of 19.0.1.1.0 had one tier, decided by whoever its approval
activities were assigned to. Submitted requests keep exactly those approvers
as their one tier, so that nothing pending is left without an approver;
decided ones are recorded as decided at tier 1 of 1.
"""

from odoo.tools import SQL


def keep_pending_approvers(cr):
    cr.execute(
        SQL(
            """
            INSERT INTO cadre_archive_request_tier1_approver_rel (request_id, user_id)
                 SELECT DISTINCT request.id, activity.user_id
                   FROM mail_activity activity
                   JOIN cadre_archive_request request ON request.id = activity.res_id
                   JOIN ir_model_data data
                     ON data.model = 'mail.activity.type'
                    AND data.res_id = activity.activity_type_id
                  WHERE activity.res_model = 'cadre.archive.request'
                    AND activity.active
                    AND activity.user_id IS NOT NULL
                    AND data.module = 'cadre_archive'
                    AND data.name = 'mail_act_archive_request_approval'
                    AND request.state = 'submitted'
                    AND COALESCE(request.approval_tier, 0) = 0
            ON CONFLICT DO NOTHING
            """
        )
    )
    cr.execute(
        SQL(
            """
            UPDATE cadre_archive_request
               SET approval_tier = 1, approval_tier_count = 1
             WHERE state IN ('submitted', 'approved', 'refused', 'done')
               AND COALESCE(approval_tier, 0) = 0
            """
        )
    )
    return cr.rowcount


def migrate(cr, version):
    if version:
        keep_pending_approvers(cr)
