"""Special audit benchmark: run inside `odoo shell` (see scripts/bench/run).

Generates BENCH_DOSSIERS dossiers (default 50; the full figure of the issue
is 1,000: `scripts/bench/run audit --dossiers 1000`) of 150 filed materials
(4 of them appointment materials) and 20 fact lines each (4 recorded dates, 4
education lines, 12 posts), in a unit of their own, then, as an archive
officer of that unit (record rules on), in the same run:

- the time to audit each dossier (a new audit, run: facts built from the
  records, rules, findings written, score);
- the time to read the same records through the ORM (the dossier's facts,
  its materials with the fields the audit uses, their scans' integrity
  verdicts, the fact lines).

Reading is field access through the ORM (what the audit itself does to
build its facts), not ``read()``, which also formats every value for a
client. Each dossier starts from a cold ORM cache; a first, untimed reading
pass warms PostgreSQL's buffers so that neither side pays for the disk.
Prints per-dossier p50/p95 and totals
and the ratio audit / read. The audits are rolled back at the end; the
generated dossiers are kept for the next run. Nothing is asserted.
"""

import os
import random
import statistics
import time

DOSSIERS = int(os.environ.get("BENCH_DOSSIERS", "50"))
MATERIALS = 150
UNIT = "Audit Bench Unit"
rng = random.Random(20261130)


def unit_and_officer(env):
    unit = env["hr.department"].search([("name", "=", UNIT)], limit=1)
    if not unit:
        unit = env["hr.department"].create({"name": UNIT})
    user = env["res.users"].search([("login", "=", "bench_auditor")], limit=1)
    if not user:
        user = env["res.users"].create(
            {
                "name": "Bench Auditor",
                "login": "bench_auditor",
                "group_ids": [(6, 0, env.ref("cadre_archive.group_officer").ids)],
                "archive_department_ids": [(6, 0, unit.ids)],
            }
        )
    env.cr.commit()
    return unit, user


def insert_materials(env, dossiers):
    categories = env["cadre.archive.category"].search([("is_leaf", "=", True)])
    appointment = env.ref("cadre_archive.category_9_2")
    others = categories - appointment
    rows = []
    for dossier in dossiers:
        numbers = {}
        for index in range(MATERIALS):
            category = appointment if index < 4 else rng.choice(others)
            numbers[category.id] = numbers.get(category.id, 0) + 1
            year = rng.randint(1980, 2020)
            complete = index != 0  # one appointment material lacks its marks
            rows.append(
                (
                    dossier.id,
                    category.id,
                    category.sequence,
                    numbers[category.id],
                    f"{category.code}-{numbers[category.id]}",
                    f"材料 {index}",
                    f"{year}-{rng.randint(1, 12):02d}-01",
                    dossier.department_id.id,
                    dossier.company_id.id,
                    "县委" if category == appointment and complete else None,
                    f"{year}.03" if category == appointment and complete else None,
                    f"县委〔{year}〕{index}号"
                    if category == appointment and complete
                    else None,
                )
            )
    cr = env.cr
    for start in range(0, len(rows), 20_000):
        args = ",".join(
            cr.mogrify(
                "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,"
                "'filed','month',2,'original',now(),now(),1,1)",
                row,
            ).decode()
            for row in rows[start : start + 20_000]
        )
        cr.execute(
            "INSERT INTO cadre_archive_material (dossier_id, category_id,"
            " category_sequence, sequence_number, code, name, date,"
            " department_id, company_id, approving_body, approval_date_text,"
            " document_number, state, date_precision, page_count,"
            " original_kind, create_date, write_date, create_uid, write_uid)"
            " VALUES " + args
        )
    env.invalidate_all()


def fact_lines(env, dossier):
    birth = rng.randint(1960, 1975)
    materials = dossier.material_ids[:20]
    dates = [
        {
            "dossier_id": dossier.id,
            "fact": fact,
            "value_text": value,
            "material_id": materials[index].id,
            "self_filled": index % 2 == 0,
        }
        for index, (fact, value) in enumerate(
            [
                ("birth", f"{birth}.05.20"),
                ("birth", f"{birth}.05"),
                ("work_start", f"{birth + 22}.07"),
                ("party", f"{birth + 25}.06"),
            ]
        )
    ]
    education = [
        {
            "dossier_id": dossier.id,
            "level": "大学本科",
            "school": f"学校 {index}",
            "study_mode": "full_time" if index == 0 else "in_service",
            "start_text": f"{birth + 18 + index * 5}.09",
            "end_text": f"{birth + 22 + index * 5}.07",
            "material_ids": [(6, 0, materials[4:6].ids)],
        }
        for index in range(4)
    ]
    work = [
        {
            "dossier_id": dossier.id,
            "unit_name": f"单位 {index}",
            "post": "科员",
            "start_text": f"{birth + 22 + index * 2}.07",
            "end_text": f"{birth + 24 + index * 2}.07" if index < 11 else False,
            "material_ids": [(6, 0, materials[6 + index : 7 + index].ids)],
        }
        for index in range(12)
    ]
    return birth, dates, education, work


def setup(env, unit):
    Dossier = env["cadre.archive.dossier"]
    existing = Dossier.search([("department_id", "=", unit.id)])
    if len(existing) >= DOSSIERS:
        print(f"reusing {len(existing)} dossiers of {UNIT}")
        return existing[:DOSSIERS]
    missing = DOSSIERS - len(existing)
    print(f"generating {missing} dossiers of {MATERIALS} materials ...", flush=True)
    start = time.perf_counter()
    employees = env["hr.employee"].create(
        [
            {"name": f"审核干部 {len(existing) + i}", "department_id": unit.id}
            for i in range(missing)
        ]
    )
    new = Dossier.create([{"employee_id": e.id} for e in employees])
    insert_materials(env, new)
    for dossier in new:
        birth, dates, education, work = fact_lines(env, dossier)
        dossier.write(
            {
                "fact_birth_text": f"{birth}.05.20",
                "fact_work_start_text": f"{birth + 22}.07",
                "fact_party_text": f"{birth + 25}.06",
                "fact_party_status": "member",
            }
        )
        env["cadre.archive.fact.date"].create(dates)
        env["cadre.archive.fact.education"].create(education)
        env["cadre.archive.fact.work"].create(work)
    env.cr.commit()
    print(f"  done, {time.perf_counter() - start:.0f} s", flush=True)
    return Dossier.search([("department_id", "=", unit.id)])[:DOSSIERS]


MATERIAL_FIELDS = [
    "name",
    "code",
    "state",
    "date",
    "date_precision",
    "category_id",
    "approving_body",
    "approval_date_text",
    "document_number",
]


def read_dossier(dossier):
    """Load the records the audit reads, field by field."""
    for fname in ("fact_birth_text", "fact_work_start_text", "fact_party_text"):
        dossier.mapped(fname)
    materials = dossier.material_ids
    for fname in MATERIAL_FIELDS:
        materials.mapped(fname)
    materials.category_id.mapped("is_appointment")
    materials.sudo().attachment_ids.mapped("archive_integrity")
    for fname in ("fact", "value_text", "material_id", "self_filled"):
        dossier.fact_date_ids.mapped(fname)
    dossier.fact_date_ids.material_id.mapped("date_precision")
    for lines in (dossier.fact_education_ids, dossier.fact_work_ids):
        for fname in ("start_text", "end_text", "material_ids", "display_name"):
            lines.mapped(fname)


def timed(env, dossiers, action):
    latencies = []
    for dossier in dossiers:
        env.invalidate_all()
        start = time.perf_counter()
        action(dossier)
        env.flush_all()
        latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    return latencies


def summary(latencies):
    p50 = statistics.median(latencies)
    p95 = latencies[max(0, round(len(latencies) * 0.95) - 1)]
    return p50, p95, sum(latencies) / 1000


def main(env):
    unit, user = unit_and_officer(env)
    dossiers = setup(env, unit).with_user(user)
    Audit = env["cadre.archive.audit"].with_user(user)
    timed(env, dossiers, read_dossier)  # warm PostgreSQL's buffers for both
    reads = timed(env, dossiers, read_dossier)
    findings = []

    def audit(dossier):
        new = Audit._start_for(dossier)
        new.action_run()
        findings.append(len(new.finding_ids))

    audits = timed(env, dossiers, audit)
    env.cr.rollback()
    read_s, audit_s = summary(reads), summary(audits)
    print(
        f"dossiers: {len(dossiers)} x {MATERIALS} materials and 20 fact lines, "
        f"user: officer (rules on), findings per dossier: "
        f"{statistics.mean(findings):.1f}"
    )
    print(
        f"read:  p50 {read_s[0]:8.1f} ms   p95 {read_s[1]:8.1f} ms   "
        f"total {read_s[2]:8.1f} s"
    )
    print(
        f"audit: p50 {audit_s[0]:8.1f} ms   p95 {audit_s[1]:8.1f} ms   "
        f"total {audit_s[2]:8.1f} s"
    )
    print(f"audit / read (total): {audit_s[2] / read_s[2]:.1f}x")
    if len(dossiers) < 1000:
        print(
            f"1,000 dossiers at this pace: about "
            f"{audit_s[2] / len(dossiers) * 1000 / 60:.1f} min of auditing "
            "(one worker; the jobs of a unit spread over the audit channel)"
        )


main(env)  # noqa: F821 - provided by odoo shell
