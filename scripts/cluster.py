"""The driver of scripts/cluster: cadre_archive on two Odoo nodes behind haproxy.

Run with Odoo's Python by ``scripts/cluster``; not imported by the addon.

    cluster.py setup ODOO_OPTIONS... -d DB --s3-url URL --s3-key K --s3-secret S
    cluster.py load --url PROXY --db DB --pg DSN --replica DSN \
        --node NAME=URL=LOG=PID --node ... --haproxy-log FILE [--kill] ...

``setup`` makes the database keep its scans in the S3 object store: an
``fs.storage`` (OCA fs_attachment_s3) for the attachments of archive materials,
keys obfuscated (checksums, never an archive number), then moves the scans
already in the file store there with ``ir.attachment._archive_move_scans`` (each
copy read back and checked against the scan's SHA-256).

``load`` drives the roles of scripts/load.py (viewers, uploaders with OCR,
searchers) through the proxy for a fixed time, kills half way (``--kill``) the
node whose queue_job runner holds the master lock (so that the requests and the
jobs must both go on without it), and prints: the figures before the kill, in
the 15 s after it and after that; the requests haproxy passed to each node; the
share of the OCR jobs each node ran (from the runjob requests in each node's
log); which runner was master; the transactions the replica served; and every
scan uploaded during the run checked in the object store (not in the file
store) against its SHA-256. Exit 1 when no request was served after the kill,
when an OCR job of the run did not finish, or when a scan is not in the object
store intact.
"""

import argparse
import hashlib
import json
import os
import re
import signal
import sys
import time

import psycopg2
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import load  # noqa: E402  (scripts/load.py: the clients, roles and figures)

STORAGE_CODE = "cadrescans"
BUCKET = "cadre-archive-scans"
AROUND_KILL = 15  # seconds after the kill counted as "around the kill"
RUNJOB = re.compile(r"GET /queue_job/runjob\?(?:db=[^&\s]+&)?job_uuid=([0-9a-f-]+)")
# haproxy's httplog: "... frontend backend/server ..."
PROXIED = re.compile(r" cadre (odoo|gevent)/(node\d+) ")


# ------------------------------------------------------------------ setup


def storage_options(args):
    return json.dumps(
        {"endpoint_url": args.s3_url, "key": args.s3_key, "secret": args.s3_secret}
    )


def setup(argv):
    parser = argparse.ArgumentParser(prog="cluster.py setup")
    parser.add_argument("-d", dest="db", required=True)
    parser.add_argument("--s3-url", required=True)
    parser.add_argument("--s3-key", required=True)
    parser.add_argument("--s3-secret", required=True)
    args, odoo_args = parser.parse_known_args(argv)

    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(odoo_args, setup_logging=True)
    s3 = s3_filesystem(args)
    if not s3.exists(BUCKET):  # fs_storage checks the connection in the bucket
        s3.mkdir(BUCKET)
    with Registry(args.db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.api.SUPERUSER_ID, {})
        env["fs.storage"].create(
            {
                "name": "Archive scans (S3)",
                "code": STORAGE_CODE,
                "protocol": "s3",
                "directory_path": BUCKET,
                "options": storage_options(args),
                "use_filename_obfuscation": True,
                "check_connection_method": "ls",
                "model_xmlids": "cadre_archive.model_cadre_archive_material",
            }
        )
        counts = env["ir.attachment"]._archive_move_scans(STORAGE_CODE)
        cr.commit()
    print(
        f"Scans moved from the file store to s3://{BUCKET}: {counts['moved']} moved,"
        f" {counts['skipped']} there already, {counts['bad']} not moved (altered or"
        " missing)",
        flush=True,
    )
    return 0 if not counts["bad"] else 1


# ------------------------------------------------------------------ load


class PhasedFigures:
    """load.Figures split by phase: before the kill, around it, after it."""

    PHASES = ("before the kill", f"first {AROUND_KILL} s after", "after that")

    def __init__(self):
        self.phases = {name: load.Figures() for name in self.PHASES}
        self.kill_time = None
        self.kill_db_time = None  # the database's clock at the kill
        self.killed = None

    def phase(self, when):
        if self.kill_time is None or when < self.kill_time:
            return self.PHASES[0]
        if when < self.kill_time + AROUND_KILL:
            return self.PHASES[1]
        return self.PHASES[2]

    def timed(self, operation, function, *args):
        return self.phases[self.phase(time.monotonic())].timed(
            operation, function, *args
        )

    def served(self, operation):
        return sum(f.served(operation) for f in self.phases.values())

    def total(self):
        ok = sum(len(t) for f in self.phases.values() for t in f.times.values())
        errors = sum(len(e) for f in self.phases.values() for e in f.errors.values())
        return ok, errors


def killer(nodes, at, figures, pg):
    time.sleep(at)
    masters = runner_masters(nodes)
    name, __, __, pid = next(
        (node for node in nodes if masters and node[0] == masters[-1]), nodes[0]
    )
    masters = masters[-1:]
    figures.kill_db_time = load.db_now(pg)
    figures.kill_time = time.monotonic()
    # the node's whole process group (main, workers, gevent, cron): a machine lost
    os.killpg(int(pid), signal.SIGKILL)
    figures.killed = name
    print(
        f"\n[cluster] t={at:.0f}s: {name} (pid {pid}, its queue_job runner master:"
        f" {'yes' if name in masters else 'no'}) killed with SIGKILL",
        flush=True,
    )


def node_runjobs(path, since_offset):
    """The job uuids a node's log shows it ran (HTTP requests of the runner)."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        handle.seek(since_offset)
        return {match.group(1) for match in RUNJOB.finditer(handle.read())}


def runner_masters(nodes):
    """The nodes whose queue_job runner took the master lock, in turn (only the
    master logs "queue job runner ready for db")."""
    taken = []
    for name, __, path, __ in nodes:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if "queue job runner ready for db" in line:
                    taken.append((line[:23], name))  # the log line's timestamp
    return [name for __, name in sorted(taken)]


def proxied_by_node(path):
    """Requests haproxy passed to each node (from its log)."""
    counts = {}
    with open(path, encoding="utf-8", errors="replace") as handle:
        for match in PROXIED.finditer(handle.read()):
            counts[match.group(2)] = counts.get(match.group(2), 0) + 1
    return counts


def ocr_done_before(pg, since, until):
    with psycopg2.connect(pg) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT uuid FROM queue_job WHERE channel LIKE %s AND state = 'done'"
            " AND date_done >= %s AND date_done < %s",
            ["%ocr%", since, until],
        )
        return {row[0] for row in cr.fetchall()}


def ocr_jobs_by_uuid(pg, since):
    """The OCR jobs queued or run since ``since`` (the template's own backlog of
    demo scans included when it runs during the load)."""
    with psycopg2.connect(pg) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT uuid, state FROM queue_job WHERE channel LIKE %s"
            " AND (date_created >= %s OR date_done >= %s)",
            ["%ocr%", since, since],
        )
        return dict(cr.fetchall())


def wait_for_ocr(pg, since, seconds):
    """Let the OCR jobs queued during the load finish (bounded)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        states = ocr_jobs_by_uuid(pg, since).values()
        if all(state in ("done", "failed") for state in states):
            return
        time.sleep(2)


def print_ocr_share(args, nodes, offsets, since, kill_db_time):
    jobs = ocr_jobs_by_uuid(args.pg, since)
    states = {}
    for state in jobs.values():
        states[state] = states.get(state, 0) + 1
    done = {uuid for uuid, state in jobs.items() if state == "done"}
    print(f"\nOCR jobs queued or run during the run: {len(jobs)}, by state: {states}")
    ran_total = 0
    for (name, __, path, __), offset in zip(nodes, offsets, strict=True):
        ran = node_runjobs(path, offset) & done
        ran_total += len(ran)
        share = 100 * len(ran) / len(done) if done else 0
        print(f"  {name}: ran {len(ran)} of the {len(done)} done ({share:.0f}%)")
    if kill_db_time:
        before = ocr_done_before(args.pg, since, kill_db_time)
        shares = ", ".join(
            f"{name} {len(node_runjobs(path, offset) & before)}"
            for (name, __, path, __), offset in zip(nodes, offsets, strict=True)
        )
        print(f"  of the {len(before)} done before the kill: {shares}")
    masters = runner_masters(nodes)
    print(f"  queue_job runner master, in turn: {', '.join(masters) or 'none'}")
    return len(jobs) - len(done)


def replica_commits(dsn, db):
    with psycopg2.connect(dsn) as conn, conn.cursor() as cr:
        cr.execute("SELECT xact_commit FROM pg_stat_database WHERE datname = %s", [db])
        return cr.fetchone()[0]


def print_replication(args, commits_before):
    with psycopg2.connect(args.replica) as conn, conn.cursor() as cr:
        cr.execute("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()")
        standby, replayed = cr.fetchone()
    with psycopg2.connect(args.pg) as conn, conn.cursor() as cr:
        cr.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s)", [replayed])
        (behind,) = cr.fetchone()
    served = replica_commits(args.replica, args.db) - commits_before
    print(
        f"\nReplica: {'a standby' if standby else 'NOT A STANDBY'}, replayed up to"
        f" {replayed} ({int(behind)} bytes behind the primary); it committed {served}"
        f" read-only transactions of {args.db} during the run"
    )


def s3_filesystem(args):
    import s3fs  # noqa: PLC0415

    return s3fs.S3FileSystem(
        key=args.s3_key, secret=args.s3_secret, endpoint_url=args.s3_url
    )


def check_uploads_in_store(args, since):
    """Every scan uploaded during the run: in the object store, intact."""
    with psycopg2.connect(args.pg) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT id, store_fname, archive_sha256 FROM ir_attachment"
            " WHERE res_model = 'cadre.archive.material' AND create_date >= %s",
            [since],
        )
        scans = cr.fetchall()
    s3 = s3_filesystem(args)
    in_store = intact = 0
    bad = []
    for scan_id, store_fname, sha256 in scans:
        code, sep, path = (store_fname or "").partition("://")
        if not sep or code != STORAGE_CODE:
            bad.append(f"scan {scan_id} is not in the object store ({store_fname})")
            continue
        in_store += 1
        with s3.open(f"{BUCKET}/{path}", "rb") as handle:
            data = handle.read()
        if hashlib.sha256(data).hexdigest() == sha256:
            intact += 1
        else:
            bad.append(f"scan {scan_id}: the object differs from its SHA-256")
    print(
        f"\nScans uploaded during the run: {len(scans)}; in the object store:"
        f" {in_store}; intact against their SHA-256: {intact}"
    )
    for line in bad[:5]:
        print(f"  ! {line}")
    return not bad


def node_serves(url, timeout=3):
    try:
        return requests.get(f"{url}/web/health", timeout=timeout).status_code == 200
    except requests.RequestException:
        return False


def run_load(argv):
    parser = argparse.ArgumentParser(prog="cluster.py load")
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--pg", required=True)
    parser.add_argument("--replica", required=True)
    parser.add_argument("--node", action="append", required=True)
    parser.add_argument("--haproxy-log", required=True)
    parser.add_argument("--s3-url", required=True)
    parser.add_argument("--s3-key", required=True)
    parser.add_argument("--s3-secret", required=True)
    parser.add_argument("--kill", action="store_true")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--viewers", type=int, default=6)
    parser.add_argument("--uploaders", type=int, default=2)
    parser.add_argument("--searchers", type=int, default=3)
    args = parser.parse_args(argv)
    if not 10 <= args.duration <= 600:
        parser.error("--duration must be 10..600 s")
    if (
        args.viewers + args.uploaders + args.searchers > 64
        or min(args.viewers, args.uploaders, args.searchers) < 0
    ):
        parser.error("at most 64 threads")
    nodes = [tuple(spec.split("=", 3)) for spec in args.node]

    for _ in range(180):  # both nodes starting
        if all(node_serves(url) for __, url, __, __ in nodes) and node_serves(args.url):
            break
        time.sleep(1)
    else:
        raise load.LoadError("the nodes did not answer /web/health within 180 s")
    print(f"[cluster] both nodes and the proxy answer; load for {args.duration} s")

    offsets = [os.path.getsize(path) for __, __, path, __ in nodes]
    since = load.db_now(args.pg)
    commits_before = replica_commits(args.replica, args.db)
    requester = load.Client(args.url, args.db, "archive_requester")
    urls = load.page_urls(requester)
    if not urls:
        raise load.LoadError("the demo requester has no page open")
    material_id = load.draft_material(
        load.Client(args.url, args.db, "archive_officer_a")
    )
    figures = PhasedFigures()
    deadline = time.monotonic() + args.duration
    targets = [
        (
            load.viewer,
            (args.url, args.db, "archive_requester", urls, figures, deadline, n),
        )
        for n in range(args.viewers)
    ]
    targets += [
        (
            load.uploader,
            (args.url, args.db, "archive_officer_a", material_id, figures, deadline, n),
        )
        for n in range(args.uploaders)
    ]
    targets += [
        (load.searcher, (args.url, args.db, "archive_officer_b", figures, deadline, n))
        for n in range(args.searchers)
    ]
    if args.kill:
        targets.append((killer, (nodes, args.duration / 2, figures, args.pg)))
    started = time.monotonic()
    load.run_threads(targets)
    elapsed = time.monotonic() - started
    print(
        f"\nLoad through haproxy: {args.viewers} viewers, {args.uploaders} uploaders,"
        f" {args.searchers} searchers for {elapsed:.0f} s ({len(urls)} distinct pages)"
    )
    for name, phase in figures.phases.items():
        if phase.times or phase.errors:
            phase.print(f"-- {name}")
    ok, errors = figures.total()
    print(f"\nThroughput: {ok / elapsed:.1f} requests/s ({ok} served, {errors} errors)")
    after = [figures.phases[name] for name in PhasedFigures.PHASES[1:]]
    served_after = sum(len(t) for phase in after for t in phase.times.values())
    errors_after = sum(len(e) for phase in after for e in phase.errors.values())
    if args.kill:
        # a node busy with the OCR backlog answers late, not never
        alive = [name for name, url, __, __ in nodes if node_serves(url, 30)]
        print(
            f"After the kill: {served_after} requests served ({errors_after} errors);"
            f" nodes answering now: {', '.join(alive) or 'none'}"
        )

    shares = proxied_by_node(args.haproxy_log)
    print(
        "Requests haproxy passed on: "
        + ", ".join(f"{name} {count}" for name, count in sorted(shares.items()))
    )

    print("\n[cluster] waiting (at most 180 s) for the OCR jobs of the run to finish")
    wait_for_ocr(args.pg, since, 180)
    unfinished_jobs = print_ocr_share(args, nodes, offsets, since, figures.kill_db_time)
    print_replication(args, commits_before)
    scans_ok = check_uploads_in_store(args, since)
    rows = load.log_rows(args.pg, since)
    served = figures.served("page")
    print(
        f"Access log: {rows} 'view' rows for {served} pages served"
        " (a page whose answer was lost in the kill is logged but not counted here)"
    )
    good = scans_ok and not unfinished_jobs and (not args.kill or served_after > 0)
    return 0 if good else 1


def main():
    command, argv = sys.argv[1], sys.argv[2:]
    if command == "setup":
        return setup(argv)
    if command == "load":
        return run_load(argv)
    print(f"unknown command {command}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main())
    except load.LoadError as error:
        print(f"cluster: {error}", file=sys.stderr)
        sys.exit(1)
