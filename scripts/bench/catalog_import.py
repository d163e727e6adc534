"""Catalog import benchmark: run inside `odoo shell` (see scripts/bench/run).

Writes an XLSX catalog of BENCH_ROWS material rows (default 300,000, ~100 per
dossier, as a county archive of 3,000 dossiers has), then, as an archive
officer of the dossiers' unit, times the addon's path: the dry run (reading
the file, checking every row against the database) and the import, whose
background jobs run inline (``queue_job__no_delay``: the same methods, chunk
by chunk, each dossier in its savepoint). As a baseline in the same run, it
times a plain ``INSERT ... SELECT`` of as many rows into cadre_archive_material
from ``generate_series``. Prints rows per second, the ratio and the peak
memory of the process. Everything is rolled back at the end. Nothing asserted.
"""

import base64
import io
import os
import resource
import time

import xlsxwriter

from odoo.addons.cadre_archive.lib import catalog_import as ci

ROWS = int(os.environ.get("BENCH_ROWS", "300000"))
PER_DOSSIER = 100
LEAVES = ("1", "2", "3", "4-1", "4-2", "5", "6", "7", "8", "9-1", "9-2", "10")
TITLES = ("干部履历表", "年度考核登记表", "学位证书", "任免审批表", "入党志愿书")


def peak_rss_mb():
    # ru_maxrss is in kilobytes on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup(env, dossier_total):
    stamp = int(time.time())
    unit = env["hr.department"].create({"name": f"Catalog Bench Unit {stamp}"})
    officer = env["res.users"].create(
        {
            "name": "Catalog Bench Officer",
            "login": f"catalog_bench_{stamp}",
            "group_ids": [(6, 0, env.ref("cadre_archive.group_officer").ids)],
            "archive_department_ids": [(6, 0, unit.ids)],
        }
    )
    employees = env["hr.employee"].create(
        [
            {"name": f"干部{index:05d}", "department_id": unit.id}
            for index in range(dossier_total)
        ]
    )
    dossiers = (
        env["cadre.archive.dossier"]
        .with_context(tracking_disable=True)
        .create([{"employee_id": employee.id} for employee in employees])
    )
    env.flush_all()
    return officer, dossiers


def catalog_rows(dossiers):
    """ROWS material rows, PER_DOSSIER per dossier, numbered per category."""
    count = 0
    for dossier in dossiers:
        numbers = {}
        for index in range(PER_DOSSIER):
            if count >= ROWS:
                return
            category = LEAVES[index % len(LEAVES)]
            numbers[category] = numbers.get(category, 0) + 1
            yield [
                dossier.name,
                dossier.employee_id.name,
                "",
                "",
                category,
                str(numbers[category]),
                f"{TITLES[index % len(TITLES)]}（{index + 1}）",
                f"{1980 + index % 40}.{index % 12 + 1:02d}",
                str(1 + index % 5),
                "",
                "原件",
            ]
            count += 1


def build_xlsx(dossiers):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet(ci.SHEET_MATERIALS)
    columns = ci.MATERIAL_COLUMNS[:11]
    sheet.write_row(0, 0, [column.header for column in columns])
    for number, values in enumerate(catalog_rows(dossiers), start=1):
        for col, value in enumerate(values):
            sheet.write_string(number, col, value)
    book.close()
    return buffer.getvalue()


def baseline_insert(env, dossiers):
    """Seconds to INSERT ... SELECT ROWS plain material rows (rolled back)."""
    categories = env["cadre.archive.category"].search([("code", "in", LEAVES)])
    category_ids = [categories.filtered(lambda c, k=k: c.code == k).id for k in LEAVES]
    cr = env.cr
    cr.execute("SAVEPOINT bench_baseline")
    start = time.perf_counter()
    cr.execute(
        """
        INSERT INTO cadre_archive_material (
            name, dossier_id, category_id, sequence_number, date, date_precision,
            page_count, state, original_kind, check_method, company_id,
            department_id, filed_date, filed_uid, create_uid, write_uid,
            create_date, write_date)
        SELECT 'baseline ' || i, d.ids[i / %(per)s + 1],
               c.ids[i %% %(cats)s + 1], 1000000 + i, DATE '1985-03-01', 'month',
               1 + i %% 5, 'filed', 'original', 'paper', %(company)s, %(unit)s,
               now(), %(uid)s, %(uid)s, %(uid)s, now(), now()
        FROM generate_series(0, %(rows)s - 1) AS i,
             (SELECT %(dossiers)s::int[] AS ids) AS d,
             (SELECT %(categories)s::int[] AS ids) AS c
        """,
        {
            "per": PER_DOSSIER,
            "cats": len(category_ids),
            "company": dossiers[0].company_id.id,
            "unit": dossiers[0].department_id.id,
            "uid": env.uid,
            "rows": ROWS,
            "dossiers": dossiers.ids,
            "categories": category_ids,
        },
    )
    inserted = cr.rowcount
    elapsed = time.perf_counter() - start
    cr.execute("ROLLBACK TO SAVEPOINT bench_baseline")
    return inserted, elapsed


def main(env):
    dossier_total = -(-ROWS // PER_DOSSIER)
    print(f"setting up {dossier_total} dossiers ...", flush=True)
    officer, dossiers = setup(env, dossier_total)
    data = build_xlsx(dossiers)
    print(f"catalog: {ROWS} rows, {len(data) / 1e6:.1f} MB of XLSX", flush=True)
    rss_before = peak_rss_mb()

    inserted, baseline = baseline_insert(env, dossiers)

    record = (
        env["cadre.archive.catalog.import"]
        .with_user(officer)
        .create({"file": base64.b64encode(data), "file_name": "bench.xlsx"})
    )
    start = time.perf_counter()
    catalog = record._read_catalog(data)
    parse = time.perf_counter() - start
    del catalog
    start = time.perf_counter()
    record.action_dry_run()
    dry_run = time.perf_counter() - start
    errors = record.error_count
    start = time.perf_counter()
    record.with_context(queue_job__no_delay=True).action_import()
    env.flush_all()
    imported_time = time.perf_counter() - start
    imported = record.imported_material_count
    state = record.state
    rss_after = peak_rss_mb()
    env.cr.rollback()

    print(f"rows: {ROWS}, dossiers: {dossier_total}, errors in dry run: {errors}")
    rate = inserted / baseline
    print(f"baseline INSERT ... SELECT: {rate:10.0f} rows/s ({baseline:.2f} s)")
    print(f"reading the file (lib):     {ROWS / parse:10.0f} rows/s ({parse:.1f} s)")
    print(
        f"dry run (read + checks):    {ROWS / dry_run:10.0f} rows/s ({dry_run:.1f} s)"
    )
    print(
        f"import (jobs inline):       {imported / imported_time:10.0f} rows/s "
        f"({imported_time:.1f} s, {imported} materials, state {state})"
    )
    total = dry_run + imported_time
    print(
        f"dry run + import:           {imported / total:10.0f} rows/s; the baseline "
        f"is {total / baseline * imported / inserted:.0f}x faster"
    )
    print(
        f"peak RSS of the process: {rss_after:.0f} MB "
        f"(+{rss_after - rss_before:.0f} MB during dry run and import)"
    )


main(env)  # noqa: F821 - provided by odoo shell
