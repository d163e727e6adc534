"""Scale benchmark, the record rules' cost: run inside `odoo shell` by
scripts/bench/scale after the figures taken from outside.

The superuser cannot log in over HTTP, so the rules' cost is measured here,
in one process: the web client's read of a dossier of about 150 materials
(the form's own specification, from ``get_views``), as the officer and as the
superuser, alternately on the same 20 dossiers, caches emptied before each.
Also the archive search's first page and count as the officer against the
superuser. p50/p95 and their ratio are printed, never asserted.
"""

import os
import statistics
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.environ["BENCH_DIR"])
from scale import spec_of  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))


def percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, round(len(ordered) * 0.95) - 1)]


def form_spec(env, model, view):
    views = env[model].get_views([[view.id if view else False, "form"]])
    arch = ET.fromstring(views["views"]["form"]["arch"])
    return spec_of(arch, views["models"][model]["fields"], views["models"])


def timed(env, function):
    env.invalidate_all()
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def line(name, user_samples, su_samples, aim):
    p50, p95 = percentiles(user_samples)
    s50, s95 = percentiles(su_samples)
    ratio = p95 / s95
    print(
        f"{name:44s} p50 {p50:7.1f} p95 {p95:7.1f} ms | superuser p50 {s50:6.1f} "
        f"p95 {s95:6.1f} ms | ratio p95 {ratio:5.2f} | ≤ {aim}×: "
        f"{'met' if ratio <= aim else 'MISSED'}",
        flush=True,
    )


def main(env):
    officer = env["res.users"].search([("login", "=", "scale_officer")])
    dossiers = env["cadre.archive.dossier"].with_user(officer)
    spec = form_spec(env(user=officer), "cadre.archive.dossier", None)
    ids = dossiers.search(
        [("material_count", ">=", 140), ("material_count", "<=", 160)], limit=20
    ).ids
    user_samples, su_samples = [], []
    for _ in range(REPEAT):
        for dossier_id in ids:
            user_samples.append(
                timed(env, lambda i=dossier_id: dossiers.browse(i).web_read(spec))
            )
            su_samples.append(
                timed(
                    env, lambda i=dossier_id: dossiers.sudo().browse(i).web_read(spec)
                )
            )
    line("in-process: dossier form, officer", user_samples, su_samples, 1.3)

    order = "dossier_id.id desc, category_sequence, sequence_number, id"
    user_samples, su_samples = [], []
    for _ in range(REPEAT):
        for term in ("年度考核", "任免审批表"):
            materials = (
                env["cadre.archive.material"]
                .with_user(officer)
                .with_context(cadre_archive_search=term)
            )
            domain = [("search_snippet", "ilike", term)]
            user_samples.append(
                timed(
                    env,
                    lambda m=materials, d=domain: m.web_search_read(
                        d,
                        {"name": {}, "search_snippet": {}},
                        limit=80,
                        order=order,
                        count_limit=1001,
                    ),
                )
            )
            # the superuser sees the whole archive: its first page is not
            # the officer's, the rule's filter is what is measured
            every = materials.sudo()
            su_samples.append(
                timed(
                    env,
                    lambda m=every, d=domain, u=officer: m.web_search_read(
                        d + [("department_id", "in", u._archive_kept_unit_ids())],
                        {"name": {}, "search_snippet": {}}, limit=80,
                        order=order, count_limit=1001,
                    ),
                )
            )  # fmt: skip
    line("in-process: common-word search, officer", user_samples, su_samples, 2)
    env.cr.rollback()


main(env)  # noqa: F821 - provided by odoo shell
