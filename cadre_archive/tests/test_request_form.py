# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The approval form of a request (查（借）阅干部人事档案审批表) and the readers
from other organisations (外单位查阅人员)."""

import base64
import io
import re
import shutil
import subprocess
import unicodedata

import psycopg2

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from .common import JsonRpcMixin, make_jpeg
from .test_request import RequestCase

REQUEST = "cadre.archive.request"
READER = "cadre.archive.request.reader"
REPORT = "cadre_archive.report_request_approval"
# A4 in PDF points
A4_POINTS = (595, 842)
# the labels of the printed form
FORM_LABELS = (
    "查（借）阅干部人事档案审批表",
    "编号",
    "填表日期",
    "查阅单位",
    "联系人及电话",
    "申请人",
    "职务",
    "政治面貌",
    "查阅人",
    "证件号码",
    "被查阅人",
    "工作单位",
    "查阅事由",
    "考察",
    "任免",
    "审计",
    "巡视",
    "纪检监察",
    "干部审核",
    "出国（境）政审",
    "入党、入伍、录用等政审",
    "其他",
    "事由说明",
    "查阅内容",
    "查阅方式",
    "网上查阅",
    "阅档室查阅",
    "借阅",
    "查阅期限",
    "摘抄",
    "复制",
    # the labels of the opinion boxes take two lines
    "查阅单位",
    "意见",
    "单位负责人签字",
    "查阅单位（盖章）",
    "档案管理",
    "部门意见",
    "审批人签字",
    "档案管理部门（盖章）",
)


# Noto CJK draws some ideographs and the CJK radicals that look like them with
# one glyph, and the PDF maps that glyph back to the radical: pdftotext reads
# 长 as ⻓ (radical, ideograph; from the cmaps of the Noto CJK fonts). NFKC maps
# back the Kangxi radicals (⼈ for 人), this table the radicals supplement.
RADICAL_PAIRS = (
    "⺂乛⺃乚⺅亻⺉刂⺋㔾⺎兀⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺘扌⺙攵⺛旡⺞歺⺟母⺠民⺡氵"
    "⺣灬⺤爫⺦丬⺨犭⺫罒⺭礻⺯糹⺰纟⺱罓⺲罒⺳㓁⺹耂⺺肀⺾艹⺿艹⻁虎⻂衤⻃覀⻄西"
    "⻅见⻆角⻈讠⻉贝⻋车⻌辶⻍辶⻎辶⻐钅⻑長⻒镸⻓长⻔门⻖阝⻘青⻙韦⻚页⻛风⻜飞"
    "⻝食⻟飠⻠饣⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻭歯⻮齿⻯竜⻰龙⻱龜"
    "⻲亀⻳龟"
)
RADICALS = str.maketrans(RADICAL_PAIRS[0::2], RADICAL_PAIRS[1::2])


def compact(text):
    """Text as a reader sees it, without any white space (the PDF's layout
    spaces out table cells)."""
    text = unicodedata.normalize("NFKC", text).translate(RADICALS)
    return re.sub(r"\s+", "", text)


class RequestFormCase(RequestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.commission = cls.env["res.partner"].create(
            {"name": "示范县纪委监委", "is_company": True}
        )
        cls.inspector = cls.env["res.partner"].create(
            {
                "name": "郑纪检",
                "parent_id": cls.commission.id,
                "function": "第二监督检查室主任",
            }
        )
        cls.letter = base64.b64encode(make_jpeg("introduction letter"))

    def outside_vals(self, **vals):
        """A reading-room request of the commission's inspector, complete;
        a value None leaves its field out."""
        values = {
            "dossier_ids": [Command.set(self.dossier_b.ids)],
            "purpose_type": "discipline",
            "purpose": "审查调查需要，核实有关人员履历",
            "request_type": "reading_room",
            "date_start": self.today,
            "date_end": self.today,
            "reader_ids": self.readers_vals("郑纪检", "孙监察"),
            "is_outside": True,
            "outside_reader_id": self.inspector.id,
            "outside_id_type": "resident_id",
            "outside_id_number": "110101198001010011",
            "introduction_letter": self.letter,
            "introduction_letter_name": "介绍信.jpg",
            **vals,
        }
        return {name: value for name, value in values.items() if value is not None}

    def outside_request(self, officer=None, **vals):
        return (
            self.env[REQUEST]
            .with_user(officer or self.officer_b)
            .create(self.outside_vals(**vals))
        )

    def letter_attachment(self, request):
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", REQUEST),
                    ("res_id", "=", request.id),
                    ("res_field", "=", "introduction_letter"),
                ]
            )
        )


@tagged("post_install", "-at_install")
class TestRequestForm(HttpCase, RequestFormCase):
    """The form's fields, rules and PDF (an HttpCase: wkhtmltopdf fetches the
    report's assets from the server, which must share the test's cursor)."""

    def full_request(self):
        """A typical request: three cadres, two readers, every field filled."""
        self.requester.name = "陈申请"
        self.manager.name = "王审批"
        self.cadre_a1.job_title = "副局长"
        self.cadre_b.job_title = "科长"
        return self.new_request(
            dossiers=self.dossier_a | self.dossier_a1 | self.dossier_b,
            requesting_unit="县委组织部干部科",
            contact_name="陈联系",
            contact_phone="0551-12345678",
            requester_post="干部科科长",
            requester_political_status="cpc_member",
            purpose_type="appointment",
            purpose="拟任职务前核实干部履历和学历",
            reader_ids=[
                Command.create(
                    {
                        "name": "李查阅",
                        "post": "干部科科长",
                        "political_status": "cpc_member",
                        "id_number": "340104197001010012",
                    }
                ),
                Command.create(
                    {
                        "name": "王查阅",
                        "post": "干部科科员",
                        "political_status": "cpc_probationary",
                    }
                ),
            ],
            category_ids=[Command.set((self.cat_cv | self.cat_appointment).ids)],
            leader_name="周部长",
            leader_date=self.today,
            leader_opinion="情况属实，同意查阅",
            ask_excerpt=True,
            ask_copy=False,
        )

    def render_pdf(self, request, user):
        report = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(force_report_rendering=True)
        )
        pdf, kind = report._render_qweb_pdf(REPORT, request.ids)
        self.assertEqual(kind, "pdf")
        return pdf

    def pdf_text(self, pdf):
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed")
        return subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode()

    def assertOneA4Page(self, pdf, text):
        reader = PdfFileReader(io.BytesIO(pdf))
        self.assertEqual(len(reader.pages), 1, "the form fits on one page")
        box = reader.pages[0].mediabox
        self.assertEqual((round(float(box.width)), round(float(box.height))), A4_POINTS)
        self.assertEqual(text.count("\f"), 1, "pdftotext reads one page")

    def test_pdf_form_prints_every_field_on_one_a4_page(self):
        request = self.full_request()
        request.action_submit()
        request.with_user(self.manager).action_approve(opinion="同意查阅")
        # the requester prints their own request
        pdf = self.render_pdf(request, self.requester)
        text = self.pdf_text(pdf)
        self.assertOneA4Page(pdf, text)
        printed = compact(text)
        for label in FORM_LABELS:
            with self.subTest(label=label):
                self.assertIn(compact(label), printed)
        start, end = (
            f"{day.year}年{day.month}月{day.day}日"
            for day in (request.date_start, request.date_end)
        )
        values = [
            request.name,
            "县委组织部干部科",
            "陈联系",
            "0551-12345678",
            self.requester.name,
            "干部科科长",
            "中共党员",
            "李查阅",
            "340104197001010012",
            "王查阅",
            "干部科科员",
            "中共预备党员",
            "Cadre A",
            "Cadre A1",
            "Cadre B",
            "Unit A1",
            "Unit B",
            "副局长",
            "科长",
            "拟任职务前核实干部履历和学历",
            self.cat_cv.display_name,
            self.cat_appointment.display_name,
            "周部长",
            "情况属实，同意查阅",
            self.manager.name,
            f"{start}至{end}",
        ]
        for value in values:
            with self.subTest(value=value):
                self.assertIn(compact(value), printed)
        # the purpose, kind and excerpt/copy boxes: ticked where asked
        for ticked in ("☑任免", "☑网上查阅", "摘抄：☑是☐否", "复制：☐是☑否"):
            with self.subTest(ticked=ticked):
                self.assertIn(compact(ticked), printed)
        for unticked in ("☐考察", "☐其他", "☐阅档室查阅", "☐借阅"):
            with self.subTest(unticked=unticked):
                self.assertIn(compact(unticked), printed)
        # the archive's opinion (审批意见): the approver's words, name and date
        approved = request._form_date(request.approved_date)
        self.assertIn(
            compact(f"同意查阅（审批人：{self.manager.name}{approved}）"), printed
        )
        self.assertIn(compact("查阅期限"), printed)
        self.assertIn(compact(f"审批人签字：{self.manager.name}"), printed)

    def test_pdf_prints_the_opinion_of_each_tier(self):
        self.env["cadre.archive.approval.rule"].create(
            {
                "name": "Two tiers",
                "tier1_user_ids": [Command.set(self.manager.ids)],
                "second_tier": True,
                "tier2_user_ids": [Command.set(self.officer_a.ids)],
            }
        )
        self.manager.name = "王审批"
        self.officer_a.name = "赵分管"
        request = self.new_request()
        request.action_submit()
        request.with_user(self.manager).action_approve(opinion="同意，报分管领导审批")
        pdf = self.render_pdf(request, self.requester)
        printed = compact(self.pdf_text(pdf))
        self.assertIn(compact("同意，报分管领导审批（审批人：王审批"), printed)
        self.assertNotIn(compact("查阅期限："), printed, "not approved yet")
        request.with_user(self.officer_a).action_approve(opinion="同意查阅")
        pdf = self.render_pdf(request, self.requester)
        text = self.pdf_text(pdf)
        self.assertOneA4Page(pdf, text)
        printed = compact(text)
        for decision in request.decision_ids:
            with self.subTest(tier=decision.tier):
                self.assertIn(
                    compact(
                        f"{decision.opinion}（审批人：{decision.user_id.name}"
                        f"{request._form_date(decision.date)}）"
                    ),
                    printed,
                )
        self.assertLess(
            printed.index(compact("报分管领导审批")),
            printed.index(compact("同意查阅（")),
        )

    def test_pdf_refusal_prints_the_reason(self):
        request = self.new_request()
        request.action_submit()
        request.with_user(self.manager).action_refuse(reason="事由不充分")
        printed = compact(self.pdf_text(self.render_pdf(request, self.requester)))
        self.assertIn(compact("不同意：事由不充分（审批人："), printed)

    def test_pdf_form_of_an_outside_reader_on_one_page(self):
        dossiers = self.dossier_a | self.dossier_a1 | self.dossier_b
        request = self.outside_request(dossier_ids=[Command.set(dossiers.ids)])
        request.action_submit()
        pdf = self.render_pdf(request, self.officer_b)
        text = self.pdf_text(pdf)
        self.assertOneA4Page(pdf, text)
        printed = compact(text)
        for value in (
            "外单位查阅人",
            "郑纪检（示范县纪委监委）",
            "查阅单位示范县纪委监委",
            "介绍信☑已附：介绍信.jpg",
            "☑纪检监察",
            "☑阅档室查阅",
            "孙监察",
            "居民身份证",
            "110101198001010011",
            "Cadre A1",
        ):
            with self.subTest(value=value):
                self.assertIn(compact(value), printed)

    def test_draft_form_leaves_room_to_sign(self):
        """Before any decision the archive's box is empty, its date blank."""
        request = self.full_request()
        request.leader_date = False
        html = (
            self.env["ir.actions.report"]
            .with_user(self.requester)
            ._render_qweb_html(REPORT, request.ids)[0]
            .decode()
        )
        self.assertNotIn("同意。", html)
        self.assertEqual(html.count("年　　月　　日"), 2)

    # ------------------------------------------------------------------
    # Submission: what the regulations want on the form
    # ------------------------------------------------------------------
    def submit_fails(self, request, pattern):
        with self.assertRaisesRegex(ValidationError, pattern):
            request.action_submit()
        self.assertEqual(request.state, "draft")

    def test_purpose_is_a_case_of_the_regulations(self):
        self.submit_fails(
            self.new_request(purpose_type=False), "purpose of the consultation"
        )
        self.submit_fails(
            self.new_request(purpose_type="other", purpose=""), "Other: explain"
        )
        # the text is an explanation, needed for "Other" only
        self.new_request(purpose_type="audit", purpose=False).action_submit()
        self.new_request(purpose_type="other", purpose="出具证明").action_submit()

    def test_two_readers_by_default(self):
        self.assertEqual(self.company.archive_min_readers, 2)
        self.assertTrue(self.company.archive_readers_party_members)
        self.submit_fails(
            self.new_request(reader_ids=self.readers_vals("李查阅")),
            "at least 2 readers",
        )
        self.submit_fails(self.new_request(reader_ids=[]), "at least 2 readers")
        self.submit_fails(
            self.new_request(reader_ids=self.readers_vals("李查阅", " 李查阅")),
            "named once: 李查阅",
        )
        self.company.archive_min_readers = 3
        self.submit_fails(self.new_request(), "at least 3 readers")
        self.company.archive_min_readers = 1
        self.new_request(reader_ids=self.readers_vals("李查阅")).action_submit()

    def test_readers_are_party_members_when_configured(self):
        masses = self.readers_vals("张群众", political_status="masses")
        readers = self.readers_vals("李查阅") + masses
        self.submit_fails(self.new_request(reader_ids=readers), "张群众 is not")
        unknown = self.readers_vals("李查阅") + self.readers_vals(
            "赵未填", political_status=False
        )
        self.submit_fails(self.new_request(reader_ids=unknown), "赵未填 is not")
        probationary = self.readers_vals("李查阅") + self.readers_vals(
            "钱预备", political_status="cpc_probationary"
        )
        request = self.new_request(reader_ids=probationary)
        self.assertEqual(request.reader_ids.mapped("is_party_member"), [True, True])
        request.action_submit()
        self.company.archive_readers_party_members = False
        self.new_request(reader_ids=readers).action_submit()

    def test_settings_carry_the_reader_rules(self):
        settings = self.env["res.config.settings"].create(
            {"archive_min_readers": 3, "archive_readers_party_members": False}
        )
        settings.execute()
        self.assertEqual(self.company.archive_min_readers, 3)
        self.assertFalse(self.company.archive_readers_party_members)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.CheckViolation),
            self.cr.savepoint(),
        ):
            self.company.archive_min_readers = 0
            self.company.flush_recordset()

    # ------------------------------------------------------------------
    # Who changes the form, and when
    # ------------------------------------------------------------------
    def test_form_is_the_requesters_in_draft_only(self):
        request = self.new_request()
        as_requester = request.with_user(self.requester)
        as_requester.write(
            {
                "leader_opinion": "同意",
                "purpose_type": "audit",
                "ask_copy": True,
                "reader_ids": [Command.create({"name": "丙", "post": "科员"})],
            }
        )
        as_requester.reader_ids[2].political_status = "cpc_member"
        as_requester.reader_ids[2].unlink()
        request.action_submit()
        line = as_requester.reader_ids[0]
        for vals in (
            {"leader_opinion": "不同意"},
            {"purpose_type": "other"},
            {"ask_copy": False},
            {"requesting_unit": "别的单位"},
            {"requester_political_status": "masses"},
            {"reader_ids": [Command.create({"name": "丁"})]},
            {"reader_ids": [Command.delete(line.id)]},
            {"reader_ids": [Command.update(line.id, {"name": "丁"})]},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                as_requester.write(vals)
        with self.assertRaises(UserError):
            line.write({"name": "丁"})
        with self.assertRaises(UserError):
            line.unlink()
        with self.assertRaises(UserError):
            self.env[READER].with_user(self.requester).create(
                {"request_id": request.id, "name": "丁"}
            )
        # nor may the approver, who only narrows scope, period and permissions
        with self.assertRaises(UserError):
            request.with_user(self.manager).write({"leader_opinion": "改"})
        with self.assertRaises(UserError):
            line.with_user(self.manager).write({"name": "丁"})
        self.assertEqual(request.reader_ids.mapped("name"), ["查阅人甲", "查阅人乙"])
        self.assertEqual(request.leader_opinion, "同意")

    def test_readers_follow_their_request(self):
        request = self.new_request()
        readers = request.reader_ids
        domain = [("id", "in", readers.ids)]
        expectations = {
            self.requester: readers,
            self.officer_b: readers,  # keeps unit B, whose dossier is named
            self.manager: readers,
            self.officer_a: self.env[READER],
        }
        for user, visible in expectations.items():
            with self.subTest(user=user.login):
                self.assertEqual(
                    self.env[READER].with_user(user).search(domain), visible
                )
        with self.assertRaises(AccessError):
            readers.with_user(self.officer_a).read(["name"])
        with self.assertRaises(AccessError):
            readers.with_user(self.employee_user).read(["name"])
        other = self.env["res.users"].create(
            {
                "name": "Other requester",
                "login": "ca_form_other",
                "group_ids": [
                    Command.set(self.env.ref("cadre_archive.group_requester").ids)
                ],
            }
        )
        self.assertFalse(self.env[READER].with_user(other).search(domain))
        with self.assertRaises(AccessError):
            readers.with_user(other).read(["name"])
        # nor can a line of another's request be moved onto one's own, or back
        mine = (
            self.env[REQUEST]
            .with_user(other)
            .create(
                {
                    "dossier_ids": [Command.set(self.dossier_a1.ids)],
                    "date_start": self.today,
                    "date_end": self.today,
                }
            )
        )
        with self.assertRaises(AccessError):
            readers[0].with_user(other).write({"request_id": mine.id})
        own_line = (
            self.env[READER]
            .with_user(other)
            .create({"request_id": mine.id, "name": "戊"})
        )
        with self.assertRaises(AccessError):
            own_line.write({"request_id": request.id})
        self.assertEqual(readers.request_id, request)

    def test_requesting_unit_and_post_come_from_the_requester(self):
        unit = self.env["hr.department"].create({"name": "组织部干部科"})
        self.requester_employee.write({"department_id": unit.id, "job_title": "副科长"})
        request = self.new_request()
        self.assertEqual(request.requesting_unit, "组织部干部科")
        self.assertEqual(request.requester_post, "副科长")
        typed = self.new_request(requesting_unit="县审计局", requester_post="科员")
        self.assertEqual(
            (typed.requesting_unit, typed.requester_post), ("县审计局", "科员")
        )


@tagged("post_install", "-at_install")
class TestRequestOutsideReader(RequestFormCase):
    def test_outside_reader_end_to_end(self):
        """An officer files the request of the commission's inspector, who
        reads in the reading room with a letter of introduction."""
        with self.assertRaisesRegex(ValidationError, "online viewing is not open"):
            self.outside_request(request_type="online")
        request = self.outside_request(introduction_letter=False)
        self.assertRecordValues(
            request,
            [
                {
                    "requester_id": self.officer_b.id,
                    "is_outside": True,
                    "outside_reader_id": self.inspector.id,
                    "outside_organisation_id": self.commission.id,
                    "requesting_unit": "示范县纪委监委",
                }
            ],
        )
        self.assertEqual(
            (self.inspector.archive_id_type, self.inspector.archive_id_number),
            ("resident_id", "110101198001010011"),
        )
        with self.assertRaisesRegex(ValidationError, "letter of introduction"):
            request.action_submit()
        as_officer = request.with_user(self.officer_b)
        as_officer.write(
            {
                "introduction_letter": self.letter,
                "introduction_letter_name": "介绍信.jpg",
            }
        )
        with self.assertRaisesRegex(ValidationError, "online viewing is not open"):
            as_officer.request_type = "online"
        as_officer.action_submit()
        self.assertEqual(request.state, "submitted")
        request.with_user(self.manager).action_approve()
        self.assertEqual(request.state, "approved")
        # the letter is an attachment of the request, read as the request is
        letter = self.letter_attachment(request)
        self.assertEqual(len(letter), 1)
        self.assertEqual(letter.raw, base64.b64decode(self.letter))
        for user in (self.officer_b, self.manager):
            with self.subTest(user=user.login):
                self.assertTrue(letter.with_user(user).read(["datas"])[0]["datas"])
                self.assertTrue(
                    request.with_user(user)
                    .with_context(bin_size=False)
                    .introduction_letter
                )
        for user in (self.requester, self.officer_a, self.employee_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    letter.with_user(user).read(["datas"])
                with self.assertRaises(AccessError):
                    request.with_user(user).read(["introduction_letter"])
        # and it is never opened to the world
        with self.assertRaisesRegex(UserError, "never be public"):
            letter.with_user(self.officer_b).write({"public": True})
        with self.assertRaisesRegex(UserError, "never be public"):
            letter.generate_access_token()
        self.assertFalse(letter.public or letter.access_token)

    def test_outside_reader_lends_the_paper_file(self):
        request = self.outside_request(request_type="lend")
        request.action_submit()
        request.with_user(self.manager).action_approve()
        request.with_user(self.officer_b).action_hand_out()
        self.assertEqual(self.dossier_b.state, "lent")

    def test_an_outside_request_opens_nothing_on_screen_to_its_officer(self):
        """Officer A files for an inspector the request of a dossier of unit B,
        which A does not keep: lent paper opens no viewer, and the reading
        room opens only on its workstations (never outside HTTP)."""
        materials = self.env["cadre.archive.material"].with_user(self.officer_a)
        for kind in ("lend", "reading_room"):
            request = self.outside_request(officer=self.officer_a, request_type=kind)
            request.action_submit()
            request.with_user(self.manager).action_approve()
            self.assertEqual(request.state, "approved")
            self.assertFalse(materials.search([("dossier_id", "=", self.dossier_b.id)]))

    def test_what_an_outside_request_needs_at_submission(self):
        cases = [
            (
                {
                    "outside_reader_id": None,
                    "outside_id_type": None,
                    "outside_id_number": None,
                },
                "Record the reader from the other",
            ),
            ({"outside_id_number": False}, "identity document"),
            ({"outside_id_type": False}, "identity document"),
        ]
        for vals, pattern in cases:
            with self.subTest(vals=vals):
                request = self.outside_request(**vals)
                with self.assertRaisesRegex(ValidationError, pattern):
                    request.action_submit()
                self.inspector.archive_id_number = "110101198001010011"
                self.inspector.archive_id_type = "resident_id"
        loner = self.env["res.partner"].create({"name": "无单位"})
        request = self.outside_request(
            outside_reader_id=loner.id,
            reader_ids=self.readers_vals("无单位", "孙监察"),
        )
        with self.assertRaisesRegex(ValidationError, "organisation of 无单位"):
            request.action_submit()

    def test_outside_request_is_an_officers(self):
        with self.assertRaisesRegex(ValidationError, "tick Reader from Another"):
            self.outside_request(is_outside=False)
        # an officer cannot file it in a plain requester's name
        with self.assertRaisesRegex(ValidationError, "filed by an archive officer"):
            self.env[REQUEST].create(self.outside_vals(requester_id=self.requester.id))
        # unticking the box clears the reader; ticking it leaves online viewing
        form_request = (
            self.env[REQUEST].with_user(self.officer_b).new({"request_type": "online"})
        )
        form_request.is_outside = True
        form_request._onchange_is_outside()
        self.assertEqual(form_request.request_type, "reading_room")
        form_request.outside_reader_id = self.inspector
        form_request._onchange_outside_reader_id()
        self.assertEqual(form_request.reader_ids.mapped("name"), ["郑纪检"])
        self.assertEqual(
            form_request.reader_ids.id_number, self.inspector.archive_id_number
        )
        form_request.is_outside = False
        form_request._onchange_is_outside()
        self.assertFalse(form_request.outside_reader_id)

    def test_requester_cannot_set_outside_fields(self):
        for vals in (
            {"is_outside": True, "request_type": "reading_room"},
            {"outside_reader_id": self.inspector.id},
            {"introduction_letter": self.letter},
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesRegex(AccessError, "Only archive officers"):
                    self.new_request(**vals)
                request = self.new_request()
                with self.assertRaisesRegex(AccessError, "Only archive officers"):
                    request.with_user(self.requester).write(vals)
                self.assertFalse(request.is_outside or request.outside_reader_id)
        # the identity documents of contacts are the officers' only
        inspector = self.inspector.with_user(self.requester)
        with self.assertRaises(AccessError):
            inspector.read(["archive_id_number"])
        with self.assertRaises(AccessError):
            inspector.search([("archive_id_number", "=", "110101198001010011")])
        with self.assertRaises(AccessError):
            self.new_request(outside_id_number="1")


@tagged("post_install", "-at_install")
class TestRequestFormHttp(JsonRpcMixin, HttpCase, RequestFormCase):
    """The form and the letter over RPC and /web/content, as each user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_passwords()

    def assertRefused(self, model, method, *args, **kwargs):
        result, error = self.call(model, method, *args, **kwargs)
        self.assertTrue(error, f"{model}.{method}{args} was not refused")
        self.assertFalse(result)
        return error

    def test_letter_over_web_content(self):
        request = self.outside_request()
        request.action_submit()
        letter = self.letter_attachment(request)
        urls = [
            f"/web/content/{letter.id}?download=true",
            f"/web/content/ir.attachment/{letter.id}/datas",
            f"/web/content/{REQUEST}/{request.id}/introduction_letter",
        ]
        cases = {
            self.officer_b: True,  # filed it
            self.manager: True,
            self.requester: False,
            self.officer_a: False,  # keeps unit A, the request names B
            self.employee_user: False,
        }
        for user, allowed in cases.items():
            self.login(user)
            for url in urls:
                with self.subTest(user=user.login, url=url):
                    response = self.url_open(url, allow_redirects=False)
                    if allowed:
                        self.assertEqual(response.status_code, 200)
                        self.assertEqual(response.content, letter.raw)
                    else:
                        self.assertIn(response.status_code, (403, 404))
                        self.assertNotIn(letter.raw[:64], response.content)
        self.authenticate(None, None)
        response = self.url_open(urls[0], allow_redirects=False)
        self.assertNotEqual(response.status_code, 200)

    def test_requester_refused_over_rpc(self):
        self.login(self.requester)
        request = self.new_request()
        for vals in (
            {"is_outside": True},
            {"outside_reader_id": self.inspector.id},
            {"introduction_letter": self.letter.decode()},
            {"outside_id_number": "1"},
        ):
            with self.subTest(vals=vals):
                self.assertRefused(REQUEST, "write", request.ids, vals)
        vals = self.outside_vals(introduction_letter=self.letter.decode())
        vals["date_start"] = vals["date_end"] = str(self.today)
        self.assertRefused(REQUEST, "create", vals)
        self.assertRefused(
            "res.partner", "read", self.inspector.ids, ["archive_id_number"]
        )
        # once submitted the form is frozen, line by line too
        request.action_submit()
        line = request.reader_ids[0]
        self.assertRefused(
            REQUEST, "write", request.ids, {"reader_ids": [(0, 0, {"name": "丁"})]}
        )
        self.assertRefused(REQUEST, "write", request.ids, {"leader_opinion": "改"})
        self.assertRefused(READER, "write", line.ids, {"name": "丁"})
        self.assertRefused(READER, "unlink", line.ids)
        self.assertRefused(READER, "create", {"request_id": request.id, "name": "丁"})
        request.invalidate_recordset()
        self.assertFalse(request.is_outside or request.outside_reader_id)
        self.assertEqual(request.reader_ids.mapped("name"), ["查阅人甲", "查阅人乙"])
        self.assertFalse(request.leader_opinion)
        # the legitimate path: the officer records the inspector's request
        self.login(self.officer_b)
        vals["introduction_letter"] = self.letter.decode()
        result, error = self.call(REQUEST, "create", vals)
        self.assertFalse(error)
        created = self.env[REQUEST].browse(result)
        self.assertEqual(created.requester_id, self.officer_b)
        self.assertEqual(created.outside_reader_id, self.inspector)
