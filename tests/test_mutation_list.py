"""The list of rule mutations (scripts/mutations_odoo.py) stays usable: each
breaking change applies to exactly one place of the addon, and names test
classes that exist. A merge that copies a rule's text elsewhere (a new
model's record rule) makes its mutation ambiguous; this says which."""

import ast
import importlib.util
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
ADDON = ROOT / "cadre_archive"


def _mutations():
    spec = importlib.util.spec_from_file_location(
        "mutations_odoo", ROOT / "scripts" / "mutations_odoo.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.MUTATIONS


def _test_classes():
    names = set()
    for path in (ADDON / "tests").glob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names.update(
            node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
        )
    return names


MUTATIONS = _mutations()


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m["rule"][:60] for m in MUTATIONS])
def test_mutation_applies_once(mutation):
    text = (ADDON / mutation["path"]).read_text(encoding="utf-8")
    assert text.count(mutation["old"]) == 1
    assert mutation["old"] != mutation["new"]


def test_mutations_name_existing_test_classes():
    classes = _test_classes()
    missing = {
        (m["rule"], name)
        for m in MUTATIONS
        for name in m["tests"]
        if name not in classes
    }
    assert not missing
