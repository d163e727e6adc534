# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import datetime
import shutil
import subprocess

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from ..lib.transfer import add_months
from .common import JsonRpcMixin, make_jpeg
from .test_request import RequestCase
from .test_request_form import compact

CHASE = "cadre_archive.mail_act_archive_transfer_receipt"
NOTICE = "cadre_archive.report_transfer_notice"
RECEIPT = "cadre_archive.report_transfer_receipt"


class TransferCase(RequestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receiver = cls.env["res.partner"].create(
            {"name": "示范市委组织部", "is_company": True}
        )
        cls.degree_a = cls.create_material(
            cls.dossier_a, cls.cat_degree, "学士学位证书", page_count=3
        )
        cls.file_materials(cls.degree_a)
        cls.Transfer = cls.env["cadre.archive.transfer"]

    def new_transfer(self, dossiers=None, user=None, **vals):
        return self.Transfer.with_user(user or self.officer_a).create(
            {
                "partner_id": self.receiver.id,
                "dossier_ids": [Command.set((dossiers or self.dossier_a).ids)],
                "transport": "confidential",
                "reason": "调动",
                **vals,
            }
        )

    def incoming(self, **line_vals):
        transfer = self.Transfer.with_user(self.officer_a).create(
            {
                "direction": "in",
                "partner_id": self.receiver.id,
                "department_id": self.unit_a.id,
                "sender_reference": "示组档转〔2026〕8号",
                "date_sent": "2026-01-05",
                "line_ids": [
                    Command.create(
                        {
                            "archive_number": "SF000123",
                            "cadre_name": "新调入",
                            "cadre_id_number": "110105198203040015",
                            "original_count": 3,
                            "original_pages": 6,
                            **line_vals,
                        }
                    )
                ],
            }
        )
        line = transfer.line_ids
        expected = [
            (self.cat_cv, 1, "干部履历表", 2),
            (self.cat_degree, 1, "学位证书", 3),
            (self.cat_appointment, 1, "任免审批表", 1),
        ]
        transfer.with_user(self.officer_a).write(
            {
                "item_ids": [
                    Command.create(
                        {
                            "line_id": line.id,
                            "category_id": category.id,
                            "sequence_number": number,
                            "name": title,
                            "date": "2020-06-01",
                            "page_count": pages,
                        }
                    )
                    for category, number, title, pages in expected
                ]
            }
        )
        return transfer

    def receive_with_discrepancies(self):
        """A transfer in whose 任免审批表 is missing and whose 表彰决定 is not on
        the notice, received."""
        transfer = self.incoming()
        items = {item.name: item for item in transfer.item_ids}
        items["干部履历表"].with_user(self.officer_a).action_mark_received()
        items["学位证书"].with_user(self.officer_a).action_mark_received()
        items["任免审批表"].with_user(self.officer_a).action_mark_missing()
        transfer.with_user(self.officer_a).write(
            {
                "item_ids": [
                    Command.create(
                        {
                            "line_id": transfer.line_ids.id,
                            "kind": "extra",
                            "category_id": self.env.ref("cadre_archive.category_7").id,
                            "name": "表彰决定",
                            "date": "2021-03-01",
                            "page_count": 2,
                        }
                    )
                ]
            }
        )
        transfer.with_user(self.officer_a).action_receive()
        return transfer

    def chase_activities(self, transfer):
        return transfer.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(CHASE)
        )

    def render_pdf_text(self, report, transfer, user):
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed")
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, transfer.ids)
        )
        self.assertEqual(kind, "pdf")
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode()
        return compact(text)


@tagged("post_install", "-at_install")
class TestTransferOut(TransferCase):
    def test_lifecycle_out(self):
        draft_request = self.new_request(self.dossier_a)
        submitted = self.new_request(self.dossier_a | self.dossier_b)
        submitted.action_submit()
        lend = self.approved_request(dossiers=self.dossier_a, request_type="lend")
        untouched = self.approved_request()  # dossier B only

        transfer = self.new_transfer()
        self.assertEqual(transfer.state, "draft")
        self.assertTrue(transfer.name.startswith("ZD"))
        transfer.with_user(self.officer_a).action_send()

        today = self.env.company._archive_today()
        self.assertEqual(transfer.state, "sent")
        self.assertEqual(transfer.date_sent, today)
        self.assertEqual(transfer.receipt_due_date, add_months(today, 1))
        self.assertEqual(transfer.sent_uid, self.officer_a)
        self.assertEqual(self.dossier_a.state, "transferred")
        # the notice line: 2 filed materials of 2 + 3 pages, an original
        line = transfer.line_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(line.archive_number, self.dossier_a.name)
        self.assertEqual(line.cadre_name, "Cadre A")
        self.assertEqual(
            (line.original_count, line.original_pages, line.duplicate_count), (2, 5, 0)
        )

        # pending requests on the dossier are closed with the reason
        self.assertEqual(draft_request.state, "cancelled")
        self.assertEqual(submitted.state, "cancelled")
        self.assertFalse(
            submitted.activity_ids, "the approval activities went with the request"
        )
        self.assertEqual(lend.state, "done")
        self.assertEqual(untouched.state, "approved")
        for request in draft_request | submitted | lend:
            self.assertIn(
                transfer.name,
                " ".join(request.message_ids.mapped("body")),
                "the reason names the notice",
            )
        # and no new request on it
        again = self.new_request(self.dossier_a)
        with self.assertRaisesRegex(ValidationError, "transferred out"):
            again.action_submit()

        # the receipt is chased once it is overdue, by one activity only
        with freeze_time(transfer.receipt_due_date):
            self.Transfer._cron_chase_receipts()
        self.assertFalse(self.chase_activities(transfer), "not overdue on the day")
        with freeze_time(transfer.receipt_due_date + datetime.timedelta(days=1)):
            self.assertIn(transfer, self.Transfer.search([("is_overdue", "=", True)]))
            self.Transfer._cron_chase_receipts()
            self.Transfer._cron_chase_receipts()
        activity = self.chase_activities(transfer)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.officer_a)

        # the receipt comes back: asked in a dialog, then recorded
        action = transfer.with_user(self.officer_a).action_receive()
        self.assertEqual(action["res_model"], "cadre.archive.transfer.receive")
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.officer_a)
            .with_context(**action["context"])
            .create({"signatory": "王接收"})
        )
        wizard.action_confirm()
        self.assertEqual(transfer.state, "received")
        self.assertEqual(transfer.date_received, today)
        self.assertEqual(transfer.receipt_signatory, "王接收")
        self.assertFalse(self.chase_activities(transfer))
        self.assertEqual(self.dossier_a.state, "transferred")

    def test_transferred_dossier_is_read_only_for_everyone(self):
        draft = self.create_material(self.dossier_a, self.cat_appointment, "任免表")
        transfer = self.new_transfer()
        with self.assertRaisesRegex(UserError, "not filed"):
            transfer.action_send()
        draft.unlink()
        transfer.action_send()
        for user in (self.officer_a, self.manager):
            with self.subTest(user=user.login):
                dossier = self.dossier_a.with_user(user)
                with self.assertRaisesRegex(UserError, "transferred out"):
                    dossier.write({"location_room": "R1"})
                with self.assertRaisesRegex(UserError, "transferred out"):
                    dossier.write({"copy_type": "duplicate"})
                with self.assertRaisesRegex(UserError, "transferred out"):
                    dossier.unlink()
                material = self.material_a.with_user(user)
                with self.assertRaisesRegex(UserError, "transferred out"):
                    material.write({"remarks": "changed"})
                with self.assertRaisesRegex(UserError, "transferred out"):
                    self.env["cadre.archive.material"].with_user(user).create(
                        {
                            "dossier_id": self.dossier_a.id,
                            "category_id": self.cat_appointment.id,
                            "name": "补充材料",
                            "date": "2020-01-01",
                        }
                    )
                # a filed material without scans takes its first scans on its
                # one sanctioned path: not once its dossier has gone
                with self.assertRaisesRegex(UserError, "transferred out"):
                    material._attach_first_scans(
                        [{"name": "1-1.jpg", "raw": make_jpeg("late scan")}]
                    )
                with self.assertRaisesRegex(UserError, "transferred out"):
                    self.env["ir.attachment"].with_user(user).create(
                        {
                            "name": "scan.jpg",
                            "res_model": "cadre.archive.material",
                            "res_id": self.material_a.id,
                            "datas": base64.b64encode(make_jpeg("scan")),
                        }
                    )
        self.assertEqual(self.dossier_a.location_room, False)
        # the chatter stays open
        self.dossier_a.with_user(self.officer_a).message_post(body="归档说明")

    def test_undo_by_manager_with_reason(self):
        request = self.new_request(self.dossier_a)
        transfer = self.new_transfer()
        transfer.action_send()
        self.assertEqual(request.state, "cancelled")
        with self.assertRaises(AccessError):
            transfer.with_user(self.officer_a).action_undo(reason="送错了")
        action = transfer.with_user(self.manager).action_undo()
        self.assertEqual(action["res_model"], "cadre.archive.transfer.undo")
        with self.assertRaises(AccessError):
            self.env[action["res_model"]].with_user(self.officer_a).create(
                {"transfer_id": transfer.id, "reason": "送错了"}
            )
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({"reason": "送错了人：应转李四的档案"})
        )
        wizard.action_confirm()
        self.assertEqual(transfer.state, "cancelled")
        self.assertEqual(transfer.undo_reason, "送错了人：应转李四的档案")
        self.assertEqual(transfer.undo_uid, self.manager)
        self.assertEqual(self.dossier_a.state, "in_stock")
        self.assertEqual(request.state, "cancelled", "closed requests stay closed")
        self.assertIn("送错了人", " ".join(self.dossier_a.message_ids.mapped("body")))
        # writable again
        self.dossier_a.with_user(self.officer_a).write({"location_room": "R2"})
        with self.assertRaises(UserError):
            transfer.with_user(self.manager).action_undo(reason="again")

    def test_never_by_the_cadre(self):
        with self.assertRaisesRegex(ValidationError, "never carried by its own cadre"):
            self.new_transfer(
                transport="receiver_courier",
                courier_name="Cadre  A",
                courier_id_number="110105198001010011",
            )
        self.cadre_a.identification_id = "110105198001010011"
        with self.assertRaisesRegex(ValidationError, "never carried by its own cadre"):
            self.new_transfer(
                transport="receiver_courier",
                courier_name="A 的同事",
                courier_id_number="110105198001010011",
            )
        transfer = self.new_transfer(
            transport="receiver_courier", courier_name="赵专人"
        )
        with self.assertRaisesRegex(UserError, "ID number"):
            transfer.action_send()
        transfer.courier_id_number = "320102198001010011"
        transfer.action_send()
        self.assertEqual(transfer.state, "sent")
        # by post is no option at all
        self.assertNotIn(
            "post",
            dict(self.Transfer._fields["transport"].selection),
        )

    def test_lent_dossier_is_not_sent(self):
        lend = self.approved_request(dossiers=self.dossier_a, request_type="lend")
        lend.with_user(self.officer_a).action_hand_out()
        transfer = self.new_transfer()
        with self.assertRaisesRegex(UserError, "is lent"):
            transfer.action_send()
        self.assertEqual(self.dossier_a.state, "lent")

    def test_request_with_another_file_on_loan_ends_with_its_return(self):
        lend = self.approved_request(
            dossiers=self.dossier_a | self.dossier_b, request_type="lend"
        )
        lend.with_user(self.manager).action_hand_out()
        # dossier A's file comes back, dossier B's is still out
        lending_a = lend.lending_ids.filtered(lambda x: x.dossier_id == self.dossier_a)
        lending_a.with_user(self.officer_a).action_return(self.dossier_a.page_count)
        self.assertEqual(self.dossier_b.state, "lent")
        transfer = self.new_transfer()
        transfer.action_send()
        self.assertEqual(self.dossier_a.state, "transferred")
        self.assertEqual(lend.state, "approved", "dossier B is still out")
        self.assertIn(transfer.name, " ".join(lend.message_ids.mapped("body")))

    def test_a_dossier_leaves_once(self):
        first, second = self.new_transfer(), self.new_transfer()
        # assertRaises rolls the call back, as an RPC call is
        with self.assertRaises(UserError) as refused:
            (first | second).action_send()
        self.assertIn("not in stock", str(refused.exception))
        self.assertEqual(self.dossier_a.state, "in_stock")
        self.assertEqual((first | second).mapped("state"), ["draft", "draft"])
        first.action_send()
        with self.assertRaisesRegex(UserError, "not in stock"):
            second.action_send()

    def test_officer_sends_only_dossiers_they_keep(self):
        transfer = self.new_transfer(self.dossier_a, user=self.manager)
        transfer.sudo().dossier_ids = self.dossier_a | self.dossier_b
        with self.assertRaises(AccessError):
            transfer.with_user(self.officer_a).action_send()
        self.assertEqual(self.dossier_b.state, "in_stock")

    def test_system_fields_and_lines_refused_to_clients(self):
        transfer = self.new_transfer()
        as_officer = transfer.with_user(self.officer_a)
        for vals in (
            {"state": "received"},
            {"date_sent": "2020-01-01"},
            {"receipt_due_date": "2099-01-01"},
            {"receipt_signatory": "伪造"},
            {"name": "ZD-X"},
            {"direction": "in"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                as_officer.write(vals)
        with self.assertRaises(UserError):
            self.env["cadre.archive.transfer.line"].with_user(self.officer_a).create(
                {"transfer_id": transfer.id, "cadre_name": "X", "original_count": 9}
            )
        transfer.action_send()
        with self.assertRaises(UserError):
            transfer.line_ids.with_user(self.officer_a).write({"original_pages": 99})
        with self.assertRaises(UserError):
            as_officer.write({"partner_id": self.env.user.partner_id.id})
        with self.assertRaises(UserError):
            as_officer.write(
                {"dossier_ids": [Command.link(self.dossier_a1.id)]},
            )
        with self.assertRaises(UserError):
            as_officer.unlink()

    def test_who_sees_transfers(self):
        transfer = self.new_transfer()
        transfer.action_send()
        for user in (self.requester, self.employee_user, self.cadre_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Transfer.with_user(user).search([])
        self.assertFalse(self.Transfer.with_user(self.officer_b).search([]))
        with self.assertRaises(AccessError):
            transfer.with_user(self.officer_b).read(["name"])
        with self.assertRaises(AccessError):
            transfer.line_ids.with_user(self.officer_b).read(["cadre_name"])
        self.assertEqual(self.Transfer.with_user(self.officer_a).search([]), transfer)
        self.assertEqual(self.Transfer.with_user(self.manager).search([]), transfer)


@tagged("post_install", "-at_install")
class TestTransferIn(TransferCase):
    def test_incoming_with_one_missing_and_one_extra(self):
        transfer = self.incoming()
        officer = transfer.with_user(self.officer_a)
        self.assertEqual(transfer.state, "draft")
        items = {item.name: item for item in transfer.item_ids}
        with self.assertRaisesRegex(UserError, "Check every material"):
            officer.action_receive()
        items["干部履历表"].with_user(self.officer_a).action_mark_received()
        items["学位证书"].with_user(self.officer_a).action_mark_received()
        items["任免审批表"].with_user(self.officer_a).action_mark_missing()
        officer.write(
            {
                "item_ids": [
                    Command.create(
                        {
                            "line_id": transfer.line_ids.id,
                            "kind": "extra",
                            "category_id": self.env.ref("cadre_archive.category_7").id,
                            "name": "表彰决定",
                            "date": "2021-03-01",
                            "page_count": 2,
                        }
                    )
                ]
            }
        )
        self.assertEqual(
            (
                transfer.expected_count,
                transfer.received_count,
                transfer.missing_count,
                transfer.extra_count,
                transfer.unchecked_count,
            ),
            (3, 2, 1, 1, 0),
        )
        # 3 materials arrived (two on the notice, one extra) but 7 pages, not 6
        self.assertEqual(
            transfer.line_ids.count_difference, "6 pages declared, 7 received"
        )
        # the check's states are set by its buttons only
        with self.assertRaises(UserError):
            items["任免审批表"].with_user(self.officer_a).write({"state": "received"})

        officer.action_receive()
        self.assertEqual(transfer.state, "received")
        self.assertEqual(transfer.received_uid, self.officer_a)
        self.assertEqual(transfer.date_received, self.env.company._archive_today())
        line = transfer.line_ids
        employee = line.employee_id
        self.assertEqual(employee.name, "新调入")
        self.assertEqual(employee.sudo().identification_id, "110105198203040015")
        dossier = line.dossier_id
        self.assertEqual(transfer.dossier_ids, dossier)
        self.assertEqual(dossier.department_id, self.unit_a)
        self.assertEqual(dossier.state, "in_stock")
        filed = dossier.material_ids.filtered(lambda m: m.state == "filed")
        self.assertEqual(sorted(filed.mapped("code")), ["1-1", "4-1-1"])
        self.assertEqual(set(filed.mapped("check_method")), {"paper"})
        drafts = dossier.material_ids - filed
        self.assertEqual(drafts.mapped("name"), ["表彰决定"], "to be checked first")
        self.assertEqual(items["任免审批表"].material_id.id, False)
        body = " ".join(transfer.message_ids.mapped("body"))
        self.assertIn("任免审批表", body)
        self.assertIn("表彰决定", body)
        # nothing of it changes any more
        with self.assertRaises(UserError):
            items["学位证书"].with_user(self.officer_a).action_mark_missing()
        with self.assertRaises(UserError):
            line.with_user(self.officer_a).write({"original_pages": 7})

    def test_incoming_matches_an_existing_employee(self):
        existing = self.env["hr.employee"].create(
            {
                "name": "新调入",
                "identification_id": "110105198203040015",
                "department_id": self.unit_a.id,
            }
        )
        transfer = self.incoming()
        transfer.item_ids.with_user(self.officer_a).action_mark_received()
        transfer.with_user(self.officer_a).action_receive()
        self.assertEqual(transfer.line_ids.employee_id, existing)
        self.assertEqual(transfer.line_ids.dossier_id.employee_id, existing)

    def test_incoming_into_a_unit_not_kept_is_refused(self):
        transfer = self.incoming()
        transfer.item_ids.with_user(self.officer_a).action_mark_received()
        transfer.sudo().department_id = self.unit_b
        with self.assertRaises(AccessError):
            transfer.with_user(self.officer_a).action_receive()
        self.assertEqual(transfer.state, "draft")


@tagged("post_install", "-at_install")
class TestTransferPdf(HttpCase, TransferCase):
    """The notice and the receipt, rendered and read back (an HttpCase:
    wkhtmltopdf fetches the report's assets from the running server)."""

    def test_notice_pdf(self):
        transfer = self.new_transfer(
            transport="receiver_courier",
            courier_name="赵专人",
            courier_id_number="320102198001010011",
        )
        transfer.action_send()
        text = self.render_pdf_text(NOTICE, transfer, self.officer_a)
        day = transfer.date_sent
        for value in (
            "干部人事档案转递通知单",
            transfer.name,
            "示范市委组织部",
            self.dossier_a.name,
            "CadreA",
            "正本",
            "副本",
            "派专人",
            "赵专人",
            "320102198001010011",
            f"{day.year}年{day.month}月{day.day}日",
            "回执",
            "此线剪开",
        ):
            with self.subTest(value=value):
                self.assertIn(compact(value), text)
        # the counts row: 2 materials, 5 pages of the original, none duplicate
        self.assertIn(f"1{self.dossier_a.name}CadreA2500", text)

    def test_receipt_pdf(self):
        transfer = self.receive_with_discrepancies()
        text = self.render_pdf_text(RECEIPT, transfer, self.officer_a)
        for value in (
            "干部人事档案转递回执",
            transfer.name,
            "示组档转〔2026〕8号",
            "示范市委组织部",
            "新调入",
            "SF000123",
            "缺少",
            "9-2-1任免审批表",
            "通知单未列",
            "7表彰决定",
            "6pagesdeclared,7received",
            "2026年1月5日",
        ):
            with self.subTest(value=value):
                self.assertIn(compact(value), text)
        # declared 3 / 6, received 3 / 7, one missing, one extra
        self.assertIn("新调入SF0001233637" + "11", text)


@tagged("post_install", "-at_install")
class TestTransferRpc(JsonRpcMixin, HttpCase, TransferCase):
    """A transferred dossier, its materials and a sent transfer, written over
    JSON-RPC by the officer who keeps them: every write refused."""

    def test_transferred_dossier_refused_over_rpc(self):
        self.set_passwords()
        transfer = self.new_transfer()
        transfer.action_send()
        self.login(self.officer_a)
        for model, ids, vals in (
            ("cadre.archive.dossier", self.dossier_a.ids, {"location_cell": "9"}),
            ("cadre.archive.material", self.material_a.ids, {"remarks": "x"}),
            ("cadre.archive.transfer", transfer.ids, {"state": "received"}),
            ("cadre.archive.transfer", transfer.ids, {"reason": "改写"}),
            (
                "cadre.archive.transfer.line",
                transfer.line_ids.ids,
                {"original_pages": 1},
            ),
        ):
            with self.subTest(model=model, vals=vals):
                result, error = self.call(model, "write", ids, vals)
                self.assertTrue(error)
                self.assertFalse(result)
        result, error = self.call(
            "cadre.archive.material",
            "create",
            {
                "dossier_id": self.dossier_a.id,
                "category_id": self.cat_appointment.id,
                "name": "补充",
                "date": "2020-01-01",
            },
        )
        self.assertIn("transferred out", error)
        self.dossier_a.invalidate_recordset()
        self.assertFalse(self.dossier_a.location_cell)
        self.assertEqual(transfer.state, "sent")
        self.assertEqual(transfer.line_ids.original_pages, 5)
