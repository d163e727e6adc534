# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import ast
from collections import Counter

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..lib import cadre_grid
from .common import CadreArchiveCase

GRID = "cadre.archive.cadre.analysis"
CONDUCT = "cadre.archive.conduct.entry"


def dotted(day):
    return day.strftime("%Y.%m.%d")


class GridCase(CadreArchiveCase):
    """Crafted cadres in unit A and B with their HR data and, for some, facts
    of record; the dates are counted back from the database's today, which
    is the one the SQL view counts against."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.cr.execute("SELECT current_date")
        cls.today = cls.env.cr.fetchone()[0]

    @classmethod
    def ago(cls, years, days=0):
        return cls.today - relativedelta(years=years) + relativedelta(days=days)

    @classmethod
    def new_dossier(cls, name, unit, **employee_vals):
        employee = cls.env["hr.employee"].create(
            {"name": name, "department_id": unit.id, **employee_vals}
        )
        return cls.env["cadre.archive.dossier"].create({"employee_id": employee.id})

    def rows(self, dossiers, user=None):
        """The grid's rows of ``dossiers`` as ``user`` reads them now."""
        self.env.flush_all()
        self.env.invalidate_all()
        grid = self.env[GRID].with_user(user) if user else self.env[GRID]
        return grid.search([("dossier_id", "in", dossiers.ids)])

    def row(self, dossier):
        row = self.rows(dossier)
        self.assertEqual(len(row), 1)
        return row


@tagged("post_install", "-at_install")
class TestCadreGrid(GridCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # HR data only: 36 today, 5 years of service today, a master's degree
        cls.hr_only = cls.new_dossier(
            "HR Only",
            cls.unit_a,
            birthday=cls.ago(36),
            contract_date_start=cls.ago(5),
            certificate="master",
            job_title="副科长",
            archive_rank="副科级",
        )
        # HR data only: 36 tomorrow, 5 years of service tomorrow
        cls.hr_tomorrow = cls.new_dossier(
            "HR Tomorrow",
            cls.unit_b,
            birthday=cls.ago(36, days=1),
            contract_date_start=cls.ago(5, days=1),
            certificate="graduate",
        )
        # facts of record over HR data that says otherwise
        cls.with_facts = cls.new_dossier(
            "With Facts",
            cls.unit_a1,
            birthday=cls.ago(30),
            contract_date_start=cls.ago(2),
            certificate="doctor",
            job_title="科员",
            archive_rank="科员",
        )
        cls.with_facts.write(
            {
                "fact_birth_text": dotted(cls.ago(56)),
                "fact_work_start_text": dotted(cls.ago(30)),
                "fact_party_text": dotted(cls.ago(10, days=1)),
                "fact_identity": "公务员",
            }
        )
        education = cls.env["cadre.archive.fact.education"]
        education.create(
            {
                "dossier_id": cls.with_facts.id,
                "level": "大学本科",
                "school": "省师范大学",
                "start_text": dotted(cls.ago(40)),
                "end_text": dotted(cls.ago(36)),
            }
        )
        # studying, not completed: not counted
        education.create(
            {
                "dossier_id": cls.with_facts.id,
                "level": "在职研究生",
                "school": "省委党校",
                "study_mode": "in_service",
                "start_text": dotted(cls.ago(1)),
            }
        )
        work = cls.env["cadre.archive.fact.work"]
        work.create(
            {
                "dossier_id": cls.with_facts.id,
                "unit_name": "县财政局",
                "post": "科员",
                "start_text": dotted(cls.ago(30)),
                "end_text": dotted(cls.ago(10)),
            }
        )
        work.create(
            {
                "dossier_id": cls.with_facts.id,
                "unit_name": "县财政局",
                "post": "科长",
                "rank": "正科级",
                "start_text": dotted(cls.ago(10)),
            }
        )
        work.create(
            {
                "dossier_id": cls.with_facts.id,
                "unit_name": "县政协",
                "post": "委员",
                "concurrent": True,
                "start_text": dotted(cls.ago(3)),
            }
        )
        # a fact of record on one value, HR data for the others
        cls.mixed = cls.new_dossier(
            "Mixed", cls.unit_b, birthday=cls.ago(55, days=1), job_title="科员"
        )
        cls.mixed.write({"fact_party_text": dotted(cls.ago(30))})
        cls.crafted = cls.hr_only | cls.hr_tomorrow | cls.with_facts | cls.mixed

    def test_hr_data_where_no_fact_is_recorded(self):
        row = self.row(self.hr_only)
        self.assertEqual((row.age, row.age_band), (36, "36_40"))
        self.assertEqual((row.service_years, row.service_band), (5, "5_9"))
        self.assertEqual(row.education, "postgraduate")
        self.assertEqual((row.post, row.rank), ("副科长", "副科级"))
        self.assertFalse(row.party_years or row.party_band)
        self.assertFalse(row.cadre_category)
        self.assertEqual(row.source, "hr")
        self.assertEqual(row.department_id, self.unit_a)

    def test_a_birthday_tomorrow_is_not_counted_yet(self):
        row = self.row(self.hr_tomorrow)
        self.assertEqual((row.age, row.age_band), (35, "35_under"))
        self.assertEqual((row.service_years, row.service_band), (4, "under_5"))
        # a "graduate" certificate says nothing certain of the level
        self.assertFalse(row.education)

    def test_facts_of_record_override_hr_data(self):
        row = self.row(self.with_facts)
        self.assertEqual((row.age, row.age_band), (56, "56_over"))
        self.assertEqual((row.service_years, row.service_band), (30, "30_over"))
        self.assertEqual((row.party_years, row.party_band), (9, "5_9"))
        # the completed 大学本科, not the HR doctorate nor the ongoing study
        self.assertEqual(row.education, "university")
        # the current main post, not the ended one nor the concurrent one
        self.assertEqual((row.post, row.rank), ("科长", "正科级"))
        self.assertEqual(row.cadre_category, "公务员")
        self.assertEqual(row.source, "facts")

    def test_one_fact_and_hr_data_make_a_mixed_row(self):
        row = self.row(self.mixed)
        self.assertEqual((row.age, row.age_band), (54, "51_55"))
        self.assertEqual((row.party_years, row.party_band), (30, "30_over"))
        self.assertEqual(row.source, "mixed")

    def test_a_new_fact_moves_the_row_at_once(self):
        self.hr_only.write({"fact_birth_text": dotted(self.ago(41))})
        row = self.row(self.hr_only)
        self.assertEqual((row.age, row.age_band), (41, "41_45"))
        self.assertEqual(row.source, "mixed")

    def test_rows_equal_the_plain_rule(self):
        """The SQL view is the twin of lib.cadre_grid.grid_row."""
        inputs = {
            self.hr_only: (
                {},
                {
                    "birth_date": self.ago(36),
                    "work_start_date": self.ago(5),
                    "education": "master",
                    "post": "副科长",
                    "rank": "副科级",
                },
            ),
            self.hr_tomorrow: (
                {},
                {
                    "birth_date": self.ago(36, days=1),
                    "work_start_date": self.ago(5, days=1),
                    "education": "graduate",
                },
            ),
            self.with_facts: (
                {
                    "birth_date": self.ago(56),
                    "work_start_date": self.ago(30),
                    "party_date": self.ago(10, days=1),
                    "education": ["大学本科"],
                    "post": "科长",
                    "rank": "正科级",
                    "category": "公务员",
                },
                {
                    "birth_date": self.ago(30),
                    "work_start_date": self.ago(2),
                    "education": "doctor",
                    "post": "科员",
                    "rank": "科员",
                },
            ),
            self.mixed: (
                {"party_date": self.ago(30)},
                {"birth_date": self.ago(55, days=1), "post": "科员"},
            ),
        }
        for dossier, (facts, hr) in inputs.items():
            expected = cadre_grid.grid_row(facts, hr, self.today)
            row = self.row(dossier)
            got = {
                "age": row.age if expected["age"] is not None else None,
                "age_band": row.age_band or None,
                "service_years": row.service_years
                if expected["service_years"] is not None
                else None,
                "service_band": row.service_band or None,
                "party_years": row.party_years
                if expected["party_years"] is not None
                else None,
                "party_band": row.party_band or None,
                "education": row.education or None,
                "post": row.post or None,
                "rank": row.rank or None,
                "category": row.cadre_category or None,
                "source": row.source or None,
            }
            self.assertEqual(got, expected, dossier.employee_id.name)

    def test_read_group_counts_are_the_dossiers(self):
        self.env.flush_all()
        domain = [("dossier_id", "in", self.crafted.ids)]
        for field, expected in (
            ("age_band", {"36_40": 1, "35_under": 1, "56_over": 1, "51_55": 1}),
            ("service_band", {"5_9": 1, "under_5": 1, "30_over": 1, False: 1}),
            ("party_band", {False: 2, "5_9": 1, "30_over": 1}),
            ("education", {"postgraduate": 1, "university": 1, False: 2}),
            ("source", {"hr": 2, "facts": 1, "mixed": 1}),
        ):
            groups = self.env[GRID]._read_group(domain, [field], ["__count"])
            self.assertEqual(dict(groups), expected, field)
        by_unit = self.env[GRID]._read_group(domain, ["department_id"], ["__count"])
        self.assertEqual(
            dict(by_unit), {self.unit_a: 1, self.unit_a1: 1, self.unit_b: 2}
        )
        self.assertEqual(sum(count for _unit, count in by_unit), len(self.crafted))

    def test_one_row_per_dossier_held(self):
        every = self.env["cadre.archive.dossier"].search(
            [("state", "!=", "transferred")]
        )
        self.env.flush_all()
        self.assertEqual(
            Counter(self.env[GRID].search([]).dossier_id.ids), Counter(every.ids)
        )
        self.mixed._workflow_write({"state": "transferred"})
        self.assertFalse(self.rows(self.mixed), "a dossier sent out is not held")
        self.hr_only._workflow_write({"state": "lent"})
        self.assertEqual(self.row(self.hr_only).state, "lent")

    def test_selections_are_the_libs(self):
        fields_ = self.env[GRID]._fields

        def keys(name):
            return [key for key, _label in fields_[name].selection]

        self.assertEqual(keys("age_band"), [k for k, _h in cadre_grid.AGE_BANDS])
        self.assertEqual(
            keys("service_band"), [k for k, _h in cadre_grid.SERVICE_BANDS]
        )
        self.assertEqual(keys("party_band"), [k for k, _h in cadre_grid.PARTY_BANDS])
        self.assertEqual(keys("education"), list(cadre_grid.EDUCATION_KEYS))

    def test_the_favourites_group_by_fields_of_the_grid(self):
        action = self.env.ref("cadre_archive.action_cadre_archive_cadre_analysis")
        favourites = self.env["ir.filters"].search(
            [("model_id", "=", GRID), ("action_id", "=", action.id)]
        )
        self.assertGreaterEqual(len(favourites), 4)
        self.assertIn("党龄分布 (Years of Party Membership)", favourites.mapped("name"))
        for favourite in favourites:
            self.assertFalse(favourite.user_ids, "shared with everyone")
            context = ast.literal_eval(favourite.context)
            for name in context["pivot_row_groupby"] + context["graph_groupbys"]:
                self.assertIn(name, self.env[GRID]._fields)
            self.env[GRID]._read_group([], context["group_by"], ["__count"])


@tagged("post_install", "-at_install")
class TestCadreGridAccess(GridCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dossier_a.write({"fact_birth_text": "1970.05.20"})
        cls.ours = cls.dossier_a | cls.dossier_a1 | cls.dossier_b

    def test_requesters_and_employees_read_nothing_of_the_grid(self):
        for user in (self.requester, self.employee_user):
            grid = self.env[GRID].with_user(user)
            with self.assertRaises(AccessError):
                grid.search_read([], ["age", "age_band", "post"])
            with self.assertRaises(AccessError):
                grid.formatted_read_group([], ["age_band"], ["__count"])
            with self.assertRaises(AccessError):
                grid.formatted_read_group([], ["department_id"], ["age:avg"])

    def test_officers_see_the_dossiers_of_their_units(self):
        self.assertEqual(
            self.rows(self.ours, self.officer_a).dossier_id,
            self.dossier_a | self.dossier_a1,
        )
        self.assertEqual(
            self.rows(self.ours, self.officer_b).dossier_id, self.dossier_b
        )
        self.assertEqual(self.rows(self.ours, self.manager).dossier_id, self.ours)
        # a group by does not count what the officer may not read
        groups = (
            self.env[GRID]
            .with_user(self.officer_b)
            ._read_group(
                [("dossier_id", "in", self.ours.ids)], ["department_id"], ["__count"]
            )
        )
        self.assertEqual(dict(groups), {self.unit_b: 1})

    def test_an_officer_does_not_see_their_own_row(self):
        self.cadre_user.write(
            {
                "group_ids": [
                    Command.link(self.env.ref("cadre_archive.group_officer").id)
                ],
                "archive_department_ids": [Command.set(self.unit_a.ids)],
            }
        )
        self.assertEqual(
            self.rows(self.ours, self.cadre_user).dossier_id, self.dossier_a1
        )


class ConductCase(GridCase):
    """Dossier A's materials of the four categories, filed (but one draft
    award and a CV), and an assessment of dossier B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.excellent = cls.create_material(
            cls.dossier_a,
            ref("cadre_archive.category_3"),
            "2023年度考核登记表（优秀）",
            date="2023-12-20",
        )
        cls.from_text = cls.create_material(
            cls.dossier_a,
            ref("cadre_archive.category_3"),
            "2022年度考核登记表",
            date="2022-12-18",
            ocr_text="优秀□ 称职□ 基本称职□ 不称职□\n考核等次：基本称职",
        )
        cls.training = cls.create_material(
            cls.dossier_a,
            ref("cadre_archive.category_4_4"),
            "党校培训结业登记表",
            date="2022-06-30",
        )
        cls.award = cls.create_material(
            cls.dossier_a,
            ref("cadre_archive.category_7"),
            "优秀公务员嘉奖审批表",
            date="2023-01-15",
        )
        cls.sanction = cls.create_material(
            cls.dossier_a,
            ref("cadre_archive.category_8"),
            "警告处分决定",
            date="2021-04-02",
        )
        cls.draft_award = cls.create_material(
            cls.dossier_a, ref("cadre_archive.category_7"), "嘉奖（未归档）"
        )
        cls.entries_b = cls.create_material(
            cls.dossier_b,
            ref("cadre_archive.category_3"),
            "2023年度考核登记表（称职）",
            date="2023-12-20",
        )
        cls.filed = (
            cls.excellent | cls.from_text | cls.training | cls.award | cls.sanction
        )
        cls.file_materials(cls.filed | cls.material_a, user=cls.officer_a)
        cls.file_materials(cls.entries_b, user=cls.officer_b)

    def entries(self, dossier, user=None):
        self.env.flush_all()
        self.env.invalidate_all()
        model = self.env[CONDUCT].with_user(user) if user else self.env[CONDUCT]
        return model.search([("dossier_id", "=", dossier.id)])


@tagged("post_install", "-at_install")
class TestConductEntry(ConductCase):
    def test_entries_are_the_filed_materials_of_the_four_categories(self):
        entries = self.entries(self.dossier_a)
        # not the draft award, nor the CV (category 1)
        self.assertEqual(entries.material_id, self.filed)
        kinds = {entry.material_id: entry.kind for entry in entries}
        self.assertEqual(
            kinds,
            {
                self.excellent: "assessment",
                self.from_text: "assessment",
                self.training: "training",
                self.award: "award",
                self.sanction: "sanction",
            },
        )
        first = entries.filtered(lambda e: e.material_id == self.excellent)
        self.assertEqual((first.year, first.name), ("2023", self.excellent.name))
        self.assertEqual(first.code, self.excellent.code)
        self.assertEqual(first.date, self.excellent.date)

    def test_assessment_results_as_the_plain_rule_reads_them(self):
        entries = self.entries(self.dossier_a)
        results = {entry.material_id: entry.result for entry in entries}
        self.assertEqual(results[self.excellent], "excellent")
        self.assertEqual(results[self.from_text], "basically_competent")
        # an award's title saying 优秀 is not an assessment result
        self.assertFalse(results[self.award])
        for entry in entries.filtered(lambda e: e.kind == "assessment"):
            material = entry.material_id
            self.assertEqual(
                entry.result,
                cadre_grid.assessment_result(material.name, material.ocr_text),
            )

    def test_grouped_by_year(self):
        self.env.flush_all()
        groups = self.env[CONDUCT]._read_group(
            [("dossier_id", "=", self.dossier_a.id)], ["year"], ["__count"]
        )
        self.assertEqual(dict(groups), {"2021": 1, "2022": 2, "2023": 2})

    def test_each_entry_opens_its_material(self):
        entry = self.entries(self.dossier_a, self.officer_a).filtered(
            lambda e: e.material_id == self.award
        )
        action = entry.action_open_material()
        self.assertEqual(
            (action["res_model"], action["res_id"]),
            ("cadre.archive.material", self.award.id),
        )
        material = self.env["cadre.archive.material"].with_user(self.officer_a)
        self.assertEqual(material.browse(action["res_id"]).name, self.award.name)

    def test_the_dossier_opens_its_entries(self):
        dossier = self.dossier_a.with_user(self.officer_a)
        self.assertEqual(dossier.conduct_entry_count, 5)
        action = dossier.action_open_conduct()
        self.assertEqual(action["res_model"], CONDUCT)
        self.assertEqual(
            self.env[CONDUCT].with_user(self.officer_a).search(action["domain"]),
            self.entries(self.dossier_a),
        )
        self.assertEqual(action["context"]["group_by"], ["year"])

    def test_entries_of_a_dossier_the_user_cannot_read_are_hidden(self):
        self.assertFalse(self.entries(self.dossier_a, self.officer_b))
        self.assertEqual(len(self.entries(self.dossier_b, self.officer_b)), 1)
        self.assertEqual(len(self.entries(self.dossier_a, self.manager)), 5)
        hidden = self.entries(self.dossier_a)[:1].with_user(self.officer_b)
        with self.assertRaises(AccessError):
            hidden.read(["name"])

    def test_requesters_and_employees_read_no_entry(self):
        for user in (self.requester, self.employee_user):
            model = self.env[CONDUCT].with_user(user)
            with self.assertRaises(AccessError):
                model.search_read([], ["name", "result"])
            with self.assertRaises(AccessError):
                model.formatted_read_group([], ["kind"], ["__count"])
            with self.assertRaises(AccessError):
                self.dossier_a.with_user(user).read(["conduct_entry_count"])


@tagged("post_install", "-at_install")
class TestConductFromEmployee(ConductCase):
    def test_the_employee_page_opens_the_record(self):
        public = self.env["hr.employee.public"].with_user(self.officer_a)
        action = public.browse(self.cadre_a.id).action_open_cadre_conduct()
        self.assertEqual(action["domain"], [("dossier_id", "=", self.dossier_a.id)])

    def test_nobody_else_opens_it_from_the_employee(self):
        for user in (self.officer_b, self.requester):
            public = self.env["hr.employee.public"].with_user(user)
            with self.assertRaises(AccessError):
                public.browse(self.cadre_a.id).action_open_cadre_conduct()


@tagged("post_install", "-at_install")
class TestGridDemo(GridCase):
    """The demo archive gives a grid and 德能勤绩廉 records to look at."""

    def test_demo_grid_and_record_are_not_empty(self):
        manager = self.env.ref("cadre_archive.demo_user_manager", False)
        if not manager:
            self.skipTest("the database has no demo data")
        self.env.flush_all()
        grid = self.env[GRID].with_user(manager)
        for field in ("age_band", "service_band", "party_band", "education"):
            groups = grid._read_group([(field, "!=", False)], [field], ["__count"])
            self.assertGreater(len(groups), 1, field)
        # every other demo dossier has facts of record, the others HR data only
        sources = set(grid.search([]).mapped("source"))
        self.assertLessEqual({"hr", "mixed"}, sources)
        entries = self.env[CONDUCT].with_user(manager)
        kinds = dict(entries._read_group([], ["kind"], ["__count"]))
        self.assertEqual(set(kinds), {"assessment", "award", "sanction", "training"})
        results = dict(entries._read_group([], ["result"], ["__count"]))
        self.assertGreater(results.get("excellent", 0), 0)
        self.assertGreater(results.get("competent", 0), 0)
