# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CadreArchiveCase, make_jpeg

READ, CREATE, WRITE, UNLINK = "read", "create", "write", "unlink"


@tagged("post_install", "-at_install")
class TestAccessMatrix(CadreArchiveCase):
    """Each role against dossiers, materials and scans, for every operation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scan_a = cls.attach_scan(cls.material_a)
        cls.scan_a1 = cls.attach_scan(cls.material_a1)
        cls.scan_b = cls.attach_scan(cls.material_b)
        # which of (A, A1, B) each role may read, and may change
        cls.expected = {
            cls.employee_user: ("", ""),
            cls.cadre_user: ("", ""),
            cls.requester: ("", ""),
            cls.officer_a: ("A A1", "A A1"),
            cls.officer_b: ("B", "B"),
            cls.manager: ("A A1 B", "A A1 B"),
        }

    def units(self, spec):
        names = set(spec.split())
        return {
            "dossier": self.env["cadre.archive.dossier"].union(
                *(d for n, d in self.dossiers().items() if n in names)
            ),
            "material": self.env["cadre.archive.material"].union(
                *(m for n, m in self.materials().items() if n in names)
            ),
            "scan": self.env["ir.attachment"].union(
                *(s for n, s in self.scans().items() if n in names)
            ),
        }

    def dossiers(self):
        return {"A": self.dossier_a, "A1": self.dossier_a1, "B": self.dossier_b}

    def materials(self):
        return {"A": self.material_a, "A1": self.material_a1, "B": self.material_b}

    def scans(self):
        return {"A": self.scan_a, "A1": self.scan_a1, "B": self.scan_b}

    def all_records(self, kind):
        return self.units("A A1 B")[kind]

    def test_search_and_read(self):
        for user, (readable, _writable) in self.expected.items():
            expected = self.units(readable)
            for kind, model in (
                ("dossier", "cadre.archive.dossier"),
                ("material", "cadre.archive.material"),
            ):
                with self.subTest(user=user.login, kind=kind):
                    records = self.env[model].with_user(user)
                    if not expected[kind] and not records.has_access("read"):
                        with self.assertRaises(AccessError):
                            records.search([])
                        continue
                    found = records.search([("id", "in", self.all_records(kind).ids)])
                    self.assertEqual(found, expected[kind].with_user(user))
                    for record in self.all_records(kind):
                        if record in expected[kind]:
                            record.with_user(user).read(["name"])
                        else:
                            with self.assertRaises(AccessError):
                                record.with_user(user).read(["name"])
            with self.subTest(user=user.login, kind="scan"):
                for scan in self.all_records("scan"):
                    if scan in expected["scan"]:
                        self.assertEqual(scan.with_user(user).raw, scan.raw)
                    else:
                        with self.assertRaises(AccessError):
                            scan.with_user(user).read(["raw"])
                found = (
                    self.env["ir.attachment"]
                    .with_user(user)
                    .search([("id", "in", self.all_records("scan").ids)])
                )
                self.assertEqual(found, expected["scan"].with_user(user))

    def test_export_needs_the_export_group(self):
        with self.assertRaisesRegex(UserError, "export"):
            self.material_a.with_user(self.officer_a).export_data(["name"])

    def test_read_group_and_export(self):
        export_group = self.env.ref("base.group_allow_export")
        for user, (readable, _writable) in self.expected.items():
            user.group_ids = [(4, export_group.id)]
            expected = self.units(readable)["material"]
            model = self.env["cadre.archive.material"].with_user(user)
            with self.subTest(user=user.login):
                if not model.has_access("read"):
                    with self.assertRaises(AccessError):
                        model.formatted_read_group([], ["department_id"], ["__count"])
                    continue
                groups = model.formatted_read_group(
                    [("id", "in", self.all_records("material").ids)],
                    ["department_id"],
                    ["__count", "page_count:sum"],
                )
                self.assertEqual(sum(g["__count"] for g in groups), len(expected))
                self.assertEqual(
                    sum(g["page_count:sum"] for g in groups),
                    sum(expected.mapped("page_count")),
                )
                visible = model.search([("id", "in", self.all_records("material").ids)])
                exported = visible.export_data(["code", "name"])["datas"]
                self.assertEqual(
                    sorted(row[1] for row in exported), sorted(expected.mapped("name"))
                )
                for material in self.all_records("material") - expected:
                    with self.assertRaises(AccessError):
                        material.with_user(user).export_data(["name", "ocr_text"])

    def test_write_and_unlink(self):
        for user, (_readable, writable) in self.expected.items():
            allowed = self.units(writable)
            for name, material in self.materials().items():
                with self.subTest(user=user.login, material=name):
                    if material in allowed["material"]:
                        material.with_user(user).remarks = f"by {user.login}"
                        self.assertEqual(material.remarks, f"by {user.login}")
                    else:
                        with self.assertRaises(AccessError):
                            material.with_user(user).remarks = "intruder"
                        with self.assertRaises(AccessError):
                            material.with_user(user).unlink()
                        with self.assertRaises(AccessError):
                            self.scans()[name].with_user(user).unlink()
                        with self.assertRaises(AccessError):
                            self.scans()[name].with_user(user).write(
                                {"raw": make_jpeg("x")}
                            )
            for name, dossier in self.dossiers().items():
                with self.subTest(user=user.login, dossier=name):
                    if dossier in allowed["dossier"]:
                        dossier.with_user(user).location_room = "R1"
                    else:
                        with self.assertRaises(AccessError):
                            dossier.with_user(user).location_room = "intruder"
                        with self.assertRaises(AccessError):
                            dossier.with_user(user).unlink()

    def test_create(self):
        for user, (_readable, writable) in self.expected.items():
            allowed = self.units(writable)
            for name, dossier in self.dossiers().items():
                with self.subTest(user=user.login, dossier=name):
                    vals = {
                        "dossier_id": dossier.id,
                        "category_id": self.cat_cv.id,
                        "name": "新材料",
                        "page_count": 1,
                    }
                    materials = self.env["cadre.archive.material"].with_user(user)
                    if dossier in allowed["dossier"]:
                        material = materials.create(vals)
                        self.attach_scan(material, env=self.env(user=user))
                        self.assertEqual(len(material.attachment_ids), 1)
                    else:
                        with self.assertRaises(AccessError):
                            materials.create(vals)
                        with self.assertRaises(AccessError):
                            self.attach_scan(
                                self.materials()[name], env=self.env(user=user)
                            )

    def test_officer_creates_dossiers_only_in_own_units(self):
        cadre_a = self.env["hr.employee"].create(
            {"name": "New A", "department_id": self.unit_a1.id}
        )
        cadre_b = self.env["hr.employee"].create(
            {"name": "New B", "department_id": self.unit_b.id}
        )
        dossiers = self.env["cadre.archive.dossier"].with_user(self.officer_a)
        self.assertTrue(dossiers.create({"employee_id": cadre_a.id}))
        with self.assertRaises(AccessError):
            dossiers.create({"employee_id": cadre_b.id})
        for user in (self.employee_user, self.cadre_user, self.requester):
            with self.assertRaises(AccessError):
                self.env["cadre.archive.dossier"].with_user(user).create(
                    {"employee_id": cadre_b.id}
                )

    def test_officer_never_sees_own_dossier(self):
        self.cadre_a.user_id = self.officer_a
        dossiers = self.env["cadre.archive.dossier"].with_user(self.officer_a)
        self.assertEqual(dossiers.search([]), self.dossier_a1.with_user(self.officer_a))
        with self.assertRaises(AccessError):
            self.material_a.with_user(self.officer_a).read(["name"])
        with self.assertRaises(AccessError):
            self.scan_a.with_user(self.officer_a).read(["raw"])
        self.cadre_a.user_id = self.manager
        self.assertNotIn(
            self.dossier_a,
            self.env["cadre.archive.dossier"].with_user(self.manager).search([]),
        )

    def test_unit_change_applies_at_once(self):
        dossiers = self.env["cadre.archive.dossier"].with_user(self.officer_b)
        self.assertEqual(dossiers.search([]), self.dossier_b.with_user(self.officer_b))
        self.officer_b.archive_department_ids = [(4, self.unit_a1.id)]
        self.assertEqual(
            dossiers.search([]),
            (self.dossier_a1 | self.dossier_b).with_user(self.officer_b),
        )
        # a unit created later under A is covered for officer A
        unit_a2 = self.env["hr.department"].create(
            {"name": "Unit A2", "parent_id": self.unit_a.id}
        )
        cadre = self.env["hr.employee"].create(
            {"name": "Cadre A2", "department_id": unit_a2.id}
        )
        dossier = self.env["cadre.archive.dossier"].create({"employee_id": cadre.id})
        self.assertIn(
            dossier,
            self.env["cadre.archive.dossier"].with_user(self.officer_a).search([]),
        )

    def test_officer_without_units_sees_nothing(self):
        self.officer_b.archive_department_ids = [(5,)]
        self.assertFalse(
            self.env["cadre.archive.dossier"].with_user(self.officer_b).search([])
        )
        self.assertFalse(
            self.env["cadre.archive.material"].with_user(self.officer_b).search([])
        )

    def test_employee_page_visible_to_archive_users_only(self):
        hr_user = new_test_user(self.env, login="ca_hr", groups="hr.group_hr_user")
        with self.assertRaises(AccessError):
            self.cadre_a.with_user(hr_user).read(["cadre_material_count"])
        for user in (hr_user, self.employee_user, self.cadre_user):
            fields = self.env["hr.employee"].with_user(user).fields_get()
            self.assertNotIn("cadre_material_count", fields)
            self.assertNotIn("cadre_dossier_id", fields)
        arch = (
            self.env["hr.employee"]
            .with_user(hr_user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn("cadre_catalog_html", arch)
        # officers have no HR rights: they see the public profile, with the tab
        arch = (
            self.env["hr.employee.public"]
            .with_user(self.officer_a)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("cadre_catalog_html", arch)
        arch = (
            self.env["hr.employee.public"]
            .with_user(self.employee_user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn("cadre_catalog_html", arch)
        self.assertEqual(self.cadre_a.with_user(self.officer_a).cadre_material_count, 1)
        self.assertEqual(self.cadre_a.with_user(self.officer_b).cadre_material_count, 0)
        self.assertFalse(self.cadre_a.with_user(self.officer_b).cadre_dossier_id)
        self.file_materials(self.material_a)
        self.env.invalidate_all()
        html = str(self.cadre_a.with_user(self.officer_a).cadre_catalog_html)
        self.assertIn("干部履历表", html)
        self.assertIn("4-1", html)

    def test_filed_lock_is_not_an_access_bypass(self):
        """Locked or not, an outsider gets AccessError, not the lock message."""
        self.file_materials(self.material_b)
        with self.assertRaises(AccessError):
            self.material_b.with_user(self.officer_a).read(["name"])
        with self.assertRaises(AccessError):
            self.material_b.with_user(self.officer_a).unlink()
