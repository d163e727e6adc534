"""Catalog register benchmark: run inside `odoo shell` (see scripts/bench/run).

Makes BENCH_DOSSIERS dossiers (default 500; the documented full figure is
10,000) of 100 filed materials each (the materials by one INSERT ... SELECT),
then, as an archive officer of their unit, exports the catalog register
through the addon's XLSX report (``create_xlsx_report``: read as the user in
batches, written in constant-memory mode). As the baseline, in the same run,
it writes the same rows with plain xlsxwriter (constant memory too) from one
SQL query read through a server-side cursor. Prints the time of each and
their ratio, then the peak Python memory (tracemalloc, in separate runs so
that tracing does not slow the timed ones) of the addon's export at half and
at all the dossiers, and of the baseline: the peak of a bounded export does
not grow with the rows (the finished file, which Odoo returns as bytes, is
counted apart). Everything is rolled back. Nothing asserted.
"""

import io
import os
import time
import tracemalloc

import xlsxwriter

DOSSIERS = int(os.environ.get("BENCH_DOSSIERS", "500"))
PER_DOSSIER = 100
LEAVES = ("1", "2", "3", "4-1", "4-2", "5", "6", "7", "8", "9-1", "9-2", "10")
REPORT = "cadre_archive.catalog_register_xlsx"


def setup(env):
    stamp = int(time.time())
    unit = env["hr.department"].create({"name": f"Register Bench Unit {stamp}"})
    officer = env["res.users"].create(
        {
            "name": "Register Bench Officer",
            "login": f"register_bench_{stamp}",
            "group_ids": [(6, 0, env.ref("cadre_archive.group_officer").ids)],
            "archive_department_ids": [(6, 0, unit.ids)],
        }
    )
    employees = env["hr.employee"].create(
        [
            {"name": f"干部{index:05d}", "department_id": unit.id}
            for index in range(DOSSIERS)
        ]
    )
    dossiers = (
        env["cadre.archive.dossier"]
        .with_context(tracking_disable=True)
        .create([{"employee_id": employee.id} for employee in employees])
    )
    env.flush_all()
    insert_materials(env, dossiers)
    env.invalidate_all()
    return officer, dossiers


def insert_materials(env, dossiers):
    categories = env["cadre.archive.category"].search([("code", "in", LEAVES)])
    by_code = {c.code: c for c in categories}
    env.cr.execute(
        """
        INSERT INTO cadre_archive_material (
            name, dossier_id, category_id, category_sequence, sequence_number,
            code, date, date_precision, page_count, state, original_kind,
            check_method, company_id, department_id, filed_date, filed_uid,
            create_uid, write_uid, create_date, write_date)
        SELECT '干部履历表（' || i || '）', d.id, c.ids[i %% %(cats)s + 1],
               c.seqs[i %% %(cats)s + 1], i / %(cats)s + 1,
               c.codes[i %% %(cats)s + 1] || '-' || (i / %(cats)s + 1),
               DATE '1985-03-01' + i, 'day', 1 + i %% 5, 'filed', 'original',
               'paper', d.company_id, d.department_id, now(), %(uid)s,
               %(uid)s, %(uid)s, now(), now()
        FROM cadre_archive_dossier d,
             generate_series(0, %(per)s - 1) AS i,
             (SELECT %(ids)s::int[] AS ids, %(seqs)s::int[] AS seqs,
                     %(codes)s::varchar[] AS codes) AS c
        WHERE d.id = ANY(%(dossiers)s)
        """,
        {
            "cats": len(LEAVES),
            "per": PER_DOSSIER,
            "uid": env.uid,
            "ids": [by_code[k].id for k in LEAVES],
            "seqs": [by_code[k].sequence for k in LEAVES],
            "codes": list(LEAVES),
            "dossiers": dossiers.ids,
        },
    )
    return env.cr.rowcount


def addon_export(env, officer, dossiers):
    report = (
        env[f"report.{REPORT}"]
        .with_user(officer)
        .with_context(active_model="cadre.archive.dossier")
    )
    content, __ = report.create_xlsx_report(dossiers.ids, None)
    env.invalidate_all()
    return len(content)


BASELINE_SQL = """
    SELECT d.name, e.name, dep.name, m.code, cat.code || ' ' ||
           (cat.name->>'en_US'), m.name, m.date, m.page_count, m.state,
           COALESCE(p.scanned, 0), COALESCE(p.ocr, 0)
    FROM cadre_archive_material m
    JOIN cadre_archive_dossier d ON d.id = m.dossier_id
    JOIN hr_employee e ON e.id = d.employee_id
    LEFT JOIN hr_department dep ON dep.id = d.department_id
    JOIN cadre_archive_category cat ON cat.id = m.category_id
    LEFT JOIN (SELECT material_id, count(*) AS scanned,
                      count(*) FILTER (WHERE ocr_state = 'done') AS ocr
               FROM cadre_archive_page GROUP BY material_id) p
           ON p.material_id = m.id
    WHERE d.id = ANY(%s)
    ORDER BY d.name, d.id, m.category_sequence, m.sequence_number, m.id
"""


def baseline_export(env, dossiers):
    """The same rows from SQL, written with plain xlsxwriter."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet("Catalog")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(
        0,
        0,
        [
            "档案号",
            "姓名",
            "单位",
            "编号",
            "类别",
            "材料名称",
            "形成时间",
            "页数",
            "状态",
            "扫描页数",
            "识别页数",
        ],
    )
    # a server-side cursor of the same transaction (the rows are uncommitted)
    cursor = env.cr._cnx.cursor("bench_baseline")
    cursor.itersize = 1000
    cursor.execute(BASELINE_SQL, (dossiers.ids,))
    row = 0
    for row, values in enumerate(cursor, start=1):
        for col, value in enumerate(values):
            if col == 6:
                sheet.write_datetime(row, col, value, date_format)
            elif col in (7, 9, 10):
                sheet.write_number(row, col, value)
            else:
                sheet.write_string(row, col, str(value or ""))
    cursor.close()
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, row, 10)
    book.close()
    return len(buffer.getvalue())


def traced(function, *args):
    tracemalloc.start()
    try:
        size = function(*args)
        __, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return size, peak / 1e6


def main(env):
    print(f"setting up {DOSSIERS} dossiers x {PER_DOSSIER} materials ...", flush=True)
    start = time.perf_counter()
    officer, dossiers = setup(env)
    rows = DOSSIERS * PER_DOSSIER
    print(f"set up in {time.perf_counter() - start:.0f} s", flush=True)
    start = time.perf_counter()
    base_size = baseline_export(env, dossiers)
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    addon_size = addon_export(env, officer, dossiers)
    addon = time.perf_counter() - start

    half = dossiers[: len(dossiers) // 2]
    __, base_peak = traced(baseline_export, env, dossiers)
    half_size, half_peak = traced(addon_export, env, officer, half)
    __, full_peak = traced(addon_export, env, officer, dossiers)
    env.cr.rollback()

    print(f"rows: {rows} ({DOSSIERS} dossiers x {PER_DOSSIER} materials)")
    print(
        f"plain xlsxwriter from SQL: {baseline:7.1f} s ({rows / baseline:8.0f} rows/s, "
        f"{base_size / 1e6:.1f} MB of XLSX)"
    )
    print(
        f"addon's catalog register:  {addon:7.1f} s ({rows / addon:8.0f} rows/s, "
        f"{addon_size / 1e6:.1f} MB of XLSX)"
    )
    print(f"time ratio addon / plain:  {addon / baseline:.2f}x")
    print("peak Python memory (tracemalloc), the finished file included:")
    print(f"  plain xlsxwriter, {rows} rows:  {base_peak:7.1f} MB")
    print(
        f"  addon, {len(half) * PER_DOSSIER} rows:        {half_peak:7.1f} MB "
        f"(file {half_size / 1e6:.1f} MB, "
        f"without it {half_peak - half_size / 1e6:.1f} MB)"
    )
    print(
        f"  addon, {rows} rows:        {full_peak:7.1f} MB "
        f"(file {addon_size / 1e6:.1f} MB, "
        f"without it {full_peak - addon_size / 1e6:.1f} MB)"
    )


main(env)  # noqa: F821 - provided by odoo shell
