"""Quality of the facts read from the materials: pure Python, no Odoo (see
scripts/bench/run).

Generates BENCH_PAGES pages (default 200): for each of BENCH_PAGES / 2
cadres with known facts, a 干部履历表 and a 干部任免审批表 page rendered at
300 dpi with a slight skew, a red seal over the text, table lines and
speckle (``lib.cadre_forms``), the dates of the head of each form written in
one of the ways archives write them (1968.03, 1968年3月, 1968-03,
一九六八年三月). Each page is read by the real Tesseract through
``lib.form_ocr`` in BENCH_WORKERS processes (default 2), and its facts
proposed by ``lib.fact_extraction``. With BENCH_CACHE=file the OCR lines
are kept in that file and read back by the next run of as many pages.

Prints, per fact kind, precision (proposals right / proposals made) and
recall (facts proposed right / facts on the pages), for all proposals and for
those of confidence >= 0.8 (the others are flagged to the auditor); then the
share of dossiers (the two pages of a cadre) whose facts need no correction:
every fact proposed right by a page and no wrong proposal. Nothing is
asserted.
"""

import importlib
import io
import os
import pickle
import random
import sys
import time
import types
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

PAGES = int(os.environ.get("BENCH_PAGES", "200"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
SEED = int(os.environ.get("BENCH_SEED", "2026"))
CACHE = os.environ.get("BENCH_CACHE")
CONFIDENT = 0.8
KINDS = ("birth", "work_start", "party", "education", "work")


def load_lib():
    """Import cadre_archive.lib without the addon's Odoo-importing package."""
    addon_dir = Path(__file__).resolve().parents[2] / "cadre_archive"
    addon = types.ModuleType("cadre_archive")
    addon.__path__ = [str(addon_dir)]
    sys.modules.setdefault("cadre_archive", addon)
    return (
        importlib.import_module("cadre_archive.lib.cadre_forms"),
        importlib.import_module("cadre_archive.lib.form_ocr"),
        importlib.import_module("cadre_archive.lib.fact_extraction"),
    )


def truth(cadre, form):
    """The facts on a page, as comparable keys by kind."""
    facts = {
        "birth": {cadre.birth},
        "work_start": {cadre.work_start},
        "party": {cadre.party},
        "work": {tuple(line) for line in cadre.work},
    }
    if form == "cv":
        facts["education"] = {
            (start, end, school, major, level, degree)
            for start, end, school, major, level, degree, _mode in cadre.education
        }
    else:
        facts["education"] = {
            (None, None, school, major, level, degree)
            for _s, _e, school, major, level, degree, _mode in cadre.education
        }
    return facts


def key(proposal):
    if proposal.value:
        return proposal.value
    if proposal.kind == "work":
        return (
            proposal.start,
            proposal.end,
            proposal.get("unit_name"),
            proposal.get("post"),
        )
    return (
        proposal.start,
        proposal.end,
        proposal.get("school"),
        proposal.get("major"),
        proposal.get("level"),
        proposal.get("degree"),
    )


def read_page(args):
    """(dossier, form, cadre, lines, seconds) of a page: its OCR lines."""
    index, form = args
    cadre_forms, form_ocr, _fact_extraction = load_lib()
    from PIL import Image

    cadre = cadre_forms.make_cadre(random.Random(SEED + index))
    data = cadre_forms.render_form(cadre, form, seed=SEED * 7 + index * 2 + len(form))
    start = time.perf_counter()
    lines = form_ocr.read_form_lines(Image.open(io.BytesIO(data)))
    elapsed = time.perf_counter() - start
    return index, form, cadre, lines, elapsed


def propose(page):
    """(dossier, form, truth, [(kind, key, confidence)], seconds) of a page."""
    index, form, cadre, lines, elapsed = page
    _cadre_forms, _form_ocr, fact_extraction = load_lib()
    start = time.perf_counter()
    proposals = fact_extraction.extract(lines)
    elapsed += time.perf_counter() - start
    return (
        index,
        form,
        truth(cadre, form),
        [(p.kind, key(p), p.confidence) for p in proposals],
        elapsed,
    )


def read_pages(jobs):
    """The OCR lines of the pages; kept in BENCH_CACHE (a file) when set, to
    measure changes of the extraction alone on the same reading."""
    if CACHE and os.path.exists(CACHE):
        with open(CACHE, "rb") as handle:
            pages = pickle.load(handle)  # noqa: S301 - our own file
        if len(pages) == len(jobs):
            return pages
    with ProcessPoolExecutor(WORKERS) as pool:
        pages = list(pool.map(read_page, jobs))
    if CACHE:
        with open(CACHE, "wb") as handle:
            pickle.dump(pages, handle)
    return pages


def score(results, threshold):
    made, right, facts, found = Counter(), Counter(), Counter(), Counter()
    dossiers = {}
    for index, _form, facts_on_page, proposals, _elapsed in results:
        dossier = dossiers.setdefault(index, {"wrong": 0, "facts": {}, "right": set()})
        for kind in KINDS:
            expected = facts_on_page[kind]
            facts[kind] += len(expected)
            dossier["facts"].setdefault(kind, set()).update(
                k[2:] if kind == "education" else k for k in expected
            )
            got = {k for kd, k, c in proposals if kd == kind and c >= threshold}
            made[kind] += len(got)
            right[kind] += len(got & expected)
            found[kind] += len(got & expected)
            dossier["wrong"] += len(got - expected)
            dossier["right"].update(
                (kind, k[2:] if kind == "education" else k) for k in got & expected
            )
    clean = sum(
        1
        for d in dossiers.values()
        if not d["wrong"]
        and all((kind, k) in d["right"] for kind, ks in d["facts"].items() for k in ks)
    )
    return made, right, facts, found, clean, len(dossiers)


def main():
    load_lib()
    jobs = [(i // 2, "cv" if i % 2 == 0 else "appointment") for i in range(PAGES)]
    start = time.perf_counter()
    results = [propose(page) for page in read_pages(jobs)]
    wall = time.perf_counter() - start
    per_page = sum(r[4] for r in results) / len(results)
    print(
        f"{len(results)} generated pages (履历表 and 任免审批表 of {len(results) // 2} "
        f"cadres), 300 dpi, skew, red seal, table lines; tesseract chi_sim+eng, "
        f"{WORKERS} worker(s): {per_page:.1f} s per page, {wall:.0f} s in all"
    )
    for threshold, label in (
        (0.0, "all proposals"),
        (CONFIDENT, f"confidence >= {CONFIDENT}"),
    ):
        made, right, facts, found, clean, dossiers = score(results, threshold)
        print(f"\n{label}:")
        print(
            f"  {'kind':<11}{'precision':>10}{'recall':>9}{'proposed':>10}{'facts':>7}"
        )
        for kind in KINDS:
            precision = right[kind] / made[kind] if made[kind] else float("nan")
            recall = found[kind] / facts[kind] if facts[kind] else float("nan")
            print(
                f"  {kind:<11}{precision:>10.3f}{recall:>9.3f}{made[kind]:>10}"
                f"{facts[kind]:>7}"
            )
        dates = ("birth", "work_start", "party")
        date_made = sum(made[k] for k in dates)
        date_right = sum(right[k] for k in dates)
        date_facts = sum(facts[k] for k in dates)
        print(
            f"  {'dates':<11}{date_right / max(date_made, 1):>10.3f}"
            f"{date_right / max(date_facts, 1):>9.3f}{date_made:>10}{date_facts:>7}"
        )
        print(
            f"  dossiers needing no correction: {clean}/{dossiers} "
            f"({clean / max(dossiers, 1):.1%})"
        )


if __name__ == "__main__":
    main()
