# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import reprlib

from odoo import models
from odoo.exceptions import UserError, ValidationError

from ..lib import values as lib_values

# Put in the context by the addon's own workflow methods to set system fields.
# An object cannot travel through RPC, so no client can forge it (the pattern of
# OCA queue_job's EDIT_SENTINEL).
WORKFLOW_SENTINEL = object()
# Put in the context by an approved rearrangement (重新整理) only: the one path
# by which a filed material's 顺序号 ever changes.
RENUMBER_SENTINEL = object()
# What a JSON-RPC client can send as a field's value.
JSON_TYPES = (str, int, float, list, dict)


class CadreArchiveWorkflowMixin(models.AbstractModel):
    """System fields (states, numbers, approvals) that no client may write."""

    _name = "cadre.archive.workflow.mixin"
    _description = "Archive System Fields"

    WORKFLOW_SENTINEL = WORKFLOW_SENTINEL
    _protected_fields = frozenset()

    def _post_note(self, body):
        """Say in the record's chatter, as the current user, what the archive
        did (a decision, scans attached): the message keeps who and when."""
        self.ensure_one()
        self.sudo().message_post(
            body=body,
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    def _is_workflow_write(self):
        return self.env.context.get("cadre_archive_workflow") is WORKFLOW_SENTINEL

    def _as_workflow(self):
        """This recordset, allowed to write its system fields."""
        return self.with_context(cadre_archive_workflow=WORKFLOW_SENTINEL)

    def _workflow_write(self, vals):
        return self._as_workflow().write(vals)

    def _protected_values_allowed(self, vals):
        """Protected fields a client may still pass (e.g. a default on create)."""
        return set()

    def _check_value_shapes(self, vals_list):
        """Refuse values of a shape their field cannot take (a list for a date,
        an id beyond int4...): the ORM would fail on them deep inside, with a
        TypeError or a database error, instead of telling the client."""
        for vals in vals_list:
            for name, value in vals.items():
                field = self._fields.get(name)
                if field is None or not isinstance(value, JSON_TYPES):
                    # an unknown field is the ORM's own ValueError; records,
                    # dates and new ids come from server code, never a client
                    continue
                if not lib_values.fits(field.type, value):
                    raise ValidationError(
                        self.env._(
                            "This is not a valid value for the field %(field)s: "
                            "%(value)s.",
                            field=field._description_string(self.env),
                            value=reprlib.repr(value),
                        )
                    )

    def _check_protected_vals(self, vals_list):
        """Refuse client writes on the system fields (and values of the wrong
        shape, see ``_check_value_shapes``)."""
        self._check_value_shapes(vals_list)
        if self._is_workflow_write():
            return
        for vals in vals_list:
            protected = sorted(
                self._protected_fields.intersection(vals)
                - self._protected_values_allowed(vals)
            )
            if protected:
                raise UserError(
                    self.env._(
                        "These fields are set by the archive itself and cannot be "
                        "changed directly: %(fields)s.",
                        fields=", ".join(
                            self._fields[name]._description_string(self.env)
                            for name in protected
                        ),
                    )
                )
