# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import shutil
import subprocess
import unicodedata

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CadreArchiveCase, JsonRpcMixin

CHANGE_ACTIVITY = "cadre_archive.mail_act_archive_change_approval"


@tagged("post_install", "-at_install")
class TestFilingCheck(CadreArchiveCase):
    """The check before filing (鉴别), per category, recorded point by point."""

    def test_category_with_a_checklist_files_only_once_checked(self):
        material = self.material_b.with_user(self.officer_b)
        items = material._filing_check_items()
        self.assertEqual(len(items), 2, "9-2 ships two checks")
        with self.assertRaisesRegex(UserError, "checked before filing"):
            material.action_file()
        self.assertEqual(self.material_b.state, "draft")
        action = material.action_open_filing_check()
        wizard = self.env["cadre.archive.filing.check"].with_user(self.officer_b)
        wizard = wizard.browse(action["res_id"])
        self.assertEqual(wizard.line_ids.item_id, items)
        wizard.line_ids[0].passed = True
        with self.assertRaisesRegex(UserError, "not passed"):
            wizard.action_confirm()
        self.assertEqual(self.material_b.state, "draft")
        self.assertFalse(self.material_b.check_ids)
        wizard.line_ids.passed = True
        wizard.action_confirm()
        self.assertEqual(self.material_b.state, "filed")
        self.assertEqual(self.material_b.code, "9-2-1")
        self.assertEqual(self.material_b.check_method, "checklist")
        self.assertEqual(self.material_b.check_ids.item_id, items)
        self.assertEqual(self.material_b.check_ids.user_id, self.officer_b)

    def test_batch_filing_from_the_list_asks_the_checks_of_each(self):
        materials = self.material_a | self.material_b
        action = (
            self.env.ref("cadre_archive.action_server_material_file")
            .with_user(self.manager)
            .with_context(
                active_model="cadre.archive.material", active_ids=materials.ids
            )
            .run()
        )
        wizard = self.env["cadre.archive.filing.check"].browse(action["res_id"])
        self.assertEqual(wizard.line_ids.material_id, self.material_b)
        wizard.with_user(self.manager).line_ids.passed = True
        wizard.with_user(self.manager).action_confirm()
        self.assertEqual(materials.mapped("state"), ["filed", "filed"])

    def test_category_without_checklist_files_directly(self):
        result = self.material_a.with_user(self.officer_a).action_open_filing_check()
        self.assertIs(result, True)
        self.assertEqual(self.material_a.state, "filed")

    def test_checklist_is_configuration(self):
        item = (
            self.env["cadre.archive.check.item"]
            .with_user(self.manager)
            .create({"name": "本人签字", "category_ids": [(6, 0, self.cat_cv.ids)]})
        )
        with self.assertRaisesRegex(UserError, "本人签字"):
            self.material_a.action_file()
        self.material_a.with_user(self.officer_a)._record_filing_checks(item)
        self.material_a.with_user(self.officer_a).action_file()
        self.assertEqual(self.material_a.check_ids.name, "本人签字")
        with self.assertRaises(AccessError):
            item.with_user(self.officer_a).write({"name": "x"})

    def test_a_check_of_another_category_is_refused(self):
        item = self.env.ref("cadre_archive.check_item_appointment_approval")
        with self.assertRaisesRegex(UserError, "not a check of category"):
            self.material_a.with_user(self.officer_a)._record_filing_checks(item)

    def test_check_records_are_the_archives_own(self):
        checks = self.env["cadre.archive.material.check"]
        item = self.env.ref("cadre_archive.check_item_appointment_approval")
        with self.assertRaises(UserError):  # AccessError is one too
            checks.with_user(self.officer_b).create(
                {
                    "material_id": self.material_b.id,
                    "item_id": item.id,
                    "name": "forged",
                    "user_id": self.officer_b.id,
                    "date": "2020-01-01 00:00:00",
                }
            )
        self.file_materials(self.material_b, user=self.officer_b)
        record = self.material_b.check_ids[:1]
        with self.assertRaises(UserError):
            record.with_user(self.officer_b).write({"name": "changed"})
        with self.assertRaises(UserError):
            record.with_user(self.manager).unlink()
        # officers of another unit do not see them
        self.assertFalse(
            checks.with_user(self.officer_a).search([("id", "=", record.id)])
        )
        self.assertTrue(
            checks.with_user(self.officer_b).search([("id", "=", record.id)])
        )

    def test_a_copy_carries_its_copy_date_and_unit(self):
        self.material_a.original_kind = "copy"
        with self.assertRaisesRegex(UserError, "is a copy"):
            self.material_a.action_file()
        self.material_a.copy_date = "2001-05-01"
        self.material_a.copy_unit = "   "
        with self.assertRaisesRegex(UserError, "is a copy"):
            self.material_a.action_file()
        self.material_a.copy_unit = "示范县人社局"
        self.material_a.action_file()
        self.assertEqual(self.material_a.state, "filed")


class RearrangementCase(CadreArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_2 = new_test_user(
            cls.env, login="ca_manager_2", groups="cadre_archive.group_manager"
        )
        # filed out of date order: 1-1 (1990), 1-2 (1980), 1-3 (1985)
        cls.older = cls.create_material(
            cls.dossier_a, cls.cat_cv, "1980年履历表", date="1980-02-01"
        )
        cls.middle = cls.create_material(
            cls.dossier_a, cls.cat_cv, "1985年履历表", date="1985-06-01"
        )
        for material in (cls.material_a, cls.older, cls.middle):
            cls.file_materials(material)

    def ask(self, user=None):
        change = (
            self.env["cadre.archive.rearrangement"]
            .with_user(user or self.officer_a)
            .create(
                {
                    "dossier_id": self.dossier_a.id,
                    "category_id": self.cat_cv.id,
                    "reason": "材料未按形成时间排列",
                }
            )
        )
        change.action_submit()
        return change


@tagged("post_install", "-at_install")
class TestRearrangement(RearrangementCase):
    def test_filed_out_of_order(self):
        self.assertEqual(
            (self.material_a | self.older | self.middle).mapped("code"),
            ["1-1", "1-2", "1-3"],
        )

    def test_approved_rearrangement_renumbers_by_date_and_keeps_old_numbers(self):
        change = self.ask()
        self.assertEqual(change.state, "submitted")
        self.assertEqual(
            [(line.old_code, line.new_code) for line in change.line_ids],
            [("1-2", "1-1"), ("1-3", "1-2"), ("1-1", "1-3")],
        )
        activities = change.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(CHANGE_ACTIVITY)
        )
        self.assertIn(self.manager, activities.user_id)
        self.assertIn(self.manager_2, activities.user_id)
        with self.assertRaises(AccessError):
            change.with_user(self.officer_a).action_approve()
        self.assertEqual(self.material_a.code, "1-1", "nothing before approval")
        change.with_user(self.manager).action_approve()
        self.assertEqual(change.state, "done")
        self.assertEqual(change.approved_uid, self.manager)
        self.assertFalse(change.activity_ids)
        self.assertEqual(
            (self.older.code, self.middle.code, self.material_a.code),
            ("1-1", "1-2", "1-3"),
        )
        self.assertEqual(self.material_a.former_code, "1-1")
        self.assertEqual(self.older.former_code, "1-2")
        self.assertEqual(self.material_a.renumber_line_ids.mapped("new_code"), ["1-3"])
        self.assertIn("1-1", self.material_a.message_ids[:1].body)
        # still the only way: the number stays locked for everyone else
        with self.assertRaisesRegex(UserError, "filed"):
            self.material_a._workflow_write({"sequence_number": 9})
        # a material filed afterwards comes after the rearranged ones
        later = self.create_material(self.dossier_a, self.cat_cv, "2000年履历表")
        self.file_materials(later)
        self.assertEqual(later.code, "1-4")

    def test_the_approval_activity_decides_nothing(self):
        change = self.ask()
        activity = change.activity_ids.filtered(lambda a: a.user_id == self.manager)
        with self.assertRaisesRegex(UserError, "on purpose"):
            activity.with_user(self.manager).action_done()
        with self.assertRaises(AccessError):
            activity.with_user(self.officer_a).unlink()
        with self.assertRaises(AccessError):
            self.env["mail.activity"].with_user(self.officer_a).create(
                {
                    "res_model_id": self.env["ir.model"]._get_id(change._name),
                    "res_id": change.id,
                    "activity_type_id": self.env.ref(CHANGE_ACTIVITY).id,
                    "user_id": self.manager.id,
                }
            )
        self.assertEqual(change.state, "submitted")
        self.assertTrue(activity.exists())

    def test_no_mark_done_is_offered_on_the_approval_to_do(self):
        change = self.ask()
        activity = change.activity_ids.filtered(lambda a: a.user_id == self.manager)
        todo = change.with_user(self.manager).activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.manager.id
        )
        data = (activity | todo).with_user(self.manager).activity_format()
        offered = {
            entry["id"]: entry["archive_decided_on_purpose"]
            for entry in data["mail.activity"]
        }
        self.assertEqual(offered, {activity.id: True, todo.id: False})

    def test_the_asker_does_not_approve(self):
        change = self.ask(user=self.manager)
        with self.assertRaisesRegex(UserError, "another archive manager"):
            change.with_user(self.manager).action_approve()
        self.assertNotIn(
            self.manager, change.activity_ids.user_id, "no activity to oneself"
        )
        change.with_user(self.manager_2).action_approve()
        self.assertEqual(self.older.code, "1-1")

    def test_refused_changes_nothing(self):
        change = self.ask()
        change.with_user(self.manager).action_refuse(reason="不必整理")
        self.assertEqual(change.state, "refused")
        self.assertEqual(change.refuse_reason, "不必整理")
        self.assertEqual(self.material_a.code, "1-1")
        with self.assertRaises(UserError):
            change.with_user(self.manager_2).action_approve()

    def test_a_catalog_changed_since_asking_is_not_rearranged(self):
        change = self.ask()
        newer = self.create_material(self.dossier_a, self.cat_cv, "新材料")
        self.file_materials(newer)
        with self.assertRaisesRegex(UserError, "changed since"):
            change.with_user(self.manager).action_approve()
        self.assertEqual(self.material_a.code, "1-1")

    def test_a_submitted_change_is_frozen_and_kept(self):
        change = self.ask()
        with self.assertRaisesRegex(UserError, "can no longer be edited"):
            change.write({"category_id": self.cat_degree.id})
        with self.assertRaisesRegex(UserError, "set by the archive"):
            change.with_user(self.officer_a).write({"state": "done"})
        with self.assertRaisesRegex(UserError, "stays on record"):
            change.unlink()
        with self.assertRaises(UserError):
            change.line_ids[:1].with_user(self.manager).write({"new_number": 5})

    def test_other_units_do_not_see_it(self):
        change = self.ask()
        rearrangements = self.env["cadre.archive.rearrangement"]
        self.assertFalse(
            rearrangements.with_user(self.officer_b).search([("id", "=", change.id)])
        )
        lines = self.env["cadre.archive.rearrangement.line"].with_user(self.officer_b)
        self.assertFalse(lines.search([("rearrangement_id", "=", change.id)]))
        with self.assertRaises(AccessError):
            rearrangements.with_user(self.requester).search([])
        with self.assertRaises(AccessError):
            rearrangements.with_user(self.officer_b).create(
                {
                    "dossier_id": self.dossier_a.id,
                    "category_id": self.cat_cv.id,
                    "reason": "x",
                }
            )


@tagged("post_install", "-at_install")
class TestRearrangementPdfAndRpc(HttpCase, RearrangementCase, JsonRpcMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_passwords()

    def test_correspondence_table_pdf(self):
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed")
        change = self.ask()
        change.with_user(self.manager).action_approve()
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, kind = report._render_qweb_pdf(
            "cadre_archive.report_rearrangement", change.ids
        )
        self.assertEqual(kind, "pdf")
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode()
        text = unicodedata.normalize("NFKC", text)
        lines = [line.split() for line in text.splitlines()]
        rows = {line[2]: (line[0], line[1]) for line in lines if len(line) >= 3}
        self.assertEqual(rows.get("1980年履历表"), ("1-2", "1-1"))
        self.assertEqual(rows.get("1985年履历表"), ("1-3", "1-2"))
        self.assertEqual(rows.get("干部履历表"), ("1-1", "1-3"))
        self.assertIn("材料未按形成时间排列", text)

    def test_system_fields_refused_over_rpc(self):
        change = self.ask()
        self.login(self.officer_a)
        for model, ids, vals in (
            ("cadre.archive.rearrangement", change.ids, {"state": "done"}),
            ("cadre.archive.rearrangement", change.ids, {"approved_uid": 1}),
            ("cadre.archive.material", self.material_a.ids, {"sequence_number": 3}),
            ("cadre.archive.material", self.material_a.ids, {"check_method": "paper"}),
        ):
            with self.subTest(model=model, vals=vals):
                result, error = self.call(model, "write", ids, vals)
                self.assertFalse(result)
                self.assertRegex(error or "", "set by the archive itself|filed")
        result, error = self.call(
            "cadre.archive.rearrangement.line",
            "create",
            [
                {
                    "rearrangement_id": change.id,
                    "material_id": self.material_a.id,
                    "old_number": 1,
                    "new_number": 9,
                }
            ],
        )
        self.assertFalse(result)
        self.assertTrue(error)
        result, error = self.call(
            "cadre.archive.rearrangement", "action_approve", change.ids
        )
        self.assertFalse(result)
        self.assertRegex(error or "", "archive manager")
        self.assertEqual(change.state, "submitted")
