# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The cadre picker of a new dossier (issue 18): the employees of the
officer's units without a dossier; one with a dossier is offered to open."""

from lxml import etree

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CadreArchiveCase

CANDIDATE = [("archive_dossier_candidate", "=", True)]


@tagged("post_install", "-at_install")
class TestDossierCadrePicker(CadreArchiveCase):
    """The picker offers the cadres of the officer's units without a dossier;
    one with a dossier the officer keeps is offered to open instead."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        employee = cls.env["hr.employee"]
        cls.new_a = employee.create(
            {"name": "Newcomer A", "department_id": cls.unit_a.id}
        )
        cls.new_a1 = employee.create(
            {"name": "Newcomer A1", "department_id": cls.unit_a1.id}
        )
        cls.new_b = employee.create(
            {"name": "Newcomer B", "department_id": cls.unit_b.id}
        )

    def offered(self, user, model="hr.employee.public"):
        """The ids of the employees the picker offers ``user``."""
        return set(self.env[model].with_user(user).search(CANDIDATE).ids)

    def test_officer_is_offered_their_units_cadres_without_a_dossier(self):
        for model in ("hr.employee.public", "hr.employee"):
            with self.subTest(model=model):
                offered = self.offered(self.officer_a, model)
                self.assertIn(self.new_a.id, offered)
                self.assertIn(self.new_a1.id, offered, "units below included")
                self.assertNotIn(self.new_b.id, offered, "another unit")
                self.assertNotIn(self.cadre_a.id, offered, "has a dossier")
        # what the many2one of the form asks, as the officer (no HR rights)
        names = [
            name
            for __, name in self.env["hr.employee"]
            .with_user(self.officer_a)
            .name_search("Cadre", domain=CANDIDATE)
        ]
        self.assertFalse(names, "Cadre A and A1 have a dossier")
        names = [
            name
            for __, name in self.env["hr.employee"]
            .with_user(self.officer_a)
            .name_search("Newcomer", domain=CANDIDATE)
        ]
        self.assertEqual(sorted(names), ["Newcomer A", "Newcomer A1"])

    def test_manager_is_offered_the_company_without_a_dossier(self):
        offered = self.offered(self.manager)
        self.assertLessEqual(set((self.new_a | self.new_a1 | self.new_b).ids), offered)
        self.assertFalse(
            offered & set((self.cadre_a | self.cadre_a1 | self.cadre_b).ids)
        )

    def test_officer_without_units_is_offered_nobody(self):
        officer = new_test_user(
            self.env, login="ca_officer_none", groups="cadre_archive.group_officer"
        )
        self.assertFalse(self.offered(officer))

    def test_requester_cannot_search_the_candidates(self):
        with self.assertRaises(AccessError):
            self.offered(self.requester)

    def test_the_kept_dossier_is_offered_to_open(self):
        dossiers = self.env["cadre.archive.dossier"].with_user(self.officer_a)
        found = dossiers.archive_find_kept_dossiers("Cadre A")
        self.assertEqual(
            {row["id"] for row in found}, {self.dossier_a.id, self.dossier_a1.id}
        )
        self.assertIn("Cadre A", found[0]["display_name"])
        # another unit's dossier is not the officer's to open
        self.assertFalse(dossiers.archive_find_kept_dossiers("Cadre B"))
        self.assertFalse(dossiers.archive_find_kept_dossiers("  "))

    def test_a_second_dossier_names_the_one_to_open(self):
        dossiers = self.env["cadre.archive.dossier"].with_user(self.officer_a)
        with self.assertRaisesRegex(ValidationError, self.dossier_a.name):
            dossiers.create({"employee_id": self.cadre_a.id})

    def test_form_uses_the_picker(self):
        arch = (
            self.env["cadre.archive.dossier"]
            .with_user(self.officer_a)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        field = etree.fromstring(arch).xpath("//field[@name='employee_id']")[0]
        self.assertEqual(field.get("widget"), "cadre_archive_dossier_cadre")
        self.assertIn("archive_dossier_candidate", field.get("domain"))
