"""Break each rule of the Odoo layer on purpose and see whether a test fails.

Run by ``scripts/mutation-odoo`` (which finds Odoo and PostgreSQL):

    python scripts/mutation_odoo.py ODOO_ADDONS DATA_DIR [NUMBER ...] -- ODOO_CMD...

For each mutation of ``scripts/mutations_odoo.py`` (or only the numbers
given): a throwaway copy of the addon gets the change, a database copied from
a template holding the addon's dependencies gets the mutated addon installed
with the mutation's narrowed tests, and the mutation is *caught* when one of
them fails. The unmutated addon must pass the same tests first. Prints one
line per mutation and the count caught; exits 1 if any survived or broke.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutations_odoo import MUTATIONS  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
ADDON = "cadre_archive"
TEMPLATE = "cadre_archive_mutation_template"
DEPENDENCIES = "hr,mail,queue_job,report_xlsx"
FAILED_RE = re.compile(
    r" (FAIL|ERROR): (?:(?:Subtest )?(Test\w+)\.(test_\w+)"
    r"|(setUpClass) \(odoo\.addons\.cadre_archive\.tests\.\w+\.(Test\w+)\))"
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(*args):
    return subprocess.run(args, capture_output=True, text=True, check=False)


def db_exists(name):
    result = psql(
        "psql",
        "-d",
        "postgres",
        "-tAc",
        f"select 1 from pg_database where datname = '{name}'",
    )
    return result.stdout.strip() == "1"


def odoo(odoo_cmd, addons_path, data_dir, db, *args, log):
    command = [
        *odoo_cmd,
        f"--addons-path={addons_path}",
        f"--data-dir={data_dir}",
        f"--db_host={os.environ.get('PGHOST', '')}",
        f"--db_port={os.environ.get('PGPORT', '')}",
        "-d",
        db,
        "--stop-after-init",
        "--http-interface=127.0.0.1",
        f"--http-port={free_port()}",
        "--workers=0",
        "--max-cron-threads=0",
        "--log-level=info",
        *args,
    ]
    with open(log, "w", encoding="utf-8") as handle:
        return subprocess.run(
            command, stdout=handle, stderr=subprocess.STDOUT, check=False
        ).returncode


def ensure_template(odoo_cmd, odoo_addons, data_dir, logs):
    if db_exists(TEMPLATE):
        return
    print(
        f"building the template database {TEMPLATE} ({DEPENDENCIES}, demo data)",
        flush=True,
    )
    code = odoo(
        odoo_cmd,
        odoo_addons,
        data_dir,
        TEMPLATE,
        "--with-demo",
        "-i",
        DEPENDENCIES,
        log=logs / "template.log",
    )
    if code:
        sys.exit(f"could not build {TEMPLATE}: see {logs / 'template.log'}")


def apply(addon_dir, mutation):
    path = addon_dir / mutation["path"]
    text = path.read_text(encoding="utf-8")
    count = text.count(mutation["old"])
    if count != 1:
        return f"the text to change is found {count} times"
    path.write_text(text.replace(mutation["old"], mutation["new"]), encoding="utf-8")
    return None


def run_tests(odoo_cmd, odoo_addons, data_dir, work, name, tests, logs, mutation=None):
    """Install the (mutated) addon copy with ``tests``; return (status, failing)."""
    copy_root = work / name
    shutil.rmtree(copy_root, ignore_errors=True)
    shutil.copytree(
        REPO / ADDON, copy_root / ADDON, ignore=shutil.ignore_patterns("__pycache__")
    )
    if mutation:
        problem = apply(copy_root / ADDON, mutation)
        if problem:
            return "not applied", problem
    db = f"cadre_archive_mut_{name}"
    psql("dropdb", "--if-exists", db)
    created = psql("createdb", "-T", TEMPLATE, db)
    if created.returncode:
        return "broken", created.stderr.strip()
    log = logs / f"{name}.log"
    tags = ",".join(f"/{ADDON}:{test}" for test in tests)
    code = odoo(
        odoo_cmd,
        f"{odoo_addons},{copy_root}",
        data_dir,
        db,
        "-i",
        ADDON,
        "--test-enable",
        f"--test-tags={tags}",
        log=log,
    )
    psql("dropdb", "--if-exists", db)
    shutil.rmtree(Path(data_dir) / "filestore" / db, ignore_errors=True)
    text = log.read_text(encoding="utf-8", errors="replace")
    failing = sorted(
        f"{m.group(2)}.{m.group(3)}" if m.group(2) else f"{m.group(5)}.{m.group(4)}"
        for m in FAILED_RE.finditer(text)
    )
    failing = sorted(set(failing))
    if failing:
        return "caught", ", ".join(failing)
    if code or "Modules loaded." not in text:
        return "broken", f"the addon did not install (exit {code}, see {log})"
    if " Starting Test" not in text:
        return "broken", f"no test ran (see {log})"
    return "survived", ""


def main(argv):
    split = argv.index("--")
    odoo_addons, data_dir, *numbers = argv[:split]
    odoo_cmd = argv[split + 1 :]
    chosen = [int(n) for n in numbers] or list(range(1, len(MUTATIONS) + 1))
    logs = REPO / ".cache" / "logs" / "mutation-odoo"
    logs.mkdir(parents=True, exist_ok=True)
    ensure_template(odoo_cmd, odoo_addons, data_dir, logs)
    work = Path(tempfile.mkdtemp(prefix="cadre_archive_mutation_"))
    try:
        all_tests = sorted({t for n in chosen for t in MUTATIONS[n - 1]["tests"]})
        started = time.monotonic()
        status, detail = run_tests(
            odoo_cmd, odoo_addons, data_dir, work, "baseline", all_tests, logs
        )
        print(
            f"baseline (no mutation, {len(all_tests)} test classes): "
            f"{status} {detail}".rstrip(),
            flush=True,
        )
        if status != "survived":
            sys.exit("the unmutated addon must pass the narrowed tests first")
        results = {}
        for number in chosen:
            mutation = MUTATIONS[number - 1]
            status, detail = run_tests(
                odoo_cmd,
                odoo_addons,
                data_dir,
                work,
                f"m{number:02d}",
                mutation["tests"],
                logs,
                mutation,
            )
            results[number] = status
            print(
                f"{number:3d}. {status:9s} {mutation['rule']}"
                + (f"  [{detail}]" if detail else ""),
                flush=True,
            )
        caught = sum(status == "caught" for status in results.values())
        minutes = (time.monotonic() - started) / 60
        print(f"\n{caught} of {len(results)} mutations caught ({minutes:.0f} min)")
        return 0 if caught == len(results) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
