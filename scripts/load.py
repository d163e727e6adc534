"""Load on loopback against a running cadre_archive (started by scripts/load).

Threads with ``requests``, each with its own HTTP session (its own login):

- viewers (requesters, demo login ``archive_requester``): open the viewer of
  the materials their approved request opens, then fetch watermarked page
  images, looking at each for ``--think`` seconds on average (uniformly
  between half and one and a half times that; 0 fetches the next page as
  soon as one is served, which measures the saturated server rather than
  readers);
- uploaders (officers, ``archive_officer_a``): upload a generated A4 scan to
  a draft material of their units, which queues its OCR jobs (run by
  queue_job's runner while the load goes on);
- searchers (officers, ``archive_officer_b``): search the materials by title
  and recognised text, as the search screen does.

Prints per operation the count, errors, p50/p95/max in ms and the rate per
second, then checks that the access log holds exactly one 'view' row per
page image served, and counts the OCR jobs the run queued by state. Every
figure is from outside (HTTP on 127.0.0.1). Exit 1 on an error or a log
mismatch, 0 otherwise. Bounded: at most 600 s, 64 threads.
"""

import argparse
import io
import random
import re
import statistics
import sys
import threading
import time
from collections import defaultdict

import psycopg2
import requests
from PIL import Image, ImageDraw

PAGE_URL = re.compile(r"/cadre_archive/scan/(\d+)/page/(\d+)")
CSRF = re.compile(r'csrf_token:\s*"([0-9a-f]+o?[0-9]*)"')
TIMEOUT = 120
SEARCH_TERMS = [
    "任免",
    "考察",
    "审批",
    "学历",
    "干部",
    "履历",
    "工资",
    "党",
    "年度",
    "档案",
]


class LoadError(Exception):
    pass


# ---------------------------------------------------------------- HTTP client


class Client:
    def __init__(self, url, db, login):
        self.url = url
        self.http = requests.Session()
        response = self.http.post(
            f"{url}/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"db": db, "login": login, "password": login},
            },
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        if not (response.json().get("result") or {}).get("uid"):
            raise LoadError(f"cannot log in as {login}: {response.text[:300]}")
        self._csrf = None

    def call(self, model, method, *args, **kwargs):
        response = self.http.post(
            f"{self.url}/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": list(args),
                    "kwargs": kwargs,
                },
            },
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise LoadError(body["error"]["data"]["message"][:300])
        return body["result"]

    def get(self, path):
        response = self.http.get(f"{self.url}{path}", timeout=TIMEOUT)
        if response.status_code != 200:
            raise LoadError(f"GET {path}: HTTP {response.status_code}")
        return response

    def csrf(self):
        if self._csrf is None:
            match = CSRF.search(self.get("/odoo").text)
            if not match:
                raise LoadError("no CSRF token in /odoo")
            self._csrf = match.group(1)
        return self._csrf


# ------------------------------------------------------------------ figures


class Figures:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = defaultdict(list)
        self.slowest = defaultdict(list)  # (ms, wall-clock start) per operation

    def timed(self, operation, function, *args):
        start = time.perf_counter()
        try:
            result = function(*args)
        except Exception as error:  # noqa: BLE001 - every failure is a figure
            with self.lock:
                self.errors[operation].append(f"{type(error).__name__}: {error}")
            return None
        elapsed = (time.perf_counter() - start) * 1000
        with self.lock:
            self.times[operation].append(elapsed)
            self.slowest[operation] = sorted(
                [*self.slowest[operation], (elapsed, time.time() - elapsed / 1000)]
            )[-3:]
        return result

    def served(self, operation):
        return len(self.times[operation])

    def print(self, title, seconds):
        print(f"\n{title}")
        print(
            f"  {'operation':<14}{'ok':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}"
            f"{'max ms':>9}{'per s':>8}"
        )
        for operation in sorted(set(self.times) | set(self.errors)):
            times = sorted(self.times[operation])
            errors = len(self.errors[operation])
            if times:
                p50 = statistics.median(times)
                p95 = times[max(0, round(len(times) * 0.95) - 1)]
                line = f"{p50:>9.0f}{p95:>9.0f}{times[-1]:>9.0f}"
            else:
                line = f"{'-':>9}{'-':>9}{'-':>9}"
            line += f"{len(times) / max(seconds, 0.001):>8.1f}"
            print(f"  {operation:<14}{len(times):>7}{errors:>8}{line}")
        for operation, slowest in sorted(self.slowest.items()):
            started = ", ".join(
                f"{ms:.0f} ms at {time.strftime('%H:%M:%S', time.localtime(at))}"
                for ms, at in reversed(slowest)
            )
            print(f"  slowest {operation}: {started}")
        for operation, errors in sorted(self.errors.items()):
            for error in sorted(set(errors))[:3]:
                print(f"  ! {operation}: {error}")


# ---------------------------------------------------------------- the roles


def page_urls(client):
    """The watermarked page images of the materials open to the requester."""
    materials = client.call(
        "cadre.archive.material", "search_read", [], fields=["id"], limit=40
    )
    urls = []
    for material in materials:
        seen = set()
        for number in range(1, 201):  # the viewer shows the last page past the end
            html = client.get(
                f"/cadre_archive/material/{material['id']}/view?page={number}"
            ).text
            found = {match.group(0) for match in PAGE_URL.finditer(html)}
            if not found or found <= seen:
                break
            seen |= found
        urls.extend(seen)
    return sorted(set(urls))


def fetch_page(client, url):
    response = client.get(url)
    if not response.content.startswith(b"\xff\xd8\xff"):
        raise LoadError(f"{url} is not a JPEG")


def viewer(client, urls, figures, deadline, seed, think):
    rng = random.Random(seed)
    # readers do not start in step: each opens the viewer within one look
    time.sleep(rng.uniform(0, think))
    while time.monotonic() < deadline:
        figures.timed("page", fetch_page, client, rng.choice(urls))
        if think:
            time.sleep(rng.uniform(think / 2, think * 1.5))  # reading the page


def scan_bytes(rng):
    """An A4 page at 150 dpi with a few lines of random text, as a JPEG."""
    image = Image.new("L", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    for row in range(12):
        draw.text(
            (120, 150 + row * 110),
            " ".join(str(rng.randrange(10**8)) for _ in range(6)),
            fill="black",
        )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, dpi=(150, 150))
    return buffer.getvalue()


def upload(client, material_id, raw, name):
    response = client.http.post(
        f"{client.url}/cadre_archive/material/{material_id}/scans",
        data={"csrf_token": client.csrf()},
        files={"ufile": (name, raw, "image/jpeg")},
        timeout=TIMEOUT,
    )
    if response.status_code != 200:
        raise LoadError(f"upload: HTTP {response.status_code}")
    body = response.json()
    if "error" in body:
        raise LoadError(f"upload refused: {body['error'][:200]}")


def uploader(client, material_id, figures, deadline, seed):
    rng = random.Random(seed)
    time.sleep(rng.uniform(0, 3.0))  # officers do not start in step either
    n = 0
    while time.monotonic() < deadline:
        n += 1
        raw = scan_bytes(rng)
        figures.timed(
            "upload", upload, client, material_id, raw, f"load_{seed}_{n}.jpg"
        )
        time.sleep(rng.uniform(1.0, 3.0))  # an officer scans between uploads


def search(client, term):
    client.call(
        "cadre.archive.material",
        "web_search_read",
        ["|", ("name", "ilike", term), ("ocr_text", "ilike", term)],
        specification={"name": {}, "code": {}, "state": {}},
        limit=80,
        count_limit=10001,
    )


def searcher(client, figures, deadline, seed):
    rng = random.Random(seed)
    time.sleep(rng.uniform(0, 1.0))
    while time.monotonic() < deadline:
        figures.timed("search", search, client, rng.choice(SEARCH_TERMS))
        time.sleep(rng.uniform(0.2, 1.0))  # reading the results


def draft_material(client):
    """A draft material of the officer's units to upload scans to (made once)."""
    found = client.call(
        "cadre.archive.material",
        "search_read",
        [("state", "=", "draft"), ("name", "=", "Load test scans")],
        fields=["id"],
        limit=1,
    )
    if found:
        return found[0]["id"]
    dossier = client.call(
        "cadre.archive.dossier", "search_read", [], fields=["id"], limit=1
    )
    category = client.call(
        "cadre.archive.category", "search_read", [], fields=["id"], limit=1
    )
    if not dossier or not category:
        raise LoadError("the officer keeps no dossier: is the demo data loaded?")
    return client.call(
        "cadre.archive.material",
        "create",
        {
            "name": "Load test scans",
            "dossier_id": dossier[0]["id"],
            "category_id": category[0]["id"],
        },
    )


# ---------------------------------------------------------------- the run


def db_now(pg):
    with psycopg2.connect(pg) as conn, conn.cursor() as cr:
        cr.execute("SELECT now() AT TIME ZONE 'UTC'")
        return cr.fetchone()[0]


def log_rows(pg, since):
    with psycopg2.connect(pg) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM cadre_archive_access_log"
            " WHERE action = 'view' AND create_date >= %s",
            [since],
        )
        return cr.fetchone()[0]


def ocr_jobs(pg, since):
    """(the OCR jobs queued since ``since`` by state, the OCR jobs done since
    then whenever queued, the OCR jobs pending now whenever queued)."""
    with psycopg2.connect(pg) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT state, count(*) FROM queue_job WHERE date_created >= %s"
            " AND channel LIKE %s GROUP BY state ORDER BY state",
            [since, "%ocr%"],
        )
        queued = dict(cr.fetchall())
        cr.execute(
            "SELECT count(*) FILTER (WHERE state = 'done' AND date_done >= %s),"
            " count(*) FILTER (WHERE state IN ('pending', 'enqueued', 'started'))"
            " FROM queue_job WHERE channel LIKE %s",
            [since, "%ocr%"],
        )
        done, waiting = cr.fetchone()
        return queued, done, waiting


def warm_up(url, db, urls):
    """Let every worker load the registry before anything is measured (a
    worker does at its first request, which takes a second or two): 16
    requesters log in and fetch a page at once. Their pages are counted in
    the access log check but in no figure; returns how many were served."""
    figures = Figures()

    def one(n):
        client = Client(url, db, "archive_requester")
        figures.timed("warm-up", fetch_page, client, urls[n % len(urls)])

    run_threads([(one, (n,)) for n in range(16)])
    return figures.served("warm-up")


def log_in(url, db, logins):
    """A client per login, logged in before the run: thirty password checks
    at once keep a small server busy for seconds, which is not what the run
    measures."""
    clients = [None] * len(logins)

    def one(index):
        clients[index] = Client(url, db, logins[index])

    run_threads([(one, (index,)) for index in range(len(logins))])
    if None in clients:
        raise LoadError("some clients could not log in (see above)")
    return clients


def run_threads(targets):
    threads = [
        threading.Thread(target=target, args=args, daemon=True)
        for target, args in targets
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT + 700)


def serial(args, urls):
    figures = Figures()
    client = Client(args.url, args.db, "archive_requester")
    started = time.monotonic()
    for n in range(args.serial):
        figures.timed("page serial", fetch_page, client, urls[n % len(urls)])
    figures.print(
        f"Serial: {args.serial} watermarked pages one after the other, one requester "
        f"({len(urls)} distinct pages, cycled)",
        time.monotonic() - started,
    )
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--pg", required=True, help="libpq DSN of the database")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--viewers", type=int, default=20)
    parser.add_argument("--uploaders", type=int, default=5)
    parser.add_argument("--searchers", type=int, default=5)
    parser.add_argument("--serial", type=int, default=0)
    parser.add_argument(
        "--think",
        type=float,
        default=2.0,
        help="mean seconds a viewer looks at a page (0: no pause)",
    )
    args = parser.parse_args()
    if not 1 <= args.duration <= 600:
        parser.error("--duration must be 1..600 s")
    if (
        args.viewers + args.uploaders + args.searchers > 64
        or min(args.viewers, args.uploaders, args.searchers, args.serial) < 0
        or args.serial > 2000
    ):
        parser.error("at most 64 threads, --serial at most 2000")
    if not 0 <= args.think <= 60:
        parser.error("--think must be 0..60 s")

    for _ in range(120):  # the server is starting
        try:
            requests.get(f"{args.url}/web/health", timeout=2).raise_for_status()
            break
        except requests.RequestException:
            time.sleep(1)
    else:
        raise LoadError("the server did not answer /web/health within 120 s")

    since = db_now(args.pg)
    requester = Client(args.url, args.db, "archive_requester")
    urls = page_urls(requester)
    if not urls:
        raise LoadError("the demo requester has no page open: is the demo data loaded?")
    served = warm_up(args.url, args.db, urls)
    if args.serial:
        served += serial(args, urls).served("page serial")

    material_id = draft_material(Client(args.url, args.db, "archive_officer_a"))
    clients = log_in(
        args.url,
        args.db,
        ["archive_requester"] * args.viewers
        + ["archive_officer_a"] * args.uploaders
        + ["archive_officer_b"] * args.searchers,
    )
    viewers = clients[: args.viewers]
    uploaders = clients[args.viewers : args.viewers + args.uploaders]
    searchers = clients[args.viewers + args.uploaders :]
    figures = Figures()
    deadline = time.monotonic() + args.duration
    targets = [
        (viewer, (client, urls, figures, deadline, n, args.think))
        for n, client in enumerate(viewers)
    ]
    targets += [
        (uploader, (client, material_id, figures, deadline, n))
        for n, client in enumerate(uploaders)
    ]
    targets += [
        (searcher, (client, figures, deadline, n)) for n, client in enumerate(searchers)
    ]
    started = time.monotonic()
    run_threads(targets)
    seconds = time.monotonic() - started
    pace = f"{args.think:g} s a page" if args.think else "no pause between pages"
    figures.print(
        f"Load: {args.viewers} viewers ({pace}), {args.uploaders} uploaders, "
        f"{args.searchers} searchers for {seconds:.0f} s ({len(urls)} distinct pages)",
        seconds,
    )
    served += figures.served("page")
    rows = log_rows(args.pg, since)
    queued, done, waiting = ocr_jobs(args.pg, since)
    print(
        f"\nOCR jobs queued during the run, by state: {queued}; done during the run "
        f"(with those queued before it): {done}; waiting at its end: {waiting}"
    )
    verdict = "OK" if rows == served else "MISMATCH"
    print(f"Access log: {rows} 'view' rows for {served} pages served: {verdict}")
    errors = sum(len(e) for e in figures.errors.values())
    return 0 if rows == served and not errors else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except LoadError as error:
        print(f"load: {error}", file=sys.stderr)
        sys.exit(1)
