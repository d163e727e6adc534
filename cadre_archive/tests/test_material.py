# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..lib import pages as page_images
from .common import CadreArchiveCase, make_jpeg


@tagged("post_install", "-at_install")
class TestMaterialNumbering(CadreArchiveCase):
    """顺序号 are given at filing, per dossier and category, without gaps."""

    def test_drafts_have_no_number(self):
        self.assertFalse(self.material_a.sequence_number)
        self.assertFalse(self.material_a.code)
        self.assertEqual(self.material_a.display_name, "干部履历表")

    def test_numbers_follow_category_and_dossier(self):
        second_cv = self.create_material(
            self.dossier_a, self.cat_cv, "干部任免审批表", date="1995-01-01"
        )
        other_category = self.create_material(self.dossier_a, self.cat_degree, "毕业证")
        other_dossier = self.create_material(self.dossier_a1, self.cat_cv, "履历表")
        self.file_materials(
            self.material_a
            | second_cv
            | other_category
            | other_dossier
            | self.material_a1
        )
        self.assertEqual(self.material_a.code, "1-1")
        self.assertEqual(second_cv.code, "1-2")
        self.assertEqual(other_category.code, "4-1-1")
        self.assertEqual(self.material_a1.code, "4-1-1")
        self.assertEqual(other_dossier.code, "1-1")

    def test_batch_filing_numbers_by_formation_date(self):
        self.file_materials(self.material_b)
        materials = self.env["cadre.archive.material"].create(
            [
                {
                    "dossier_id": self.dossier_b.id,
                    "category_id": self.cat_appointment.id,
                    "name": f"任免审批表 {year}",
                    "date": f"{year}-01-01",
                    "page_count": 1,
                }
                for year in (2005, 1999, 2001)
            ]
        )
        self.file_materials(materials)
        self.assertEqual(materials.mapped("code"), ["9-2-4", "9-2-2", "9-2-3"])

    def test_no_gap_after_a_deleted_or_moved_draft(self):
        self.file_materials(self.material_a)
        deleted = self.create_material(self.dossier_a, self.cat_cv, "作废草稿")
        moved = self.create_material(self.dossier_a, self.cat_cv, "学位证书")
        kept = self.create_material(self.dossier_a, self.cat_cv, "补充履历")
        deleted.unlink()
        moved.category_id = self.cat_degree
        self.file_materials(kept | moved)
        self.assertEqual(kept.code, "1-2")
        self.assertEqual(moved.code, "4-1-1")
        numbers = (
            self.env["cadre.archive.material"]
            .search(
                [
                    ("dossier_id", "=", self.dossier_a.id),
                    ("category_id", "=", self.cat_cv.id),
                ]
            )
            .mapped("sequence_number")
        )
        self.assertEqual(sorted(numbers), [1, 2])

    def test_moved_draft_gives_up_a_paper_number(self):
        draft = self.create_material(self.dossier_a, self.cat_cv, "来自纸质目录")
        draft._workflow_write({"sequence_number": 7})
        self.assertEqual(draft.code, "1-7")
        draft.category_id = self.cat_degree
        self.assertFalse(draft.code)

    def test_client_cannot_set_numbers_or_state(self):
        with self.assertRaises(UserError):
            self.material_a.with_user(self.officer_a).write({"sequence_number": 7})
        with self.assertRaises(UserError):
            self.material_a.with_user(self.officer_a).write({"state": "filed"})
        with self.assertRaises(UserError):
            self.material_a.with_user(self.officer_a).write({"check_method": "paper"})
        with self.assertRaises(UserError):
            self.env["cadre.archive.material"].with_user(self.officer_a).create(
                {
                    "dossier_id": self.dossier_a.id,
                    "category_id": self.cat_cv.id,
                    "name": "x",
                    "state": "filed",
                }
            )
        with self.assertRaises(UserError):
            self.env["cadre.archive.material"].with_user(self.officer_a).create(
                {
                    "dossier_id": self.dossier_a.id,
                    "category_id": self.cat_cv.id,
                    "name": "x",
                    "sequence_number": 3,
                }
            )
        self.assertEqual(self.material_a.state, "draft")
        self.assertFalse(self.material_a.code)

    def test_material_number_stable_after_filing(self):
        self.file_materials(self.material_a)
        later = self.create_material(self.dossier_a, self.cat_cv, "补充材料")
        self.file_materials(later)
        self.assertEqual(self.material_a.code, "1-1")
        self.assertEqual(later.code, "1-2")


@tagged("post_install", "-at_install")
class TestMaterialDates(CadreArchiveCase):
    def test_partial_dates_are_stored_and_shown(self):
        material = self.create_material(self.dossier_a, self.cat_cv, "自传")
        cases = [
            ("1985年3月", datetime.date(1985, 3, 1), "month", "1985.03"),
            ("1985", datetime.date(1985, 1, 1), "year", "1985"),
            ("1985.03.12", datetime.date(1985, 3, 12), "day", "1985.03.12"),
            ("一九八五年三月十二日", datetime.date(1985, 3, 12), "day", "1985.03.12"),
        ]
        for typed, date, precision, shown in cases:
            with self.subTest(typed=typed):
                material.date_input = typed
                material.invalidate_recordset(["date_input"])
                self.assertEqual(material.date, date)
                self.assertEqual(material.date_precision, precision)
                self.assertEqual(material.date_input, shown)

    def test_partial_dates_sort(self):
        day = self.create_material(self.dossier_b, self.cat_cv, "day")
        day.date_input = "1985.03.02"
        month = self.create_material(self.dossier_b, self.cat_cv, "month")
        month.date_input = "1985.03"
        year = self.create_material(self.dossier_b, self.cat_cv, "year")
        year.date_input = "1984"
        ordered = self.env["cadre.archive.material"].search(
            [("id", "in", (day | month | year).ids)], order="date, id"
        )
        self.assertEqual(ordered.mapped("name"), ["year", "month", "day"])

    def test_unparsable_date_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not a date"):
            self.material_a.date_input = "last spring"
        with self.assertRaisesRegex(ValidationError, "not a possible date"):
            self.material_a.date_input = "1985.02.30"

    @freeze_time("2026-03-15")
    def test_future_date_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "future"):
            self.material_a.date_input = "2026.03.16"
        with self.assertRaisesRegex(ValidationError, "future"):
            self.material_a.date_input = "2026.04"
        self.material_a.date_input = "2026.03"  # the current month is allowed
        self.assertEqual(self.material_a.date_precision, "month")


@tagged("post_install", "-at_install")
class TestMaterialErrors(CadreArchiveCase):
    def test_parent_category_is_refused(self):
        for xmlid in ("cadre_archive.category_4", "cadre_archive.category_9"):
            with self.assertRaisesRegex(ValidationError, "sub-categories"):
                self.create_material(self.dossier_a, self.env.ref(xmlid), "x")

    @mute_logger("odoo.sql_db")
    def test_page_count_must_be_positive(self):
        for pages in (0, -3):
            with self.assertRaises(ValidationError):
                self.create_material(self.dossier_a, self.cat_cv, "x", page_count=pages)

    def test_form_shows_category_domain(self):
        form = Form(self.env["cadre.archive.material"])
        form.dossier_id = self.dossier_a
        form.category_id = self.cat_degree
        form.name = "学位证书"
        form.date_input = "2001.07"
        form.page_count = 1
        material = form.save()
        self.assertFalse(material.code, "numbered when filed")
        material.action_file()
        self.assertEqual(material.code, "4-1-1")
        self.assertEqual(material.date_precision, "month")

    def test_unreadable_scans_are_refused(self):
        jpeg = make_jpeg("truncated")
        bad_files = {
            "not a scan": b"just some text, not an image",
            "truncated": jpeg[: len(jpeg) // 2],
            "empty": b"",
        }
        for label, data in bad_files.items():
            with self.subTest(label), self.assertRaises(ValidationError):
                self.env["ir.attachment"].create(
                    {
                        "name": "page.jpg",
                        "res_model": "cadre.archive.material",
                        "res_id": self.material_a.id,
                        "datas": base64.b64encode(data),
                    }
                )
        self.assertFalse(self.material_a.attachment_ids)

    def test_scan_type_comes_from_content(self):
        scan = self.env["ir.attachment"].create(
            {
                "name": "page.pdf",
                "res_model": "cadre.archive.material",
                "res_id": self.material_a.id,
                "datas": base64.b64encode(make_jpeg()),
            }
        )
        self.assertEqual(scan.mimetype, "image/jpeg")

    def test_scans_are_stored_byte_for_byte(self):
        """Odoo shrinks big images on upload; archive scans are kept as they are."""
        big = page_images.render_text_page(["干部履历表"], dpi=300)
        scan = self.env["ir.attachment"].create(
            {
                "name": "page.jpg",
                "res_model": "cadre.archive.material",
                "res_id": self.material_a.id,
                "raw": big,
            }
        )
        self.assertEqual(scan.raw, big)
        partner_image = self.env["ir.attachment"].create(
            {"name": "photo.jpg", "res_model": "res.partner", "raw": big}
        )
        self.assertNotEqual(partner_image.raw, big, "other images still shrink")
        self.assertEqual(self.material_a.attachment_ids, scan)

    def test_filing_requires_a_formation_date(self):
        material = self.create_material(self.dossier_a, self.cat_cv, "x", date=False)
        with self.assertRaisesRegex(UserError, "formation date"):
            material.action_file()
        self.assertEqual(material.state, "draft")
