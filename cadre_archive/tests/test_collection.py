# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime
import io
import re

import openpyxl

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CadreArchiveCase

REPORT = "cadre_archive.collection_register_xlsx"


@tagged("post_install", "-at_install")
class TestCollection(CadreArchiveCase):
    """The collection register (收集登记): batches received, their check, the
    materials entered from them, its XLSX and who sees it."""

    def new_batch(self, user=None, **vals):
        user = user or self.officer_a
        return (
            self.env["cadre.archive.collection"]
            .with_user(user)
            .create(
                {
                    "department_id": self.unit_a.id,
                    "handed_by": "张干事",
                    "date_received": "2026-03-05",
                    **vals,
                }
            )
        )

    def receive(self, batch, dossier, title, pages=2, user=None, category=None):
        """Enter a material received in ``batch`` as ``user`` (the officer)."""
        return (
            self.env["cadre.archive.material"]
            .with_user(user or self.officer_a)
            .create(
                {
                    "dossier_id": dossier.id,
                    "category_id": (category or self.cat_cv).id,
                    "name": title,
                    "date": "2026-02-20",
                    "page_count": pages,
                    "collection_id": batch.id,
                }
            )
        )

    # ------------------------------------------------------------------
    # Registering a batch and its materials
    # ------------------------------------------------------------------
    def test_batch_of_two_dossiers_counts_and_links(self):
        batch = self.new_batch(declared_material_count=2, declared_page_count=5)
        self.assertRegex(batch.name, r"^SJ2026-\d{4}$")
        self.assertEqual(batch.user_id, self.officer_a)
        self.assertEqual(batch.state, "draft")
        first = self.receive(batch, self.dossier_a, "2025年度考核登记表", pages=2)
        second = self.receive(batch, self.dossier_a1, "任免审批表", pages=2)
        self.assertEqual(batch.material_ids, first | second)
        self.assertEqual(
            set(batch.material_ids.dossier_id.ids),
            {
                self.dossier_a.id,
                self.dossier_a1.id,
            },
        )
        self.assertEqual(first.collection_id, batch)
        self.assertEqual((batch.material_count, batch.page_count), (2, 4))
        # the unit declared 5 pages, 4 were entered
        self.assertTrue(batch.count_mismatch)
        self.assertIn("5", batch.discrepancy)
        self.assertIn("4", batch.discrepancy)
        first.with_user(self.officer_a).page_count = 3
        self.assertFalse(batch.count_mismatch)
        self.assertFalse(batch.discrepancy)
        mismatched = self.env["cadre.archive.collection"].with_user(self.officer_a)
        self.assertNotIn(batch, mismatched.search([("count_mismatch", "=", True)]))

    def test_register_form_with_received_materials(self):
        """The officer registers a batch and enters its materials on its form."""
        collections = self.env["cadre.archive.collection"].with_user(self.officer_a)
        with Form(collections) as form:
            form.department_id = self.unit_a
            form.handed_by = "王干事"
            form.declared_material_count = 2
            for dossier, title in (
                (self.dossier_a, "任免审批表"),
                (self.dossier_a1, "干部任职通知"),
            ):
                with form.material_ids.new() as line:
                    line.dossier_id = dossier
                    line.category_id = self.cat_appointment
                    line.name = title
                    line.date_input = "2026.01"
                    line.page_count = 1
        batch = form.record
        self.assertEqual(batch.material_count, 2)
        self.assertEqual(batch.material_ids.mapped("state"), ["draft", "draft"])
        self.assertEqual(batch.material_ids.collection_id, batch)
        self.assertEqual(batch.date_received, fields.Date.context_today(batch))
        action = batch.action_open_materials()
        self.assertEqual(
            self.env["cadre.archive.material"]
            .with_user(self.officer_a)
            .search(action["domain"]),
            batch.material_ids,
        )
        batch.action_accept()
        self.assertEqual(
            batch.action_file_materials()["res_model"], "cadre.archive.filing.check"
        )
        # the material's own form offers the batch to officers
        with Form(batch.material_ids[0].with_user(self.officer_a)) as material:
            self.assertEqual(material.collection_id, batch)

    def test_numbers_follow_the_year_of_receipt(self):
        first = self.new_batch(date_received="2025-12-30")
        second = self.new_batch(date_received="2026-01-02")
        third = self.new_batch(date_received="2026-01-03")
        self.assertTrue(first.name.startswith("SJ2025-"))
        self.assertTrue(second.name.startswith("SJ2026-"))
        self.assertEqual(
            int(third.name.rsplit("-", 1)[1]), int(second.name.rsplit("-", 1)[1]) + 1
        )

    def test_unit_or_outside_organisation_is_required(self):
        with self.assertRaises(ValidationError):
            self.new_batch(department_id=False)
        partner = self.env["res.partner"].create({"name": "县人社局"})
        batch = self.new_batch(department_id=False, partner_id=partner.id)
        self.assertEqual(batch.unit_name, "县人社局")

    # ------------------------------------------------------------------
    # The check
    # ------------------------------------------------------------------
    def test_accept_needs_materials_or_declared_counts(self):
        empty = self.new_batch()
        with self.assertRaises(UserError):
            empty.action_accept()
        self.assertEqual(empty.state, "draft")
        empty.declared_material_count = 1
        empty.action_accept()
        self.assertEqual(empty.state, "accepted")
        self.assertEqual(empty.checked_uid, self.officer_a)
        self.assertTrue(empty.checked_date)
        with self.assertRaises(UserError):
            empty.action_accept()

    def test_materials_are_filed_only_once_the_batch_is_accepted(self):
        batch = self.new_batch()
        material = self.receive(batch, self.dossier_a, "干部履历表")
        with self.assertRaises(UserError):
            self.file_materials(material, user=self.officer_a)
        self.assertEqual(material.state, "draft")
        batch.action_accept()
        self.file_materials(material, user=self.officer_a)
        self.assertEqual(material.state, "filed")

    def test_checked_batch_is_fixed_but_its_notes(self):
        batch = self.new_batch(declared_material_count=1)
        batch.action_accept()
        for vals in (
            {"handed_by": "别人"},
            {"declared_page_count": 9},
            {"date_received": "2026-03-01"},
            {"department_id": self.unit_a1.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                batch.write(vals)
        batch.note = "原件已核对"
        self.assertEqual(batch.note, "原件已核对")
        # materials may still be entered into an accepted batch
        material = self.receive(batch, self.dossier_a, "学位证书")
        self.assertEqual(batch.material_count, 1)
        self.assertEqual(material.collection_id, batch)

    def test_return_needs_a_reason(self):
        batch = self.new_batch(declared_material_count=2, declared_page_count=4)
        material = self.receive(batch, self.dossier_a, "任免审批表")
        for reason in ("", "   ", None):
            with self.subTest(reason=reason), self.assertRaises(UserError):
                batch.action_return(reason)
        wizard = (
            self.env["cadre.archive.collection.reason"]
            .with_user(self.officer_a)
            .create(
                {
                    "collection_ids": [(6, 0, batch.ids)],
                    "action": "return",
                    "reason": "任免审批表缺少审批机关印章",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(batch.state, "returned")
        self.assertEqual(batch.return_reason, "任免审批表缺少审批机关印章")
        self.assertEqual(batch.checked_uid, self.officer_a)
        with self.assertRaises(UserError):
            batch.action_accept()
        # its materials went back with it: not filed, nothing new entered into it
        with self.assertRaises(UserError):
            self.file_materials(material, user=self.officer_a)
        with self.assertRaises(UserError):
            self.receive(batch, self.dossier_a, "补充材料")
        # the corrected material comes back in a new batch
        again = self.new_batch(date_received="2026-03-20")
        material.with_user(self.officer_a).collection_id = again
        self.assertEqual(again.material_ids, material)

    def test_reset_is_for_managers_with_a_reason(self):
        batch = self.new_batch(declared_material_count=1)
        batch.action_return("缺页")
        with self.assertRaises(AccessError):
            batch.action_reset_to_draft("弄错了")
        manager_batch = batch.with_user(self.manager)
        with self.assertRaises(UserError):
            manager_batch.action_reset_to_draft(" ")
        manager_batch.action_reset_to_draft("误退回")
        self.assertEqual(batch.state, "draft")
        self.assertFalse(batch.return_reason)
        self.assertFalse(batch.checked_uid)
        self.assertIn("误退回", batch.message_ids[0].body)
        with self.assertRaises(UserError):
            manager_batch.action_reset_to_draft("again")

    def test_a_batch_with_filed_materials_is_not_returned(self):
        batch = self.new_batch()
        material = self.receive(batch, self.dossier_a, "干部履历表")
        batch.action_accept()
        self.file_materials(material, user=self.officer_a)
        batch.with_user(self.manager).action_reset_to_draft("数量登记错误")
        with self.assertRaises(UserError):
            batch.action_return("退回")
        self.assertEqual(batch.state, "draft")

    def test_only_empty_drafts_are_deleted(self):
        batch = self.new_batch()
        material = self.receive(batch, self.dossier_a, "干部履历表")
        with self.assertRaises(UserError):
            batch.unlink()
        material.with_user(self.officer_a).unlink()
        batch.declared_material_count = 1
        batch.action_accept()
        with self.assertRaises(UserError):
            batch.unlink()
        empty = self.new_batch()
        empty.unlink()
        self.assertFalse(empty.exists())

    # ------------------------------------------------------------------
    # The link of a filed material is fixed like the rest of it
    # ------------------------------------------------------------------
    def test_filed_material_keeps_its_batch(self):
        batch = self.new_batch()
        material = self.receive(batch, self.dossier_a, "干部履历表")
        batch.action_accept()
        self.file_materials(material, user=self.officer_a)
        other = self.new_batch(declared_material_count=1)
        for env_material in (
            material.with_user(self.officer_a),
            material.with_user(self.manager),
            material.sudo(),
        ):
            for value in (False, other.id):
                with self.subTest(user=env_material.env.uid, value=value):
                    with self.assertRaises(UserError):
                        env_material.write({"collection_id": value})
        self.assertEqual(material.collection_id, batch)
        # a filed material without a batch does not get one afterwards either
        self.file_materials(self.material_a)
        with self.assertRaises(UserError):
            self.material_a.with_user(self.officer_a).collection_id = other

    # ------------------------------------------------------------------
    # The register as XLSX, per period
    # ------------------------------------------------------------------
    def register_batches(self):
        march = self.new_batch(
            date_received="2026-03-02",
            handed_by="张干事",
            declared_material_count=2,
            declared_page_count=4,
        )
        self.receive(march, self.dossier_a, "干部履历表", pages=2)
        self.receive(march, self.dossier_a1, "学位证书", pages=3)
        march.action_accept()
        returned = self.new_batch(
            date_received="2026-03-31",
            handed_by="李干事",
            department_id=self.unit_a1.id,
            declared_material_count=1,
            declared_page_count=6,
        )
        returned.action_return("缺少本人签字")
        february = self.new_batch(date_received="2026-02-28", declared_material_count=7)
        february.action_accept()
        return march, returned, february

    def read_xlsx(self, content):
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        return sheet, list(sheet.iter_rows(min_row=3, values_only=True))

    def test_xlsx_of_a_period_through_the_export(self):
        march, returned, february = self.register_batches()
        wizard = (
            self.env["cadre.archive.collection.export"]
            .with_user(self.officer_a)
            .create({"date_from": "2026-03-01", "date_to": "2026-03-31"})
        )
        action = wizard.action_export()
        self.assertEqual(action["report_name"], REPORT)
        self.assertEqual(action["context"]["active_ids"], (returned | march).ids)
        content, report_type = (
            self.env["ir.actions.report"]
            .with_user(self.officer_a)
            ._render(REPORT, action["context"]["active_ids"], data=action["data"])
        )
        self.assertEqual(report_type, "xlsx")
        sheet, rows = self.read_xlsx(content)
        self.assertIn("2026-03-01", sheet["A1"].value)
        self.assertEqual(sheet["A2"].value, "Register Number")
        self.assertEqual(len(rows), 3)
        first, second, total = rows
        self.assertEqual(first[0], march.name)
        self.assertEqual(first[1], "Unit A")
        self.assertEqual(first[2], "张干事")
        self.assertEqual(first[3].date(), datetime.date(2026, 3, 2))
        self.assertEqual(first[4], self.officer_a.name)
        self.assertEqual(first[5:9], (2, 4, 2, 5))
        self.assertEqual(first[9], "Accepted")
        self.assertIsNone(first[10])
        self.assertEqual(second[0], returned.name)
        self.assertEqual(second[1], "Unit A / Unit A1")
        self.assertEqual(second[5:9], (1, 6, 0, 0))
        self.assertEqual(second[9], "Returned for Correction")
        self.assertEqual(second[10], "缺少本人签字")
        self.assertEqual(total[0], "Total")
        self.assertEqual(total[5:9], (3, 10, 2, 5))
        self.assertNotIn(february.name, [row[0] for row in rows])

    def test_xlsx_leaves_out_batches_outside_the_period(self):
        march, returned, february = self.register_batches()
        content, __ = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render(
                REPORT,
                (march | returned | february).ids,
                data={"date_from": "2026-03-01", "date_to": "2026-03-15"},
            )
        )
        __, rows = self.read_xlsx(content)
        self.assertEqual([row[0] for row in rows], [march.name, "Total"])
        self.assertEqual(rows[-1][5:9], (2, 4, 2, 5))
        # without a period (printed from the list), every batch given
        content, __ = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render(REPORT, (march | february).ids)
        )
        __, rows = self.read_xlsx(content)
        self.assertEqual([row[0] for row in rows], [february.name, march.name, "Total"])
        self.assertEqual(rows[-1][5], 9)

    def test_export_by_unit_and_empty_period(self):
        march, returned, __ = self.register_batches()
        export = self.env["cadre.archive.collection.export"].with_user(self.officer_a)
        action = export.create(
            {
                "date_from": "2026-03-01",
                "date_to": "2026-03-31",
                "department_id": self.unit_a1.id,
            }
        ).action_export()
        self.assertEqual(action["context"]["active_ids"], returned.ids)
        with self.assertRaises(UserError):
            export.create(
                {"date_from": "2026-04-01", "date_to": "2026-04-30"}
            ).action_export()
        with self.assertRaises(UserError):
            export.create(
                {"date_from": "2026-03-31", "date_to": "2026-03-01"}
            ).action_export()

    # ------------------------------------------------------------------
    # Who sees and changes the register
    # ------------------------------------------------------------------
    def test_requesters_and_employees_have_no_register(self):
        batch = self.new_batch(declared_material_count=1)
        for user in (self.requester, self.employee_user):
            collections = self.env["cadre.archive.collection"].with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    collections.search([])
                with self.assertRaises(AccessError):
                    batch.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    collections.create(
                        {"department_id": self.unit_a.id, "handed_by": "x"}
                    )
                with self.assertRaises(AccessError):
                    self.env["ir.actions.report"].with_user(user)._render(
                        REPORT, batch.ids
                    )
                with self.assertRaises(AccessError):
                    self.env["cadre.archive.collection.export"].with_user(user).create(
                        {"date_from": "2026-03-01", "date_to": "2026-03-31"}
                    )
                # the batch of a material is not among the fields they may read
                self.assertNotIn(
                    "collection_id",
                    self.env["cadre.archive.material"].with_user(user).fields_get(),
                )

    def test_officer_of_another_unit_is_refused(self):
        batch = self.new_batch(declared_material_count=1)
        other = batch.with_user(self.officer_b)
        collections = self.env["cadre.archive.collection"].with_user(self.officer_b)
        self.assertFalse(collections.search([("id", "=", batch.id)]))
        with self.assertRaises(AccessError):
            other.read(["name", "handed_by"])
        with self.assertRaises(AccessError):
            other.write({"note": "x"})
        with self.assertRaises(AccessError):
            other.action_accept()
        with self.assertRaises(AccessError):
            other.action_return("x")
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.officer_b)._render(
                REPORT, batch.ids
            )
        # nor can they put their unit's materials into it
        with self.assertRaises(AccessError):
            self.receive(batch, self.dossier_b, "任免审批表", user=self.officer_b)
        with self.assertRaises(AccessError):
            self.material_b.with_user(self.officer_b).collection_id = batch
        # nor register a batch in another officer's name for a unit not theirs
        with self.assertRaises(AccessError):
            self.new_batch(user=self.officer_b, user_id=self.officer_a.id)

    def test_officer_sees_the_batches_they_received(self):
        # officer B receives at the counter a batch handed over by unit A
        received = self.new_batch(user=self.officer_b, declared_material_count=1)
        self.assertEqual(received.user_id, self.officer_b)
        collections = self.env["cadre.archive.collection"]
        self.assertIn(received, collections.with_user(self.officer_b).search([]))
        # unit A's officer keeps it too, the manager sees everything
        self.assertIn(received, collections.with_user(self.officer_a).search([]))
        mine = self.new_batch()
        self.assertEqual(
            collections.with_user(self.manager).search(
                [("id", "in", (mine | received).ids)]
            ),
            mine | received,
        )
        self.assertNotIn(mine, collections.with_user(self.officer_b).search([]))

    def test_system_fields_are_refused(self):
        batch = self.new_batch(declared_material_count=1)
        for vals in (
            {"state": "accepted"},
            {"name": "SJ1999-0001"},
            {"return_reason": "x"},
            {"checked_uid": self.officer_a.id},
            {"checked_date": "2026-03-01 10:00:00"},
        ):
            for user in (self.officer_a, self.manager):
                with self.subTest(vals=vals, user=user.login):
                    with self.assertRaises(UserError):
                        batch.with_user(user).write(vals)
        with self.assertRaises(UserError):
            self.new_batch(name="SJ1999-0001")
        with self.assertRaises(UserError):
            self.new_batch(state="accepted")
        self.assertEqual(batch.state, "draft")
        self.assertTrue(re.match(r"^SJ2026-", batch.name))
