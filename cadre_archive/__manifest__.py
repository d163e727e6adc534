# Copyright 2026 cadre_archive developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Cadre Personnel Archive",
    "summary": "Cadre personnel dossiers (干部人事档案) by the ten official categories",
    "version": "19.0.1.0.0",
    "category": "Human Resources",
    "license": "LGPL-3",
    "author": "cadre_archive developers",
    "website": "https://github.com/cadre-archive/cadre_archive",
    "depends": ["hr", "mail", "queue_job", "report_xlsx"],
    "external_dependencies": {"python": ["pytesseract"]},
    "data": [
        "security/cadre_archive_security.xml",
        "security/ir.model.access.csv",
        "data/cadre_archive_category_data.xml",
        "data/ir_sequence_data.xml",
        "views/cadre_archive_dossier_views.xml",
        "views/cadre_archive_material_views.xml",
        "views/cadre_archive_category_views.xml",
        "views/hr_employee_views.xml",
        "views/res_users_views.xml",
        "report/cadre_archive_catalog_report.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/cadre_archive_demo.xml"],
    "installable": True,
    "application": True,
}
