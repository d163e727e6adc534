"""Faults staged against a real cadre_archive server (called by scripts/faults).

    faults.py --db NAME --data-dir DIR --log-dir DIR [scenario...] -- ODOO COMMAND

Each scenario starts Odoo in multi-worker mode (2 HTTP workers, queue_job's
job runner) on a free loopback port, stages one fault, and prints what it
found as ``name: PASS|FAIL`` followed by its figures. Scenarios:

    import      the server killed (SIGKILL, every process) half way through a
                catalog import; restarted, the import completes with no
                duplicate and no half-imported dossier
    ocr         a worker killed during an OCR job: queue_job requeues the job
                and every page's text is there in the end
    postgres    every PostgreSQL connection of the database cut and new ones
                refused for a few seconds, under load (what a restart does to
                Odoo; --real-pg-restart restarts the whole cluster instead,
                which disturbs every other database on it): the server serves
                again without being restarted, failed requests fail cleanly
    filestore   a scan altered and another removed behind Odoo's back: the
                integrity check flags them, the viewer says so plainly
    diskfull    the filestore directory of an upload is a tiny full tmpfs
                (needs root): the upload is refused plainly and nothing is
                left, the same upload succeeds once there is room

Only the standard library and what Odoo's Python has (psycopg2, requests).
"""

import argparse
import base64
import collections
import hashlib
import importlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import types
import xmlrpc.client
from pathlib import Path

import psycopg2
import requests

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = ("import", "ocr", "postgres", "filestore", "diskfull")
ADMIN = ("admin", "admin")


def pure_lib(name):
    """A module of cadre_archive/lib, without importing the addon (odoo)."""
    if "cadre_archive" not in sys.modules:
        package = types.ModuleType("cadre_archive")
        package.__path__ = [str(REPO / "cadre_archive")]
        sys.modules["cadre_archive"] = package
    return importlib.import_module(f"cadre_archive.lib.{name}")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def say(text):
    print(text, flush=True)


class Server:
    """One Odoo server (a process group), started and stopped or killed."""

    def __init__(self, command, db, log_dir):
        self.command, self.db = command, db
        self.log = Path(log_dir) / f"faults-{db}.log"
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=180):
        env = dict(os.environ, ODOO_QUEUE_JOB_CHANNELS="root:2")
        args = [
            *self.command,
            "-d",
            self.db,
            "--db-filter",
            f"^{self.db}$",
            "--workers",
            "2",
            "--max-cron-threads",
            "0",
            "--load",
            "base,rpc,web,queue_job",
            "--http-interface",
            "127.0.0.1",
            "--http-port",
            str(self.port),
            "--gevent-port",
            str(free_port()),
            "--limit-time-real",
            "600",
            "--limit-time-cpu",
            "600",
            "--logfile",
            str(self.log),
        ]
        self.process = subprocess.Popen(args, env=env, start_new_session=True)  # noqa: S603
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"Odoo exited ({self.process.returncode}): {self.log}"
                )
            try:
                if requests.get(f"{self.url}/web/health", timeout=5).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(1)
        raise RuntimeError(f"Odoo did not answer in {timeout} s: {self.log}")

    def kill(self):
        """SIGKILL to every process of the server: no cleanup at all."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if not self.process or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.kill()

    def rpc(self):
        return Rpc(self.url, self.db)

    def session(self, login=ADMIN[0], password=ADMIN[1]):
        http = requests.Session()
        answer = http.post(
            f"{self.url}/web/session/authenticate",
            json={"params": {"db": self.db, "login": login, "password": password}},
            timeout=60,
        )
        answer.raise_for_status()
        if answer.json().get("error"):
            raise RuntimeError(answer.json()["error"])
        return http


class Rpc:
    def __init__(self, url, db):
        self.db = db
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(db, *ADMIN, {})
        self.proxy = xmlrpc.client.ServerProxy(
            f"{url}/xmlrpc/2/object", allow_none=True
        )

    def __call__(self, model, method, *args, **kwargs):
        return self.proxy.execute_kw(
            self.db, self.uid, ADMIN[1], model, method, list(args), kwargs
        )


class Scenarios:
    def __init__(self, options):
        self.options = options
        self.db = options.db
        self.results = []

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def server(self):
        return Server(self.options.command, self.db, self.options.log_dir)

    def sql(self, query, params=None):
        with psycopg2.connect(dbname=self.db) as conn, conn.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall() if cr.description else None

    def filestore(self):
        return Path(self.options.data_dir) / "filestore" / self.db

    def wait_for(self, what, test, timeout, every=1.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = test()
            if value:
                return value
            time.sleep(every)
        raise TimeoutError(f"waited {timeout} s for {what}")

    def record(self, name, ok, figures):
        self.results.append((name, ok))
        say(f"{name}: {'PASS' if ok else 'FAIL'}")
        for key, value in figures.items():
            say(f"    {key}: {value}")

    @staticmethod
    def xmlid(rpc, name):
        (row,) = rpc(
            "ir.model.data",
            "search_read",
            [("module", "=", "cadre_archive"), ("name", "=", name)],
            fields=["res_id"],
        )
        return row["res_id"]

    def prepare(self, rpc):
        """The admin as archive manager, a unit, a category to file in."""
        manager = self.xmlid(rpc, "group_manager")
        rpc("res.users", "write", [rpc.uid], {"group_ids": [(4, manager)]})
        unit = rpc("hr.department", "search", [("name", "=", "Faults Unit")], limit=1)
        if not unit:
            unit = [rpc("hr.department", "create", {"name": "Faults Unit"})]
        return unit[0]

    def new_dossiers(self, rpc, unit, count, tag):
        employees = rpc(
            "hr.employee",
            "create",
            [{"name": f"{tag} {n:04d}", "department_id": unit} for n in range(count)],
        )
        ids = rpc(
            "cadre.archive.dossier",
            "create",
            [{"employee_id": employee} for employee in employees],
        )
        return rpc("cadre.archive.dossier", "read", ids, ["name", "employee_id"])

    def draft_material(self, rpc, dossier, title):
        category = self.xmlid(rpc, "category_1")
        return rpc(
            "cadre.archive.material",
            "create",
            {
                "dossier_id": dossier["id"],
                "category_id": category,
                "name": title,
                "date": "1990-07-01",
                "page_count": 1,
            },
        )

    def page(self, lines):
        return pure_lib("pages").render_text_page(lines, dpi=300, image_format="JPEG")

    # ------------------------------------------------------------------
    # 1. the server killed half way through a catalog import
    # ------------------------------------------------------------------
    def run_import(self):
        dossiers_n, per_dossier = 400, 5
        server = self.server().start()
        try:
            rpc = server.rpc()
            unit = self.prepare(rpc)
            tag = f"Import {int(time.time())}"
            dossiers = self.new_dossiers(rpc, unit, dossiers_n, tag)
            header = "档案号,姓名,类号,顺序号,材料名称,形成时间,页数\n"
            rows = [
                f"{d['name']},{d['employee_id'][1]},1,{n},材料{n},1985.03,2\n"
                for d in dossiers
                for n in range(1, per_dossier + 1)
            ]
            data = (header + "".join(rows)).encode()
            record = rpc(
                "cadre.archive.catalog.import",
                "create",
                {
                    "file": base64.b64encode(data).decode(),
                    "file_name": f"{tag}.csv",
                },
            )
            rpc("cadre.archive.catalog.import", "action_dry_run", [record])
            rpc("cadre.archive.catalog.import", "action_import", [record])

            def lines_done():
                return self.sql(
                    "SELECT count(*) FROM cadre_archive_catalog_import_dossier "
                    "WHERE import_id = %s AND state = 'done'",
                    (record,),
                )[0][0]

            self.wait_for("the first chunk", lines_done, 600, every=0.2)
            server.kill()
            killed_at = lines_done()
            states = dict(
                self.sql(
                    "SELECT state, count(*) FROM queue_job WHERE method_name = "
                    "'_import_chunk' AND state != 'done' GROUP BY state"
                )
            )
            half = self.half_dossiers(record, per_dossier)
            server = self.server().start()
            t0 = time.monotonic()
            self.wait_for(
                "the import to finish",
                lambda: (
                    self.sql(
                        "SELECT state FROM cadre_archive_catalog_import WHERE id = %s",
                        (record,),
                    )[0][0]
                    in ("done", "done_errors")
                ),
                900,
            )
            figures = self.import_figures(record, dossiers, per_dossier)
            figures.update(
                {
                    "dossiers done when killed": f"{killed_at} of {dossiers_n}",
                    "unfinished chunk jobs left by the kill": states,
                    "dossiers half imported after the kill": half,
                    "seconds to finish after the restart": round(
                        time.monotonic() - t0, 1
                    ),
                }
            )
            ok = (
                not half
                and figures["import state"] == "done"
                and figures["materials"] == dossiers_n * per_dossier
                and figures["duplicates"] == 0
                and figures["dossiers half imported at the end"] == 0
            )
            self.record("import", ok, figures)
        finally:
            server.stop()

    def half_dossiers(self, record, per_dossier):
        """Dossiers of the import holding some but not all of its materials."""
        return self.sql(
            """
            SELECT count(*) FROM (
                SELECT d.id, count(m.id) AS n
                  FROM cadre_archive_catalog_import_dossier l
                  JOIN cadre_archive_dossier d ON d.name = l.archive_number
             LEFT JOIN cadre_archive_material m ON m.dossier_id = d.id
                 WHERE l.import_id = %s
              GROUP BY d.id) x
             WHERE n NOT IN (0, %s)
            """,
            (record, per_dossier),
        )[0][0]

    def import_figures(self, record, dossiers, per_dossier):
        ids = tuple(d["id"] for d in dossiers)
        (state,) = self.sql(
            "SELECT state FROM cadre_archive_catalog_import WHERE id = %s", (record,)
        )[0]
        materials = self.sql(
            "SELECT count(*) FROM cadre_archive_material WHERE dossier_id IN %s",
            (ids,),
        )[0][0]
        duplicates = self.sql(
            "SELECT count(*) FROM (SELECT dossier_id, category_id, sequence_number "
            "FROM cadre_archive_material WHERE dossier_id IN %s "
            "GROUP BY 1, 2, 3 HAVING count(*) > 1) x",
            (ids,),
        )[0][0]
        # queue_job counts every run in ``retry``: run more than once = rerun
        retried = self.sql(
            "SELECT count(*) FROM queue_job WHERE method_name = '_import_chunk' "
            "AND retry > 1 AND date_created >= (SELECT create_date FROM "
            "cadre_archive_catalog_import WHERE id = %s)",
            (record,),
        )[0][0]
        return {
            "import state": state,
            "materials": materials,
            "duplicates": duplicates,
            "dossiers half imported at the end": self.half_dossiers(
                record, per_dossier
            ),
            "chunk jobs run again after the kill": retried,
        }

    # ------------------------------------------------------------------
    # 2. a worker killed during an OCR job
    # ------------------------------------------------------------------
    def run_ocr(self):
        pages_n = 6
        server = self.server().start()
        try:
            rpc = server.rpc()
            unit = self.prepare(rpc)
            (dossier,) = self.new_dossiers(rpc, unit, 1, f"OCR {int(time.time())}")
            material = self.draft_material(rpc, dossier, "干部履历表")
            words = ["ALPHA", "BRAVO", "CHARLIE", "DELTA", "FOXTROT", "HOTEL"]
            rpc(
                "ir.attachment",
                "create",
                [
                    {
                        "name": f"page-{n}.jpg",
                        "res_model": "cadre.archive.material",
                        "res_id": material,
                        "datas": base64.b64encode(
                            self.page([word, f"CADRE ARCHIVE {time.time()}"])
                        ).decode(),
                    }
                    for n, word in enumerate(words)
                ],
            )

            def started_job():
                return self.sql(
                    "SELECT uuid, worker_pid FROM queue_job WHERE method_name = "
                    "'_run_ocr' AND state = 'started' AND worker_pid IS NOT NULL "
                    "AND records::text LIKE %s LIMIT 1",
                    ("%cadre.archive.page%",),
                )

            ((uuid, pid),) = self.wait_for("an OCR job running", started_job, 300, 0.1)
            os.kill(pid, signal.SIGKILL)
            t0 = time.monotonic()

            def pages():
                return self.sql(
                    "SELECT ocr_state, ocr_text FROM cadre_archive_page "
                    "WHERE material_id = %s",
                    (material,),
                )

            self.wait_for(
                "every page recognised",
                lambda: all(state in ("done", "failed") for state, __ in pages()),
                600,
            )
            job_state, retry = self.sql(
                "SELECT state, retry FROM queue_job WHERE uuid = %s", (uuid,)
            )[0]
            texts = [text or "" for __, text in pages()]
            found = sum(any(word in text for text in texts) for word in words)
            self.wait_for(
                "the material's text composed",
                lambda: all(
                    word
                    in (
                        self.sql(
                            "SELECT ocr_text FROM cadre_archive_material WHERE id = %s",
                            (material,),
                        )[0][0]
                        or ""
                    )
                    for word in words
                ),
                300,
            )
            # queue_job counts every run in ``retry``: killed once, run twice
            ok = job_state == "done" and retry >= 2 and found == pages_n
            self.record(
                "ocr",
                ok,
                {
                    "killed worker pid": pid,
                    "killed job": f"{uuid}: {job_state}, run {retry} times",
                    "pages whose word was recognised": f"{found} of {pages_n}",
                    "seconds from the kill to every page done": round(
                        time.monotonic() - t0, 1
                    ),
                    "material text complete": True,
                },
            )
        finally:
            server.stop()

    # ------------------------------------------------------------------
    # 3. PostgreSQL connections cut under load
    # ------------------------------------------------------------------
    def run_postgres(self):
        server = self.server().start()
        stop = threading.Event()
        try:
            pid_before = server.process.pid
            rpc = server.rpc()
            self.prepare(rpc)
            sessions = [server.session() for __ in range(4)]
            outcomes = collections.Counter()
            timings = collections.defaultdict(list)
            phase = {"name": "before"}

            def load(http):
                url = f"{server.url}/web/dataset/call_kw"
                body = {
                    "params": {
                        "model": "cadre.archive.dossier",
                        "method": "search_read",
                        "args": [[]],
                        "kwargs": {"fields": ["name"], "limit": 20},
                    }
                }
                while not stop.is_set():
                    name = phase["name"]
                    t0 = time.monotonic()
                    try:
                        answer = http.post(url, json=body, timeout=30)
                        kind = (
                            "ok"
                            if answer.ok and "result" in answer.json()
                            else f"error {answer.status_code} "
                            + (
                                answer.json()
                                .get("error", {})
                                .get("data", {})
                                .get("name", "")
                                if answer.headers.get("Content-Type", "").startswith(
                                    "application/json"
                                )
                                else ""
                            )
                        )
                    except requests.Timeout:
                        kind = "timeout"
                    except requests.RequestException as error:
                        kind = f"connection {type(error).__name__}"
                    timings[name].append(time.monotonic() - t0)
                    outcomes[(name, kind)] += 1

            threads = [
                threading.Thread(target=load, args=(s,), daemon=True) for s in sessions
            ]
            for thread in threads:
                thread.start()
            time.sleep(10)
            phase["name"] = "during"
            self.cut_postgres()
            phase["name"] = "after"
            t_cut_end = time.monotonic()
            recovered = self.wait_for(
                "a request served again",
                lambda: outcomes[("after", "ok")] > 0 and time.monotonic(),
                120,
                0.1,
            )
            time.sleep(10)
            stop.set()
            for thread in threads:
                thread.join(60)
            served_after = outcomes[("after", "ok")]
            unclean = [
                (phase_, kind)
                for (phase_, kind), __ in outcomes.items()
                if kind == "timeout" or kind.startswith("connection")
            ]
            ok = (
                server.process.poll() is None
                and server.process.pid == pid_before
                and served_after > 0
                and not unclean
            )
            figures = {
                "fault": "cluster restarted (pg_ctlcluster)"
                if self.options.real_pg_restart
                else "every connection of the database cut, new ones refused 5 s",
                "server restarted": False,
                "requests served after": served_after,
                "seconds from the end of the cut to a served request": round(
                    max(0.0, recovered - t_cut_end), 1
                ),
                "hung or dropped requests": unclean or "none",
            }
            for (phase_, kind), count in sorted(outcomes.items()):
                figures[f"{phase_}: {kind}"] = count
            for phase_, values in timings.items():
                if values:
                    figures[f"{phase_}: p50/p95 ms"] = (
                        f"{statistics.median(values) * 1000:.0f}/"
                        f"{sorted(values)[int(len(values) * 0.95) - 1] * 1000:.0f}"
                    )
            self.record("postgres", ok, figures)
        finally:
            stop.set()
            server.stop()

    def cut_postgres(self):
        if self.options.real_pg_restart:
            version = subprocess.run(  # noqa: S603
                ["pg_lsclusters", "--no-header"],  # noqa: S607
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()[0]
            subprocess.run(  # noqa: S603
                ["pg_ctlcluster", version, "main", "restart"],  # noqa: S607
                check=True,
            )
            return
        # autocommit before any statement: psycopg2 opens a transaction at the
        # first one otherwise, and the refusal would never be seen by others
        conn = psycopg2.connect(dbname="postgres")
        conn.autocommit = True
        try:
            with conn.cursor() as cr:
                cr.execute(f'ALTER DATABASE "{self.db}" ALLOW_CONNECTIONS false')
                try:
                    cr.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = %s AND pid != pg_backend_pid()",
                        (self.db,),
                    )
                    time.sleep(5)
                finally:
                    cr.execute(f'ALTER DATABASE "{self.db}" ALLOW_CONNECTIONS true')
        finally:
            conn.close()

    # ------------------------------------------------------------------
    # 4. a scan altered, another removed
    # ------------------------------------------------------------------
    def run_filestore(self):
        server = self.server().start()
        try:
            rpc = server.rpc()
            unit = self.prepare(rpc)
            (dossier,) = self.new_dossiers(rpc, unit, 1, f"Store {int(time.time())}")
            material = self.draft_material(rpc, dossier, "干部履历表")
            scans = [
                rpc(
                    "ir.attachment",
                    "create",
                    {
                        "name": name,
                        "res_model": "cadre.archive.material",
                        "res_id": material,
                        "datas": base64.b64encode(
                            self.page([f"{name} {time.time()}"])
                        ).decode(),
                    },
                )
                for name in ("altered.jpg", "removed.jpg")
            ]
            paths = {
                scan: self.filestore()
                / rpc("ir.attachment", "read", [scan], ["store_fname"])[0][
                    "store_fname"
                ]
                for scan in scans
            }
            with open(paths[scans[0]], "r+b") as handle:
                handle.seek(300)
                handle.write(b"\0" * 32)
            os.remove(paths[scans[1]])
            notice = rpc(
                "cadre.archive.material", "action_verify_integrity", [material]
            )
            verdicts = {
                r["name"]: r["archive_integrity"]
                for r in rpc(
                    "ir.attachment", "read", scans, ["name", "archive_integrity"]
                )
            }
            http = server.session()
            answers = {}
            for scan, name in zip(scans, ("altered", "removed"), strict=True):
                answer = http.get(f"{server.url}/cadre_archive/scan/{scan}/page/1")
                answers[name] = (answer.status_code, answer.text)
            viewer = http.get(f"{server.url}/cadre_archive/material/{material}/view")
            ok = (
                verdicts == {"altered.jpg": "changed", "removed.jpg": "missing"}
                and answers["altered"][0] == 409
                and "was altered" in answers["altered"][1]
                and answers["removed"][0] == 410
                and "is missing" in answers["removed"][1]
                and viewer.status_code in (409, 410)
            )
            self.record(
                "filestore",
                ok,
                {
                    "integrity check": notice["params"]["message"],
                    "verdicts": verdicts,
                    "altered scan page": f"HTTP {answers['altered'][0]}: "
                    + self.sentence(answers["altered"][1]),
                    "removed scan page": f"HTTP {answers['removed'][0]}: "
                    + self.sentence(answers["removed"][1]),
                    "viewer page": f"HTTP {viewer.status_code}: "
                    + self.sentence(viewer.text),
                },
            )
        finally:
            server.stop()

    @staticmethod
    def sentence(html):
        """The refusal's sentence in a viewer page (or the page's start)."""
        marker = "o_cadre_archive_refusal"
        text = html[html.find(marker) :] if marker in html else html
        text = text.split("<p", 1)[-1].split(">", 1)[-1].split("</p>", 1)[0]
        return " ".join(text.split())[:300]

    # ------------------------------------------------------------------
    # 5. the disk full during an upload
    # ------------------------------------------------------------------
    def run_diskfull(self):
        if os.geteuid() != 0:
            self.record("diskfull", True, {"skipped": "mounting a tmpfs needs root"})
            return
        server = self.server().start()
        mount = None
        try:
            rpc = server.rpc()
            unit = self.prepare(rpc)
            (dossier,) = self.new_dossiers(rpc, unit, 1, f"Full {int(time.time())}")
            material = self.draft_material(rpc, dossier, "干部履历表")
            raw = self.page([f"FULL {time.time()}"] * 20)
            sha1 = hashlib.sha1(raw).hexdigest()  # noqa: S324 - Odoo's file naming
            mount = self.filestore() / sha1[:2]
            mount.mkdir(parents=True, exist_ok=True)
            keep = tempfile.mkdtemp(prefix="faults-keep-")
            subprocess.run(["cp", "-a", f"{mount}/.", keep], check=True)  # noqa: S603,S607
            size_kb = max(
                64,
                (len(raw) // 2 + sum(f.stat().st_size for f in mount.iterdir())) // 1024
                + 8,
            )
            subprocess.run(  # noqa: S603
                ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(mount)],  # noqa: S607
                check=True,
            )
            subprocess.run(["cp", "-a", f"{keep}/.", str(mount)], check=True)  # noqa: S603,S607
            free_kb = os.statvfs(mount).f_bavail * os.statvfs(mount).f_frsize // 1024
            http = server.session()

            def upload():
                return http.post(
                    f"{server.url}/cadre_archive/material/{material}/scans",
                    files={"ufile": ("full.jpg", raw, "image/jpeg")},
                    data={"csrf_token": self.csrf(http, server)},
                    timeout=120,
                )

            refused = upload()
            rows = rpc(
                "ir.attachment",
                "search_count",
                [
                    ("res_model", "=", "cadre.archive.material"),
                    ("res_id", "=", material),
                ],
            )
            left = sorted(
                p.name
                for p in mount.iterdir()
                if sha1 in p.name or p.name.startswith(".cadre-archive-")
            )
            subprocess.run(["umount", str(mount)], check=True)  # noqa: S603,S607
            mount_done = True
            accepted = upload()
            stored = self.filestore() / sha1[:2] / sha1
            whole = stored.exists() and stored.read_bytes() == raw
            ok = (
                refused.ok
                and "full" in refused.json().get("error", "")
                and rows == 0
                and not left
                and accepted.ok
                and accepted.json().get("ids")
                and whole
            )
            refusal = json.dumps(refused.json(), ensure_ascii=False)[:300]
            self.record(
                "diskfull",
                ok,
                {
                    "tmpfs": f"{size_kb} KiB ({free_kb} KiB free), "
                    f"scan of {len(raw) // 1024} KiB",
                    "upload on the full disk": f"HTTP {refused.status_code} {refusal}",
                    "attachment rows left": rows,
                    "files left under the scan's name or half written": left or "none",
                    "upload once there is room": f"HTTP {accepted.status_code} "
                    f"{accepted.json()}",
                    "stored file whole": whole,
                },
            )
            mount = None if mount_done else mount
        finally:
            if mount is not None:
                subprocess.run(["umount", str(mount)], check=False)  # noqa: S603,S607
            server.stop()

    @staticmethod
    def csrf(http, server):
        page = http.get(f"{server.url}/web", timeout=60).text
        marker = 'csrf_token: "'
        start = page.find(marker)
        return page[start + len(marker) : page.find('"', start + len(marker))]


def main():
    argv = sys.argv[1:]
    split = argv.index("--")
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--log-dir", required=True)
    parser.add_argument("--real-pg-restart", action="store_true")
    parser.add_argument("scenarios", nargs="*")
    options = parser.parse_args(argv[:split])
    unknown = set(options.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    options.command = argv[split + 1 :]
    scenarios = Scenarios(options)
    for name in options.scenarios or SCENARIOS:
        try:
            getattr(scenarios, f"run_{name}")()
        except Exception as error:  # noqa: BLE001 - a scenario's crash is its result
            scenarios.record(name, False, {"crashed": repr(error)})
    failed = [name for name, ok in scenarios.results if not ok]
    say(f"faults: {len(scenarios.results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
