# ruff: noqa: E501 - the changes are quoted whole, as they stand in the code
"""The rules of the Odoo layer, each with a change that breaks it on purpose.

Used by ``scripts/mutation-odoo``: for each entry, a throwaway copy of the
addon gets the change (``old`` replaced by ``new`` in ``path``, which must
match exactly once), the narrowed Odoo tests (``tests``, test classes) run
against it, and the mutation is *caught* when at least one of them fails.
Every rule a later issue adds gets its line here.

Printed with ``python scripts/mutations_odoo.py`` (one line per mutation).
"""

MUTATIONS = [
    # --- filed materials are evidence (CONTRACT: filed lock, scan lock)
    {
        "rule": "filed lock: a filed material's content cannot change",
        "path": "models/cadre_archive_material.py",
        "old": "        locked = set(vals) - self._filed_writable_fields\n",
        "new": "        locked = set()\n",
        "tests": ["TestFiledLock", "TestRpcLock"],
    },
    {
        "rule": "filed lock: a filed material cannot be deleted",
        "path": "models/cadre_archive_material.py",
        "old": '        filed = self.filtered(lambda m: m.state == "filed")\n        if filed:\n            raise UserError(\n                self.env._(\n                    "Filed materials are evidence',
        "new": '        filed = self.browse()\n        if filed:\n            raise UserError(\n                self.env._(\n                    "Filed materials are evidence',
        "tests": ["TestFiledLock", "TestRpcLock"],
    },
    {
        "rule": "scan lock: scans of a filed material stay as they are",
        "path": "models/ir_attachment.py",
        "old": '        filed = materials.filtered(lambda m: m.state == "filed")\n',
        "new": "        filed = materials.browse()\n",
        "tests": ["TestFiledLock", "TestRpcLock"],
    },
    # --- record rules
    {
        "rule": "rule: officers keep the dossiers of their units only",
        "path": "security/cadre_archive_security.xml",
        "old": '<field name="domain_force">[(\'department_id\', \'child_of\', user.archive_department_ids.ids)]</field>\n        <field name="groups" eval="[(4, ref(\'group_officer\'))]"/>\n    </record>\n\n    <record id="rule_dossier_manager"',
        "new": '<field name="domain_force">[(1, \'=\', 1)]</field>\n        <field name="groups" eval="[(4, ref(\'group_officer\'))]"/>\n    </record>\n\n    <record id="rule_dossier_manager"',
        "tests": ["TestAccessMatrix"],
    },
    {
        "rule": "rule: officers keep the materials of their units only",
        "path": "security/cadre_archive_security.xml",
        "old": '<field name="domain_force">[(\'department_id\', \'child_of\', user.archive_department_ids.ids)]</field>\n        <field name="groups" eval="[(4, ref(\'group_officer\'))]"/>\n    </record>\n\n    <record id="rule_material_manager"',
        "new": '<field name="domain_force">[(1, \'=\', 1)]</field>\n        <field name="groups" eval="[(4, ref(\'group_officer\'))]"/>\n    </record>\n\n    <record id="rule_material_manager"',
        "tests": ["TestAccessMatrix"],
    },
    {
        "rule": "rule: requesters see their own requests only",
        "path": "security/cadre_archive_security.xml",
        "old": "<field name=\"domain_force\">[('requester_id', '=', user.id)]</field>",
        "new": "<field name=\"domain_force\">[(1, '=', 1)]</field>",
        "tests": ["TestRequestPeriodAndScope", "TestRequestLifecycle"],
    },
    {
        "rule": "rule: officers read the access log of their units only",
        "path": "security/cadre_archive_security.xml",
        "old": '<field name="domain_force">[(\'department_id\', \'child_of\', user.archive_department_ids.ids)]</field>\n        <field name="groups" eval="[(4, ref(\'group_officer\'))]"/>\n    </record>\n\n    <record id="rule_access_log_manager"',
        "new": '<field name="domain_force">[(1, \'=\', 1)]</field>\n        <field name="groups" eval="[(4, ref(\'group_officer\'))]"/>\n    </record>\n\n    <record id="rule_access_log_manager"',
        "tests": ["TestAccessLogAndLending"],
    },
    {
        "rule": "rule: officers keep the pages of their units only",
        "path": "security/cadre_archive_security.xml",
        "old": '<field name="domain_force">[(\'department_id\', \'child_of\', user.archive_department_ids.ids)]</field>\n        <field name="groups" eval="[(4, ref(\'group_officer\'))]"/>\n    </record>\n\n    <record id="rule_page_manager"',
        "new": '<field name="domain_force">[(1, \'=\', 1)]</field>\n        <field name="groups" eval="[(4, ref(\'group_officer\'))]"/>\n    </record>\n\n    <record id="rule_page_manager"',
        "tests": ["TestAttacks"],
    },
    {
        "rule": "rule: wizards are readable by their creator only",
        "path": "security/cadre_archive_security.xml",
        "old": '<field name="model_id" ref="model_cadre_archive_import"/>\n        <field name="domain_force">[(\'create_uid\', \'=\', user.id)]</field>',
        "new": '<field name="model_id" ref="model_cadre_archive_import"/>\n        <field name="domain_force">[(1, \'=\', 1)]</field>',
        "tests": ["TestAttacks"],
    },
    # --- the request window
    {
        "rule": "window: access ends at the end of the approved period",
        "path": "models/cadre_archive_request_access_mixin.py",
        "old": '" AND r.access_start <= %s AND r.access_end > %s"',
        "new": "\" AND r.access_start <= %s AND r.access_end + interval '1 day' > %s\"",
        "tests": ["TestRequestPeriodAndScope"],
    },
    {
        "rule": "window: fixed at approval in the archive's time zone",
        "path": "models/cadre_archive_request.py",
        "old": "                self.date_start, self.date_end, self.company_id._archive_tz()\n",
        "new": "                self.date_start, self.date_end, self.requester_id.tz\n",
        "tests": ["TestRequestPeriodAndScope", "TestAttacks"],
    },
    {
        "rule": "window: a requester cannot write the window",
        "path": "models/cadre_archive_request.py",
        "old": '            "access_start",\n            "access_end",\n            "allow_view",\n',
        "new": '            "allow_view",\n',
        "tests": ["TestAttacks"],
    },
    {
        "rule": "scope: an approver narrows, never widens",
        "path": "models/cadre_archive_request.py",
        "old": "            if asked and not request.category_ids <= asked | asked.child_ids:",
        "new": "            if False:",
        "tests": ["TestRequestLifecycle"],
    },
    # --- 回避
    {
        "rule": "回避: nobody reads their own or a relative's dossier",
        "path": "security/cadre_archive_security.xml",
        "old": "<field name=\"domain_force\">[('dossier_id.employee_id.user_id', '!=', user.id), ('dossier_id.relative_ids', 'not any', [('employee_id.user_id', '=', user.id)])]</field>",
        "new": "<field name=\"domain_force\">[(1, '=', 1)]</field>",
        "tests": ["TestRequestRefusals", "TestAccessMatrix"],
    },
    {
        "rule": "回避: a request never names one's own dossier",
        "path": "models/cadre_archive_request.py",
        "old": "            if dossier.employee_id.user_id == user or (",
        "new": "            if False and (",
        "tests": ["TestRequestRefusals"],
    },
    # --- logging and watermarking
    {
        "rule": "log: every page served is logged",
        "path": "models/cadre_archive_material.py",
        "old": '        self.env["cadre.archive.access.log"]._log(\n            self, "view", grant.request, scan, page\n        )',
        "new": '        if page == 1:\n            self.env["cadre.archive.access.log"]._log(\n                self, "view", grant.request, scan, page\n            )',
        "tests": ["TestEveryPageIsLogged", "TestRequestHttp"],
    },
    {
        "rule": "log: downloads are logged",
        "path": "models/cadre_archive_material.py",
        "old": '        self.env["cadre.archive.access.log"]._log(self, "download", request, scan)',
        "new": "        pass",
        "tests": ["TestAccessLogAndLending", "TestRequestHttp"],
    },
    {
        "rule": "log: nobody edits the log",
        "path": "models/cadre_archive_access_log.py",
        "old": "        if vals:\n            raise UserError",
        "new": "        if False:\n            raise UserError",
        "tests": ["TestAccessLogAndLending"],
    },
    {
        "rule": "watermark: the viewer's name besides the login",
        "path": "models/cadre_archive_material.py",
        "old": '            f"{user.name} ({user.login})",',
        "new": '            f"({user.login})",',
        "tests": ["TestWatermarkLines"],
    },
    {
        "rule": "watermark: the request reference",
        "path": "models/cadre_archive_material.py",
        "old": '            request.name if request else self.env._("Archive staff"),',
        "new": '            self.env._("Archive staff"),',
        "tests": ["TestWatermarkLines", "TestRequestHttp"],
    },
    {
        "rule": "download: the raw file needs the download permission",
        "path": "models/cadre_archive_material.py",
        "old": "        if not grant.can_download:",
        "new": "        if False:",
        "tests": ["TestRequestHttp"],
    },
    # --- numbering
    {
        "rule": "numbering: the next 份号 in the dossier and category",
        "path": "models/cadre_archive_material.py",
        "old": "        return numbering.next_number(row[0] for row in self.env.cr.fetchall())",
        "new": "        return numbering.next_number([])",
        "tests": ["TestMaterialNumbering"],
    },
    {
        "rule": "numbering: concurrent creations are serialized",
        "path": "models/cadre_archive_material.py",
        "old": '        self.env.cr.execute(\n            "UPDATE cadre_archive_dossier SET write_date = write_date "',
        "new": '        self.env.cr.execute("SELECT 1")\n        (\n            "UPDATE cadre_archive_dossier SET write_date = write_date "',
        "tests": ["TestConcurrentNumbering"],
    },
    # --- integrity
    {
        "rule": "integrity: scans are verified before filing",
        "path": "models/cadre_archive_material.py",
        "old": '        bad = self.sudo().attachment_ids._archive_verify_integrity()\n        if bad:\n            raise UserError(\n                self.env._(\n                    "The scans %(scans)s changed',
        "new": '        bad = self.browse()\n        if bad:\n            raise UserError(\n                self.env._(\n                    "The scans %(scans)s changed',
        "tests": ["TestFilingChecksTheScans"],
    },
    {
        "rule": "integrity: a changed file is found by the check",
        "path": "models/ir_attachment.py",
        "old": "            verdict = integrity.verify(scan.archive_sha256, data)",
        "new": '            verdict = "ok"',
        "tests": ["TestIntegrity"],
    },
    # --- system fields, approvals, targets (the security issue)
    {
        "rule": "system fields: no client writes them",
        "path": "models/cadre_archive_workflow_mixin.py",
        "old": "        if self._is_workflow_write():\n            return\n        for vals in vals_list:",
        "new": "        if True:\n            return\n        for vals in vals_list:",
        "tests": ["TestAttacks", "TestRpcLock"],
    },
    {
        "rule": "system fields: checksum and integrity verdict of scans",
        "path": "models/ir_attachment.py",
        "old": "            if self._archive_system_fields.intersection(vals):",
        "new": "            if False:",
        "tests": ["TestAttacks", "TestIntegrity"],
    },
    {
        "rule": "approvals: only approvers settle an approval activity",
        "path": "models/mail_activity.py",
        "old": "        if self._is_archive_workflow():\n            return\n        for request in",
        "new": "        if True:\n            return\n        for request in",
        "tests": ["TestAttacks"],
    },
    {
        "rule": "approvals: nobody approves their own request",
        "path": "models/cadre_archive_request.py",
        "old": '        if user == self.requester_id:\n            return self.env._("Nobody approves',
        "new": '        if False:\n            return self.env._("Nobody approves',
        "tests": ["TestRequestLifecycle"],
    },
    {
        "rule": "approvals: marking an approval activity done decides nothing",
        "path": "models/mail_activity.py",
        "old": "        if self._is_archive_workflow() or not self._archive_request_activities():\n            return\n        raise UserError(",
        "new": "        if True:\n            return\n        raise UserError(",
        "tests": ["TestRequestApproval", "TestRequestLifecycle", "TestAttacks"],
    },
    {
        "rule": "approvals: no approver decides on their own or a relative's dossier (回避)",
        "path": "models/cadre_archive_request.py",
        "old": "        reason, dossier = self._dossier_conflict(user, dossiers)\n",
        "new": "        reason, dossier = False, None\n",
        "tests": ["TestRequestApproval"],
    },
    {
        "rule": "approval rules: a rule's unit covers the units below it",
        "path": "models/cadre_archive_approval_rule.py",
        "old": "        return any(path.startswith(unit.parent_path) for unit in self.department_ids)",
        "new": "        return department in self.department_ids",
        "tests": ["TestRequestApproval"],
    },
    {
        "rule": "approval tiers: the request is approved by its last tier only",
        "path": "models/cadre_archive_request.py",
        "old": "            if request.approval_tier < request.approval_tier_count:\n",
        "new": "            if False:\n",
        "tests": ["TestRequestApproval"],
    },
    {
        "rule": "approval tiers: a later tier needs other eyes",
        "path": "models/cadre_archive_request.py",
        "old": '        return (approvers - request.tier_approved_by_ids).filtered("active")',
        "new": '        return approvers.filtered("active")',
        "tests": ["TestRequestApproval"],
    },
    {
        "rule": "rule: approvers read only the requests they are named to decide",
        "path": "security/cadre_archive_security.xml",
        "old": "<field name=\"domain_force\">['|', ('tier1_approver_ids', 'in', user.id), ('tier2_approver_ids', 'in', user.id)]</field>",
        "new": "<field name=\"domain_force\">[(1, '=', 1)]</field>",
        "tests": ["TestRequestPeriodAndScope"],
    },
    {
        "rule": "targets: a scan goes only onto a material one keeps",
        "path": "models/ir_attachment.py",
        "old": '        if not material or not material.exists() or not material.has_access("write"):',
        "new": "        if not material or not material.exists():",
        "tests": ["TestAttacks"],
    },
    {
        "rule": "targets: a material goes only into a dossier one keeps",
        "path": "models/cadre_archive_material.py",
        "old": '            len(dossiers.exists()) != len(dossiers) or not dossiers.has_access("write")',
        "new": "            len(dossiers.exists()) != len(dossiers)",
        "tests": ["TestAttacks"],
    },
    {
        "rule": "OCR: a page job reads only its own material's scan",
        "path": "models/cadre_archive_page.py",
        "old": "            scan.res_model != MATERIAL_MODEL\n            or scan.res_id != self.sudo().material_id.id",
        "new": "            scan.res_model != MATERIAL_MODEL",
        "tests": ["TestAttacks"],
    },
    {
        "rule": "who has a dossier: archive groups only, also in searches",
        "path": "models/hr_employee_public.py",
        "old": '        self._check_field_access(self._fields["has_cadre_dossier"], "read")\n',
        "new": "",
        "tests": ["TestAttacks"],
    },
    {
        "rule": "decoding limits of the company apply",
        "path": "models/res_company.py",
        "old": "        return scans.DecodeLimits(\n            max_page_pixels=",
        "new": "        return scans.DecodeLimits()\n        return scans.DecodeLimits(\n            max_page_pixels=",
        "tests": ["TestDecodeLimits"],
    },
    {
        "rule": "jobs: page OCR jobs keep their identity",
        "path": "models/cadre_archive_page.py",
        "old": "                identity_key=identity_exact,\n",
        "new": "",
        "tests": ["TestJobsKeepChannelAndIdentity", "TestOcrJobs"],
    },
    {
        "rule": "jobs: OCR jobs run on the addon's channel",
        "path": "data/queue_job_data.xml",
        "old": '<field name="method">_compose_ocr_text</field>\n        <field name="channel_id" ref="channel_cadre_archive_ocr"/>',
        "new": '<field name="method">_compose_ocr_text</field>',
        "tests": ["TestJobsKeepChannelAndIdentity", "TestOcrJobs"],
    },
    {
        "rule": "reading room: opens only on the room's workstations",
        "path": "models/cadre_archive_request.py",
        "old": "        return self._presence_confirmed_today() and (\n            self.company_id.sudo()._archive_in_reading_room(address)\n        )",
        "new": "        return self._presence_confirmed_today()",
        "tests": ["TestReadingRoom", "TestReadingRoomGrant"],
    },
    {
        "rule": "reading room: opens only on a day the reader's presence is confirmed",
        "path": "models/cadre_archive_request.py",
        "old": "        return self._presence_confirmed_today() and (",
        "new": "        return True and (",
        "tests": ["TestReadingRoom", "TestReadingRoomGrant"],
    },
    {
        "rule": "outside readers: lent paper opens nothing on screen",
        "path": "models/cadre_archive_request_access_mixin.py",
        "old": "            \" AND NOT (r.is_outside AND r.request_type = 'lend')\",",
        "new": '            "",',
        "tests": ["TestRequestOutsideReader"],
    },
    {
        "rule": "copies: only of the kind the approval form asked for",
        "path": "models/cadre_archive_request.py",
        "old": "        return bool(asked.get(kind)) and self.is_active_now",
        "new": "        return self.is_active_now",
        "tests": ["TestRequestCopies"],
    },
    # --- the catalog import (issue 10)
    {
        "rule": "catalog import: officers read only the imports they made",
        "path": "security/cadre_archive_security.xml",
        "old": "<field name=\"domain_force\">[('create_uid', '=', user.id)]</field>\n        <field name=\"groups\" eval=\"[(4, ref('group_officer'))]\"/>",
        "new": '<field name="domain_force">[(1, \'=\', 1)]</field>\n        <field name="groups" eval="[(4, ref(\'group_officer\'))]"/>',
        "tests": ["TestCatalogImport", "TestCatalogImportRpc"],
    },
    {
        "rule": "catalog import: only managers create missing cadres",
        "path": "models/cadre_archive_catalog_import.py",
        "old": '        if wanted and not self.env.user.has_group("cadre_archive.group_manager"):',
        "new": "        if False:",
        "tests": ["TestCatalogImport"],
    },
    {
        "rule": "catalog import: only into the dossiers the user keeps",
        "path": "models/cadre_archive_catalog_import.py",
        "old": '            if dossier.id not in context["writable"]:',
        "new": "            if False:",
        "tests": ["TestCatalogImport"],
    },
    {
        "rule": "catalog import: refused when the file changed since the dry run",
        "path": "models/cadre_archive_catalog_import.py",
        "old": "        if self._checksum(self._file_bytes()) != self.file_checksum:",
        "new": "        if False:",
        "tests": ["TestCatalogImport"],
    },
    {
        "rule": "catalog import: states, counts and lines are system fields",
        "path": "models/cadre_archive_catalog_import.py",
        "old": '        self._check_protected_vals([vals])\n        self._check_create_missing_allowed(vals.get("create_missing_cadres"))',
        "new": '        self._check_create_missing_allowed(vals.get("create_missing_cadres"))',
        "tests": ["TestCatalogImport", "TestCatalogImportRpc"],
    },
    {
        "rule": "catalog import: an existing dossier's location is never overwritten",
        "path": "models/cadre_archive_catalog_import.py",
        "old": "            if getattr(dossier_row, name) and not dossier[name]",
        "new": "            if getattr(dossier_row, name)",
        "tests": ["TestCatalogImport"],
    },
]


if __name__ == "__main__":
    for number, mutation in enumerate(MUTATIONS, start=1):
        print(f"{number:3d}. {mutation['rule']} ({mutation['path']})")
