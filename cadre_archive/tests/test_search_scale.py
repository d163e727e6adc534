# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The archive search at a city archive's size (issue 15).

At 1.5 million materials a common word took seconds through the web client's
list: the officers' rule joined the unit tree to every material, ILIKE
lower-cased every Chinese text it read, the list sorted every hit by archive
number, and a requester's granted ids let the database walk the archive in
that order. The fixes change the shape of the SQL, not what is found: these
tests check both, the shape the database needs and the same hits, refusals
included (scripts/bench/run scale measures the time).
"""

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_request import RequestCase

SEARCH_LIST = "cadre_archive.cadre_archive_material_view_list_search"


@tagged("post_install", "-at_install")
class TestSearchScale(RequestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.material_a.ocr_text = "2019年度考核登记表，年度考核等次：优秀"
        cls.material_a1.ocr_text = "任免审批表所列年度考核结果"
        cls.material_b.ocr_text = "年度考核结果：称职，ZHANG San"
        cls.other_b.ocr_text = "干部履历表"
        cls.materials = cls.env["cadre.archive.material"]

    def sql(self, user, domain, order=None):
        """The SQL (code and parameters) of ``domain`` searched as ``user``,
        the record rules included."""
        query = self.materials.with_user(user)._search(domain, order=order)
        sql = query.select()
        return sql.code, sql.params

    def found(self, user, term, more_dossiers=None):
        """What ``user`` finds of ``term`` among this test's dossiers (the
        demo data has materials of its own)."""
        dossiers = self.dossier_a | self.dossier_a1 | self.dossier_b | self.dossier_own
        dossiers |= more_dossiers or dossiers.browse()
        return (
            self.materials.with_user(user)
            .with_context(cadre_archive_search=term)
            .search(
                [("search_snippet", "ilike", term), ("dossier_id", "in", dossiers.ids)]
            )
        )

    # --- the officers' units, as ids --------------------------------------

    def test_the_officer_rule_names_the_units_instead_of_joining_the_tree(self):
        code, __ = self.sql(self.officer_a, [("search_snippet", "ilike", "年度考核")])
        self.assertNotIn("parent_path", code)
        self.assertIn('"cadre_archive_material"."department_id" IN', code)

    def test_the_officer_still_finds_only_the_materials_of_their_units(self):
        self.assertEqual(
            self.found(self.officer_a, "年度考核"),
            (self.material_a | self.material_a1).with_user(self.officer_a),
        )
        self.assertEqual(
            self.found(self.officer_b, "年度考核"),
            self.material_b.with_user(self.officer_b),
        )
        with self.assertRaises(AccessError):
            self.found(self.employee_user, "年度考核")

    def test_a_unit_made_below_an_officers_unit_counts_at_once(self):
        """The rule's domain is cached per user; its units are resolved when
        the query runs, so a new unit below unit A opens to officer A with
        no cache to clear, as ``child_of`` did."""
        self.assertTrue(self.found(self.officer_a, "年度考核"))  # rule cached
        unit = self.env["hr.department"].create(
            {"name": "Unit A1a", "parent_id": self.unit_a1.id}
        )
        cadre = self.env["hr.employee"].create(
            {"name": "Cadre A1a", "department_id": unit.id}
        )
        dossier = self.env["cadre.archive.dossier"].create({"employee_id": cadre.id})
        material = self.create_material(
            dossier, self.cat_cv, "履历表", ocr_text="年度考核"
        )
        self.assertIn(material, self.found(self.officer_a, "年度考核", dossier))
        self.assertNotIn(material, self.found(self.officer_b, "年度考核", dossier))

    def test_kept_by_the_officer_is_computed_and_not_written_by_a_client(self):
        materials = (self.material_a1 | self.material_b).with_user(self.officer_a)
        self.assertEqual(materials.mapped("archive_unit_kept"), [True, False])
        with self.assertRaises(UserError):
            self.material_a1.with_user(self.officer_a).write(
                {"archive_unit_kept": False}
            )

    # --- LIKE for words without case ---------------------------------------

    def test_a_chinese_word_is_searched_with_like_a_latin_one_with_ilike(self):
        code, __ = self.sql(self.manager, [("search_snippet", "ilike", "年度考核")])
        self.assertIn(" LIKE ", code)
        self.assertNotIn("ILIKE", code)
        code, __ = self.sql(self.manager, [("search_snippet", "ilike", "zhang")])
        self.assertIn("ILIKE", code)

    def test_the_same_materials_are_found_whatever_the_case(self):
        self.assertEqual(self.found(self.manager, "zhang"), self.material_b)
        self.assertEqual(self.found(self.manager, "ZHANG san"), self.material_b)
        self.assertEqual(
            self.found(self.manager, "年度考核"),
            self.material_a | self.material_a1 | self.material_b,
        )
        # not ilike: every material without the word, whatever its case
        without = self.materials.with_user(self.manager).search(
            [
                ("search_snippet", "not ilike", "年度考核"),
                ("dossier_id", "in", (self.dossier_a | self.dossier_b).ids),
            ]
        )
        self.assertIn(self.other_b, without)
        self.assertNotIn(self.material_a, without)

    # --- the search list's order -------------------------------------------

    def test_the_search_list_is_ordered_by_the_materials_own_columns(self):
        """By dossier (newest first) then in catalog order: ordered by the
        material's own dossier index, the database stops at the first page of
        a common word instead of sorting all its hits by archive number."""
        arch = etree.fromstring(self.env.ref(SEARCH_LIST).arch)
        order = arch.get("default_order")
        self.assertEqual(
            order, "dossier_id.id desc, category_sequence, sequence_number, id"
        )
        code, __ = self.sql(
            self.officer_a, [("search_snippet", "ilike", "年度考核")], order=order
        )
        self.assertIn('ORDER BY "cadre_archive_material"."dossier_id" DESC', code)
        self.assertNotIn('__dossier_id"."name"', code)
        found = self.materials.with_user(self.manager).search(
            [("search_snippet", "ilike", "年度考核")], order=order
        )
        self.assertEqual(
            [m.dossier_id.id for m in found],
            sorted((m.dossier_id.id for m in found), reverse=True),
        )

    def test_the_pager_counts_exactly_up_to_a_thousand(self):
        """The search list asks the pager to count up to 1,000 hits (the
        client sends count_limit + 1): exact below, capped above."""
        arch = etree.fromstring(self.env.ref(SEARCH_LIST).arch)
        self.assertEqual(arch.get("count_limit"), "1000")
        dossiers = self.dossier_a | self.dossier_a1 | self.dossier_b
        materials = self.materials.with_user(self.manager).with_context(
            cadre_archive_search="年度考核"
        )
        domain = [
            ("search_snippet", "ilike", "年度考核"),
            ("dossier_id", "in", dossiers.ids),
        ]
        page = materials.web_search_read(
            domain, {"name": {}}, limit=1, count_limit=1001
        )
        self.assertEqual(page["length"], 3)
        page = materials.web_search_read(domain, {"name": {}}, limit=1, count_limit=2)
        self.assertEqual(page["length"], 2)

    # --- requesters: their dossiers named ----------------------------------

    def test_a_requesters_rule_names_the_dossiers_opened(self):
        self.approved_request()
        code, __ = self.sql(self.requester, [("search_snippet", "ilike", "考核")])
        self.assertIn('"cadre_archive_material"."dossier_id" IN', code)

    def test_a_requester_still_reads_only_the_filed_materials_opened(self):
        self.assertFalse(self.found(self.requester, "年度考核"))
        self.approved_request()  # dossier B
        self.draft_b.ocr_text = "年度考核"
        self.assertEqual(
            self.found(self.requester, "年度考核"),
            self.material_b.with_user(self.requester),
        )


@tagged("post_install", "-at_install")
class TestCategoryReload(RequestCase):
    """Updating the module loads the categories' data file again: what the
    materials copy from a category is written only when it changed, else
    every material of the archive is recomputed (MemoryError at 1.5 million)."""

    def pending(self, field_name):
        field = self.materials._fields[field_name]
        return self.env.records_to_compute(field)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.materials = cls.env["cadre.archive.material"]

    def test_reloading_unchanged_categories_recomputes_no_material(self):
        self.env.flush_all()
        category = self.cat_cv
        category._load_records_write(
            {
                "code": category.code,
                "sequence": category.sequence,
                "parent_id": False,
                "name": category.name,
            }
        )
        self.assertFalse(self.pending("code"))
        self.assertFalse(self.pending("category_sequence"))

    def test_a_changed_code_is_still_written_and_the_numbers_follow(self):
        self.env.flush_all()
        category = self.cat_degree
        category._load_records_write({"code": "4-1", "sequence": 499})
        self.assertEqual(category.sequence, 499)
        self.assertIn(self.material_a1, self.pending("category_sequence"))
        self.env.flush_all()
        self.assertEqual(self.material_a1.category_sequence, 499)
