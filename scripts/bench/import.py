"""Bulk import benchmark: run inside `odoo shell` (see scripts/bench/run).

Builds a zip of BENCH_PAGES page images (default 200, A4 at 200 dpi, named by the
convention), then times the import wizard's dry run and import as an archive
officer. OCR is excluded: the import only queues its jobs. As a baseline in the
same run, it times writing the same pages as plain attachments of one record
(Odoo's own upload path, no checks). Prints pages per second. Nothing asserted.
"""

import base64
import io
import os
import time
import zipfile

from odoo.addons.cadre_archive.lib import pages

PAGES = int(os.environ.get("BENCH_PAGES", "200"))
PER_MATERIAL = 4


def build_zip(archive_number):
    images = [
        pages.render_text_page(
            [f"干部任免审批表 第{i % PER_MATERIAL + 1}页", str(i)], dpi=200
        )
        for i in range(PAGES)
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index, data in enumerate(images):
            material, page = divmod(index, PER_MATERIAL)
            archive.writestr(
                f"{archive_number}_9-2_{material + 1}_{page + 1}.jpg", data
            )
    return buffer.getvalue(), images


def main(env):
    unit = env["hr.department"].create({"name": "Import Bench Unit"})
    officer = env["res.users"].create(
        {
            "name": "Import Bench Officer",
            "login": f"import_bench_{int(time.time())}",
            "group_ids": [(6, 0, env.ref("cadre_archive.group_officer").ids)],
            "archive_department_ids": [(6, 0, unit.ids)],
        }
    )
    employee = env["hr.employee"].create(
        {"name": "Import Bench", "department_id": unit.id}
    )
    dossier = env["cadre.archive.dossier"].create({"employee_id": employee.id})
    data, images = build_zip(dossier.name)
    env.cr.commit()

    start = time.perf_counter()
    for index, raw in enumerate(images):
        env["ir.attachment"].create(
            {
                "name": f"b{index}.jpg",
                "res_model": "res.partner",
                "res_id": officer.partner_id.id,
                "raw": raw,
            }
        )
    env.flush_all()
    baseline = time.perf_counter() - start
    env.cr.rollback()

    wizard = (
        env["cadre.archive.import"]
        .with_user(officer)
        .create({"zip_file": base64.b64encode(data), "zip_name": "bench.zip"})
    )
    start = time.perf_counter()
    wizard.action_dry_run()
    dry_run = time.perf_counter() - start
    start = time.perf_counter()
    wizard.action_import()
    env.flush_all()
    imported = time.perf_counter() - start
    done = sum(
        len(line.paths.splitlines())
        for line in wizard.line_ids
        if line.action == "done"
    )
    env.cr.rollback()
    print(f"{PAGES} pages (A4, 200 dpi JPEG), {PAGES // PER_MATERIAL} materials")
    print(f"baseline, plain attachments:  {PAGES / baseline:6.1f} pages/s")
    print(f"dry run (checks, checksums):  {PAGES / dry_run:6.1f} pages/s")
    print(
        f"import (quality checks, OCR queued): {done / imported:6.1f} pages/s "
        f"({done} pages), ratio to baseline {baseline / imported * done / PAGES:.2f}"
    )


main(env)  # noqa: F821 - provided by odoo shell
