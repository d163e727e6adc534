"""Scale benchmark, seeding: run inside `odoo shell` (see scripts/bench/run scale).

Makes, once per database and grown on demand, a city archive centre of
BENCH_DOSSIERS dossiers (default 1,000; the issue's figure is 10,000) across
100 units in three levels, 100 to 200 filed materials each in the real
category mix with OCR text written from the forms' own wording
(scripts/bench/scale_corpus.py), a sample of scanned pages, access-log rows,
and the users measured: an officer keeping 5 of the 100 units and a
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


def clone(env, table, template_id, overrides, rows, join=""):
    """Copy the row ``template_id`` of ``table`` once per row of ``rows`` (the
    SQL of a set with columns i, name, unit), every column as in the template
    but ``id`` and ``overrides`` (column: SQL expression)."""
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
        (table,),
    )
    columns = [name for (name,) in env.cr.fetchall()]
    values = ", ".join(overrides.get(name, f't."{name}"') for name in columns)
    names = ", ".join(f'"{name}"' for name in columns)
    env.cr.execute(
        f"INSERT INTO {table} ({names}) SELECT {values} "  # noqa: S608 - bench
        f"FROM {table} t, {rows} {join} WHERE t.id = %(template)s",
        {"template": template_id},
    )


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
