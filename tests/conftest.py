"""Load ``cadre_archive/lib`` as ``cadre_archive.lib``, alias ``cadre_archive_lib``.

``cadre_archive/__init__.py`` imports odoo, so the addon package itself is
never executed here: a bare package object stands for it, through which only
its pure-Python ``lib`` folder is imported. The modules keep their real dotted
names (``cadre_archive.lib.numbering``), which mutmut relies on to switch its
mutants on; the tests import them under the short alias ``cadre_archive_lib``.
"""

import importlib
import os
import pkgutil
import sys
import types
from pathlib import Path

from hypothesis import HealthCheck, settings

ALIAS = "cadre_archive_lib"
ADDON = "cadre_archive"
ADDON_DIR = Path(__file__).resolve().parent.parent / ADDON


def _load_lib():
    if ALIAS in sys.modules:
        return sys.modules[ALIAS]
    if ADDON not in sys.modules:
        addon = types.ModuleType(ADDON)
        addon.__path__ = [str(ADDON_DIR)]
        sys.modules[ADDON] = addon
    lib = importlib.import_module(f"{ADDON}.lib")
    sys.modules[ALIAS] = lib
    for info in pkgutil.iter_modules(lib.__path__):
        module = importlib.import_module(f"{ADDON}.lib.{info.name}")
        sys.modules[f"{ALIAS}.{info.name}"] = module
    return lib


_load_lib()


def _register_hypothesis_profiles():
    """Profiles of the property-based tests: "ci" (default) and "dev".

    "ci" is derandomized (a fixed seed: the same examples on every run) and
    bounded, so that the suite takes the same time and fails the same way
    everywhere; "dev" draws many more random examples, for a run by hand:
    ``HYPOTHESIS_PROFILE=dev scripts/test --no-odoo``. No deadline in either:
    a slow machine must not turn into a failing test.
    """
    slow = [HealthCheck.too_slow, HealthCheck.data_too_large]
    settings.register_profile(
        "ci",
        derandomize=True,
        max_examples=60,
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=slow,
    )
    settings.register_profile(
        "dev",
        max_examples=2000,
        deadline=None,
        print_blob=True,
        suppress_health_check=slow,
    )
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


_register_hypothesis_profiles()
