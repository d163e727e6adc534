# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io

from PIL import Image, ImageDraw

from odoo.tests import common, new_test_user


def make_jpeg(text="scan", size=(620, 877), dpi=(300, 300)):
    """Return the bytes of a real JPEG page with ``text`` drawn on it."""
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).text((40, 40), text, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", dpi=dpi)
    return buffer.getvalue()


class CadreArchiveCase(common.TransactionCase):
    """Units A (with child A1) and B, one user per role, a dossier per unit.

    - ``employee_user``: a plain employee, no archive group;
    - ``cadre_user``: the cadre whose dossier is in unit A;
    - ``requester``: archive requester with no approved request;
    - ``officer_a``: officer of unit A (so of A1 too); ``officer_b`` of unit B;
    - ``manager``: archive manager of the company.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.unit_a = cls.env["hr.department"].create({"name": "Unit A"})
        cls.unit_a1 = cls.env["hr.department"].create(
            {"name": "Unit A1", "parent_id": cls.unit_a.id}
        )
        cls.unit_b = cls.env["hr.department"].create({"name": "Unit B"})

        cls.employee_user = new_test_user(
            cls.env, login="ca_employee", groups="base.group_user"
        )
        cls.cadre_user = new_test_user(
            cls.env, login="ca_cadre", groups="base.group_user"
        )
        cls.requester = new_test_user(
            cls.env, login="ca_requester", groups="cadre_archive.group_requester"
        )
        cls.officer_a = new_test_user(
            cls.env,
            login="ca_officer_a",
            groups="cadre_archive.group_officer",
            archive_department_ids=[(6, 0, cls.unit_a.ids)],
        )
        cls.officer_b = new_test_user(
            cls.env,
            login="ca_officer_b",
            groups="cadre_archive.group_officer",
            archive_department_ids=[(6, 0, cls.unit_b.ids)],
        )
        cls.manager = new_test_user(
            cls.env, login="ca_manager", groups="cadre_archive.group_manager"
        )

        employee = cls.env["hr.employee"]
        cls.cadre_a = employee.create(
            {
                "name": "Cadre A",
                "department_id": cls.unit_a.id,
                "user_id": cls.cadre_user.id,
            }
        )
        cls.cadre_a1 = employee.create(
            {"name": "Cadre A1", "department_id": cls.unit_a1.id}
        )
        cls.cadre_b = employee.create(
            {"name": "Cadre B", "department_id": cls.unit_b.id}
        )

        dossier = cls.env["cadre.archive.dossier"]
        cls.dossier_a = dossier.create({"employee_id": cls.cadre_a.id})
        cls.dossier_a1 = dossier.create({"employee_id": cls.cadre_a1.id})
        cls.dossier_b = dossier.create({"employee_id": cls.cadre_b.id})

        cls.cat_cv = cls.env.ref("cadre_archive.category_1")
        cls.cat_degree = cls.env.ref("cadre_archive.category_4_1")
        cls.cat_appointment = cls.env.ref("cadre_archive.category_9_2")

        cls.material_a = cls.create_material(cls.dossier_a, cls.cat_cv, "干部履历表")
        cls.material_a1 = cls.create_material(
            cls.dossier_a1, cls.cat_degree, "学位证书"
        )
        cls.material_b = cls.create_material(
            cls.dossier_b, cls.cat_appointment, "任免审批表"
        )

    @classmethod
    def create_material(cls, dossier, category, title, **vals):
        return cls.env["cadre.archive.material"].create(
            {
                "dossier_id": dossier.id,
                "category_id": category.id,
                "name": title,
                "date": "1990-07-01",
                "page_count": 2,
                **vals,
            }
        )

    @classmethod
    def file_materials(cls, materials, user=None):
        """File drafts as an officer would: through the check before filing
        (鉴别) of their categories, every point passed."""
        materials = materials.with_user(user) if user else materials
        for material in materials:
            items = material._filing_check_items()
            if items:
                material._record_filing_checks(items)
        materials.action_file()

    @classmethod
    def attach_scan(cls, material, text="page 1", env=None):
        env = env or cls.env
        return env["ir.attachment"].create(
            {
                "name": f"{material.code or 'scan'}-1.jpg",
                "res_model": "cadre.archive.material",
                "res_id": material.id,
                "datas": base64.b64encode(make_jpeg(text)),
            }
        )


# passwords of the test users, to log in over HTTP (JsonRpcMixin.set_passwords)
PASSWORDS = {
    "ca_requester": "ca_requester-pw-123",
    "ca_officer_a": "ca_officer_a-pw-123",
    "ca_officer_b": "ca_officer_b-pw-123",
    "ca_employee": "ca_employee-pw-123",
    "ca_manager": "ca_manager-pw-123",
}


class JsonRpcMixin:
    """Call the ORM over JSON-RPC as the authenticated user (for HttpCase)."""

    @classmethod
    def set_passwords(cls):
        """Give the test users their passwords, to log in over HTTP."""
        for user in (
            cls.requester,
            cls.officer_a,
            cls.officer_b,
            cls.employee_user,
            cls.manager,
        ):
            user.password = PASSWORDS[user.login]

    def login(self, user):
        self.authenticate(user.login, PASSWORDS[user.login])

    def post_call_kw(self, model, method, args, kwargs, timeout=30):
        """The HTTP response of a JSON-RPC call of ``model.method``."""
        return self.opener.post(
            f"{self.base_url()}/web/dataset/call_kw/{model}/{method}",
            json={
                "id": 0,
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": list(args),
                    "kwargs": kwargs,
                },
            },
            timeout=timeout,
        )

    def call(self, model, method, *args, **kwargs):
        """Return (result, error message) of ``model.method(*args, **kwargs)``."""
        response = self.post_call_kw(model, method, args, kwargs)
        decoded = response.json()
        error = decoded.get("error")
        return decoded.get("result"), error and error["data"]["message"]
