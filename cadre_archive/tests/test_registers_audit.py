# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_registers import RegisterCase
from .test_special_audit import AuditCase

FINDINGS = "cadre_archive.audit_findings_register_xlsx"
UNITS = "cadre_archive.unit_statistics_xlsx"


class AuditRegisterCase(RegisterCase, AuditCase):
    """Dossier A (unit A) and dossier B (unit B) each joined the party at
    eighteen less a day: one finding each when audited."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dossier_a.with_user(cls.officer_a).fact_party_text = "1988.05.19"
        cls.dossier_b.with_user(cls.officer_b).write(
            {"fact_birth_text": "1970.05.20", "fact_party_text": "1988.05.19"}
        )

    @staticmethod
    def column(sheet, header):
        """The index of the column headed ``header`` (row 2)."""
        return [cell.value for cell in sheet[2]].index(header)


@tagged("post_install", "-at_install")
class TestAuditFindingsRegister(AuditRegisterCase):
    def test_findings_register_cells_and_total(self):
        audit_a = self.audit()
        audit_b = self.audit(self.dossier_b, self.officer_b)
        self.assertTrue(audit_a.finding_ids)
        self.assertTrue(audit_b.finding_ids)
        settled = audit_a.finding_ids[0].with_user(self.officer_a)
        settled.action_resolve()
        findings = (audit_a.finding_ids | audit_b.finding_ids).sudo()

        sheet, rows = self.export(self.manager, register="audit_findings")
        self.assertEqual(
            sheet["A1"].value, "Audit Findings Register of Personnel Dossiers"
        )
        headers = [cell.value for cell in sheet[2]]
        self.assertEqual(
            headers,
            [
                "Archive Number",
                "Cadre",
                "Unit",
                "Audited On",
                "Rule",
                "Severity",
                "Single Veto",
                "Points Off",
                "Finding",
                "Status",
                "Settled By",
                "Settled On",
                "Materials Cited",
            ],
        )
        self.assertEqual(sheet.freeze_panes, "A3")
        self.assertTrue(sheet.auto_filter.ref.startswith("A2:M"))
        *lines, total = rows
        self.assertEqual(len(lines), len(findings))
        by_number = {}
        for line in lines:
            by_number.setdefault(line[0], []).append(line)
        self.assertEqual(set(by_number), {self.dossier_a.name, self.dossier_b.name})
        row = next(
            line for line in by_number[self.dossier_a.name] if line[9] == "Resolved"
        )
        self.assertEqual(row[1], "Cadre A")
        self.assertEqual(row[2], "Unit A")
        self.assertEqual(row[4], settled.rule_id.display_name)
        severities = dict(settled._fields["severity"]._description_selection(self.env))
        self.assertEqual(row[5], severities[settled.severity])
        self.assertEqual(row[7], settled.points)
        self.assertEqual(row[8], settled.message)
        self.assertEqual(row[10], self.officer_a.name)
        # the audit's moment, a real date cell in the user's time (UTC here)
        index = lines.index(row)
        cell = sheet.cell(row=3 + index, column=4)
        self.assertTrue(cell.is_date)
        self.assertEqual(
            cell.value.replace(microsecond=0),
            fields.Datetime.context_timestamp(audit_a, audit_a.date).replace(
                tzinfo=None, microsecond=0
            ),
        )
        self.assertTrue(sheet.cell(row=3 + index, column=12).is_date)
        self.assertEqual(total[0], "Total")
        self.assertEqual(total[7], sum(findings.mapped("points")))
        self.assertGreater(total[7], 0)

    def test_an_officer_gets_only_their_units_findings(self):
        audit_a = self.audit()
        audit_b = self.audit(self.dossier_b, self.officer_b)
        __, rows = self.export(self.officer_a, register="audit_findings")
        self.assertEqual(len(rows) - 1, len(audit_a.finding_ids))
        self.assertEqual({row[0] for row in rows[:-1]}, {self.dossier_a.name})
        # the ids of unit B's findings asked for: none of them
        __, rows = self.render(FINDINGS, self.officer_a, audit_b.finding_ids.ids)
        self.assertEqual(rows[:-1], [])
        # unit B is not the officer's: nothing to export
        with self.assertRaises(UserError):
            self.export(
                self.officer_a,
                register="audit_findings",
                department_ids=[(6, 0, self.unit_b.ids)],
            )
        with self.assertRaises(AccessError):
            self.render(FINDINGS, self.requester, audit_a.finding_ids.ids)

    def test_period_is_the_audit_s_day(self):
        self.audit()
        today = fields.Date.context_today(self.env.user)
        with self.assertRaises(UserError):
            self.export(
                self.officer_a,
                register="audit_findings",
                date_from=today + datetime.timedelta(days=1),
            )
        __, rows = self.export(
            self.officer_a, register="audit_findings", date_from=today, date_to=today
        )
        self.assertEqual({row[0] for row in rows[:-1]}, {self.dossier_a.name})


@tagged("post_install", "-at_install")
class TestUnitStatisticsAudit(AuditRegisterCase):
    def test_latest_done_audit_per_dossier_by_grade(self):
        # dossier A: a first audit passes (the finding open), the latest,
        # after the finding is accepted, is excellent
        first = self.audit()
        self.assertEqual(first.grade, "pass")
        finding = first.finding_ids.with_user(self.officer_a)
        finding.reason = "组织认定"
        finding.action_accept()
        latest = self.audit()
        self.assertEqual(latest.grade, "excellent")
        # dossier B: passes; dossier A1: a draft audit only, never done
        self.assertEqual(self.audit(self.dossier_b, self.officer_b).grade, "pass")
        self.env["cadre.archive.audit"].with_user(self.officer_a)._start_for(
            self.dossier_a1.with_user(self.officer_a)
        )
        dossiers = self.dossier_a | self.dossier_a1 | self.dossier_b
        sheet, rows = self.render(UNITS, self.manager, dossiers.ids)
        audited = self.column(sheet, "Dossiers Audited")
        excellent = self.column(sheet, "Audited: Excellent (优秀)")
        passed = self.column(sheet, "Audited: Pass (合格)")
        failed = self.column(sheet, "Audited: Fail (不合格)")
        never = self.column(sheet, "Never Audited")
        share = self.column(sheet, "Share Audited")
        by_unit = {row[0]: row for row in rows}

        def figures(unit):
            row = by_unit[unit]
            return [row[i] for i in (audited, excellent, passed, failed, never)]

        self.assertEqual(figures("Unit A"), [1, 1, 0, 0, 0])
        self.assertEqual(figures("Unit A / Unit A1"), [0, 0, 0, 0, 1])
        self.assertEqual(figures("Unit B"), [1, 0, 1, 0, 0])
        self.assertEqual(figures("Total"), [2, 1, 1, 0, 1])
        self.assertAlmostEqual(by_unit["Total"][share], 2 / 3)
        # the totals equal the audits: one latest done audit per dossier
        done = self.env["cadre.archive.audit"].search(
            [("dossier_id", "in", dossiers.ids), ("state", "=", "done")]
        )
        self.assertEqual(len(done.dossier_id), by_unit["Total"][audited])
        # the officer of unit A: unit B's audit is not theirs
        __, rows = self.render(UNITS, self.officer_a, dossiers.ids)
        by_unit = {row[0]: row for row in rows}
        self.assertNotIn("Unit B", by_unit)
        self.assertEqual(figures("Total"), [1, 1, 0, 0, 1])
