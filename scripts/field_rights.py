"""List, per role, which fields of the addon's models a client may write.

Run by ``scripts/field-rights`` with the Python of the Odoo it finds:

    python scripts/field_rights.py DB ADDONS_PATH DATA_DIR DB_HOST DB_PORT

For each model the addon defines or extends and each archive role (a plain
employee, a requester, an officer, a manager), it creates a user of that role
in a transaction that is rolled back, and prints the fields that user could
pass to ``create`` and to ``write`` over RPC: the model's access rights allow
the operation, the field is stored or has an inverse, the user is in its
``groups``, and it is not one of the model's system fields
(``_protected_fields``), nor a system field of scans. Record rules then decide
on which records; the output says which rule family applies. Nothing is
written to the database.
"""

import sys

ROLES = {
    "employee": "base.group_user",
    "requester": "cadre_archive.group_requester",
    "officer": "cadre_archive.group_officer",
    "manager": "cadre_archive.group_manager",
}
EXTENDED = (
    "ir.attachment",
    "hr.employee",
    "hr.employee.public",
    "res.users",
    "res.company",
    "res.config.settings",
    "mail.activity",
)
ADDON = "cadre_archive"


def writable_fields(model, user, operation):
    """Names of the addon's fields ``user`` may pass to ``operation``."""
    from odoo import models  # noqa: PLC0415 - Odoo's Python only

    records = model.with_user(user)
    if not records.has_access(operation):
        return None
    protected = set(getattr(model, "_protected_fields", ()))
    protected |= set(getattr(model, "_archive_system_fields", ()))
    names = []
    for name, field in model._fields.items():
        if field._module != ADDON:
            continue
        if name in models.MAGIC_COLUMNS or name in protected:
            continue
        if (
            field.compute
            and not field.inverse
            and not (field.store and not field.readonly)
        ):
            continue
        if field.related and field.readonly:
            continue
        if field.groups and not records._has_field_access(field, "write"):
            continue
        names.append(name)
    return sorted(names)


def main(db, addons_path, data_dir, db_host, db_port):
    import odoo  # noqa: PLC0415 - Odoo's Python only
    from odoo import api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config._parse_config(
        [
            f"--addons-path={addons_path}",
            f"--data-dir={data_dir}",
            f"--db_host={db_host}",
            f"--db_port={db_port}",
        ]
    )
    registry = Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        users = {
            role: env["res.users"].create(
                {
                    "name": f"rights {role}",
                    "login": f"__rights_{role}",
                    "group_ids": [(6, 0, [env.ref(xmlid).id])],
                }
            )
            for role, xmlid in ROLES.items()
        }
        models = sorted(
            name
            for name in env.registry
            if name.startswith("cadre.archive.") and not env[name]._abstract
        ) + list(EXTENDED)
        print("| model | role | create | write |")
        print("|---|---|---|---|")
        for name in models:
            model = env[name]
            for role, user in users.items():
                create = writable_fields(model, user, "create")
                write = writable_fields(model, user, "write")
                if create is None and write is None:
                    continue
                print(
                    f"| {name} | {role} | "
                    f"{', '.join(create) if create is not None else '(no right)'} | "
                    f"{', '.join(write) if write is not None else '(no right)'} |"
                )
        cr.rollback()


if __name__ == "__main__":
    main(*sys.argv[1:6])
