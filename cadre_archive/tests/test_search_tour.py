# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestArchiveSearchTour(HttpCase):
    """An archive officer searches a word of a material's recognised text with
    the search bar and sees it marked in the results, then narrows them by
    unit and category (tour ``cadre_archive_search``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        department = cls.env["hr.department"]
        cls.finance = department.create({"name": "县财政局"})
        cls.education = department.create({"name": "县教育局"})
        cls.elsewhere = department.create({"name": "县审计局"})
        cls.officer = new_test_user(
            cls.env,
            login="tour_search_officer",
            password="tour_search_officer",
            name="Tour Search Officer",
            groups="cadre_archive.group_officer",
            archive_department_ids=[(6, 0, (cls.finance | cls.education).ids)],
        )
        # archive numbers of the test's own, to find them whole in the list
        cls.env["cadre.archive.dossier"]._get_archive_sequence(cls.env.company).write(
            {"prefix": "TOUR-", "padding": 6, "number_next": 1}
        )
        cls.appointment = cls.material(
            cls.finance,
            "cadre_archive.category_9_2",
            "任免审批表",
            "经研究决定，任命张三同志为县财政局副局长。",
        )
        cls.cv = cls.material(
            cls.education,
            "cadre_archive.category_1",
            "干部履历表",
            "<b>李四</b>同志为县教育局干部，1990年参加工作。",
        )
        cls.hidden = cls.material(
            cls.elsewhere,
            "cadre_archive.category_9_2",
            "任免审批表（审计局）",
            "任命王五同志为县审计局局长。",
        )

    @classmethod
    def material(cls, unit, category, title, text):
        employee = cls.env["hr.employee"].create(
            {"name": f"{unit.name}干部", "department_id": unit.id}
        )
        dossier = cls.env["cadre.archive.dossier"].create({"employee_id": employee.id})
        return cls.env["cadre.archive.material"].create(
            {
                "dossier_id": dossier.id,
                "category_id": cls.env.ref(category).id,
                "name": title,
                "date": "1990-07-01",
                "ocr_text": text,
            }
        )

    def test_search_marks_the_words_and_filters(self):
        self.assertEqual(self.appointment.dossier_id.name, "TOUR-000001")
        self.start_tour("/odoo", "cadre_archive_search", login="tour_search_officer")
