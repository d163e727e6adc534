# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

from lxml import etree

from odoo import Command, fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval

from ..lib import pages
from .common import CadreArchiveCase, JsonRpcMixin, make_jpeg
from .test_request import RequestCase

MATERIAL = "cadre.archive.material"
# what the material form offers to work on a material
WORK = {
    "action_open_filing_check",
    "action_open_scan_upload",
    "action_open_rescan",
    "action_run_ocr",
    "action_verify_integrity",
    "cadre_archive_scan_upload",
}


def scan_file(name, text="page"):
    return {"name": name, "raw": make_jpeg(text)}


@tagged("post_install", "-at_install")
class TestMaterialFormOffers(RequestCase):
    """The material form offers uploads, filing, OCR and verification only
    to those who keep the material, and only where they can succeed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.attach_scan(cls.draft_b, "draft page")

    def offered(self, material, user):
        """The header buttons and widgets of the material form that ``user``
        sees on ``material``: the form as ``get_views`` gives it to that user
        (nodes of other groups removed), ``invisible`` evaluated on the
        material as that user reads it."""
        material_as_user = material.with_user(user)
        arch = material_as_user.get_views([(False, "form")])["views"]["form"]["arch"]
        nodes = etree.fromstring(arch).xpath("//header/button[@name] | //widget")
        names = {
            word
            for node in nodes
            for word in re.findall(r"\w+", node.get("invisible") or "")
            if word in material._fields
        }
        values = material_as_user.read(sorted(names))[0]
        return {
            node.get("name")
            for node in nodes
            if not safe_eval(node.get("invisible") or "False", values)
        } & WORK

    def test_requester_with_an_approved_request_is_offered_no_work(self):
        self.approved_request()
        material = self.material_b.with_user(self.requester)
        self.assertTrue(material.has_access("read"), "the request opens it")
        self.assertFalse(material.user_can_edit)
        self.assertFalse(material.can_upload_scans)
        self.assertEqual(self.offered(self.material_b, self.requester), set())

    def test_officer_is_offered_the_work_that_can_succeed(self):
        self.assertEqual(
            self.offered(self.draft_b, self.officer_b),
            {
                "action_open_filing_check",
                "action_run_ocr",
                "action_verify_integrity",
                "cadre_archive_scan_upload",
            },
        )
        # filed with scans: no upload, no filing; OCR, verification, rescan
        self.assertEqual(
            self.offered(self.material_b, self.officer_b),
            {"action_open_rescan", "action_run_ocr", "action_verify_integrity"},
        )
        # filed on paper only: its first scans through Attach Scans
        self.assertEqual(
            self.offered(self.other_b, self.officer_b), {"action_open_scan_upload"}
        )

    def test_filed_scans_cannot_be_removed_through_the_form(self):
        material = self.material_b.with_user(self.officer_b)
        for command in (Command.unlink, Command.delete):
            with (
                self.subTest(command=command.__name__),
                self.assertRaisesRegex(
                    UserError,
                    r"The scans of .*任免审批表 cannot be removed or replaced: the "
                    r"material is filed .* ask for a rescan\.",
                ),
            ):
                material.write({"attachment_ids": [command(self.scan_b.id)]})
        self.assertEqual(self.material_b.attachment_ids, self.scan_b)

    def test_draft_scans_are_removed_through_the_form(self):
        scan = self.draft_b.attachment_ids
        self.draft_b.with_user(self.officer_b).write(
            {"attachment_ids": [Command.delete(scan.id)]}
        )
        self.assertFalse(scan.exists())
        self.assertFalse(self.draft_b.page_ids)


@tagged("post_install", "-at_install")
class TestMaterialFormDetails(CadreArchiveCase):
    """Scans uploaded from the form, their pages, and the formation date
    checked as it is typed."""

    def date_warning(self, text):
        """The warning the form's onchange gives for a typed formation date."""
        result = (
            self.env[MATERIAL]
            .with_user(self.officer_a)
            .onchange(
                {
                    "dossier_id": self.dossier_a.id,
                    "date_input": text,
                    "date": False,
                    "date_precision": "day",
                },
                ["date_input"],
                dict.fromkeys(
                    ["dossier_id", "date_input", "date", "date_precision"], {}
                ),
            )
        )
        return result.get("warning", {}).get("message")

    def test_formation_date_is_checked_as_it_is_typed(self):
        self.assertEqual(
            self.date_warning("1985.13"), "1985.13 is not a possible date."
        )
        self.assertRegex(self.date_warning("八五年"), r"八五年 is not a date\. Write")
        next_year = f"{fields.Date.today().year + 1}.01"
        self.assertRegex(
            self.date_warning(next_year), rf"{re.escape(next_year)} is in the future"
        )
        for good in ("1985.03.12", "1985.03", "1985", "1985年3月", ""):
            with self.subTest(good=good):
                self.assertFalse(self.date_warning(good))

    def test_scans_uploaded_from_the_form_keep_the_order_given(self):
        two_pages = pages.images_to_pdf([make_jpeg("p2"), make_jpeg("p3")])
        files = [
            scan_file("z-first.jpg"),
            {"name": "a-second.pdf", "raw": two_pages},
            scan_file("m-third.jpg"),
        ]
        scans = self.material_a.with_user(self.officer_a)._add_draft_scans(files)
        self.assertEqual(
            scans.mapped("name"), ["z-first.jpg", "a-second.pdf", "m-third.jpg"]
        )
        self.assertEqual(scans.ids, sorted(scans.ids), "created in the order given")
        self.assertEqual(
            [
                (p.material_page_number, p.attachment_id.name, p.page_number)
                for p in self.material_a.page_ids
            ],
            [
                (1, "z-first.jpg", 1),
                (2, "a-second.pdf", 1),
                (3, "a-second.pdf", 2),
                (4, "m-third.jpg", 1),
            ],
        )

    def test_upload_takes_all_files_or_none(self):
        files = [scan_file("good.jpg"), {"name": "bad.jpg", "raw": b"not a scan"}]
        with self.assertRaises(ValidationError):
            self.material_a.with_user(self.officer_a)._add_draft_scans(files)
        self.assertFalse(self.material_a.attachment_ids)

    def test_no_upload_onto_a_filed_material(self):
        self.file_materials(self.material_a)
        with self.assertRaisesRegex(
            UserError, "is filed: its scans can no longer be changed.*Attach Scans"
        ):
            self.material_a.with_user(self.officer_a)._add_draft_scans(
                [scan_file("late.jpg")]
            )


@tagged("post_install", "-at_install")
class TestScanUploadRoute(JsonRpcMixin, HttpCase, CadreArchiveCase):
    """The upload route of the material form, over HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_passwords()

    def upload(self, material, files):
        response = self.opener.post(
            f"{self.base_url()}/cadre_archive/material/{material.id}/scans",
            data={"csrf_token": http.Request.csrf_token(self)},
            files=[("ufile", (name, raw, "image/jpeg")) for name, raw in files],
            timeout=30,
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_officer_uploads_onto_a_draft_in_the_order_given(self):
        self.login(self.officer_a)
        result = self.upload(
            self.material_a,
            [("2.jpg", make_jpeg("two")), ("1.jpg", make_jpeg("one"))],
        )
        self.assertEqual(
            self.material_a.attachment_ids.sorted("id").mapped("name"),
            ["2.jpg", "1.jpg"],
        )
        self.assertEqual(
            result, {"ids": self.material_a.attachment_ids.sorted("id").ids}
        )

    def test_refusals_are_plain_and_keep_nothing(self):
        self.login(self.officer_a)
        result = self.upload(
            self.material_a, [("good.jpg", make_jpeg()), ("bad.jpg", b"not a scan")]
        )
        self.assertIn("error", result)
        self.assertNotIn("horrible", result["error"])
        self.assertFalse(self.material_a.attachment_ids, "all files or none")
        # another unit's material: the same sentence whether it exists or not
        for material in (self.material_b, self.env[MATERIAL].browse(10**9)):
            with self.subTest(material=material.id):
                self.assertEqual(
                    self.upload(material, [("x.jpg", make_jpeg())]),
                    {
                        "error": "You may only add scans to the draft materials of "
                        "the dossiers you keep."
                    },
                )
        self.assertFalse(self.material_b.attachment_ids)
