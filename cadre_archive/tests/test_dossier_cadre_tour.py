# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDossierCadreTour(HttpCase):
    """An archive officer (no HR rights) creates a dossier in the browser
    (tour ``cadre_archive_dossier_cadre``): the cadre picker offers the cadres
    of their units without a dossier, and the one with a dossier to open."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        department = cls.env["hr.department"]
        cls.unit = department.create({"name": "Picker Unit"})
        cls.sub_unit = department.create(
            {"name": "Picker Sub-Unit Dept", "parent_id": cls.unit.id}
        )
        cls.elsewhere = department.create({"name": "Picker Other Unit"})
        employee = cls.env["hr.employee"]
        cls.newcomer = employee.create(
            {"name": "Picker Newcomer", "department_id": cls.unit.id}
        )
        cls.sub_newcomer = employee.create(
            {"name": "Picker Sub-Unit", "department_id": cls.sub_unit.id}
        )
        cls.filed = employee.create(
            {"name": "Picker Filed", "department_id": cls.unit.id}
        )
        cls.other = employee.create(
            {"name": "Picker Elsewhere", "department_id": cls.elsewhere.id}
        )
        cls.dossier = cls.env["cadre.archive.dossier"].create(
            {"employee_id": cls.filed.id}
        )
        cls.officer = new_test_user(
            cls.env,
            login="tour_picker_officer",
            password="tour_picker_officer",
            name="Picker Officer",
            groups="cadre_archive.group_officer",
            archive_department_ids=[(6, 0, cls.unit.ids)],
        )

    def test_choose_a_cadre_for_a_new_dossier(self):
        self.assertFalse(self.officer.has_group("hr.group_hr_user"))
        Dossier = self.env["cadre.archive.dossier"]
        before = Dossier.search([])
        self.start_tour(
            "/odoo", "cadre_archive_dossier_cadre", login="tour_picker_officer"
        )
        created = Dossier.search([]) - before
        self.assertEqual(created.employee_id, self.newcomer)
        self.assertEqual(created.department_id, self.unit)
        self.assertEqual(Dossier.search_count([("employee_id", "=", self.filed.id)]), 1)
        self.assertFalse(Dossier.search([("employee_id", "=", self.other.id)]))
