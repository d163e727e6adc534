# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime

from odoo import api, models

from ..lib import pages

DEMO_NAMES = (
    "张明 刘洋 陈静 杨帆 黄磊 周敏 吴强 徐丽 孙伟 马超 朱红 胡军 郭芳 何平 "
    "高峰 林娜 罗斌 梁雪 宋涛 谢婷"
).split()

# (category code, title, year offset from birth, month or None, day or None)
DEMO_MATERIALS = (
    ("1", "干部履历表", 22, 7, 1),
    ("1", "干部任免审批表（履历部分）", 35, 3, None),
    ("2", "自传", 21, 5, None),
    ("3", "年度考核登记表", 30, 12, 20),
    ("3", "年度考核登记表", 31, 12, 18),
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
    """Builds the demo archive: cadres, dossiers, materials and a few scans."""

    _name = "cadre.archive.demo"
    _description = "Cadre Archive Demo Data"

    @api.model
    def _populate(self, department_ids, cadre_user_id):
        departments = self.env["hr.department"].browse(department_ids)
        categories = {
            category.code: category
            for category in self.env["cadre.archive.category"].search([])
        }
        for index, name in enumerate(DEMO_NAMES):
            employee = self._demo_employee(name, departments[index % len(departments)])
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
            self._demo_materials(
                dossier, categories, 1960 + index, with_scans=index < 3
            )
        return True

    @api.model
    def _demo_employee(self, name, department):
        return self.env["hr.employee"].create(
            {"name": name, "department_id": department.id}
        )

    @api.model
    def _demo_materials(self, dossier, categories, birth_year, with_scans):
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
                    "name": title,
                    "date_input": date_input,
                    "page_count": 1 if code != "1" else 2,
                }
            )
            if with_scans:
                self._demo_scan(material, dossier, title, date_input)
            if code not in ("9-4", "10"):
                material.action_file()

    @api.model
    def _demo_scan(self, material, dossier, title, date_input):
        raw = pages.render_text_page(
            [title, dossier.employee_id.name, date_input, dossier.name], dpi=200
        )
        self.env["ir.attachment"].create(
            {
                "name": f"{dossier.name}_{material.category_id.code}_"
                f"{material.sequence_number}_1.jpg",
                "res_model": "cadre.archive.material",
                "res_id": material.id,
                "raw": raw,
            }
        )
