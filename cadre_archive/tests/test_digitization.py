# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
import os
import shutil
import zipfile

from PIL import Image

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..lib import pages
from .common import CadreArchiveCase

HAS_TESSERACT = bool(shutil.which("tesseract"))


def page_bytes(lines, dpi=300, image_format="JPEG", rotate=0, size_mm=(210, 148)):
    data = pages.render_text_page(
        lines, dpi=dpi, image_format=image_format, size_mm=size_mm
    )
    if not rotate:
        return data
    image = Image.open(io.BytesIO(data))
    rotated = image.rotate(rotate, expand=False, fillcolor="white")
    buffer = io.BytesIO()
    rotated.save(buffer, format=image_format, dpi=(dpi, dpi))
    return buffer.getvalue()


class DigitizationCase(CadreArchiveCase):
    def upload(self, material, raw, name="page.jpg", env=None):
        env = env or self.env
        with trap_jobs() as trap:
            scan = env["ir.attachment"].create(
                {
                    "name": name,
                    "res_model": "cadre.archive.material",
                    "res_id": material.id,
                    "raw": raw,
                }
            )
        return scan, trap


@tagged("post_install", "-at_install")
class TestQualityChecks(DigitizationCase):
    def test_good_page(self):
        scan, __ = self.upload(self.material_a, page_bytes(["干部履历表"], dpi=300))
        page = scan.archive_page_ids
        self.assertEqual(
            (page.page_number, page.quality_state), (1, "ok"), page.quality_issues
        )
        self.assertAlmostEqual(page.dpi, 300, delta=1)
        self.assertEqual(self.material_a.quality_state, "ok")

    def test_low_resolution_needs_rescan(self):
        scan, __ = self.upload(self.material_a, page_bytes(["干部履历表"], dpi=72))
        self.assertEqual(scan.archive_page_ids.quality_state, "rescan")
        self.assertIn("low_dpi", scan.archive_page_ids.quality_issues)
        rescan = self.env["cadre.archive.page"].search(
            [("quality_state", "=", "rescan")]
        )
        self.assertIn(scan.archive_page_ids, rescan)
        self.assertIn(
            self.material_a,
            self.env["cadre.archive.material"].search(
                [("quality_state", "in", ["rescan"])]
            ),
        )

    def test_blank_and_skewed_pages(self):
        blank, __ = self.upload(self.material_a, page_bytes([], dpi=300))
        self.assertIn("blank", blank.archive_page_ids.quality_issues)
        skewed, __ = self.upload(
            self.material_a1,
            page_bytes(["干部履历表 出生日期 1985年03月12日"] * 6, dpi=200, rotate=3),
        )
        page = skewed.archive_page_ids
        self.assertIn("skewed", page.quality_issues)
        self.assertAlmostEqual(abs(page.skew_degrees), 3, delta=0.6)

    def test_resolution_rules_are_configurable(self):
        self.company.archive_min_dpi = 100
        self.company.archive_recommended_dpi = 150
        scan, __ = self.upload(self.material_a, page_bytes(["干部履历表"], dpi=150))
        self.assertEqual(scan.archive_page_ids.quality_state, "ok")

    def test_multi_page_tiff_and_page_count_warning(self):
        frames = [
            Image.open(
                io.BytesIO(page_bytes([f"第{i}页"], dpi=200, image_format="PNG"))
            )
            for i in (1, 2, 3)
        ]
        buffer = io.BytesIO()
        frames[0].save(
            buffer,
            format="TIFF",
            save_all=True,
            append_images=frames[1:],
            dpi=(200, 200),
        )
        scan, __ = self.upload(self.material_a, buffer.getvalue(), name="pages.tif")
        self.assertEqual(scan.archive_page_ids.mapped("page_number"), [1, 2, 3])
        self.assertEqual(self.material_a.scanned_page_count, 3)
        self.assertTrue(self.material_a.page_count_mismatch)  # the catalog says 2
        self.material_a.page_count = 3
        self.assertFalse(self.material_a.page_count_mismatch)

    def test_refused_files_leave_the_material_intact(self):
        good, __ = self.upload(self.material_a, page_bytes(["干部履历表"]))
        jpeg = page_bytes(["x"])
        bomb = io.BytesIO()
        Image.new("L", (12000, 12000), "white").save(bomb, format="PNG")
        for label, raw in (
            ("truncated", jpeg[: len(jpeg) // 2]),
            ("text", b"not a scan"),
            ("bomb", bomb.getvalue()),
        ):
            with self.subTest(label), self.assertRaises(ValidationError):
                self.upload(self.material_a, raw)
        self.assertEqual(self.material_a.attachment_ids, good)
        self.assertEqual(len(self.material_a.page_ids), 1)


@tagged("post_install", "-at_install")
class TestOcrJobs(DigitizationCase):
    def test_new_scans_queue_one_job_per_page(self):
        scan, trap = self.upload(self.material_a, page_bytes(["干部履历表"]))
        page = scan.archive_page_ids
        trap.assert_jobs_count(1, only=page._run_ocr)
        job = trap.enqueued_jobs[0]
        self.assertEqual(job.channel, "root.cadre_archive_ocr")
        self.assertEqual(page.ocr_state, "queued")
        self.assertEqual(self.material_a.ocr_state, "queued")
        with trap_jobs() as again:
            self.material_a.action_run_ocr()
        again.assert_jobs_count(1, only=page._run_ocr)

    def test_ocr_finds_the_chinese_text(self):
        if not HAS_TESSERACT:
            self.skipTest("tesseract is not installed")
        scan, trap = self.upload(
            self.material_a,
            page_bytes(["干部履历表", "出生日期 1985年03月12日", "中共党员"], dpi=300),
        )
        with trap_jobs() as gather:
            trap.perform_enqueued_jobs()  # the page's OCR
        # one job of its own gathers the pages' text on the material
        gather.assert_jobs_count(1, only=self.material_a._compose_ocr_text)
        gather.perform_enqueued_jobs()
        page = scan.archive_page_ids
        self.assertEqual(page.ocr_state, "done")
        self.assertIn("干部履历表", page.ocr_text)
        self.assertIn("1985年03月12日", self.material_a.ocr_text)

    def test_ocr_run_at_once_ends_done(self):
        """With queue_job's ``queue_job__no_delay`` (jobs run at once, as a
        seeding script or a debugging session does), the page's result is the
        last word, not the "queued" that announced it."""
        if not HAS_TESSERACT:
            self.skipTest("tesseract is not installed")
        scan = (
            self.env["ir.attachment"]
            .with_context(queue_job__no_delay=True)
            .create(
                {
                    "name": "page.jpg",
                    "res_model": "cadre.archive.material",
                    "res_id": self.material_a.id,
                    "raw": page_bytes(["干部履历表", "中共党员"], dpi=300),
                }
            )
        )
        page = scan.archive_page_ids
        self.assertEqual(page.ocr_state, "done")
        self.assertIn("干部履历表", page.ocr_text)
        self.assertIn("干部履历表", self.material_a.ocr_text)

    def test_ocr_text_stays_correctable_after_filing(self):
        self.material_a.action_file()
        self.env.cr.precommit.clear()
        material = self.material_a.with_env(self.env(context={}, user=self.officer_a))
        material.ocr_text = "干部履历表（校对）"
        self.env.flush_all()
        self.env.cr.precommit.run()  # mail tracking is written at commit
        self.material_a.invalidate_recordset(["message_ids"])
        self.assertEqual(self.material_a.ocr_text, "干部履历表（校对）")
        tracked = self.material_a.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "ocr_text"
        )
        self.assertTrue(tracked)


@tagged("post_install", "-at_install")
class TestSuggestions(DigitizationCase):
    def test_category_and_date_are_suggested_not_applied(self):
        material = self.create_material(
            self.dossier_a, self.cat_cv, "年度考核登记表", date=False
        )
        material.ocr_text = "年度考核登记表 填表日期 2001年12月20日"
        self.assertEqual(
            material.suggested_category_id, self.env.ref("cadre_archive.category_3")
        )
        self.assertEqual(material.suggested_date, "2001.12.20")
        self.assertEqual(material.category_id, self.cat_cv)
        self.assertFalse(material.date)
        material.action_accept_suggested_category()
        material.action_accept_suggested_date()
        self.assertEqual(material.category_id.code, "3")
        self.assertEqual(material.date_input, "2001.12.20")

    def test_keywords_are_configurable(self):
        category = self.env.ref("cadre_archive.category_10")
        category.with_user(self.manager).keywords = "档案专审意见"
        material = self.create_material(self.dossier_a, self.cat_cv, "档案专审意见")
        self.assertEqual(material.suggested_category_id, category)
        with self.assertRaises(AccessError):
            category.with_user(self.manager).name = "改名"


@tagged("post_install", "-at_install")
class TestFullTextSearch(DigitizationCase):
    def test_trigram_indexes_exist(self):
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'cadre_archive_material'"
        )
        definitions = " ".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("gin_trgm_ops", definitions)
        self.assertIn("ocr_text", definitions)

    def search_archive(self, user, *domain, term=None):
        """Search materials as ``user`` the way the archive search's bar does:
        the words facet sets the context key of the Found In column."""
        context = {"cadre_archive_search": [term]} if term else {}
        found_domain = [("search_snippet", "ilike", term)] if term else []
        return (
            self.env["cadre.archive.material"]
            .with_user(user)
            .with_context(**context)
            .search(found_domain + list(domain))
        )

    def test_search_respects_the_rules(self):
        self.material_a.ocr_text = "经研究决定，任命张三同志为县财政局副局长。"
        self.material_b.ocr_text = "任命李四同志为县教育局局长。"
        for user, expected in (
            (self.officer_a, self.material_a),
            (self.officer_b, self.material_b),
            (self.manager, self.material_a | self.material_b),
        ):
            found = self.search_archive(user, term="同志为县")
            self.assertEqual(found, expected.with_user(user))
            self.assertIn("同志为县", found[0].search_snippet)
        self.assertFalse(self.search_archive(self.requester, term="同志为县"))

    def test_words_search_the_title_and_the_text(self):
        self.material_a1.ocr_text = "学士学位"
        self.assertEqual(
            self.search_archive(self.officer_a, term="履历"), self.material_a
        )
        self.assertEqual(
            self.search_archive(self.officer_a, term="学士"), self.material_a1
        )
        self.assertEqual(
            self.env["cadre.archive.material"]
            .with_user(self.officer_a)
            .search([("search_snippet", "not ilike", "履历")]),
            self.material_a1,
        )

    def test_filters_by_unit_category_and_year(self):
        self.material_a.ocr_text = "任命通知"
        self.material_a1.ocr_text = "任命通知"
        found = self.search_archive(
            self.officer_a,
            ("category_id", "child_of", self.env.ref("cadre_archive.category_4").id),
            ("formation_year", "ilike", "1990"),
            term="任命通知",
        )
        self.assertEqual(found, self.material_a1)
        found = self.search_archive(
            self.officer_a,
            ("department_id", "child_of", self.unit_a1.id),
            term="任命通知",
        )
        self.assertEqual(found, self.material_a1)
        self.assertEqual(
            self.search_archive(
                self.officer_a, ("formation_year", "ilike", "1985-1989")
            ),
            self.env["cadre.archive.material"],
        )
        self.assertEqual(
            self.search_archive(
                self.officer_a, ("formation_year", "ilike", "1989年至1991年")
            ),
            self.material_a | self.material_a1,
        )

    def test_snippet_escapes_the_title_and_marks_the_words(self):
        self.material_a.name = "<script>alert(1)</script>任免审批表"
        self.material_a.ocr_text = "<b>经研究决定</b>，任命张三同志为县财政局副局长。"
        found = self.search_archive(self.officer_a, term="审批")
        self.assertEqual(
            str(found.search_snippet),
            "&lt;script&gt;alert(1)&lt;/script&gt;任免"
            '<mark class="o_cadre_archive_match">审批</mark>表',
        )
        found = self.search_archive(self.officer_a, term="经研究")
        self.assertIn("&lt;b&gt;<mark", found.search_snippet)
        self.assertNotIn("<b>", found.search_snippet)
        self.assertFalse(
            found.with_context(cadre_archive_search=None).search_snippet,
            "no words searched, nothing to show",
        )

    def test_an_undated_material_has_no_year(self):
        self.material_a.date_input = False
        self.assertFalse(self.material_a.formation_year)
        self.assertFalse(self.material_a.date_input)
        self.assertEqual(self.material_a1.formation_year, "1990")
        with self.assertRaises(UserError):
            self.search_archive(self.officer_a, ("formation_year", "ilike", "0 - 0"))

    def test_the_menu_opens_the_list_with_the_search_bar(self):
        action = self.env.ref("cadre_archive.action_cadre_archive_search")
        self.assertEqual(
            (action.res_model, action.target, action.view_mode),
            ("cadre.archive.material", "current", "list,form"),
        )
        self.assertEqual(
            action.view_ids[0].view_id,
            self.env.ref("cadre_archive.cadre_archive_material_view_list_search"),
        )
        search_view = action.search_view_id
        self.assertEqual(
            search_view,
            self.env.ref("cadre_archive.cadre_archive_material_view_search_archive"),
        )
        self.assertIn("'cadre_archive_search': self", search_view.arch)
        views = (
            self.env["cadre.archive.material"]
            .with_user(self.officer_a)
            .get_views(
                [(action.view_ids[0].view_id.id, "list"), (search_view.id, "search")]
            )
        )
        self.assertIn("search_snippet", views["views"]["list"]["arch"])
        self.assertIn("searchpanel", views["views"]["search"]["arch"])


@tagged("post_install", "-at_install")
class TestBulkImport(DigitizationCase):
    def make_zip(self, files):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        return base64.b64encode(buffer.getvalue())

    def run_import(self, files, user=None):
        wizard = (
            self.env["cadre.archive.import"]
            .with_user(user or self.officer_a)
            .create({"zip_file": self.make_zip(files), "zip_name": "scans.zip"})
        )
        with trap_jobs():
            wizard.action_dry_run()
        return wizard

    def test_dry_run_import_and_rerun(self):
        number = self.dossier_a.name
        files = {
            f"{number}_4-1_1_1.jpg": page_bytes(["学位证书 第1页"], dpi=200),
            f"{number}_4-1_1_2.jpg": page_bytes(["学位证书 第2页"], dpi=200),
            f"{self.dossier_a1.name}/1_1_1.png": page_bytes(
                ["履历表"], dpi=200, image_format="PNG"
            ),
            f"{number}_4_1_1.jpg": page_bytes(["bad category"], dpi=200),
            f"{number}_x_1_1.jpg": b"nothing",
            f"{self.dossier_b.name}_1_1_1.jpg": page_bytes(["other unit"], dpi=200),
        }
        wizard = self.run_import(files)
        by_action = {}
        for line in wizard.line_ids:
            by_action.setdefault(line.action, []).append(line)
        self.assertEqual(len(by_action["create"]), 2)
        self.assertEqual(len(by_action["error"]), 3)
        self.assertFalse(
            self.env["cadre.archive.material"].search(
                [
                    ("dossier_id", "=", self.dossier_a.id),
                    ("category_id", "=", self.cat_degree.id),
                ]
            ),
            "the dry run imports nothing",
        )
        with trap_jobs():
            wizard.action_import()
        created = self.env["cadre.archive.material"].search(
            [
                ("dossier_id", "=", self.dossier_a.id),
                ("category_id", "=", self.cat_degree.id),
            ]
        )
        self.assertEqual(created.code, "4-1-1", "the paper's number is kept")
        self.assertEqual(len(created.attachment_ids), 2)
        self.assertEqual(created.page_ids.mapped("page_number"), [1, 1])
        self.assertEqual(created.state, "draft")
        again = self.run_import(files)
        self.assertEqual(
            sorted(
                again.line_ids.filtered(lambda line: line.action != "error").mapped(
                    "action"
                )
            ),
            ["skip", "skip"],
        )
        with trap_jobs():
            again.action_import()
        self.assertEqual(len(created.attachment_ids), 2, "no duplicate on re-run")

    def test_a_material_is_all_or_nothing(self):
        number = self.dossier_a.name
        files = {
            f"{number}_7_1_1.jpg": page_bytes(["嘉奖"], dpi=200),
            f"{number}_7_1_3.jpg": page_bytes(["嘉奖"], dpi=200),
        }
        wizard = self.run_import(files)
        self.assertEqual(set(wizard.line_ids.mapped("action")), {"error"})
        self.assertFalse(wizard.ready_count)


@tagged("post_install", "-at_install")
class TestIntegrity(DigitizationCase):
    def test_tampered_file_is_detected(self):
        scan, __ = self.upload(self.material_a, page_bytes(["干部履历表"]))
        self.assertTrue(scan.archive_sha256)
        self.material_a.action_file()
        result = self.material_a.with_user(self.officer_a).action_verify_integrity()
        self.assertEqual(result["params"]["type"], "success")
        # someone alters the file behind Odoo's back
        path = scan._full_path(scan.store_fname)
        with open(path, "ab") as handle:
            handle.write(b"tampered")
        self.env["cadre.archive.material"]._cron_verify_integrity()
        self.assertEqual(scan.archive_integrity, "changed")
        alerts = self.material_a.activity_ids.filtered(
            lambda a: (
                a.activity_type_id == self.env.ref("mail.mail_activity_data_warning")
            )
        )
        self.assertIn(self.officer_a, alerts.user_id)
        os.remove(path)
        self.material_a._cron_verify_integrity()
        self.assertEqual(scan.archive_integrity, "missing")

    def test_checksum_is_system_only(self):
        draft = self.create_material(self.dossier_a, self.cat_degree, "草稿")
        scan, __ = self.upload(
            draft, page_bytes(["x"]), env=self.env(user=self.officer_a)
        )
        with self.assertRaises(UserError):
            scan.with_user(self.officer_a).archive_sha256 = "0" * 64
