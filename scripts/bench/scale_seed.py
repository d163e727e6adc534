"""Scale benchmark, seeding: run inside `odoo shell` (see scripts/bench/run scale).

Makes, once per database and grown on demand, a city archive centre of
BENCH_DOSSIERS dossiers (default 1,000; the issue's figure is 10,000) across
100 units in three levels, 100 to 200 filed materials each in the real
category mix with OCR text written from the forms' own wording
(scripts/bench/scale_corpus.py), access-log rows, the upkeep of a sample of
one dossier in SAMPLE_EVERY (a draft material with scanned pages recognised
by the real Tesseract, a special audit run, expected materials of which one
overdue, and for one sampled dossier in ten a transfer out sent), and the
users measured: an officer keeping 5 of the 100 units and a
requester holding 20 approved requests (and a manager who approved them).

The units, users and requests are made through the ORM; the cadres and
dossiers are cloned from one ORM-made dossier by INSERT ... SELECT, and the
materials are written by COPY with the trigram indexes dropped and rebuilt,
so that 1.5 million materials seed in minutes. Dossier i's rows depend only on
the seed and i: a run with more dossiers adds the missing ones.
"""

import datetime
import io
import os
import sys
import time

sys.path.insert(0, os.environ["BENCH_DIR"])
import scale_corpus as corpus  # noqa: E402
from sqlclone import clone_rows as clone  # noqa: E402

DOSSIERS = int(os.environ.get("BENCH_DOSSIERS", "1000"))
SEED = "scale-1"
PREFIX = "SB"  # archive numbers SB000000 ...
USERS = {
    "officer": "scale_officer",
    "requester": "scale_requester",
    "manager": "scale_manager",
}
KEPT_UNITS = 5
REQUESTS = 20
LOG_ROWS = 5  # access-log rows per dossier
SAMPLE_EVERY = 200  # one dossier in SAMPLE_EVERY gets the upkeep sample
SCAN_PAGES = 2  # pages of the sampled dossier's scanned draft material
TRANSFER_EVERY = 10  # sampled dossiers 1, 11, 21, ... are transferred out


def units(env):
    """The 100 units (hr.department), made once; their records in tree order."""
    tree = corpus.unit_tree()
    departments = env["hr.department"]
    made = []
    for unit in tree:
        found = departments.search([("name", "=", unit.name)], limit=1)
        if not found:
            parent = made[unit.parent].id if unit.parent is not None else False
            found = departments.create({"name": unit.name, "parent_id": parent})
        made.append(found)
    return tree, made


def kept_units(tree, made):
    """Five leaf units in five different branches: 5 of the 100."""
    leaves = [u for u in tree if u.level == 3]
    step = len(leaves) // KEPT_UNITS
    return [made[leaves[i * step].index] for i in range(KEPT_UNITS)]


def user(env, role, groups, **vals):
    login = USERS[role]
    found = env["res.users"].search([("login", "=", login)])
    if found:
        return found
    return env["res.users"].create(
        {
            "name": f"Scale {role.title()}",
            "login": login,
            "password": login,
            "group_ids": [(6, 0, [env.ref(g).id for g in groups])],
            **vals,
        }
    )


def users(env, tree, made):
    officer = user(
        env,
        "officer",
        ["cadre_archive.group_officer"],
        archive_department_ids=[(6, 0, [u.id for u in kept_units(tree, made)])],
    )
    requester = user(env, "requester", ["cadre_archive.group_requester"])
    manager = user(env, "manager", ["cadre_archive.group_manager"])
    return officer, requester, manager


def existing_dossiers(env):
    env.cr.execute(
        "SELECT count(*) FROM cadre_archive_dossier WHERE name LIKE %s",
        (f"{PREFIX}%",),
    )
    return env.cr.fetchone()[0]


def template_dossier(env, unit):
    """Dossier 0, made through the ORM: the row every other is cloned from."""
    person = corpus.cadre(corpus.seeded(SEED, "cadre", 0), corpus.unit_tree())
    employee = env["hr.employee"].create({"name": person.name, "department_id": unit})
    dossier = (
        env["cadre.archive.dossier"]
        .with_context(tracking_disable=True)
        .create({"employee_id": employee.id})
    )
    env.flush_all()
    env.cr.execute(
        "UPDATE cadre_archive_dossier SET name = %s WHERE id = %s",
        (f"{PREFIX}000000", dossier.id),
    )
    env.invalidate_all()
    return dossier


def add_dossiers(env, tree, made, first, last):
    """Cadres and dossiers first .. last - 1 (employees, their resources and
    versions, the dossiers), cloned from dossier 0 by SQL."""
    if first == 0:
        person = corpus.cadre(corpus.seeded(SEED, "cadre", 0), tree)
        template_dossier(env, made[person.unit].id)
        first = 1
    if first >= last:
        return
    dossier = env["cadre.archive.dossier"].search([("name", "=", f"{PREFIX}000000")])
    employee = dossier.employee_id
    people = [
        corpus.cadre(corpus.seeded(SEED, "cadre", i), tree) for i in range(first, last)
    ]
    # the employee's name carries the archive number until the clones are
    # joined, then gets the cadre's name
    keys = [f"{PREFIX}{i:06d}" for i in range(first, last)]
    env.cr.execute(
        "CREATE TEMP TABLE bench_people ON COMMIT DROP AS "
        "SELECT * FROM unnest(%s::varchar[], %s::varchar[], %s::int[]) "
        "AS p(key, name, unit)",
        (keys, [p.name for p in people], [made[p.unit].id for p in people]),
    )
    rows = "bench_people p"
    clone(env, "resource_resource", employee.resource_id.id, {"name": "p.key"}, rows)
    clone(
        env,
        "hr_employee",
        employee.id,
        {"name": "p.key", "resource_id": "r.id", "current_version_id": "NULL"},
        rows,
        join="JOIN resource_resource r ON r.name = p.key",
    )
    clone(
        env,
        "hr_version",
        employee.current_version_id.id,
        {"employee_id": "e.id", "department_id": "p.unit"},
        rows,
        join="JOIN hr_employee e ON e.name = p.key",
    )
    env.cr.execute(
        "UPDATE hr_employee e SET current_version_id = v.id FROM hr_version v "
        "WHERE v.employee_id = e.id AND e.current_version_id IS NULL"
    )
    clone(
        env,
        "cadre_archive_dossier",
        dossier.id,
        {"employee_id": "e.id", "name": "p.key", "department_id": "p.unit"},
        rows,
        join="JOIN hr_employee e ON e.name = p.key",
    )
    for table in ("hr_employee", "resource_resource"):
        env.cr.execute(
            f"UPDATE {table} x SET name = p.name FROM bench_people p "  # noqa: S608
            "WHERE x.name = p.key"
        )
    env.cr.execute("DROP TABLE bench_people")
    env.invalidate_all()


TRIGRAM_SQL = (
    "SELECT indexname, indexdef FROM pg_indexes"
    " WHERE tablename = 'cadre_archive_material'"
    " AND indexdef LIKE '%%gin_trgm_ops%%'"
)


def add_materials(env, tree, made, first, last):
    """The materials of dossiers first .. last - 1, by COPY, the trigram
    indexes dropped while writing (rebuilt by ``rebuild_indexes``)."""
    categories = {
        c.code: c
        for c in env["cadre.archive.category"].search(
            [("code", "in", list(corpus.CATEGORY_MIX))]
        )
    }
    env.cr.execute(
        "SELECT name, id, department_id, company_id FROM cadre_archive_dossier "
        "WHERE name >= %s AND name < %s",
        (f"{PREFIX}{first:06d}", f"{PREFIX}{last:06d}"),
    )
    dossiers = {
        name: (id_, dep, company) for name, id_, dep, company in env.cr.fetchall()
    }
    unit_names = {m.id: u.name for u, m in zip(tree, made, strict=True)}
    columns = (
        "dossier_id, department_id, company_id, category_id, category_sequence, "
        "sequence_number, page_count, filed_uid, create_uid, write_uid, name, code, "
        "date_precision, original_kind, check_method, state, date, ocr_text, "
        "filed_date, create_date, write_date"
    )
    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    uid = env.uid
    start = time.perf_counter()
    batch = io.StringIO()
    written = 0

    def flush():
        nonlocal batch
        batch.seek(0)
        env.cr._obj.copy_expert(
            f"COPY cadre_archive_material ({columns}) FROM STDIN", batch
        )
        batch = io.StringIO()

    for i in range(first, last):
        dossier_id, unit, company = dossiers[f"{PREFIX}{i:06d}"]
        person = corpus.cadre(corpus.seeded(SEED, "cadre", i), tree)
        rng = corpus.seeded(SEED, "materials", i)
        for material in corpus.dossier_materials(rng, person, unit_names[unit]):
            category = categories[material.category]
            date = f"{material.year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            values = (
                dossier_id, unit, company, category.id, category.sequence,
                material.sequence, rng.randint(1, 6), uid, uid, uid, material.title,
                f"{material.category}-{material.sequence}", "day", "original",
                "paper", "filed", date, material.text, now, now, now,
            )  # fmt: skip
            batch.write("\t".join(str(v) for v in values) + "\n")
            written += 1
        if i % 500 == 499:
            flush()
            print(
                f"  materials of {i + 1 - first} dossiers: {written} rows, "
                f"{time.perf_counter() - start:.0f} s",
                flush=True,
            )
    flush()
    return written


def drop_indexes(env):
    env.cr.execute(TRIGRAM_SQL)
    found = env.cr.fetchall()
    for name, _definition in found:
        env.cr.execute(f'DROP INDEX "{name}"')
    return found


def rebuild_indexes(env, indexes):
    env.cr.execute("SET maintenance_work_mem = '1GB'")
    for _name, definition in indexes:
        start = time.perf_counter()
        env.cr.execute(definition)
        print(
            f"  {definition[:60]}...: {time.perf_counter() - start:.0f} s", flush=True
        )


def count_materials(env):
    """The dossiers' stored counts, as the ORM would compute them."""
    env.cr.execute(
        "UPDATE cadre_archive_dossier d SET material_count = s.n, page_count = s.p "
        "FROM (SELECT dossier_id, count(*) AS n, sum(page_count) AS p "
        "      FROM cadre_archive_material GROUP BY dossier_id) s "
        "WHERE s.dossier_id = d.id AND d.name LIKE %s",
        (f"{PREFIX}%",),
    )


def access_log(env, officer, first, last):
    """LOG_ROWS rows of archive work per new dossier, by the officer."""
    env.cr.execute(
        "INSERT INTO cadre_archive_access_log (user_id, dossier_id, material_id, "
        " action, department_id, company_id, create_uid, write_uid, create_date, "
        " write_date) "
        "SELECT %(uid)s, d.id, m.id, 'work', d.department_id, d.company_id, "
        "       %(uid)s, %(uid)s, now() - (n || ' days')::interval, now() "
        "FROM cadre_archive_dossier d, generate_series(1, %(rows)s) AS n, "
        "     LATERAL (SELECT id FROM cadre_archive_material WHERE dossier_id = d.id "
        "              ORDER BY id OFFSET n LIMIT 1) m "
        "WHERE d.name >= %(first)s AND d.name < %(last)s",
        {
            "uid": officer.id,
            "rows": LOG_ROWS,
            "first": f"{PREFIX}{first:06d}",
            "last": f"{PREFIX}{last:06d}",
        },
    )


def requests(env, requester, manager):
    """REQUESTS approved requests of the requester, one dossier each, spread
    over the units; made again when those of an earlier run have closed (an
    online consultation lasts at most three days)."""
    model = env["cadre.archive.request"]
    open_now = [
        ("requester_id", "=", requester.id),
        ("state", "=", "approved"),
        ("access_end", ">", datetime.datetime.now()),
    ]
    if model.search_count(open_now) >= REQUESTS:
        return
    dossiers = env["cadre.archive.dossier"].search(
        [("name", "like", f"{PREFIX}%")], order="name"
    )
    step = max(1, len(dossiers) // REQUESTS)
    today = datetime.date.today()
    for dossier in dossiers[::step][:REQUESTS]:
        request = model.with_user(requester).create(
            {
                "dossier_ids": [(6, 0, dossier.ids)],
                "purpose": "干部考察",
                "purpose_type": "assessment",
                "reader_ids": [
                    (
                        0,
                        0,
                        {
                            "name": n,
                            "post": "干部科科员",
                            "political_status": "cpc_member",
                        },
                    )
                    for n in ("查阅人甲", "查阅人乙")
                ],
                "request_type": "online",
                "date_start": today,
                "date_end": today + datetime.timedelta(days=2),
            }
        )
        request.action_submit()
        request.with_user(manager).action_approve()


def sampled_dossiers(env):
    """The dossiers of the upkeep sample not done yet: every SAMPLE_EVERY-th
    archive number (SB000200, SB000400, ...; not the template dossier every
    other is cloned from), in order, without an audit."""
    env.cr.execute(
        "SELECT d.id FROM cadre_archive_dossier d "
        "WHERE d.name LIKE %(prefix)s "
        "  AND substring(d.name FROM 3)::int %% %(every)s = 0 "
        "  AND d.name != %(template)s "
        "  AND NOT EXISTS (SELECT 1 FROM cadre_archive_audit a "
        "                  WHERE a.dossier_id = d.id) "
        "ORDER BY d.name",
        {"prefix": f"{PREFIX}%", "every": SAMPLE_EVERY, "template": f"{PREFIX}000000"},
    )
    return env["cadre.archive.dossier"].browse([i for (i,) in env.cr.fetchall()])


def scanned_draft(env, dossier):
    """A draft material of the dossier with SCAN_PAGES scanned pages: the
    upload pipeline runs (checksums, page checks) and the OCR jobs run at once
    (queue_job__no_delay), so the benchmark's server has none left to run."""
    from odoo.addons.cadre_archive.lib import pages

    category = env.ref("cadre_archive.category_4_1")
    material = env["cadre.archive.material"].create(
        {
            "dossier_id": dossier.id,
            "category_id": category.id,
            "name": "学历学位材料（扫描待归档）",
            "date": datetime.date.today() - datetime.timedelta(days=30),
            "page_count": SCAN_PAGES,
        }
    )
    scans = env["ir.attachment"].with_context(queue_job__no_delay=True)
    for page in range(1, SCAN_PAGES + 1):
        scans.create(
            {
                "name": f"{dossier.name}_4-1_{page}.jpg",
                "res_model": "cadre.archive.material",
                "res_id": material.id,
                "raw": pages.render_text_page(
                    ["学历学位材料", dossier.name, f"- {page} -"], dpi=200
                ),
            }
        )
    return material


def file_material(material):
    """File as an officer does: the category's checks first (鉴别)."""
    items = material._filing_check_items()
    if items:
        material._record_filing_checks(items)
    material.action_file()


def expected_materials(env, dossier, index):
    """Two expected materials: one due in a month, one overdue since a week."""
    today = datetime.date.today()
    env["cadre.archive.due"].create(
        [
            {
                "dossier_id": dossier.id,
                "category_id": env.ref("cadre_archive.category_3").id,
                "name": f"{today.year - 1}年度考核登记表",
                "deadline": today - datetime.timedelta(days=7),
            },
            {
                "dossier_id": dossier.id,
                "category_id": env.ref("cadre_archive.category_4_1").id,
                "name": f"培训结业证书（{index}）",
                "deadline": today + datetime.timedelta(days=30),
            },
        ]
    )


def transfer_out(env, dossier):
    """A transfer of the dossier out to another organisation department, sent."""
    receiver = env["res.partner"].search(
        [("name", "=", "市委组织部（规模测试）")], limit=1
    )
    if not receiver:
        receiver = env["res.partner"].create(
            {"name": "市委组织部（规模测试）", "is_company": True}
        )
    transfer = env["cadre.archive.transfer"].create(
        {
            "partner_id": receiver.id,
            "dossier_ids": [(6, 0, dossier.ids)],
            "transport": "confidential",
            "reason": "调动",
        }
    )
    transfer.action_send()
    return transfer


def upkeep_sample(env, manager):
    """The upkeep of the sampled dossiers, as the manager (who keeps every
    unit): made once per dossier, committed dossier by dossier."""
    dossiers = sampled_dossiers(env)
    if not dossiers:
        return
    print(f"upkeep sample: {len(dossiers)} dossiers", flush=True)
    audits = env["cadre.archive.audit"].with_user(manager)
    made = {"scans": 0, "audits": 0, "dues": 0, "transfers": 0}
    for dossier in dossiers.with_user(manager):
        index = int(dossier.name[len(PREFIX) :]) // SAMPLE_EVERY
        material = scanned_draft(env, dossier.sudo())
        made["scans"] += len(material.attachment_ids)
        audit = audits._start_for(dossier)
        audit.action_run()
        made["audits"] += len(audit)
        expected_materials(env, dossier.sudo(), index)
        made["dues"] += 2
        if index % TRANSFER_EVERY == 1:
            # a dossier leaves complete: its scanned material filed first
            file_material(material.with_user(manager))
            transfer_out(env(user=manager), dossier)
            made["transfers"] += 1
        env.cr.commit()
    print(f"  upkeep sample made: {made}", flush=True)


def main(env):
    env = env(context=dict(env.context, tracking_disable=True))
    start = time.perf_counter()
    tree, made = units(env)
    officer, requester, manager = users(env, tree, made)
    env.cr.commit()
    have = existing_dossiers(env)
    if have < DOSSIERS:
        print(f"adding dossiers {have} .. {DOSSIERS - 1}", flush=True)
        add_dossiers(env, tree, made, have, DOSSIERS)
        indexes = drop_indexes(env) if DOSSIERS - have > 300 else []
        rows = add_materials(env, tree, made, have, DOSSIERS)
        print(f"  {rows} materials written", flush=True)
        rebuild_indexes(env, indexes)
        count_materials(env)
        access_log(env, officer, have, DOSSIERS)
        env.cr.execute("ANALYZE")
        env.cr.commit()
    requests(env, requester, manager)
    env.cr.commit()
    upkeep_sample(env, manager)
    env.cr.execute(
        "SELECT count(*), (SELECT count(*) FROM cadre_archive_material) "
        "FROM cadre_archive_dossier"
    )
    dossiers, materials = env.cr.fetchone()
    print(
        f"seeded: {dossiers} dossiers, {materials} materials, 100 units "
        f"({time.perf_counter() - start:.0f} s)",
        flush=True,
    )


main(env)  # noqa: F821 - provided by odoo shell
