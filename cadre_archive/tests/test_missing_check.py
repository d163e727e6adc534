# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime
import io
import re
import shutil
import subprocess
import unicodedata

import openpyxl

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import CadreArchiveCase

D = datetime.date
DUE = "cadre.archive.due"


def compact(text):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


class MissingCase(CadreArchiveCase):
    """Cadre A: a party member at work since 2020, with a filed CV, the
    membership confirmation and the assessments of 2020 to the year before
    last; the application and last year's assessment are missing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.last_year = cls.today.year - 1
        cls.cat_assessment = cls.env.ref("cadre_archive.category_3")
        cls.cat_party = cls.env.ref("cadre_archive.category_6")
        cls.dossier_a.write(
            {"fact_party_status": "cpc_member", "fact_work_start_text": "2020.07.01"}
        )
        materials = cls.material_a | cls.create_material(
            cls.dossier_a, cls.cat_party, "预备党员转正申请", date=D(2021, 7, 1)
        )
        for year in range(2020, cls.last_year):
            materials |= cls.create_material(
                cls.dossier_a,
                cls.cat_assessment,
                f"{year}年度考核登记表",
                date=D(year, 12, 20),
            )
        cls.file_materials(materials)

    def missing_dues(self, dossier, states=("open",)):
        return (
            self.env[DUE]
            .sudo()
            .search(
                [
                    ("dossier_id", "=", dossier.id),
                    ("origin", "=", "missing_rule"),
                    ("state", "in", list(states)),
                ]
            )
        )

    def keys(self, dues):
        return sorted(due.missing_key.split(":", 1)[1] for due in dues)


@tagged("post_install", "-at_install")
class TestMissingCheck(MissingCase):
    def test_party_member_without_application(self):
        self.dossier_a._check_missing()
        dues = self.missing_dues(self.dossier_a)
        self.assertEqual(
            self.keys(dues),
            sorted([f"annual_assessment:{self.last_year}", "party_application"]),
        )
        application = dues.filtered(
            lambda d: d.missing_key.endswith("party_application")
        )
        self.assertEqual(application.category_id, self.cat_party)
        self.assertIn("入党志愿书", application.name)
        self.assertEqual(application.user_id, self.officer_a)
        assessment = dues - application
        self.assertEqual(assessment.event_date, D(self.last_year, 12, 31))
        self.assertIn(str(self.last_year), assessment.name)

    def test_year_of_service_boundary(self):
        """Work started in 2020: 2019 is not asked, 2020 is."""
        self.dossier_a.fact_work_start_text = "2019.12.31"
        self.dossier_a._check_missing()
        keys = self.keys(self.missing_dues(self.dossier_a))
        self.assertIn("annual_assessment:2019", keys)
        self.dossier_a.fact_work_start_text = "2020.01.01"
        self.dossier_a._check_missing()
        keys = self.keys(self.missing_dues(self.dossier_a))
        self.assertNotIn("annual_assessment:2019", keys)
        self.assertNotIn("annual_assessment:2020", keys)
        self.assertNotIn(f"annual_assessment:{self.today.year}", keys)
        # the 2019 expectation was cancelled by the second check, not deleted
        cancelled = self.missing_dues(self.dossier_a, states=("cancelled",))
        self.assertEqual(self.keys(cancelled), ["annual_assessment:2019"])

    def test_configured_start_year(self):
        """Nothing known of the work start: from the rule's year (1997)."""
        self.dossier_a.fact_work_start_text = False
        self.dossier_a._check_missing()
        keys = self.keys(self.missing_dues(self.dossier_a))
        self.assertIn("annual_assessment:1997", keys)
        self.assertNotIn("annual_assessment:1996", keys)
        rule = self.env.ref("cadre_archive.missing_rule_annual_assessment")
        rule.start_year = 2000
        self.dossier_a._check_missing()
        keys = self.keys(self.missing_dues(self.dossier_a))
        self.assertNotIn("annual_assessment:1999", keys)
        self.assertIn("annual_assessment:2000", keys)

    def test_non_member_not_asked(self):
        self.dossier_a.fact_party_status = "masses"
        self.dossier_a._check_missing()
        keys = self.keys(self.missing_dues(self.dossier_a))
        self.assertNotIn("party_application", keys)
        self.assertNotIn("party_confirmation", keys)

    def test_probationary_member_asked_for_application_only(self):
        self.dossier_a1.fact_party_status = "cpc_probationary"
        self.dossier_a1._check_missing()
        keys = self.keys(self.missing_dues(self.dossier_a1))
        self.assertIn("party_application", keys)
        self.assertNotIn("party_confirmation", keys)
        self.assertIn("cv", keys, "the draft CV of A1 is not filed")

    def test_appointment_forms(self):
        chief = self.env["hr.job"].create({"name": "科长"})
        self.cadre_a.create_version({"date_version": D(2024, 5, 1), "job_id": chief.id})
        self.dossier_a._check_missing()
        dues = self.missing_dues(self.dossier_a).filtered(
            lambda d: (
                d.missing_rule_id
                == self.env.ref("cadre_archive.missing_rule_appointment_form")
            )
        )
        self.assertEqual(len(dues), 1)
        self.assertEqual(dues.event_date, D(2024, 5, 1))
        self.assertIn("科长", dues.name)

    def test_filing_and_checking_again(self):
        """Filing the application fulfils it; the next check keeps it done and
        expects nothing new; the rest stays open."""
        self.dossier_a._check_missing()
        application = self.missing_dues(self.dossier_a).filtered(
            lambda d: d.missing_key.endswith("party_application")
        )
        material = self.create_material(
            self.dossier_a, self.cat_party, "入党志愿书", date=D(2019, 6, 1)
        )
        self.file_materials(material, user=self.officer_a)
        self.assertEqual(application.state, "done")
        self.assertEqual(application.material_id, material)
        before = self.env[DUE].sudo().search([("dossier_id", "=", self.dossier_a.id)])
        self.dossier_a._check_missing()
        after = self.env[DUE].sudo().search([("dossier_id", "=", self.dossier_a.id)])
        self.assertEqual(after, before, "nothing new, nothing gone")
        self.assertEqual(application.state, "done")
        self.assertEqual(
            self.keys(self.missing_dues(self.dossier_a)),
            [f"annual_assessment:{self.last_year}"],
        )

    def test_closed_by_hand_stays_closed(self):
        self.dossier_a._check_missing()
        assessment = self.missing_dues(self.dossier_a).filtered(
            lambda d: "annual_assessment" in d.missing_key
        )
        assessment.with_user(self.officer_a).action_close_by_hand(
            "当年出国学习，未参加考核"
        )
        self.dossier_a._check_missing()
        self.assertEqual(assessment.state, "done")
        self.assertNotIn(
            f"annual_assessment:{self.last_year}",
            self.keys(self.missing_dues(self.dossier_a)),
        )

    def test_checks_run_as_background_jobs_per_dossier(self):
        with trap_jobs() as trap:
            self.dossier_a.with_user(self.officer_a).action_check_missing()
            wizard = (
                self.env["cadre.archive.missing.check"]
                .with_user(self.officer_a)
                .create({"department_id": self.unit_a.id})
            )
            self.assertEqual(wizard.dossier_count, 2, "A and A1, not B")
            wizard.action_check()
            trap.assert_jobs_count(2)
            for job in trap.enqueued_jobs:
                self.assertEqual(job.method_name, "_check_missing")
                self.assertEqual(job.channel, "root.cadre_archive_missing")
            self.assertEqual(
                {job.recordset for job in trap.enqueued_jobs},
                {self.dossier_a, self.dossier_a1},
            )
            self.assertFalse(self.missing_dues(self.dossier_a))
            trap.perform_enqueued_jobs()
        self.assertTrue(self.missing_dues(self.dossier_a))
        self.assertTrue(self.missing_dues(self.dossier_a1))
        self.assertFalse(self.missing_dues(self.dossier_b))

    def test_officer_cannot_check_another_unit(self):
        with self.assertRaises(AccessError), trap_jobs() as trap:
            self.dossier_b.with_user(self.officer_a).action_check_missing()
        trap.assert_jobs_count(0)

    def test_fact_party_status_kept_by_officers(self):
        self.dossier_a.with_user(self.officer_a).fact_party_status = "cpc_probationary"
        with self.assertRaises(AccessError):
            self.dossier_a.with_user(self.officer_b).write(
                {"fact_party_status": "masses"}
            )
        with self.assertRaises(AccessError):
            self.dossier_a.with_user(self.requester).read(["fact_party_status"])
        with self.assertRaises(AccessError):
            self.dossier_a.with_user(self.requester).read(["due_ids"])


@tagged("post_install", "-at_install")
class TestMissingReports(MissingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dossier_a._check_missing()
        cls.dossier_a1._check_missing()
        cls.dossier_b._check_missing()

    def test_unit_xlsx_read_back(self):
        report = self.env["ir.actions.report"].with_user(self.officer_a)
        content, kind = report._render(
            "cadre_archive.missing_xlsx", (self.dossier_a | self.dossier_a1).ids
        )
        self.assertEqual(kind, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        self.assertEqual(sheet["A1"].value, "Missing and Expected Materials")
        self.assertEqual(sheet["E2"].value, "Expected Material")
        rows = list(sheet.iter_rows(min_row=3, values_only=True))
        mine = [row for row in rows if row[1] == self.dossier_a.name]
        self.assertEqual(len(mine), 2)
        self.assertEqual({row[0] for row in mine}, {"Unit A"})
        self.assertEqual({row[2] for row in mine}, {"Cadre A"})
        self.assertEqual(sorted(row[3] for row in mine), ["3", "6"])
        application = next(row for row in mine if row[3] == "6")
        self.assertIn("入党志愿书", application[4])
        self.assertEqual(application[5], "Missing by Rule")
        self.assertEqual(application[9], self.officer_a.name)
        assessment = next(row for row in mine if row[3] == "3")
        self.assertEqual(assessment[6].date(), D(self.last_year, 12, 31))
        a1 = [row for row in rows if row[1] == self.dossier_a1.name]
        self.assertEqual(a1[0][0], "Unit A / Unit A1")
        self.assertTrue(any("履历表" in row[4] for row in a1))

    def test_xlsx_refused_outside_the_officer_units(self):
        report = self.env["ir.actions.report"].with_user(self.officer_a)
        with self.assertRaises(AccessError):
            report._render("cadre_archive.missing_xlsx", self.dossier_b.ids)
        report = self.env["ir.actions.report"].with_user(self.requester)
        with self.assertRaises(AccessError):
            report._render("cadre_archive.missing_xlsx", self.dossier_a.ids)


@tagged("post_install", "-at_install")
class TestMissingPdf(HttpCase, MissingCase):
    """wkhtmltopdf fetches the report's assets from the server: HttpCase lets the
    server share the test transaction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.dossier_a | cls.dossier_a1 | cls.dossier_b)._check_missing()

    def test_unit_pdf(self):
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed")
        report = (
            self.env["ir.actions.report"]
            .with_user(self.officer_a)
            .with_context(force_report_rendering=True)
        )
        pdf, kind = report._render_qweb_pdf(
            "cadre_archive.report_missing", (self.dossier_a | self.dossier_a1).ids
        )
        self.assertEqual(kind, "pdf")
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode()
        printed = compact(text)
        for expected in (
            "MissingandExpectedMaterials",
            "UnitA",
            "UnitA/UnitA1",
            self.dossier_a.name,
            self.dossier_a1.name,
            "CadreA",
            # the column is narrow: the title may wrap after 入党志愿
            "入党志愿",
            "干部履历表",
            f"({self.last_year})",
        ):
            with self.subTest(expected=expected):
                self.assertIn(compact(expected), printed)
        self.assertNotIn(compact(self.dossier_b.name), printed)
