# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import datetime

from odoo import Command, api, models

from ..lib import pages

DEMO_NAMES = (
    "张明 刘洋 陈静 杨帆 黄磊 周敏 吴强 徐丽 孙伟 马超 朱红 胡军 郭芳 何平 "
    "高峰 林娜 罗斌 梁雪 宋涛 谢婷"
).split()

DEMO_POSTS = (
    "科员",
    "副科长",
    "科长",
    "副主任",
    "主任",
    "副局长",
    "局长",
    "一级主任科员",
)

DEMO_IDENTITIES = ("公务员", "参照公务员法管理", "事业单位管理人员")
DEMO_CERTIFICATES = ("bachelor", "master", "bachelor", "doctor", "graduate")
# (category code, title, year offset from birth, month or None, day or None);
# {year} in a title is the material's year
DEMO_MATERIALS = (
    ("1", "干部履历表", 22, 7, 1),
    ("1", "干部任免审批表（履历部分）", 35, 3, None),
    ("2", "自传", 21, 5, None),
    ("3", "{year}年度考核登记表（称职）", 30, 12, 20),
    ("3", "{year}年度考核登记表（优秀）", 31, 12, 18),
    ("4-1", "学位证书", 22, 7, 1),
    ("4-2", "专业技术职务任职资格评审表", 29, None, None),
    ("4-3", "学术论文评审意见", 32, 10, None),
    ("4-4", "党校培训结业登记表", 33, 6, 30),
    ("5", "政审材料", 22, 8, None),
    ("6", "入党志愿书", 24, 7, 1),
    ("7", "优秀公务员嘉奖审批表", 34, 1, 15),
    ("8", "诫勉谈话记录", 36, 4, None),
    ("9-1", "工资变动审批表", 28, 10, 1),
    ("9-2", "干部任免审批表", 35, 3, 12),
    ("9-3", "因公出国（境）审批表", 37, 9, None),
    ("9-4", "党代会代表登记表", 38, 11, None),
    ("10", "体检表", 22, 8, 5),
)


class CadreArchiveDemo(models.AbstractModel):
    """Builds the demo archive: dossiers, materials and a few scans."""

    _name = "cadre.archive.demo"
    _description = "Cadre Archive Demo Data"

    @api.model
    def _populate(self, department_ids, cadre_user_id, filer_ids=()):
        """Create the demo cadres with their dossiers and materials; each
        dossier's materials are filed by the first of ``filer_ids`` (archive
        officers, then the manager) who keeps its unit, as in a real
        archive, not by the system."""
        filers = self.env["res.users"].browse(filer_ids)
        departments = self.env["hr.department"].browse(department_ids)
        categories = {
            category.code: category
            for category in self.env["cadre.archive.category"].search([])
        }
        for index, name in enumerate(DEMO_NAMES):
            employee = self._demo_employee(
                name, departments[index % len(departments)], index
            )
            if index == 0:
                employee.user_id = cadre_user_id
            dossier = self.env["cadre.archive.dossier"].create(
                {
                    "employee_id": employee.id,
                    "location_room": "1",
                    "location_cabinet": f"{index // 8 + 1:02d}",
                    "location_cell": f"{index % 8 + 1:02d}",
                }
            )
            self._demo_facts(dossier, 1960 + index, index)
            officer = next(
                (user for user in filers if dossier.with_user(user).has_access("read")),
                None,
            )
            self._demo_materials(
                dossier, categories, 1960 + index, with_scans=index < 3, officer=officer
            )
        return True

    @api.model
    def _retire_foreign_demo_staff(self):
        """Archive the English demo staff and units of Odoo's HR demo data
        that belong to no user, so that the HR app shows the county's people
        only; the demo users' own employees (the administrator's) stay."""
        data = self.env["ir.model.data"].search(
            [("module", "=", "hr"), ("model", "in", ["hr.employee", "hr.department"])]
        )
        employees = (
            self.env["hr.employee"]
            .browse(data.filtered(lambda d: d.model == "hr.employee").mapped("res_id"))
            .exists()
        )
        employees.filtered(lambda employee: not employee.user_id).action_archive()
        departments = (
            self.env["hr.department"]
            .browse(
                data.filtered(lambda d: d.model == "hr.department").mapped("res_id")
            )
            .exists()
        )
        idle = departments.filtered(
            lambda department: (
                not self.env["hr.employee"].search_count(
                    [("department_id", "child_of", department.id)]
                )
            )
        )
        idle.action_archive()
        return True

    @api.model
    def _demo_employee(self, name, department, index=0):
        return self.env["hr.employee"].create(
            {
                "name": name,
                "department_id": department.id,
                "job_title": DEMO_POSTS[index % len(DEMO_POSTS)],
                "work_phone": f"0000-{8000100 + index}",
                **self._demo_hr_facts(1960 + index, index),
            }
        )

    @api.model
    def _demo_hr_facts(self, birth_year, index=0):
        """What HR knows of a demo cadre: birthday, certificate level and
        first contract (the grid of cadres reads them where no fact of record
        is kept). Given at hiring, so that no HR change makes materials due."""
        return {
            "birthday": datetime.date(birth_year, index % 12 + 1, 10),
            "certificate": DEMO_CERTIFICATES[index % len(DEMO_CERTIFICATES)],
            "contract_date_start": datetime.date(birth_year + 22, 7, 1),
        }

    @api.model
    def _demo_facts(self, dossier, birth_year, index=0):
        """Facts of record on every other demo dossier, as the auditors
        would have established them: work start, party admission and cadre
        identity (the others are known from HR data only)."""
        if index % 2:
            return
        dossier.write(
            {
                "fact_work_start_text": f"{birth_year + 22}.07",
                "fact_party_text": f"{birth_year + 24}.07.01",
                "fact_identity": DEMO_IDENTITIES[index // 2 % len(DEMO_IDENTITIES)],
            }
        )

    @api.model
    def _populate_staff(self, staff, department_id):
        """Give the archive's demo users their employee in the organisation
        department with their post, the China time zone and, when it is
        loaded, the Chinese language. Users that already have an employee
        are left as they are (the demo may be loaded again)."""
        chinese = self.env["res.lang"]._get_code("zh_CN")
        for user_id, post in staff:
            user = self.env["res.users"].browse(user_id)
            user.write(
                {"tz": "Asia/Shanghai", **({"lang": "zh_CN"} if chinese else {})}
            )
            if not user.employee_ids:
                self.env["hr.employee"].create(
                    {
                        "name": user.name,
                        "user_id": user.id,
                        "department_id": department_id,
                        "job_title": post,
                        "work_email": user.email,
                    }
                )
        return True

    @api.model
    def _demo_materials(
        self, dossier, categories, birth_year, with_scans, officer=None
    ):
        today = datetime.date.today()
        for code, title, offset, month, day in DEMO_MATERIALS:
            year = min(birth_year + offset, today.year - 1)
            date_input = ".".join(
                f"{part:02d}" if i else str(part)
                for i, part in enumerate(p for p in (year, month, day) if p)
            )
            material = self.env["cadre.archive.material"].create(
                {
                    "dossier_id": dossier.id,
                    "category_id": categories[code].id,
                    "name": title.format(year=year),
                    "date_input": date_input,
                    "page_count": 1 if code != "1" else 2,
                }
            )
            if with_scans:
                self._demo_scan(material, dossier, title, date_input)
            if code not in ("9-4", "10"):
                self._demo_file(material.with_user(officer) if officer else material)

    @api.model
    def _demo_file(self, material):
        """File as an officer does: the category's checks first (鉴别)."""
        items = material._filing_check_items()
        if items:
            material._record_filing_checks(items)
        material.action_file()

    @api.model
    def _demo_scan(self, material, dossier, title, date_input):
        """One scan per page of the material, named as DA/T 31 practice
        does: dossier number, category, page."""
        for page in range(1, material.page_count + 1):
            raw = pages.render_text_page(
                [
                    title,
                    dossier.employee_id.name,
                    date_input,
                    dossier.name,
                    f"- {page} -",
                ],
                dpi=200,
            )
            self.env["ir.attachment"].create(
                {
                    "name": f"{dossier.name}_{material.category_id.code}_{page}.jpg",
                    "res_model": "cadre.archive.material",
                    "res_id": material.id,
                    "raw": raw,
                }
            )

    # ------------------------------------------------------------------
    # Consultation requests with their approval forms (审批表)
    # ------------------------------------------------------------------
    @api.model
    def _populate_requests(self, requester_id, officer_id, manager_id, partner_id):
        """Three requests as an archive sees them: one approved for a cadre
        assessment, a draft for another purpose, and one filed by an officer
        for a reader of the county's discipline commission."""
        users = self.env["res.users"].browse
        requester, officer, manager = (
            users(requester_id),
            users(officer_id),
            users(manager_id),
        )
        dossiers = self.env["cadre.archive.dossier"].search([], order="id", limit=4)[1:]
        assessment = self._demo_request(
            requester,
            dossiers,
            purpose_type="assessment",
            purpose="拟提拔使用，按干部管理权限进行任前考察。",
            readers=[("陈晓东", "干部科科长"), ("刘建华", "干部科副科长")],
        )
        assessment.with_user(requester).action_submit()
        assessment.with_user(manager).action_approve()
        self._demo_request(
            requester,
            dossiers[:1],
            purpose_type="other",
            purpose="核实本人参加工作时间，办理职称评审。",
            readers=[("陈晓东", "干部科科长"), ("刘建华", "干部科副科长")],
            request_type="reading_room",
            days=1,
        )
        outside = self._demo_outside_request(
            officer, self.env["res.partner"].browse(partner_id), dossiers[2:3]
        )
        outside.with_user(officer).action_submit()
        return True

    @api.model
    def _demo_request(self, user, dossiers, readers, days=2, **vals):
        """A request of ``user`` for ``dossiers`` over ``days`` days from today,
        its approval form filled in, read by the (name, post) ``readers``."""
        today = self.env.company._archive_today()
        return (
            self.env["cadre.archive.request"]
            .with_user(user)
            .create(
                {
                    "dossier_ids": [Command.set(dossiers.ids)],
                    "date_start": today,
                    "date_end": today + datetime.timedelta(days=days - 1),
                    "requesting_unit": "县委组织部干部科",
                    "contact_name": "陈晓东",
                    "contact_phone": "0000-1234567",
                    "requester_post": "干部科科长",
                    "requester_political_status": "cpc_member",
                    "leader_name": "周文华",
                    "leader_date": today,
                    "leader_opinion": "情况属实，同意查阅。",
                    "ask_excerpt": True,
                    "reader_ids": [
                        Command.create(
                            {
                                "name": name,
                                "post": post,
                                "political_status": "cpc_member",
                            }
                        )
                        for name, post in readers
                    ],
                    **vals,
                }
            )
        )

    @api.model
    def _demo_outside_request(self, officer, reader, dossiers):
        letter = pages.render_text_page(
            ["介绍信", "兹介绍我委" + reader.name + "等二位同志前往查阅干部人事档案。"],
            dpi=100,
        )
        return self._demo_request(
            officer,
            dossiers,
            purpose_type="discipline",
            purpose="审查调查需要，核实有关人员履历。",
            readers=[(reader.name, reader.function), ("孙丽萍", "监察员")],
            request_type="reading_room",
            days=1,
            requesting_unit=reader.parent_id.name,
            contact_name=reader.name,
            contact_phone="0000-7654321",
            requester_post="档案管理员",
            leader_name="纪委监委负责人",
            leader_opinion="同意。",
            is_outside=True,
            outside_reader_id=reader.id,
            introduction_letter=base64.b64encode(letter),
            introduction_letter_name="介绍信.jpg",
        )
