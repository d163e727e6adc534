"""The scale benchmark's generator (scripts/bench/scale_corpus.py): the same
seed gives the same rows, and the rows have the shape the figures rely on."""

import importlib.util
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parent.parent / "scripts" / "bench" / "scale_corpus.py"
_SPEC = importlib.util.spec_from_file_location("scale_corpus", _PATH)
corpus = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(corpus)


def dossier(seed, index):
    units = corpus.unit_tree()
    person = corpus.cadre(corpus.seeded(seed, "cadre", index), units)
    rng = corpus.seeded(seed, "materials", index)
    return person, corpus.dossier_materials(rng, person, units[person.unit].name)


def test_the_unit_tree_has_100_units_in_three_levels_parents_first():
    units = corpus.unit_tree()
    assert len(units) == 100
    assert [sum(u.level == n for u in units) for n in (1, 2, 3)] == [4, 16, 80]
    assert len({u.name for u in units}) == 100
    for unit in units:
        assert unit.index == units.index(unit)
        if unit.level == 1:
            assert unit.parent is None
        else:
            parent = units[unit.parent]
            assert parent.index < unit.index
            assert parent.level == unit.level - 1
            assert unit.name.startswith(parent.name)


def test_a_subtree_holds_the_unit_and_everything_below_it():
    units = corpus.unit_tree()
    top = units[0]
    assert len(corpus.subtree(units, top.index)) == 1 + 4 + 20
    leaf = next(u for u in units if u.level == 3)
    assert corpus.subtree(units, leaf.index) == {leaf.index}


def test_the_tree_refuses_shapes_it_has_no_names_for():
    with pytest.raises(ValueError):
        corpus.unit_tree((4, 4))
    with pytest.raises(ValueError):
        corpus.unit_tree((9, 1, 1))


def test_the_same_seed_gives_the_same_dossier_and_another_seed_another():
    assert dossier("s", 7) == dossier("s", 7)
    assert dossier("s", 7) != dossier("s", 8)
    assert dossier("s", 7) != dossier("t", 7)


def test_a_dossier_does_not_depend_on_the_dossiers_made_before_it():
    later = dossier("s", 42)
    for index in range(5):
        dossier("s", index)
    assert dossier("s", 42) == later


def test_a_dossier_has_100_to_200_materials_numbered_within_each_category():
    for index in range(20):
        person, materials = dossier("s", index)
        assert 100 <= len(materials) <= 200
        by_category = {}
        for material in materials:
            assert material.category in corpus.CATEGORY_MIX
            by_category.setdefault(material.category, []).append(material.sequence)
            assert person.name in material.text or material.category in ("2", "4-3")
        for numbers in by_category.values():
            assert numbers == list(range(1, len(numbers) + 1))


def test_the_category_mix_is_that_of_real_dossiers():
    counts = dict.fromkeys(corpus.CATEGORY_MIX, 0)
    total = 0
    for index in range(60):
        for material in dossier("mix", index)[1]:
            counts[material.category] += 1
            total += 1
    weights = sum(corpus.CATEGORY_MIX.values())
    for code, weight in corpus.CATEGORY_MIX.items():
        assert abs(counts[code] / total - weight / weights) < 0.02, code
    # annual assessments, salary and appointments make half the dossier
    assert (counts["3"] + counts["9-1"] + counts["9-2"]) / total > 0.45


def test_the_words_of_the_forms_are_common_and_the_names_rare():
    texts = [m.text for i in range(30) for m in dossier("words", i)[1]]
    for word in ("年度考核", "任免审批表", "同志"):
        share = sum(word in text for text in texts) / len(texts)
        assert share > 0.5, (word, share)
    person, materials = dossier("words", 0)
    others = [m.text for i in range(1, 30) for m in dossier("words", i)[1]]
    own = sum(person.name in m.text for m in materials) / len(materials)
    elsewhere = sum(person.name in text for text in others) / len(others)
    assert own > 0.5
    assert elsewhere < 0.05
