"""Scale benchmark, measuring: run by scripts/bench/scale (Odoo's Python, no
Odoo import) against the multi-worker Odoo it started on BENCH_URL.

Every figure is taken from outside, as the web client asks: JSON-RPC
``/web/dataset/call_kw`` with the specification the client builds from the
action's own views (``get_views``), the client's count limit and context.
The baseline of each is measured in the same run: the bare SQL of the same
query (psycopg2, same database) for the searches and the list, the same read
as the archive manager (rules granting everything of the company) for the
dossier form. p50 and p95 over the repetitions, and their ratio, are printed,
never asserted; the machine is shared, so the ratios say more than the
milliseconds.
"""

import os
import statistics
import time
import xml.etree.ElementTree as ET

import psutil
import psycopg2
import requests

URL = os.environ.get("BENCH_URL", "")
DB = os.environ.get("BENCH_DB", "")
ONLY = set(os.environ.get("BENCH_ONLY", "search,form,list,memory").split(","))
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
PAGE = 80
COMMON_TERMS = ("年度考核", "任免审批表", "同志", "干部人事档案")
SEARCH_ACTION = "cadre_archive.action_cadre_archive_search"
DOSSIER_ACTION = "cadre_archive.action_cadre_archive_dossier"
AIMS = {
    "search": 200.0,
    "form": 150.0,
    "list": 100.0,
}


class Client:
    """A web client's session: logs in, calls the ORM over JSON-RPC."""

    def __init__(self, login):
        self.http = requests.Session()
        result = self.rpc(
            "/web/session/authenticate",
            {"db": DB, "login": login, "password": login},
        )
        self.uid = result["uid"]
        self.context = {
            "lang": "en_US",
            "tz": "Asia/Shanghai",
            "uid": self.uid,
            "allowed_company_ids": [result["user_companies"]["current_company"]],
        }

    def rpc(self, path, params):
        response = self.http.post(
            URL + path,
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            timeout=600,
        )
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            raise RuntimeError(body["error"]["data"]["message"])
        return body["result"]

    def call(self, model, method, *args, context=None, **kwargs):
        kwargs["context"] = {**self.context, **(context or {})}
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def views(self, action_xmlid, kinds):
        """The arch and fields of the action's views, as the client loads them."""
        action = self.rpc("/web/action/load", {"action_id": action_xmlid})
        ids = dict((kind, view_id) for view_id, kind in action["views"])
        wanted = [[ids.get(kind, False), kind] for kind in kinds]
        if "search" in kinds:
            wanted[kinds.index("search")] = [action["search_view_id"][0], "search"]
        return action["res_model"], self.call(
            action["res_model"], "get_views", views=wanted, options={}
        )


def spec_of(node, fields, models, top=True):
    """The web client's read specification of the fields of a view's arch
    (the fields of inline x2many lists under their field, 40 rows)."""
    spec = {"display_name": {}} if top else {}
    for child in node:
        if child.tag == "field":
            name = child.get("name")
            info = fields[name]
            if info["type"] in ("one2many", "many2many"):
                sub = child.find("list")
                relation = info["relation"]
                spec[name] = (
                    {
                        "fields": spec_of(
                            sub, models[relation]["fields"], models, top=False
                        ),
                        "limit": 40,
                        "order": "",
                    }
                    if sub is not None
                    else {}
                )
                continue
            spec[name] = (
                {"fields": {"display_name": {}}} if info["type"] == "many2one" else {}
            )
        elif child.tag not in ("list", "kanban", "form", "chatter"):
            spec.update(spec_of(child, fields, models, top=False))
    return spec


def view_spec(loaded, model, kind):
    arch = ET.fromstring(loaded["views"][kind]["arch"])
    models = loaded["models"]
    return spec_of(arch, models[model]["fields"], models)


def view_count_limit(loaded, kind):
    """What the client asks the pager to count up to: the list's own
    count_limit, else its default of 10,000, plus one."""
    limit = ET.fromstring(loaded["views"][kind]["arch"]).get("count_limit")
    return int(limit or 10000) + 1


def view_order(loaded, kind):
    """The list's default order as the client sends it ("" if none)."""
    order = ET.fromstring(loaded["views"][kind]["arch"]).get("default_order") or ""
    terms = []
    for term in filter(None, (t.strip() for t in order.split(","))):
        name, *direction = term.split()
        terms.append(f"{name} {(direction or ['asc'])[0].upper()}")
    return ", ".join(terms)


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, result


def percentiles(samples):
    ordered = sorted(samples)
    p95 = ordered[max(0, round(len(ordered) * 0.95) - 1)]
    return statistics.median(ordered), p95


ROWS = []


def report(name, samples, baseline, base_name, aim=None, aim_ratio=None):
    p50, p95 = percentiles(samples)
    b50, b95 = percentiles(baseline)
    ratio = p95 / b95 if b95 else float("nan")
    verdict = []
    if aim is not None:
        verdict.append(f"p95 ≤ {aim:.0f} ms: {'met' if p95 <= aim else 'MISSED'}")
    if aim_ratio is not None:
        verdict.append(
            f"≤ {aim_ratio}× {base_name}: {'met' if ratio <= aim_ratio else 'MISSED'}"
        )
    ROWS.append((name, p50, p95, base_name, b50, b95, ratio, "; ".join(verdict)))
    print(
        f"{name:44s} p50 {p50:8.1f} p95 {p95:8.1f} ms | {base_name:22s} "
        f"p50 {b50:7.1f} p95 {b95:7.1f} ms | ratio p95 {ratio:5.2f} | "
        + "; ".join(verdict),
        flush=True,
    )


# --- the database, for baselines and the users' scope ------------------------


def connect():
    return psycopg2.connect(
        dbname=DB,
        host=os.environ.get("BENCH_PGHOST") or None,
        port=os.environ.get("BENCH_PGPORT") or None,
    )


def scope(cr, login):
    cr.execute("SELECT id FROM res_users WHERE login = %s", (login,))
    uid = cr.fetchone()[0]
    cr.execute(
        "SELECT array_agg(DISTINCT d.id) FROM hr_department d "
        "JOIN hr_department k ON d.parent_path LIKE k.parent_path || '%%' "
        "JOIN cadre_archive_officer_department_rel r ON r.department_id = k.id "
        "WHERE r.user_id = %s",
        (uid,),
    )
    return uid, cr.fetchone()[0] or []


def granted_dossiers(cr, uid):
    cr.execute(
        "SELECT array_agg(DISTINCT rel.dossier_id) "
        "FROM cadre_archive_request r "
        "JOIN cadre_archive_request_dossier_rel rel ON rel.request_id = r.id "
        "WHERE r.requester_id = %s AND r.state = 'approved' "
        "AND r.access_start <= now() AT TIME ZONE 'UTC' "
        "AND r.access_end > now() AT TIME ZONE 'UTC'",
        (uid,),
    )
    return cr.fetchone()[0] or []


def names_in(cr, where, args, count=5):
    cr.execute(
        "SELECT DISTINCT e.name FROM cadre_archive_dossier d "  # noqa: S608
        f"JOIN hr_employee e ON e.id = d.employee_id WHERE {where} "
        "ORDER BY e.name LIMIT %s",
        (*args, count),
    )
    return [name for (name,) in cr.fetchall()]


def sql_search(cr, term, where, args, count_limit):
    """The bare SQL of the search's first page and of its capped count: the
    user's scope as ids, the terms (all Chinese) by LIKE, the search list's
    order, as a developer would write them by hand."""
    like = f"%{term}%"
    cr.execute(
        "SELECT m.id, m.name, m.ocr_text FROM cadre_archive_material m "  # noqa: S608
        f"WHERE (m.name LIKE %s OR m.ocr_text LIKE %s) AND {where} "
        "ORDER BY m.dossier_id DESC, m.category_sequence, m.sequence_number, m.id "
        "LIMIT %s",
        (like, like, *args, PAGE),
    )
    rows = cr.fetchall()
    cr.execute(
        "SELECT count(*) FROM (SELECT 1 FROM cadre_archive_material m "  # noqa: S608
        f"WHERE (m.name LIKE %s OR m.ocr_text LIKE %s) AND {where} LIMIT %s) c",
        (like, like, *args, count_limit),
    )
    return len(rows), cr.fetchone()[0]


# --- the figures -------------------------------------------------------------


def search_figures(cr, who, client, where, args, rare):
    model, loaded = client.views(SEARCH_ACTION, ["list", "search"])
    spec = view_spec(loaded, model, "list")
    order = view_order(loaded, "list")
    count_limit = view_count_limit(loaded, "list")
    for kind, terms in (("rare", rare), ("common", COMMON_TERMS)):
        samples, baseline, hits = [], [], []
        for _ in range(REPEAT):
            for term in terms:
                ms, result = timed(
                    client.call,
                    model,
                    "web_search_read",
                    domain=[("search_snippet", "ilike", term)],
                    specification=spec,
                    offset=0,
                    limit=PAGE,
                    order=order,
                    count_limit=count_limit,
                    context={"cadre_archive_search": term, "bin_size": True},
                )
                samples.append(ms)
                hits.append(result["length"])
                ms, __ = timed(sql_search, cr, term, where, args, count_limit)
                baseline.append(ms)
        report(
            f"search, {kind} terms, as {who} (hits {min(hits)}-{max(hits)})",
            samples,
            baseline,
            "bare SQL page+count",
            aim=AIMS["search"],
            aim_ratio=2,
        )


def form_figures(cr, officer, manager, units):
    model, loaded = officer.views(DOSSIER_ACTION, ["form"])
    spec = view_spec(loaded, model, "form")
    __, manager_views = manager.views(DOSSIER_ACTION, ["form"])
    manager_spec = view_spec(manager_views, model, "form")
    cr.execute(
        "SELECT id FROM cadre_archive_dossier WHERE department_id = ANY(%s) "
        "AND material_count BETWEEN 140 AND 160 ORDER BY id LIMIT 20",
        (units,),
    )
    dossiers = [i for (i,) in cr.fetchall()]
    samples, baseline = [], []
    for _ in range(REPEAT):
        for dossier in dossiers:
            samples.append(
                timed(officer.call, model, "web_read", [dossier], specification=spec)[0]
            )
            baseline.append(
                timed(manager.call, model, "web_read", [dossier], specification=spec)[0]
            )
    report(
        f"dossier form of ~150 materials, officer ({len(dossiers)} dossiers)",
        samples,
        baseline,
        "same read as manager",
        aim=AIMS["form"],
        aim_ratio=1.3,
    )
    del manager_spec


def list_figures(cr, officer, units):
    model, loaded = officer.views(DOSSIER_ACTION, ["list", "search"])
    spec = view_spec(loaded, model, "list")
    order = view_order(loaded, "list")
    count_limit = view_count_limit(loaded, "list")
    samples, baseline = [], []
    for _ in range(REPEAT * 4):
        ms, result = timed(
            officer.call,
            model,
            "web_search_read",
            domain=[],
            specification=spec,
            offset=0,
            limit=PAGE,
            order=order,
            count_limit=count_limit,
        )
        samples.append(ms)
        start = time.perf_counter()
        cr.execute(
            "SELECT d.id, d.name, d.employee_id, d.department_id, d.material_count, "
            "d.page_count, d.state FROM cadre_archive_dossier d "
            "WHERE d.department_id = ANY(%s) ORDER BY d.name DESC, d.id DESC LIMIT %s",
            (units, PAGE),
        )
        cr.fetchall()
        cr.execute(
            "SELECT count(*) FROM cadre_archive_dossier WHERE department_id = ANY(%s)",
            (units,),
        )
        cr.fetchone()
        baseline.append((time.perf_counter() - start) * 1000)
    report(
        f"dossier list, first page + count, officer ({result['length']})",
        samples,
        baseline,
        "bare SQL page+count",
        aim=AIMS["list"],
    )


def workers():
    server = psutil.Process(int(os.environ["BENCH_SERVER_PID"]))
    return [
        p for p in server.children(recursive=True) if "odoo" in " ".join(p.cmdline())
    ]


def memory_figures(cr, officer, units):
    model, loaded = officer.views(DOSSIER_ACTION, ["form"])
    spec = view_spec(loaded, model, "form")
    before = {p.pid: p.memory_info().rss for p in workers()}
    cr.execute(
        "SELECT id FROM cadre_archive_dossier WHERE department_id = ANY(%s) "
        "ORDER BY id LIMIT 100",
        (units,),
    )
    dossiers = [i for (i,) in cr.fetchall()]
    for index in range(100):
        officer.call(
            model, "web_read", [dossiers[index % len(dossiers)]], specification=spec
        )
    after = {p.pid: p.memory_info().rss for p in workers()}
    for pid in sorted(after):
        print(
            f"worker {pid}: RSS {before.get(pid, 0) / 2**20:6.0f} MB before, "
            f"{after[pid] / 2**20:6.0f} MB after opening 100 dossiers "
            f"({len(set(dossiers))} distinct)"
        )


def wait_for_server(seconds=120):
    deadline = time.monotonic() + seconds
    while True:
        try:
            requests.get(URL + "/web/health", timeout=5).raise_for_status()
            return
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def main():
    wait_for_server()
    connection = connect()
    connection.set_session(readonly=True, autocommit=True)
    cr = connection.cursor()
    cr.execute("SELECT count(*) FROM cadre_archive_dossier")
    dossiers = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM cadre_archive_material")
    materials = cr.fetchone()[0]
    print(f"{DB}: {dossiers} dossiers, {materials} materials; {URL}, 2 workers")
    for term in COMMON_TERMS:
        cr.execute(
            "SELECT count(*) FROM cadre_archive_material WHERE ocr_text LIKE %s",
            (f"%{term}%",),
        )
        print(f"  {term}: in {cr.fetchone()[0] * 100 / materials:.0f}% of materials")
    officer = Client("scale_officer")
    requester = Client("scale_requester")
    manager = Client("scale_manager")
    __, units = scope(cr, "scale_officer")
    requester_uid = requester.uid
    granted = granted_dossiers(cr, requester_uid)
    print(f"officer keeps {len(units)} units; requester holds {len(granted)} dossiers")
    floor = [
        timed(officer.call, "res.users", "read", [officer.uid], ["name"])[0]
        for _ in range(REPEAT * 10)
    ]
    print(
        "the floor: one JSON-RPC call reading the user's name, p50 "
        f"{percentiles(floor)[0]:.1f} ms, p95 {percentiles(floor)[1]:.1f} ms",
        flush=True,
    )
    if "search" in ONLY:
        rare = names_in(cr, "d.department_id = ANY(%s)", (units,))
        search_figures(
            cr, "officer", officer, "m.department_id = ANY(%s)", (units,), rare
        )
        rare = names_in(cr, "d.id = ANY(%s)", (granted,))
        search_figures(
            cr,
            "requester",
            requester,
            "m.dossier_id = ANY(%s) AND m.state = 'filed'",
            (granted,),
            rare,
        )
    if "form" in ONLY:
        form_figures(cr, officer, manager, units)
    if "list" in ONLY:
        list_figures(cr, officer, units)
    if "memory" in ONLY:
        memory_figures(cr, officer, units)
    print()
    print(
        "| operation | p50 ms | p95 ms | baseline | base p50 | base p95 "
        "| ratio p95 | aims |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, p50, p95, base, b50, b95, ratio, verdict in ROWS:
        print(
            f"| {name} | {p50:.1f} | {p95:.1f} | {base} | {b50:.1f} | {b95:.1f} "
            f"| {ratio:.2f} | {verdict} |"
        )


if __name__ == "__main__":
    main()
