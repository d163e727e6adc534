"""OCR throughput benchmark: run inside `odoo shell` (see scripts/bench/run).

Makes BENCH_PAGES pages of Chinese text (default 12), then in the same run:
1. the baseline: the plain `tesseract` command on each page, one after the other
   and with 2 processes at once;
2. the addon: the same pages uploaded as scans, their queued OCR jobs performed
   by 1 and then 2 worker threads (each with its own cursor, as queue_job's
   runner does).
Prints pages per minute and the ratio to the baseline. Nothing is asserted.
"""

import os
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from odoo import SUPERUSER_ID, api

from odoo.addons.cadre_archive.lib import pages
from odoo.addons.queue_job.job import Job

PAGES = int(os.environ.get("BENCH_PAGES", "12"))
LINES = [
    "干部履历表",
    "姓名 张三 性别 男 民族 汉族",
    "出生日期 1985年03月12日",
    "参加工作时间 2007年07月",
    "入党时间 2005年06月 中共党员",
    "学历 大学本科 学位 工学学士",
    "工作单位及职务 县财政局副局长",
]


def make_pages():
    return [
        pages.render_text_page(LINES + [f"第{i + 1}页"], dpi=300) for i in range(PAGES)
    ]


def plain_tesseract(data_list, workers):
    env_vars = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for index, data in enumerate(data_list):
            path = os.path.join(tmp, f"p{index}.jpg")
            with open(path, "wb") as handle:
                handle.write(data)
            paths.append(path)

        def run(path):
            subprocess.run(
                ["tesseract", path, "stdout", "-l", "chi_sim+eng", "--psm", "6"],
                check=True,
                capture_output=True,
                env=env_vars,
            )

        start = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(run, paths))
        return time.perf_counter() - start


def addon_jobs(registry, data_list, workers):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        unit = env["hr.department"].create({"name": "OCR Bench Unit"})
        employee = env["hr.employee"].create(
            {"name": "OCR Bench", "department_id": unit.id}
        )
        dossier = env["cadre.archive.dossier"].create({"employee_id": employee.id})
        material = env["cadre.archive.material"].create(
            {
                "dossier_id": dossier.id,
                "category_id": env.ref("cadre_archive.category_1").id,
                "name": "干部履历表",
                "page_count": len(data_list),
            }
        )
        env["ir.attachment"].create(
            [
                {
                    "name": f"p{i}.jpg",
                    "res_model": "cadre.archive.material",
                    "res_id": material.id,
                    "raw": data,
                }
                for i, data in enumerate(data_list)
            ]
        )
        uuids = (
            env["queue.job"]
            .search(
                [
                    ("model_name", "=", "cadre.archive.page"),
                    ("method_name", "=", "_run_ocr"),
                    ("state", "=", "pending"),
                    ("records", "!=", False),
                ]
            )
            .filtered(lambda job: job.records.material_id == material)
            .mapped("uuid")
        )
    envs = []
    for _ in range(workers):
        cr = registry.cursor()
        envs.append(api.Environment(cr, SUPERUSER_ID, {}))

    def perform(args):
        index, uuid = args
        env = envs[index % workers]
        job = Job.load(env, uuid)
        job.perform()
        env.cr.commit()

    start = time.perf_counter()
    # each worker takes the jobs of its own slice, with its own cursor
    slices = [[(w, u) for u in uuids[w::workers]] for w in range(workers)]
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda jobs: [perform(j) for j in jobs], slices))
    elapsed = time.perf_counter() - start
    for env in envs:
        env.cr.close()
    return elapsed, len(uuids)


def main(env):
    registry = env.registry
    env.cr.commit()
    data_list = make_pages()
    print(
        f"{PAGES} A4 pages at 300 dpi of Chinese text, tesseract chi_sim+eng, "
        "OMP_THREAD_LIMIT=1"
    )
    results = {}
    for workers in (1, 2):
        base = plain_tesseract(data_list, workers)
        addon, jobs = addon_jobs(registry, data_list, workers)
        results[workers] = (base, addon)
        base_rate = PAGES / base * 60
        addon_rate = jobs / addon * 60
        print(
            f"{workers} worker(s): plain tesseract {base_rate:6.1f} pages/min, "
            f"addon jobs {addon_rate:6.1f} pages/min, "
            f"ratio {addon_rate / base_rate:.2f}"
        )
    scale = results[1][1] / results[2][1]
    print(f"addon jobs: 2 workers are {scale:.2f}x as fast as 1")


main(env)  # noqa: F821 - provided by odoo shell
